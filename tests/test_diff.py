"""cprules diff, compare and impact."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import pytest

import cprules
from cli_runner import cli
from cprules import calendar
from cprules.diff import render_comparison, render_diff

ROOT = Path(__file__).parent.parent


def test_york_v10_against_v11_shows_exactly_the_3_17_change() -> None:
    d = cprules.diff("york@v10", "york@v11")
    assert d.a.as_of == dt.date(2023, 7, 19) and d.b.as_of == dt.date(2024, 7, 31)
    changed = [r for r in d.rules if r.status != "same"]
    assert [r.rule_id for r in changed] == ["outline_plan.distribution"]
    assert [(c.field, c.a, c.b) for c in changed[0].changes] == [
        ("timescale", "within 1 working day", "within 3 working days")]
    assert "revision 11" in (changed[0].citation_a or "")
    assert "3.17" in (changed[0].citation_b or "")
    # dates work as well as revision names, on either side of 31 July 2024
    assert cprules.diff("york@2024-07-30", "york@2024-07-31").changed == 1
    assert cprules.diff("york@2024-01-01", "york@2024-07-30").changed == 0


def test_derby_city_against_derbyshire_shows_the_record_timescales() -> None:
    d = cprules.diff("derby:derby_city", "derby:derbyshire")
    by_id = {r.rule_id: r for r in d.rules}
    rec = {c.field: (c.a, c.b) for c in by_id["record.distribution"].changes}
    assert rec["timescale"] == ("within 20 working days", "within 5 working days")
    copy = {c.field: (c.a, c.b) for c in by_id["record.parents_copy"].changes}
    assert copy["timescale"] == ("within 20 working days", "within 15 working days")
    assert by_id["icpc.timing"].status == "same"


def test_hand_edited_copy_with_one_changed_duration(tmp_path: Path) -> None:
    text = (ROOT / "rules" / "york.yaml").read_text()
    old = "    due: {within: 15 working days}\n    satisfied_by:\n      event: document_sent\n"
    assert text.count(old) == 1  # record.distribution
    edited = tmp_path / "york-edited.yaml"
    edited.write_text(text.replace(old, old.replace("15 working days", "20 working days")))
    d = cprules.diff("york", str(edited))
    assert (d.changed, d.only_a, d.only_b) == (1, 0, 0)
    [rule] = [r for r in d.rules if r.status == "changed"]
    assert rule.rule_id == "record.distribution"
    assert [(c.a, c.b) for c in rule.changes] == [
        ("within 15 working days", "within 20 working days")]
    code, out, _ = cli("diff", "york", str(edited))
    assert code == 0 and "CHANGED: record.distribution" in out
    assert "1 changed, 0 only in A, 0 only in B" in out


def test_formats_and_all() -> None:
    d = cprules.diff("york", "kirklees")
    md = render_diff(d, "markdown")
    assert md.startswith("# york vs kirklees") and "| field | A | B |" in md
    data = json.loads(render_diff(d, "json"))
    assert data["changed"] == d.changed and len(data["rules"]) == len(d.rules)
    assert "THE SAME:" not in render_diff(d)
    assert "THE SAME:" in render_diff(d, show_all=True)
    assert {r.status for r in d.rules} >= {"only_a", "only_b", "changed"}


def test_variant_needed_and_bad_specs() -> None:
    with pytest.raises(cprules.CprulesError, match="has variants"):
        cprules.diff("derby", "york")
    with pytest.raises(cprules.CprulesError, match="neither a date"):
        cprules.diff("york@v99", "york")
    code, _, err = cli("diff", "york")
    assert code == 2 and "give two rulesets" in err


def test_compare_matrix_and_committed_comparison_doc() -> None:
    c = cprules.compare(["york", "derby", "north_yorkshire", "kirklees"])
    labels = [s.label for s in c.columns]
    assert labels == ["york", "derby:derby_city", "derby:derbyshire", "north_yorkshire",
                      "kirklees"]
    row = dict(c.rows)["record.distribution"]
    assert row == ("within 15 working days", "within 20 working days",
                   "within 5 working days", "within 15 working days",
                   "within 20 working days")
    committed = (ROOT / "docs" / "comparison.md").read_text()
    fresh = render_comparison(c, "markdown")
    assert fresh in committed, (
        "docs/comparison.md is stale: regenerate it with "
        "`cprules compare york derby north_yorkshire kirklees --format markdown`"
    )
    code, out, _ = cli("diff", "york", "derby", "north_yorkshire", "kirklees", "-f", "markdown")
    assert code == 0 and out == fresh


def _cases(n: int, seed: int) -> list[cprules.Case]:
    rng = random.Random(seed)
    cases = []
    for i in range(n):
        day = dt.date(2023, 1, 2) + dt.timedelta(days=rng.randrange(0, 900))
        cases.append(cprules.case_from_data({
            "id": f"gen-{i}",
            "children": [{"id": "c", "date_of_birth": "2015-01-01"}],
            "events": [{"type": "conference", "kind": "initial", "date": day.isoformat(),
                        "outcome": "no_plan", "categories": []}],
        }))
    return cases


def test_impact_counts_exactly_the_moved_deadlines(tmp_path: Path) -> None:
    text = (ROOT / "rules" / "york.yaml").read_text()
    old = "    due: {at_least: 3 days}\n"
    assert text.count(old) == 1  # reports.administrators: 3 calendar days
    edited = tmp_path / "york-working-days.yaml"
    edited.write_text(text.replace(old, "    due: {at_least: 3 working days}\n"))
    cases = _cases(60, seed=7)
    report = cprules.impact("york", str(edited), cases, as_of=dt.date(2026, 1, 1))
    # direct computation: 3 calendar days before the conference against the third working
    # day before it
    expected = 0
    for case in cases:
        day = case.events[0].date
        if day - dt.timedelta(days=3) != calendar.add_working_days(day, -3):
            expected += 1
    assert 0 < expected < len(cases)
    assert report.deadlines_moved == expected
    assert report.cases_changed == expected and report.errors == 0
    for c in report.cases:
        for m in c.moved:
            assert m.rule_id == "reports.administrators"
            assert m.due_b is not None and m.due_a is not None and m.due_b <= m.due_a


def test_impact_cli_on_folders_and_json_lines(tmp_path: Path) -> None:
    folder = tmp_path / "cases"
    folder.mkdir()
    for case in _cases(3, seed=1):
        (folder / f"{case.id}.json").write_text(case.model_dump_json(by_alias=True))
    lines = [c.model_dump_json(by_alias=True) for c in _cases(4, seed=2)]
    lines.insert(2, "{not json")
    jsonl = tmp_path / "cases.jsonl"
    jsonl.write_text("\n".join(lines) + "\n")
    code, out, _ = cli("impact", "york@v10", "york@v11", str(folder), str(jsonl),
                       "--as-of", "2026-01-01", "-f", "json")
    data = json.loads(out)
    assert code == 0
    assert data["cases_evaluated"] == 7 and data["errors"] == 1
    assert any("invalid JSON" in (c["error"] or "") for c in data["cases"])
    code, out, _ = cli("impact", "york", "york", str(folder), "--as-of", "2026-01-01")
    assert code == 0 and "3 cases evaluated, 0 changed, 0 deadlines moved" in out


def test_impact_of_a_revision_pins_the_dated_values() -> None:
    case = cprules.load_case(ROOT / "examples" / "york-case.yaml")
    report = cprules.impact("york@v10", "york@v11", [case])
    [moved] = [m for c in report.cases for m in c.moved]
    # ICPC on Mon 10 Jun 2024: one working day -> 11 Jun; three -> 13 Jun
    assert (moved.rule_id, moved.due_a, moved.due_b, moved.working_days) == (
        "outline_plan.distribution", dt.date(2024, 6, 11), dt.date(2024, 6, 13), 2)
    assert moved.status_a == moved.status_b == "met"
