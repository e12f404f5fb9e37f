"""``cprules import`` and ``cprules audit``: the command-line side of the sources and the
audit. :func:`add_parsers` registers the subcommands on ``cprules``'s parser and
:func:`run_command` runs them; the readers and renderers are imported only when used, so
``cprules`` works without the ``audit`` extra installed.

Exit codes: ``import`` 0 when every child was read (warnings allowed), 1 when some value
could not be used (an error-level problem), 2 when the file cannot be read; ``audit`` 0
when nothing is overdue or violated and every child was evaluated, 1 otherwise, 2 on bad
input.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
from collections.abc import Callable, Iterator
from typing import Any, TextIO

from ..errors import CprulesError

__all__ = ["add_parsers", "run_command"]

_EXTRA = 'install the audit extra: pip install "cprules[audit]"'


def add_parsers(sub: Any, date_type: Callable[[str], Any]) -> None:
    """Register ``import`` and ``audit`` on the ``cprules`` subparsers."""
    imp = sub.add_parser("import", help="read a CIN census or Annex A into JSON Lines")
    imp.add_argument("kind", choices=["cin", "annex-a"], help="the source's format")
    imp.add_argument("source", help="census .xml; Annex A .xlsx or a folder of .csv files")
    imp.add_argument("-o", "--output", help="write the records here (default: stdout)")
    imp.add_argument("--cases-only", action="store_true", help="write bare cprules-case/1 "
                     "cases (for cprules evaluate), without team, worker and problems")
    imp.add_argument("--quiet", "-q", action="store_true", help="no problem lines on stderr")
    imp.add_argument("--verbose", "-v", action="store_true")

    au = sub.add_parser("audit", help="check a whole census or Annex A against a ruleset")
    au.add_argument("source", help="census .xml, Annex A .xlsx or CSV folder, or .jsonl "
                    "(records from cprules import, or cases)")
    au.add_argument("--ruleset", "-r", required=True, help="bundled name or YAML path")
    au.add_argument("--variant", help="local authority variant (e.g. derby_city)")
    au.add_argument("--as-of", type=date_type, help="default: the census reference date "
                    "or the day the Annex A file was made")
    au.add_argument("--format", "-f", choices=["table", "json", "csv", "html"],
                    default="table")
    au.add_argument("-o", "--output", help="write the report here (default: stdout)")
    au.add_argument("--verbose", "-v", action="store_true")


@contextlib.contextmanager
def _output(path: str | None, stdout: TextIO) -> Iterator[TextIO]:
    if path is None or path == "-":  # "-o -": standard output, not a file named "-"
        yield stdout
        return
    try:
        handle = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115
    except OSError as exc:
        raise CprulesError(f"cannot write {path}: {exc.strerror}", file=path) from None
    with handle:
        yield handle


def _import(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    import cprules

    from ..sources import annex_a, cin

    reader = cin.read if args.kind == "cin" else annex_a.read
    children = problems = errors = invalid = 0
    with _output(args.output, stdout) as out:
        for record in reader(args.source):
            if record.case is not None:
                try:
                    cprules.case_from_data(record.case)
                except CprulesError as exc:
                    invalid += 1
                    record = dataclasses.replace(record, problems=(*record.problems, (
                        _invalid(record, exc))))
            children += 1
            problems += len(record.problems)
            errors += sum(p.severity == "error" for p in record.problems)
            if not args.quiet:
                stderr.writelines(f"{p.format()}\n" for p in record.problems)
            if args.cases_only:
                if record.case is not None:
                    out.write(json.dumps(record.case) + "\n")
            else:
                out.write(json.dumps(record.to_json()) + "\n")
    stderr.write(f"{children} children read, {problems} problems ({errors} errors), "
                 f"{invalid} cases not valid\n")
    return 1 if errors else 0


def _invalid(record: Any, exc: CprulesError) -> Any:
    from ..sources.records import Problem

    return Problem(code="invalid_case", message=exc.summary(), file=record.file,
                   child_id=record.child_id, line=record.line)


def _audit(args: argparse.Namespace, stdout: TextIO) -> int:
    from ..sources import read
    from .engine import audit
    from .render import write_csv, write_json, write_table

    report = audit(args.ruleset, read(args.source), source=args.source, as_of=args.as_of,
                   variant=args.variant)
    with _output(args.output, stdout) as out:
        if args.format == "html":
            from .html import write_html

            write_html(report, out)
        else:
            {"table": write_table, "json": write_json, "csv": write_csv}[args.format](
                report, out)
    return 0 if report.ok else 1


def run_command(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """Run ``cprules import`` or ``cprules audit``; CprulesError goes to the caller."""
    try:
        if args.command == "import":
            return _import(args, stdout, stderr)
        return _audit(args, stdout)
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.split(".")[0] in ("defusedxml", "openpyxl", "jinja2",
                                                   "matplotlib"):
            raise CprulesError(f"{exc.name} is not installed", suggestion=_EXTRA) from None
        raise
