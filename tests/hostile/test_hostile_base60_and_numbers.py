"""Class: base-60 integers built inside PyYAML, and 5,000-digit integers as keys and
values (YAML, JSON, JSON Lines, and in a field condition). Scalars resolve as YAML 1.2
core: ``1:59:59`` is text; every number longer than Limits.max_digits is refused before
it is converted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hostile_helpers import (
    CASE_HEAD,
    CHECK,
    RULESET_HEAD,
    at,
    case_text,
    refused,
    ruleset_text,
    timed,
)

from cprules.errors import CaseError, RulesetError
from cprules.impact import iter_cases
from cprules.loader import load_case
from cprules.yamlio import DEFAULT_LIMITS, read_document

SEXAGESIMAL = "1" + ":59" * 50_000


def test_base60_is_text_and_costs_nothing() -> None:
    data = timed(lambda: read_document(f"x: {SEXAGESIMAL}\n", "b.yaml").data)
    assert data == {"x": SEXAGESIMAL}
    assert read_document("t: 1:30\n", "b.yaml").data == {"t": "1:30"}  # not 90


def test_base60_as_a_date_is_a_clean_error() -> None:
    exc = refused(lambda: case_text(CASE_HEAD + f"  - {{type: visit, date: {SEXAGESIMAL}}}\n",
                                    "b.yaml"), CaseError)
    at(exc, "b.yaml", 6, "events[0].date", "YYYY-MM-DD")
    assert len(exc.message) < 200  # the value is shown cut short


def test_explicit_int_tag_on_base60_is_capped_before_conversion() -> None:
    exc = refused(lambda: read_document(f"x: !!int {SEXAGESIMAL}\n", "b.yaml",
                                        error=RulesetError))
    at(exc, "b.yaml", 1, "x", "number too long")


@pytest.mark.parametrize(("text", "line", "path", "message"), [
    ("{" + "9" * 5000 + ": 1}\n", 1, None, "number too long"),
    ("a: 1\n? " + "9" * 5000 + "\n: 1\n", 2, None, "number too long"),
    ("a: {b: " + "9" * 5000 + "}\n", 1, "a.b", "number too long"),
    ("x: -" + "9" * 5000 + "\n", 1, "x", "number too long"),
    ("x: " + "9" * 5000 + ".5\n", 1, "x", "number too long"),
    ("x:\n  - 1\n  - " + "9" * 100_000 + "\n", 3, "x[1]", "number too long"),
])
def test_long_numbers_in_yaml(text: str, line: int, path: str | None, message: str) -> None:
    exc = refused(lambda: read_document(text, "n.yaml", error=RulesetError))
    at(exc, "n.yaml", line, path, message)


def test_a_number_at_the_limit_is_read() -> None:
    n = "9" * DEFAULT_LIMITS.max_digits
    assert read_document(f"x: {n}\n", "n.yaml").data == {"x": int(n)}


def test_long_integer_in_a_field_condition() -> None:
    text = RULESET_HEAD + CHECK.replace("{field: {kind: initial}}",
                                        "{field: {kind: " + "9" * 5000 + "}}")
    exc = refused(lambda: ruleset_text(text, "r.yaml"), RulesetError)
    at(exc, "r.yaml", 12, "rules[0].when.field.kind", "number too long")


def test_an_integer_in_a_field_condition_is_checked_against_the_field() -> None:
    text = RULESET_HEAD + CHECK.replace("{field: {kind: initial}}", "{field: {kind: 12}}")
    exc = refused(lambda: ruleset_text(text, "r.yaml"), RulesetError)
    at(exc, "r.yaml", 12, "rules[0].when", "not a valid value of conference.kind")


@pytest.mark.parametrize(("body", "field"), [
    ('{"x": ' + "9" * 5000 + "}", "extra.x"),
    ('{"' + "9" * 10 + '": 1, "y": -' + "9" * 5000 + "}", "extra.y"),
    ('{"x": 1.' + "5" * 5000 + "}", "extra.x"),
    ('{"x": [0, 1e' + "9" * 5000 + "]}", "extra.x[1]"),
])
def test_long_numbers_in_json(body: str, field: str, tmp_path: Path) -> None:
    path = tmp_path / "n.json"
    path.write_text('{"children": [],\n "extra":\n ' + body + "}\n")
    exc = refused(lambda: load_case(path), CaseError)
    at(exc, str(path), 3, field, "number too long")


def test_long_numbers_and_deep_arrays_in_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "cases.jsonl"
    good = json.dumps({"children": [{"id": "c", "date_of_birth": "2016-01-01"}]})
    path.write_text("\n".join([good, '{"x": ' + "9" * 5000 + "}",
                               "[" * 100_000 + "]" * 100_000, good]) + "\n")
    got = timed(lambda: list(iter_cases([path])))
    assert [name for name, _ in got] == [f"{path}:{n}" for n in (1, 2, 3, 4)]
    ok1, long_number, deep, ok4 = (c for _, c in got)
    assert not isinstance(ok1, Exception) and not isinstance(ok4, Exception)
    assert isinstance(long_number, CaseError) and isinstance(deep, CaseError)
    at(long_number, str(path), 2, "x", "number too long")
    at(deep, str(path), 3, None, "nesting deeper than 60 levels")
