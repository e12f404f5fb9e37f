"""Many cases at once: evaluate_many and `cprules evaluate --jsonl` (issue 10)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from functools import cache
from pathlib import Path

import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cprules
from cli_runner import cli as in_process
from cprules.batch import compact
from cprules.engine.quality import TIMELINE_CODES
from cprules.model.results import CheckResult
from cprules.testing import sibling_groups

ROOT = Path(__file__).parent.parent


@cache
def york() -> cprules.Ruleset:
    return cprules.load_ruleset("york")


def cli(*argv: str, stdin: bytes | None = None) -> tuple[int, str, str]:
    """In this process; with ``stdin``, a real ``cprules`` process reading a real pipe."""
    if stdin is not None:
        proc = subprocess.run([sys.executable, "-m", "cprules", *argv], input=stdin,
                              capture_output=True, check=False, cwd=ROOT)
        return proc.returncode, proc.stdout.decode(), proc.stderr.decode()
    return in_process(*argv)


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_evaluate_many_equals_evaluate_case_by_case(data: st.DataObject) -> None:
    rs = york()
    cases = data.draw(st.lists(sibling_groups(rs, max_children=2), min_size=1, max_size=4))
    as_of = "2026-01-01"
    forms = [c if i % 3 == 0 else (c.model_dump(mode="json") if i % 3 == 1
                                   else c.model_dump_json()) for i, c in enumerate(cases)]
    results = list(cprules.evaluate_many(rs, forms, as_of=as_of))
    assert [r.index for r in results] == list(range(len(cases)))
    for case, r in zip(cases, results, strict=True):
        assert r.error is None
        assert r.evaluation == cprules.evaluate(rs, case, as_of=as_of)


def _lines(n: int) -> list[str]:
    base = json.loads((ROOT / "examples" / "york-case.json").read_text()) if (
        ROOT / "examples" / "york-case.json").exists() else cprules.load_case(
        ROOT / "examples" / "york-case.yaml").model_dump(mode="json", exclude_defaults=True)
    out = []
    for i in range(n):
        case = dict(base, id=f"case-{i}")
        out.append(json.dumps(case))
    return out


def test_jobs_2_output_is_byte_identical(tmp_path: Path) -> None:
    src = tmp_path / "cases.jsonl"
    lines = _lines(600)
    lines[5] = '{"children": ['  # malformed
    src.write_text("\n".join(lines) + "\n")
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    c1, _, _ = cli("evaluate", "--jsonl", str(src), "-r", "york", "--as-of", "2024-09-20",
                   "-o", str(one), "-q")
    c2, _, _ = cli("evaluate", "--jsonl", str(src), "-r", "york", "--as-of", "2024-09-20",
                   "-o", str(two), "-q", "--jobs", "2")
    assert c1 == c2 == 2  # a bad line: exit as for bad input
    assert one.read_bytes() == two.read_bytes()
    assert len(one.read_text().splitlines()) == 600


def _generated(n: int, seed: int) -> list[str]:
    """Lines of benchmarks/cases.py: every partnership, both Derby variants, siblings."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from cases import generate
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    return [json.dumps(c) for c in generate(n, seed=seed)]


def test_jobs_2_is_byte_identical_over_mixed_partnerships(tmp_path: Path) -> None:
    src = tmp_path / "mixed.jsonl"
    lines = _generated(400, seed=8)  # two chunks and more, each case under its partnership
    lines[300] = lines[300].replace('"date": "', '"date": "2023-02-30T', 1)  # one bad line
    src.write_text("\n".join(lines) + "\n")
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    c1, _, _ = cli("evaluate", "--jsonl", str(src), "-o", str(one), "-q")
    c2, _, _ = cli("evaluate", "--jsonl", str(src), "-o", str(two), "-q", "--jobs", "2")
    assert c1 == c2 == 2
    assert one.read_bytes() == two.read_bytes()
    records = [json.loads(x) for x in one.read_text().splitlines()]
    assert [r["index"] for r in records] == list(range(400))
    assert "error" in records[300] and records[300]["line"] == 301
    assert {r["ruleset"] for r in records if "error" not in r} == {
        "york", "derby", "north_yorkshire", "kirklees"}
    assert {r["variant"] for r in records if "error" not in r} == {
        None, "derby_city", "derbyshire"}


def test_a_bad_line_is_reported_and_the_others_evaluated(tmp_path: Path) -> None:
    good = _lines(3)
    src = tmp_path / "mixed.jsonl"
    src.write_text("\n".join([
        good[0],
        '{"id": "broken", "children": [',                                        # line 2
        '{"id": "impossible", "children": [{"id": "c", "date_of_birth": "2024-02-30"}]}',
        "",                                                                        # blank
        '{"id": "typo", "children": [{"id": "c", "date_of_birth": "2020-01-01"}], '
        '"events": [{"type": "conferense", "date": "2024-01-01"}]}',            # line 5
        good[1],
    ]) + "\n")
    code, out, err = cli("evaluate", "--jsonl", str(src), "-r", "york", "--as-of",
                         "2024-09-20")
    assert code == 2
    records = [json.loads(x) for x in out.splitlines()]
    assert [r["line"] for r in records] == [1, 2, 3, 5, 6]
    assert [r["index"] for r in records] == [0, 1, 2, 3, 4]
    assert "error" not in records[0] and "error" not in records[4]
    assert records[1]["error"]["line"] == 2 and "invalid JSON" in records[1]["error"]["message"]
    assert records[2]["case_id"] == "impossible"
    assert records[2]["error"]["field"] == "children[0].date_of_birth"
    assert records[3]["case_id"] == "typo" and records[3]["error"]["field"] == "events[0]"
    assert records[3]["error"]["suggestion"] == "did you mean 'conference'?"
    assert "line 2:" in err and "line 5:" in err and "3 could not be read" in err


def test_standard_input_and_summary_record() -> None:
    lines = _lines(3)
    code, out, err = cli("evaluate", "--jsonl", "-", "-r", "york", "--as-of", "2024-09-20",
                         "--summary-json", stdin=("\n".join(lines) + "\n").encode())
    assert code == 1, err
    records = [json.loads(x) for x in out.splitlines()]
    assert len(records) == 4 and "summary" in records[-1]
    summary = records[-1]["summary"]
    expected = cprules.evaluate(york(), cprules.load_case(ROOT / "examples" / "york-case.yaml"),
                                as_of="2024-09-20")
    assert summary["cases"] == 3 and summary["errors"] == 0
    assert summary["overdue_by_rule"] == {
        k: 3 * n for k, n in Counter(d.rule_id for d in expected.overdue).items()}
    assert summary["violations_by_rule"] == {
        k: 3 * n for k, n in Counter(v.rule_id for v in expected.violations).items()}
    # the per-case lines add up to the summary
    per_case = Counter(rule for r in records[:-1] for rule, cols in r["deadlines"].items()
                       for status in cols["status"] if status == "overdue")
    assert dict(per_case) == summary["overdue_by_rule"]


def test_single_case_from_standard_input() -> None:
    raw = (ROOT / "examples" / "york-case.yaml").read_bytes()
    code, out, err = cli("evaluate", "-", "-r", "york", "--as-of", "2024-09-20", "--format",
                         "json", stdin=raw)
    assert code == 1, err
    assert json.loads(out)["stamp"]["case_id"] == "example-york-001"


def test_compact_form_is_small_and_names_rules_by_id() -> None:
    case = cprules.load_case(ROOT / "examples" / "york-case.yaml")
    ev = cprules.evaluate(york(), case, as_of="2024-09-20")
    small = json.dumps(compact(ev, len(case.children)), separators=(",", ":"))
    assert len(small.encode()) < 5000
    assert "citation" not in small and "quote" not in small
    table = json.loads(cli("rules", "york", "--format", "json")[1])
    ids = {r["id"] for r in table["rules"]}
    assert set(compact(ev, 1)["deadlines"]) <= ids


def _rows(groups: dict[str, dict[str, list[object]]]) -> Counter[tuple[object, ...]]:
    """The findings of a compact group (columns by key), as rows of (key, field, value)."""
    rows: Counter[tuple[object, ...]] = Counter()
    for key, cols in groups.items():
        lengths = {len(v) for v in cols.values()}
        assert len(lengths) == 1, (key, cols)  # every column has one entry per finding
        for i in range(lengths.pop()):
            rows[(key, *sorted((k, json.dumps(v[i])) for k, v in cols.items()
                               if v[i] is not None))] += 1
    return rows


def test_compact_columns_hold_every_finding_of_the_full_form() -> None:
    """Read back, the columns of a compact line give each deadline, check and data-quality
    finding of the evaluation, with its fields, for every ruleset, siblings included."""
    seen: Counter[str] = Counter()
    hours = yaml.safe_load((ROOT / "tests" / "scenarios" / "derby" /
                            "hours_across_clock_changes.yaml").read_text())  # due_at
    for data, variant in [(json.loads(x), None) for x in _generated(40, seed=12)] + [
            (dict(hours["facts"], partnership="derby"), hours["variant"])]:
        ev = cprules.evaluate(data["partnership"], data, as_of="2025-12-01", variant=variant)
        n = len(data["children"])
        line_ = compact(ev, n)
        every = {c["id"] for c in data["children"]}

        def who(f: cprules.Deadline | CheckResult | cprules.DataQuality,
                every: set[str] = every) -> list[str] | None:
            return list(f.children) if set(f.children) != every else None

        def row(key: str, **fields: object) -> tuple[object, ...]:
            return (key, *sorted((k, json.dumps(v)) for k, v in fields.items()
                                 if v is not None))

        full = ev.model_dump(mode="json")
        want = Counter(row(d["rule_id"], due=d["due"], status=d["status"],
                           met_by=(d["met_by"] or {}).get("index"),
                           trigger=(d["trigger"] or {}).get("index"), children=who(m),
                           due_at=d["due_at"], group=d["group"],
                           version_from=d["version_from"])
                       for d, m in zip(full["deadlines"], ev.deadlines, strict=True))
        assert _rows(line_["deadlines"]) == want
        assert _rows(line_["checks"]) == Counter(
            row(c.rule_id, subject=c.subject.index, passed=c.passed, children=who(c),
                detail=None if c.passed else c.detail) for c in ev.checks)
        assert _rows(line_["data_quality"]) == Counter(
            row(q.code, event=q.event.index if q.event else None, children=who(q),
                message=None if q.code in TIMELINE_CODES else q.message)
            for q in ev.data_quality)
        seen.update(k for cols in line_["deadlines"].values() for k in cols)
        seen["siblings"] += n > 1
    # the optional columns were exercised
    assert all(seen[k] for k in ("group", "children", "version_from", "due_at", "siblings")), seen


_PEAK = ("def peak():\n"  # this process's own peak (KiB): ru_maxrss can carry a parent's
         "    for row in open('/proc/self/status'):\n"
         "        if row.startswith('VmHWM:'):\n"
         "            return int(row.split()[1])\n")


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="Linux's /proc")
def test_memory_does_not_grow_with_the_number_of_cases(tmp_path: Path) -> None:
    small = json.dumps({"children": [{"id": "c", "date_of_birth": "2019-01-01"}],
                        "events": [{"type": "strategy_discussion", "date": "2024-05-20",
                                    "s47_initiated": True}]})

    def peak(n: int, keep: bool = False) -> int:
        src = tmp_path / f"{n}.jsonl"
        src.write_text((small + "\n") * n)
        if keep:  # the control: every result held, which the meter must see
            body = (f"import cprules; kept = list(cprules.evaluate_many('york', "
                    f"open({str(src)!r}), as_of='2024-07-01')); assert len(kept) == {n}\n")
        else:
            body = ("import sys; from cprules.cli import run\n"
                    f"run(['evaluate', '--jsonl', {str(src)!r}, '-r', 'york', '-q', "
                    f"'--as-of', '2024-07-01', '-o', {str(tmp_path / 'out.jsonl')!r}], "
                    "sys.stdout, sys.stderr)\n")
        proc = subprocess.run([sys.executable, "-c", _PEAK + body + "print(peak())"],
                              capture_output=True, text=True, check=True)
        if not keep:
            assert len((tmp_path / "out.jsonl").read_text().splitlines()) == n
        return int(proc.stdout.split()[-1])

    few, many, kept = peak(2_000), peak(20_000), peak(20_000, keep=True)
    assert many - few < 10_000, (few, many)  # KiB: flat, not ten times the cases
    assert kept - many > 50_000, (many, kept)  # what growth looks like to this meter


def test_jobs_must_be_positive() -> None:
    with pytest.raises(cprules.CprulesError):
        list(cprules.evaluate_many(york(), [], jobs=0))


def _schema(name: str) -> jsonschema.protocols.Validator:
    schema = json.loads((ROOT / "schema" / f"{name}.schema.json").read_text())
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def test_result_lines_agree_with_their_schema(tmp_path: Path) -> None:
    good = _generated(60, seed=4)  # every ruleset, siblings, late
    bad = ["{not json", json.dumps({"id": "x", "children": [{"id": "c",
                                   "date_of_birth": "2023-02-30"}]})]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(good[:30] + bad + good[30:]) + "\n")
    code, out, err = cli("evaluate", "--jsonl", str(src), "--summary-json", "-q")
    assert code == 2, err
    records = [json.loads(x) for x in out.splitlines()]
    assert len(records) == 63
    validator = _schema("result-line")
    for rec in records:
        validator.validate(rec)
    kinds = Counter(("summary" in r, "error" in r) for r in records)
    assert kinds == {(False, False): 60, (False, True): 2, (True, False): 1}
    # what the schema refuses: a key it does not know, a deadline without its status
    wrong = dict(records[0], extra=1)
    assert not validator.is_valid(wrong)
    rule, cols = next(iter(records[0]["deadlines"].items()))
    broken = dict(records[0], deadlines={rule: {k: v for k, v in cols.items()
                                                if k != "status"}})
    assert not validator.is_valid(broken)
    misnamed = dict(records[0], deadlines={rule: dict(cols, state=cols["status"])})
    assert not validator.is_valid(misnamed)


@pytest.mark.parametrize("name", ["york", "derby", "north_yorkshire", "kirklees"])
def test_rule_table_agrees_with_its_schema(name: str) -> None:
    code, out, err = cli("rules", name, "--format", "json")
    assert code == 0, err
    table = json.loads(out)
    _schema("rule-table").validate(table)
    assert len(table["rules"]) == len(cprules.load_ruleset(name).rules)


def test_cases_naming_another_partnership_are_counted_and_warned_of(tmp_path: Path) -> None:
    lines = _generated(40, seed=9)
    src = tmp_path / "mixed.jsonl"
    src.write_text("\n".join(lines) + "\n")
    named = Counter(json.loads(x)["partnership"] for x in lines)
    code, out, err = cli("evaluate", "--jsonl", str(src), "-r", "kirklees", "--summary-json",
                         "-q")
    assert code in (0, 1), err
    summary = json.loads(out.splitlines()[-1])["summary"]
    assert summary["other_partnership"] == {k: n for k, n in sorted(named.items())
                                            if k != "kirklees"}
    assert sum(summary["other_partnership"].values()) > 0
    code, _, err = cli("evaluate", "--jsonl", str(src), "-r", "kirklees",
                       "-o", str(tmp_path / "out.jsonl"))
    others = sum(n for k, n in named.items() if k != "kirklees")
    assert f"warning: {others} cases name another partnership" in err
    assert "evaluated under kirklees (--ruleset)" in err
    # each case under its own partnership: nothing to warn of
    code, out, err = cli("evaluate", "--jsonl", str(src), "--summary-json", "-q")
    assert json.loads(out.splitlines()[-1])["summary"]["other_partnership"] == {}


def _on_a_terminal(argv: list[str]) -> tuple[int, bytes]:
    """Run cprules with standard error on a real pseudo-terminal; (exit code, what the
    terminal showed)."""
    import fcntl
    import os
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    # a terminal of 24 lines of 80 columns (a new pseudo-terminal has none: no room for a bar)
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    try:
        proc = subprocess.Popen([sys.executable, "-m", "cprules", *argv], cwd=ROOT,
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=slave)
        os.close(slave)
        shown = b""
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # the terminal closed: the process has ended
                break
            if not chunk:
                break
            shown += chunk
        return proc.wait(timeout=120), shown
    finally:
        os.close(master)


@pytest.mark.skipif(sys.platform == "win32", reason="a POSIX pseudo-terminal")
def test_a_progress_bar_on_a_terminal_and_none_otherwise(tmp_path: Path) -> None:
    src = tmp_path / "cases.jsonl"
    src.write_text("\n".join(_generated(300, seed=5)) + "\n")
    out = str(tmp_path / "out.jsonl")
    code, shown = _on_a_terminal(["evaluate", "--jsonl", str(src), "-o", out])
    assert code in (0, 1)
    assert b" cases [" in shown and b"cases/s]" in shown  # tqdm's bar: "0 cases [00:00, ...]"
    assert b"300 cases:" in shown  # and the summary after it
    code, shown = _on_a_terminal(["evaluate", "--jsonl", str(src), "-o", out, "-q"])
    assert code in (0, 1) and shown == b""  # --quiet: nothing at all
    code, _, err = cli("evaluate", "--jsonl", str(src), "-o", out)  # not a terminal
    assert "300 cases:" in err and "cases/s" not in err


def test_a_line_orjson_refuses_is_written_escaped_not_lost() -> None:
    from cprules.jsonl import _dumps

    assert _dumps({"a": "é", "b": [1, None]}) == '{"a":"é","b":[1,null]}'  # orjson's form
    text = _dumps({"case_id": "a\ud800b"})  # a lone surrogate: UTF-8 cannot hold it
    assert text == '{"case_id":"a\\ud800b"}' and json.loads(text) == {"case_id": "a\ud800b"}
