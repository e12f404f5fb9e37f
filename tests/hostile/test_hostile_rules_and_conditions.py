"""Class: wrong acceptances in rulesets: a rule id with a trailing newline passed the
duplicate-id check; durations with fullwidth or Arabic-Indic digits were read as 15;
``field:`` values were never checked against the event's fields; ``count`` with
``at_least`` above ``at_most`` loaded. And in cases: an ``expected_delivery`` naming an
unknown child was accepted (a ``birth`` is refused)."""

from __future__ import annotations

import pytest
from hostile_helpers import (
    CASE_HEAD,
    CHECK,
    RULE,
    RULESET_HEAD,
    at,
    case_text,
    refused,
    ruleset_text,
)

from cprules.errors import CaseError, RulesetError


def test_a_rule_id_with_a_trailing_newline() -> None:
    text = RULESET_HEAD + RULE + RULE.replace("id: icpc.timing", 'id: "icpc.timing\\n"')
    exc = refused(lambda: ruleset_text(text, "id.yaml"), RulesetError)
    at(exc, "id.yaml", 17, "rules[1].id", "is not a rule id")


@pytest.mark.parametrize("duration", ["１５ working days", "١٥ working days",
                                      "۱۵ days", "15 working\u00a0days", "15 wee\u212as"])
def test_durations_take_ascii_digits_only(duration: str) -> None:
    text = RULESET_HEAD + RULE.replace("{within: 15 working days}", f"{{within: '{duration}'}}")
    exc = refused(lambda: ruleset_text(text, "d.yaml"), RulesetError)
    at(exc, "d.yaml", 14, "rules[0].due.within", "is not a duration")


@pytest.mark.parametrize(("cond", "message"), [
    ("{field: {kind: reveiw}}", "'reveiw' is not a valid value of conference.kind"),
    ("{field: {kind: [initial, reveiw]}}", "'reveiw' is not a valid value"),
    ("{field: {planned: 'yes'}}", "write true or false"),
    ("{field: {virtual: 1}}", "write true or false"),
    ("{field: {outcome: maybe}}", "'maybe' is not a valid value of conference.outcome"),
    ("{any: [{field: {kind: initial}}, {not: {field: {kind: reveiw}}}]}", "'reveiw'"),
])
def test_field_condition_values_are_checked(cond: str, message: str) -> None:
    text = RULESET_HEAD + CHECK.replace("when: {field: {kind: initial}}", f"when: {cond}")
    exc = refused(lambda: ruleset_text(text, "f.yaml"), RulesetError)
    at(exc, "f.yaml", 12, "rules[0].when", message)


def test_field_condition_values_that_load() -> None:
    for cond in ("{field: {kind: review}}", "{field: {outcome: null}}",
                 "{field: {planned: false}}", "{field: {kind: [initial, review]}}"):
        text = RULESET_HEAD + CHECK.replace("when: {field: {kind: initial}}", f"when: {cond}")
        assert ruleset_text(text).rules[0].id == "quorum.check"


def test_where_and_field_agree() -> None:
    where = RULESET_HEAD + RULE.replace("where: {kind: initial}", "where: {kind: reveiw}")
    field = RULESET_HEAD + CHECK.replace("{field: {kind: initial}}", "{field: {kind: reveiw}}")
    for text in (where, field):
        exc = refused(lambda t=text: ruleset_text(t, "a.yaml"), RulesetError)
        assert "'reveiw' is not a valid value of conference.kind" in str(exc)


def test_count_with_at_least_above_at_most() -> None:
    text = RULESET_HEAD + CHECK.replace(
        "require: {quorate: {others_at_least: 2}}",
        "require: {count: {field: attendees, at_least: 5, at_most: 2}}")
    exc = refused(lambda: ruleset_text(text, "c.yaml"), RulesetError)
    at(exc, "c.yaml", 13, "rules[0].require.count.at_least", "is more than at_most")
    ok = text.replace("at_least: 5", "at_least: 2")
    assert ruleset_text(ok).rules[0].id == "quorum.check"


@pytest.mark.parametrize("event", ["expected_delivery", "birth"])
def test_a_delivery_or_birth_naming_an_unknown_child(event: str) -> None:
    text = CASE_HEAD + f"  - {{type: {event}, date: 2024-01-02, child: nobody}}\n"
    exc = refused(lambda: case_text(text, "c.yaml"), CaseError)
    at(exc, "c.yaml", 6, "events[0].child", "unknown child 'nobody'")
    assert case_text(text.replace("nobody", "c1")).events[0].type == event
