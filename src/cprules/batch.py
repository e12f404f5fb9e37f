"""Many cases at once: :func:`evaluate_many`, streaming, in input order, in constant
memory, optionally over several processes; and the compact JSON Lines form of results.

Each case is a pure function of (ruleset, case, as-of date), so the batch path needs no
scheduler of its own: ``evaluate_many`` can be mapped over the partitions of a data frame
by Dask or Spark as it is (``docs/batch.md``). A case that cannot be read or evaluated
gives an error result (its index, line, case id, and the error with its file, line and
field) and the others go on.
"""

from __future__ import annotations

import datetime as _dt
import itertools
import json
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .engine import evaluate
from .errors import CaseError, CprulesError
from .loader import LoadedRuleset, case_from_data, fast_case_from_json, load_ruleset
from .model.case import Case
from .model.results import Evaluation
from .model.ruleset import Ruleset
from .yamlio import Located, read_document

__all__ = ["CaseResult", "Summary", "compact", "evaluate_many", "rule_table", "stream"]

#: Cases sent to a worker process at a time (``jobs`` > 1).
CHUNK = 256


@dataclass(frozen=True, slots=True)
class CaseResult:
    """One case's outcome: its evaluation, or the error that stopped it."""

    index: int
    line: int | None
    case_id: str | None
    evaluation: Evaluation | None = None
    error: CprulesError | None = None
    children: int | None = None  # how many children the case has
    partnership: str | None = None  # the partnership the case names, if any

    @property
    def ok(self) -> bool:
        return self.evaluation is not None and self.evaluation.ok

    def error_record(self) -> dict[str, Any]:
        assert self.error is not None
        e = self.error
        return {"index": self.index, "line": self.line, "case_id": self.case_id,
                "error": {"kind": type(e).__name__, "message": e.message, "file": e.file,
                          "line": e.line, "field": e.path, "suggestion": e.suggestion,
                          "problems": [d.format() for d in e.details]}}


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


# --- compact JSON Lines ---------------------------------------------------------------------


#: Data-quality codes whose code and event say everything their message does; the
#: others (a rule's due date that cannot be worked out) keep their message.
SELF_EXPLAINED = frozenset({"after_as_of", "planned_in_past", "review_before_initial",
                            "possible_duplicate", "before_birth", "birth_date_mismatch"})


def _index(ref: Any) -> int | None:
    return ref.index if ref is not None else None


def compact(ev: Evaluation, children: int | None = None) -> dict[str, Any]:
    """An evaluation in the compact form of JSON Lines (``docs/batch.md``).

    Each finding names its rule by id and leaves the title, citation, note and the words
    of its basis to the ruleset (``cprules rules NAME --format json``): deadlines and
    checks are grouped by rule id, each rule's in due (or event) order; events are named
    by their index in the case's ``events`` (negative: the child's birth or expected
    delivery added from the child's dates); ``children`` is given only when a finding
    does not concern every child of the case. Violations and obligations that follow
    from a deadline (overdue, late, pending) are the deadline's status, and those that
    follow from a failed check (a decision rule not met at its subject) are the check's,
    not repeated; a data-quality finding keeps its message only where its code and event
    do not say it all.
    """
    st = ev.stamp
    groups: tuple[tuple[Any, ...], ...] = (ev.deadlines, ev.obligations, ev.violations,
                                           ev.checks, ev.data_quality)
    every = children if children is not None else max(
        (len(f.children) for g in groups for f in g), default=1)

    def day(d: Any) -> str | None:
        return d.isoformat() if d is not None else None

    deadlines: dict[str, list[dict[str, Any]]] = {}
    from_deadlines: set[tuple[Any, ...]] = set()
    for d in ev.deadlines:
        f = d.__dict__
        rec: dict[str, Any] = {"due": f["due"].isoformat(), "status": f["status"]}
        if len(f["children"]) < every:
            rec["children"] = list(f["children"])
        if f["due_at"] is not None:
            rec["due_at"] = f["due_at"].isoformat()
        if f["met_by"] is not None:
            rec["met_by"] = f["met_by"].index
        if f["trigger"] is not None:
            rec["trigger"] = f["trigger"].index
        if f["group"] is not None:
            rec["group"] = f["group"]
        if f["version_from"] is not None:
            rec["version_from"] = f["version_from"].isoformat()
        found = deadlines.get(f["rule_id"])
        if found is None:
            deadlines[f["rule_id"]] = [rec]
        else:
            found.append(rec)
        from_deadlines.add((f["rule_id"], f["due"], f["children"]))
    checks: dict[str, list[dict[str, Any]]] = {}
    from_checks: set[tuple[Any, ...]] = set()  # a failed check already says its rule failed
    failed_rules: set[tuple[Any, ...]] = set()
    for c in ev.checks:
        rec = {"subject": c.subject.index, "passed": c.passed}
        if len(c.children) < every:
            rec["children"] = list(c.children)
        if not c.passed:
            if c.detail is not None:
                rec["detail"] = c.detail
            from_checks.add((c.rule_id, c.children, c.subject.index))
            failed_rules.add((c.rule_id, c.children))
        checks.setdefault(c.rule_id, []).append(rec)

    def who(f: Any) -> list[str] | None:
        return list(f.children) if len(f.children) < every else None

    return {
        "case_id": st.case_id, "ruleset": st.ruleset, "ruleset_version": st.ruleset_version,
        "ruleset_sha256": st.content_sha256, "variant": st.variant, "as_of": day(st.as_of),
        "ok": ev.ok,
        "deadlines": deadlines,
        "violations": [_drop({
            "rule": v.rule_id, "children": who(v), "message": v.message,
            "severity": v.severity if v.severity != "error" else None, "due": day(v.due),
            "events": [r.index for r in v.evidence] or None,
        }) for v in ev.violations if (v.rule_id, v.due, v.children) not in from_deadlines
            and not (v.due is None and len(v.evidence) == 1 and (
                v.rule_id, v.children, v.evidence[0].index) in from_checks)],
        "obligations": [_drop({
            "rule": o.rule_id, "children": who(o), "message": o.message, "due": day(o.due),
        }) for o in ev.obligations if (o.rule_id, o.due, o.children) not in from_deadlines
            and not (o.due is None and (o.rule_id, o.children) in failed_rules)],
        "checks": checks,
        "data_quality": [_drop({
            "code": q.code, "children": who(q), "event": _index(q.event),
            "message": None if q.code in SELF_EXPLAINED else q.message,
        }) for q in ev.data_quality],
    }


def _drop(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None}


def encode(result: CaseResult, *, full: bool = False) -> tuple[str, Any]:
    """(the JSON line of ``result``, what the summary needs of it)."""
    if result.evaluation is None:
        rec = result.error_record()
        assert result.error is not None
        return (json.dumps(rec, ensure_ascii=False, separators=(",", ":")),
                ("error", result.error.summary()[:300]))
    ev = result.evaluation
    body = ev.model_dump(mode="json") if full else compact(ev, result.children)
    rec = {"index": result.index, "line": result.line, **({"case_id": result.case_id}
           if full else {}), **body}
    named = result.partnership
    tally = (
        ev.ok,
        tuple(d.rule_id for d in ev.deadlines if d.status == "overdue"),
        tuple(v.rule_id for v in ev.violations),
        tuple(q.code for q in ev.data_quality),
        named[:100] if named and named != ev.stamp.ruleset else None,
    )
    return json.dumps(rec, ensure_ascii=False, separators=(",", ":")), tally


@dataclass
class Summary:
    """Counts over a batch: cases, errors, overdue and violations by rule, data-quality
    codes."""

    cases: int = 0
    errors: int = 0
    ok: int = 0
    overdue: Counter[str] = field(default_factory=Counter)
    violations: Counter[str] = field(default_factory=Counter)
    data_quality: Counter[str] = field(default_factory=Counter)
    #: cases naming another partnership than the ruleset they were evaluated under
    other_partnership: Counter[str] = field(default_factory=Counter)
    ruleset: str | None = None  # the ruleset given for every case (--ruleset), if any
    bad_lines: list[tuple[int | None, str]] = field(default_factory=list)

    def add(self, tally: Any, line: int | None = None) -> None:
        self.cases += 1
        if tally[0] == "error":
            self.errors += 1
            if len(self.bad_lines) < 1000:
                self.bad_lines.append((line, tally[1]))
            return
        ok, overdue, violations, quality, other = tally
        self.ok += bool(ok)
        self.overdue.update(overdue)
        self.violations.update(violations)
        self.data_quality.update(quality)
        if other is not None:
            self.other_partnership[other] += 1

    def record(self) -> dict[str, Any]:
        return {"summary": {
            "cases": self.cases, "errors": self.errors, "ok": self.ok,
            "overdue_by_rule": dict(sorted(self.overdue.items())),
            "violations_by_rule": dict(sorted(self.violations.items())),
            "data_quality": dict(sorted(self.data_quality.items())),
            "other_partnership": dict(sorted(self.other_partnership.items())),
        }}

    def text(self) -> str:
        lines = [f"{self.cases} cases: {self.ok} with nothing overdue or violated, "
                 f"{self.cases - self.ok - self.errors} with findings, {self.errors} "
                 "could not be read"]
        for title, counts in (("overdue", self.overdue), ("violations", self.violations),
                              ("data quality", self.data_quality)):
            if counts:
                lines.append(f"{title}: " + ", ".join(f"{k} {n}" for k, n in
                                                      sorted(counts.items())))
        if self.other_partnership:
            n = sum(self.other_partnership.values())
            names = ", ".join(f"{k} {v}" for k, v in sorted(self.other_partnership.items()))
            lines.append(f"warning: {n} case{'s' if n != 1 else ''} name another partnership "
                         f"({names}) but were evaluated under "
                         f"{self.ruleset or 'the ruleset given'} (--ruleset)")
        for line, message in self.bad_lines[:20]:
            lines.append(f"  line {line}: {message}")
        if len(self.bad_lines) > 20:
            lines.append(f"  ... and {self.errors - 20} more")
        return "\n".join(lines) + "\n"


def rule_table(ruleset: Ruleset) -> dict[str, Any]:
    """The rules that compact results name by id: title, citation, note, severity, who is
    responsible, and the variants each applies to."""
    return {
        "ruleset": ruleset.partnership, "version": ruleset.version,
        "sha256": getattr(ruleset, "content_sha256", None),
        "rules": [{
            "id": r.id, "kind": r.kind, "title": r.title, "responsible": r.responsible,
            "severity": r.severity, "variants": list(r.variants) if r.variants else None,
            "citation": r.source.model_dump(), "note": r.note,
        } for r in ruleset.rules],
    }
