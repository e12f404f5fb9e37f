"""The third-party fixtures varied the ways real exports vary: Annex A as CSV with line
breaks in cells, headers in CamelCase or with underscores, a missing optional column,
Annex A's own "Unknown" answer, a single CSV file, upper-case ``.CSV``, a list with only its
header, a damaged sheet; a census date with a time zone, and an enquiry whose start date
cannot be read (its conference is kept). Each variant is written into ``tmp_path`` from the
fixture, so the rest of the file is the real thing."""

from __future__ import annotations

import csv
import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

import pytest

import cprules
from cli_runner import cli
from cprules.sources import SourceError, annex_a, cin, read
from known_sources import FIXTURES

ANNEX_A = FIXTURES / "annex_a" / "liia_Annex_A.xlsx"
CENSUS_2024 = FIXTURES / "cin" / "d2i_CIN_Census_2024.xml"


def fixture_lists() -> dict[int, list[list[Any]]]:
    import openpyxl

    wb = openpyxl.load_workbook(ANNEX_A, read_only=True)
    try:
        return {n: [list(r) for r in wb[f"List {n}"].iter_rows(values_only=True)]
                for n in (5, 7)}
    finally:
        wb.close()


def _cell(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y")
    return "" if value is None else str(value)


def write_csv(folder: Path, lists: dict[int, list[list[Any]]],
              name: str = "List_{n}.csv") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n, rows in lists.items():
        with (folder / name.format(n=n)).open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows([_cell(c) for c in row] for row in rows)
    return folder


def facts(path: Path) -> dict[str, tuple[Any, ...]]:
    return {r.child_id: (r.icpcs and [(i.anchor, i.conference, i.not_required)
                                      for i in r.icpcs], r.plans, r.last_visit, r.team)
            for r in annex_a.read(path)}


def test_csv_cells_with_line_breaks_stay_in_their_row(tmp_path: Path) -> None:
    lists = fixture_lists()
    lists[5][0].append("Comments")
    for i, row in enumerate(lists[5][1:], start=1):
        # a quoted line break, a Unicode line separator, a form feed: all inside one cell
        row.append({1: "seen at school\nand at home", 2: "see\u2028notes", 3: "a\x0cb"}
                   .get(i, ""))
    folder = write_csv(tmp_path / "csv", lists)
    records = {r.child_id: r for r in annex_a.read(folder)}
    assert facts(folder) == facts(ANNEX_A)  # no child made up from half a row
    assert records["11578763"].sheet_rows == ("List_5.csv:6",)  # the spreadsheet's row


@pytest.mark.parametrize("spell", [
    lambda h: h.replace(" ", ""),  # ChildProtectionPlanEndDate
    lambda h: h.replace(" ", "_").upper(),  # CHILD_PROTECTION_PLAN_END_DATE
    lambda h: {"Child Protection Plan Start Date": "CP_START_DATE",  # CP and CPP as words
               "Child Protection Plan End Date": "CPP End Date"}.get(h, h),
])
def test_headers_spelt_as_real_exports_spell_them(tmp_path: Path, spell: Any) -> None:
    lists = fixture_lists()
    for rows in lists.values():
        rows[0] = [spell(h) for h in rows[0]]
    folder = write_csv(tmp_path / "csv", lists)
    assert facts(folder) == facts(ANNEX_A)
    assert not [p for r in annex_a.read(folder) for p in r.problems
                if p.code == "missing_column"]


def test_a_missing_plan_end_column_is_a_warning(tmp_path: Path) -> None:
    lists = fixture_lists()
    end = lists[7][0].index("Child Protection Plan End Date")
    lists[7] = [row[:end] + row[end + 1:] for row in lists[7]]
    records = list(annex_a.read(write_csv(tmp_path / "csv", lists)))
    [missing] = [p for r in records for p in r.problems if p.code == "missing_column"]
    assert (missing.sheet, missing.severity) == ("List_7.csv", "warning")
    assert "plan end" in missing.message and "still open" in missing.message


def test_problem_codes_name_the_kind_of_value(tmp_path: Path) -> None:
    lists = fixture_lists()
    header = lists[7][0]
    alone, initial = header.index("Was the Child Seen Alone?"), header.index(
        "Initial Category of Abuse")
    lists[7][1][alone] = "c) Unknown"  # Annex A's third answer: no answer, no error
    lists[7][2][alone] = "maybe"
    lists[7][3][initial] = "Bruising"
    lists[7][4][0] = ""  # no child id
    by_child: dict[str | None, set[str]] = {}
    records = {r.child_id: r for r in annex_a.read(write_csv(tmp_path / "csv", lists))}
    for r in records.values():
        for p in r.problems:
            by_child.setdefault(p.child_id, set()).add(p.code)
    assert "10721552" not in by_child or not by_child["10721552"] & {
        "invalid_boolean", "invalid_value"}
    visit = next(e for e in records["10721552"].case["events"]  # type: ignore[index]
                 if e["type"] == "visit")
    assert "seen_alone" not in visit
    assert "invalid_boolean" in by_child["5358472"]
    assert "invalid_category" in by_child["14953858"]
    assert "missing_value" in by_child[None]  # the row with no child id, named by its row
    documented = (Path(__file__).parent.parent / "docs" / "data-sources.md").read_text()
    for codes in by_child.values():
        for code in codes:
            assert f"`{code}`" in documented, code


def test_a_single_csv_file_and_upper_case_suffix(tmp_path: Path) -> None:
    lists = fixture_lists()
    write_csv(tmp_path / "one", {5: lists[5]}, name="LIST {n}.CSV")
    single = tmp_path / "one" / "LIST 5.CSV"
    records = list(read(single))
    assert [r.child_id for r in records] == ["11641472", "6537810", "10273003", "4073694",
                                             "11578763"]
    assert records[0].problems[0].code == "missing_list"  # no List 7
    folder = write_csv(tmp_path / "upper", lists, name="LIST {n}.CSV")
    assert facts(folder) == facts(ANNEX_A)
    code, _, err = cli("import", "annex-a", str(single))
    assert code == 0 and "5 children read" in err


def test_lists_with_only_their_header(tmp_path: Path) -> None:
    lists = fixture_lists()
    folder = write_csv(tmp_path / "csv", {n: rows[:1] for n, rows in lists.items()})
    with pytest.raises(SourceError, match="header row but no rows under it"):
        list(annex_a.read(folder))
    code, _, err = cli("audit", str(folder), "--ruleset", "york")
    assert code == 2 and "Traceback" not in err and "List_5.csv" in err


def test_a_damaged_sheet_is_a_source_error(tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(ANNEX_A) as src, zipfile.ZipFile(damaged, "w") as out:
        names = {Path(i.filename).name: i.filename for i in src.infolist()}
        sheets = [n for n in names if n.startswith("sheet") and n.endswith(".xml")]
        assert sheets
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                data = data[: len(data) // 2]  # cut off in the middle of the sheet's XML
            out.writestr(info, data)
    with pytest.raises(SourceError, match="cannot read sheet 'List 5'"):
        list(annex_a.read(damaged))
    code, _, err = cli("import", "annex-a", str(damaged))
    assert code == 2 and "internal error" not in err and "List 5" in err


def test_census_dates_with_a_time_zone(tmp_path: Path) -> None:
    text = CENSUS_2024.read_text()
    variant = tmp_path / "census.xml"
    variant.write_text(text.replace("<S47ActualStartDate>2022-06-02<",
                                    "<S47ActualStartDate>2022-06-02+01:00<")
                       .replace("<CPPstartDate>2022-02-17<", "<CPPstartDate>2022-02-17Z<"))
    got = {r.child_id: r for r in cin.read(variant)}
    want = {r.child_id: r for r in cin.read(CENSUS_2024)}
    assert got["DfEX0000001"].icpcs == want["DfEX0000001"].icpcs
    assert got["DfEX0000001"].case == want["DfEX0000001"].case
    assert not [p for p in got["DfEX0000001"].problems if p.code == "invalid_date"]


def test_an_unreadable_enquiry_start_keeps_its_conference(tmp_path: Path) -> None:
    variant = tmp_path / "census.xml"
    variant.write_text(CENSUS_2024.read_text().replace(
        "<S47ActualStartDate>2022-06-02<", "<S47ActualStartDate>2022-06-31<"))
    record = next(cin.read(variant))
    assert [(p.code, p.element) for p in record.problems if p.code == "invalid_date"] == [
        ("invalid_date", "CINdetails/Section47/S47ActualStartDate")]
    assert record.case is not None and not record.icpcs
    held = [e for e in record.case["events"] if e.get("date") == "2022-06-17"]
    assert [(e["type"], e["kind"]) for e in held] == [("conference", "initial")]
    cprules.case_from_data(record.case)

    lists = fixture_lists()
    strategy = lists[5][0].index(
        "Strategy discussion initiating Section 47 Enquiry Start Date")
    lists[5][2][strategy] = "30/02/2020"
    records = {r.child_id: r for r in annex_a.read(write_csv(tmp_path / "csv", lists))}
    child = records["6537810"]
    assert not child.icpcs and child.case is not None
    [conference] = [e for e in child.case["events"] if e["type"] == "conference"]
    assert (conference["date"], conference["outcome"]) == ("2020-10-05", "plan")
    assert any("is kept" in p.message for p in child.problems)


def test_a_plan_given_in_two_rows_of_list_7_is_read_once(tmp_path: Path) -> None:
    lists = fixture_lists()
    header = lists[7][0]
    again = list(lists[7][2])  # 5358472's open plan, exported twice
    again[header.index("Date of the Last Statutory Visit")] = dt.datetime(2021, 3, 16)
    lists[7].append(again)
    records = {r.child_id: r for r in annex_a.read(write_csv(tmp_path / "csv", lists))}
    child = records["5358472"]
    assert child.plans == facts(ANNEX_A)["5358472"][1]
    assert child.last_visit == dt.date(2021, 3, 16)  # the later row's visit is kept
    assert child.case is not None
    assert [e["date"] for e in child.case["events"] if e["type"] == "visit"] == ["2021-03-16"]
    [dup] = [p for p in child.problems if p.code == "duplicate_plan"]
    assert (dup.sheet, dup.row, dup.severity) == ("List_7.csv", 9, "warning")


def test_output_dash_is_standard_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = cli("import", "cin", str(CENSUS_2024), "-o", "-", "-q")
    assert code == 0 and len(out.splitlines()) == 2
    code, out, _ = cli("audit", str(CENSUS_2024), "--ruleset", "york", "-o", "-")
    assert code == 1 and "KEY FIGURES" in out
    assert not (tmp_path / "-").exists()
