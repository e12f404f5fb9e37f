"""Commands for policy leads and analysts, added to ``cprules`` (:mod:`cprules.cli`):
``test`` (:mod:`cprules.scenarios.command`), ``render`` (:mod:`cprules.view`), and the
helpers ``validate --sources``, ``evaluate`` and ``impact`` use.

A bundled name given to ``validate``, ``render`` or ``test`` means the file on disk when
the command runs inside a checkout: ``rules/NAME.yaml`` of the current folder or the
nearest folder above it that has one (:func:`on_disk`), and only otherwise the copy
installed with cprules. So an edit is checked at once, without reinstalling.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TextIO

from .errors import CprulesError, ErrorDetail, RulesetError
from .loader import LoadedRuleset, load_ruleset
from .registry import bundled
from .scenarios import command as test_command
from .scenarios.runner import local_ruleset, shown
from .yamlio import display_name

__all__ = ["add_parsers", "check_paths", "on_disk", "run_command", "validate_sources",
           "with_validate_hint"]


def on_disk(name: str, start: Path | None = None) -> str | Path:
    """A bundled name as the checkout's ``rules/NAME.yaml`` where there is one."""
    if name in bundled():
        local = local_ruleset(name, start or Path.cwd())
        if local is not None:
            return shown(local)
    return name


def add_parsers(sub: Any, date: Callable[[str], Any]) -> None:
    test_command.add_parser(sub)
    r = sub.add_parser("render", help="a ruleset as a document to read against the text",
                       description="The procedure as a document: rules grouped by the "
                       "paragraph they cite, each in plain words beside its quote, readings "
                       "marked, dated versions, and what the text leaves out.")
    r.add_argument("ruleset", help="bundled name or YAML path")
    r.add_argument("--variant", help="one local authority's rules (e.g. derby_city)")
    r.add_argument("--as-of", type=date, help="dated values as in force on this date")
    r.add_argument("--format", "-f", choices=["markdown", "html"], default="markdown")
    r.add_argument("--output", "-o", metavar="FILE", help="write to FILE, not stdout")
    r.add_argument("--verbose", "-v", action="store_true")


def run_command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.command == "test":
        return test_command.run(args, out, err)
    from .view import build, render

    rs = load_ruleset(on_disk(args.ruleset))
    text = render(build(rs, args.variant, args.as_of), args.format)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        out.write(f"wrote {args.output}\n")
    else:
        out.write(text)
    return 0


def validate_sources(rs: LoadedRuleset, sources: str, out: TextIO, err: TextIO) -> int:
    """``validate --sources DIR`` for one loaded ruleset: 0 when every quote is found and
    no text has changed, 1 otherwise (each problem on ``err``)."""
    from .quotes import check_sources

    folder = Path(sources)
    if not folder.is_dir():
        raise CprulesError(f"no such folder: {display_name(sources)}",
                           suggestion="give the folder holding the procedure texts")
    if rs.source_file is None:
        return 0
    problems = check_sources(rs.source_file, folder)
    quotes = [p for p in problems if p.kind == "quote"]
    for p in problems:
        (out if p.kind == "unrecorded" else err).write(p.format() + "\n")
    failing = [p for p in problems if p.kind != "unrecorded"]
    if not failing:
        out.write(f"{rs.source_file}: sources ok (every quote found in {display_name(folder)})\n")
        return 0
    out.write(f"{rs.source_file}: {len(quotes)} quotes not found, "
              f"{sum(1 for p in failing if p.kind == 'changed')} texts changed, "
              f"{sum(1 for p in failing if p.kind == 'missing')} texts missing\n")
    return 1


def with_validate_hint(exc: RulesetError, name: str) -> RulesetError:
    """The error of a ruleset that does not load, pointing to ``cprules validate``."""
    shown = exc.file or name
    hint = f"run `cprules validate {shown}` for the full list"
    first, *rest = exc.details
    suggestion = f"{first.suggestion}; {hint}" if first.suggestion else hint
    details = [ErrorDetail(first.message, file=first.file, line=first.line,
                           column=first.column, path=first.path, rule_id=first.rule_id,
                           suggestion=suggestion), *rest]
    return RulesetError(exc.message, details=details, more=exc.more)


def check_paths(paths: Iterable[str]) -> None:
    """Every path given exists (a missing one is an error, not an empty result)."""
    for p in paths:
        try:
            ok = Path(p).exists()
        except (OSError, ValueError):
            ok = False
        if not ok:
            raise CprulesError("no such file or folder", file=display_name(p))
