"""Properties of the evaluator over generated cases, for every bundled ruleset."""

from __future__ import annotations

import copy
import datetime as dt
import json
from functools import cache

import pytest
from hypothesis import given
from hypothesis import strategies as st

import cprules
from cprules.loader import case_from_data
from cprules.model.case import EVENT_MODELS
from cprules.model.ruleset import (
    AfterSpec,
    DeadlineRule,
    EventFilter,
    RecurringRule,
    Rule,
    walk_conditions,
)
from cprules.testing import cases, example_event

NAMES = cprules.bundled_rulesets()


@cache
def ruleset(name: str) -> cprules.Ruleset:
    return cprules.load_ruleset(name)


@pytest.mark.parametrize("name", NAMES)
@given(data=st.data())
def test_deterministic_pure_and_round_trips(name: str, data: st.DataObject) -> None:
    rs = ruleset(name)
    case = data.draw(cases(rs))
    before = copy.deepcopy(case.model_dump())
    first = cprules.evaluate(rs, case)
    assert cprules.evaluate(rs, case) == first
    assert case.model_dump() == before
    again = cprules.Evaluation.model_validate_json(json.dumps(first.model_dump(mode="json")))
    assert again == first


@pytest.mark.parametrize("name", NAMES)
@given(data=st.data())
def test_every_finding_cites_a_rule_of_the_ruleset(name: str, data: st.DataObject) -> None:
    rs = ruleset(name)
    ev = cprules.evaluate(rs, data.draw(cases(rs)))
    citations = {r.id: r for r in rs.rules_for(ev.stamp.variant)}
    for f in (*ev.deadlines, *ev.obligations, *ev.violations, *ev.checks):
        rule = citations[f.rule_id]
        versions = []
        for spec in (getattr(rule, "due", None),):
            v = getattr(spec, "within", None)
            if isinstance(v, tuple):
                versions = [x.source for x in v if x.source]
        assert f.citation == rule.source or f.citation in versions


@pytest.mark.parametrize("name", NAMES)
@given(data=st.data())
def test_met_exactly_when_the_satisfying_event_is_on_or_before_due(
    name: str, data: st.DataObject
) -> None:
    rs = ruleset(name)
    ev = cprules.evaluate(rs, data.draw(cases(rs)))
    for d in ev.deadlines:
        if d.met_by is None:
            assert d.status in ("pending", "overdue")
            assert (d.status == "overdue") == (ev.stamp.as_of > d.due)
        elif d.due_at is None:
            assert (d.status == "met") == (d.met_by.date <= d.due)
            assert d.status in ("met", "met_late")


def _mentions(rule: Rule) -> set[str]:
    """Every event type a rule looks at."""
    found: set[str] = set()

    def add(f: object) -> None:
        if isinstance(f, EventFilter):
            found.add(f.event)
            for attr in ("requires", "following", "otherwise"):
                g = getattr(f, attr, None)
                for h in g if isinstance(g, list) else [g]:
                    add(h)

    for attr in ("trigger", "satisfied_by", "start", "subject"):
        v = getattr(rule, attr, None)
        for f in v if isinstance(v, list) else [v]:
            add(f)
    for c in getattr(rule, "cancelled_by", ()) + getattr(rule, "ended_by", ()):
        add(c)
    due = getattr(rule, "due", None)
    for part in getattr(due, "of", ()) or ([due] if due is not None else []):
        add(getattr(part, "after", None))
    for cond_name in ("when", "require"):
        cond = getattr(rule, cond_name, None)
        if cond is not None:
            for c in walk_conditions(cond):
                add(getattr(c, "exists", None))
    return found


# Event types that change plans, windows or children: adding one can move other rules.
_STRUCTURAL = {"conference", "plan_start", "plan_end", "birth", "expected_delivery",
               "cin_plan_start", "cin_plan_end"}


@pytest.mark.parametrize("name", NAMES)
@given(data=st.data())
def test_adding_the_satisfying_event_on_time_meets_only_that_deadline(
    name: str, data: st.DataObject
) -> None:
    rs = ruleset(name)
    case = data.draw(cases(rs))
    ev = cprules.evaluate(rs, case)
    rules = {r.id: r for r in rs.rules_for(ev.stamp.variant)}
    candidates = [
        d for d in ev.deadlines
        if d.status == "overdue" and d.due_at is None and d.trigger is not None
        and isinstance(rules[d.rule_id], DeadlineRule)
        and isinstance(rules[d.rule_id].due, AfterSpec)  # type: ignore[union-attr]
        and rules[d.rule_id].due.after == "trigger"  # type: ignore[union-attr]
        and rules[d.rule_id].satisfied_by.event not in _STRUCTURAL  # type: ignore[union-attr]
    ]
    if not candidates:
        return
    target = data.draw(st.sampled_from(candidates))
    rule = rules[target.rule_id]
    assert isinstance(rule, DeadlineRule)
    # on the trigger's own day: on time, and inside its window whatever follows
    when = target.trigger.date  # type: ignore[union-attr]
    extra = example_event(rule.satisfied_by, when)
    trig_event = case.events[target.trigger.index]  # type: ignore[union-attr]
    bound = "conference" in EVENT_MODELS[rule.satisfied_by.event].model_fields
    if bound and target.trigger.type == "conference" and trig_event.id:  # type: ignore[union-attr]
        extra["conference"] = trig_event.id  # belongs to the triggering conference
    data_dict = case.model_dump(mode="json", by_alias=True, exclude_none=True)
    data_dict["events"].append(extra)
    after = cprules.evaluate(rs, case_from_data(data_dict))

    def key(d: cprules.Deadline) -> tuple[object, ...]:
        return (d.rule_id, d.trigger.index if d.trigger else None, d.group)

    new = {key(d): d for d in after.deadlines}
    assert new[key(target)].status == "met"
    added_type = rule.satisfied_by.event
    for d in ev.deadlines:
        if d.rule_id == target.rule_id or added_type in _mentions(rules[d.rule_id]):
            continue
        assert new.get(key(d)) == d, f"{d.rule_id} changed"


def test_cases_strategy_validates_its_arguments() -> None:
    from hypothesis.errors import InvalidArgument

    from cprules.testing import dates, durations

    with pytest.raises(InvalidArgument, match="max_value"):
        dates(dt.date(2024, 1, 2), dt.date(2024, 1, 1)).example()
    with pytest.raises(InvalidArgument, match="lateness"):
        cases(lateness=["early"])
    with pytest.raises(InvalidArgument, match="outside the working-day calendar"):
        dates(dt.date(1999, 1, 1))
    with pytest.raises(InvalidArgument, match="units"):
        durations(["fortnights"])
    assert isinstance(RecurringRule, type)
