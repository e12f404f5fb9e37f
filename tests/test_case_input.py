"""Case facts: parsing, bad input (impossible dates, unknown event types, bad references),
times and zones, and data-quality findings that do not stop the evaluation."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest

import cprules
from cprules import CaseError, VariantError, case_from_data, evaluate, load_case, load_ruleset

ROOT = Path(__file__).parent.parent
YORK = load_ruleset("york")


def _case(events: list[dict[str, object]], **extra: object) -> dict[str, object]:
    return {"children": [{"id": "c1", "date_of_birth": "2016-06-06"}], "events": events, **extra}


def _load_text(tmp_path: Path, text: str, name: str = "case.yaml") -> cprules.Case:
    f = tmp_path / name
    f.write_text(text)
    return load_case(f)


def test_impossible_date_names_file_line_and_field(tmp_path: Path) -> None:
    text = ("children: [{id: c1, date_of_birth: 2016-06-06}]\nevents:\n"
            "  - {type: strategy_discussion, date: 2024-05-20}\n"
            "  - {type: conference, kind: initial, date: 2024-02-30}\n")
    with pytest.raises(CaseError) as caught:
        _load_text(tmp_path, text)
    err = caught.value
    assert err.line == 4 and err.path == "events[1].date"
    assert "2024-02-30 is not a date: February 2024 has 29 days" in err.details[0].message


def test_unknown_event_type_suggests(tmp_path: Path) -> None:
    text = ("children: [{id: c1, date_of_birth: 2016-06-06}]\nevents:\n"
            "  - {type: conferance, date: 2024-05-20}\n")
    with pytest.raises(CaseError) as caught:
        _load_text(tmp_path, text)
    assert caught.value.line == 3
    assert "unknown event type 'conferance'" in str(caught.value)
    assert caught.value.suggestion == "did you mean 'conference'?"


def test_unknown_field_suggests(tmp_path: Path) -> None:
    text = ("children: [{id: c1, date_of_birth: 2016-06-06}]\nevents:\n"
            "  - type: strategy_discussion\n    date: 2024-05-20\n    s47_intiated: true\n")
    with pytest.raises(CaseError) as caught:
        _load_text(tmp_path, text)
    assert caught.value.line == 5
    assert caught.value.suggestion == "did you mean 's47_initiated'?"


@pytest.mark.parametrize(
    "data, words",
    [
        (_case([{"id": "a", "type": "core_group", "date": "2024-01-01"},
                {"id": "a", "type": "core_group", "date": "2024-02-01"}]), "duplicate event id"),
        (_case([{"type": "document_sent", "date": "2024-01-01", "document": "conference_record",
                 "conference": "nope"}]), "refers to conference 'nope'"),
        (_case([{"type": "visit", "date": "2024-01-01", "children": ["c9"]}]), "unknown child"),
        ({"children": [{"id": "c1"}], "events": []}, "date_of_birth"),
        ({"children": [], "events": []}, "at least 1"),
        (_case([{"type": "conference", "kind": "review", "date": "2024-01-01", "planned": True,
                 "outcome": "plan"}]), "planned conference has no outcome"),
        (_case([{"type": "visit"}]), "required field 'date'"),
        (_case([{"type": "visit", "date": 20240101}]), "date"),
    ],
)
def test_bad_case_data(data: dict[str, object], words: str) -> None:
    with pytest.raises(CaseError) as caught:
        case_from_data(data)
    assert words in str(caught.value)


def test_case_from_json(tmp_path: Path) -> None:
    data = _case([{"type": "strategy_discussion", "date": "2024-05-20", "s47_initiated": True}])
    case = _load_text(tmp_path, json.dumps(data), "case.json")
    assert case.events[0].date == dt.date(2024, 5, 20)


def test_datetimes_with_and_without_zones() -> None:
    case = case_from_data(_case([
        {"type": "conference", "kind": "initial", "date": "2024-05-24T15:00:00+00:00",
         "outcome": "plan"},  # 16:00 BST
        {"type": "conference", "kind": "review", "date": "2024-12-02T10:30:00"},
        {"type": "core_group", "date": "2024-06-30T23:30:00Z"},  # 00:30 BST on 1 July
    ]))
    first, second, third = case.events
    assert first.at is not None and second.at is not None
    assert first.at.replace(tzinfo=None) == dt.datetime(2024, 5, 24, 16, 0)
    assert first.at.utcoffset() == dt.timedelta(hours=1) and first.date == dt.date(2024, 5, 24)
    assert second.at.replace(tzinfo=None) == dt.datetime(2024, 12, 2, 10, 30)
    assert second.at.utcoffset() == dt.timedelta(0)
    assert third.date == dt.date(2024, 7, 1)


def test_local_time_that_does_not_exist_is_refused_with_its_place() -> None:
    with pytest.raises(CaseError) as caught:
        case_from_data(_case([
            {"type": "core_group", "date": "2024-06-01"},
            {"type": "core_group", "date": "2024-03-31T01:30:00"},
        ]), file="case.json")
    err = caught.value
    assert err.path == "events[1].date" and err.file == "case.json"
    assert "does not exist in UK local time" in err.message or "does not exist" in str(err)


def test_ambiguous_local_time_is_the_first_of_the_two() -> None:
    case = case_from_data(_case([
        {"type": "core_group", "date": "2024-10-27T01:30:00"},
        {"type": "core_group", "date": "2024-10-27T01:30:00+00:00"},
    ]))
    first, second = case.events
    assert first.at is not None and second.at is not None
    assert first.at.utcoffset() == dt.timedelta(hours=1)
    assert second.at.utcoffset() == dt.timedelta(0)
    assert second.at.astimezone(dt.UTC) - first.at.astimezone(dt.UTC) == dt.timedelta(hours=1)


def test_variant_errors_list_the_variants() -> None:
    data = YORK.model_dump(mode="json", by_alias=True)
    data["variants"] = {"a": {"name": "A"}, "b": {"name": "B"}}
    rs = cprules.Ruleset.model_validate(data)
    case = case_from_data(_case([]))
    with pytest.raises(VariantError) as caught:
        evaluate(rs, case, as_of=dt.date(2024, 1, 1))
    assert "a (A)" in str(caught.value) and "b (B)" in str(caught.value)
    with pytest.raises(VariantError) as caught:
        evaluate(rs, case, as_of=dt.date(2024, 1, 1), variant="c")
    with pytest.raises(VariantError):
        evaluate(YORK, case, as_of=dt.date(2024, 1, 1), variant="a")


def test_a_variant_asked_for_over_the_cases_local_authority_is_said() -> None:
    """docs/semantics.md, "Data quality": the variant asked for is applied, and a finding
    for every child says the case named another local authority."""
    derby = cprules.load_ruleset("derby")
    data = {"local_authority": "derbyshire", "children": [
        {"id": "a", "date_of_birth": "2019-01-01"}, {"id": "b", "date_of_birth": "2020-01-01"}],
        "events": [{"type": "strategy_discussion", "date": "2024-05-20",
                    "s47_initiated": True}]}
    day = dt.date(2024, 7, 1)
    for variant in (None, "derbyshire"):  # the case's own: nothing to say
        ev = evaluate(derby, data, as_of=day, variant=variant)
        assert ev.stamp.variant == "derbyshire" and ev.data_quality == ()
    ev = evaluate(derby, data, as_of=day, variant="derby_city")
    assert ev.stamp.variant == "derby_city"
    (q,) = ev.data_quality
    assert (q.code, q.children, q.event) == ("variant_not_local_authority", ("a", "b"), None)
    assert "'derby_city'" in q.message and "'derbyshire'" in q.message
    assert q == type(q).model_validate(q.model_dump())  # a well-formed model


def test_data_quality_findings_do_not_stop_the_evaluation() -> None:
    case = case_from_data(_case([
        {"type": "conference", "kind": "review", "date": "2024-04-01", "outcome": "plan"},
        {"type": "strategy_discussion", "date": "2024-05-20", "s47_initiated": True},
        {"type": "strategy_discussion", "date": "2024-05-20", "s47_initiated": True},
        {"type": "conference", "kind": "initial", "date": "2024-07-01", "outcome": "plan"},
        {"type": "conference", "kind": "review", "date": "2024-06-03", "planned": True},
    ]))
    ev = evaluate(YORK, case, as_of=dt.date(2024, 6, 20))
    codes = sorted(q.code for q in ev.data_quality)
    assert codes == ["after_as_of", "planned_in_past", "possible_duplicate",
                     "review_before_initial"]
    # the rest is still evaluated: the ICPC after the strategy discussion is overdue (once:
    # York counts from the first discussion while the deadline is open, counts: first)
    icpc = ev.deadline("icpc.timing")
    assert [d.status for d in icpc] == ["overdue"]


def test_ruleset_round_trips_through_json() -> None:
    data = YORK.model_dump(mode="json", by_alias=True)
    again = cprules.Ruleset.model_validate(json.loads(json.dumps(data)))
    assert again.model_dump(mode="json", by_alias=True) == data
    assert again.rules == YORK.rules


def test_dates_outside_the_calendar_are_a_finding_not_a_crash() -> None:
    case = case_from_data(_case([
        {"type": "strategy_discussion", "date": "2028-12-20", "s47_initiated": True},
    ]))
    ev = evaluate(YORK, case, as_of=dt.date(2028, 12, 21))
    assert [q.code for q in ev.data_quality] == ["outside_calendar"]
    assert ev.deadlines == ()


def test_evaluation_is_pure_and_round_trips() -> None:
    case = load_case(ROOT / "examples" / "york-case.yaml")
    before = copy.deepcopy(case.model_dump())
    first = evaluate(YORK, case)
    second = evaluate(YORK, case)
    assert first == second
    assert case.model_dump() == before
    as_json = json.dumps(first.model_dump(mode="json"))
    assert cprules.Evaluation.model_validate_json(as_json) == first
    assert first.stamp.as_of == dt.date(2024, 7, 15)  # the case's own as_of
    assert first.stamp.ruleset_version == "12.0"
    assert first.stamp.cprules_version == cprules.__version__


def test_as_of_hides_later_facts() -> None:
    case = load_case(ROOT / "examples" / "york-case.yaml")
    ev = evaluate(YORK, case, as_of=dt.date(2024, 6, 1))
    icpc = ev.deadline("icpc.timing")
    assert [(d.due, d.status) for d in icpc] == [(dt.date(2024, 6, 11), "pending")]
    assert any(q.code == "after_as_of" for q in ev.data_quality)


def test_event_order_in_the_input_does_not_matter() -> None:
    case = load_case(ROOT / "examples" / "york-case.yaml")
    shuffled = case.model_copy(update={"events": tuple(reversed(case.events))})
    a, b = evaluate(YORK, case), evaluate(YORK, shuffled)
    key = [(d.rule_id, d.due, d.status, d.met_by.date if d.met_by else None)
           for d in a.deadlines]
    assert key == [(d.rule_id, d.due, d.status, d.met_by.date if d.met_by else None)
                   for d in b.deadlines]


def test_evaluate_takes_names_json_and_iso_dates() -> None:
    data = {"children": [{"id": "c", "date_of_birth": "2016-01-01"}],
            "events": [{"type": "strategy_discussion", "date": "2024-05-20",
                        "s47_initiated": True}]}
    ev = evaluate("york", data, as_of="2024-06-20")
    assert [(d.due, d.status) for d in ev.deadline("icpc.timing")] == [
        (dt.date(2024, 6, 11), "overdue")]
    with pytest.raises(CaseError, match="not a date"):
        evaluate("york", data, as_of="2024-02-30")
    with pytest.raises(CaseError):
        evaluate("york", {"events": "nope"})


@pytest.mark.parametrize(("sent", "done"), [
    ("2024-06-03T09:00:00", False),  # before the timed subject, on its day: not this duty
    ("2024-06-03T15:00:00", True),
    ("2024-06-03", True),  # a date only: its time is unknown, so it counts
])
def test_an_obligation_is_not_met_by_an_event_timed_before_its_subject(sent: str,
                                                                        done: bool) -> None:
    """docs/semantics.md, "Decision rules": as for deadlines, on the subject's day an event
    timed before a timed subject does not meet the duty."""
    data = {"children": [{"id": "c1", "date_of_birth": "2016-03-01"}], "events": [
        {"type": "conference", "date": "2024-05-15", "kind": "initial", "outcome": "plan",
         "categories": ["neglect"]},
        {"type": "became_looked_after", "date": "2024-06-03T14:00:00"},
        {"type": "document_sent", "date": sent, "document": "looked_after_notice"}]}
    ev = evaluate(cprules.load_ruleset("kirklees"), data, as_of=dt.date(2024, 7, 1))
    open_duties = [o for o in ev.obligations if o.rule_id == "looked_after.chair_letter"]
    assert (not open_duties) is done
