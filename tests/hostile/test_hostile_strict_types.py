"""Class: integers and digit strings read as dates (``date: 0`` was 1 January 1970), and
``"yes"``, ``"no"``, ``1`` and ``0`` read as booleans. A date is an ISO date string or a
date, a time an ISO date-time string or a datetime, a boolean true or false: in case
facts, in rulesets, and in the values a rule compares fields with."""

from __future__ import annotations

import datetime as dt

import pytest
from hostile_helpers import CASE_HEAD, RULE, RULESET_HEAD, at, case_text, refused, ruleset_text

from cprules.errors import CaseError, RulesetError
from cprules.loader import case_from_data

DATES = ["0", "1700000000", "20240520", "2024-05-20T00:00", "'2024-05-20 '", "20/05/2024",
         "'0'", "1.5", "[2024, 5, 20]"]


@pytest.mark.parametrize("value", DATES)
def test_not_a_date_in_an_event(value: str) -> None:
    text = CASE_HEAD + "  - type: emergency_protection_order\n    date: 2024-01-02\n" \
        f"    ends_on: {value}\n"
    exc = refused(lambda: case_text(text, "dates.yaml"), CaseError)
    at(exc, "dates.yaml", 8, "events[0].ends_on")


@pytest.mark.parametrize("value", ["0", "1700000000", "'1700000000'", "2024"])
def test_not_a_date_as_the_event_date_or_a_birth(value: str) -> None:
    exc = refused(lambda: case_text(CASE_HEAD + f"  - {{type: visit, date: {value}}}\n",
                                    "d.yaml"), CaseError)
    at(exc, "d.yaml", 6, "events[0].date", "YYYY-MM-DD")
    text = CASE_HEAD.replace("date_of_birth: 2016-01-01", f"date_of_birth: {value}") + "  []\n"
    exc = refused(lambda: case_text(text, "d.yaml"), CaseError)
    at(exc, "d.yaml", 4, "children[0].date_of_birth", "YYYY-MM-DD")


def test_dates_and_times_that_are_read() -> None:
    case = case_text(CASE_HEAD + "  - {type: visit, date: 2024-05-20}\n"
                     "  - {type: visit, date: '2024-05-21T10:30:00'}\n"
                     "  - {type: visit, date: '2024-05-22T10:30:00+00:00'}\n")
    assert [e.date for e in case.events] == [dt.date(2024, 5, 20), dt.date(2024, 5, 21),
                                            dt.date(2024, 5, 22)]
    assert case.events[2].at is not None and case.events[2].at.hour == 11  # BST
    from_python = case_from_data({"children": [{"id": "c", "date_of_birth": dt.date(2016, 1, 1)}],
                                  "events": [{"type": "visit", "date": dt.date(2024, 1, 2)}]})
    assert from_python.events[0].date == dt.date(2024, 1, 2)


@pytest.mark.parametrize("value", ["yes", "no", "'true'", "1", "0", "on", "'False'", "y"])
def test_not_a_boolean_in_a_case(value: str) -> None:
    text = CASE_HEAD + f"  - type: visit\n    date: 2024-01-02\n    seen_alone: {value}\n"
    exc = refused(lambda: case_text(text, "b.yaml"), CaseError)
    at(exc, "b.yaml", 8, "events[0].seen_alone", "write true or false")


@pytest.mark.parametrize("value", [1, 0, "yes", "no", "true"])
def test_not_a_boolean_from_python(value: object) -> None:
    exc = refused(lambda: case_from_data(
        {"children": [{"id": "c", "date_of_birth": "2016-01-01"}],
         "events": [{"type": "conference", "kind": "initial", "date": "2024-01-02",
                     "attendees": [{"agency": "health", "direct_contact": value}]}]},
        file="p.json"), CaseError)
    at(exc, "p.json", None, "events[0].attendees[0].direct_contact", "write true or false")


@pytest.mark.parametrize("value", ["yes", "1", "'true'"])
def test_not_a_boolean_in_a_where(value: str) -> None:
    text = RULESET_HEAD + RULE.replace("{s47_initiated: true}", f"{{s47_initiated: {value}}}")
    exc = refused(lambda: ruleset_text(text, "w.yaml"), RulesetError)
    at(exc, "w.yaml", 13, "rules[0].trigger.where.s47_initiated", "write true or false")


@pytest.mark.parametrize("value", ["0", "1700000000", "2024"])
def test_not_a_date_in_a_ruleset(value: str) -> None:
    text = RULESET_HEAD + RULE.replace(
        "due: {within: 15 working days}",
        f"due:\n      within:\n        - {{from: {value}, value: 15 working days}}")
    exc = refused(lambda: ruleset_text(text, "v.yaml"), RulesetError)
    assert exc.file == "v.yaml" and exc.line == 16, str(exc)
    assert any("YYYY-MM-DD" in d.message for d in exc.details), str(exc)
