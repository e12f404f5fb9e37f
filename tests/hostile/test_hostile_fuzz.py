"""Hypothesis battery: schema-shaped and mutated valid cases and rulesets, written out as
YAML or JSON text and read back through the whole loader. Every exception that is not a
CprulesError fails the test (Hypothesis reports it with the input). A refusal must name
the file, and a line for input read from text.

The default profile runs at least 2,000 examples of each loader battery (each example is
a millisecond or two); the ``slow`` marker (``pytest -m slow``, run by CI) runs ten
times as many, and evaluates cases too. The evaluating battery keeps event dates within
2010-2028; the loader batteries cover the full date range."""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Callable
from functools import cache
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cprules
from cprules.errors import CaseError, CprulesError, RulesetError
from cprules.loader import case_from_data, ruleset_from_data
from cprules.registry import bundled
from cprules.schemas import case_schema
from cprules.testing import cases
from cprules.yamlio import read_document
from schema_strategy import from_schema

FAST = 2_000
SLOW = 20_000

HOSTILE = [None, 0, -1, 1, True, False, "", " ", "yes", "no", "0", "1700000000", 1700000000,
           10**30, -(10**30), 1.5, float("inf"), "2024-02-30", "0001-01-01", "9999-12-31",
           "0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00", "2024-05-20T25:00",
           "2024-03-31T01:30", "15 workng days", "１５ days", "a.b\n", "x" * 3000, "\x1b[2J",
           "\ud83d\ude00", "💥", [], {}, [[[[]]]], {"k": "v"}, ["a", 1, None],
           "!!python/object:os.system", "conference", "initial", "review", "plan", "c1"]
# copies: a mutation must never change the shared values
hostile = st.sampled_from(HOSTILE).map(copy.deepcopy) | st.text(max_size=12) | st.integers() \
    | st.dates().map(str) | st.datetimes().map(lambda t: t.isoformat())


def _paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*path, i))
    return out


@st.composite
def mutated(draw: st.DrawFn, base: Any, rounds: int = 2) -> Any:
    """``base`` with up to ``rounds`` values replaced, deleted, duplicated or added."""
    tree = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, rounds))):
        paths = [p for p in _paths(tree) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = tree
        for key in path[:-1]:
            parent = parent[key]
        action = draw(st.sampled_from(["replace", "replace", "delete", "add", "copy"]))
        if action == "replace":
            parent[path[-1]] = draw(hostile)
        elif action == "delete":
            del parent[path[-1]]
        elif action == "copy" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[path[-1]]))
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(["id", "date", "type", "kind", "child", "x", "at",
                                         "children", "conference", "when"]))] = draw(hostile)
        else:
            parent.insert(0, draw(hostile))
    return tree


_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _text(data: Any, syntax: str) -> str:
    if syntax == "json":
        return json.dumps(data, indent=1, default=str)
    return yaml.dump(data, Dumper=_DUMPER, sort_keys=False, allow_unicode=True)


def _load(data: Any, syntax: str, load: Callable[[Any], Any],
          error: type[CprulesError]) -> Any:
    """Write ``data`` out as text and load it; a refusal must name the file and line."""
    name = f"fuzz.{syntax}"
    try:
        text = _text(data, syntax)
    except (ValueError, UnicodeEncodeError):  # not writable as text (a lone surrogate)
        return None
    try:
        return load(read_document(text, name, error=error))
    except error as exc:
        for d in exc.details:
            assert d.file == name and d.message, str(exc)
            assert d.line is not None, str(exc)
        return None


def _fuzz(max_examples: int, slow: bool = False) -> Callable[[Any], Any]:
    def wrap(fn: Any) -> Any:
        fn = settings(max_examples=max_examples, deadline=None,
                      suppress_health_check=list(HealthCheck))(fn)
        return pytest.mark.slow(fn) if slow else fn
    return wrap


# --- cases -----------------------------------------------------------------------------

@cache
def _valid_cases() -> list[dict[str, Any]]:
    out = []
    for path in sorted((cprules.registry.rules_dir().parent / "examples").glob("*.yaml")):
        try:
            out.append(read_document(path.read_bytes(), path.name).data)
        except CprulesError:
            continue
    out.append({"children": [{"id": "c1", "date_of_birth": "2016-01-01"},
                             {"id": "u", "expected_date_of_delivery": "2024-09-01"}],
                "events": [{"type": "strategy_discussion", "date": "2024-05-20T10:00:00",
                            "s47_initiated": True},
                           {"type": "conference", "kind": "initial", "date": "2024-06-10",
                            "outcome": "plan", "id": "icpc",
                            "attendees": [{"agency": "health"}]},
                           {"type": "report_submitted", "date": "2024-06-05",
                            "from_agency": "police", "to": "chair", "conference": "icpc"},
                           {"type": "birth", "date": "2024-08-30", "child": "u"}]})
    return out


def _case_battery(data: dict[str, Any], syntax: str) -> None:
    _load(data, syntax, case_from_data, CaseError)


def _mutated_cases() -> st.SearchStrategy[Any]:
    return st.sampled_from(range(len(_valid_cases()))).flatmap(
        lambda i: mutated(_valid_cases()[i]))


SYNTAX = st.sampled_from(["yaml", "json"])


@_fuzz(FAST)
@given(_mutated_cases(), SYNTAX)
def test_mutated_cases(data: Any, syntax: str) -> None:
    _case_battery(data, syntax)


@_fuzz(FAST)
@given(from_schema(case_schema()), SYNTAX)
def test_schema_shaped_cases(data: Any, syntax: str) -> None:
    _case_battery(data, syntax)


@_fuzz(SLOW, slow=True)
@given(_mutated_cases() | from_schema(case_schema()), SYNTAX)
def test_cases_slow(data: Any, syntax: str) -> None:
    _case_battery(data, syntax)


# --- rulesets: one bundled rule at a time, in a ruleset of its own -----------------------

@cache
def _rule_rulesets() -> list[dict[str, Any]]:
    """Each bundled rule in a minimal ruleset of its own that loads."""
    out = []
    for path in bundled().values():
        data = read_document(path.read_bytes(), path.name).data
        for rule in data["rules"]:
            small = {k: v for k, v in data.items() if k not in ("rules", "revisions")}
            cited = {rule.get("source", {}).get("file")}
            small["sources"] = [x for x in data.get("sources", []) if x.get("file") in cited]
            small["rules"] = [rule]
            try:
                ruleset_from_data(read_document(_text(small, "yaml"), "r.yaml"))
            except CprulesError:
                continue
            out.append(small)
    assert len(out) > 100
    return out


def _mutated_rulesets() -> st.SearchStrategy[Any]:
    return st.sampled_from(range(len(_rule_rulesets()))).flatmap(
        lambda i: mutated(_rule_rulesets()[i]))


def _ruleset_battery(data: Any, syntax: str) -> None:
    _load(data, syntax, ruleset_from_data, RulesetError)


@_fuzz(FAST)
@given(_mutated_rulesets(), SYNTAX)
def test_mutated_rulesets(data: Any, syntax: str) -> None:
    _ruleset_battery(data, syntax)


@_fuzz(SLOW, slow=True)
@given(_mutated_rulesets(), SYNTAX)
def test_rulesets_slow(data: Any, syntax: str) -> None:
    _ruleset_battery(data, syntax)


# --- evaluation (dates within 2010-2028: the engine's own range handling is tested by
# the engine's tests) ----------------------------------------------------------------------

@cache
def _rulesets() -> dict[str, cprules.Ruleset]:
    return {name: cprules.load_ruleset(name) for name in bundled()}


@st.composite
def _evaluable(draw: st.DrawFn) -> tuple[str, Any]:
    name = draw(st.sampled_from(sorted(bundled())))
    case = draw(cases(_rulesets()[name], min_value=dt.date(2013, 1, 1),
                      max_value=dt.date(2025, 6, 30)))
    data = case.model_dump(mode="json", by_alias=True, exclude_none=True)
    for ev in data.get("events", []):
        ev.pop("at", None)
    return name, draw(st.just(data) | mutated(data, rounds=2))


def _evaluate(name: str, data: Any) -> None:
    try:
        case = case_from_data(data, file="fuzz.json")
    except CaseError:
        return
    if any(not 2010 <= e.date.year <= 2028 for e in case.events):
        return
    try:
        ev = cprules.evaluate(_rulesets()[name], case, as_of=dt.date(2026, 1, 1),
                              variant=None if not _rulesets()[name].variants
                              else sorted(_rulesets()[name].variants)[0])
    except CprulesError:
        return
    json.dumps(ev.model_dump(mode="json"))


@_fuzz(150)
@given(_evaluable())
def test_generated_and_mutated_cases_evaluate(item: tuple[str, Any]) -> None:
    _evaluate(*item)


@_fuzz(2_000, slow=True)
@given(_evaluable())
def test_evaluate_slow(item: tuple[str, Any]) -> None:
    _evaluate(*item)
