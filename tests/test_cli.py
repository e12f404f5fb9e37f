"""The command line, run in-process with StringIO (as jsonschema tests its CLI)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_runner import cli

ROOT = Path(__file__).parent.parent
EXAMPLE = str(ROOT / "examples" / "york-case.yaml")


def test_evaluate_table_exit_0_when_nothing_overdue() -> None:
    code, out, err = cli("evaluate", EXAMPLE, "--ruleset", "york")
    assert code == 0, err
    assert "icpc.timing" in out and "2024-06-11" in out
    assert "ruleset sha256" in out and err == ""


def test_evaluate_exit_1_and_overdue_first() -> None:
    code, out, _ = cli("evaluate", EXAMPLE, "-r", "york", "--as-of", "2024-09-20")
    assert code == 1
    rows = [line for line in out.splitlines() if line.startswith(("OVERDUE", "met", "pending"))]
    assert rows[0].startswith("OVERDUE")
    statuses = [r.split()[0] for r in rows]
    assert statuses == sorted(statuses, key=lambda s: s != "OVERDUE")
    assert "Violations" in out


def test_evaluate_json_is_the_evaluation() -> None:
    code, out, _ = cli("evaluate", EXAMPLE, "--ruleset", "york", "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert data["stamp"]["ruleset"] == "york" and data["stamp"]["as_of"] == "2024-07-15"
    assert {d["rule_id"] for d in data["deadlines"]} >= {"icpc.timing", "review.first"}
    assert all(d["citation"]["file"] == "000_84de5436ccf44314.txt" for d in data["deadlines"])


def test_ruleset_from_the_case(tmp_path: Path) -> None:
    case = tmp_path / "c.yaml"
    case.write_text("partnership: york\nchildren: [{id: c, date_of_birth: 2019-01-01}]\n"
                    "events: []\n")
    code, out, _ = cli("evaluate", str(case), "--as-of", "2024-01-01")
    assert code == 0 and "(no deadlines)" in out


@pytest.mark.parametrize(
    "argv, words",
    [
        (["evaluate", "missing.yaml", "-r", "york"], "no such file"),
        (["evaluate", EXAMPLE, "-r", "yrok"], "did you mean 'york'?"),
        (["evaluate", EXAMPLE, "-r", "york", "--as-of", "2024-02-30"], "not a date"),
        (["evaluate", EXAMPLE], "names no partnership"),
        (["validate", str(ROOT / "tests" / "invalid" / "unknown_key.yaml")], "withn"),
        (["frobnicate"], "invalid choice"),
        (["schema", "nothing"], "invalid choice"),
    ],
)
def test_bad_input_exit_2_one_line(argv: list[str], words: str) -> None:
    code, _, err = cli(*argv)
    assert code == 2
    assert words in err
    assert "Traceback" not in err
    if argv[0] == "evaluate":
        assert len(err.strip().splitlines()) == 1


def test_verbose_gives_every_problem(tmp_path: Path) -> None:
    bad = tmp_path / "c.yaml"
    bad.write_text("children: [{id: c}]\nevents: [{type: visitt, date: 2024-01-01}]\n")
    code, _, err = cli("evaluate", str(bad), "-r", "york")
    assert code == 2 and len(err.strip().splitlines()) == 1 and "and 1 more" in err
    code, _, err = cli("evaluate", str(bad), "-r", "york", "--verbose")
    assert code == 2 and "visitt" in err and "date_of_birth" in err


def test_validate_list_schema() -> None:
    code, out, _ = cli("validate", "york", str(ROOT / "rules" / "york.yaml"))
    assert code == 0 and out.count(": ok (york version 12.0") == 2
    code, out, _ = cli("list")
    assert code == 0 and out.startswith(tuple(["derby", "kirklees", "north_yorkshire", "york"]))
    assert "york" in out
    code, out, _ = cli("schema", "case")
    assert code == 0 and json.loads(out)["title"].startswith("cprules case facts")


def test_help_and_version() -> None:
    code, _, _ = cli("--version")
    assert code == 0


def test_decision_checks_beside_deadlines(tmp_path: Path) -> None:
    import yaml

    # a scenario file is not a case: take its facts
    spec = yaml.safe_load((ROOT / "tests" / "scenarios" / "york" / "decisions_fail.yaml")
                          .read_text())
    facts = tmp_path / "facts.yaml"
    facts.write_text(yaml.safe_dump(spec["facts"]))
    code, out, _ = cli("evaluate", str(facts), "-r", "york", "--as-of", "2024-10-01")
    assert code == 1
    assert "Decision checks (" in out
    assert "FAIL" in out and "categories.single: categories: 2" in out
    assert out.index("STATUS") < out.index("Decision checks")


def test_derby_case_without_a_local_authority_lists_the_variants(tmp_path: Path) -> None:
    case = tmp_path / "c.yaml"
    case.write_text("partnership: derby\nchildren: [{id: c, date_of_birth: 2019-01-01}]\n"
                    "events: [{type: strategy_discussion, date: 2024-05-20, "
                    "s47_initiated: true}]\n")
    code, _, err = cli("evaluate", str(case), "--as-of", "2024-06-01")
    assert code == 2 and "derby_city" in err and "derbyshire" in err
    code, out, _ = cli("evaluate", str(case), "--as-of", "2024-06-01", "--variant", "derbyshire")
    assert code == 0 and "(derbyshire)" in out and "icpc.timing" in out
