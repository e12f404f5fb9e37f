"""The CIN census reader: the third-party fixtures, a hand-built census with known
answers, a broken child among good ones, and hostile or malformed XML."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

import cprules
from cprules.cli import run
from cprules.sources import SourceError, cin
from known_sources import CENSUS_KNOWN, FIXTURES

CIN = FIXTURES / "cin"


def codes(record: cprules.sources.ChildRecord) -> list[tuple[str, int | None]]:
    return [(p.code, p.line) for p in record.problems]


@pytest.mark.parametrize(("name", "ids"), [
    ("d2i_CIN2rows.xml", ["DfEX0000001"]),
    ("d2i_CIN_Census_2021.xml", ["DfEX0000001"]),
    ("d2i_CIN_Census_2024.xml", ["DfEX0000001", "child_fails_assessments"]),
    ("d2i_CIN_Census_2026.xml", ["DfEX0000001", "child_fails_assessments"]),
    ("liia_cin-2022.xml", ["DfEX0000001"]),
])
def test_every_fixture_child_is_read_and_becomes_a_valid_case(name: str, ids: list[str]) -> None:
    records = list(cin.read(CIN / name))
    assert [r.child_id for r in records] == ids
    for r in records:
        assert r.case is not None
        case = cprules.case_from_data(r.case)
        assert case.id == r.child_id and r.source == "cin"


def test_fixture_problems_are_found_with_their_lines() -> None:
    [rows2] = cin.read(CIN / "d2i_CIN2rows.xml")
    assert codes(rows2) == [("stray_text", 23), ("plan_before_s47", 56), ("duplicate_plan", 65)]
    assert "'PersonBirthDate' after <UPNunknown>" in rows2.problems[0].message
    assert len(rows2.plans) == 1  # the duplicate plan is read once

    first, second = cin.read(CIN / "d2i_CIN_Census_2024.xml")
    assert ("invalid_code", 25) in codes(first)  # <Sex>1</Sex>: a GenderCurrent code
    assert ("after_reference_date", 42) in codes(first)  # the assessment dated 2028
    assert [p.element for p in first.problems if p.code == "after_reference_date"] == [
        "CINdetails/Assessments/AssessmentActualStartDate"]
    assert {c for c, _ in codes(second)} == {"after_reference_date"}

    [old] = cin.read(CIN / "d2i_CIN_Census_2021.xml")
    assert ("implausible_date", 25) in codes(old)  # ExpectedPersonBirthDate 1066
    assert not any(c == "invalid_code" for c, _ in codes(old))  # GenderCurrent 1 is fine

    [liia] = cin.read(CIN / "liia_cin-2022.xml")
    assert codes(liia) == [("plan_before_s47", 64)]


def test_fixture_2024_reads_the_section_47_and_its_target() -> None:
    first, _ = cin.read(CIN / "d2i_CIN_Census_2024.xml")
    [icpc] = first.icpcs
    assert (str(icpc.anchor), str(icpc.conference), str(icpc.target)) == (
        "2022-06-02", "2022-06-17", "2022-06-23")
    assert icpc.line == 54 and first.extract_date is not None
    assert str(first.extract_date) == "2024-03-31"
    assert first.case is not None and first.case["as_of"] == "2024-03-31"
    sd = next(e for e in first.case["events"] if e["type"] == "strategy_discussion")
    assert "no strategy discussion date" in sd["note"]


def test_known_census_events() -> None:
    records = {r.child_id: r for r in cin.read(CENSUS_KNOWN)}
    assert len(records) == 10
    a = records["A-JUBILEE"].case
    assert a is not None
    kinds = [(e["type"], e.get("kind"), e.get("outcome"), e["date"]) for e in a["events"]]
    assert kinds == [
        ("strategy_discussion", None, None, "2022-06-01"),
        ("conference", "initial", "plan", "2022-06-23"),
        ("conference", "review", "plan", "2022-09-22"),
        ("conference", "review", "plan", "2023-03-20"),
        ("conference", "review", "plan", "2023-09-25"),
    ]
    assert a["events"][1]["categories"] == ["neglect"]
    b = records["B-FUNERAL"].case
    assert b is not None and b["events"][-1]["outcome"] == "no_plan"  # ended at review
    g = records["G-NOTREQUIRED"].case
    assert g is not None and g["events"][1] == {
        "type": "s47_concluded", "date": "2023-10-10", "icpc_required": False,
        "note": g["events"][1]["note"]}
    h = records["H-TRANSFER"].case
    assert h is not None and h["events"][0]["kind"] == "transfer_in"
    assert "categories" not in h["events"][0]  # MUL names no category
    assert h["events"][-1]["categories"] == ["neglect"]  # the latest category
    i = records["I-LONG"].case
    assert i is not None and "plan's start date" in i["events"][0]["note"]
    for r in records.values():
        if r.case is not None:
            cprules.case_from_data(r.case)


def test_a_broken_child_is_reported_and_the_others_read() -> None:
    records = list(cin.read(CENSUS_KNOWN))
    broken = records[-1]
    assert broken.child_id == "BROKEN" and broken.case is None
    assert codes(broken) == [("missing_element", 227), ("invalid_date", 228),
                             ("invalid_category", 233), ("no_birth_date", 220)]
    assert [p.element for p in broken.problems][:2] == [
        "CINdetails/Section47/ICPCnotRequired", "CINdetails/Section47/S47ActualStartDate"]
    assert all(r.case is not None for r in records[:-1])
    assert all(not r.problems for r in records[:-1])


def test_streaming_yields_children_before_a_later_fault(tmp_path: Path) -> None:
    text = CENSUS_KNOWN.read_text()
    start, cut = text.index("    <!-- A: jubilee"), text.index("    <!-- B: state funeral")
    child = text[start:cut]
    copies = 400  # about 400 KB: read in 64 KiB chunks, children yielded as they end
    broken = tmp_path / "cut.xml"
    broken.write_text(text[:start] + child * copies + "<Child><ChildIdentifiers></Child>\n")
    reader = cin.read(broken)
    assert next(reader).child_id == "A-JUBILEE"  # yielded before the fault is reached
    seen = 1
    with pytest.raises(SourceError) as err:
        for record in reader:
            seen += 1
            assert record.child_id == "A-JUBILEE"
    assert seen == copies
    assert err.value.line == text[:start].count("\n") + child.count("\n") * copies + 1
    assert isinstance(err.value, cprules.CprulesError)


@pytest.mark.parametrize("doctype", [
    '<!DOCTYPE m [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>',
    '<!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
])
def test_entities_and_dtds_are_refused(tmp_path: Path, doctype: str) -> None:
    path = tmp_path / "hostile.xml"
    path.write_text(f'<?xml version="1.0"?>\n{doctype}\n<Message><Children><Child>'
                    "<ChildIdentifiers><LAchildID>&b;</LAchildID></ChildIdentifiers>"
                    "</Child></Children></Message>")
    with pytest.raises(SourceError, match=r"refused|DTD"):
        list(cin.read(path))


def test_namespaces_and_missing_header(tmp_path: Path) -> None:
    path = tmp_path / "ns.xml"
    path.write_text('<Message xmlns="http://www.dfe.gov.uk/CIN"><Children><Child>'
                    "<ChildIdentifiers><LAchildID>N1</LAchildID>"
                    "<ExpectedPersonBirthDate>2024-02-01</ExpectedPersonBirthDate>"
                    "<GenderCurrent>0</GenderCurrent></ChildIdentifiers><CINdetails>"
                    "<Section47><S47ActualStartDate>2023-11-01</S47ActualStartDate>"
                    "<DateOfInitialCPC>2023-11-20</DateOfInitialCPC>"
                    "<ICPCnotRequired>false</ICPCnotRequired></Section47></CINdetails>"
                    "</Child></Children></Message>")
    [r] = cin.read(path)
    assert r.child_id == "N1" and r.extract_date is None
    assert {p.code for p in r.problems} == {"missing_element", "unknown_year"}
    assert r.case is not None
    conference = r.case["events"][1]
    assert conference["kind"] == "pre_birth"  # before the expected birth, no birth yet


def test_not_a_census(tmp_path: Path) -> None:
    path = tmp_path / "empty.xml"
    path.write_text("<Message><Header/></Message>")
    with pytest.raises(SourceError, match="no <Child>"):
        list(cin.read(path))
    with pytest.raises(SourceError, match="cannot read"):
        list(cin.read(tmp_path / "absent.xml"))


def test_cli_import_cin(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    target = tmp_path / "cases.jsonl"
    code = run(["import", "cin", str(CENSUS_KNOWN), "-o", str(target)], out, err)
    assert code == 1  # BROKEN has error-level problems
    lines = [json.loads(line) for line in target.read_text().splitlines()]
    assert [d["child_id"] for d in lines][:2] == ["A-JUBILEE", "B-FUNERAL"]
    assert len(lines) == 10 and all(d["record"] == "cprules-import/1" for d in lines)
    assert "10 children read, 4 problems (4 errors)" in err.getvalue()
    assert "census_known.xml:228, CINdetails/Section47/S47ActualStartDate" in err.getvalue()

    out = io.StringIO()
    assert run(["import", "cin", str(CIN / "d2i_CIN_Census_2024.xml"), "--cases-only",
                "-q"], out, io.StringIO()) == 0
    cases = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [c["id"] for c in cases] == ["DfEX0000001", "child_fails_assessments"]
    assert all(cprules.case_from_data(c) for c in cases)


def test_cli_import_bad_file(tmp_path: Path) -> None:
    (tmp_path / "bad.xml").write_text("<Message><Children><Child>")
    err = io.StringIO()
    assert run(["import", "cin", str(tmp_path / "bad.xml")], io.StringIO(), err) == 2
    assert "not well-formed" in err.getvalue() and "Traceback" not in err.getvalue()


def test_a_child_that_is_not_a_valid_case_is_reported(tmp_path: Path) -> None:
    def child(cid: str) -> str:
        return (f"<Child><ChildIdentifiers><LAchildID>{cid}</LAchildID><PersonBirthDate>"
                "2020-01-01</PersonBirthDate><Sex>M</Sex></ChildIdentifiers><CINdetails/>"
                "</Child>")

    path = tmp_path / "long.xml"
    path.write_text("<Message><Header><CollectionDetails><Year>2024</Year><ReferenceDate>"
                    "2024-03-31</ReferenceDate></CollectionDetails></Header><Children>"
                    f"{child('X' * 150)}{child('ok')}</Children></Message>")
    out, err = io.StringIO(), io.StringIO()
    assert run(["import", "cin", str(path)], out, err) == 1
    first, second = (json.loads(line) for line in out.getvalue().splitlines())
    assert [p["code"] for p in first["problems"]] == ["invalid_case"]
    assert "at most 100 characters" in first["problems"][0]["message"]
    assert second["child_id"] == "ok" and not second["problems"]
    assert "2 children read, 1 problems (1 errors), 1 cases not valid" in err.getvalue()
