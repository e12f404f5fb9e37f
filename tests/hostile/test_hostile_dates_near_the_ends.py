"""Class: dates and times near the ends of the date range. A zoned time on 0001-01-01 or
9999-12-31 is a clean error while the case loads; duration arithmetic past year 1 or 9999
raises CalendarRangeError (which the engine turns into a data-quality finding), never
OverflowError or ValueError. Loader-only: the full date range."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from hostile_helpers import CASE_HEAD, at, case_text, refused
from hypothesis import given
from hypothesis import strategies as st

from cprules import calendar, timescales
from cprules.errors import CalendarRangeError, CaseError, CprulesError
from cprules.model.duration import Duration, Unit


@pytest.mark.parametrize("when", ["0001-01-01T00:30:00+05:00", "9999-12-31T23:30:00-05:00",
                                  "0001-01-01T00:00:00+00:01", "9999-12-31T23:59:59-00:01"])
def test_zoned_times_at_the_ends(when: str) -> None:
    exc = refused(lambda: case_text(CASE_HEAD + f"  - {{type: visit, date: '{when}'}}\n",
                                    "t.yaml"), CaseError)
    at(exc, "t.yaml", 6, "events[0].date", "too near the end of the date range")


@pytest.mark.parametrize(("day", "duration"), [
    (dt.date(9999, 12, 31), "1 day"), (dt.date(9999, 12, 25), "2 weeks"),
    (dt.date(9999, 11, 1), "3 months"), (dt.date(9999, 12, 31), "24 hours"),
    (dt.date(9999, 12, 31), "9999 working days"), (dt.date(2024, 1, 1), "9999 working days"),
    (dt.date(1, 1, 1), "1 day"), (dt.date(1, 1, 1), "1 month"),
])
def test_arithmetic_past_the_ends(day: dt.date, duration: str) -> None:
    d = Duration.parse(duration)
    op = timescales.subtract if day.year == 1 else timescales.add
    with pytest.raises(CalendarRangeError) as caught:
        op(day, d)
    assert duration.split()[0] in caught.value.message


def test_hours_from_a_timed_event_at_the_end() -> None:
    at = dt.datetime(9999, 12, 31, 22, 0, tzinfo=dt.UTC)
    with pytest.raises(CalendarRangeError):
        timescales.add(at.date(), Duration(5, Unit.HOURS), at=at)


@given(st.dates(), st.integers(0, 9999), st.sampled_from(list(Unit)), st.booleans())
def test_any_date_and_duration_gives_a_date_or_a_clean_error(
    day: dt.date, count: int, unit: Unit, forward: bool
) -> None:
    op = timescales.add if forward else timescales.subtract
    try:
        due = op(day, Duration(count, unit))
    except CprulesError as exc:
        assert isinstance(exc, CalendarRangeError)
        return
    assert isinstance(due.date, dt.date)


@given(st.dates(), st.integers(-9999, 9999))
def test_working_days_anywhere(day: dt.date, n: int) -> None:
    with contextlib.suppress(CalendarRangeError):
        calendar.add_working_days(day, n)


def test_bank_holidays_of_an_impossible_year() -> None:
    for year in (0, -5, 10_000):
        with pytest.raises(CalendarRangeError):
            calendar.bank_holidays(year)
