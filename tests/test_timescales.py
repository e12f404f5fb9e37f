"""Duration semantics, one by one (docs/semantics.md), pinned by tables of vectors."""

from __future__ import annotations

import datetime as dt

import pytest

from cprules.model.duration import Duration, Unit
from cprules.model.ruleset import DurationVersion, check_versions
from cprules.model.times import UK, uk_time
from cprules.timescales import Due, add, in_force, later, sooner, subtract

D = dt.date


def T(*args: int) -> dt.datetime:
    """A UK local time (aware), as the case model holds one."""
    return uk_time(dt.datetime(*args))
P = Duration.parse


@pytest.mark.parametrize(
    "text, count, unit",
    [
        ("15 working days", 15, Unit.WORKING_DAYS),
        ("1 working day", 1, Unit.WORKING_DAYS),
        ("3 months", 3, Unit.MONTHS),
        ("1 month", 1, Unit.MONTHS),
        ("6 weeks", 6, Unit.WEEKS),
        ("2 days", 2, Unit.DAYS),
        ("24 hours", 24, Unit.HOURS),
        ("  5   Working  Days ", 5, Unit.WORKING_DAYS),
        ("0 days", 0, Unit.DAYS),
    ],
)
def test_parse(text: str, count: int, unit: Unit) -> None:
    d = P(text)
    assert (d.count, d.unit) == (count, unit)
    assert P(str(d)) == d


@pytest.mark.parametrize(
    "text, words",
    [
        ("15 workng days", "did you mean '15 working days'"),
        ("3 monhts", "did you mean '3 months'"),
        ("fifteen working days", "whole number"),
        ("15", "whole number"),
        ("-3 days", "whole number"),
        ("3.5 days", "whole number"),
        ("3 fortnights", "unknown unit"),
        ("99999 days", "whole number"),
    ],
)
def test_parse_rejects(text: str, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        P(text)


# "within N working days of X": the N-th working day after X, X not counted.
@pytest.mark.parametrize(
    "start, text, due",
    [
        (D(2024, 5, 20), "15 working days", D(2024, 6, 11)),  # across 27 May 2024
        (D(2023, 4, 26), "15 working days", D(2023, 5, 19)),  # across 1 and 8 May 2023
        (D(2024, 12, 16), "10 working days", D(2025, 1, 2)),  # Christmas and New Year
        (D(2024, 3, 22), "5 working days", D(2024, 4, 2)),  # over Good Friday and Easter Monday
        (D(2024, 6, 8), "1 working day", D(2024, 6, 10)),  # X on a Saturday
        (D(2024, 6, 10), "0 working days", D(2024, 6, 10)),
    ],
)
def test_within_working_days(start: dt.date, text: str, due: dt.date) -> None:
    assert add(start, P(text)) == Due(due)


# "at least N working days before C": the latest compliant day is the N-th working day
# before C.
@pytest.mark.parametrize(
    "conference, text, latest",
    [
        (D(2024, 6, 10), "3 working days", D(2024, 6, 5)),
        (D(2024, 5, 28), "2 working days", D(2024, 5, 23)),  # Tue after the bank holiday
        (D(2023, 5, 10), "3 working days", D(2023, 5, 4)),  # over the coronation
        (D(2025, 1, 2), "5 working days", D(2024, 12, 23)),
        (D(2024, 4, 2), "1 working day", D(2024, 3, 28)),  # Easter
        (D(2024, 6, 10), "3 days", D(2024, 6, 7)),  # calendar days
        (D(2024, 6, 10), "2 weeks", D(2024, 5, 27)),
        (D(2024, 3, 31), "1 month", D(2024, 2, 29)),  # clipped, leap year
    ],
)
def test_at_least_before(conference: dt.date, text: str, latest: dt.date) -> None:
    assert subtract(conference, P(text)) == Due(latest)


# Months: relativedelta, clipped to the month's end, never rolled to a working day.
@pytest.mark.parametrize(
    "start, text, due",
    [
        (D(2024, 1, 31), "1 month", D(2024, 2, 29)),  # leap year
        (D(2023, 1, 31), "1 month", D(2023, 2, 28)),
        (D(2024, 8, 31), "3 months", D(2024, 11, 30)),
        (D(2024, 11, 30), "3 months", D(2025, 2, 28)),
        (D(2024, 2, 29), "6 months", D(2024, 8, 29)),
        (D(2024, 2, 29), "12 months", D(2025, 2, 28)),
        (D(2024, 3, 31), "6 months", D(2024, 9, 30)),
        (D(2024, 6, 10), "3 months", D(2024, 9, 10)),
        (D(2024, 10, 5), "3 months", D(2025, 1, 5)),  # a Sunday: not rolled
        (D(2024, 12, 25), "1 month", D(2025, 1, 25)),
    ],
)
def test_months_clip(start: dt.date, text: str, due: dt.date) -> None:
    assert add(start, P(text)) == Due(due)


@pytest.mark.parametrize(
    "start, text, due",
    [
        (D(2024, 6, 10), "6 weeks", D(2024, 7, 22)),
        (D(2024, 12, 20), "2 weeks", D(2025, 1, 3)),
        (D(2024, 2, 28), "2 days", D(2024, 3, 1)),
        (D(2024, 12, 24), "1 week", D(2024, 12, 31)),  # calendar: holidays count
    ],
)
def test_weeks_and_days(start: dt.date, text: str, due: dt.date) -> None:
    assert add(start, P(text)) == Due(due)


def test_hours_from_a_timed_event() -> None:
    due = add(D(2024, 5, 24), P("24 hours"), at=T(2024, 5, 24, 15, 30))
    assert due == Due(D(2024, 5, 25), T(2024, 5, 25, 15, 30))
    assert due.met_by(D(2024, 5, 25), T(2024, 5, 25, 15, 30))
    assert not due.met_by(D(2024, 5, 25), T(2024, 5, 25, 15, 31))
    # a date-only completion on the due day is taken as on time
    assert due.met_by(D(2024, 5, 25))
    assert not due.met_by(D(2024, 5, 26))


@pytest.mark.parametrize(
    "text, due",
    [("24 hours", D(2024, 5, 25)), ("48 hours", D(2024, 5, 26)), ("1 hour", D(2024, 5, 25)),
     ("25 hours", D(2024, 5, 26))],
)
def test_hours_from_a_date_only_event(text: str, due: dt.date) -> None:
    # Time unknown: counted from the end of the day, so due by the end of day + ceil(N/24).
    assert add(D(2024, 5, 24), P(text)) == Due(due)


def test_whichever_sooner_and_later() -> None:
    a, b = Due(D(2025, 2, 3)), Due(D(2025, 3, 1))
    assert sooner(a, b) == a and sooner(b, a) == a
    assert later(a, b) == b
    timed = Due(D(2025, 2, 3), T(2025, 2, 3, 10, 0))
    assert sooner(a, timed) == timed  # same day: the exact moment is sooner than end of day


def test_versions_in_force() -> None:
    versions = (
        DurationVersion.model_validate({"until": "2024-07-30", "value": "1 working day"}),
        DurationVersion.model_validate({"from": "2024-07-31", "value": "3 working days"}),
    )
    check_versions(versions)
    assert in_force(versions, D(2020, 1, 1))[0] == P("1 working day")
    assert in_force(versions, D(2024, 7, 30))[0] == P("1 working day")
    assert in_force(versions, D(2024, 7, 31))[0] == P("3 working days")
    assert in_force(P("2 days"), D(2024, 7, 31)) == (P("2 days"), None)


@pytest.mark.parametrize(
    "versions, words",
    [
        ([{"until": "2024-07-29", "value": "1 day"}, {"from": "2024-07-31", "value": "2 days"}],
         "gap"),
        ([{"until": "2024-07-31", "value": "1 day"}, {"from": "2024-07-31", "value": "2 days"}],
         "overlap"),
        ([{"from": "2024-07-31", "value": "1 day"}, {"from": "2024-01-01", "value": "2 days"}],
         "out of order"),
        ([{"value": "1 day"}, {"value": "2 days"}], "needs a 'from'"),
    ],
)
def test_versions_gap_overlap(versions: list[dict[str, str]], words: str) -> None:
    with pytest.raises(ValueError, match=words):
        check_versions(tuple(DurationVersion.model_validate(v) for v in versions))


def test_version_lookup_outside_range() -> None:
    versions = (DurationVersion.model_validate({"from": "2024-07-31", "until": "2024-12-31",
                                                "value": "3 days"}),)
    with pytest.raises(LookupError, match="first starts"):
        in_force(versions, D(2024, 7, 1))
    with pytest.raises(LookupError, match="last ended"):
        in_force(versions, D(2025, 1, 1))


@pytest.mark.parametrize(
    "start, hours, due_local, offset",
    [
        # autumn 2024: clocks go back at 02:00 BST on Sunday 27 October (25-hour day)
        (T(2024, 10, 26, 10, 0), 24, dt.datetime(2024, 10, 27, 9, 0), 0),
        (T(2024, 10, 26, 10, 0), 48, dt.datetime(2024, 10, 28, 9, 0), 0),
        # spring 2024: clocks go forward at 01:00 GMT on Sunday 31 March (23-hour day)
        (T(2024, 3, 30, 10, 0), 24, dt.datetime(2024, 3, 31, 11, 0), 1),
        (T(2024, 3, 30, 10, 0), 48, dt.datetime(2024, 4, 1, 11, 0), 1),
        # no change in between
        (T(2024, 6, 1, 10, 0), 24, dt.datetime(2024, 6, 2, 10, 0), 1),
    ],
)
def test_hours_are_elapsed_time_across_clock_changes(
    start: dt.datetime, hours: int, due_local: dt.datetime, offset: int
) -> None:
    due = add(start.date(), Duration(hours, Unit.HOURS), at=start)
    assert due.at is not None
    assert due.at.replace(tzinfo=None) == due_local
    assert due.at.utcoffset() == dt.timedelta(hours=offset)
    assert due.at.astimezone(dt.UTC) - start.astimezone(dt.UTC) == dt.timedelta(hours=hours)
    assert due.at.tzinfo is UK
    # 24.5 real hours after 10:00 on Saturday 26 October 2024 is 09:30 GMT on the 27th: late
    late = uk_time(dt.datetime(2024, 10, 27, 9, 30))
    if hours == 24 and start.month == 10:
        assert not due.met_by(late.date(), late)
        assert due.met_by(late.date(), uk_time(dt.datetime(2024, 10, 27, 9, 0)))


def test_local_times_that_do_not_exist_or_happen_twice() -> None:
    with pytest.raises(ValueError, match="does not exist in UK local time"):
        uk_time(dt.datetime(2024, 3, 31, 1, 30))
    first = uk_time(dt.datetime(2024, 10, 27, 1, 30))  # read as the first (BST)
    assert first.utcoffset() == dt.timedelta(hours=1)
    second = uk_time(dt.datetime(2024, 10, 27, 1, 30, tzinfo=dt.UTC))
    assert second.replace(tzinfo=None) == dt.datetime(2024, 10, 27, 1, 30)
    assert second.utcoffset() == dt.timedelta(0)
    assert second.astimezone(dt.UTC) - first.astimezone(dt.UTC) == dt.timedelta(hours=1)
