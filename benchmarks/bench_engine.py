"""The engine's cost (issue 9), printed as figures, not asserted in tests:

1. evaluate time for one-child York cases of 10, 40, 160, 640 and 5,000 events, and for
   cases of 1, 10, 100 and 1,000 children sharing a 40-event timeline;
2. the engine against a hand-written straight-line computation of York's main deadlines
   (benchmarks/straight_line.py) on the same rules: they must agree on every deadline
   over 5,000 generated cases, and the ratio of their times is printed.

    python benchmarks/bench_engine.py            # about a minute
    python benchmarks/bench_engine.py --quick    # fewer repeats and cases
"""

from __future__ import annotations

import datetime as dt
import gc
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from cases import generate
from straight_line import RULES, york_main

import cprules
from cprules import calendar
from cprules.loader import case_from_data


def _time(fn: Any, repeat: int) -> float:
    """Median CPU seconds of one call (process time: the machine is shared)."""
    runs = []
    for _ in range(repeat):
        t = time.process_time()
        fn()
        runs.append(time.process_time() - t)
    return statistics.median(runs)


class _Collector:
    """CPU seconds the cyclic garbage collector spends, summed (``gc.callbacks``)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._start = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._start = time.process_time()
        else:
            self.seconds += time.process_time() - self._start

    def timed(self, fn: Any) -> tuple[float, float]:
        """(CPU seconds of ``fn()``, of which the collector's)."""
        self.seconds = 0.0
        gc.callbacks.append(self)
        try:
            t = time.process_time()
            fn()
            return time.process_time() - t, self.seconds
        finally:
            gc.callbacks.remove(self)


def long_case(n: int) -> cprules.Case:
    """A one-child York case of ``n`` events: a plan from an initial conference, then a
    visit every day, a core group every week, a record every month and a review every
    three months with its reports."""
    day = dt.date(2014, 1, 6)
    events: list[dict[str, Any]] = [
        {"type": "strategy_discussion", "date": day.isoformat(), "s47_initiated": True},
        {"id": "c0", "type": "conference", "kind": "initial",
         "date": calendar.add_working_days(day, 12).isoformat(), "outcome": "plan",
         "categories": ["neglect"]}]
    d = calendar.add_working_days(day, 12)
    k = 0
    while len(events) < n:
        d += dt.timedelta(days=1)
        k += 1
        events.append({"type": "visit", "date": d.isoformat(), "seen_alone": True})
        if k % 7 == 0:
            events.append({"type": "core_group", "date": d.isoformat()})
        if k % 30 == 0:
            events.append({"type": "document_sent", "document": "conference_record",
                           "date": d.isoformat()})
        if k % 91 == 0:
            for agency in ("childrens_social_care", "health", "education"):
                events.append({"type": "report_submitted", "date": d.isoformat(),
                               "from_agency": agency, "to": "chair"})
            events.append({"type": "conference", "kind": "review",
                           "date": (d + dt.timedelta(days=4)).isoformat(), "outcome": "plan"})
    events = events[:n]
    return case_from_data({"children": [{"id": "c", "date_of_birth": "2010-03-01"}],
                           "events": events, "as_of": d.isoformat()})


def sibling_case(children: int) -> cprules.Case:
    base = next(generate(1, seed=7, partnership="york", siblings=False))
    base["children"] = [{"id": f"k{i}", "date_of_birth": "2012-05-01"}
                        for i in range(children)]
    from cprules.model.case import Case

    return Case.model_validate(base)  # (past the loader's children limit, for scale)


def scaling(repeat: int) -> None:
    york = cprules.load_ruleset("york")
    print("evaluate, one child, by events (York, CPU time, median)")
    base = None
    for n in (10, 40, 160, 640, 5000):
        case = long_case(n)
        cprules.evaluate(york, case)
        t = _time(lambda case=case: cprules.evaluate(york, case), repeat if n < 5000 else 3)
        if n == 40:
            base = t
        ratio = f"  {t / base:5.1f} x the 40-event case" if base else ""
        print(f"  {n:5d} events: {t * 1e3:9.2f} ms{ratio}")
    print("evaluate, a 40-event timeline shared by N children (York)")
    for c in (1, 10, 100, 1000):
        case = sibling_case(c)
        cprules.evaluate(york, case)
        t = _time(lambda case=case: cprules.evaluate(york, case), repeat if c < 1000 else 3)
        print(f"  {c:5d} children: {t * 1e3:9.2f} ms  ({t * 1e3 / c:6.3f} ms a child)")


def straight_line(n: int) -> None:
    york = cprules.load_ruleset("york")
    main = york.model_copy(update={"rules": tuple(r for r in york.rules if r.id in RULES)})
    cases = [case_from_data(c) for c in generate(n, seed=11, partnership="york",
                                                 siblings=False)]
    disagree = 0
    for case in cases:
        assert case.as_of is not None
        ev = cprules.evaluate(main, case)
        engine = Counter((d.rule_id, d.due, d.status, d.met_by.date if d.met_by else None,
                          d.group) for d in ev.deadlines)
        hand = Counter(york_main(case, case.as_of))
        if engine != hand:
            disagree += 1
            if disagree <= 3:
                print("  disagreement on", case.id, "engine-only", dict(engine - hand),
                      "hand-only", dict(hand - engine))
    deadlines = sum(len(york_main(c, c.as_of)) for c in cases)  # type: ignore[arg-type]
    print(f"straight-line York main deadlines: {n} cases, {deadlines} deadlines, "
          f"{disagree} cases disagree")
    def each(fn: Any) -> Any:
        def run() -> None:
            for c in cases:
                fn(c)  # each result dropped when the next case starts, as in a batch
        return run

    def kept(fn: Any) -> Any:
        return lambda: [fn(c) for c in cases]  # every result kept until the end

    engine_fn = lambda c: cprules.evaluate(main, c)  # noqa: E731
    hand_fn = lambda c: york_main(c, c.as_of)  # noqa: E731
    collector = _Collector()
    for title, how in (("each result used and dropped (the batch path)", each),
                       (f"all {n:,} results kept in a list", kept)):
        engine_runs, hand_runs, ratios, own = [], [], [], []
        for _ in range(7):  # in turn, so that a change in the machine's speed hits both
            t_engine, gc_engine = collector.timed(how(engine_fn))
            t_hand, gc_hand = collector.timed(how(hand_fn))
            engine_runs.append((t_engine, gc_engine))
            hand_runs.append((t_hand, gc_hand))
            ratios.append(t_engine / t_hand)
            own.append((t_engine - gc_engine) / (t_hand - gc_hand))
        e = statistics.median(t for t, _ in engine_runs)
        e_gc = statistics.median(g for _, g in engine_runs)
        h = statistics.median(t for t, _ in hand_runs)
        h_gc = statistics.median(g for _, g in hand_runs)
        print(f"  {title}:")
        print(f"    engine evaluate: {e / n * 1e6:8.1f} us a case "
              f"({e_gc / n * 1e6:.1f} us of it the garbage collector)")
        print(f"    straight line:   {h / n * 1e6:8.1f} us a case "
              f"({h_gc / n * 1e6:.1f} us of it the garbage collector)")
        print(f"    ratio engine / straight line: median {statistics.median(ratios):5.2f} "
              f"(min {min(ratios):.2f}, max {max(ratios):.2f}; target: at most 3); "
              f"without the collector's time: {statistics.median(own):.2f}")

if __name__ == "__main__":
    quick = "--quick" in sys.argv
    scaling(5 if quick else 15)
    straight_line(500 if quick else 5000)
