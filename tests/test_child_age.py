"""`child_older_than`: older than N years from the day after the Nth birthday, a 29 February
birthday falling on 28 February in other years (docs/semantics.md, "Conditions")."""

from __future__ import annotations

import pytest

import cprules

RULE = "participation.attendance_considered"  # Kirklees: a child over ten, at a conference


def _checked(dob: str, day: str) -> bool:
    case = {"children": [{"id": "c", "date_of_birth": dob}],
            "events": [{"type": "conference", "kind": "initial", "date": day,
                        "outcome": "plan"}]}
    ev = cprules.evaluate("kirklees", case, as_of="2030-01-01")
    return any(c.rule_id == RULE for c in ev.checks)


@pytest.mark.parametrize(("dob", "day", "older"), [
    ("2012-05-10", "2022-05-10", False),  # the tenth birthday itself
    ("2012-05-10", "2022-05-11", True),   # the day after
    ("2012-02-29", "2022-02-28", False),  # the birthday, in a year with no 29 February
    ("2012-02-29", "2022-03-01", True),
    ("2012-02-29", "2024-02-28", True),
    ("2014-02-28", "2024-02-28", False),
    ("2014-02-28", "2024-02-29", True),
])
def test_older_than_from_the_day_after_the_birthday(dob: str, day: str, older: bool) -> None:
    assert _checked(dob, day) is older


def test_each_child_by_their_own_date_of_birth() -> None:
    case = {"children": [{"id": "old", "date_of_birth": "2010-01-01"},
                         {"id": "young", "date_of_birth": "2020-01-01"}],
            "events": [{"type": "conference", "kind": "initial", "date": "2024-03-01",
                        "outcome": "plan"}]}
    ev = cprules.evaluate("kirklees", case, as_of="2030-01-01")
    assert [c.children for c in ev.checks if c.rule_id == RULE] == [("old",)]
