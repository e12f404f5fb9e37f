"""Class: the whole input read before any size check. /dev/zero and /dev/urandom as a
case, a ruleset or JSON Lines fail at once; a FIFO is refused before it is opened for a
blocking read; a file over the limit is refused after reading at most max_bytes + 1; a
58 MB JSON Lines line is skipped a chunk at a time; 40,000 unknown keys do not compute
40,000 suggestions."""

from __future__ import annotations

import os
import threading
import tracemalloc
from pathlib import Path

import pytest
from hostile_helpers import CASE_HEAD, RULE, RULESET_HEAD, at, cli, refused, ruleset_text, timed

import cprules
from cprules.errors import CaseError, RulesetError
from cprules.impact import iter_cases
from cprules.yamlio import DEFAULT_LIMITS, read_file

DEVICES = [d for d in ("/dev/zero", "/dev/urandom") if os.path.exists(d)]


@pytest.mark.parametrize("device", DEVICES)
def test_devices_are_refused_up_front(device: str) -> None:
    exc = refused(lambda: cprules.load_case(device), CaseError)
    at(exc, device, None, None, "is a device, not a regular file")
    exc = refused(lambda: cprules.load_ruleset(device), RulesetError)
    at(exc, device, None, None, "is a device")
    code, _, err = timed(lambda: cli("evaluate", device, "-r", "york"))
    assert code == 2 and "is a device" in err


def test_devices_as_json_lines(tmp_path: Path) -> None:
    link = tmp_path / "zero.jsonl"
    link.symlink_to("/dev/zero")
    ((_name, exc),) = timed(lambda: list(iter_cases([link])))
    assert isinstance(exc, CaseError)
    at(exc, str(link), None, None, "is a device")


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "case.yaml"
    os.mkfifo(fifo)
    result: list[BaseException] = []

    def load() -> None:
        try:
            cprules.load_case(fifo)
        except BaseException as exc:
            result.append(exc)

    worker = threading.Thread(target=load, daemon=True)
    worker.start()
    worker.join(timeout=5)
    if worker.is_alive():  # unblock the reader so that the test run can end
        fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        os.close(fd)
        pytest.fail("reading a FIFO blocked")
    (exc,) = result
    assert isinstance(exc, CaseError)
    at(exc, str(fifo), None, None, "is a FIFO (named pipe), not a regular file")


def test_a_directory_and_a_missing_file(tmp_path: Path) -> None:
    at(refused(lambda: cprules.load_case(tmp_path)), str(tmp_path), None, None,
       "is a directory")
    at(refused(lambda: cprules.load_case(tmp_path / "no.yaml")), str(tmp_path / "no.yaml"),
       None, None, "no such file")


def test_a_file_over_the_limit_is_not_read_whole(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as fp:  # 200 MB, sparse: cheap to make, ruinous to read whole
        fp.truncate(200_000_000)
    tracemalloc.start()
    try:
        exc = refused(lambda: read_file(big, error=CaseError), CaseError)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    at(exc, str(big), None, None, "file too large")
    assert peak < 3 * DEFAULT_LIMITS.max_bytes


def test_a_file_exactly_at_the_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "at.yaml"
    path.write_bytes(b"#" * DEFAULT_LIMITS.max_bytes)
    assert len(read_file(path)) == DEFAULT_LIMITS.max_bytes
    path.write_bytes(b"#" * (DEFAULT_LIMITS.max_bytes + 1))
    at(refused(lambda: read_file(path)), str(path), None, None, "file too large")


def test_a_58_mb_json_lines_line_is_skipped_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "cases.jsonl"
    good = b'{"children": [{"id": "c", "date_of_birth": "2016-01-01"}]}\n'
    with path.open("wb") as fp:
        fp.write(good)
        fp.write(b'{"note": "' + b"x" * 58_000_000 + b'"}\n')
        fp.write(good)
    tracemalloc.start()
    try:
        got = list(iter_cases([path]))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [n for n, _ in got] == [f"{path}:1", f"{path}:2", f"{path}:3"]
    assert isinstance(got[1][1], CaseError)
    at(got[1][1], str(path), 2, None, "line too long")
    assert not isinstance(got[0][1], Exception) and not isinstance(got[2][1], Exception)
    assert peak < 3 * DEFAULT_LIMITS.max_line_bytes


def test_40000_unknown_keys_cost_little() -> None:
    keys = "".join(f"titl{i}: 1\n" for i in range(40_000))  # each close to 'title'
    text = RULESET_HEAD + RULE + keys
    exc = refused(lambda: ruleset_text(text, "keys.yaml"), RulesetError)
    at(exc, "keys.yaml", 17, "titl0", "unknown field 'titl0'")
    assert len(exc.details) == DEFAULT_LIMITS.max_problems
    assert exc.more == 40_000 - DEFAULT_LIMITS.max_problems
    assert f"and {exc.more} more not listed" in str(exc)
    assert exc.summary().endswith("(and 39999 more)")
    with_hint = [d for d in exc.details if d.suggestion]
    assert 0 < len(with_hint) <= DEFAULT_LIMITS.max_suggestions
    assert [d.line for d in exc.details] == list(range(17, 17 + len(exc.details)))


def test_case_head_is_valid() -> None:  # the template the other probes break
    assert cprules.loader.case_from_data(
        cprules.yamlio.read_document(CASE_HEAD + "  []\n", "x.yaml")).children
