"""cprules in pipes and scripts (issue 14): a case on standard input, errors as JSON with
--format json, the exit codes in --help and the README, a closed pipe, and a warning for
a case evaluated under another partnership's ruleset."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cli_runner import cli
from cprules.yamlio import read_document

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "examples" / "york-case.yaml"
KEYS = {"kind", "message", "file", "line", "field", "suggestion", "problems", "more"}


def _json_case() -> bytes:
    return json.dumps(read_document(EXAMPLE.read_bytes(), EXAMPLE.name).data).encode()


def test_a_case_on_standard_input_through_a_real_pipe() -> None:
    args = ["evaluate", "-", "--ruleset", "york", "--as-of", "2024-09-20", "--format", "json"]
    proc = subprocess.run([sys.executable, "-m", "cprules", *args], input=_json_case(),
                          capture_output=True, check=False, cwd=ROOT, timeout=60)
    code, from_file, _ = cli("evaluate", str(EXAMPLE), *args[2:])
    assert (proc.returncode, proc.stderr) == (code, b"")
    assert proc.stdout.decode() == from_file
    assert code == 1  # overdue on 2024-09-20


def test_yaml_on_standard_input_and_the_table() -> None:
    code, out, err = cli("evaluate", "-", "--as-of", "2024-09-20",
                         stdin=EXAMPLE.read_bytes().replace(b"id: example-york-001",
                                                            b"id: x\npartnership: york"))
    assert code == 1 and err == "" and out.startswith("Ruleset york version")


@pytest.mark.parametrize("stdin, field, line, kind", [
    (b'{"children": [{"id": "c", "date_of_birth": "2019-03-04"}],\n "events": [,]}', None, 2,
     "CaseError"),
    (b'{"children": [{"id": "c", "date_of_birth": "2019-03-04"}],\n'
     b' "events": [{"type": "conferense", "date": "2024-05-01"}]}', "events[0]", 2,
     "CaseError"),
    (b'{"children": [{"id": "c", "date_of_birth": "31/03/2019"}]}',
     "children[0].date_of_birth", 1, "CaseError"),
])
def test_errors_are_one_json_object_with_format_json(stdin: bytes, field: str | None,
                                                     line: int, kind: str) -> None:
    code, out, err = cli("evaluate", "-", "--ruleset", "york", "--format", "json", stdin=stdin)
    assert code == 2 and out == ""
    assert err.count("\n") == 1
    record = json.loads(err)
    assert set(record) == KEYS
    assert (record["kind"], record["file"], record["line"], record["field"]) == (
        kind, "<stdin>", line, field)
    assert record["problems"] and record["message"]
    if field == "events[0]":
        assert record["suggestion"] == "did you mean 'conference'?"
    # and as text without --format json
    code, _, text = cli("evaluate", "-", "--ruleset", "york", stdin=stdin)
    assert code == 2 and text.startswith("cprules: error: <stdin>:")


def test_other_errors_are_json_too() -> None:
    code, _, err = cli("evaluate", str(EXAMPLE), "--ruleset", "yrok", "-f", "json")
    assert code == 2 and json.loads(err)["kind"] == "UnknownRulesetError"
    code, _, err = cli("evaluate", str(EXAMPLE), "--as-of", "20/09/2024", "--format=json")
    record = json.loads(err)
    assert code == 2 and record["kind"] == "UsageError" and "2024-09-20" in record["message"]


def test_exit_codes_are_documented_in_help_and_readme(
        capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["--help"], ["evaluate", "--help"]):
        assert cli(*argv)[0] == 0
        out = capsys.readouterr().out  # argparse prints help itself
        codes = out.split("exit codes:", 1)[1]
        for n in ("0 ", "1 ", "2 ", "70 "):
            assert f"\n  {n}" in codes
    readme = (ROOT / "README.md").read_text()
    assert "**70** an\ninternal error" in readme and "**2** bad input" in readme


def test_a_closed_pipe_ends_quietly() -> None:
    proc = subprocess.Popen([sys.executable, "-m", "cprules", "schema", "case"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.readline().strip() == b"{"
    proc.stdout.close()  # the reader goes away, as `| head -1` does
    assert proc.wait(timeout=60) == 0
    assert proc.stderr.read() == b""


def test_a_case_of_another_partnership_gets_a_warning() -> None:
    case = EXAMPLE.read_bytes().replace(b"id: example-york-001",
                                        b"id: x\npartnership: kirklees")
    code, out, err = cli("evaluate", "-", "--ruleset", "york", "--as-of", "2024-09-20",
                         "--format", "json", stdin=case)
    assert code == 1 and json.loads(out)["stamp"]["ruleset"] == "york"
    assert err == ("cprules: warning: the case names partnership 'kirklees' but is evaluated "
                   "under york (--ruleset)\n")
    code, _, err = cli("evaluate", str(EXAMPLE), "--ruleset", "york", "--as-of", "2024-09-20")
    assert err == ""  # the example names no partnership
