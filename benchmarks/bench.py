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

    print(f"cprules.calendar.add_working_days(d, 15):  {per_call(lambda: calendar.add_working_days(start, 15), 200_000):7.2f} us")
    print(f"workalendar add_working_days(d, 15):       {per_call(lambda: wl.add_working_days(start, 15), 20_000):7.2f} us")
    print(f"cprules.calendar.is_working_day(d):        {per_call(lambda: calendar.is_working_day(start), 200_000):7.2f} us")
    print(f"workalendar is_working_day(d):             {per_call(lambda: wl.is_working_day(start), 20_000):7.2f} us")
    print(f"cprules.calendar.working_days_between:     {per_call(lambda: calendar.working_days_between(start, dt.date(2024, 12, 20)), 200_000):7.2f} us")

    york = cprules.load_ruleset("york")
    case = cprules.load_case(ROOT / "examples" / "york-case.yaml")
    print(f"evaluate(york, example case):              {per_call(lambda: cprules.evaluate(york, case), 300) / 1000:7.2f} ms")
    print(f"load_ruleset('york'):                      {per_call(lambda: cprules.load_ruleset('york'), 50) / 1000:7.2f} ms")


if __name__ == "__main__":
    main()
