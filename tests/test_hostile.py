"""Hostile and malformed input: every problem is a CprulesError naming the file (and line
where there is one), within bounded time and memory; nothing executes; no other exception
type escapes. The bounds (cprules.yamlio.Limits): 5 MB a file, 60 levels of nesting,
200,000 values after aliases are expanded; tested here at under 5 s and 300 MB a file."""

from __future__ import annotations

import copy
import datetime as dt
import json
import time
import tracemalloc
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import cprules
from cprules import CprulesError, RulesetError
from cprules.loader import case_from_data, ruleset_from_data
from cprules.registry import bundled
from cprules.schemas import case_schema
from cprules.yamlio import read_document
from schema_strategy import from_schema

ROOT = Path(__file__).parent.parent
TIME_BOUND_S = 5.0
MEMORY_BOUND = 300 * 1024 * 1024


def _load_text(text: str | bytes, name: str = "hostile.yaml") -> cprules.Ruleset:
    return ruleset_from_data(read_document(text, name, error=RulesetError))


def _bounded(text: str | bytes) -> RulesetError:
    tracemalloc.start()
    t0 = time.perf_counter()
    try:
        with pytest.raises(RulesetError) as caught:
            _load_text(text)
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert time.perf_counter() - t0 < TIME_BOUND_S
    assert peak < MEMORY_BOUND
    assert caught.value.file == "hostile.yaml"
    return caught.value


def test_billion_laughs() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 12):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [{','.join(['*' + prev] * 10)}]")
    err = _bounded("\n".join(lines))
    assert "too large" in err.message or "too large" in str(err)


def test_deep_nesting() -> None:
    err = _bounded("x: " + "[" * 5000 + "]" * 5000)
    assert "nesting" in str(err)
    err = _bounded("x:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 200)) + "  " * 200
                   + "v: 1\n")
    assert "nesting" in str(err)


def test_huge_number_and_string() -> None:
    err = _bounded("partnership: " + "9" * 100_000 + "\n")
    assert err.line == 1
    err = _bounded("title: " + "x" * 6_000_000 + "\n")
    assert "too large" in str(err)


@pytest.mark.parametrize("tag", [
    "!!python/object/apply:os.system ['echo pwned']",
    "!!python/name:os.system",
    "!!python/object:builtins.object {}",
    "!!binary aGVsbG8=",
    "!custom 1",
    "!!set {a, b}",
])
def test_tags_are_refused_not_constructed(tag: str, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = f"partnership: {tag}\n".replace("echo pwned", f"touch {marker}")
    err = _bounded(text)
    assert "not allowed" in str(err) or "invalid YAML" in str(err)
    assert not marker.exists()


def test_tabs_bom_and_bad_bytes() -> None:
    assert "tabs" in (_bounded("rules:\n\t- id: x\n").suggestion or "")
    assert "UTF-8" in str(_bounded(b"title: caf\xe9\n"))
    york = bundled()["york"].read_bytes()
    assert _load_text(b"\xef\xbb\xbf" + york).partnership == "york"


def _paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*path, i))
    return out


@cache
def _plain(name: str) -> Any:
    return read_document(bundled()[name].read_bytes(), name).data


WRONG = [None, 0, -1, 10**30, 3.5, True, "", "x" * 300, [], {}, ["a"], {"k": "v"},
         "2024-02-30", "15 workng days", "!!python/object:os.system"]


@pytest.mark.parametrize("name", sorted(bundled()))
@settings(max_examples=120)
@given(data=st.data())
def test_mutations_of_bundled_rulesets(name: str, data: st.DataObject) -> None:
    tree = copy.deepcopy(_plain(name))
    paths = [p for p in _paths(tree) if p]
    path = data.draw(st.sampled_from(paths))
    action = data.draw(st.sampled_from(["replace", "delete", "add"]))
    parent = tree
    for key in path[:-1]:
        parent = parent[key]
    if action == "replace":
        parent[path[-1]] = data.draw(st.sampled_from(WRONG))
    elif action == "delete":
        del parent[path[-1]]
    elif isinstance(parent, dict):
        parent["unexpected_" + str(path[-1])] = 1
    else:
        parent.append({"unexpected": True})
    # LibYAML's dumper: the pure-Python one took most of this test's time
    text = yaml.dump(tree, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), sort_keys=False)
    try:
        _load_text(text, f"{name}-mutated.yaml")
    except RulesetError as exc:
        for d in exc.details:
            assert d.file == f"{name}-mutated.yaml"
            assert d.line is not None and d.message
            assert "Traceback" not in d.message


# --- case facts ------------------------------------------------------------------------------

YORK = cprules.load_ruleset("york")


def _evaluate_or_error(data: Any) -> None:
    try:
        case = case_from_data(data if isinstance(data, dict) else {"x": data})
    except CprulesError as exc:
        assert exc.details and exc.details[0].message
        return
    try:
        ev = cprules.evaluate(YORK, case, as_of=dt.date(2025, 1, 1))
    except cprules.VariantError:  # pragma: no cover - York has no variants
        raise
    json.dumps(ev.model_dump(mode="json"))


@settings(max_examples=100)
@given(from_schema(case_schema()))
def test_schema_valid_cases_are_evaluated_or_rejected_cleanly(data: dict[str, Any]) -> None:
    _evaluate_or_error(data)


@settings(max_examples=150)
@given(st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20)
    | st.sampled_from(["2024-02-30", "2024-05-20T25:00:00", "conference", "initial"]),
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(
        st.sampled_from(["type", "date", "kind", "events", "children", "id", "outcome",
                         "conference", "attendees", "as_of", "x"]), kids, max_size=5),
    max_leaves=20,
))
def test_arbitrary_data_as_a_case(data: Any) -> None:
    _evaluate_or_error(data)


def test_impossible_and_odd_dates_in_cases() -> None:
    base = {"children": [{"id": "c", "date_of_birth": "2016-01-01"}]}
    for bad in ("2024-02-30", "2023-02-29", "2024-13-01", "24-05-20", "2024-05-20T25:00"):
        with pytest.raises(CprulesError) as caught:
            case_from_data({**base, "events": [{"type": "visit", "date": bad}]})
        assert caught.value.path == "events[0].date"
    case = case_from_data({**base, "events": [
        {"type": "visit", "date": "2015-06-01"},  # before the birth
        {"type": "conference", "kind": "review", "date": "2024-01-10", "outcome": "plan"},
        {"type": "conference", "kind": "initial", "date": "2024-02-10", "outcome": "plan"},
        {"type": "core_group", "date": "2024-02-12"},
        {"type": "core_group", "date": "2024-02-12"},
        {"type": "visit", "date": "2030-01-01"},  # after the as-of date
    ]})
    ev = cprules.evaluate(YORK, case, as_of=dt.date(2024, 3, 1))
    codes = sorted(q.code for q in ev.data_quality)
    assert codes == ["after_as_of", "before_birth", "possible_duplicate",
                     "review_before_initial"]
    assert ev.deadline("core_group.first")  # the rest of the case is still evaluated


def test_nothing_reads_the_network_or_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.chdir(tmp_path)
    ev = cprules.evaluate(cprules.load_ruleset("york"),
                          cprules.load_case(ROOT / "examples" / "york-case.yaml"))
    assert ev.deadlines and list(tmp_path.iterdir()) == []


def _copy_along(tree: Any, path: tuple[Any, ...]) -> Any:
    """``tree`` with the containers on ``path`` copied (the rest shared, never changed)."""
    top = copy.copy(tree)
    node = top
    for key in path[:-1]:
        node[key] = copy.copy(node[key])
        node = node[key]
    return top


def test_a_wrong_type_at_every_field_of_york() -> None:
    """Exhaustive: every value of the York ruleset replaced, one at a time, by a value of
    the wrong shape. Each is a RulesetError naming the file and the line of that value."""
    located = read_document(bundled()["york"].read_bytes(), "york.yaml")
    checked = 0
    for path in _paths(located.data):
        if not path:
            continue
        tree = _copy_along(located.data, path)
        parent = tree
        for key in path[:-1]:
            parent = parent[key]
        original = parent[path[-1]]
        parent[path[-1]] = {"wrong": [1]} if not isinstance(original, dict) else ["wrong"]
        mutated = type(located)(tree, "york.yaml", located.lines)
        with pytest.raises(RulesetError) as caught:
            ruleset_from_data(mutated)
        lines = {d.line for d in caught.value.details}
        # the lines named lie within the replaced value (its first to its last line)
        first = located.line_of(path)
        last = max(n for p, n in located.lines.items() if p[: len(path)] == path)
        assert None not in lines and first is not None, (path, lines)
        assert any(first <= n <= last for n in lines if n is not None), (path, lines)
        checked += 1
    assert checked > 800
