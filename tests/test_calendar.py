"""The working-day calendar against the official GOV.UK list, and its arithmetic."""

from __future__ import annotations

import datetime as dt

import pytest
from govuk_bank_holidays.bank_holidays import BankHolidays

from cprules import CalendarRangeError, calendar

D = dt.date


@pytest.fixture(scope="module")
def official() -> set[dt.date]:
    """England and Wales bank holidays as published by GOV.UK (the package's cached copy,
    so the test needs no network)."""
    bh = BankHolidays(use_cached_holidays=True)
    return {h["date"] for h in bh.get_holidays(division=BankHolidays.ENGLAND_AND_WALES)}


def test_agrees_with_govuk_day_by_day(official: set[dt.date]) -> None:
    first, last = min(official), max(official)
    assert first.year >= calendar.FIRST_YEAR and last.year <= calendar.LAST_YEAR
    day = D(first.year, 1, 1)
    disagreements = []
    while day <= D(last.year, 12, 31):
        expected = day.weekday() < 5 and day not in official
        if calendar.is_working_day(day) != expected:
            disagreements.append(day)
        day += dt.timedelta(days=1)
    assert disagreements == []


def test_covers_the_whole_official_list(official: set[dt.date]) -> None:
    assert max(official).year == calendar.LAST_YEAR


def test_coronation_bank_holiday_is_not_a_working_day() -> None:
    # workalendar 17 misses it; the correction table supplies it.
    assert not calendar.is_working_day(D(2023, 5, 8))
    assert calendar.is_bank_holiday(D(2023, 5, 8))
    assert "coronation" in calendar.bank_holidays(2023)[D(2023, 5, 8)].lower()


def test_england_and_wales_not_scotland_or_northern_ireland() -> None:
    assert calendar.is_working_day(D(2024, 1, 2))  # Scotland's 2 January
    assert calendar.is_working_day(D(2024, 3, 18))  # St Patrick's Day substitute (NI)
    assert calendar.is_working_day(D(2024, 7, 12))  # Battle of the Boyne (NI)
    assert calendar.is_working_day(D(2023, 11, 30))  # St Andrew's Day (Scotland)


@pytest.mark.parametrize(
    "start, n, expected",
    [
        (D(2023, 5, 5), 1, D(2023, 5, 9)),  # Fri -> Tue over the coronation Monday
        (D(2023, 5, 5), -1, D(2023, 5, 4)),
        (D(2023, 5, 9), -1, D(2023, 5, 5)),
        (D(2023, 5, 6), 1, D(2023, 5, 9)),  # from a Saturday: next working day counts as 1
        (D(2024, 5, 20), 15, D(2024, 6, 11)),  # over the late-May holiday
        (D(2024, 12, 20), 1, D(2024, 12, 23)),
        (D(2024, 12, 23), 1, D(2024, 12, 24)),
        (D(2024, 12, 24), 1, D(2024, 12, 27)),  # Christmas and Boxing Day
        (D(2024, 12, 24), 3, D(2024, 12, 31)),  # 27, 30, 31 Dec
        (D(2024, 12, 24), 4, D(2025, 1, 2)),  # ... New Year's Day skipped
        (D(2024, 3, 28), 1, D(2024, 4, 2)),  # Good Friday and Easter Monday
        (D(2024, 4, 2), -1, D(2024, 3, 28)),
        (D(2022, 9, 16), 1, D(2022, 9, 20)),  # Queen's state funeral, 19 Sep 2022
        (D(2022, 6, 1), 1, D(2022, 6, 6)),  # Platinum Jubilee 2 and 3 June 2022
        (D(2020, 5, 7), 1, D(2020, 5, 11)),  # VE day: early May holiday moved to Fri 8th
        (D(2024, 6, 10), 0, D(2024, 6, 10)),
        (D(2024, 6, 8), 0, D(2024, 6, 8)),  # zero returns the day itself, even a Saturday
    ],
)
def test_add_working_days(start: dt.date, n: int, expected: dt.date) -> None:
    assert calendar.add_working_days(start, n) == expected


def test_working_days_between_inverts_add() -> None:
    day = D(2023, 1, 1)
    while day < D(2023, 12, 31):
        for n in (-20, -3, -1, 1, 2, 15):
            assert calendar.working_days_between(day, calendar.add_working_days(day, n)) == n
        day += dt.timedelta(days=1)


def test_working_days_between_counts_half_open() -> None:
    assert calendar.working_days_between(D(2024, 5, 20), D(2024, 5, 20)) == 0
    assert calendar.working_days_between(D(2024, 5, 24), D(2024, 5, 28)) == 1  # Fri -> Tue
    assert calendar.working_days_between(D(2024, 5, 28), D(2024, 5, 24)) == -1


@pytest.mark.parametrize("day", [D(2009, 12, 31), D(2029, 1, 1)])
def test_refuses_outside_covered_years(day: dt.date) -> None:
    with pytest.raises(CalendarRangeError) as exc:
        calendar.is_working_day(day)
    assert exc.value.first_year == calendar.FIRST_YEAR
    assert "outside" in str(exc.value)


def test_refuses_a_result_outside_covered_years() -> None:
    with pytest.raises(CalendarRangeError):
        calendar.add_working_days(D(2028, 12, 20), 15)


def test_accepts_datetimes_and_rejects_other_types() -> None:
    assert calendar.is_working_day(dt.datetime(2024, 5, 20, 9, 0))
    with pytest.raises(TypeError):
        calendar.is_working_day("2024-05-20")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        calendar.add_working_days(D(2024, 5, 20), 1.5)  # type: ignore[arg-type]
