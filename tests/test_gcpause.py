"""The collector held off during an evaluation (cprules.engine.gcpause): restored after,
left off when the caller turned it off, and evaluations leave no cyclic garbage (so
holding the collector off loses nothing)."""

from __future__ import annotations

import gc
import threading

import pytest

import cprules
from cprules.engine.gcpause import paused


@pytest.fixture
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_off_inside_and_restored_after(collector_on: None) -> None:
    with paused():
        assert not gc.isenabled()
        with paused():  # re-entrant
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_caller_who_turned_it_off_keeps_it_off() -> None:
    was = gc.isenabled()
    gc.disable()
    try:
        with paused():
            pass
        assert not gc.isenabled()
        cprules.evaluate("york", {"children": [{"id": "c", "date_of_birth": "2019-03-04"}],
                                  "events": []}, as_of="2024-06-01")
        assert not gc.isenabled()
    finally:
        if was:
            gc.enable()


def test_restored_after_an_error(collector_on: None) -> None:
    with pytest.raises(cprules.CprulesError):
        cprules.evaluate("york", {"children": [{"id": "c", "date_of_birth": "2019-03-04"}]},
                         as_of="not a date")
    assert gc.isenabled()
    with pytest.raises(ZeroDivisionError), paused():
        1 / 0  # noqa: B018
    assert gc.isenabled()


def test_threads_turn_it_back_on_only_when_the_last_one_leaves(collector_on: None) -> None:
    inside = threading.Barrier(3)
    release = [threading.Event(), threading.Event()]
    left = [threading.Event(), threading.Event()]

    def work(n: int) -> None:
        with paused():
            inside.wait()
            release[n].wait()
        left[n].set()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    inside.wait()
    assert not gc.isenabled()
    release[0].set()
    left[0].wait()
    assert not gc.isenabled()  # the other thread is still evaluating
    release[1].set()
    for t in threads:
        t.join()
    assert gc.isenabled()


def test_evaluations_leave_no_cyclic_garbage() -> None:
    from cprules.loader import load_case

    case = load_case("examples/york-case.yaml")
    rulesets = [cprules.load_ruleset(n) for n in ("york", "north_yorkshire", "kirklees")]
    for rs in rulesets:  # compiled, and anything cached, first
        cprules.evaluate(rs, case, as_of="2024-09-20")
    was = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        for _ in range(20):
            for rs in rulesets:
                cprules.evaluate(rs, case, as_of="2024-09-20")
        assert gc.collect() == 0
    finally:
        if was:
            gc.enable()
