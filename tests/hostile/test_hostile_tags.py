"""Class: explicit YAML tags with bad content (``!!bool maybe``, ``!!int ''``,
``!!float ''``) and YAML 1.1 spellings: clean errors at their line and field, or (for
1.1 booleans and octal) plain text and decimal numbers, never a guess."""

from __future__ import annotations

import pytest
from hostile_helpers import CASE_HEAD, at, case_text, refused

from cprules.errors import CaseError, RulesetError
from cprules.yamlio import read_document


@pytest.mark.parametrize(("value", "message"), [
    ("!!bool maybe", "is not a boolean"),
    ("!!bool yes", "is not a boolean"),
    ("!!bool ''", "is not a boolean"),
    ("!!int ''", "not a whole number"),
    ("!!int 0x1F", "not a whole number"),
    ("!!int 1.5", "not a whole number"),
    ("!!int 1_000", "not a whole number"),
    ("!!float ''", "not a number"),
    ("!!float abc", "not a number"),
    ("!!null x", "is not null"),
    ("!!timestamp 2024-01-01", "is not allowed"),
    ("!!str [a]", "is not allowed"),
    ("!!map [a]", "is not allowed"),
])
def test_bad_content_under_an_explicit_tag(value: str, message: str) -> None:
    text = f"title: t\nnested:\n  key: {value}\n"
    exc = refused(lambda: read_document(text, "tags.yaml", error=RulesetError))
    at(exc, "tags.yaml", 3, "nested.key", message)


@pytest.mark.parametrize(("value", "read"), [
    ("!!bool true", True), ("!!bool FALSE", False), ("!!int -12", -12), ("!!int 017", 17),
    ("!!float 1.5", 1.5), ("!!float 2", 2.0), ("!!null ''", None), ("!!str 12", "12"),
    ("yes", "yes"), ("No", "No"), ("on", "on"), ("017", 17), ("0x1F", "0x1F"),
    ("1_000", "1_000"), ("1:30", "1:30"), ("2024-05-20", "2024-05-20"), ("~", None),
])
def test_plain_values_read_as_yaml_1_2(value: str, read: object) -> None:
    assert read_document(f"k: {value}\n", "t.yaml").data == {"k": read}


def test_a_yaml_1_1_boolean_in_a_case_is_refused_where_a_boolean_is_needed() -> None:
    exc = refused(lambda: case_text(
        CASE_HEAD + "  - type: visit\n    date: 2024-01-02\n    seen_alone: yes\n",
        "t.yaml"), CaseError)
    at(exc, "t.yaml", 8, "events[0].seen_alone", "write true or false, not 'yes'")
