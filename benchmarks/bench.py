"""Timings, printed as figures (not asserted in tests): the working-day calendar against
workalendar's own loop, and evaluation of a case.

    python benchmarks/bench.py
"""

from __future__ import annotations

import datetime as dt
import timeit
from pathlib import Path

import cprules
from cprules import calendar

ROOT = Path(__file__).resolve().parent.parent


def per_call(fn: object, number: int) -> float:
    return timeit.timeit(fn, number=number) / number * 1e6  # type: ignore[arg-type]


def main() -> None:
    from workalendar.europe import UnitedKingdom

    wl = UnitedKingdom()
    start = dt.date(2024, 5, 20)
    calendar.add_working_days(start, 1)  # build the tables once
    wl.add_working_days(start, 15)  # and workalendar's holiday cache

    end = dt.date(2024, 12, 20)
    rows = [
        ("cprules.calendar.add_working_days(d, 15)",
         lambda: calendar.add_working_days(start, 15), 200_000),
        ("workalendar add_working_days(d, 15)", lambda: wl.add_working_days(start, 15),
         20_000),
        ("cprules.calendar.is_working_day(d)", lambda: calendar.is_working_day(start),
         200_000),
        ("workalendar is_working_day(d)", lambda: wl.is_working_day(start), 20_000),
        ("cprules.calendar.working_days_between",
         lambda: calendar.working_days_between(start, end), 200_000),
    ]
    for title, fn, number in rows:
        print(f"{title + ':':43s}{per_call(fn, number):7.2f} us")

    york = cprules.load_ruleset("york")
    case = cprules.load_case(ROOT / "examples" / "york-case.yaml")
    for title, fn, number in (
        ("evaluate(york, example case)", lambda: cprules.evaluate(york, case), 300),
        ("load_ruleset('york')", lambda: cprules.load_ruleset("york"), 50),
    ):
        print(f"{title + ':':43s}{per_call(fn, number) / 1000:7.2f} ms")

if __name__ == "__main__":
    main()
