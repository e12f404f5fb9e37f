"""The Annex A reader: the third-party workbook, a hand-built workbook and the same data
as CSV files with other header spellings, broken cells, and the value parsers."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest

import cprules
from cprules.cli import run
from cprules.sources import SourceError, annex_a
from cprules.sources.values import parse_bool, parse_category, parse_date
from known_sources import FIXTURES, write_csv_folder, write_xlsx

FIXTURE = FIXTURES / "annex_a" / "liia_Annex_A.xlsx"


def by_id(path: Path) -> dict[str, cprules.sources.ChildRecord]:
    return {r.child_id: r for r in annex_a.read(path)}


def test_fixture_every_child_of_list_5_and_7_read() -> None:
    records = by_id(FIXTURE)
    assert list(records) == ["11641472", "6537810", "10273003", "4073694", "11578763",
                             "10721552", "5358472", "14953858", "16036763", "9396243",
                             "11811692", "6913085"]
    for r in records.values():
        assert r.case is not None and r.extract_date == dt.date(2022, 6, 1)
        cprules.case_from_data(r.case)
    assert records["11641472"].team == "Children with Disabilities Team"
    assert records["11641472"].worker == "Delta Arthur"  # the non-breaking space is read
    assert records["10273003"].icpcs[0].not_required


def test_fixture_problems() -> None:
    found = {(p.child_id, p.code, p.sheet, p.row) for r in annex_a.read(FIXTURE)
             for p in r.problems}
    assert found == {
        ("10721552", "plan_before_birth", "List 7", 2),  # pre-birth plans, no conference
        ("6913085", "plan_before_birth", "List 7", 8),
        ("11641472", "plan_not_in_list_7", "List 5", 2),
        ("6537810", "plan_not_in_list_7", "List 5", 3),
        ("11578763", "plan_not_in_list_7", "List 5", 6),
    }


def test_fixture_review_on_the_day_the_plan_ends() -> None:
    case = by_id(FIXTURE)["16036763"].case
    assert case is not None
    review = [e for e in case["events"] if e.get("kind") == "review"]
    assert review == [{"type": "conference", "kind": "review", "date": "2021-01-04",
                       "outcome": "no_plan"}]
    assert not any(e["type"] == "plan_end" for e in case["events"])
    visit = next(e for e in case["events"] if e["type"] == "visit")
    assert visit == {"type": "visit", "date": "2020-12-30", "seen_alone": False}


def test_known_workbook(tmp_path: Path) -> None:
    records = by_id(write_xlsx(tmp_path / "annex.xlsx"))
    assert sorted(records) == [str(n) for n in range(101, 111)]
    k1 = records["101"]
    assert (k1.team, k1.worker, k1.extract_date) == ("Team North", "Ann Smith",
                                                     dt.date(2023, 6, 9))
    assert k1.sheet_rows == ("List 5:2", "List 7:2")
    [icpc] = k1.icpcs
    assert (icpc.anchor, icpc.conference, icpc.anchor_kind) == (
        dt.date(2022, 6, 1), dt.date(2022, 6, 23), "strategy_discussion")
    assert k1.last_visit == dt.date(2023, 5, 24)
    assert k1.case is not None
    conference = next(e for e in k1.case["events"] if e["type"] == "conference")
    assert conference == {"id": "icpc-1", "type": "conference", "kind": "initial",
                          "date": "2022-06-23", "outcome": "plan", "categories": ["neglect"]}
    assert records["103"].case is not None
    assert records["103"].case["events"][1]["outcome"] == "no_plan"
    assert records["106"].case is not None
    assert records["106"].case["events"][0]["kind"] == "pre_birth"

    broken = records["105"]
    assert [(p.code, p.row, p.column) for p in broken.problems] == [
        ("not_available", 6, "I: Allocated Team"),
        ("not_available", 6, "D: Strategy discussion initiating Section 47 Enquiry Start Date"),
        ("formula", 6, "F: Date of Initial Child Protection Conference"),
        ("missing_value", 6, "D: Strategy discussion initiating Section 47 Enquiry Start Date"),
    ]
    assert broken.team is None and broken.worker == "Eve White" and not broken.icpcs
    assert [(p.code, p.sheet, p.row, p.column) for p in records["107"].problems] == [
        ("invalid_date", "List 7", 5, "G: Date of the Last Statutory Visit")]
    assert all(not r.problems for k, r in records.items() if k not in ("105", "106", "107"))


def test_csv_folder_reads_the_same_children(tmp_path: Path) -> None:
    xlsx = by_id(write_xlsx(tmp_path / "annex.xlsx"))
    folder = by_id(write_csv_folder(tmp_path / "csv"))
    assert list(folder) == list(xlsx)
    for key, record in folder.items():
        assert record.case == xlsx[key].case, key
        assert (record.team, record.worker, record.icpcs, record.plans) == (
            xlsx[key].team, xlsx[key].worker, xlsx[key].icpcs, xlsx[key].plans)
        assert [p.code for p in record.problems] == [p.code for p in xlsx[key].problems]
    assert folder["101"].extract_date == dt.date(2023, 6, 9)  # the files' time
    assert folder["105"].problems[2].column == "F: ICPC date"


def test_missing_list_and_missing_column(tmp_path: Path) -> None:
    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "List 5.csv").write_text("Child ID,Date of birth,Team\n1,01/01/2020,North\n")
    [record] = annex_a.read(folder)
    assert [(p.code, p.severity) for p in record.problems] == [
        ("missing_list", "warning"), ("missing_column", "error"), ("missing_column", "warning")]
    assert "strategy" in record.problems[1].message and not record.icpcs
    assert "initial conference" in record.problems[2].message  # optional, but it matters
    (folder / "List 5.csv").unlink()
    (folder / "notes.csv").write_text("a,b\n")
    with pytest.raises(SourceError, match="no List 5 or List 7"):
        list(annex_a.read(folder))
    (tmp_path / "junk.xlsx").write_text("not a workbook")
    with pytest.raises(SourceError, match="cannot open"):
        list(annex_a.read(tmp_path / "junk.xlsx"))


@pytest.mark.parametrize(("value", "expected"), [
    (dt.datetime(2022, 6, 3), dt.date(2022, 6, 3)), ("2022-06-03", dt.date(2022, 6, 3)),
    ("03/06/2022", dt.date(2022, 6, 3)), ("3-6-2022", dt.date(2022, 6, 3)),
    ("3 June 2022", dt.date(2022, 6, 3)), ("2022-06-03 00:00:00", dt.date(2022, 6, 3)),
    ("", None), (None, None),
])
def test_dates_in_their_spellings(value: object, expected: dt.date | None) -> None:
    assert parse_date(value) == (expected, None)


@pytest.mark.parametrize(("value", "fragment"), [
    ("31/02/2023", "not a real date"), ("#N/A", "no value"), ("=H2+5", "formula"),
    ("soon", "not a date"), (True, "not a date"),
])
def test_unreadable_dates(value: object, fragment: str) -> None:
    day, issue = parse_date(value)
    assert day is None and issue is not None and fragment in issue


def test_spreadsheet_serial_is_read_with_a_warning() -> None:
    day, issue = parse_date(44715)
    assert day == dt.date(2022, 6, 3) and issue is not None and "44715" in issue


@pytest.mark.parametrize(("value", "expected"), [
    ("a) Yes", True), ("Yes", True), ("Y", True), ("true", True), ("1", True), (1, True),
    ("b) No", False), ("No", False), ("FALSE", False), ("0", False), ("", None),
])
def test_yes_no(value: object, expected: bool | None) -> None:
    assert parse_bool(value) == (expected, None)


@pytest.mark.parametrize(("value", "expected"), [
    ("a) Neglect", "neglect"), ("NEG", "neglect"), ("Physical abuse", "physical"),
    ("SAB", "sexual"), ("Sexual abuse", "sexual"), ("EMO", "emotional"),
    ("d) Multiple", "multiple"), ("MUL", "multiple"),
])
def test_categories(value: str, expected: str) -> None:
    assert parse_category(value) == (expected, None)


def test_cli_import_annex_a(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    code = run(["import", "annex-a", str(write_xlsx(tmp_path / "a.xlsx"))], out, err)
    assert code == 1  # the #N/A and formula cells are errors
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(records) == 10
    assert records[0]["team"] == "Team North" and records[0]["worker"] == "Ann Smith"
    assert "sheet 'List 5', row 6, column 'F: Date of Initial" in err.getvalue()
    assert "10 children read, 6 problems" in err.getvalue()
