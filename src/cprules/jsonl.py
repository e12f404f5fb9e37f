"""The JSON Lines form of batch results (``docs/batch.md``): one case's
:class:`CaseResult`, its compact line (:func:`compact`, :func:`encode`), the
:class:`Summary` of a run, and the :func:`rule_table` that compact lines name rules from.
The published schemas of these lines are in :mod:`cprules.model.lines`."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Final

import orjson

from .engine.quality import TIMELINE_CODES
from .errors import CprulesError
from .model.results import Evaluation
from .model.ruleset import Ruleset

__all__ = ["CaseResult", "Summary", "compact", "encode", "rule_table"]


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


def _index(ref: Any) -> int | None:
    return ref.index if ref is not None else None


def compact(ev: Evaluation, children: int | None = None) -> dict[str, Any]:
    """An evaluation in the compact form of JSON Lines (``docs/batch.md``).

    Each finding names its rule by id and leaves the title, citation, note and the words
    of its basis to the ruleset (``cprules rules NAME --format json``). Deadlines and
    checks are grouped by rule id, and data-quality findings by code, each group as
    columns (a list per field, one entry per finding, in due or event order): a field
    that no finding of the group has is left out, and the always-given ones are listed in
    ``_DEADLINE``, ``_CHECK`` and ``_QUALITY``. Events are named by their index in the
    case's ``events`` (negative: the child's birth or expected delivery added from the
    child's dates); ``children`` is given only when a finding does not concern every
    child of the case. Violations and obligations that follow from a deadline (overdue,
    late, pending) are the deadline's status, and those that follow from a failed check
    (a decision rule not met at its subject) are the check's, not repeated; a
    data-quality finding keeps its message only where its code and event do not say it
    all.
    """
    st = ev.stamp
    groups: tuple[tuple[Any, ...], ...] = (ev.deadlines, ev.obligations, ev.violations,
                                           ev.checks, ev.data_quality)
    every = children if children is not None else max(
        (len(f.children) for g in groups for f in g), default=1)

    def day(d: Any) -> str | None:
        return d.isoformat() if d is not None else None

    def who(f: Any) -> list[str] | None:
        return list(f.children) if len(f.children) < every else None

    deadlines: dict[str, list[tuple[Any, ...]]] = {}
    from_deadlines: set[tuple[Any, ...]] = set()
    for d in ev.deadlines:
        f = d.__dict__
        at = f["due_at"]
        row = (f["due"].isoformat(), f["status"], _index(f["met_by"]), _index(f["trigger"]),
               who(d), _instant(at) if at is not None else None, f["group"],
               day(f["version_from"]))
        deadlines.setdefault(f["rule_id"], []).append(row)
        from_deadlines.add((f["rule_id"], f["due"], f["children"]))
    checks: dict[str, list[tuple[Any, ...]]] = {}
    from_checks: set[tuple[Any, ...]] = set()  # a failed check already says its rule failed
    failed_rules: set[tuple[Any, ...]] = set()
    for c in ev.checks:
        checks.setdefault(c.rule_id, []).append(
            (c.subject.index, c.passed, who(c), None if c.passed else c.detail))
        if not c.passed:
            from_checks.add((c.rule_id, c.children, c.subject.index))
            failed_rules.add((c.rule_id, c.children))
    quality: dict[str, list[tuple[Any, ...]]] = {}
    for q in ev.data_quality:
        quality.setdefault(q.code, []).append(
            (_index(q.event), who(q), None if q.code in TIMELINE_CODES else q.message))

    return {
        "case_id": st.case_id, "ruleset": st.ruleset, "ruleset_version": st.ruleset_version,
        "ruleset_sha256": st.content_sha256, "variant": st.variant, "as_of": day(st.as_of),
        "ok": ev.ok,
        "deadlines": {rule: _columns(_DEADLINE, rows) for rule, rows in deadlines.items()},
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
        "checks": {rule: _columns(_CHECK, rows) for rule, rows in checks.items()},
        "data_quality": {code: _columns(_QUALITY, rows) for code, rows in quality.items()},
    }


#: The columns of a group in the compact form, and how many of them are always given
#: (the rest only when a finding of the group has a value there).
_DEADLINE: Final = (("due", "status", "met_by", "trigger", "children", "due_at", "group",
                     "version_from"), 4)
_CHECK: Final = (("subject", "passed", "children", "detail"), 2)
_QUALITY: Final = (("event", "children", "message"), 1)


def _columns(spec: tuple[tuple[str, ...], int], rows: list[tuple[Any, ...]]
             ) -> dict[str, list[Any]]:
    names, always = spec
    n = len(rows)
    return {names[i]: list(col) for i, col in enumerate(zip(*rows, strict=True))
            if i < always or col.count(None) != n}


def _instant(at: Any) -> str:
    """An aware time as the full form (pydantic) writes it: ``Z`` for a zero offset."""
    text: str = at.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _drop(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None}


def encode(result: CaseResult, *, full: bool = False) -> tuple[str, Any]:
    """(the JSON line of ``result``, what the summary needs of it)."""
    if result.evaluation is None:
        rec = result.error_record()
        assert result.error is not None
        return _dumps(rec), ("error", result.error.summary()[:300])
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
    return _dumps(rec), tally


def _dumps(rec: dict[str, Any]) -> str:
    """One line of JSON, no spaces, UTF-8 text as is (orjson: a tenth of ``json.dumps``).

    Text that UTF-8 cannot hold (a lone surrogate) does not reach here: the loaders refuse
    it. Were it to, the line is written with ``\\u`` escapes rather than lost."""
    try:
        return orjson.dumps(rec).decode()
    except orjson.JSONEncodeError:
        return json.dumps(rec, separators=(",", ":"))


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
