"""docs/semantics.md, "Children": statements pinned one by one (the contract itself is a
property in tests/properties/test_children_contract.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

import cprules
from cprules.engine import MAX_TIMELINE_EVENTS

YORK = cprules.load_ruleset("york")


def case(children: list[dict[str, Any]], events: list[dict[str, Any]]) -> cprules.Case:
    return cprules.case_from_data({"children": children, "events": events})


TWO = [{"id": "a", "date_of_birth": "2016-01-01"}, {"id": "b", "date_of_birth": "2018-01-01"}]


def test_the_same_finding_for_two_children_is_reported_once_naming_both() -> None:
    ev = cprules.evaluate(YORK, case(TWO, [
        {"type": "strategy_discussion", "date": "2024-05-20", "s47_initiated": True},
        {"type": "conference", "kind": "initial", "date": "2024-06-10", "outcome": "no_plan"},
    ]), as_of=dt.date(2024, 7, 1))
    [timing] = ev.deadline("icpc.timing")
    assert timing.children == ("a", "b") and timing.status == "met"


def test_findings_that_differ_between_children_are_reported_for_each() -> None:
    ev = cprules.evaluate(YORK, case(TWO, [
        {"type": "strategy_discussion", "date": "2024-05-20", "s47_initiated": True},
        {"type": "conference", "kind": "initial", "date": "2024-06-10", "outcome": "no_plan",
         "children": ["b"]},
    ]), as_of=dt.date(2024, 7, 1))
    got = sorted((d.children, d.status) for d in ev.deadline("icpc.timing"))
    assert got == [(("a",), "overdue"), (("b",), "met")]
    assert [v.children for v in ev.violations if v.rule_id == "icpc.timing"] == [("a",)]


def test_identical_events_of_one_child_pair_with_a_siblings() -> None:
    # two identical visits naming no child: two findings for each child, merged pairwise
    sd = {"type": "strategy_discussion", "date": "2024-05-20", "s47_initiated": True}
    ev = cprules.evaluate(YORK, case(TWO, [sd, dict(sd)]), as_of=dt.date(2024, 5, 21))
    dups = [q for q in ev.data_quality if q.code == "possible_duplicate"]
    assert len(dups) == 1 and dups[0].children == ("a", "b")


def test_events_differing_only_in_children_named_are_duplicates_for_a_child() -> None:
    ev = cprules.evaluate(YORK, case(TWO, [
        {"type": "core_group", "date": "2024-06-20"},
        {"type": "core_group", "date": "2024-06-20", "children": ["a"]},
    ]), as_of=dt.date(2024, 7, 1))
    assert [(q.code, q.children) for q in ev.data_quality] == [("possible_duplicate", ("a",))]


def test_a_birth_naming_no_child_is_each_childs_own() -> None:
    unborn = [{"id": "u1", "expected_date_of_delivery": "2024-08-01"},
              {"id": "u2", "expected_date_of_delivery": "2024-08-01"}]
    ev = cprules.evaluate(YORK, case(unborn, [
        {"type": "conference", "kind": "pre_birth", "date": "2024-05-01", "outcome": "plan"},
        {"type": "birth", "date": "2024-07-20"},
    ]), as_of=dt.date(2024, 9, 1))
    [review] = ev.deadline("review.pre_birth")
    assert review.children == ("u1", "u2") and review.trigger is not None
    assert review.trigger.index == 1  # the recorded birth, not one made from the dates


def test_a_case_too_large_to_evaluate_is_refused() -> None:
    n = MAX_TIMELINE_EVENTS // 40 + 1  # children sharing 40 events: over the bound
    big = cprules.Case.model_validate({
        "children": [{"id": f"k{i}", "date_of_birth": "2015-01-01"} for i in range(n)],
        "events": [{"type": "visit", "date": (dt.date(2024, 1, 1) + dt.timedelta(days=i))
                    .isoformat()} for i in range(40)]})
    with pytest.raises(cprules.CaseError, match="too large to evaluate"):
        cprules.evaluate(YORK, big, as_of=dt.date(2024, 7, 1))


def test_a_siblings_conference_is_not_the_previous_conference_of_a_childs_reports() -> None:
    ev = cprules.evaluate(YORK, case(TWO, [
        {"type": "report_submitted", "date": "2024-06-06", "from_agency": "health",
         "to": "chair", "children": ["b"]},
        {"type": "conference", "kind": "initial", "date": "2024-06-10", "outcome": "no_plan",
         "children": ["a"]},
        {"type": "conference", "kind": "initial", "date": "2024-06-11", "outcome": "no_plan",
         "children": ["b"]},
    ]), as_of=dt.date(2024, 7, 1))
    got = {d.children: (d.status, d.group) for d in ev.deadline("reports.chair.icpc")}
    assert got == {("a",): ("overdue", None), ("b",): ("met", "health")}
