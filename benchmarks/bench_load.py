"""Reading one case (issue 10, "fast case loading"), printed as figures, not asserted.

    python benchmarks/bench_load.py [ROUNDS]      # default 30 rounds; a few seconds

Cases of one child and 38-42 events from ``benchmarks/cases.py`` (seeded), each as one
compact JSON line. Per case, the median over all cases and rounds, in microseconds, of:

(a) ``json.loads`` of the line alone;
(b) validating the dict (``cprules.case_from_data``), and the slow path it falls back to
    (``cprules.loader._validate``: the models' own validators, as before issue 10);
(c) the whole line to a ``Case`` as ``cprules evaluate --jsonl`` reads it
    (``cprules.batch._read``), and the slow path (``read_document`` then ``_validate``,
    as before issue 10); and the fast path's core alone (pydantic-core on the line).

The variants take turns, each over all the cases in each round (interleaved, so that other
work on the machine slows them alike, and each warm on its own code); the median drops the
calls another process interrupted.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from cases import generate

from cprules.batch import _read
from cprules.errors import CaseError
from cprules.loader import _validate, case_from_data
from cprules.model import fast
from cprules.model.case import Case
from cprules.yamlio import Located, read_document


def _cases(n: int = 40, seed: int = 10) -> list[dict[str, Any]]:
    out = []
    for case in generate(4000, seed=seed, siblings=False):
        if len(case["children"]) == 1 and 38 <= len(case["events"]) <= 42:
            out.append(case)
            if len(out) == n:
                break
    return out


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    cases = _cases()
    lines = [json.dumps(c, separators=(",", ":")) for c in cases]
    dicts = [json.loads(line) for line in lines]
    validator = fast._validator()

    def slow_line(line: str) -> Case:
        return _validate(Case, read_document(line, "b.jsonl", error=CaseError, syntax="json"),
                         "case", CaseError)

    variants: dict[str, Callable[[int], Any]] = {
        "(a) json.loads": lambda i: json.loads(lines[i]),
        "(b) validate the dict: case_from_data": lambda i: case_from_data(dicts[i]),
        "    before: the models' validators": lambda i: _validate(
            Case, Located(dict(dicts[i]), "b", {}), "case", CaseError),
        "(c) line -> Case: batch._read": lambda i: _read(lines[i], i, 1, "b.jsonl")[0],
        "    before: read_document + validators": lambda i: slow_line(lines[i]),
        "    pydantic-core alone on the line": lambda i: validator.validate_json(
            lines[i], context=[]),
    }
    for i in range(len(lines)):  # the same case either way, and warm
        assert _read(lines[i], i, 1, "b.jsonl")[0] == slow_line(lines[i])
        assert fast.case_from_json(lines[i], max_values=200_000, max_events=5_000,
                                   max_children=1_000) is not None
    times: dict[str, list[float]] = {name: [] for name in variants}
    clock = time.perf_counter_ns
    for _ in range(rounds):
        for name, fn in variants.items():
            for i in range(len(lines)):
                t = clock()
                fn(i)
                times[name].append(clock() - t)
    events = statistics.mean(len(c["events"]) for c in cases)
    size = statistics.mean(len(line) for line in lines)
    print(f"{len(cases)} one-child cases of 38-42 events ({events:.1f} on average, "
          f"{size / 1000:.1f} KB a line), {rounds} rounds, median per case:")
    for name, ts in times.items():
        print(f"  {name:42s} {statistics.median(ts) / 1000:7.1f} us")


if __name__ == "__main__":
    main()
