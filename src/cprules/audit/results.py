"""Per-child audit results (:class:`Finding`, :class:`ChildResult`) and the spool that
keeps them out of memory (:class:`ChildStore`) until they are rendered."""

from __future__ import annotations

import datetime as _dt
import json
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any, Literal

from ..sources.records import Problem
from .figures import ChildStats

__all__ = ["ChildResult", "ChildStore", "Finding"]


@dataclass(frozen=True, slots=True)
class Finding:
    """An overdue deadline or a violation of one child, with its citation."""

    kind: Literal["overdue", "violation"]
    rule_id: str
    message: str
    due: _dt.date | None
    severity: str
    source_file: str
    section: str
    quote: str | None = None
    note: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "rule_id": self.rule_id, "message": self.message,
                "due": self.due.isoformat() if self.due else None, "severity": self.severity,
                "citation": {"file": self.source_file, "section": self.section,
                             "quote": self.quote}, "note": self.note}


@dataclass(frozen=True, slots=True)
class ChildResult:
    """What the audit found for one child."""

    child_id: str
    team: str | None
    worker: str | None
    where: str
    findings: tuple[Finding, ...]
    problems: tuple[Problem, ...]
    stats: ChildStats
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        s = self.stats
        return {"child_id": self.child_id, "team": self.team, "worker": self.worker,
                "where": self.where, "error": self.error,
                "icpc_working_days": list(s.icpc_days),
                "visit_due": s.visit_due.isoformat() if s.visit_due else None,
                "visit_overdue": s.visit_overdue,
                "findings": [f.to_json() for f in self.findings],
                "problems": [p.to_json() for p in self.problems]}


class ChildStore:
    """Per-child results spooled to a temporary file, so memory stays flat; iterate it
    (as often as needed) once the audit is done."""

    def __init__(self) -> None:
        self._file: IO[str] = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115
        self.count = 0

    def add(self, result: ChildResult) -> None:
        self._file.write(json.dumps(_to_store(result)) + "\n")
        self.count += 1

    def __iter__(self) -> Iterator[ChildResult]:
        self._file.flush()
        self._file.seek(0)
        for line in self._file:
            yield _from_store(json.loads(line))
        self._file.seek(0, 2)

    def __len__(self) -> int:
        return self.count


def _to_store(r: ChildResult) -> list[Any]:
    s = r.stats
    return [r.child_id, r.team, r.worker, r.where, r.error,
            [[f.kind, f.rule_id, f.message, f.due.isoformat() if f.due else None, f.severity,
              f.source_file, f.section, f.quote, f.note] for f in r.findings],
            [p.to_json() for p in r.problems],
            [s.icpc_days, s.visit_overdue, s.visit_due.isoformat() if s.visit_due else None,
             s.overdue, s.violations, s.evaluated]]


def _from_store(d: list[Any]) -> ChildResult:
    days, visit_overdue, visit_due, overdue, violations, evaluated = d[7]
    problems = tuple(Problem.from_json(p) for p in d[6])
    return ChildResult(
        child_id=d[0], team=d[1], worker=d[2], where=d[3], error=d[4],
        findings=tuple(Finding(f[0], f[1], f[2], _dt.date.fromisoformat(f[3]) if f[3] else None,
                               *f[4:]) for f in d[5]),
        problems=problems,
        stats=ChildStats(evaluated=evaluated, overdue=overdue, violations=violations,
                         problems=len(problems), icpc_days=tuple(days),
                         visit_overdue=visit_overdue,
                         visit_due=_dt.date.fromisoformat(visit_due) if visit_due else None))
