"""The per-child contract (docs/semantics.md, "Children"): evaluating a case gives, for
each child, exactly the findings that evaluating that child alone gives: the child, and
the events that name the child or no child. Findings the same for several children are
reported once, naming them all."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from functools import cache
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cprules
from cprules.model.case import Case
from cprules.testing import sibling_groups

SIDES = [("york", None), ("derby", "derby_city"), ("derby", "derbyshire"),
         ("north_yorkshire", None), ("kirklees", None)]


@cache
def ruleset(name: str) -> cprules.Ruleset:
    return cprules.load_ruleset(name)


def _names(event: Any) -> frozenset[str] | None:
    child = getattr(event, "child", None)
    if isinstance(child, str):
        return frozenset({child})
    return frozenset(event.children) if event.children else None


def alone(case: Case, child_id: str) -> tuple[Case, dict[int, int]]:
    """The case of one child: the child and the events that concern them; and where each
    of its events was in the whole case."""
    keep = [i for i, e in enumerate(case.events)
            if (n := _names(e)) is None or child_id in n]
    events = [case.events[i] for i in keep]
    # an event naming the child and a sibling names only the child here
    events = [e.model_copy(update={"children": (child_id,)}) if e.children else e
              for e in events]
    sub = case.model_copy(update={
        "children": tuple(c for c in case.children if c.id == child_id),
        "events": tuple(events)})
    return Case.model_validate(sub.model_dump()), dict(enumerate(keep))


def _ref(ref: Any, where: dict[int, int] | None) -> Any:
    if ref is None:
        return None
    index = ref.index if ref.index < 0 else (where[ref.index] if where else ref.index)
    if ref.index < 0:  # synthetic births and deliveries: named by their id
        index = ref.id
    return (index, ref.type, ref.date)


def normal(ev: cprules.Evaluation, child: str | None, where: dict[int, int] | None
           ) -> Counter[Any]:
    out: Counter[Any] = Counter()
    for group in (ev.deadlines, ev.obligations, ev.violations, ev.checks, ev.data_quality):
        for f in group:
            if child is not None and child not in f.children:
                continue
            d = f.model_dump()
            d.pop("children")
            for key in ("trigger", "met_by", "subject", "event"):
                if key in d:
                    d[key] = _ref(getattr(f, key), where)
            if "evidence" in d:
                d["evidence"] = tuple(_ref(r, where) for r in f.evidence)
            if "citation" in d:
                d["citation"] = f.citation.section
            out[tuple(sorted((k, repr(v)) for k, v in d.items()))] += 1
    return out


@pytest.mark.parametrize(("name", "variant"), SIDES)
@settings(max_examples=300)
@given(data=st.data())
def test_each_child_gets_what_it_would_get_alone(name: str, variant: str | None,
                                                 data: st.DataObject) -> None:
    rs = ruleset(name)
    case = data.draw(sibling_groups(rs))
    if variant is not None:
        case = case.model_copy(update={"local_authority": variant})
    as_of = data.draw(st.sampled_from([None, dt.date(2026, 1, 1)]))
    whole = cprules.evaluate(rs, case, as_of=as_of)
    ids = [c.id for c in case.children]
    for f in (*whole.deadlines, *whole.obligations, *whole.violations, *whole.checks,
              *whole.data_quality):
        assert f.children and set(f.children) <= set(ids), f
        assert list(f.children) == [i for i in ids if i in f.children]  # case order
    for cid in ids:
        sub, where = alone(case, cid)
        own = cprules.evaluate(rs, sub, as_of=whole.stamp.as_of)
        assert normal(whole, cid, None) == normal(own, None, where), cid


def test_the_contract_test_can_fail() -> None:
    """A sibling's conference must not meet a child's deadline: the test above would see
    it, as this hand-built case shows both ways."""
    rs = ruleset("york")
    case = cprules.case_from_data({
        "children": [{"id": "a", "date_of_birth": "2018-01-01"},
                     {"id": "b", "date_of_birth": "2019-01-01"}],
        "events": [
            {"type": "strategy_discussion", "date": "2024-05-20", "s47_initiated": True},
            {"type": "conference", "kind": "initial", "date": "2024-06-10",
             "outcome": "no_plan", "children": ["a"]},
        ]})
    whole = cprules.evaluate(rs, case, as_of=dt.date(2024, 7, 1))
    timing = {d.children: d.status for d in whole.deadline("icpc.timing")}
    assert timing == {("a",): "met", ("b",): "overdue"}
    sub, where = alone(case, "b")
    own = cprules.evaluate(rs, sub, as_of=dt.date(2024, 7, 1))
    assert normal(whole, "b", None) == normal(own, None, where)
    assert normal(whole, "a", None) != normal(own, None, where)
