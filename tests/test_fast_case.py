"""The fast path for case facts (``cprules.model.fast``, issue 10) against the slow, located
path it stands in front of: for every input, of a corpus of good and bad ones (the bad
inputs of the hostile battery, the limits, references, times, duplicate keys, and seeded
mutations of rich cases), the outcome is the same: the same case (fields, types, times
and which fields were given) or the same error (message, file, line, field, suggestion,
every problem). The fast path may decline (``None``) but never accept what the slow path
refuses."""

from __future__ import annotations

import datetime as dt
import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from cprules.batch import _case_id, _read
from cprules.errors import CaseError, CprulesError
from cprules.loader import _validate, case_from_data, fast_case_from_json
from cprules.model import fast
from cprules.model.case import EVENT_TYPES, Attendee, Case, Conference, Visit
from cprules.yamlio import DEFAULT_LIMITS, Located, read_document

ROOT = Path(__file__).parent.parent
FILE = "cases.jsonl"
LINE = 7
UK = "Europe/London"

# --- what an outcome is -------------------------------------------------------------


def _models(value: Any) -> Iterator[BaseModel]:
    if isinstance(value, BaseModel):
        yield value
        for name in type(value).model_fields:
            yield from _models(getattr(value, name))
    elif isinstance(value, tuple):
        for v in value:
            yield from _models(v)


def _case_shape(case: Case) -> tuple[Any, ...]:
    """Everything about a case: its repr (fields, types, times with their fold and zone),
    and for each model in it, its class, the fields given and the types of the values."""
    return (repr(case), [
        (type(m).__name__, sorted(m.model_fields_set),
         [(n, type(getattr(m, n)).__name__, getattr(getattr(m, n), "tzinfo", None))
          for n in type(m).model_fields])
        for m in _models(case)])


def _error_shape(exc: CprulesError) -> tuple[Any, ...]:
    return (type(exc).__name__, exc.message, exc.file, exc.line, exc.path, exc.suggestion,
            exc.details, exc.more)


def _outcome(fn: Any) -> tuple[Any, ...]:
    try:
        return ("case", _case_shape(fn()))
    except CprulesError as exc:
        return ("error", _error_shape(exc))


def _old_read(item: str | bytes) -> tuple[Any, ...]:
    """``batch._read`` of a JSON line as it was before the fast path (the slow path)."""
    cid = None
    try:
        located = read_document(item, FILE, error=CaseError, syntax="json",
                                line_offset=LINE - 1)
        cid = _case_id(located)
        return ("case", _case_shape(_validate(Case, located, "case", CaseError)))
    except CprulesError as exc:
        return ("error", cid, _error_shape(exc))


def _new_read(item: str | bytes) -> tuple[Any, ...]:
    case, failed = _read(item, 0, LINE, FILE)
    if case is not None:
        return ("case", _case_shape(case))
    assert failed is not None and failed.error is not None
    return ("error", failed.case_id, _error_shape(failed.error))


def _same_from_json(line: str | bytes) -> str:
    """Assert both paths agree on a JSON line; which of them decided ('fast'/'slow')."""
    old = _old_read(line)
    assert _new_read(line) == old, line[:300]
    got = fast_case_from_json(line)
    if got is None:
        return "slow"
    assert old[0] == "case", ("the fast path accepted what the slow one refuses", line[:300],
                              old)
    assert ("case", _case_shape(got)) == old, line[:300]
    return "fast"


def _same_from_python(data: Any) -> str:
    """Assert ``case_from_data`` agrees with the slow path on plain data."""
    old = _outcome(lambda: _validate(Case, Located(dict(data), "p.json", {}), "case",
                                     CaseError))
    assert _outcome(lambda: case_from_data(data, file="p.json")) == old, repr(data)[:300]
    got = fast.case_from_python(dict(data), max_events=DEFAULT_LIMITS.max_events,
                                max_children=DEFAULT_LIMITS.max_children)
    if got is None:
        return "slow"
    assert old[0] == "case" and ("case", _case_shape(got)) == old, repr(data)[:300]
    return "fast"


# --- the corpus ---------------------------------------------------------------------

CHILDREN = [{"id": "c1", "name": "A", "date_of_birth": "2016-01-01"},
            {"id": "c2", "expected_date_of_delivery": "2024-09-01"}]


def rich() -> dict[str, Any]:
    """A case with every event type and most fields, times, and references."""
    events: list[dict[str, Any]] = [
        {"type": "strategy_discussion", "date": "2024-05-20T14:30", "s47_initiated": True,
         "icpc_agreed": True, "agencies": ["police", "health"], "id": "sd",
         "note": "seen: at 10:00 \"quoted\" \u00e9\U0001F600"},
        {"type": "s47_concluded", "date": "2024-05-21", "icpc_required": True},
        {"type": "conference_requested", "date": "2024-05-21", "kind": "initial",
         "children": ["c1"]},
        {"type": "emergency_protection_order", "date": "2024-05-22", "ends_on": "2024-05-30"},
        {"type": "assessment_completed", "date": "2024-05-22T09:00:00+00:00"},
        {"type": "looked_after_review", "date": "2024-05-23", "convene_icpc": False},
        {"type": "invitations_sent", "date": "2024-05-24", "conference": "icpc"},
        {"type": "invitation_details_confirmed", "date": "2024-05-24", "conference": "icpc"},
        {"type": "exclusion_request", "date": "2024-05-25", "from_agency": "police",
         "person": "X", "grounds": ["violence"], "evidence": "e", "conference": "icpc"},
        {"type": "exclusion_decision", "date": "2024-05-26", "person": "X", "excluded": True,
         "decided": "before_conference", "grounds": ["violence"], "duration": "whole",
         "recorded_in_minutes": True, "written_notice": ["how_to_give_views"]},
        {"type": "report_submitted", "date": "2024-05-27", "from_agency": "health",
         "to": "chair", "conference": "icpc"},
        {"type": "report_shared", "date": "2024-05-27", "from_agency": "health",
         "with": "parents"},
        {"id": "icpc", "type": "conference", "kind": "initial", "date": "2024-06-03",
         "outcome": "plan", "virtual": False, "invited": ["health", "police"],
         "attendees": [{"agency": "childrens_social_care", "role": "sw"},
                       {"agency": "health", "direct_contact": False}],
         "categories": ["neglect", "emotional"], "categories_reason": "both",
         "exploitation": False, "inquorate_reason": None,
         "recorded": ["review_date_set", "core_group_date_set"], "at": None},
        {"type": "conference_cancelled", "date": "2024-06-02", "reason": "inquorate"},
        {"type": "document_sent", "date": "2024-06-04", "document": "outline_plan",
         "to": ["parents"], "conference": "icpc"},
        {"type": "record_amendment_received", "date": "2024-06-05"},
        {"type": "core_group", "date": "2024-06-10", "planned": False,
         "minutes_by_other_professional": True},
        {"type": "visit", "date": "2024-06-11 10:15", "seen_alone": True, "at_home": False,
         "bedroom_seen": True, "children": ["c1", "c2"]},
        {"type": "plan_start", "date": "2024-06-12", "categories": ["physical"]},
        {"type": "plan_end", "date": "2024-12-12", "reason": "other", "recorded": []},
        {"type": "expected_delivery", "date": "2024-09-01", "child": "c2"},
        {"type": "birth", "date": "2024-08-30", "child": "c2"},
        {"type": "transfer_notification", "date": "2024-07-01", "from_authority": "Leeds",
         "permanent": True},
        {"type": "moved_into_area", "date": "2024-07-01", "permanent": False},
        {"type": "moved_out_of_area", "date": "2024-07-02", "to_authority": "Hull"},
        {"type": "transfer_notification_sent", "date": "2024-07-03"},
        {"type": "permanent_move_agreed", "date": "2024-07-04"},
        {"type": "became_looked_after", "date": "2024-07-05"},
        {"type": "core_group_response", "date": "2024-07-06", "from_agency": "education"},
        {"type": "management_advice", "date": "2024-07-07", "from": "team_manager",
         "topic": "t"},
        {"type": "supervision_order", "date": "2024-07-08", "ends_on": "2025-07-08"},
        {"type": "returned_to_carers", "date": "2024-07-09", "after_proceedings": True},
        {"type": "cin_plan_start", "date": "2024-07-10"},
        {"type": "cin_plan_end", "date": "2024-08-10", "agreed_by_all": True},
        {"type": "cin_review", "date": "2024-08-01"},
        {"type": "cin_network_meeting", "date": "2024-10-27T01:30"},  # the first 01:30
    ]
    assert {e["type"] for e in events} == set(EVENT_TYPES)
    return {"format": "cprules-case/1", "id": "rich", "partnership": "york",
            "local_authority": None, "as_of": "2024-12-31",
            "children": [dict(c) for c in CHILDREN], "events": events}


def small() -> dict[str, Any]:
    return {"id": "s", "children": [{"id": "c1", "date_of_birth": "2016-01-01"}],
            "events": [{"type": "visit", "date": "2024-01-02"},
                       {"id": "k", "type": "conference", "kind": "initial",
                        "date": "2024-01-03", "attendees": [{"agency": "health"}]},
                       {"type": "report_submitted", "date": "2024-01-01",
                        "from_agency": "gp", "to": "chair", "conference": "k"}]}


def scenario_facts() -> list[Any]:
    out = []
    for path in sorted((ROOT / "tests" / "scenarios").rglob("*.yaml")):
        data = read_document(path.read_bytes(), str(path)).data
        if isinstance(data, dict) and isinstance(data.get("facts"), dict):
            out.append(data["facts"])
    assert len(out) > 100
    return out


DATES = ["2024-05-20", "2024-02-29", "2023-02-29", "2024-02-30", "2024-13-01", "0000-01-01",
         "0001-01-01", "9999-12-31", "2024-5-20", "20240520", "2024-05-20 ", " 2024-05-20",
         "2024-05-20Z", "+2024-05-20", "\uff12024-05-20", "2024-05-20\n", "0", "86400",
         "1700000000", "1699920000", "1699920000000", "1.5", "2024"]
TIMES = ["2024-05-20T00:00", "2024-05-20T10:30", "2024-05-20 10:30", "2024-05-20T10:30Z",
         "2024-05-20T10:30:00+00:00", "2024-05-20T10:30:00.123456789", "2024-03-31T01:30",
         "2024-03-31T00:59", "2024-03-31T02:00", "2024-10-27T01:30", "2024-10-27T01:30+00:00",
         "2024-10-27T01:30+01:00", "2024-10-27T00:30Z", "20240520T1030", "2024-W21-1T10:00",
         "2024-05-20T24:00", "2024-05-20T23:59:60", "2024-05-20T10", "2024-05-20T1030",
         " 2024-05-20T10:30 ", "2024-05-20T10:30+0100", "2024-05-20T10:30+01", "2024-05-20t10:30",
         "2024-05-20T10:30:00+05:30", "9999-12-31T23:30:00-05:00", "0001-01-01T00:30:00+05:00",
         "9999-12-31T23:59", "0001-01-01T00:00", "2024-05-20T10:30\u0000", "2024-05-20X10:30",
         "2024-05-20T10:30:00Z+00:00", "2024-05-20T10:30ZZ", "2024-05-20\u200b10:30"]
VALUES: list[Any] = [
    *DATES, *TIMES, 0, 1, -1, 1.5, 10 ** 40, True, False, None, "", " ", "yes", "no", "true",
    "True", "false", "1", "y", "on", [], {}, ["x"], [1], {"a": 1}, ["c1"], ["c9"], "c1", "c2",
    "c9", "k", "icpc", "sd", "initial", "review", "plan", "no_plan", "health", "police",
    "chair", "parents", "neglect", "review_date_set", "other", "x" * 201, "x" * 2001,
    "\ud800", "a\udc00b", "\U0001F600", "line\nbreak", "q\":", "\u0000", "cprules-case/1",
]


def _paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, (*path, i))


def _mutate(data: Any, rng: random.Random) -> Any:
    """A copy of ``data`` with one to three changes: a value replaced, a key dropped or
    added, an item removed or repeated."""
    data = json.loads(json.dumps(data))
    for _ in range(rng.randint(1, 3)):
        paths = [p for p in _paths(data) if p]
        path = rng.choice(paths)
        parent = data
        for p in path[:-1]:
            parent = parent[p]
        key = path[-1]
        move = rng.random()
        if move < 0.6:
            parent[key] = rng.choice(VALUES)
        elif move < 0.7 and isinstance(parent, dict):
            del parent[key]
        elif move < 0.8 and isinstance(parent, dict):
            parent[rng.choice(["at", "id", "child", "children", "conference", "planned",
                               "outcome", "extra", "with_", "from_", "type", "date"])] = (
                rng.choice(VALUES))
        elif isinstance(parent, list):
            if rng.random() < 0.5:
                parent.pop(key)
            else:
                parent.insert(key, json.loads(json.dumps(parent[key])))
        else:
            parent[key] = rng.choice(VALUES)
    return data


def _texts(data: Any) -> Iterator[str]:
    yield json.dumps(data, separators=(",", ":"))
    yield json.dumps(data, ensure_ascii=False)
    yield json.dumps(data, separators=(" , ", " : "))  # whitespace before each colon


def _line(data: Any) -> str:
    return json.dumps(data, separators=(",", ":"))


def _duplicate_keys() -> Iterator[str]:
    """A key given twice, at every level, in the ways a count could miss."""
    base = small()
    text = _line(base)
    yield text.replace('{"id":"s",', '{"id":"s","id":"t",')
    yield text.replace('{"id":"s",', '{"id":"s","id":"s",')
    yield text.replace('"date_of_birth":"2016-01-01"',
                       '"date_of_birth":"2016-01-01","date_of_birth":"2016-01-02"')
    yield text.replace('{"type":"visit","date":"2024-01-02"}',
                       '{"type":"visit","date":"2024-01-02","date":"2024-01-02"}')
    yield text.replace('{"type":"visit",', '{"type":"visit","type":"visit",')
    yield text.replace('{"agency":"health"}', '{"agency":"health","agency":"gp"}')
    yield text.replace('{"type":"visit",', '{"type":"visit","note":"a","note":"b",')
    yield text.replace('"events":', '"children":[{"id":"c1","date_of_birth":"2016-01-01"}],'
                       '"events":')
    # a colon less in the text (a key with space before its colon) hides a repeat
    yield text.replace('{"type":"visit","date":"2024-01-02"}',
                       '{"type":"visit","date" :"2024-01-02","date":"2024-01-02"}')
    yield text.replace('{"type":"visit","date":"2024-01-02"}',
                       '{"type":"visit","date"\t:"2024-01-02","date":"2024-01-02"}')
    # a colon more in a value (a time, a note) next to a repeat
    yield text.replace('{"type":"visit","date":"2024-01-02"}',
                       '{"type":"visit","date":"2024-01-02T10:30","note":"x","note":"y"}')
    yield text.replace('{"type":"visit","date":"2024-01-02"}',
                       '{"type":"visit","date":"2024-01-02T10\\u003a30","note":"x","note":"y"}')
    yield text.replace('{"type":"visit","date":"2024-01-02"}',
                       '{"type":"visit","date":"2024-01-02","note":"a\\":b","note":"y"}')
    yield text.replace('{"type":"visit","date":"2024-01-02"}',
                       '{"type":"visit","date":"2024-01-02","note":"a\\":b"}')
    # the same key written two ways, or two names of one field
    yield text.replace('{"type":"visit","date":"2024-01-02"}',
                       '{"type":"visit","date":"2024-01-02","\\u0064ate":"2024-01-02"}')
    yield text.replace('{"type":"visit","date":"2024-01-02"}',
                       '{"type":"report_shared","date":"2024-01-02","from_agency":"gp",'
                       '"with":"parents","with_":"child"}')
    yield text.replace('{"type":"visit","date":"2024-01-02"}',
                       '{"type":"management_advice","date":"2024-01-02","from":"legal",'
                       '"from_":"legal"}')
    yield text.replace('{"type":"visit","date":"2024-01-02"}',
                       '{"type":"visit","date":"2024-01-02","at":null,"at":null}')


def _hostile_lines() -> Iterator[str | bytes]:
    """Lines the reader refuses or bounds (tests/hostile), and odd but valid ones."""
    text = _line(small())
    yield from ["", " ", "null", "[]", "0", '"x"', "{}", '{"children":[]}', text + " x",
                text + "{}", text + ",", "\ufeff" + text, text.replace("}", ",}", 1),
                "{'id': 1}", text.replace('"2024-01-02"', "NaN"),
                text.replace('"2024-01-02"', "-Infinity"), text.replace('"2024-01-02"', "1e5"),
                text.replace('"2024-01-02"', "1" * 40), text.replace('"s"', '"\\ud800"'),
                text.replace('"s"', '"\\udc00"'), text.replace('"s"', '"\\ud800\\u0041"'),
                text.replace('"s"', '"\\ud83d\\ude00"'), text.replace('"s"', '"a\\x41"'),
                text.replace('"s"', '"a\tb"'), text.replace('"s"', '"\\u0000"'),
                text.replace('{"id":"s"', '{"id":"s","x":' + "[" * 61 + "]" * 61),
                text.replace('{"id":"s"', '{"id":"s","note":' + "[" * 30 + "]" * 30),
                " \t" + text + " \t", text + "\r", text.replace(",", ", "),
                text.replace('"s"', '"a\\\'b"'), text.replace('"s"', '"\\u12"'),
                text.replace('"s"', '"\\a"'), text.replace('"s"', '"\x1f"'),
                text.replace('"s"', '"\u2028\x7f"'),
                text.replace('"s"', '"' + "[" * 70 + "{" * 70 + '"'),
                text.replace('"s"', '"\\\\"'), text.replace('"s"', '"\\""')]
    yield from [text.encode(), b"\xef\xbb\xbf" + text.encode(), text.encode() + b"\r\n",
                text.encode().replace(b'"s"', b'"\xff"'),
                text.encode().replace(b'"s"', b'"\xed\xa0\x80"'),
                text.encode().replace(b'"s"', b'"\xc0\x80"'),
                text.encode().replace(b'"s"', "\u00e9\U0001F600".encode())]
    yield "{" + '"id":"s",' * 2 + text[1:]


def _limit_lines() -> Iterator[str]:
    lim = DEFAULT_LIMITS
    visit = {"type": "visit", "date": "2024-01-02"}
    child = {"id": "c", "date_of_birth": "2016-01-01"}
    yield _line({"children": [child], "events": [visit] * lim.max_events})
    yield _line({"children": [child], "events": [visit] * (lim.max_events + 1)})
    yield _line({"children": [dict(child, id=f"c{i}") for i in range(lim.max_children)]})
    yield _line({"children": [dict(child, id=f"c{i}") for i in range(lim.max_children + 1)]})
    # more than max_values values, each of them allowed where it is
    many = {"type": "document_sent", "date": "2024-01-02", "document": "outline_plan",
            "to": [""] * (lim.max_values // 2)}
    yield _line({"children": [child], "events": [many, many]})
    yield _line({"children": [child], "events": [dict(many, to=[""] * 150_000)]})


def _reference_cases() -> Iterator[dict[str, Any]]:
    base = small()
    evs = base["events"]
    yield dict(base, children=[{"id": "c1", "date_of_birth": "2016-01-01"}] * 2)
    yield dict(base, children=[{"id": "c1"}])
    yield dict(base, children=[{"id": "c1", "name": "n"}])
    yield dict(base, events=[*evs, dict(evs[1])])
    yield dict(base, events=[*evs, {"id": "k", "type": "visit", "date": "2024-01-02"}])
    yield dict(base, events=[*evs, {"type": "visit", "date": "2024-01-02", "children": ["c9"]}])
    yield dict(base, events=[*evs, {"type": "visit", "date": "2024-01-02", "children": []}])
    yield dict(base, events=[*evs, {"type": "birth", "date": "2024-01-02", "child": "c9"}])
    yield dict(base, events=[*evs, {"type": "expected_delivery", "date": "2024-01-02",
                                    "child": "c1"}])
    yield dict(base, events=[*evs, {"type": "invitations_sent", "date": "2024-01-02",
                                    "conference": "q"}])
    yield dict(base, events=[*evs, {"type": "invitations_sent", "date": "2024-01-02",
                                    "conference": "k"}])
    yield dict(base, events=[{"id": "v", "type": "visit", "date": "2024-01-02"},
                             {"type": "invitations_sent", "date": "2024-01-02",
                              "conference": "v"}])
    yield dict(base, events=[dict(evs[1], planned=True, outcome="plan")])
    yield dict(base, events=[dict(evs[1], planned=True)])
    yield dict(base, events=[dict(evs[1], planned=False, outcome="no_plan")])
    for when in TIMES:
        yield dict(base, events=[{"type": "visit", "date": when}])
        yield dict(base, events=[{"type": "visit", "date": when, "at": None}])
        yield dict(base, events=[{"type": "visit", "date": when, "at": when}])
        yield dict(base, events=[{"type": "visit", "date": "2024-05-20", "at": when}])
    for day in DATES:
        yield dict(base, as_of=day)
        yield dict(base, events=[{"type": "visit", "date": day}])
        yield dict(base, events=[{"type": "supervision_order", "date": "2024-01-02",
                                  "ends_on": day}])


# --- the tests ----------------------------------------------------------------------


def test_the_fast_path_reads_valid_lines_as_the_slow_path_does() -> None:
    decided = [_same_from_json(text) for data in (rich(), small()) for text in _texts(data)]
    assert decided[:2] == ["fast", "fast"], decided  # times, escapes, notes with colons
    facts = [_same_from_json(_line(data)) for data in scenario_facts()]
    assert facts.count("fast") >= 0.9 * len(facts), facts.count("fast")


def test_duplicate_keys_are_never_accepted() -> None:
    lines = list(_duplicate_keys())
    for line in lines:
        _same_from_json(line)
    assert all(fast_case_from_json(line) is None for line in lines[:13])


@pytest.mark.parametrize("line", list(_hostile_lines()), ids=lambda x: repr(x)[:40])
def test_hostile_lines(line: str | bytes) -> None:
    _same_from_json(line)


def test_limits() -> None:
    decided = [_same_from_json(line) for line in _limit_lines()]
    assert decided == ["fast", "slow", "fast", "slow", "slow", "slow"]


@pytest.mark.parametrize("data", list(_reference_cases()), ids=lambda d: repr(d)[-60:])
def test_references_times_and_dates(data: dict[str, Any]) -> None:
    _same_from_json(_line(data))
    _same_from_python(data)


def test_seeded_mutations_of_rich_cases() -> None:
    rng = random.Random(10)
    bases = [rich(), small(), *scenario_facts()[::20]]
    decided = []
    for n in range(1500):
        data = _mutate(bases[n % len(bases)], rng)
        decided.append(_same_from_json(_line(data)))
        if n % 3 == 0:
            decided.append(_same_from_json(json.dumps(data, separators=(" , ", " : "))))
            _same_from_python(data)
    assert decided.count("fast") > 100  # some mutations keep the case valid


def test_plain_data_from_python() -> None:
    base = small()
    visit = {"type": "visit", "date": dt.date(2024, 1, 2)}
    for events in (
        [visit], [dict(visit, date=dt.datetime(2024, 1, 2, 10, 30))],
        [dict(visit, date=dt.datetime(2024, 10, 27, 1, 30))],
        [dict(visit, date=dt.datetime(2024, 10, 27, 1, 30, tzinfo=dt.UTC))],
        [dict(visit, date=dt.datetime(2024, 3, 31, 1, 30))],
        [dict(visit, date=dt.datetime(2024, 1, 2, 10, 30), at=dt.datetime(2024, 1, 2, 10, 30))],
        [dict(visit, at=dt.datetime(2024, 1, 2, 10, 30))],
        [dict(visit, seen_alone=1)], [dict(visit, seen_alone="yes")],
        [Visit(type="visit", date=dt.date(2024, 1, 2))],
        [Visit.model_construct(type="visit", date=dt.date(2024, 1, 2))],
        [Visit.model_construct(type="visit", date=dt.date(2024, 1, 2), id=None, children=None,
                               at=dt.datetime(2024, 1, 3, 10, tzinfo=dt.UTC))],
        [Conference.model_construct(type="conference", date=dt.date(2024, 1, 2),
                                    kind="initial", planned=True, outcome="plan")],
        [{"type": "conference", "kind": "initial", "date": "2024-01-02",
          "attendees": [Attendee(agency="health")]}],
        ({"type": "visit", "date": "2024-01-02"},), [],
    ):
        _same_from_python(dict(base, events=events))
    for dob in (dt.date(2016, 1, 1), dt.datetime(2016, 1, 1), dt.datetime(2016, 1, 1, 10),
                "2016-01-01", 0, None):
        _same_from_python(dict(base, children=[{"id": "c1", "date_of_birth": dob}]))
    _same_from_python(rich())
    assert _same_from_python(small()) == "fast"


def test_plain_data_is_neither_used_up_nor_changed() -> None:
    """From Python, the slow path may have to read the data after the fast one: an
    iterator is left to it whole, and a model given in the data is not changed."""
    base = small()
    makers = [
        lambda: dict(base, events=iter([{"type": "visit", "date": "2024-01-02",
                                         "seen_alone": "yes"}])),
        lambda: dict(base, events=iter([{"type": "visit", "date": "2024-01-02"}])),
        lambda: dict(base, events=[{"type": "visit", "date": "2024-02-30",
                                    "children": (c for c in ["c1", "c9"])}]),
        lambda: dict(base, events=[{"type": "conference", "kind": "initial",
                                    "date": "2024-02-30", "note": 1,
                                    "attendees": iter([{"agency": "healt"}])}]),
    ]
    for make in makers:
        slow = _outcome(lambda m=make: _validate(Case, Located(m(), "p.json", {}), "case",
                                                 CaseError))
        assert _outcome(lambda m=make: case_from_data(m(), file="p.json")) == slow
        assert fast.case_from_python(make(), max_events=9, max_children=9) is None
    given = Visit.model_construct(type="visit", date=dt.datetime(2024, 1, 2, 10, 30), id=None,
                                  children=None, at=None)
    timed = {"type": "visit", "date": "2024-01-02T10:30"}
    _same_from_python(dict(base, events=[timed, given]))
    assert given.date == dt.datetime(2024, 1, 2, 10, 30) and given.at is None


def test_no_python_runs_for_an_event_of_any_type() -> None:
    """The hot path: pydantic-core alone (a Python call only for an event given a time)."""
    data = rich()
    for ev in data["events"]:
        ev["date"] = ev["date"][:10]
    line = _line(data)
    validator = fast._validator()
    calls: list[str] = []

    def profile(frame: Any, event: str, arg: Any) -> None:
        if event == "call":
            calls.append(frame.f_code.co_name)

    sys.setprofile(profile)
    try:
        validator.validate_json(line, context=[])
    finally:
        sys.setprofile(None)
    assert calls == []
    assert fast_case_from_json(line) is not None


def test_a_validator_the_fast_path_does_not_know_is_an_error() -> None:
    def check(v: Any) -> Any:
        return v

    with pytest.raises(TypeError, match="does not know the validator"):
        fast._fast({"type": "function-after", "function": {"type": "no-info",
                                                           "function": check},
                    "schema": {"type": "str"}}, set())


def test_the_case_id_of_an_error_line_is_kept() -> None:
    line = _line(dict(small(), events=[{"type": "visit", "date": "2024-02-30"}]))
    case, failed = _read(line, 3, LINE, FILE)
    assert case is None and failed is not None and failed.case_id == "s"
    assert failed.error is not None and failed.error.line == LINE
    assert failed.error.path == "events[0].date"


def test_case_from_data_reads_a_dict_without_changing_it() -> None:
    """``case_from_data`` gives a plain dict to the fast path as it is (no copy): the dict
    is left as it was, whether the fast path takes the case or the slow one decides."""
    good = rich()
    bad = dict(small(), events=[{"type": "visit", "date": "2024-02-30"}])
    for data, decided in ((good, "case"), (bad, "error")):
        before = json.loads(json.dumps(data))
        outcome = _outcome(lambda d=data: case_from_data(d, file="p.json"))
        assert outcome[0] == decided
        assert data == before
    assert fast.case_from_python(rich(), max_events=DEFAULT_LIMITS.max_events,
                                 max_children=DEFAULT_LIMITS.max_children) is not None
