"""The shared battery every bundled ruleset must pass (as every country in vacanza/holidays
inherits one test class): it loads, its ids are well formed and unique, every rule cites a
real paragraph or heading of its seed file with words that occur there, every rule is
exercised by a YAML scenario, and evaluating cases under it never fails."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
import yaml

import cprules
from cprules.model.results import Deadline
from cprules.registry import bundled

ROOT = Path(__file__).parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
SCENARIOS = Path(__file__).parent / "scenarios"
NAMES = sorted(bundled())

# Skipped without the texts, except in CI (CI=true), where a missing folder fails.
needs_seeds = pytest.mark.skipif(
    not SEEDS.is_dir() and os.environ.get("CI", "").lower() not in ("1", "true", "yes"),
    reason="../shared/seeds not present (set CI=true to make this a failure)")


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9.]+", " ", text.lower()).strip()


@cache
def _seed(file: str) -> str:
    return _norm((SEEDS / file).read_text(errors="replace"))


@cache
def _ruleset(name: str) -> cprules.Ruleset:
    return cprules.load_ruleset(name)


def test_the_four_partnerships_are_bundled() -> None:
    assert {"york"} <= set(NAMES)
    assert cprules.bundled_rulesets() == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_loads_and_names_itself(name: str) -> None:
    rs = _ruleset(name)
    assert rs.partnership == name
    assert rs.rules


@pytest.mark.parametrize("name", NAMES)
def test_rule_ids_are_unique_per_variant(name: str) -> None:
    rs = _ruleset(name)
    for variant in list(rs.variants) or [None]:
        ids = [r.id for r in rs.rules_for(variant)]
        assert len(ids) == len(set(ids)), f"{name}:{variant} repeats an id"


@needs_seeds
@pytest.mark.parametrize("name", NAMES)
def test_every_rule_cites_its_seed(name: str) -> None:
    rs = _ruleset(name)
    for rule in rs.rules:
        citations = [rule.source]
        for spec in (getattr(rule, "due", None), getattr(rule, "interval", None)):
            versions = getattr(spec, "within", getattr(spec, "at_least", spec))
            if isinstance(versions, tuple):
                citations += [v.source for v in versions if v.source is not None]
        for c in citations:
            assert (SEEDS / c.file).is_file(), f"{name} {rule.id}: no seed file {c.file}"
            text = _seed(c.file)
            assert _norm(c.quote) in text, f"{name} {rule.id}: quote not in {c.file}: {c.quote!r}"
            head = _norm(c.section.split(",")[0])
            assert head in text, f"{name} {rule.id}: section {c.section!r} not in {c.file}"


@needs_seeds
def test_check_quotes_tool_passes() -> None:
    tool = ROOT.parent / "shared" / "tools" / "check_quotes.py"
    if not tool.is_file():
        pytest.skip("check_quotes.py not present")
    files = [str(p) for p in sorted((ROOT / "rules").glob("*.yaml"))]
    out = subprocess.run([sys.executable, str(tool), str(SEEDS), *files],
                         capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stdout + out.stderr


@cache
def _scenario_expectations(name: str) -> dict[str, frozenset[str]]:
    seen: dict[str, set[str]] = {"any": set(), "compliant": set(), "failed": set()}
    for path in (SCENARIOS / name).glob("*.yaml"):
        spec = yaml.safe_load(path.read_text())
        exp = spec.get("expected", {})
        seen["any"] |= {d["rule"] for d in exp.get("deadlines", [])}
        seen["any"] |= set(exp.get("violations", [])) | set(exp.get("obligations", []))
        seen["compliant"] |= set(exp.get("compliant", []))
        seen["failed"] |= set(exp.get("failed", []))
    seen["any"] |= seen["compliant"] | seen["failed"]
    return {k: frozenset(v) for k, v in seen.items()}


def _scenario_rules(name: str) -> frozenset[str]:
    return _scenario_expectations(name)["any"]


@pytest.mark.parametrize("name", NAMES)
def test_every_decision_rule_is_tested_on_both_sides(name: str) -> None:
    from cprules.model.ruleset import DECISION_KINDS

    seen = _scenario_expectations(name)
    decision = {r.id for r in _ruleset(name).rules if r.kind in DECISION_KINDS}
    no_pass = sorted(decision - seen["compliant"])
    no_fail = sorted(decision - seen["failed"])
    assert not no_pass, f"{name}: decision rules with no complying scenario: {no_pass}"
    assert not no_fail, f"{name}: decision rules with no failing scenario: {no_fail}"


@pytest.mark.parametrize("name", NAMES)
def test_every_rule_has_a_scenario(name: str) -> None:
    missing = sorted({r.id for r in _ruleset(name).rules} - _scenario_rules(name))
    assert not missing, f"{name}: rules with no scenario: {missing}"


def _busy_case(variant: str | None) -> cprules.Case:
    """One case touching every event type, to run every rule."""
    from cprules.model.case import EVENT_TYPES

    events: list[dict[str, object]] = [
        {"id": "sd", "type": "strategy_discussion", "date": "2024-05-20", "s47_initiated": True,
         "icpc_agreed": True},
        {"id": "icpc", "type": "conference", "kind": "initial", "date": "2024-06-10",
         "outcome": "plan", "categories": ["neglect"]},
        {"type": "core_group", "date": "2024-06-20"},
        {"type": "visit", "date": "2024-06-14", "seen_alone": True, "bedroom_seen": True},
        {"type": "conference", "kind": "review", "date": "2024-09-05", "outcome": "plan"},
        {"type": "conference", "kind": "review", "date": "2025-03-05", "planned": True},
    ]
    assert EVENT_TYPES  # the vocabulary is importable
    return cprules.case_from_data({
        "local_authority": variant,
        "children": [{"id": "c1", "date_of_birth": "2019-03-04"},
                     {"id": "u1", "expected_date_of_delivery": "2024-12-01"}],
        "events": events,
    })


@pytest.mark.parametrize("name", NAMES)
def test_evaluates_and_every_finding_cites_a_rule(name: str) -> None:
    rs = _ruleset(name)
    ids = {r.id for r in rs.rules}
    for variant in list(rs.variants) or [None]:
        ev = cprules.evaluate(rs, _busy_case(variant), as_of=dt.date(2024, 10, 1))
        assert ev.stamp.ruleset == name and ev.stamp.variant == variant
        assert len(ev.stamp.content_sha256 or "") == 64
        for f in (*ev.deadlines, *ev.obligations, *ev.violations):
            assert f.rule_id in ids
            assert f.citation.quote and f.citation.section
        for d in ev.deadlines:
            assert isinstance(d, Deadline) and d.basis
            assert (d.status in ("met", "met_late")) == (d.met_by is not None)
