"""One entry point for every source the audit reads, chosen by the path.

- ``*.xml``: a CIN census (:mod:`cprules.sources.cin`);
- ``*.xlsx`` / ``*.xlsm``, or a folder of ``*.csv``: Annex A
  (:mod:`cprules.sources.annex_a`);
- ``*.jsonl`` / ``*.ndjson`` (or ``-``, standard input): records written by ``cprules
  import``, or bare ``cprules-case/1`` cases, one a line. For bare cases the key figures'
  facts are worked out from the events (strategy discussions initiating section 47
  enquiries, initial conferences, plan periods).
"""

from __future__ import annotations

import datetime as _dt
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Literal

from .errors import SourceError
from .records import RECORD_FORMAT, ChildRecord, Icpc, PlanSpan, Problem

__all__ = ["detect", "read", "read_jsonl"]

Kind = Literal["cin", "annex_a", "cases"]


def detect(path: str | Path) -> Kind:
    """Which reader a path needs; :class:`SourceError` when none does."""
    p = Path(path)
    if str(path) == "-" or p.suffix.lower() in (".jsonl", ".ndjson"):
        return "cases"
    if p.is_dir() or p.suffix.lower() in (".xlsx", ".xlsm", ".csv"):
        return "annex_a"
    if p.suffix.lower() == ".xml":
        return "cin"
    raise SourceError(f"cannot tell what {path} is", file=str(path),
                      suggestion="give a census .xml, an Annex A .xlsx or folder of .csv "
                      "files, or a .jsonl file of cases")


def read(path: str | Path) -> Iterator[ChildRecord]:
    """Child records from any source the audit reads (see the module docstring)."""
    kind = detect(path)
    if kind == "cin":
        from . import cin

        return cin.read(path)
    if kind == "annex_a":
        from . import annex_a

        return annex_a.read(path)
    if str(path) == "-":
        return read_jsonl(sys.stdin, "<stdin>")
    return _read_file(Path(path))


def _read_file(path: Path) -> Iterator[ChildRecord]:
    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        raise SourceError(f"cannot read {path}: {exc.strerror}", file=str(path)) from None
    with handle:
        yield from read_jsonl(handle, str(path))


def read_jsonl(lines: Iterable[str], file: str) -> Iterator[ChildRecord]:
    """Records from JSON Lines: import records, or bare cases. A bad line is a record
    with no case and the problem (its line number), and the rest are read."""
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            yield _broken(file, n, f"invalid JSON: {exc.msg} (column {exc.colno})")
            continue
        if not isinstance(data, dict):
            yield _broken(file, n, "a line must be a JSON object (a case or a record)")
            continue
        if data.get("record") == RECORD_FORMAT:
            try:
                yield ChildRecord.from_json(data)
            except (KeyError, TypeError, ValueError) as exc:
                yield _broken(file, n, f"not a {RECORD_FORMAT} record: {exc}")
            continue
        yield _from_case(data, file, n)


def _broken(file: str, line: int, message: str) -> ChildRecord:
    return ChildRecord(source="cases", child_id=f"line-{line}", case=None, file=file,
                       line=line, problems=(Problem(code="invalid_line", message=message,
                                                    file=file, line=line),))


def _day(event: dict[str, Any]) -> _dt.date | None:
    try:
        return _dt.date.fromisoformat(str(event.get("date", ""))[:10])
    except ValueError:
        return None


def _from_case(case: dict[str, Any], file: str, line: int) -> ChildRecord:
    """A bare case, with the key figures' facts worked out from its events."""
    events = [e for e in case.get("events", []) if isinstance(e, dict) and _day(e)]
    events.sort(key=lambda e: _day(e) or _dt.date.min)
    icpcs: list[Icpc] = []
    plans: list[PlanSpan] = []
    open_start: _dt.date | None = None
    for i, ev in enumerate(events):
        day = _day(ev)
        assert day is not None
        kind, outcome = ev.get("kind"), ev.get("outcome")
        if ev.get("type") == "strategy_discussion" and ev.get("s47_initiated"):
            held = not_required = None
            for later in events[i + 1:]:
                if later.get("type") == "strategy_discussion" and later.get("s47_initiated"):
                    break
                if (later.get("type") == "conference" and later.get("kind") in
                        ("initial", "pre_birth") and not later.get("planned")):
                    held = _day(later)
                    break
                if later.get("type") == "s47_concluded" and later.get("icpc_required") is False:
                    not_required = True
                    break
            icpcs.append(Icpc(anchor=day, anchor_kind="strategy_discussion", conference=held,
                              not_required=bool(not_required)))
        starts = ((ev.get("type") == "conference" and outcome == "plan" and
                   kind != "review" and not ev.get("planned")) or ev.get("type") == "plan_start")
        ends = ((ev.get("type") == "conference" and outcome == "no_plan" and kind == "review")
                or ev.get("type") == "plan_end")
        if starts and open_start is None:
            open_start = day
        elif ends and open_start is not None:
            plans.append(PlanSpan(start=open_start, end=day))
            open_start = None
    if open_start is not None:
        plans.append(PlanSpan(start=open_start))
    visits = [d for e in events if e.get("type") == "visit" and (d := _day(e))]
    as_of = case.get("as_of")
    try:
        extract = _dt.date.fromisoformat(as_of) if isinstance(as_of, str) else None
    except ValueError:
        extract = None
    return ChildRecord(source="cases", child_id=str(case.get("id") or f"line-{line}"),
                       case=case, file=file, line=line, extract_date=extract,
                       icpcs=tuple(icpcs), plans=tuple(plans),
                       last_visit=max(visits) if visits else None)
