"""Duration arithmetic and the value in force on a date.

The semantics are written down, with worked examples, in ``docs/semantics.md``:

- "within N working days of X": the N-th working day after X; X itself is not counted
  and may be a weekend or bank holiday.
- "at least N working days before C": the N-th working day before C.
- "N days": calendar days; "N weeks": 7N calendar days.
- "N months": the same day N months on (dateutil ``relativedelta``), clipped to the last
  day of the month when that day does not exist (31 Jan + 1 month = 28/29 Feb). Never
  rolled to a working day.
- "N hours": from a timed event, exactly N hours later. From a date-only event the time
  is unknown, so the due day is the day on which N hours would end if counted from the
  last moment of that day: the date plus ceil(N / 24) days (24 hours from a Monday is due
  by the end of Tuesday).
- "whichever is sooner / later": the earlier / later of the candidate due dates.

A result outside the dates Python can hold (before year 1 or after 9999: "3 months after
9999-11-01") raises :class:`~cprules.errors.CalendarRangeError`, as working days outside
the calendar's years do.
"""

from __future__ import annotations

import datetime as _dt
import math
from typing import NamedTuple

from dateutil.relativedelta import relativedelta

from . import calendar
from .errors import CalendarRangeError
from .model.duration import Duration, Unit
from .model.ruleset import DurationVersion
from .model.times import uk_time

__all__ = [
    "Due",
    "add",
    "in_force",
    "later",
    "sooner",
    "subtract",
]


class Due(NamedTuple):
    """A due day, and the exact moment when the timescale is in hours of a timed event."""

    date: _dt.date
    at: _dt.datetime | None = None

    def met_by(self, day: _dt.date, moment: _dt.datetime | None = None) -> bool:
        """True when something done on ``day`` (at ``moment``) is on time."""
        if self.at is not None and moment is not None:
            return uk_time(moment) <= self.at
        return day <= self.date


def _shift(
    day: _dt.date, moment: _dt.datetime | None, duration: Duration, sign: int, month_end: str
) -> Due:
    try:
        return _shift_unchecked(day, moment, duration, sign, month_end)
    except (OverflowError, ValueError) as exc:
        if isinstance(exc, ValueError) and "month_end" in str(exc):  # pragma: no cover
            raise
        direction = "after" if sign > 0 else "before"
        raise CalendarRangeError(
            f"{duration} {direction} {day.isoformat()} falls outside the dates that can "
            "be computed",
            first_year=_dt.MINYEAR,
            last_year=_dt.MAXYEAR,
            suggestion=f"dates run from year {_dt.MINYEAR} to {_dt.MAXYEAR}: check the year",
        ) from None


def _shift_unchecked(
    day: _dt.date, moment: _dt.datetime | None, duration: Duration, sign: int, month_end: str
) -> Due:
    n = duration.count * sign
    unit = duration.unit
    if unit is Unit.WORKING_DAYS:
        return Due(calendar.add_working_days(day, n))
    if unit is Unit.DAYS:
        return Due(day + _dt.timedelta(days=n))
    if unit is Unit.WEEKS:
        return Due(day + _dt.timedelta(weeks=n))
    if unit is Unit.MONTHS:
        if month_end != "clip":  # pragma: no cover - the model admits only "clip"
            raise ValueError(f"unknown month_end policy {month_end!r}")
        return Due(day + relativedelta(months=n))
    # hours
    if moment is not None:
        # elapsed time: counted on the UTC time line, shown in UK local time
        at = uk_time(uk_time(moment).astimezone(_dt.UTC) + _dt.timedelta(hours=n))
        return Due(at.date(), at)
    days = math.ceil(duration.count / 24) * sign
    return Due(day + _dt.timedelta(days=days))


def add(
    day: _dt.date,
    duration: Duration,
    *,
    at: _dt.datetime | None = None,
    month_end: str = "clip",
) -> Due:
    """When something due "within ``duration`` of" ``day`` (at ``at``) falls due."""
    return _shift(day, at, duration, +1, month_end)


def subtract(
    day: _dt.date,
    duration: Duration,
    *,
    at: _dt.datetime | None = None,
    month_end: str = "clip",
) -> Due:
    """The latest day that is "at least ``duration`` before" ``day``."""
    return _shift(day, at, duration, -1, month_end)


def _order(d: Due) -> tuple[_dt.date, float]:
    # a timed due moment on a day is sooner than an untimed due on the same day
    return (d.date, d.at.timestamp() if d.at is not None else math.inf)


def sooner(*dues: Due) -> Due:
    """The earliest of several due dates ("whichever is sooner")."""
    return min(dues, key=_order)


def later(*dues: Due) -> Due:
    """The latest of several due dates ("whichever is later")."""
    return max(dues, key=_order)


def in_force(
    value: Duration | tuple[DurationVersion, ...], on: _dt.date
) -> tuple[Duration, DurationVersion | None]:
    """The duration in force on ``on``, and the dated version it came from (``None`` for an
    unversioned value).

    Versions are checked for gaps and overlaps when the ruleset loads. A date before the
    first version's ``from`` takes the first version only when that version has no
    ``from`` (in force since before the revisions the ruleset records); otherwise it is an
    error, as is a date after the last version's ``until``.
    """
    if isinstance(value, Duration):
        return value, None
    for v in value:
        starts = v.from_ is None or v.from_ <= on
        ends = v.until is None or on <= v.until
        if starts and ends:
            return v.value, v
    first, last = value[0], value[-1]
    if first.from_ is not None and on < first.from_:
        raise LookupError(f"no version in force on {on}: the first starts {first.from_}")
    raise LookupError(f"no version in force on {on}: the last ended {last.until}")
