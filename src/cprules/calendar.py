"""Working days in England and Wales.

A working day is Monday to Friday, except the bank holidays of England and Wales. These
are not the all-UK set: Scotland's 2 January and St Andrew's Day and Northern Ireland's
St Patrick's Day and 12 July are working days here.

The holidays come from workalendar's ``UnitedKingdom`` rules, corrected for the one-off
bank holidays it lacks (``ONE_OFF_CORRECTIONS``: workalendar 17 misses the coronation of
King Charles III on 8 May 2023). The result is checked, day by day, against the official
GOV.UK list in the test suite.

The calendar covers the years ``FIRST_YEAR`` to ``LAST_YEAR`` and refuses to compute
outside them (:class:`~cprules.errors.CalendarRangeError`): a one-off bank holiday can be
announced for any future year, so a date beyond the published list would be a guess.

Everything is precomputed once into a sorted array of working-day ordinals, so each call
is a bisection (about a microsecond), not a day-by-day walk.

Conventions (see ``docs/semantics.md``):

- ``add_working_days(d, n)`` for ``n > 0`` is the n-th working day after ``d``; ``d``
  itself is never counted and may be a weekend or holiday. For ``n < 0`` it is the |n|-th
  working day before ``d``. ``n == 0`` returns ``d`` unchanged.
- ``working_days_between(a, b)`` counts the working days in ``(a, b]`` when ``a <= b``
  and is minus the count of ``[b, a)`` when ``b < a``; so
  ``working_days_between(d, add_working_days(d, n)) == n`` for every ``d`` and ``n``.
"""

from __future__ import annotations

import datetime as _dt
from bisect import bisect_left, bisect_right
from functools import cache

from .errors import CalendarRangeError

__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "ONE_OFF_CORRECTIONS",
    "add_working_days",
    "bank_holidays",
    "covers",
    "is_bank_holiday",
    "is_working_day",
    "working_days_between",
]

#: First and last year the calendar covers. LAST_YEAR is the last year of the official
#: GOV.UK list at the time of release; extend it when GOV.UK publishes the next year.
FIRST_YEAR = 2010
LAST_YEAR = 2028

#: One-off bank holidays in England and Wales that workalendar's rules do not produce,
#: as (date, name). Checked against the official list by the test suite.
ONE_OFF_CORRECTIONS: tuple[tuple[_dt.date, str], ...] = (
    (_dt.date(2023, 5, 8), "Bank holiday for the coronation of King Charles III"),
)

# Days workalendar's UnitedKingdom calendar lists that are not bank holidays in England
# and Wales on a weekday. None are known today; kept so a correction is data, not code.
_NOT_BANK_HOLIDAYS: frozenset[_dt.date] = frozenset()


@cache
def _tables() -> tuple[dict[_dt.date, str], list[int], frozenset[int]]:
    from workalendar.europe import UnitedKingdom

    cal = UnitedKingdom()
    holidays: dict[_dt.date, str] = {}
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        for day, name in cal.holidays(year):
            if day.weekday() < 5 and day not in _NOT_BANK_HOLIDAYS:
                holidays.setdefault(day, str(name))
    for day, name in ONE_OFF_CORRECTIONS:
        if FIRST_YEAR <= day.year <= LAST_YEAR:
            holidays[day] = name
    start = _dt.date(FIRST_YEAR, 1, 1).toordinal()
    end = _dt.date(LAST_YEAR, 12, 31).toordinal()
    hol_ordinals = {d.toordinal() for d in holidays}
    working = [
        o
        for o in range(start, end + 1)
        if _dt.date.fromordinal(o).weekday() < 5 and o not in hol_ordinals
    ]
    return dict(sorted(holidays.items())), working, frozenset(working)


def _as_date(d: _dt.date) -> _dt.date:
    if isinstance(d, _dt.datetime):
        return d.date()
    if not isinstance(d, _dt.date):
        raise TypeError(f"expected a date, got {type(d).__name__}")
    return d


def covers(d: _dt.date) -> bool:
    """True when ``d`` lies in the years the calendar covers."""
    return FIRST_YEAR <= _as_date(d).year <= LAST_YEAR


def _check(d: _dt.date) -> _dt.date:
    d = _as_date(d)
    if not FIRST_YEAR <= d.year <= LAST_YEAR:
        raise CalendarRangeError(
            f"{d.isoformat()} is outside the working-day calendar",
            first_year=FIRST_YEAR,
            last_year=LAST_YEAR,
        )
    return d


def _out_of_range(d: _dt.date, n: int) -> CalendarRangeError:
    direction = "after" if n > 0 else "before"
    return CalendarRangeError(
        f"{abs(n)} working days {direction} {d.isoformat()} falls outside the "
        "working-day calendar",
        first_year=FIRST_YEAR,
        last_year=LAST_YEAR,
    )


def bank_holidays(year: int | None = None) -> dict[_dt.date, str]:
    """England and Wales bank holidays falling on weekdays, by date, with their names.

    With ``year``, only that year's; the year must be covered.
    """
    table = _tables()[0]
    if year is None:
        return dict(table)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise CalendarRangeError(f"{year} is outside the working-day calendar",
                                 first_year=FIRST_YEAR, last_year=LAST_YEAR)
    return {d: n for d, n in table.items() if d.year == year}


def is_bank_holiday(d: _dt.date) -> bool:
    """True when ``d`` is an England and Wales bank holiday on a weekday."""
    return _check(d) in _tables()[0]


def is_working_day(d: _dt.date) -> bool:
    """True when ``d`` is Monday to Friday and not an England and Wales bank holiday."""
    return _check(d).toordinal() in _tables()[2]


def add_working_days(d: _dt.date, n: int) -> _dt.date:
    """The ``n``-th working day after ``d`` (before it when ``n`` is negative).

    ``d`` is never counted itself and need not be a working day. ``n == 0`` returns ``d``.

    >>> add_working_days(date(2023, 5, 5), 1)   # Friday, then the coronation Monday
    datetime.date(2023, 5, 9)
    """
    d = _check(d)
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError("n must be an int")
    if n == 0:
        return d
    working = _tables()[1]
    o = d.toordinal()
    i = bisect_right(working, o) - 1 + n if n > 0 else bisect_left(working, o) + n
    if i < 0 or i >= len(working):
        raise _out_of_range(d, n)
    return _dt.date.fromordinal(working[i])


def working_days_between(a: _dt.date, b: _dt.date) -> int:
    """Working days in ``(a, b]`` when ``a <= b``; minus those in ``[b, a)`` otherwise."""
    a, b = _check(a), _check(b)
    working = _tables()[1]
    if a <= b:
        return bisect_right(working, b.toordinal()) - bisect_right(working, a.toordinal())
    return -(bisect_left(working, a.toordinal()) - bisect_left(working, b.toordinal()))
