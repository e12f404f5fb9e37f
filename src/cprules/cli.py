"""The ``cprules`` command: a thin layer over the library.

``run(argv, stdout, stderr) -> exit code`` does the work and is tested in-process;
``main()`` is the console script. Exit codes: 0 nothing overdue or violated (or the
command succeeded), 1 something is overdue or violated, 2 bad input (one line on stderr;
``--verbose`` for the full detail; with ``--format json`` one JSON object), 70 an internal
error. No Python traceback reaches the user.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import sys
import unicodedata
from collections.abc import Sequence
from typing import TextIO

from .commands import check_paths, on_disk, validate_sources, with_validate_hint
from .commands import run_command as run_lead_command
from .diff import compare, diff, render_comparison, render_diff
from .errorjson import error_record, plain_error_record
from .errors import CprulesError, RulesetError
from .evaluator import evaluate
from .impact import impact, iter_cases, render_impact
from .loader import load_case, load_ruleset, locate_in_case
from .model.results import Deadline, Evaluation
from .registry import bundled
from .schemas import SCHEMAS
from .version import __version__

__all__ = ["main", "run"]

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 70

EXIT_CODES = """exit codes:
  0   nothing overdue or violated (or the command succeeded)
  1   something is overdue or violated (diff, impact: with --exit-code, a difference)
  2   bad input: a case, ruleset or argument that cannot be used (one line on standard
      error; with --format json, one JSON object: kind, message, file, line, field,
      suggestion, problems)
  70  internal error (a bug in cprules: please report it)"""


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise _UsageError(f"{self.prog}: {message}")


def _date(text: str) -> _dt.date:
    try:
        return _dt.date.fromisoformat(text)
    except ValueError:
        from .yamlhints import date_hint

        raise argparse.ArgumentTypeError(
            f"'{text}' is not a date ({date_hint(text) or 'write YYYY-MM-DD, e.g. 2024-05-20'})"
        ) from None


def _parser() -> _Parser:
    p = _Parser(prog="cprules", description="Evaluate child protection conference "
                "procedures, written as YAML rulesets, against a case's dated facts.",
                epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="version", version=f"cprules {__version__}")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    e = sub.add_parser("evaluate", help="deadlines, obligations and violations for a case",
                       epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    e.add_argument("case", nargs="?", help="case facts (YAML or JSON file, or - for "
                   "standard input); or give --jsonl for many cases")
    e.add_argument("--ruleset", "-r", help="bundled name (york, derby, ...) or YAML path; "
                   "defaults to the case's 'partnership'")
    e.add_argument("--as-of", type=_date, help="evaluate as of this date (YYYY-MM-DD); "
                   "defaults to the case's as_of, then today")
    e.add_argument("--variant", help="local authority variant (e.g. derby_city); defaults "
                   "to the case's local_authority")
    e.add_argument("--format", "-f", choices=["table", "json"], default="table")
    e.add_argument("--verbose", "-v", action="store_true", help="full error detail")
    from .cli_batch import add_arguments as add_batch_arguments

    add_batch_arguments(e)

    rl = sub.add_parser("rules", help="the rules of a ruleset, as compact results name them")
    rl.add_argument("ruleset", help="bundled name or YAML path")
    rl.add_argument("--format", "-f", choices=["table", "json"], default="table")
    rl.add_argument("--verbose", "-v", action="store_true")

    v = sub.add_parser("validate", help="check ruleset files")
    v.add_argument("rulesets", nargs="+", help="bundled names or YAML paths")
    v.add_argument("--sources", metavar="DIR", help="also check every quote against the "
                   "procedure texts in DIR, and each text's recorded sha256")
    v.add_argument("--verbose", "-v", action="store_true")

    d = sub.add_parser("diff", help="compare two rulesets (or more: a matrix) rule by rule")
    d.add_argument("rulesets", nargs="+", metavar="RULESET",
                   help="NAME[:VARIANT][@DATE|@vREVISION] or a YAML path")
    d.add_argument("--format", "-f", choices=["table", "markdown", "json"], default="table")
    d.add_argument("--all", action="store_true", help="list identical rules too")
    d.add_argument("--all-fields", action="store_true",
                   help="compare wording and citations too (title, responsible, note, source)")
    d.add_argument("--exit-code", action="store_true", help="exit 1 when the rulesets differ")
    d.add_argument("--verbose", "-v", action="store_true")

    c = sub.add_parser("compare", help="matrix of rules across rulesets")
    c.add_argument("rulesets", nargs="+", metavar="RULESET")
    c.add_argument("--format", "-f", choices=["table", "markdown", "json", "csv"],
                   default="table")
    c.add_argument("--verbose", "-v", action="store_true")

    im = sub.add_parser("impact", help="which deadlines and violations a change moves")
    im.add_argument("a", metavar="A")
    im.add_argument("b", metavar="B")
    im.add_argument("cases", nargs="+", metavar="CASES",
                    help="case files, folders of them, or .jsonl files (one case a line)")
    im.add_argument("--as-of", type=_date)
    im.add_argument("--format", "-f", choices=["table", "markdown", "json"], default="table")
    im.add_argument("--exit-code", action="store_true",
                    help="exit 1 when a case's deadlines or findings change")
    im.add_argument("--verbose", "-v", action="store_true")

    ls = sub.add_parser("list", help="the bundled rulesets")
    ls.add_argument("--verbose", "-v", action="store_true")

    s = sub.add_parser("schema", help="print a JSON Schema")
    s.add_argument("which", choices=sorted(SCHEMAS))
    s.add_argument("--verbose", "-v", action="store_true")

    from .audit.commands import add_parsers  # import and audit (docs/data-sources.md)

    add_parsers(sub, _date)
    from .commands import add_parsers as add_lead_parsers  # test and render

    add_lead_parsers(sub, _date)
    from .cli_serve import add_parser as add_serve_parser  # the HTTP API

    add_serve_parser(sub)
    return p


_STATUS_ORDER = {"overdue": 0, "met_late": 1, "pending": 2, "met": 3}


def _table(ev: Evaluation) -> str:
    st = ev.stamp
    lines = [
        f"Ruleset {st.ruleset} version {st.ruleset_version}"
        + (f" ({st.variant})" if st.variant else "")
        + f", as of {st.as_of.isoformat()}"
        + (f", case {st.case_id}" if st.case_id else ""),
        "",
    ]

    def key(d: Deadline) -> tuple[int, _dt.date, str]:
        return (0 if d.status == "overdue" else 1, d.due, d.rule_id)

    rows = [("STATUS", "DUE", "RULE", "DONE", "BASIS")]
    for d in sorted(ev.deadlines, key=key):
        rows.append((
            d.status.upper() if d.status in ("overdue", "met_late") else d.status,
            d.due.isoformat(),
            d.rule_id,
            d.met_by.date.isoformat() if d.met_by else "-",
            d.basis,
        ))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    for r in rows:
        lines.append("  ".join(c.ljust(w) for c, w in zip(r[:4], widths, strict=True))
                     + "  " + r[4])
    if not ev.deadlines:
        lines.append("(no deadlines)")
    if ev.checks:
        failed = [c for c in ev.checks if not c.passed]
        lines += ["", f"Decision checks ({len(ev.checks)} applied, {len(failed)} not met):"]
        for c in sorted(ev.checks, key=lambda c: (c.passed, c.subject.date, c.rule_id)):
            mark = "ok  " if c.passed else "FAIL"
            lines.append(f"  {mark} {c.subject.date.isoformat()}  {c.rule_id}: {c.detail} "
                         f"[{c.citation.section}]")
    if ev.violations:
        lines += ["", f"Violations ({len(ev.violations)}):"]
        lines += [f"  [{v.severity}] {v.message} [{v.citation.section}]" for v in ev.violations]
    if ev.obligations:
        lines += ["", f"Obligations ({len(ev.obligations)}):"]
        lines += [f"  {o.message} [{o.citation.section}]" for o in ev.obligations]
    if ev.data_quality:
        lines += ["", f"Data quality ({len(ev.data_quality)}):"]
        lines += [f"  {q.message}" for q in ev.data_quality]
    counts = {s: sum(1 for d in ev.deadlines if d.status == s) for s in _STATUS_ORDER}
    lines += ["", ", ".join(f"{n} {s}" for s, n in counts.items()),
              f"ruleset sha256 {st.content_sha256}, cprules {st.cprules_version}"]
    return "\n".join(printable(line, newlines=False) for line in lines) + "\n"


def _evaluate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.case is None:
        raise _UsageError("cprules evaluate: give a case file, - for standard input, or "
                          "--jsonl FILE")
    if args.case == "-":
        case = load_case(sys.stdin.buffer.read(5_000_001), file="<stdin>")
    else:
        case = load_case(args.case)
    name = args.ruleset or case.partnership
    if not name:
        raise CprulesError(
            "no ruleset: the case names no partnership",
            file=args.case,
            suggestion=f"add --ruleset with one of: {', '.join(bundled())}",
        )
    try:
        ruleset = load_ruleset(name)
    except RulesetError as exc:  # the first problem, and where to see them all
        raise with_validate_hint(exc, name) from None
    if args.ruleset and case.partnership and case.partnership != ruleset.partnership:
        err.write(printable(f"cprules: warning: the case names partnership "
                            f"'{case.partnership[:100]}' but is evaluated under "
                            f"{ruleset.partnership} (--ruleset)", newlines=False) + "\n")
    try:
        ev = evaluate(ruleset, case, as_of=args.as_of, variant=args.variant)
    except CprulesError as exc:  # name the case file and line (e.g. no local_authority)
        raise exc if args.variant else locate_in_case(exc, args.case) from None
    if args.format == "json":
        json.dump(ev.model_dump(mode="json"), out, indent=2)
        out.write("\n")
    else:
        out.write(_table(ev))
    return EXIT_OK if ev.ok else EXIT_FINDINGS


def _validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    status = EXIT_OK
    for name in args.rulesets:
        try:
            rs = load_ruleset(on_disk(name))  # a checkout's rules/NAME.yaml, not a copy
        except CprulesError as exc:
            err.write(f"{exc}\n")
            status = EXIT_BAD_INPUT
            continue
        variants = f", variants {', '.join(rs.variants)}" if rs.variants else ""
        out.write(f"{rs.source_file}: ok ({rs.partnership} version {rs.version}, "
                  f"{len(rs.rules)} rules{variants})\n")
        if args.sources:
            status = max(status, validate_sources(rs, args.sources, out, err))
    return status


def _list(out: TextIO) -> int:
    for name in bundled():
        rs = load_ruleset(name)
        variants = f" [variants: {', '.join(rs.variants)}]" if rs.variants else ""
        out.write(f"{name:16} version {rs.version:12} {len(rs.rules):3} rules  "
                  f"{rs.title}{variants}\n")
    return EXIT_OK


def run(argv: Sequence[str] | None, stdout: TextIO, stderr: TextIO) -> int:
    """Run the command line ``argv`` and return the exit code."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    verbose = "--verbose" in args_list or "-v" in args_list
    try:
        args = _parser().parse_args(args_list)
        if args.command == "evaluate":
            if args.jsonl is not None:
                from .cli_batch import run_jsonl

                return run_jsonl(args, stdout, stderr)
            return _evaluate(args, stdout, stderr)
        if args.command == "rules":
            from .cli_batch import run_rules

            return run_rules(args, stdout)
        if args.command == "serve":
            from .cli_serve import run_serve

            return run_serve(args, stdout, stderr)
        if args.command in ("test", "render"):
            return run_lead_command(args, stdout, stderr)
        if args.command in ("import", "audit"):
            from .audit.commands import run_command

            return run_command(args, stdout, stderr)
        if args.command == "validate":
            return _validate(args, stdout, stderr)
        if args.command == "list":
            return _list(stdout)
        if args.command == "diff":
            if len(args.rulesets) == 1:
                raise _UsageError("cprules diff: give two rulesets (or more for a matrix)")
            if len(args.rulesets) > 2:
                matrix = compare(args.rulesets)
                stdout.write(render_comparison(matrix, args.format))
                differs = any(len(set(cells)) > 1 for _, cells in matrix.rows)
                return EXIT_FINDINGS if args.exit_code and differs else EXIT_OK
            result = diff(*args.rulesets, all_fields=args.all_fields)
            stdout.write(render_diff(result, args.format, show_all=args.all))
            differs = bool(result.changed or result.only_a or result.only_b)
            return EXIT_FINDINGS if args.exit_code and differs else EXIT_OK
        if args.command == "compare":
            stdout.write(render_comparison(compare(args.rulesets), args.format))
            return EXIT_OK
        if args.command == "impact":
            check_paths(args.cases)  # a missing path is an error, not "0 cases"
            report = impact(args.a, args.b, iter_cases(args.cases), as_of=args.as_of)
            stdout.write(printable(render_impact(report, args.format)))
            return EXIT_FINDINGS if args.exit_code and report.cases_changed else EXIT_OK
        json.dump(SCHEMAS[args.which](), stdout, indent=2)
        stdout.write("\n")
        return EXIT_OK
    except _UsageError as exc:
        if _json_errors(args_list):
            return _json_error(stderr, plain_error_record("UsageError", str(exc)),
                               EXIT_BAD_INPUT)
        stderr.write(f"{exc}\n")
        return EXIT_BAD_INPUT
    except SystemExit as exc:  # --help and --version
        return int(exc.code or 0) if isinstance(exc.code, int) else EXIT_OK
    except CprulesError as exc:
        if _json_errors(args_list):
            return _json_error(stderr, error_record(exc), EXIT_BAD_INPUT)
        stderr.write(printable(f"cprules: error: {exc if verbose else exc.summary()}") + "\n")
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        raise  # the reader went away (`| head`): main() ends quietly
    except Exception as exc:  # never a traceback for the user
        if _json_errors(args_list):
            return _json_error(stderr, plain_error_record(
                "InternalError", f"{type(exc).__name__}: {exc}"[:2000]), EXIT_INTERNAL)
        stderr.write(printable(f"cprules: internal error: {type(exc).__name__}: {exc}")[:2000]
                     + "\n")
        return EXIT_INTERNAL


def _json_errors(argv: list[str]) -> bool:
    """``--format json`` (or ``-f json``) was asked for: errors are JSON too."""
    for i, a in enumerate(argv):
        if a in ("--format=json", "-fjson") or (
                a in ("--format", "-f") and argv[i + 1:i + 2] == ["json"]):
            return True
    return False


def _json_error(stderr: TextIO, record: dict[str, object], code: int) -> int:
    stderr.write(json.dumps(record, ensure_ascii=True) + "\n")
    return code


_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def printable(text: str, newlines: bool = True) -> str:
    """``text`` with control characters, line separators and bidirectional overrides
    escaped (``\\x1b``, ``\\u202e``), and newlines too unless ``newlines``: case text
    reaches the terminal as text, never as terminal commands or reordered lines."""
    keep = "\n" if newlines else ""
    if text.isprintable() or all(c.isprintable() or c in keep for c in text):
        return text

    def esc(c: str) -> str:
        if (c == "\n" and newlines) or c.isprintable() or (
                unicodedata.category(c) not in ("Cc", "Zl", "Zp") and c not in _BIDI):
            return c
        return f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}"

    return "".join(esc(c) for c in text)


def main() -> None:
    """Console-script entry point. A closed pipe (``cprules schema case | head -1``) ends
    quietly."""
    try:
        code = run(None, sys.stdout, sys.stderr)
        sys.stdout.flush()
    except BrokenPipeError:
        # Python flushes stdout again at exit: point it at /dev/null so that fails too
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = EXIT_OK
    sys.exit(code)


if __name__ == "__main__":
    main()
