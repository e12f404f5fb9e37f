"""`cprules test` and the pytest plugin: scenarios run against the ruleset files on disk
(the checkout's rules/, not an installed copy), failures as "expected ... got ..." with the
scenario's file, line and name, exit 0/1/2, no tracebacks."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cprules.cli import run
from cprules.scenarios import ruleset_path, run_scenario

ROOT = Path(__file__).parent.parent
SCENARIO = ROOT / "tests" / "scenarios" / "york" / "core_groups.yaml"


def cli(*argv: str, cwd: Path | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    old = Path.cwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        code = run(list(argv), out, err)
    finally:
        os.chdir(old)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A copy of a checkout: rules/york.yaml and one scenario for it."""
    (tmp_path / "rules").mkdir()
    shutil.copy(ROOT / "rules" / "york.yaml", tmp_path / "rules" / "york.yaml")
    (tmp_path / "tests" / "scenarios").mkdir(parents=True)
    shutil.copy(SCENARIO, tmp_path / "tests" / "scenarios" / "core_groups.yaml")
    return tmp_path


def test_all_bundled_scenarios_pass() -> None:
    code, out, err = cli("test", str(ROOT / "tests" / "scenarios"))
    assert code == 0, out + err
    assert out.strip().endswith("0 failed") and " passed" in out


def test_a_scenario_runs_against_the_checkouts_file(checkout: Path) -> None:
    scenario = checkout / "tests" / "scenarios" / "core_groups.yaml"
    assert Path(ruleset_path("york", scenario)).resolve() == (
        checkout / "rules" / "york.yaml").resolve()
    assert cprules_test_passes(checkout)
    # A policy lead's edit: core groups every 7 weeks, not 6. The scenario now fails,
    # naming the rule, its line in the scenario, what it expected and what it got.
    rules = checkout / "rules" / "york.yaml"
    text = rules.read_text()
    assert "interval: 6 weeks" in text
    rules.write_text(text.replace("interval: 6 weeks", "interval: 7 weeks"))
    code, out, err = cli("test", cwd=checkout)
    assert code == 1, out + err
    assert "Traceback" not in out + err
    assert "scenario 'Core groups - first within 10 working days" in out
    line = next(n for n, t in enumerate(scenario.read_text().splitlines(), 1)
                if "due: 2024-07-09, status: met_late" in t)
    assert (f"core_groups.yaml:{line}: core_group.frequency: expected due 2024-07-09 "
            "met_late (met on 2024-07-10), due 2024-08-21 pending, got due 2024-07-16 met "
            "(met on 2024-07-10), due 2024-08-28 pending") in out, out
    assert out.strip().endswith("0 passed, 1 failed")


def cprules_test_passes(where: Path) -> bool:
    code, out, _ = cli("test", cwd=where)
    return code == 0 and "1 passed, 0 failed" in out


def test_ruleset_option_runs_an_edited_copy(checkout: Path, tmp_path: Path) -> None:
    edited = tmp_path / "my-york.yaml"
    edited.write_text((ROOT / "rules" / "york.yaml").read_text().replace(
        "interval: 6 weeks", "interval: 5 weeks"))
    code, out, _ = cli("test", str(checkout / "tests"), "--ruleset", str(edited))
    assert code == 1 and "core_group.frequency: expected" in out


@pytest.mark.parametrize(("change", "words"), [
    (("status: pending}", "status: pending}\n    - {rule: no.such_rule, due: 2024-08-21, "
      "status: pending}"), "no.such_rule: no such rule in the ruleset"),
    (("absent: [", "absent: [core_group.first, "), "core_group.first: expected no deadline, "
     "got due 2024-05-28 met"),
])
def test_failures_in_words(checkout: Path, change: tuple[str, str], words: str) -> None:
    scenario = checkout / "tests" / "scenarios" / "core_groups.yaml"
    text = scenario.read_text()
    if change[0] not in text:
        text = text.replace("expected:\n", "expected:\n  absent: []\n")
    scenario.write_text(text.replace(change[0], change[1], 1))
    code, out, _ = cli("test", cwd=checkout)
    assert code == 1 and words in out, out


def test_exactly_lists_say_what_was_missing(checkout: Path) -> None:
    scenario = checkout / "tests" / "scenarios" / "core_groups.yaml"
    scenario.write_text(scenario.read_text() + "  violations: [icpc.timing]\n")
    result = run_scenario(scenario)
    assert not result.passed
    (failure,) = [f for f in result.failures if f.rule is None]
    assert failure.message.startswith("violations: expected icpc.timing, got ")
    assert "missing: icpc.timing" in failure.message
    assert failure.line == len(scenario.read_text().splitlines())


@pytest.mark.parametrize(("text", "words"), [
    ("name: x\nruleset: york\nas_of: 2024-01-01\nfacts: {children: [], events: []}\n"
     "expected: {deadlines: []}\nexpect: {}\n", "unknown scenario key 'expect'"),
    ("name: x\nruleset: york\nas_of: 2024-01-01\nfacts: {events: []}\n"
     "expected: {violation: []}\n", "unknown expected key 'violation'"),
    ("name: x\nruleset: york\nas_of: 01/02/2024\nfacts: {children: [{id: c}], events: []}\n"
     "expected: {violations: []}\n", "s.yaml:3: as_of: '01/02/2024' is not a date (write "
     "dates as 2024-02-01"),
    ("name: x\nruleset: york\nas_of: 2024-01-01\n  facts: {}\n", "invalid YAML"),
])
def test_a_scenario_that_cannot_run_exits_2(tmp_path: Path, text: str, words: str) -> None:
    (tmp_path / "s.yaml").write_text(text)
    code, out, err = cli("test", str(tmp_path))
    assert code == 2, out + err
    assert words in err and "s.yaml:" in err and "Traceback" not in err


def test_missing_path_exits_2(tmp_path: Path) -> None:
    code, _, err = cli("test", str(tmp_path / "nothing"))
    assert code == 2 and "no such file or folder" in err


def test_pytest_plugin_collects_a_configured_folder(checkout: Path) -> None:
    (checkout / "pyproject.toml").write_text(
        '[tool.pytest.ini_options]\ncprules_scenarios = ["tests/scenarios"]\n')
    broken = checkout / "tests" / "scenarios" / "broken.yaml"
    broken.write_text(SCENARIO.read_text().replace("due: 2024-08-21", "due: 2024-08-22"))
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("PYTEST_ADDOPTS", None)
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "-p", "no:randomly"], cwd=checkout, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert "1 failed, 1 passed" in out
    assert ("broken.yaml:20: core_group.frequency: expected due 2024-08-22 pending, got due "
            "2024-08-21 pending") in out
    assert "Traceback" not in out and "runner.py" not in out


def test_plugin_is_registered_as_an_entry_point() -> None:
    from importlib.metadata import entry_points

    (ep,) = [e for e in entry_points(group="pytest11") if e.name == "cprules"]
    assert ep.value == "cprules.scenarios.pytest_plugin"
