"""Class: JSON read as YAML 1.1 (a trailing comma accepted, ``1e5`` and ``NaN`` as text, a
surrogate-pair escape refused) and a ``.jsonl`` file with a byte-order mark refused.
``.json`` is read by a JSON parser, strictly, and errors name the line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hostile_helpers import at, refused, timed

import cprules
from cprules.errors import CaseError, RulesetError
from cprules.impact import iter_cases
from cprules.registry import bundled
from cprules.yamlio import read_document

CASE = {"id": "j", "children": [{"id": "c", "date_of_birth": "2016-01-01"}],
        "events": [{"type": "visit", "date": "2024-01-02", "note": "seen \U0001F600"}]}


def _write(tmp_path: Path, text: str | bytes, name: str = "case.json") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_json_dumps_output_with_surrogate_pairs_loads(tmp_path: Path) -> None:
    text = json.dumps(CASE, indent=2)  # ensure_ascii: the emoji as "\ud83d\ude00"
    assert "\\ud83d\\ude00" in text
    case = timed(lambda: cprules.load_case(_write(tmp_path, text)))
    assert case.events[0].note == "seen \U0001F600"


def test_a_bom_in_json_and_json_lines(tmp_path: Path) -> None:
    bom = b"\xef\xbb\xbf"
    assert cprules.load_case(_write(tmp_path, bom + json.dumps(CASE).encode())).id == "j"
    path = _write(tmp_path, bom + (json.dumps(CASE) + "\n").encode() * 2, "cases.jsonl")
    got = list(iter_cases([path]))
    assert [type(c).__name__ for _, c in got] == ["Case", "Case"]


@pytest.mark.parametrize(("text", "line", "path", "message"), [
    ('{\n  "children": [],\n  "events": [1,]\n}', 3, None, "invalid JSON"),
    ('{\n  "a": 1,\n}', 3, None, "invalid JSON"),
    ('{\n  "a": NaN\n}', 2, "a", "'NaN' is not a JSON number"),
    ('{\n  "a": [1,\n -Infinity]\n}', 3, "a[1]", "'-Infinity' is not a JSON number"),
    ('{"a": 1,\n "b": {"c": 1,\n "c": 2}}', 3, "b.c", "duplicate key 'c'"),
    ("{\n  'a': 1\n}", 2, None, "invalid JSON"),
    ('{"a": "\\ud800"}', 1, "a", "lone surrogate"),
    ('{"a": 1} {"b": 2}', 1, None, "invalid JSON: Extra data"),
    ("", 1, None, "invalid JSON"),
    ("[" * 61 + "]" * 61, 1, None, "nesting deeper than 60"),
])
def test_strict_json_errors_name_the_line(tmp_path: Path, text: str, line: int,
                                          path: str | None, message: str) -> None:
    file = _write(tmp_path, text)
    exc = refused(lambda: cprules.load_case(file), CaseError)
    at(exc, str(file), line, path, message)


def test_json_numbers_are_numbers() -> None:
    data = read_document('{"a": 1e5, "b": -0.5, "c": 10}', "n.json").data
    assert data == {"a": 100000.0, "b": -0.5, "c": 10}
    assert isinstance(data["c"], int)


def test_validation_errors_in_json_name_the_line(tmp_path: Path) -> None:
    case = dict(CASE, events=[{"type": "visit", "date": "2024-01-02"},
                              {"type": "visit", "date": "2024-02-30"}])
    file = _write(tmp_path, json.dumps(case, indent=2))
    exc = refused(lambda: cprules.load_case(file), CaseError)
    line = json.dumps(case, indent=2).splitlines().index('      "date": "2024-02-30"') + 1
    at(exc, str(file), line, "events[1].date")


def test_json_lines_errors_name_the_line_of_the_file(tmp_path: Path) -> None:
    bad = dict(CASE, events=[{"type": "visit", "date": "2024-02-30"}])
    path = _write(tmp_path, "\n".join([json.dumps(CASE), "", json.dumps(bad),
                                       '{"children": [1,]}']) + "\n", "c.jsonl")
    got = dict(iter_cases([path]))
    assert sorted(got) == [f"{path}:1", f"{path}:3", f"{path}:4"]
    at(got[f"{path}:3"], str(path), 3, "events[0].date")  # type: ignore[arg-type]
    at(got[f"{path}:4"], str(path), 4, None, "invalid JSON")  # type: ignore[arg-type]


def test_a_ruleset_as_json(tmp_path: Path) -> None:
    data = read_document(bundled()["york"].read_bytes(), "york.yaml").data
    file = _write(tmp_path, json.dumps(data, indent=1), "york.json")
    assert cprules.load_ruleset(str(file)).partnership == "york"
    data["rules"][2]["due"] = {"within": "15 workng days"}
    file.write_text(json.dumps(data, indent=1))
    exc = refused(lambda: cprules.load_ruleset(str(file)), RulesetError)
    assert exc.file == str(file) and exc.path == "rules[2].due.within"
    text = file.read_text().splitlines()
    assert exc.line is not None and "15 workng days" in text[exc.line - 1]
