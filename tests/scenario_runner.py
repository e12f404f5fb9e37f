"""Run a YAML scenario file: a case, an as-of date, and the findings expected.

Format (one scenario per file; see tests/scenarios/README.md):

    name: ICPC on time across the spring bank holiday
    ruleset: york                 # bundled name
    variant: derby_city           # optional, for rulesets with variants
    as_of: 2024-07-01
    facts: {children: [...], events: [...]}     # a cprules-case/1 case
    expected:
      deadlines:                  # per rule listed: exactly these (due, status[, met_on]
                                # [, children: the children the deadline names])
        - {rule: icpc.timing, due: 2024-06-11, status: met, met_on: 2024-06-10}
      absent: [review.first]      # rules that must give no deadline
      violations: [icpc.timing]   # when given: exactly this multiset of rule ids
      obligations: [review.first] # when given: exactly this multiset of rule ids
      data_quality: [after_as_of] # when given: exactly these codes
      no_violations: [plan.minimum.returned_to_carers]   # these rules give no violation
      has_obligations: [{rule: plan.minimum.returned_to_carers, children: [a]}]  # at least these
      has_violations: [{rule: quorum.inquorate_reason, children: [b]}]  # (children: exactly)
      compliant: [quorum.minimum] # decision rules that were applied and passed every time
      failed: [quorum.minimum]    # decision rules that were applied and failed at least once
      not_applied: [categories.single]  # decision rules applied to nothing in this case
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

import cprules
from cprules.loader import case_from_data

SCENARIOS = Path(__file__).parent / "scenarios"
_KEYS = {"name", "ruleset", "variant", "as_of", "facts", "expected", "description"}
_EXPECTED = {"deadlines", "absent", "violations", "obligations", "data_quality", "compliant",
             "failed", "not_applied", "no_violations", "has_obligations",
             "has_violations"}


def _date(v: Any) -> dt.date:
    return v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v))


def scenario_files() -> list[Path]:
    return sorted(SCENARIOS.rglob("*.yaml"))


def run_scenario(path: Path) -> None:
    spec = yaml.safe_load(path.read_text())
    unknown = set(spec) - _KEYS
    assert not unknown, f"{path}: unknown scenario keys {unknown}"
    expected = spec.get("expected") or {}
    assert set(expected) <= _EXPECTED, f"{path}: unknown expected keys {set(expected) - _EXPECTED}"
    assert expected, f"{path}: a scenario must expect something"
    facts = dict(spec["facts"])
    # yaml.safe_load turns dates into date objects; the case model accepts both.
    case = case_from_data(facts, file=str(path))
    ruleset = cprules.load_ruleset(spec["ruleset"])
    ev = cprules.evaluate(ruleset, case, as_of=_date(spec["as_of"]), variant=spec.get("variant"))
    produced = {d.rule_id for d in ev.deadlines}
    known = {r.id for r in ruleset.rules}

    by_rule: dict[str, list[dict[str, Any]]] = {}
    for item in expected.get("deadlines", []):
        assert item["rule"] in known, f"{path}: no rule {item['rule']!r} in {spec['ruleset']}"
        by_rule.setdefault(item["rule"], []).append(item)
    for rule_id, items in by_rule.items():
        # children is optional too: compared (as the set of children a deadline names)
        # where any item of the rule gives it.
        with_children = any("children" in i for i in items)
        got = [
            (d.due, d.status, d.met_by.date if d.met_by else None,
             tuple(sorted(d.children)) if with_children else ())
            for d in ev.deadlines if d.rule_id == rule_id
        ]
        want = [
            (_date(i["due"]), i["status"],
             _date(i["met_on"]) if i.get("met_on") is not None else None,
             tuple(sorted(i.get("children", ()))))
            for i in items
        ]
        # met_on is optional in the expectation: compare it only where given.
        got_cmp = sorted(
            (g[0], g[1], g[2] if any(i.get("met_on") for i in items) else None, g[3])
            for g in got
        )
        assert got_cmp == sorted(want), (
            f"{path}: {rule_id}: expected {sorted(want)}, got {sorted(got)}"
        )
    for rule_id in expected.get("absent", []):
        assert rule_id in known, f"{path}: no rule {rule_id!r}"
        assert rule_id not in produced, f"{path}: {rule_id} should give no deadline"
    if "violations" in expected:
        assert Counter(v.rule_id for v in ev.violations) == Counter(expected["violations"]), (
            f"{path}: violations {[v.rule_id for v in ev.violations]}"
        )
    if "obligations" in expected:
        assert Counter(o.rule_id for o in ev.obligations) == Counter(expected["obligations"]), (
            f"{path}: obligations {[o.rule_id for o in ev.obligations]}"
        )
    for rule_id in expected.get("compliant", []):
        assert rule_id in known, f"{path}: no rule {rule_id!r}"
        results = [c for c in ev.checks if c.rule_id == rule_id]
        assert results, f"{path}: {rule_id} was not applied to anything"
        assert all(c.passed for c in results), (
            f"{path}: {rule_id} failed: {[c.detail for c in results if not c.passed]}"
        )
    for rule_id in expected.get("failed", []):
        assert rule_id in known, f"{path}: no rule {rule_id!r}"
        results = [c for c in ev.checks if c.rule_id == rule_id]
        assert any(not c.passed for c in results), f"{path}: {rule_id} did not fail"
        cited = [v for v in (*ev.violations, *ev.obligations) if v.rule_id == rule_id]
        assert cited and all(v.citation.quote for v in cited), f"{path}: {rule_id} uncited"
    for rule_id in expected.get("not_applied", []):
        assert rule_id in known, f"{path}: no rule {rule_id!r}"
        applied = [c for c in ev.checks if c.rule_id == rule_id]
        assert not applied, f"{path}: {rule_id} was applied: {[c.detail for c in applied]}"
    for rule_id in expected.get("no_violations", []):
        assert rule_id in known, f"{path}: no rule {rule_id!r}"
        assert not [v for v in ev.violations if v.rule_id == rule_id], (
            f"{path}: {rule_id} should give no violation")
    for key, findings in (("has_obligations", ev.obligations),
                          ("has_violations", ev.violations)):
        for item in expected.get(key, []):
            rule_id, children = (item, None) if isinstance(item, str) else (
                item["rule"], tuple(sorted(item.get("children", ()))))
            assert rule_id in known, f"{path}: no rule {rule_id!r}"
            found = [f for f in findings if f.rule_id == rule_id
                     and (children is None or tuple(sorted(f.children)) == children)]
            assert found, f"{path}: {key}: nothing for {item}"
    if "data_quality" in expected:
        assert Counter(q.code for q in ev.data_quality) == Counter(expected["data_quality"]), (
            f"{path}: data quality {[q.code for q in ev.data_quality]}"
        )
