"""The audit's key figures, worked out per child and added up (overall, by team, worker).

- **Initial-conference timeliness**: working days from the anchor (Annex A: the strategy
  discussion; the census: the section 47 start, DfE's own measure) to the initial
  conference, in DfE's bands 0-10, 11-15, 16-20 and 21+ (Characteristics of children in
  need, table C4), and the share within 15 working days.
- **Reviews** within timescale: the ruleset's first-review and later-review deadlines,
  met on time against met late or overdue.
- **Plans lasting two years or more**: open on the as-of date, or ended, after two years.
- **Statutory visits overdue** on the extract date (Annex A): the last visit plus the
  ruleset's visit interval, for plans still open then.
- **InitialCPCtarget** (census): every target that is not the 15th working day after the
  section 47 start.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, fields

from dateutil.relativedelta import relativedelta

from cprules import calendar
from cprules.errors import CalendarRangeError

from ..sources.records import ChildRecord

__all__ = ["BANDS", "ChildStats", "Figures", "Tally", "TargetMismatch", "band_of",
           "child_stats", "target_check"]

BANDS: tuple[str, ...] = ("0-10", "11-15", "16-20", "21+")
TWO_YEARS = relativedelta(years=2)


def band_of(days: int) -> int:
    """Index in :data:`BANDS` of a count of working days."""
    return 0 if days <= 10 else 1 if days <= 15 else 2 if days <= 20 else 3


@dataclass(frozen=True, slots=True)
class TargetMismatch:
    """A census ``InitialCPCtarget`` that is not the 15th working day after the section 47
    start. ``off_by`` is in working days (negative: the target is too early)."""

    child_id: str
    line: int | None
    s47_start: _dt.date
    target: _dt.date
    expected: _dt.date
    off_by: int
    holidays: tuple[str, ...]

    def explain(self) -> str:
        early = "early" if self.off_by < 0 else "late"
        text = (f"{self.target} is {abs(self.off_by)} working day"
                f"{'s' if abs(self.off_by) != 1 else ''} {early}: the 15th working day "
                f"after {self.s47_start} is {self.expected}")
        if self.holidays:
            text += f" ({'; '.join(self.holidays)} not counted)"
        return text


def target_check(record: ChildRecord) -> tuple[int, int, list[TargetMismatch]]:
    """(targets checked, not checkable, the wrong ones) for one census child."""
    checked = unchecked = 0
    wrong: list[TargetMismatch] = []
    for icpc in record.icpcs:
        if icpc.target is None or icpc.anchor_kind != "s47_start":
            continue
        try:
            expected = calendar.add_working_days(icpc.anchor, 15)
            off = calendar.working_days_between(expected, icpc.target)
        except CalendarRangeError:
            unchecked += 1
            continue
        checked += 1
        if icpc.target != expected:
            last = max(icpc.target, expected)
            holidays = tuple(f"{name} {day}" for day, name in calendar.bank_holidays().items()
                             if icpc.anchor <= day <= last)
            wrong.append(TargetMismatch(record.child_id, icpc.line, icpc.anchor, icpc.target,
                                        expected, off, holidays))
    return checked, unchecked, wrong


@dataclass(frozen=True, slots=True)
class ChildStats:
    """The key-figure facts of one child (added up by :class:`Tally`)."""

    evaluated: bool
    overdue: int
    violations: int
    problems: int
    icpc_days: tuple[int, ...] = ()
    icpc_awaiting: int = 0
    icpc_awaiting_overdue: int = 0
    icpc_not_required: int = 0
    icpc_uncomputable: int = 0
    first_reviews_in_time: int = 0
    first_reviews_late: int = 0
    later_reviews_in_time: int = 0
    later_reviews_late: int = 0
    plans: int = 0
    plans_open: int = 0
    plans_2y_open: int = 0
    plans_2y_ended: int = 0
    visit_checked: bool = False
    visit_overdue: bool = False
    visit_due: _dt.date | None = None
    targets_checked: int = 0
    targets_wrong: int = 0


def child_stats(record: ChildRecord, as_of: _dt.date, *, evaluated: bool, overdue: int,
                violations: int, reviews: tuple[int, int, int, int],
                visit_due: _dt.date | None) -> ChildStats:
    """The figures of one child from its source facts and its (filtered) findings.

    ``reviews`` is (first in time, first late, later in time, later late) from the
    evaluation; ``visit_due`` the next statutory visit due after the last one, for a child
    on a plan on the as-of date when the source lists visits and the ruleset sets an
    interval (None otherwise).
    """
    days: list[int] = []
    awaiting = awaiting_overdue = not_required = uncomputable = 0
    for icpc in record.icpcs:
        if icpc.not_required:
            not_required += 1
        elif icpc.conference is not None and icpc.conference <= as_of:
            try:
                wd = calendar.working_days_between(icpc.anchor, icpc.conference)
            except CalendarRangeError:
                uncomputable += 1
                continue
            if wd < 0:
                uncomputable += 1
            else:
                days.append(wd)
        elif icpc.anchor <= as_of:
            awaiting += 1
            try:
                if calendar.add_working_days(icpc.anchor, 15) < as_of:
                    awaiting_overdue += 1
            except CalendarRangeError:
                uncomputable += 1
    plans_open = open_2y = ended_2y = 0
    for plan in record.plans:
        if plan.start > as_of:
            continue
        if plan.end is None or plan.end > as_of:
            plans_open += 1
            open_2y += plan.start + TWO_YEARS <= as_of
        elif plan.start + TWO_YEARS <= plan.end:
            ended_2y += 1
    checked, _unchecked, wrong = target_check(record) if record.source == "cin" else (0, 0, [])
    return ChildStats(
        evaluated=evaluated, overdue=overdue, violations=violations,
        problems=len(record.problems), icpc_days=tuple(days), icpc_awaiting=awaiting,
        icpc_awaiting_overdue=awaiting_overdue, icpc_not_required=not_required,
        icpc_uncomputable=uncomputable, first_reviews_in_time=reviews[0],
        first_reviews_late=reviews[1], later_reviews_in_time=reviews[2],
        later_reviews_late=reviews[3], plans=len(record.plans), plans_open=plans_open,
        plans_2y_open=open_2y, plans_2y_ended=ended_2y,
        visit_checked=visit_due is not None,
        visit_overdue=visit_due is not None and visit_due < as_of, visit_due=visit_due,
        targets_checked=checked, targets_wrong=len(wrong),
    )


@dataclass(frozen=True, slots=True)
class Figures:
    """The key figures of a set of children (all of them, a team's, a worker's)."""

    children: int = 0
    evaluated: int = 0
    errors: int = 0
    children_with_findings: int = 0
    overdue: int = 0
    violations: int = 0
    problems: int = 0
    icpc_held: int = 0
    icpc_bands: tuple[int, int, int, int] = (0, 0, 0, 0)
    icpc_within_15: int = 0
    icpc_awaiting: int = 0
    icpc_awaiting_overdue: int = 0
    icpc_not_required: int = 0
    icpc_uncomputable: int = 0
    first_reviews_in_time: int = 0
    first_reviews_late: int = 0
    later_reviews_in_time: int = 0
    later_reviews_late: int = 0
    plans: int = 0
    plans_open: int = 0
    plans_2y_open: int = 0
    plans_2y_ended: int = 0
    visits_checked: int = 0
    visits_overdue: int = 0
    targets_checked: int = 0
    targets_wrong: int = 0

    @property
    def icpc_share_within_15(self) -> float | None:
        """Share of initial conferences held within 15 working days (None: none held)."""
        return self.icpc_within_15 / self.icpc_held if self.icpc_held else None

    @property
    def plans_2y(self) -> int:
        """Plans lasting two years or more (open or ended)."""
        return self.plans_2y_open + self.plans_2y_ended

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {f.name: getattr(self, f.name) for f in fields(self)}
        out["icpc_bands"] = dict(zip(BANDS, self.icpc_bands, strict=True))
        share = self.icpc_share_within_15
        out["icpc_share_within_15"] = round(share, 4) if share is not None else None
        out["plans_2y"] = self.plans_2y
        return out


class Tally:
    """Adds up :class:`ChildStats` into :class:`Figures`."""

    def __init__(self) -> None:
        self._n: dict[str, int] = {f.name: 0 for f in fields(Figures) if f.name != "icpc_bands"}
        self._bands = [0, 0, 0, 0]

    def add(self, s: ChildStats) -> None:
        n = self._n
        n["children"] += 1
        n["evaluated"] += s.evaluated
        n["errors"] += not s.evaluated
        n["children_with_findings"] += bool(s.overdue or s.violations)
        for name in ("overdue", "violations", "problems", "icpc_awaiting",
                     "icpc_awaiting_overdue", "icpc_not_required", "icpc_uncomputable",
                     "first_reviews_in_time", "first_reviews_late", "later_reviews_in_time",
                     "later_reviews_late", "plans", "plans_open", "plans_2y_open",
                     "plans_2y_ended", "targets_checked", "targets_wrong"):
            n[name] += getattr(s, name)
        n["visits_checked"] += s.visit_checked
        n["visits_overdue"] += s.visit_overdue
        for days in s.icpc_days:
            n["icpc_held"] += 1
            n["icpc_within_15"] += days <= 15
            self._bands[band_of(days)] += 1

    def figures(self) -> Figures:
        b = self._bands
        return Figures(icpc_bands=(b[0], b[1], b[2], b[3]), **self._n)
