"""The audit: every key figure on the hand-built census and Annex A (answers worked out
by hand from the England and Wales bank holidays), by team and by worker, the census
targets that miss a bank holiday, the fixtures, JSON Lines in, and the command line."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest

from cli_runner import cli
from cprules.audit import audit
from cprules.audit.engine import AuditReport
from cprules.sources import read
from known_sources import CENSUS_KNOWN, FIXTURES, write_xlsx


@pytest.fixture(scope="module")
def census() -> AuditReport:
    return audit("york", read(CENSUS_KNOWN), source=str(CENSUS_KNOWN))


@pytest.fixture(scope="module")
def annex(tmp_path_factory: pytest.TempPathFactory) -> AuditReport:
    path = write_xlsx(tmp_path_factory.mktemp("annex") / "annex.xlsx")
    return audit("york", read(path), source=str(path))


def test_census_as_of_is_the_reference_date(census: AuditReport) -> None:
    assert (census.as_of, census.as_of_basis) == (dt.date(2024, 3, 31),
                                                  "the census reference date")
    assert census.source_kind == "cin" and "no strategy discussion date" in str(
        census.anchor_note)


def test_census_timeliness_bands(census: AuditReport) -> None:
    f = census.figures
    # A 14 (jubilee), B 15 (funeral), C 15 (coronation), D 23 (Christmas), E 10, F 18
    assert dict(zip(("0-10", "11-15", "16-20", "21+"), f.icpc_bands, strict=True)) == {
        "0-10": 1, "11-15": 3, "16-20": 1, "21+": 1}
    assert (f.icpc_held, f.icpc_within_15, f.icpc_not_required) == (6, 4, 1)
    assert f.icpc_share_within_15 == pytest.approx(4 / 6)
    days = {c.child_id: c.stats.icpc_days for c in census.children}
    assert days["A-JUBILEE"] == (14,) and days["B-FUNERAL"] == (15,)
    assert days["C-CORONATION"] == (15,) and days["D-CHRISTMAS"] == (23,)


def test_census_targets_that_miss_a_bank_holiday(census: AuditReport) -> None:
    assert (census.figures.targets_checked, census.figures.targets_wrong) == (5, 3)
    wrong = {t.child_id: t for t in census.targets}
    assert set(wrong) == {"A-JUBILEE", "B-FUNERAL", "C-CORONATION"}
    a, b, c = wrong["A-JUBILEE"], wrong["B-FUNERAL"], wrong["C-CORONATION"]
    assert (a.expected, a.off_by) == (dt.date(2022, 6, 24), -2)
    assert any("Platinum Jubilee" in h for h in a.holidays)
    assert (b.expected, b.off_by) == (dt.date(2022, 9, 22), -1)
    assert any("State Funeral" in h for h in b.holidays)
    assert (c.expected, c.off_by) == (dt.date(2023, 5, 19), -1)
    assert any("coronation" in h for h in c.holidays)
    assert "1 working day early" in c.explain()


def test_census_reviews_and_long_plans(census: AuditReport) -> None:
    f = census.figures
    # first: A, H, I in time, B 19 days late; later: A (1 in time, 1 late, 1 overdue),
    # B 1, H (1 in time, 1 overdue), I 4 in time
    assert (f.first_reviews_in_time, f.first_reviews_late) == (3, 1)
    assert (f.later_reviews_in_time, f.later_reviews_late) == (7, 3)
    assert (f.plans, f.plans_open, f.plans_2y_open, f.plans_2y_ended, f.plans_2y) == (
        6, 4, 1, 1, 2)


def test_census_findings_cite_and_say_the_anchor(census: AuditReport) -> None:
    children = {c.child_id: c for c in census.children}
    [late] = children["D-CHRISTMAS"].findings
    assert (late.kind, late.rule_id, late.section, late.due) == (
        "violation", "icpc.timing", "2.16", dt.date(2023, 12, 27))
    assert late.note is not None and "S47ActualStartDate" in late.note
    assert [(f.kind, f.rule_id, f.due) for f in children["A-JUBILEE"].findings] == [
        ("overdue", "review.subsequent", dt.date(2024, 3, 25)),
        ("violation", "review.subsequent", dt.date(2023, 9, 20))]
    assert not children["C-CORONATION"].findings and not children["E-QUICK"].findings
    assert census.overdue_by_rule == {"review.subsequent": 2}
    assert census.violations_by_rule == {"icpc.timing": 2, "review.first": 1,
                                         "review.subsequent": 1}
    # the census records no visits, reports or core groups: those rules are not checked
    assert {"visits.statutory", "reports.chair.icpc", "core_group.first"} <= set(
        census.not_checkable)


def test_census_broken_child_reported_and_the_rest_evaluated(census: AuditReport) -> None:
    f = census.figures
    assert (f.children, f.evaluated, f.errors, f.problems) == (10, 9, 1, 4)
    broken = [c for c in census.children if c.error]
    assert [c.child_id for c in broken] == ["BROKEN"]
    assert not census.ok


def test_annex_a_figures(annex: AuditReport) -> None:
    f = annex.figures
    assert (annex.as_of, annex.source_kind) == (dt.date(2023, 6, 9), "annex_a")
    # K1 14 and K2 15 working days (jubilee, funeral), K3 16 (coronation and 1 May)
    assert f.icpc_bands == (0, 2, 1, 0) and (f.icpc_held, f.icpc_within_15) == (3, 2)
    assert f.icpc_not_required == 1
    # K1: last visit 24 May 2023 + 10 working days (29 May skipped) = 8 June < 9 June
    assert (f.visits_checked, f.visits_overdue) == (6, 1)
    overdue_visit = [c.child_id for c in annex.children if c.stats.visit_overdue]
    assert overdue_visit == ["101"]
    # K9 has no review (first due 1 Feb 2023); K10's first review in time
    assert (f.first_reviews_in_time, f.first_reviews_late) == (1, 1)
    assert (f.plans, f.plans_open, f.plans_2y_open, f.plans_2y_ended) == (7, 6, 1, 1)
    assert annex.visit_rule == "visits.statutory" and annex.anchor_note is None


def test_annex_a_by_team_and_worker(annex: AuditReport) -> None:
    north, south = annex.by_team["Team North"], annex.by_team["Team South"]
    assert (north.children, north.visits_overdue, north.visits_checked) == (4, 1, 4)
    assert (north.icpc_held, north.icpc_within_15, north.plans_2y) == (2, 2, 1)
    assert (south.children, south.visits_checked, south.icpc_held, south.icpc_within_15) == (
        5, 2, 1, 0)
    assert (south.first_reviews_late, south.plans_2y_ended) == (1, 1)
    assert set(annex.by_team) == {"Team North", "Team South"}  # #N/A is no team
    ann = annex.by_worker["Ann Smith"]
    assert (ann.children, ann.visits_overdue, ann.first_reviews_in_time) == (2, 1, 1)
    assert annex.by_worker["Cat Brown"].children == 4
    assert annex.overdue_by_team == {"Team South": 2, "Team North": 1}


def test_annex_a_earlier_visits_and_reviews_are_not_checked(annex: AuditReport) -> None:
    children = {c.child_id: c for c in annex.children}
    # K1's first review (due 23 Sep 2022) is before its latest review: not checkable
    assert [f.rule_id for f in children["101"].findings] == ["visits.statutory"]
    assert [f.rule_id for f in children["109"].findings] == ["review.first"]
    assert not children["110"].findings and not children["106"].findings


def test_fixtures_audit_without_errors() -> None:
    census = audit("york", read(FIXTURES / "cin" / "d2i_CIN_Census_2024.xml"), source="x")
    [target] = census.targets  # the 2024 fixture's target misses the jubilee
    assert (target.target, target.expected, target.off_by) == (
        dt.date(2022, 6, 23), dt.date(2022, 6, 24), -1)
    annex = audit("north_yorkshire", read(FIXTURES / "annex_a" / "liia_Annex_A.xlsx"),
                  source="y")
    assert annex.figures.children == 12 and annex.figures.errors == 0
    assert annex.figures.icpc_bands == (0, 3, 0, 0)
    derby = audit("derby", read(FIXTURES / "annex_a" / "liia_Annex_A.xlsx"), source="z",
                  variant="derby_city")
    assert derby.visit_rule is None and derby.figures.visits_checked == 0


def test_import_records_and_bare_cases_audit_alike(tmp_path: Path,
                                                   census: AuditReport) -> None:
    records, cases = tmp_path / "records.jsonl", tmp_path / "cases.jsonl"
    assert cli("import", "cin", str(CENSUS_KNOWN), "-o", str(records), "-q")[0] == 1
    cli("import", "cin", str(CENSUS_KNOWN), "-o", str(cases), "--cases-only", "-q")
    again = audit("york", read(records), source=str(records))
    assert again.figures == census.figures and again.targets == census.targets
    bare = audit("york", read(cases), source=str(cases))
    assert bare.source_kind == "cases" and bare.figures.children == 9
    assert bare.figures.icpc_bands == census.figures.icpc_bands
    assert bare.figures.plans_2y == census.figures.plans_2y


def test_a_bad_jsonl_line_is_reported_and_the_rest_audited(tmp_path: Path) -> None:
    path = tmp_path / "cases.jsonl"
    good = {"id": "ok", "as_of": "2024-07-01", "children": [{"id": "c",
            "date_of_birth": "2020-01-01"}], "events": [
        {"type": "strategy_discussion", "date": "2024-05-20", "s47_initiated": True},
        {"type": "conference", "kind": "initial", "date": "2024-06-11", "outcome": "no_plan"}]}
    bad_date = dict(good, id="bad", events=[{"type": "visit", "date": "2024-02-30"}])
    path.write_text("\n".join([json.dumps(good), "{not json", json.dumps(bad_date),
                               json.dumps(good)]) + "\n")
    report = audit("york", read(path), source=str(path))
    f = report.figures
    assert (f.children, f.evaluated, f.errors) == (4, 2, 2)
    assert f.icpc_bands == (0, 2, 0, 0)  # 20 May -> 11 June 2024: 15 (27 May skipped)
    errors = [(c.child_id, c.error) for c in report.children if c.error]
    assert errors[0][0] == "line-2" and errors[1][0] == "bad"
    assert "2024-02-30" in str(errors[1][1]) or "date" in str(errors[1][1])


def test_cli_audit_formats(tmp_path: Path) -> None:
    code, out, err = cli("audit", str(CENSUS_KNOWN), "--ruleset", "york")
    assert code == 1 and err == ""
    assert "Held within 15 working days" in out and "4 of 6 (66.7%)" in out
    assert "A-JUBILEE (line 23): 2022-06-22 is 2 working days early" in out

    code, out, _ = cli("audit", str(CENSUS_KNOWN), "-r", "york", "-f", "json")
    data = json.loads(out)
    assert data["figures"]["icpc_bands"] == {"0-10": 1, "11-15": 3, "16-20": 1, "21+": 1}
    assert data["figures"]["icpc_share_within_15"] == pytest.approx(0.6667)
    assert len(data["children"]) == 10 and data["as_of"] == "2024-03-31"

    target = tmp_path / "audit.csv"
    code, out, _ = cli("audit", str(CENSUS_KNOWN), "-r", "york", "-f", "csv", "-o",
                       str(target))
    assert code == 1 and out == ""
    rows = list(csv.DictReader(target.open()))
    assert {r["kind"] for r in rows} == {"overdue", "violation", "problem", "error"}
    assert [r["citation_section"] for r in rows if r["rule_id"] == "icpc.timing"] == [
        "2.16", "2.16"]

    code, out, _ = cli("audit", str(CENSUS_KNOWN), "-r", "york", "--as-of", "2023-01-01")
    assert code == 1 and "as of 2023-01-01 (given (--as-of))" in out


def test_cli_audit_bad_input(tmp_path: Path) -> None:
    code, _, err = cli("audit", str(CENSUS_KNOWN), "-r", "derby")
    assert code == 2 and "--variant derby_city or derbyshire" in err
    code, _, err = cli("audit", str(tmp_path / "x.pdf"), "-r", "york")
    assert code == 2 and "cannot tell what" in err
    code, _, err = cli("audit", str(CENSUS_KNOWN), "-r", "nowhere")
    assert code == 2 and "Traceback" not in err


@pytest.mark.parametrize(("name", "variant"), [("york", None), ("derby", "derby_city"),
                                               ("kirklees", None), ("north_yorkshire", None)])
def test_the_reduced_ruleset_gives_the_same_findings(name: str, variant: str | None,
                                                     tmp_path: Path) -> None:
    """The audit evaluates only the rules a source can show; for those rules the
    findings are exactly those of the whole ruleset."""
    import cprules
    from cprules.audit import engine

    full = cprules.load_ruleset(name)
    records = [*read(CENSUS_KNOWN), *read(write_xlsx(tmp_path / "a.xlsx"))]
    checked = 0
    for source in ("cin", "annex_a"):
        reduced = engine._reduced(full, source, engine._rules(full))
        kept = {r.id for r in reduced.rules}
        assert 0 < len(kept) < len({r.id for r in full.rules})
        for record in records:
            if record.source != source or record.case is None:
                continue
            case = cprules.case_from_data(record.case)
            a = cprules.evaluate(full, case, variant=variant)
            b = cprules.evaluate(reduced, case, variant=variant)

            def key(x: object) -> str:
                return json.dumps(x, sort_keys=True, default=str)

            assert sorted(key(d.model_dump()) for d in a.deadlines if d.rule_id in kept) == \
                sorted(key(d.model_dump()) for d in b.deadlines)
            assert sorted(key(v.model_dump()) for v in a.violations if v.rule_id in kept) == \
                sorted(key(v.model_dump()) for v in b.violations)
            checked += 1
    assert checked == 19
