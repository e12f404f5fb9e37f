"""Class: internal errors at the edges. A 5,000-character ruleset name or path,
``case_from_data([1, 2, 3])``, ``cprules schema case | head -1``; errors that did not say
where (a Derby case without a local authority); control characters and newlines in case
text reaching the terminal raw."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hostile_helpers import ROOT, at, cli, refused, timed

import cprules
from cprules.cli import printable
from cprules.errors import CaseError, UnknownRulesetError
from cprules.loader import case_from_data

LONG = "x" * 5000


@pytest.mark.parametrize("name", [LONG, LONG + ".yaml", "/tmp/" + LONG, "rules/" + LONG])
def test_a_5000_character_ruleset_name_or_path(name: str) -> None:
    exc = refused(lambda: cprules.load_ruleset(name), UnknownRulesetError)
    assert "too long" in exc.message and len(str(exc)) < 400
    code, _, err = timed(lambda: cli("validate", name))
    assert code == 2 and "too long" in err and "Traceback" not in err


def test_a_long_path_component_under_the_limit(tmp_path: Path) -> None:
    name = str(tmp_path / ("y" * 300 + ".yaml"))  # over NAME_MAX, under the limit
    exc = refused(lambda: cprules.load_ruleset(name))
    assert "cannot read" in exc.message and "too long" in exc.message.lower()
    assert len(exc.file or "") <= 120


@pytest.mark.parametrize("data", [[1, 2, 3], "case", 7, None, b"x"])
def test_case_from_data_that_is_not_a_mapping(data: object) -> None:
    exc = refused(lambda: case_from_data(data, file="api.json"), CaseError)  # type: ignore[arg-type]
    at(exc, "api.json", None, None, "a case must be a mapping of fields")


def test_a_closed_pipe_ends_quietly() -> None:
    cmd = f"{sys.executable} -m cprules schema case | head -1"
    proc = subprocess.run(["bash", "-o", "pipefail", "-c", cmd], capture_output=True,
                          text=True, timeout=60, cwd=ROOT)
    assert proc.stdout == "{\n"
    assert proc.stderr == "" and proc.returncode == 0


def test_an_error_found_while_evaluating_names_the_case_file(tmp_path: Path) -> None:
    case = tmp_path / "derby-case.yaml"
    case.write_text("partnership: derby\nchildren:\n  - {id: c, date_of_birth: 2016-01-01}\n")
    code, out, err = cli("evaluate", str(case))
    assert code == 2 and out == ""
    assert err.startswith(f"cprules: error: {case}:1, field local_authority: ")
    case.write_text("partnership: derby\nlocal_authority: derby_town\nchildren:\n"
                    "  - {id: c, date_of_birth: 2016-01-01}\n")
    code, _, err = cli("evaluate", str(case))
    assert code == 2 and err.startswith(f"cprules: error: {case}:2, field local_authority: ")


def test_control_characters_in_case_text_are_escaped(tmp_path: Path) -> None:
    case = tmp_path / "ctl.yaml"
    case.write_text('id: "x\\e[2J\\ny\\u202e\\u2028"\nchildren:\n'
                    '  - {id: c, date_of_birth: 2016-01-01}\n'
                    'events:\n  - {type: strategy_discussion, date: 2024-05-20, '
                    's47_initiated: true}\n')
    code, out, _ = cli("evaluate", str(case), "-r", "york", "--as-of", "2024-06-01")
    assert code in (0, 1)
    first = out.splitlines()[0]
    assert first.endswith("case x\\x1b[2J\\x0ay\\u202e\\u2028")
    assert "\x1b" not in out and "\u202e" not in out and "\u2028" not in out


def test_control_characters_in_errors_are_escaped(tmp_path: Path) -> None:
    case = tmp_path / "ctl.yaml"
    case.write_text('children:\n  - {id: c, date_of_birth: 2016-01-01}\n'
                    'events:\n  - {type: "visit\\e]0;owned\\a", date: 2024-05-20}\n')
    code, _, err = cli("evaluate", str(case), "-r", "york")
    assert code == 2 and "\x1b" not in err and "\x07" not in err
    assert "visit\\x1b]0;owned\\x07" in err


def test_printable() -> None:
    assert printable("plain text, é, 😀\n") == "plain text, é, 😀\n"
    assert printable("a\tb\x00c\x7f\n", newlines=False) == "a\\x09b\\x00c\\x7f\\x0a"
    assert printable("\u202edlrow\u2066") == "\\u202edlrow\\u2066"
