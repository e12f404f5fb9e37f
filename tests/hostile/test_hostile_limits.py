"""Class: cost not bounded. The limits (cprules.yamlio.Limits) hold while reading: at most
5,000 events and 1,000 children a case (checked before validation), and every limit is
stated in docs/security.md with its value."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

from hostile_helpers import ROOT, at, refused, timed

import cprules
from cprules.errors import CaseError
from cprules.impact import iter_cases
from cprules.loader import case_from_data
from cprules.yamlio import DEFAULT_LIMITS, Limits, read_document

LIM = DEFAULT_LIMITS


def _case(events: int, children: int = 1) -> dict[str, object]:
    return {"children": [{"id": f"c{i}", "date_of_birth": "2016-01-01"}
                         for i in range(children)],
            "events": [{"type": "visit", "date": "2024-01-02"} for _ in range(events)]}


def test_events_per_case(tmp_path: Path) -> None:
    path = tmp_path / "many.yaml"
    path.write_text("children:\n  - {id: c0, date_of_birth: 2016-01-01}\nevents:\n"
                    + "  - {type: visit, date: 2024-01-02}\n" * (LIM.max_events + 1))
    exc = refused(lambda: cprules.load_case(path), CaseError)
    at(exc, str(path), 4 + LIM.max_events, f"events[{LIM.max_events}]",
       f"too many events: {LIM.max_events + 1} (limit {LIM.max_events} a case)")
    path.write_text("children:\n  - {id: c0, date_of_birth: 2016-01-01}\nevents:\n"
                    + "  - {type: visit, date: 2024-01-02}\n" * LIM.max_events)
    assert len(timed(lambda: cprules.load_case(path)).events) == LIM.max_events


def test_children_per_case() -> None:
    exc = refused(lambda: case_from_data(_case(1, LIM.max_children + 1), file="k.json"),
                  CaseError)
    at(exc, "k.json", None, f"children[{LIM.max_children}]", "too many children")
    assert len(case_from_data(_case(1, LIM.max_children)).children) == LIM.max_children


def test_json_lines_cannot_bypass_the_case_limits(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    path.write_text(json.dumps(_case(LIM.max_events + 1)) + "\n")
    ((_, exc),) = list(iter_cases([path]))
    assert isinstance(exc, CaseError)
    at(exc, str(path), 1, f"events[{LIM.max_events}]", "too many events")


def test_values_after_aliases_in_json_are_counted() -> None:
    text = json.dumps({"a": [0] * (LIM.max_values + 1)})
    exc = refused(lambda: read_document(text, "v.json", error=CaseError))
    assert exc.file == "v.json" and "more than 200000 values" in exc.message


def test_every_limit_is_documented_with_its_value() -> None:
    doc = (ROOT / "docs" / "security.md").read_text()
    for f in dataclasses.fields(Limits):
        value = getattr(DEFAULT_LIMITS, f.name)
        assert f"`{f.name}`" in doc, f.name
        row = next(line for line in doc.splitlines() if line.startswith(f"| `{f.name}` |"))
        assert re.search(rf"\b{value:,}\b", row), (f.name, value, row)
