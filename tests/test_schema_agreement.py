"""The published schemas agree with the loader (issue 14), checked with strict format
checking: a case that is valid under schema/case.schema.json loads, and a case the loader
refuses is schema-invalid wherever JSON Schema can say why; every evaluation the scenario
files and the examples give validates against schema/evaluation.schema.json."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

import cprules
from cprules.errors import CprulesError
from cprules.yamlio import read_document

ROOT = Path(__file__).parent.parent
Validator = jsonschema.Draft202012Validator
FORMATS = Validator.FORMAT_CHECKER


@cache
def validator(name: str) -> jsonschema.protocols.Validator:
    schema = json.loads((ROOT / "schema" / f"{name}.schema.json").read_text())
    Validator.check_schema(schema)
    return Validator(schema, format_checker=FORMATS)


def test_format_checking_is_really_strict() -> None:
    """date and date-time are checked (date-time needs rfc3339-validator, in the test
    extra), so a format alone would refuse these."""
    assert not FORMATS.conforms("2024-02-30", "date")
    assert not FORMATS.conforms("20/05/2024", "date")
    assert not FORMATS.conforms("2024-06-07T10:00:00", "date-time")  # RFC 3339: no zone
    assert FORMATS.conforms("2024-06-07T10:00:00+01:00", "date-time")


def test_schemas_have_a_stable_absolute_id() -> None:
    for path in sorted((ROOT / "schema").glob("*.schema.json")):
        schema = json.loads(path.read_text())
        name = path.name.removesuffix(".schema.json")
        assert schema["$id"] == f"urn:cprules:schema:{name}:1"
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


BASE: dict[str, Any] = {
    "id": "case-1", "partnership": "york", "as_of": "2024-07-15",
    "children": [{"id": "c1", "date_of_birth": "2019-03-04"}],
    "events": [
        {"id": "sd1", "type": "strategy_discussion", "date": "2024-05-20",
         "s47_initiated": True},
        {"id": "icpc", "type": "conference", "kind": "initial", "date": "2024-06-07",
         "outcome": "plan", "categories": ["neglect"],
         "attendees": [{"agency": "childrens_social_care"}, {"agency": "health"}]},
        {"type": "document_sent", "date": "2024-06-10", "document": "outline_plan",
         "conference": "icpc"},
    ],
}


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """Set (or, with ``...``, delete) the field at a dotted path: events.1.date."""
    *parents, last = path.split(".")

    def apply(case: dict[str, Any]) -> None:
        node: Any = case
        for p in parents:
            node = node[int(p)] if p.isdigit() else node[p]
        key: Any = int(last) if last.isdigit() else last
        if value is ...:
            del node[key]
        else:
            node[key] = value
    return apply


def _add_event(event: dict[str, Any]) -> Callable[[dict[str, Any]], None]:
    return lambda case: case["events"].append(event)


VALID = {  # both accept
    "the base case": [],
    "a naive time (the docs' example)": [_set("events.1.date", "2024-06-07T10:00:00")],
    "a naive time without seconds": [_set("events.1.date", "2024-06-07T10:00")],
    "a naive time with a space": [_set("events.1.date", "2024-06-07 10:00")],
    "a time in UTC": [_set("events.1.date", "2024-06-07T09:00:00Z")],
    "a time with its offset": [_set("events.1.date", "2024-06-07T10:00:00+01:00")],
    "a zoned time without seconds": [_set("events.1.date", "2024-06-07T10:00+01:00")],
    "fractions of a second": [_set("events.1.date", "2024-06-07T10:00:00.250+01:00")],
    "the repeated hour when the clocks go back": [_set("events.1.date", "2024-10-27T01:30")],
    "29 February in a leap year": [_set("events.0.date", "2024-02-29")],
    "'at' agreeing with the date": [_set("events.1.at", "2024-06-07T10:00:00+01:00")],
    "an unborn child": [_set("children", [{"id": "u", "expected_date_of_delivery":
                                           "2025-01-10"}])],
    "a child with both dates": [_set("children.0.expected_date_of_delivery", "2019-03-01")],
    "a planned conference": [_add_event({"type": "conference", "kind": "review",
                                         "date": "2024-09-01", "planned": True})],
    "a planned conference, outcome null": [_add_event({
        "type": "conference", "kind": "review", "date": "2024-09-01", "planned": True,
        "outcome": None})],
    "false as a boolean": [_set("events.0.s47_initiated", False)],
    "no as_of": [_set("as_of", ...)],
    "an order's end date": [_add_event({"type": "emergency_protection_order",
                                        "date": "2024-05-21", "ends_on": "2024-05-29"})],
    "the format named": [_set("format", "cprules-case/1")],
}

INVALID = {  # both refuse
    "a date written 20/05/2024": [_set("events.0.date", "20/05/2024")],
    "30 February": [_set("events.0.date", "2024-02-30")],
    "29 February in a common year": [_set("events.0.date", "2023-02-29")],
    "31 April": [_set("events.0.date", "2024-04-31")],
    "month 13": [_set("events.0.date", "2024-13-01")],
    "a date without leading zeros": [_set("events.0.date", "2024-6-7")],
    "year 0": [_set("events.0.date", "0000-01-01")],
    "a space before the date": [_set("events.0.date", " 2024-05-20")],
    "a date as the number 0": [_set("events.0.date", 0)],
    "a date as a Unix timestamp": [_set("events.0.date", 1716163200)],
    "a date as a timestamp string": [_set("children.0.date_of_birth", "1700000000")],
    "a date as a compact string": [_set("children.0.date_of_birth", "20190304")],
    "a time where a date is wanted": [_set("children.0.date_of_birth", "2019-03-04T00:00")],
    "an as_of of 'yes'": [_set("as_of", "yes")],
    "'yes' as a boolean": [_set("events.0.s47_initiated", "yes")],
    "1 as a boolean": [_set("events.0.s47_initiated", 1)],
    "'true' as a boolean": [_set("events.0.s47_initiated", "true")],
    "hour 24": [_set("events.1.date", "2024-06-07T24:00")],
    "a leap second": [_set("events.1.date", "2024-06-07T23:59:60")],
    "a lower-case zone": [_set("events.1.date", "2024-06-07T10:00:00z")],
    "a date where 'at' wants a time": [_set("events.1.at", "2024-06-07")],
    "an unknown event type": [_set("events.1.type", "conferense")],
    "an unknown field": [_set("events.0.dat", "2024-05-20")],
    "an event without a date": [_set("events.0.date", ...)],
    "an event without a type": [_set("events.0.type", ...)],
    "a conference without its kind": [_set("events.1.kind", ...)],
    "an unknown agency": [_set("events.1.attendees.0.agency", "fire_service")],
    "a child with no date": [_set("children.0.date_of_birth", ...)],
    "a child whose date is null": [_set("children.0.date_of_birth", None)],
    "no children": [_set("children", [])],
    "a planned conference with an outcome": [_add_event({
        "type": "conference", "kind": "review", "date": "2024-09-01", "planned": True,
        "outcome": "plan"})],
    "another format": [_set("format", "cprules-case/2")],
    "an impossible end date": [_add_event({"type": "emergency_protection_order",
                                           "date": "2024-05-21", "ends_on": "2024-13-01"})],
    "events as a mapping": [_set("events", {"type": "visit"})],
    "an id too long": [_set("id", "x" * 201)],
}

LOADER_ONLY = {  # refused by the loader for reasons JSON Schema cannot say
    "a time the clocks skip": [_set("events.1.date", "2024-03-31T01:30")],
    "two events with one id": [_set("events.1.id", "sd1")],
    "an event about an unknown child": [_set("events.0.children", ["c9"])],
    "a reference to no conference": [_set("events.2.conference", "icpc2")],
    "'at' on another day": [_set("events.1.at", "2024-06-08T10:00:00+01:00")],
    "'at' disagreeing with the time": [_set("events.1.date", "2024-06-07T10:00"),
                                       _set("events.1.at", "2024-06-07T11:00:00+01:00")],
}

SCHEMA_STRICTER = {  # forms the schema refuses; the loader may read them
    "an hour alone": [_set("events.1.date", "2024-06-07T10")],
    "the basic format": [_set("events.1.date", "20240607T10:00")],
    "a lower-case t": [_set("events.1.date", "2024-06-07t10:00")],
    "an offset without a colon": [_set("events.1.date", "2024-06-07T10:00:00+0100")],
    "a comma before the fraction": [_set("events.1.date", "2024-06-07T10:00:00,5")],
}


def _variant(changes: list[Callable[[dict[str, Any]], None]]) -> dict[str, Any]:
    case = copy.deepcopy(BASE)
    for change in changes:
        change(case)
    return case


def _loads(case: dict[str, Any]) -> bool:
    text = json.dumps(case)  # through the JSON reader, as a case system sends it
    try:
        cprules.case_from_data(read_document(text, "case.json", syntax="json"))
    except CprulesError:
        return False
    return True


def _schema_valid(case: dict[str, Any]) -> bool:
    valid = validator("case").is_valid(case)
    # the patterns alone say as much: a validator that checks no formats agrees
    assert Validator(validator("case").schema).is_valid(case) == valid
    return valid


ALL = {**{k: ("valid", v) for k, v in VALID.items()},
       **{k: ("invalid", v) for k, v in INVALID.items()},
       **{k: ("loader-only", v) for k, v in LOADER_ONLY.items()},
       **{k: ("schema-stricter", v) for k, v in SCHEMA_STRICTER.items()}}


def test_there_are_at_least_forty_variations() -> None:
    assert len(ALL) >= 40
    assert len(VALID) >= 10 and len(INVALID) >= 25


@pytest.mark.parametrize("name", sorted(ALL))
def test_schema_and_loader_agree(name: str) -> None:
    expected, changes = ALL[name]
    case = _variant(changes)
    loads, valid = _loads(case), _schema_valid(case)
    if valid and expected != "loader-only":  # schema-valid loads
        assert loads, f"{name}: valid under the schema, refused by the loader"
    if expected == "valid":
        assert loads and valid
    elif expected == "invalid":
        assert not loads and not valid, (loads, valid)
    elif expected == "loader-only":
        assert not loads and valid
    else:
        assert not valid


def _scenario_evaluations() -> list[tuple[str, dict[str, Any], cprules.Evaluation]]:
    out = []
    for path in sorted((ROOT / "tests" / "scenarios").rglob("*.yaml")):
        doc = read_document(path.read_bytes(), path.name).data
        rs = _ruleset(str(ROOT / "rules" / f"{doc['ruleset']}.yaml"))
        case = cprules.case_from_data(doc["facts"])
        ev = cprules.evaluate(rs, case, as_of=doc.get("as_of"), variant=doc.get("variant"))
        out.append((str(path.relative_to(ROOT)), doc["facts"], ev))
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        facts = read_document(path.read_bytes(), path.name).data
        case = cprules.load_case(path)
        for as_of in ("2024-06-01", "2024-07-15", "2024-09-20", "2025-06-01"):
            ev = cprules.evaluate(_ruleset("york"), case, as_of=as_of)
            out.append((f"{path.name}@{as_of}", facts, ev))
    return out


@cache
def _ruleset(ref: str) -> cprules.Ruleset:
    return cprules.load_ruleset(ref)


def test_every_scenario_and_example_is_schema_valid_and_so_is_its_evaluation() -> None:
    evaluations = _scenario_evaluations()
    assert len(evaluations) >= 150
    timed = 0
    for name, facts, ev in evaluations:
        case_errors = [e.message for e in validator("case").iter_errors(facts)]
        assert not case_errors, (name, case_errors[:3])
        data = ev.model_dump(mode="json")
        errors = [f"{list(e.absolute_path)}: {e.message}"
                  for e in validator("evaluation").iter_errors(data)]
        assert not errors, (name, errors[:3])
        timed += sum(1 for d in data["deadlines"] if d["due_at"] is not None)
    assert timed > 0  # due_at (an aware time with its offset) was checked


def test_due_at_is_written_with_its_offset() -> None:
    schema = validator("evaluation").schema["$defs"]["Deadline"]["properties"]["due_at"]
    instant = schema["anyOf"][0]
    assert instant["format"] == "date-time" and instant["pattern"].endswith(":[0-5][0-9])$")
    check = Validator(instant, format_checker=FORMATS)
    assert check.is_valid("2024-05-25T15:00:00+01:00")
    assert not check.is_valid("2024-05-25T15:00:00")  # never without its zone


def test_due_at_is_uk_local_time_with_its_offset_z_in_winter() -> None:
    """docs/semantics.md: +01:00 in summer, Z in winter, in the full and compact forms."""
    from cprules.batch import compact

    scenario = yaml.safe_load((ROOT / "tests" / "scenarios" / "derby" /
                               "hours_across_clock_changes.yaml").read_text())
    ev = cprules.evaluate("derby", scenario["facts"], as_of="2024-11-15",
                          variant=scenario["variant"])
    full = [d["due_at"] for d in ev.model_dump(mode="json")["deadlines"] if d["due_at"]]
    assert full == ["2024-04-01T11:00:00+01:00", "2024-10-28T09:00:00Z"]
    lines = compact(ev, 1)["deadlines"]["transfer_in.notification_out"]["due_at"]
    assert lines == full
