"""From the facts a source gives about one child to a ``cprules-case/1`` case.

Both readers (census and Annex A) reduce a child to :class:`ChildFacts`; :func:`build`
turns them into the case's children and events, the :class:`~.records.Icpc` and
:class:`~.records.PlanSpan` facts the audit's key figures use, and the problems that only
show once the whole child has been read (a plan before the child's birth with no
pre-birth conference, a review outside its plan, a conference before its enquiry).
The mapping is documented, element by element and column by column, in
``docs/data-sources.md``.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any

from .records import AnchorKind, ChildRecord, Icpc, PlanSpan, Problem, SourceKind

__all__ = ["ChildFacts", "PlanFacts", "S47Facts", "build"]

#: Where a fact was read, as keyword arguments of :class:`Problem` (line and element,
#: or sheet, row and column).
Loc = dict[str, Any]

INFERRED_NOTE = ("taken from the plan's start date: the source records no conference "
                 "on that day")
UNANCHORED_NOTE = ("the start of its section 47 enquiry could not be read from the source")
CENSUS_ANCHOR_NOTE = ("section 47 start (S47ActualStartDate): the census records no "
                      "strategy discussion date")


@dataclass
class S47Facts:
    """A section 47 enquiry and its initial conference."""

    start: _dt.date
    anchor_kind: AnchorKind
    loc: Loc
    conference: _dt.date | None = None
    target: _dt.date | None = None
    not_required: bool = False
    made_plan: bool | None = None  # Annex A states it; the census leaves it to the plans


@dataclass
class PlanFacts:
    """A child protection plan and what the source knows of it."""

    start: _dt.date
    loc: Loc
    end: _dt.date | None = None
    initial_category: str | None = None
    latest_category: str | None = None
    reviews: list[_dt.date] = field(default_factory=list)
    last_visit: _dt.date | None = None
    seen_alone: bool | None = None


@dataclass
class ChildFacts:
    """Everything a source says about one child that the case format can use."""

    child_id: str
    loc: Loc
    date_of_birth: _dt.date | None = None
    expected_birth: _dt.date | None = None
    death: _dt.date | None = None
    s47s: list[S47Facts] = field(default_factory=list)
    other_conferences: list[tuple[_dt.date, Loc]] = field(default_factory=list)
    #: Initial conferences of enquiries whose start could not be read (a bad date): the
    #: conference is kept, with its outcome where the source states it.
    unanchored: list[tuple[_dt.date, bool | None, Loc]] = field(default_factory=list)
    plans: list[PlanFacts] = field(default_factory=list)
    team: str | None = None
    worker: str | None = None
    problems: list[Problem] = field(default_factory=list)


def _categories(category: str | None) -> list[str]:
    return [category] if category and category != "multiple" else []


class _Builder:
    def __init__(self, facts: ChildFacts, source: SourceKind, file: str | None) -> None:
        self.f = facts
        self.source = source
        self.file = file
        self.events: list[dict[str, Any]] = []
        self.conferences: dict[_dt.date, dict[str, Any]] = {}
        self.problems = list(facts.problems)
        self.inferred: set[_dt.date] = set()

    def problem(self, code: str, message: str, loc: Loc, severity: str = "warning") -> None:
        self.problems.append(Problem(code=code, message=message, file=self.file,
                                     child_id=self.f.child_id, severity=severity,  # type: ignore[arg-type]
                                     **loc))

    def _kind(self, day: _dt.date, default: str) -> str:
        dob = self.f.date_of_birth
        if (dob is not None and day < dob) or (dob is None and self.f.expected_birth):
            return "pre_birth"
        return default

    def conference(self, day: _dt.date, kind: str) -> dict[str, Any]:
        if day in self.conferences:
            return self.conferences[day]
        ev: dict[str, Any] = {"id": f"icpc-{len(self.conferences) + 1}", "type": "conference",
                              "kind": self._kind(day, kind), "date": day.isoformat()}
        self.conferences[day] = ev
        self.events.append(ev)
        return ev

    def enquiries(self) -> list[Icpc]:
        icpcs = []
        note = CENSUS_ANCHOR_NOTE if self.source == "cin" else None
        for n, s in enumerate(self.f.s47s, start=1):
            sd: dict[str, Any] = {"id": f"s47-{n}", "type": "strategy_discussion",
                                  "date": s.start.isoformat(), "s47_initiated": True}
            if note:
                sd["note"] = note
            self.events.append(sd)
            if s.not_required:
                self.events.append({"type": "s47_concluded", "date": s.start.isoformat(),
                                    "icpc_required": False,
                                    "note": "no conference needed; the source gives no date "
                                            "for the conclusion, the enquiry's start is used"})
                if s.conference:
                    self.problem("icpc_not_required_but_held", "the enquiry is marked as "
                                 "needing no initial conference, yet one is dated "
                                 f"{s.conference}", s.loc)
            if s.conference:
                if s.conference < s.start:
                    self.problem("conference_before_enquiry", f"initial conference on "
                                 f"{s.conference} is before the enquiry started on {s.start}",
                                 s.loc)
                ev = self.conference(s.conference, "initial")
                if s.made_plan is not None:
                    ev["outcome"] = "plan" if s.made_plan else "no_plan"
            icpcs.append(Icpc(anchor=s.start, anchor_kind=s.anchor_kind,
                              conference=s.conference, target=s.target,
                              not_required=s.not_required, line=s.loc.get("line"),
                              row=s.loc.get("row")))
        for day, made_plan, _loc in self.f.unanchored:
            ev = self.conference(day, "initial")
            ev.setdefault("note", UNANCHORED_NOTE)
            if made_plan is not None:
                ev["outcome"] = "plan" if made_plan else "no_plan"
        for day, _loc in self.f.other_conferences:
            self.conference(day, "transfer_in")
        return icpcs

    def plan(self, p: PlanFacts) -> PlanSpan:
        ev = self.conferences.get(p.start)
        if ev is not None:
            if ev.get("outcome") == "no_plan":
                self.problem("plan_without_conference_plan", f"a plan starts on {p.start}, "
                             "the day of a conference recorded as not making one", p.loc)
            ev["outcome"] = "plan"
            if _categories(p.initial_category):
                ev["categories"] = _categories(p.initial_category)
        else:
            # A plan starts at a conference; the source names none on that day, so the
            # conference is taken from the plan's start (marked in its note).
            ev = self.conference(p.start, "initial")
            ev["outcome"] = "plan"
            ev["note"] = INFERRED_NOTE
            self.inferred.add(p.start)
            if _categories(p.initial_category):
                ev["categories"] = _categories(p.initial_category)
        dob = self.f.date_of_birth
        if dob is not None and p.start < dob and not any(
            c["kind"] == "pre_birth" and day <= p.start and day not in self.inferred
            for day, c in self.conferences.items()
        ):
            self.problem("plan_before_birth", f"the plan starts on {p.start}, before the "
                         f"date of birth {dob}, and no pre-birth conference is recorded",
                         p.loc)
        if p.end is not None and p.end < p.start:
            self.problem("plan_ends_before_start", f"the plan ends on {p.end}, before it "
                         f"starts on {p.start}", p.loc, "error")
        reviews = sorted(set(p.reviews))
        for i, day in enumerate(reviews):
            if day < p.start or (p.end is not None and day > p.end):
                self.problem("review_outside_plan", f"review conference on {day} is outside "
                             f"the plan ({p.start} to {p.end or 'open'})", p.loc)
            rev: dict[str, Any] = {"type": "conference", "kind": "review",
                                   "date": day.isoformat(),
                                   "outcome": "no_plan" if day == p.end else "plan"}
            if i == len(reviews) - 1 and _categories(p.latest_category) and (
                    p.latest_category != p.initial_category):
                rev["categories"] = _categories(p.latest_category)
            self.events.append(rev)
        end = p.end
        death = self.f.death
        if end is not None and end not in reviews and end not in self.conferences:
            reason = "died" if death == end else "other"
            self.events.append({"type": "plan_end", "date": end.isoformat(), "reason": reason})
        elif end is None and death is not None and death >= p.start:
            self.events.append({"type": "plan_end", "date": death.isoformat(),
                                "reason": "died"})
        if p.last_visit is not None:
            visit: dict[str, Any] = {"type": "visit", "date": p.last_visit.isoformat()}
            if p.seen_alone is not None:
                visit["seen_alone"] = p.seen_alone
            self.events.append(visit)
        return PlanSpan(start=p.start, end=p.end, reviews=tuple(reviews))


def build(facts: ChildFacts, source: SourceKind, *, file: str | None,
          extract_date: _dt.date | None) -> ChildRecord:
    """The :class:`ChildRecord` of one child's facts."""
    b = _Builder(facts, source, file)
    icpcs = b.enquiries()
    plans = tuple(b.plan(p) for p in sorted(facts.plans, key=lambda p: p.start))
    visits = [p.last_visit for p in facts.plans if p.last_visit is not None]
    case: dict[str, Any] | None = None
    if facts.date_of_birth is None and facts.expected_birth is None:
        b.problem("no_birth_date", "neither a date of birth nor an expected date of birth: "
                  "the child cannot be evaluated", facts.loc, "error")
    else:
        child: dict[str, Any] = {"id": facts.child_id}
        if facts.date_of_birth:
            child["date_of_birth"] = facts.date_of_birth.isoformat()
        if facts.expected_birth:
            child["expected_date_of_delivery"] = facts.expected_birth.isoformat()
        case = {"format": "cprules-case/1", "id": facts.child_id, "children": [child],
                "events": b.events}
        if extract_date:
            case["as_of"] = extract_date.isoformat()
    locs = [s.loc for s in facts.s47s] + [p.loc for p in facts.plans]
    rows = tuple(f"{loc['sheet']}:{loc['row']}" for loc in locs if "row" in loc)
    return ChildRecord(
        source=source, child_id=facts.child_id, case=case, file=file,
        line=facts.loc.get("line"), sheet_rows=rows, extract_date=extract_date,
        team=facts.team, worker=facts.worker, icpcs=tuple(icpcs), plans=plans,
        last_visit=max(visits) if visits else None, problems=tuple(b.problems),
    )
