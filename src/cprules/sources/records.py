"""What a reader yields for each child: the case, the facts the audit needs, the problems.

One :class:`ChildRecord` per child. ``case`` is ``cprules-case/1`` data (a plain dict,
ready for :func:`cprules.case_from_data`), or None when the child could not be made into
a case at all (e.g. neither a date of birth nor an expected one). The other fields are
what the case format has no place for (the allocated team and worker, the census's own
``InitialCPCtarget``) and what the key figures are worked out from.

In JSON Lines (``cprules import``) a record is one object with ``"record":
"cprules-import/1"`` and the case under ``"case"``; ``--cases-only`` writes the bare cases
instead (for ``cprules evaluate``). See ``docs/data-sources.md``.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "RECORD_FORMAT",
    "ChildRecord",
    "Icpc",
    "PlanSpan",
    "Problem",
    "SourceKind",
]

RECORD_FORMAT = "cprules-import/1"
SourceKind = Literal["cin", "annex_a", "cases"]
AnchorKind = Literal["s47_start", "strategy_discussion"]


def _d(value: _dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _date(value: Any) -> _dt.date | None:
    return _dt.date.fromisoformat(value) if value else None


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem in a source file, where it was found, and for which child.

    Census problems carry ``line`` and ``element``; Annex A problems ``sheet``, ``row``
    and ``column`` (the header as written). ``severity`` is ``error`` when the value could
    not be used, ``warning`` when it was used but looks wrong.
    """

    code: str
    message: str
    file: str | None = None
    child_id: str | None = None
    line: int | None = None
    element: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    severity: Literal["error", "warning"] = "error"

    def where(self) -> str:
        """``file:line element`` or ``file sheet, row N, column C``."""
        parts = [self.file or "<input>"]
        if self.line is not None:
            parts[0] += f":{self.line}"
        if self.element:
            parts.append(self.element)
        if self.sheet:
            parts.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column '{self.column}'")
        return ", ".join(parts)

    def format(self) -> str:
        """One line: where, child, code and message."""
        child = f" child {self.child_id}:" if self.child_id else ""
        return f"{self.where()}:{child} {self.severity} {self.code}: {self.message}"

    def to_json(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__slots__ if getattr(self, k) is not None}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Problem:
        return cls(**data)


@dataclass(frozen=True, slots=True)
class Icpc:
    """One initial-conference timescale as the source states it.

    ``anchor`` is the section 47 start (census, ``S47ActualStartDate``) or the strategy
    discussion initiating the enquiry (Annex A); ``conference`` the initial conference, if
    held; ``target`` the census's ``InitialCPCtarget``; ``not_required`` that the enquiry
    found no conference needed.
    """

    anchor: _dt.date
    anchor_kind: AnchorKind
    conference: _dt.date | None = None
    target: _dt.date | None = None
    not_required: bool = False
    line: int | None = None
    row: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"anchor": self.anchor.isoformat(), "anchor_kind": self.anchor_kind,
                "conference": _d(self.conference), "target": _d(self.target),
                "not_required": self.not_required, "line": self.line, "row": self.row}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Icpc:
        return cls(anchor=_dt.date.fromisoformat(data["anchor"]),
                   anchor_kind=data["anchor_kind"], conference=_date(data.get("conference")),
                   target=_date(data.get("target")),
                   not_required=bool(data.get("not_required")),
                   line=data.get("line"), row=data.get("row"))


@dataclass(frozen=True, slots=True)
class PlanSpan:
    """A child protection plan: start, end (None while open), reviews known."""

    start: _dt.date
    end: _dt.date | None = None
    reviews: tuple[_dt.date, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start.isoformat(), "end": _d(self.end),
                "reviews": [r.isoformat() for r in self.reviews]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PlanSpan:
        return cls(start=_dt.date.fromisoformat(data["start"]), end=_date(data.get("end")),
                   reviews=tuple(_dt.date.fromisoformat(r) for r in data.get("reviews", ())))


@dataclass(frozen=True, slots=True)
class ChildRecord:
    """One child read from a source: the case, the audit's facts and the problems."""

    source: SourceKind
    child_id: str
    case: dict[str, Any] | None
    file: str | None = None
    line: int | None = None
    sheet_rows: tuple[str, ...] = ()
    extract_date: _dt.date | None = None
    team: str | None = None
    worker: str | None = None
    icpcs: tuple[Icpc, ...] = ()
    plans: tuple[PlanSpan, ...] = ()
    last_visit: _dt.date | None = None
    problems: tuple[Problem, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        """The JSON Lines record written by ``cprules import``."""
        return {
            "record": RECORD_FORMAT,
            "source": self.source,
            "child_id": self.child_id,
            "file": self.file,
            "line": self.line,
            "sheet_rows": list(self.sheet_rows),
            "extract_date": _d(self.extract_date),
            "team": self.team,
            "worker": self.worker,
            "icpcs": [i.to_json() for i in self.icpcs],
            "plans": [p.to_json() for p in self.plans],
            "last_visit": _d(self.last_visit),
            "problems": [p.to_json() for p in self.problems],
            "case": self.case,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ChildRecord:
        """Read back a record written by :meth:`to_json`."""
        return cls(
            source=data["source"],
            child_id=str(data["child_id"]),
            case=data.get("case"),
            file=data.get("file"),
            line=data.get("line"),
            sheet_rows=tuple(data.get("sheet_rows", ())),
            extract_date=_date(data.get("extract_date")),
            team=data.get("team"),
            worker=data.get("worker"),
            icpcs=tuple(Icpc.from_json(i) for i in data.get("icpcs", ())),
            plans=tuple(PlanSpan.from_json(p) for p in data.get("plans", ())),
            last_visit=_date(data.get("last_visit")),
            problems=tuple(Problem.from_json(p) for p in data.get("problems", ())),
        )
