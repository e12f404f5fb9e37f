"""Shared pieces of the hostile-input battery (tests/hostile/): each probe must end in a
CprulesError naming the file, the line and the field, in under a second."""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cprules import CprulesError
from cprules.cli import run
from cprules.errors import CaseError, RulesetError
from cprules.loader import case_from_data, ruleset_from_data
from cprules.model.case import Case
from cprules.model.ruleset import Ruleset
from cprules.yamlio import read_document

ROOT = Path(__file__).resolve().parents[2]
BOUND_S = 1.0

RULESET_HEAD = """\
cprules: cprules-ruleset/1
partnership: test
title: Test ruleset
version: "1"
sources:
  - {file: 000_84de5436ccf44314.txt, title: York}
rules:
"""
RULE = """\
  - id: icpc.timing
    kind: deadline
    title: Hold the conference in time
    trigger:
      event: strategy_discussion
      where: {s47_initiated: true}
    due: {within: 15 working days}
    satisfied_by: {event: conference, where: {kind: initial}}
    source: {file: 000_84de5436ccf44314.txt, section: "2.16", quote: within 15 working days}
"""
CHECK = """\
  - id: quorum.check
    kind: check
    title: Conferences are quorate
    subject: {event: conference}
    when: {field: {kind: initial}}
    require: {quorate: {others_at_least: 2}}
    source: {file: 000_84de5436ccf44314.txt, section: "2.6", quote: at least three agencies}
"""
CASE_HEAD = """\
format: cprules-case/1
id: hostile
children:
  - {id: c1, date_of_birth: 2016-01-01}
events:
"""


def timed(fn: Callable[[], Any]) -> Any:
    t0 = time.process_time()  # CPU time: other processes on the machine do not count
    out = fn()
    elapsed = time.process_time() - t0
    assert elapsed < BOUND_S, f"took {elapsed:.2f} s"
    return out


def refused(fn: Callable[[], Any], error: type[CprulesError] = CprulesError) -> CprulesError:
    """The CprulesError ``fn`` raises, within the time bound."""
    t0 = time.process_time()  # CPU time: other processes on the machine do not count
    try:
        fn()
    except error as exc:
        elapsed = time.process_time() - t0
        assert elapsed < BOUND_S, f"took {elapsed:.2f} s"
        assert exc.details and all(d.message for d in exc.details)
        return exc
    raise AssertionError("accepted")


def at(exc: CprulesError, file: str, line: int | None, path: str | None = None,
       message: str | None = None) -> None:
    """``exc`` names this file, line and field (and says ``message``)."""
    assert (exc.file, exc.line, exc.path) == (file, line, path), str(exc)
    if message is not None:
        assert message in exc.message or message in str(exc), str(exc)


def ruleset_text(text: str | bytes, name: str = "hostile.yaml") -> Ruleset:
    return ruleset_from_data(read_document(text, name, error=RulesetError))


def case_text(text: str | bytes, name: str = "hostile.yaml") -> Case:
    return case_from_data(read_document(text, name, error=CaseError))


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()
