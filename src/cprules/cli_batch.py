"""``cprules evaluate --jsonl FILE|-``: one result line per case, in input order, with a
summary; ``cprules rules NAME``: the rule table compact results refer to."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from typing import IO, Any, TextIO

from .batch import Summary, rule_table, stream
from .errors import CaseError, CprulesError
from .loader import load_ruleset
from .yamlio import DEFAULT_LIMITS, iter_lines

__all__ = ["add_arguments", "run_jsonl", "run_rules"]


def add_arguments(e: argparse.ArgumentParser) -> None:
    e.add_argument("--jsonl", metavar="FILE|-", help="JSON Lines: one case per line (a file, "
                   "or - for standard input); one result line per case out, in input order")
    e.add_argument("-o", "--output", metavar="OUT", help="with --jsonl: write the results "
                   "here instead of standard output")
    e.add_argument("--jobs", "-j", type=int, default=1, help="with --jsonl: spread the cases "
                   "over N processes (the output is the same as with --jobs 1)")
    e.add_argument("--quiet", "-q", action="store_true", help="with --jsonl: no progress "
                   "bar and no summary on standard error")
    e.add_argument("--summary-json", action="store_true", help="with --jsonl: end the output "
                   "with a summary record instead of printing the summary")
    e.add_argument("--full", action="store_true", help="with --jsonl: each line the full "
                   "evaluation (titles, citations, notes) instead of the compact form")


def _stdin_lines() -> Iterator[tuple[int, bytes | CprulesError]]:
    stream = sys.stdin.buffer
    limit = DEFAULT_LIMITS.max_line_bytes
    n = 0
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        n += 1
        if n == 1:
            line = line.removeprefix(b"\xef\xbb\xbf")
        if len(line) > limit and not line.endswith(b"\n"):
            while True:
                rest = stream.readline(1 << 16)
                if not rest or rest.endswith(b"\n"):
                    break
            yield n, CaseError(f"line too long: more than {limit} bytes", file="<stdin>",
                               line=n, suggestion="one case per line, each within the limit")
            continue
        yield n, line


def _inputs(source: str) -> Iterator[tuple[int, bytes | CprulesError]]:
    """(line number, line or the error reading it) for each non-blank line."""
    lines = _stdin_lines() if source == "-" else iter_lines(source, error=CaseError)
    for n, line in lines:
        if isinstance(line, CprulesError) or line.strip():
            yield n, line


def _progress(enabled: bool) -> Any:
    if not enabled:
        return None
    try:
        from tqdm import tqdm
    except ImportError:  # pragma: no cover - tqdm is a dependency
        return None
    return tqdm(unit=" cases", file=sys.stderr, mininterval=0.5, leave=False)


def run_jsonl(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    # without --ruleset, each case under the bundled ruleset its partnership names
    ruleset = load_ruleset(args.ruleset) if args.ruleset else None
    source = args.jsonl
    file = "<stdin>" if source == "-" else source
    summary = Summary(ruleset=ruleset.partnership if ruleset is not None else None)
    out: IO[str] = stdout
    close = False
    if args.output:
        out = open(args.output, "w", encoding="utf-8")  # noqa: SIM115 - closed below
        close = True
    bar = _progress(not args.quiet and stderr.isatty())
    mode = "full" if args.full else "compact"
    try:
        for line, tally in stream(ruleset, _inputs(source), args.as_of, args.variant,
                                args.jobs, mode, file):
            out.write(line)
            out.write("\n")
            summary.add(tally, _line_of(line))
            if bar is not None:
                bar.update(1)
        if args.summary_json:
            out.write(json.dumps(summary.record(), separators=(",", ":")) + "\n")
    finally:
        if bar is not None:
            bar.close()
        if close:
            out.close()
        else:
            out.flush()
    if not args.quiet and not args.summary_json:
        stderr.write(summary.text())
    if summary.errors:
        return 2
    return 0 if summary.ok == summary.cases else 1


def _line_of(encoded: str) -> int | None:
    head = encoded[:80]
    key = '"line":'
    i = head.find(key)
    if i < 0:
        return None
    j = i + len(key)
    k = j
    while k < len(head) and head[k].isdigit():
        k += 1
    return int(head[j:k]) if k > j else None


def run_rules(args: argparse.Namespace, stdout: TextIO) -> int:
    ruleset = load_ruleset(args.ruleset)
    table = rule_table(ruleset)
    if args.format == "json":
        json.dump(table, stdout, indent=2, ensure_ascii=False)
        stdout.write("\n")
        return 0
    for r in table["rules"]:
        variants = f" [{', '.join(r['variants'])}]" if r["variants"] else ""
        stdout.write(f"{r['id']:40} {r['kind']:15} {r['citation']['section']:24} "
                     f"{r['title']}{variants}\n")
    return 0

