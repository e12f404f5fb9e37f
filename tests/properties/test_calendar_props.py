"""Properties of the working-day calendar, against a slow, obviously-correct reference
that walks day by day over the official GOV.UK list."""

from __future__ import annotations

import datetime as dt
from functools import cache

from govuk_bank_holidays.bank_holidays import BankHolidays
from hypothesis import assume, given
from hypothesis import strategies as st

from cprules import calendar
from cprules.testing import dates, working_days

OFFICIAL_RANGE = (dt.date(2012, 1, 1), dt.date(2028, 12, 31))
counts = st.integers(-60, 60)
positive = st.integers(1, 60)


@cache
def _official() -> frozenset[dt.date]:
    bh = BankHolidays(use_cached_holidays=True)
    return frozenset(h["date"] for h in bh.get_holidays(division=BankHolidays.ENGLAND_AND_WALES))


def _reference_add(day: dt.date, n: int) -> dt.date:
    step = 1 if n > 0 else -1
    left = abs(n)
    while left:
        day += dt.timedelta(days=step)
        if day.weekday() < 5 and day not in _official():
            left -= 1
    return day


# from 1 April 2012: 60 working days back stay inside the official list (which starts in
# 2012), so the reference knows every holiday it walks over
@given(dates(dt.date(2012, 4, 1), dt.date(2028, 9, 30)), counts)
def test_agrees_with_the_reference_walk(day: dt.date, n: int) -> None:
    assert calendar.add_working_days(day, n) == (day if n == 0 else _reference_add(day, n))


@given(dates(dt.date(2012, 3, 1), dt.date(2028, 9, 30)), counts.filter(bool))
def test_a_working_day_deadline_is_a_working_day(day: dt.date, n: int) -> None:
    assert calendar.is_working_day(calendar.add_working_days(day, n))


@given(working_days(dt.date(2012, 3, 1), dt.date(2028, 6, 30)), positive, positive,
       st.booleans())
def test_adding_in_two_steps_is_adding_once(day: dt.date, a: int, b: int, back: bool) -> None:
    if back:
        a, b = -a, -b
    step = calendar.add_working_days(calendar.add_working_days(day, a), b)
    assert step == calendar.add_working_days(day, a + b)


@given(dates(dt.date(2012, 3, 1), dt.date(2028, 9, 30)), counts)
def test_between_inverts_add(day: dt.date, n: int) -> None:
    assert calendar.working_days_between(day, calendar.add_working_days(day, n)) == n


@given(dates(dt.date(2012, 3, 1), dt.date(2028, 9, 30)),
       dates(dt.date(2012, 3, 1), dt.date(2028, 9, 30)), positive)
def test_a_later_trigger_never_gives_an_earlier_deadline(a: dt.date, b: dt.date, n: int) -> None:
    assume(a <= b)
    assert calendar.add_working_days(a, n) <= calendar.add_working_days(b, n)


@given(dates(*OFFICIAL_RANGE))
def test_is_working_day_matches_the_official_list(day: dt.date) -> None:
    assert calendar.is_working_day(day) == (day.weekday() < 5 and day not in _official())
