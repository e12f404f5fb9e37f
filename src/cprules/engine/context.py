"""What a rule kind sees while it evaluates one child, and the findings it builds."""

from __future__ import annotations

import datetime as _dt
from bisect import bisect_right
from typing import Any, NamedTuple, TypeVar

from pydantic import BaseModel

from .. import calendar as _calendar
from ..calendar import add_working_days
from ..errors import CalendarRangeError
from ..model.base import Citation
from ..model.duration import Duration, Unit
from ..model.results import (
    CheckResult,
    DataQuality,
    Deadline,
    Obligation,
    Status,
    Violation,
)
from ..model.rules import DurationVersion
from ..timescales import Due, add, subtract
from .compiled import Compiled
from .construct import make, make_from
from .timeline import Ev, Timeline

__all__ = ["CannotDate", "Computed", "Ctx", "DateProblem", "Unknown", "make", "status_of"]

_M = TypeVar("_M", bound=BaseModel)

#: Errors of date arithmetic that become an ``outside_calendar`` finding, not a crash:
#: the working-day calendar's years, and the ends of the date range (years 1 and 9999).
DateProblem = (CalendarRangeError, OverflowError, ValueError)
#: Those, and a timescale with no version in force on the day (``no_version_in_force``).
CannotDate = (*DateProblem, LookupError)


_fromordinal = _dt.date.fromordinal
# The calendar's working days as sorted day numbers, and the first and last day it covers
# (cprules.calendar builds them once, on first use): the engine adds working days with
# one bisection, as calendar.add_working_days does.
_CALENDAR: tuple[list[int], int, int] | None = None


def _calendar_days() -> tuple[list[int], int, int]:
    global _CALENDAR
    _CALENDAR = (_calendar._tables()[1], _dt.date(_calendar.FIRST_YEAR, 1, 1).toordinal(),
                 _dt.date(_calendar.LAST_YEAR, 12, 31).toordinal())
    return _CALENDAR


class Unknown(Exception):
    """A part of a due date depends on an event that has not happened yet."""


class Computed(NamedTuple):
    """A due date and how it was worked out."""

    due: Due
    basis: str
    duration: str | None
    version: DurationVersion | None


def status_of(due: Due, met: Ev | None, as_of: _dt.date) -> Status:
    if met is not None:
        if due.at is None or met.at is None:  # by the day
            return "met" if met.date <= due.date else "met_late"
        return "met" if due.met_by(met.date, met.at) else "met_late"
    return "overdue" if as_of > due.date else "pending"


def _template(rule: Any, v: DurationVersion | None) -> dict[str, Any]:
    """The fields of a deadline that follow from its rule and the version applied, in the
    order of the model's fields (the others are filled in per deadline)."""
    return {
        "finding": "deadline", "children": (), "rule_id": rule.id,
        "title": rule.title, "responsible": rule.responsible, "due": None, "due_at": None,
        "status": None, "met_by": None, "trigger": None, "basis": None, "duration": None,
        "group": None, "version_from": v.from_ if v else None, "severity": rule.severity,
        "citation": v.source if v is not None and v.source is not None else rule.source,
        "note": v.note if v is not None and v.note else rule.note}


class Ctx:
    """One child's timeline under one compiled ruleset, as of a date."""

    __slots__ = ("as_of", "children", "comp", "month_end", "tl")

    def __init__(self, tl: Timeline, comp: Compiled, as_of: _dt.date) -> None:
        self.tl = tl
        self.comp = comp
        self.as_of = as_of
        self.month_end = comp.ruleset.month_end
        self.children: tuple[str, ...] = (tl.child.id,)

    # --- arithmetic ---------------------------------------------------------------------

    def add(self, day: _dt.date, d: Duration, at: _dt.datetime | None = None) -> Due:
        unit = d.unit
        if unit is Unit.WORKING_DAYS:  # the common case: one bisection of the calendar
            o = day.toordinal()
            n = d.count
            working, lo, hi = _CALENDAR or _calendar_days()
            if n > 0 and lo <= o <= hi:
                i = bisect_right(working, o) - 1 + n
                if i < len(working):
                    return Due(_fromordinal(working[i]))
            return Due(add_working_days(day, n))  # n = 0, or the edges: it says why
        if unit is Unit.DAYS or unit is Unit.WEEKS:
            try:
                return Due(day + _dt.timedelta(days=d.count * (7 if unit is Unit.WEEKS else 1)))
            except OverflowError:
                pass  # timescales.add says why, as a CalendarRangeError
        return add(day, d, at=at, month_end=self.month_end)

    def subtract(self, day: _dt.date, d: Duration, at: _dt.datetime | None = None) -> Due:
        return subtract(day, d, at=at, month_end=self.month_end)

    # --- findings -------------------------------------------------------------------------

    def deadline(self, rule: Any, c: Computed, status: Status, met: Ev | None,
                 trig: Ev | None, group: str | None = None) -> Deadline:
        """A deadline finding: the fields that follow from the rule (and the version of
        its timescale) come from a template made once per rule and version."""
        version = c.version
        key = (id(rule), id(version))  # both held by the compiled ruleset
        templates = self.comp.templates
        template = templates.get(key)
        if template is None:
            template = templates[key] = _template(rule, version)
        fields = template.copy()
        fields["children"] = self.children
        fields["due"] = c.due.date
        fields["due_at"] = c.due.at
        fields["status"] = status
        fields["met_by"] = met.ref if met is not None else None
        fields["trigger"] = trig.ref if trig is not None else None
        fields["basis"] = c.basis
        fields["duration"] = c.duration
        fields["group"] = group
        return make_from(Deadline, fields)

    def obligation(self, rule_id: str, message: str, responsible: str | None,
                   due: _dt.date | None, citation: Citation) -> Obligation:
        return make(Obligation,
            finding="obligation", children=self.children, rule_id=rule_id, message=message,
            responsible=responsible, due=due, citation=citation)

    def violation(self, rule_id: str, message: str, severity: str, due: _dt.date | None,
                  evidence: tuple[Any, ...], citation: Citation) -> Violation:
        return make(Violation,
            finding="violation", children=self.children, rule_id=rule_id, message=message,
            severity=severity, due=due, evidence=evidence, citation=citation)

    def check(self, rule: Any, subject: Ev, passed: bool, detail: str) -> CheckResult:
        return make(CheckResult,
            finding="check", children=self.children, rule_id=rule.id, title=rule.title,
            subject=subject.ref, passed=passed, detail=detail, citation=rule.source)

    def quality(self, code: str, message: str, ev: Ev | None) -> DataQuality:
        return make(DataQuality,
            finding="data_quality", children=self.children, code=code, message=message,
            event=ev.ref if ev is not None else None)

    def date_problem(self, rule: Any, ev: Ev, exc: Exception) -> DataQuality:
        """A due date that cannot be worked out: outside the calendar, or no version of
        the timescale in force."""
        if isinstance(exc, LookupError):
            return self.quality("no_version_in_force", f"rule {rule.id}: {exc}", ev)
        if isinstance(exc, CalendarRangeError):
            why = f"{exc.message} ({exc.suggestion})"
        else:
            why = "the date falls outside the range of dates (years 1 to 9999)"
        return self.quality(
            "outside_calendar",
            f"rule {rule.id}: cannot work out the due date from {ev.describe()}: {why}", ev)
