"""Properties of duration arithmetic."""

from __future__ import annotations

import calendar as pycal
import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from cprules.model.duration import Duration, Unit
from cprules.testing import dates, durations
from cprules.timescales import Due, add, later, sooner, subtract

any_day = dates(dt.date(2013, 1, 1), dt.date(2026, 12, 31))


@given(any_day, st.integers(0, 36))
def test_months_clip_at_month_end_and_never_overflow(day: dt.date, n: int) -> None:
    due = add(day, Duration(n, Unit.MONTHS)).date
    months = (day.year * 12 + day.month - 1) + n
    assert due.year * 12 + due.month - 1 == months  # exactly n months on, never into the next
    last = pycal.monthrange(due.year, due.month)[1]
    assert due.day == min(day.day, last)


@given(any_day, st.integers(0, 36))
def test_months_back_clip_too(day: dt.date, n: int) -> None:
    due = subtract(day, Duration(n, Unit.MONTHS)).date
    assert due.day == min(day.day, pycal.monthrange(due.year, due.month)[1])


@given(any_day, st.integers(0, 500))
def test_weeks_and_days_add_exactly(day: dt.date, n: int) -> None:
    assert add(day, Duration(n, Unit.DAYS)).date == day + dt.timedelta(days=n)
    assert add(day, Duration(n, Unit.WEEKS)).date == day + dt.timedelta(days=7 * n)
    assert subtract(day, Duration(n, Unit.DAYS)).date == day - dt.timedelta(days=n)


@given(any_day, durations(), durations())
def test_whichever_sooner_is_never_later_than_either(
    day: dt.date, a: Duration, b: Duration
) -> None:
    da, db = add(day, a), add(day, b)
    s, lt = sooner(da, db), later(da, db)
    assert s.date <= da.date and s.date <= db.date
    assert lt.date >= da.date and lt.date >= db.date
    assert {s, lt} <= {da, db}


@given(any_day, durations([Unit.WORKING_DAYS, Unit.DAYS, Unit.WEEKS, Unit.MONTHS]))
def test_later_triggers_never_give_earlier_deadlines(day: dt.date, d: Duration) -> None:
    nxt = day + dt.timedelta(days=1)
    assert add(day, d).date <= add(nxt, d).date


@given(any_day, st.integers(1, 200))
def test_hours_from_a_date_never_fall_before_the_day_after(day: dt.date, n: int) -> None:
    due = add(day, Duration(n, Unit.HOURS))
    assert due == Due(day + dt.timedelta(days=-(-n // 24)))
