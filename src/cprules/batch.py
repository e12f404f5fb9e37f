"""Many cases at once: :func:`evaluate_many`, streaming, in input order, in constant
memory, optionally over several processes. The JSON Lines form of the results (compact
lines, the summary, the rule table) is :mod:`cprules.jsonl`, re-exported here.

Each case is a pure function of (ruleset, case, as-of date), so the batch path needs no
scheduler of its own: ``evaluate_many`` can be mapped over the partitions of a data frame
by Dask or Spark as it is (``docs/batch.md``). A case that cannot be read or evaluated
gives an error result (its index, line, case id, and the error with its file, line and
field) and the others go on.
"""

from __future__ import annotations

import datetime as _dt
import itertools
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from .engine import evaluate
from .errors import CaseError, CprulesError
from .jsonl import CaseResult, Summary, compact, encode, rule_table
from .loader import LoadedRuleset, case_from_data, fast_case_from_json, load_ruleset
from .model.case import Case
from .model.ruleset import Ruleset
from .yamlio import Located, read_document

__all__ = ["CaseResult", "Summary", "compact", "evaluate_many", "rule_table", "stream"]

#: Cases sent to a worker process at a time (``jobs`` > 1).
CHUNK = 256


# --- reading -----------------------------------------------------------------------------


def _case_id(data: Any) -> str | None:
    if isinstance(data, Located):
        data = data.data
    if isinstance(data, Mapping):
        cid = data.get("id")
        return cid[:200] if isinstance(cid, str) else None
    return None


def _read(item: Any, index: int, line: int | None, file: str) -> tuple[Case | None,
                                                                         CaseResult | None]:
    """The case of one input item, or the error result for it."""
    cid: str | None = None
    if isinstance(item, CprulesError):  # a line that could not be read at all
        return None, CaseResult(index, line, None, error=item)
    try:
        if isinstance(item, Case):
            return item, None
        if isinstance(item, bytes | str):
            # one line of JSON Lines: its own line, without the line break
            item = (item.rstrip(b"\r\n") if isinstance(item, bytes)
                    else item.rstrip("\r\n"))
            case = fast_case_from_json(item)  # None: read it again, finding the problem
            if case is not None:
                return case, None
            located = read_document(item, file, error=CaseError, syntax="json",
                                    line_offset=(line or 1) - 1)
            cid = _case_id(located)
            return case_from_data(located), None
        if isinstance(item, Mapping):
            cid = _case_id(item)
            return case_from_data(item, file=file), None
        raise CaseError(f"a case is a Case, a mapping or a line of JSON, not "
                        f"{type(item).__name__}", file=file, line=line)
    except CprulesError as exc:
        return None, CaseResult(index, line, cid, error=exc)


_BY_NAME: dict[str, Ruleset] = {}


def _ruleset_of(case: Case, file: str, line: int | None) -> Ruleset:
    """The bundled ruleset a case names (``partnership``), loaded once per process."""
    name = case.partnership
    if not name:
        raise CaseError("no ruleset: the case names no partnership, and none was given",
                        file=file, line=line, path="partnership",
                        suggestion="give --ruleset, or set the case's partnership")
    found = _BY_NAME.get(name)
    if found is None:
        from .registry import bundled

        if name not in bundled():
            raise CaseError(f"unknown partnership '{name[:100]}'", file=file, line=line,
                            path="partnership",
                            suggestion=f"one of: {', '.join(bundled())}")
        found = _BY_NAME[name] = load_ruleset(name)
    return found


def _one(ruleset: Ruleset | None, item: Any, index: int, line: int | None, file: str,
         as_of: _dt.date | str | None, variant: str | None) -> CaseResult:
    case, failed = _read(item, index, line, file)
    if failed is not None:
        return failed
    assert case is not None
    try:
        rs = ruleset if ruleset is not None else _ruleset_of(case, file, line)
        ev = evaluate(rs, case, as_of=as_of, variant=variant)
    except CprulesError as exc:
        if exc.file is None:
            exc = type(exc)(exc.message, file=file, line=line, path=exc.path,
                            suggestion=exc.suggestion)
        return CaseResult(index, line, case.id, error=exc)
    return CaseResult(index, line, case.id, evaluation=ev, children=len(case.children),
                      partnership=case.partnership)


# --- the worker side (jobs > 1) -----------------------------------------------------------

_WORKER: dict[str, Any] = {}


def _init(ruleset_ref: str | Ruleset | None, as_of: Any, variant: str | None,
          mode: str) -> None:
    ruleset = load_ruleset(ruleset_ref) if isinstance(ruleset_ref, str) else ruleset_ref
    _WORKER.update(ruleset=ruleset, as_of=as_of, variant=variant, mode=mode)


def _work(chunk: list[tuple[int, int | None, str, Any]]) -> list[Any]:
    rs, as_of, variant, mode = (_WORKER["ruleset"], _WORKER["as_of"], _WORKER["variant"],
                                _WORKER["mode"])
    out = []
    for index, line, file, item in chunk:
        result = _one(rs, item, index, line, file, as_of, variant)
        out.append(result if mode == "results" else encode(result, full=mode == "full"))
    return out


def _ref(ruleset: Ruleset | None) -> str | Ruleset | None:
    """What a worker loads the ruleset from: its file when it came from one."""
    if isinstance(ruleset, LoadedRuleset) and ruleset.source_file and ruleset.content_sha256:
        return ruleset.source_file
    return ruleset


def _items(cases: Iterable[Any], file: str) -> Iterator[tuple[int, int | None, str, Any]]:
    for index, item in enumerate(cases):
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], int):
            line, payload = item  # (line number, line) from a JSON Lines reader
            yield index, line, file, payload
        else:
            yield index, index + 1 if isinstance(item, bytes | str) else None, file, item


def stream(ruleset: Ruleset | None, cases: Iterable[Any], as_of: _dt.date | str | None,
           variant: str | None, jobs: int, mode: str, file: str) -> Iterator[Any]:
    """The batch path itself: one item per case in input order, as :class:`CaseResult`
    (``mode`` "results") or as (JSON line, summary tally) pairs ("compact" or "full"),
    each case read as from ``file`` (the name errors give). ``cases`` holds what
    :func:`evaluate_many` takes, or (line number, line or read error) pairs."""
    items = _items(cases, file)
    if jobs <= 1:
        for index, line, name, item in items:
            result = _one(ruleset, item, index, line, name, as_of, variant)
            yield result if mode == "results" else encode(result, full=mode == "full")
        return
    import multiprocessing as mp

    ctx = mp.get_context("spawn" if not hasattr(mp, "get_all_start_methods")
                         or "fork" not in mp.get_all_start_methods() else "fork")
    chunks = iter(lambda: list(itertools.islice(items, CHUNK)), [])
    with ctx.Pool(jobs, initializer=_init,
                  initargs=(_ref(ruleset), as_of, variant, mode)) as pool:
        # imap keeps input order; a bounded number of chunks are in flight at a time
        for done in pool.imap(_work, chunks):
            yield from done


def evaluate_many(
    ruleset: Ruleset | str | None,
    cases: Iterable[Case | Mapping[str, Any] | str | bytes],
    *,
    as_of: _dt.date | str | None = None,
    variant: str | None = None,
    jobs: int = 1,
) -> Iterator[CaseResult]:
    """Evaluate every case of ``cases`` (models, dicts or lines of JSON) and yield one
    :class:`CaseResult` per case, in input order, holding only a few cases in memory at a
    time. A case that fails to load or evaluate yields a result with its ``error``; the
    rest go on. ``jobs`` > 1 spreads chunks of cases over that many processes (the
    ruleset loaded once per process); the results are the same as with ``jobs=1``. With
    ``ruleset=None`` each case is evaluated under the bundled ruleset its
    ``partnership`` names (and its ``local_authority``'s variant).

    >>> results = list(evaluate_many("york", [case_a, case_b], as_of="2024-07-01"))
    >>> [r.ok for r in results]
    [True, False]
    """
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise CprulesError(f"jobs must be a whole number of at least 1, not {jobs!r}")
    rs = load_ruleset(ruleset) if isinstance(ruleset, str) else ruleset
    yield from stream(rs, cases, as_of, variant, jobs, "results", "<cases>")
