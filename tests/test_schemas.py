"""The committed JSON Schemas are current, and the bundled rulesets and example cases
validate against them with jsonschema (so editors and case systems can rely on them)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from cprules.registry import bundled
from cprules.schemas import SCHEMAS

ROOT = Path(__file__).parent.parent


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_committed_schema_is_current(name: str) -> None:
    committed = json.loads((ROOT / "schema" / f"{name}.schema.json").read_text())
    assert committed == SCHEMAS[name](), (
        f"schema/{name}.schema.json is stale: run "
        f"`cprules schema {name} > schema/{name}.schema.json`"
    )


def _plain(path: Path) -> object:
    # JSON-compatible data, as an editor would see it: dates stay strings.
    class Loader(yaml.SafeLoader):
        pass

    Loader.yaml_implicit_resolvers = {
        k: [(t, r) for t, r in v if t != "tag:yaml.org,2002:timestamp"]
        for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return yaml.load(path.read_text(), Loader=Loader)


@pytest.mark.parametrize("name", sorted(bundled()))
def test_bundled_ruleset_validates_against_schema(name: str) -> None:
    schema = json.loads((ROOT / "schema" / "ruleset.schema.json").read_text())
    jsonschema.validate(_plain(bundled()[name]), schema)


@pytest.mark.parametrize("path", sorted((ROOT / "examples").glob("*.yaml")), ids=lambda p: p.name)
def test_example_cases_validate_against_schema(path: Path) -> None:
    schema = json.loads((ROOT / "schema" / "case.schema.json").read_text())
    jsonschema.validate(_plain(path), schema)


def test_schema_rejects_what_the_loader_rejects() -> None:
    schema = json.loads((ROOT / "schema" / "ruleset.schema.json").read_text())
    data = _plain(bundled()["york"])
    assert isinstance(data, dict)
    data["rules"][0]["withn"] = "15 working days"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)
    data = _plain(bundled()["york"])
    assert isinstance(data, dict)
    data["rules"][0]["due"] = {"within": "15 workng days"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)
