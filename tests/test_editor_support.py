"""Editor support: each bundled ruleset names its schema on its first line (the
yaml-language-server convention), the schema knows the event types and their fields, the
schemas have a URN $id, and .pre-commit-hooks.yaml offers cprules-validate."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from cprules.model.events import EVENT_TYPES
from cprules.registry import bundled
from cprules.schemas import SCHEMAS

ROOT = Path(__file__).parent.parent
SCHEMA = json.loads((ROOT / "schema" / "ruleset.schema.json").read_text())


@pytest.mark.parametrize("name", sorted(bundled()))
def test_first_line_names_the_schema(name: str) -> None:
    path = ROOT / "rules" / f"{name}.yaml"
    first = path.read_text().splitlines()[0]
    prefix = "# yaml-language-server: $schema="
    assert first.startswith(prefix)
    target = (path.parent / first[len(prefix):]).resolve()
    assert target == (ROOT / "schema" / "ruleset.schema.json").resolve()


def _plain(name: str) -> Any:
    class Loader(yaml.SafeLoader):
        pass

    Loader.yaml_implicit_resolvers = {
        k: [(t, r) for t, r in v if t != "tag:yaml.org,2002:timestamp"]
        for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return yaml.load((ROOT / "rules" / f"{name}.yaml").read_text(), Loader=Loader)


def test_schema_lists_the_event_types() -> None:
    event = SCHEMA["$defs"]["Trigger"]["properties"]["event"]
    assert event["enum"] == sorted(EVENT_TYPES)


@pytest.mark.parametrize(("where", "change"), [
    ("trigger.event", lambda r: r["trigger"].update(event="strategy_discusion")),
    ("trigger.where", lambda r: r["trigger"].update(where={"s47_initiatd": True})),
    ("satisfied_by.where", lambda r: r["satisfied_by"].update(where={"outcome": "plan",
                                                                      "kindd": "initial"})),
])
def test_an_editor_flags_an_unknown_event_type_or_field(where: str, change: Any) -> None:
    data = _plain("york")
    jsonschema.validate(data, SCHEMA)
    broken = copy.deepcopy(data)
    rule = next(r for r in broken["rules"] if r["id"] == "icpc.timing")
    change(rule)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, SCHEMA)


def test_a_field_condition_names_an_event_field() -> None:
    data = _plain("york")
    rule = next(r for r in data["rules"] if r["kind"] == "check")
    rule["require"] = {"field": {"outcom": "plan"}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, SCHEMA)


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_schemas_have_a_urn_id(name: str) -> None:
    assert SCHEMAS[name]()["$id"] == f"urn:cprules:schema:{name}:1"


def test_pre_commit_hooks() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    by_id = {h["id"]: h for h in hooks}
    validate = by_id["cprules-validate"]
    assert validate["entry"] == "cprules validate" and validate["language"] == "python"
    assert "rules/" in validate["files"]
    assert by_id["cprules-test"]["pass_filenames"] is False
