"""docs/partnerships.md agrees with the rulesets and the scenario folders: the scenario and
decision-rule counts it states are the real ones, every rule of a ruleset is named in that
partnership's section, and every rule id in the section's tables exists."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

import cprules
from cprules.model.ruleset import DECISION_KINDS

ROOT = Path(__file__).parent.parent
DOC = ROOT / "docs" / "partnerships.md"
SCENARIOS = Path(__file__).parent / "scenarios"
SECTIONS = {
    "york": "## City of York (CYSCP)",
    "derby": "## Derby and Derbyshire (DDSCP)",
    "north_yorkshire": "## North Yorkshire (NYSCP)",
    "kirklees": "## Kirklees (KSCP)",
}
# Backticked dotted words that name something other than a rule.
NOT_RULES = ("agency_groups.", "vocabularies.", "cprules.", "schema.")
_TOKEN = re.compile(r"`([a-z][a-z0-9_]*(?:\.[a-z0-9_*]+)+)`")


@cache
def _sections() -> dict[str, str]:
    text = DOC.read_text()
    starts = sorted((text.index(h), name) for name, h in SECTIONS.items())
    out = {}
    for i, (pos, name) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(text)
        out[name] = text[pos:end]
    return out


@cache
def _ids(name: str) -> tuple[frozenset[str], frozenset[str]]:
    rs = cprules.load_ruleset(name)
    return (frozenset(r.id for r in rs.rules),
            frozenset(r.id for r in rs.rules if r.kind in DECISION_KINDS))


def _named(section: str) -> set[str]:
    return {t for t in _TOKEN.findall(section)
            if not t.startswith(NOT_RULES) and not t.endswith((".yaml", ".txt", ".md", ".json"))}


def _covered(rule_id: str, named: set[str]) -> bool:
    return rule_id in named or any(
        n.endswith("*") and rule_id.startswith(n[:-1]) for n in named)


def test_every_partnership_has_a_section() -> None:
    assert set(_sections()) == set(cprules.bundled_rulesets())


@pytest.mark.parametrize("name", sorted(SECTIONS))
def test_scenario_counts(name: str) -> None:
    section = _sections()[name]
    folder = SCENARIOS / name
    total = re.findall(rf"\*\*Scenarios:\*\* `tests/scenarios/{name}/` \((\d+) files\)", section)
    assert total, f"{name}: the section does not give its scenario count"
    assert [int(n) for n in total] == [len(list(folder.glob("*.yaml")))], (
        f"{name}: docs/partnerships.md says {total[0]} scenario files, the folder has "
        f"{len(list(folder.glob('*.yaml')))}")
    for n in re.findall(rf"`tests/scenarios/{name}/decisions_\*\.yaml` \((\d+) files", section):
        assert int(n) == len(list(folder.glob("decisions_*.yaml"))), (
            f"{name}: decisions_*.yaml count {n} is stale")


@pytest.mark.parametrize("name", sorted(SECTIONS))
def test_decision_rule_counts(name: str) -> None:
    for n in re.findall(r"The (\d+) decision rules", _sections()[name]):
        assert int(n) == len(_ids(name)[1]), f"{name}: 'The {n} decision rules' is stale"


@pytest.mark.parametrize("name", sorted(SECTIONS))
def test_every_rule_is_described(name: str) -> None:
    named = _named(_sections()[name])
    missing = sorted(r for r in _ids(name)[0] if not _covered(r, named))
    assert not missing, f"{name}: rules not named in docs/partnerships.md: {missing}"


@pytest.mark.parametrize("name", sorted(SECTIONS))
def test_every_rule_in_a_table_exists(name: str) -> None:
    """The tables ("What it covers", "Decision rules") list encoded rules only; prose may
    name a rule that is deliberately not written for this partnership."""
    ids = _ids(name)[0]
    rows = "\n".join(line.split("|")[1] for line in _sections()[name].splitlines()
                     if line.startswith("| `"))
    unknown = sorted(n for n in _named(rows)
                     if not (n in ids or (n.endswith("*") and any(
                         i.startswith(n[:-1]) for i in ids))))
    assert not unknown, f"{name}: docs/partnerships.md names rules that do not exist: {unknown}"
