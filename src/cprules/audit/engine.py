"""Audit a whole return against a partnership's ruleset: evaluate every child, keep what
the source can show, add up the key figures.

A census or an Annex A file records only some of what a procedure times: no reports,
core groups or documents, no attendance or recorded decisions. Findings of rules that
need what the source does not record would all be artefacts ("no report was sent"), so
for those sources only timescale rules met by events the source records are kept (the
initial conference, reviews, and for Annex A the statutory visit); the others are listed
as not checkable (and left out of the ruleset evaluated, which also makes the audit
faster). Annex A lists only the last visit and the latest review, so deadlines
of those rules falling due before them are not checkable either (the earlier events are
not listed). Cases given as JSON Lines are evaluated in full.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain, islice
from typing import Any

from dateutil.relativedelta import relativedelta
from pydantic import PrivateAttr

import cprules
from cprules import calendar
from cprules.errors import CalendarRangeError, CprulesError, VariantError

from ..sources.build import CENSUS_ANCHOR_NOTE
from ..sources.records import ChildRecord, SourceKind
from .figures import Figures, Tally, TargetMismatch, child_stats, target_check
from .results import ChildResult, ChildStore, Finding

__all__ = ["AuditReport", "ChildResult", "Finding", "audit"]

#: Event types each source records; None: all (cases in the case format).
RECORDED: dict[SourceKind, frozenset[str] | None] = {
    "cin": frozenset({"strategy_discussion", "conference", "s47_concluded", "plan_start",
                      "plan_end", "birth", "expected_delivery"}),
    "annex_a": frozenset({"strategy_discussion", "conference", "s47_concluded", "plan_start",
                          "plan_end", "birth", "expected_delivery", "visit"}),
    "cases": None,
}
FIRST_REVIEW_RULES = frozenset({"review.first", "review.pre_birth"})
LATER_REVIEW_RULES = frozenset({"review.subsequent"})
_CHUNK = 500


@dataclass(frozen=True)
class AuditReport:
    """The audit of one source against one ruleset."""

    source: str
    source_kind: SourceKind
    ruleset: str
    ruleset_version: str
    variant: str | None
    content_sha256: str | None
    as_of: _dt.date
    as_of_basis: str
    figures: Figures
    by_team: dict[str, Figures]
    by_worker: dict[str, Figures]
    overdue_by_rule: dict[str, int]
    violations_by_rule: dict[str, int]
    overdue_by_team: dict[str, int]
    targets: tuple[TargetMismatch, ...]
    not_checkable: tuple[str, ...]
    anchor_note: str | None
    visit_rule: str | None
    children: ChildStore = field(repr=False)

    @property
    def ok(self) -> bool:
        """True when no child has anything overdue or violated, and nothing failed."""
        return not (self.figures.overdue or self.figures.violations or self.figures.errors)


@dataclass(frozen=True)
class _Rule:
    kinds: frozenset[str]
    satisfied: frozenset[str]
    review: bool
    triggers: frozenset[str]
    interval: Any


def _rules(ruleset: Any) -> dict[str, _Rule]:
    """What the audit needs to know of each rule id: kinds, and the events that meet it."""
    acc: dict[str, dict[str, Any]] = {}
    for rule in ruleset.rules:
        a = acc.setdefault(rule.id, {"kinds": set(), "sat": set(), "review": False,
                                     "trig": set(), "interval": None})
        a["kinds"].add(str(rule.kind))
        sat = getattr(rule, "satisfied_by", None)
        for flt in sat if isinstance(sat, list | tuple) else [sat] if sat else []:
            a["sat"].add(flt.event)
            kinds = (getattr(flt, "where", None) or {}).get("kind")
            a["review"] |= flt.event == "conference" and "review" in (
                kinds if isinstance(kinds, list | tuple) else [kinds])
        trig = getattr(rule, "trigger", None)
        if trig is not None:
            a["trig"].add(trig.event)
        a["interval"] = a["interval"] or getattr(rule, "interval", None)
    return {k: _Rule(frozenset(v["kinds"]), frozenset(v["sat"]), v["review"],
                     frozenset(v["trig"]), v["interval"]) for k, v in acc.items()}


def _checkable(rule: _Rule | None, source: SourceKind) -> bool:
    recorded = RECORDED[source]
    if recorded is None:
        return True
    if rule is None or not rule.kinds <= {"deadline", "recurring"}:
        return False
    return bool(rule.satisfied) and rule.satisfied <= recorded


def _reduced(ruleset: Any, source: SourceKind, rules: dict[str, _Rule]) -> Any:
    """The ruleset with only the rules the source can show: the others could only give
    artefacts, and evaluating fewer rules is faster. Rebuilt through the public model
    (an exact round trip), so the evaluator compiles it afresh."""
    if RECORDED[source] is None:
        return ruleset
    data = ruleset.model_dump(mode="json", by_alias=True)
    data["rules"] = [r for r in data["rules"] if _checkable(rules.get(r["id"]), source)]
    reduced = _Subset.model_validate(data)
    reduced._sha = hashlib.sha256(reduced.model_dump_json(by_alias=True).encode()).hexdigest()
    return reduced


class _Subset(cprules.Ruleset):
    """The rules of a ruleset that a source can show. Its hash (that of its own JSON) is
    worked out once, not at every evaluation as for a ruleset not loaded from a file."""

    _sha: str | None = PrivateAttr(default=None)

    @property
    def content_sha256(self) -> str | None:
        return self._sha


def _add(day: _dt.date, interval: Any) -> _dt.date | None:
    """``day`` plus a ruleset duration (working days, days, weeks or months)."""
    unit, n = str(interval.unit), int(interval.count)
    try:
        if unit == "working days":
            return calendar.add_working_days(day, n)
    except CalendarRangeError:
        return None
    if unit == "months":
        return day + relativedelta(months=n)
    return day + _dt.timedelta(days=n * (7 if unit == "weeks" else 1))


def _evaluate_all(ruleset: Any, cases: Sequence[dict[str, Any] | None], as_of: _dt.date,
                  variant: str | None) -> Iterator[Any]:
    """Evaluate each case in order: an Evaluation, the error, or None for no case.

    The one place cases are evaluated, so that it can become
    ``cprules.evaluate_many(ruleset, cases, as_of=as_of, variant=variant)``.
    """
    for data in cases:
        if data is None:
            yield None
            continue
        try:
            yield cprules.evaluate(ruleset, cprules.case_from_data(data), as_of=as_of,
                                   variant=variant)
        except CprulesError as exc:
            yield exc
        except Exception as exc:  # a bug on one case must not stop the audit
            yield CprulesError(f"internal error: {type(exc).__name__}: {exc}")


class _Auditor:
    def __init__(self, ruleset: Any, source: SourceKind, as_of: _dt.date) -> None:
        self.rules = _rules(ruleset)
        self.source = source
        self.as_of = as_of
        visit = [k for k, r in self.rules.items() if "recurring" in r.kinds
                 and r.satisfied == {"visit"} and r.interval is not None]
        self.visit_rule = visit[0] if visit else None
        self.skipped: set[str] = set()
        self.total, self.teams, self.workers = Tally(), dict[str, Tally](), dict[str, Tally]()
        self.overdue_by_rule: Counter[str] = Counter()
        self.violations_by_rule: Counter[str] = Counter()
        self.overdue_by_team: Counter[str] = Counter()
        self.targets: list[TargetMismatch] = []

    def _cutoff(self, rule: _Rule | None, record: ChildRecord) -> _dt.date | None:
        """Annex A: deadlines of visits and reviews before the last visit / latest review
        are not checkable (``date.max``: none are, the child has no List 7 row)."""
        if self.source != "annex_a" or rule is None:
            return None
        if rule.satisfied != {"visit"} and not rule.review:
            return None
        if not record.plans:
            return _dt.date.max
        if rule.satisfied == {"visit"}:
            return record.last_visit
        reviews = [r for p in record.plans for r in p.reviews]
        return max(reviews) if reviews else None

    def _keep(self, rule_id: str, due: _dt.date | None, record: ChildRecord) -> bool:
        rule = self.rules.get(rule_id)
        if not _checkable(rule, self.source):
            self.skipped.add(rule_id)
            return False
        cutoff = self._cutoff(rule, record)
        return not (cutoff and due and due < cutoff)

    def _visit_due(self, record: ChildRecord) -> _dt.date | None:
        """Annex A: for a child on a plan on the as-of date, the last visit (or, with none,
        the plan's start) plus the ruleset's visit interval."""
        if self.source != "annex_a" or self.visit_rule is None:
            return None
        open_plans = [p for p in record.plans
                      if p.start <= self.as_of and (p.end is None or p.end > self.as_of)]
        if not open_plans:
            return None
        start = max(p.start for p in open_plans)
        anchor = max(record.last_visit, start) if record.last_visit else start
        return _add(anchor, self.rules[self.visit_rule].interval)

    def _note(self, rule_id: str) -> str | None:
        rule = self.rules.get(rule_id)
        if self.source == "cin" and rule and "strategy_discussion" in rule.triggers:
            return "counted from the " + CENSUS_ANCHOR_NOTE
        return None

    def child(self, record: ChildRecord, outcome: Any) -> ChildResult:
        findings: list[Finding] = []
        reviews = [0, 0, 0, 0]
        error = None
        if isinstance(outcome, CprulesError):
            error = outcome.summary()
        elif outcome is None:
            error = "the child could not be made into a case (see its problems)"
        else:
            for d in outcome.deadlines:
                if not self._keep(d.rule_id, d.due, record) or d.status == "pending":
                    continue
                slot = (0 if d.rule_id in FIRST_REVIEW_RULES else
                        2 if d.rule_id in LATER_REVIEW_RULES else None)
                if slot is not None:
                    reviews[slot + (d.status != "met")] += 1
                if d.status == "overdue":
                    findings.append(Finding("overdue", d.rule_id, f"{d.title}: due {d.due}, "
                                            f"{d.basis}", d.due, d.severity,
                                            d.citation.file, d.citation.section,
                                            d.citation.quote, self._note(d.rule_id)))
            mirrored = {(f.rule_id, f.due) for f in findings}
            for v in outcome.violations:
                # an overdue deadline is also a violation: list it once
                if (v.rule_id, v.due) not in mirrored and self._keep(v.rule_id, v.due, record):
                    findings.append(Finding("violation", v.rule_id, v.message, v.due,
                                            v.severity, v.citation.file, v.citation.section,
                                            v.citation.quote, self._note(v.rule_id)))
        visit_due = self._visit_due(record)
        overdue = sum(f.kind == "overdue" for f in findings)
        stats = child_stats(record, self.as_of, evaluated=error is None, overdue=overdue,
                            violations=len(findings) - overdue,
                            reviews=(reviews[0], reviews[1], reviews[2], reviews[3]),
                            visit_due=visit_due)
        where = (f"{record.file}:{record.line}" if record.line is not None
                 else f"{record.file} {', '.join(record.sheet_rows)}".strip())
        result = ChildResult(record.child_id, record.team, record.worker, where,
                             tuple(findings), record.problems, stats, error)
        self.total.add(stats)
        for key, groups in ((record.team, self.teams), (record.worker, self.workers)):
            if key:
                groups.setdefault(key, Tally()).add(stats)
        for f in findings:
            (self.overdue_by_rule if f.kind == "overdue" else self.violations_by_rule)[
                f.rule_id] += 1
        if overdue and record.team:
            self.overdue_by_team[record.team] += overdue
        if record.source == "cin":
            self.targets += target_check(record)[2]
        return result


def _as_of(first: ChildRecord | None, given: _dt.date | None) -> tuple[_dt.date, str]:
    if given:
        return given, "given (--as-of)"
    if first and first.extract_date:
        basis = {"cin": "the census reference date", "annex_a": "the day the Annex A file "
                 "was made", "cases": "the first case's as_of"}[first.source]
        return first.extract_date, basis
    return _dt.date.today(), "today (the source gives no date)"


def audit(ruleset: str | cprules.Ruleset, records: Iterable[ChildRecord], *, source: str,
          as_of: _dt.date | None = None, variant: str | None = None) -> AuditReport:
    """Evaluate every child of ``records`` under ``ruleset`` and add up the figures.

    ``ruleset`` is a name or a loaded ruleset. A child that fails to load or evaluate is
    reported with its error and the rest go on. The as-of date defaults to the census
    reference date or the day the Annex A file was made.
    """
    rs = cprules.load_ruleset(ruleset) if isinstance(ruleset, str) else ruleset
    if rs.variants and variant is None:
        raise VariantError(f"ruleset {rs.partnership} has variants: choose one",
                           suggestion=f"--variant {' or '.join(rs.variants)}")
    if variant is not None and variant not in (rs.variants or {}):
        raise VariantError(f"ruleset {rs.partnership} has no variant '{variant}'",
                           suggestion=f"one of: {', '.join(rs.variants) or 'none'}")
    it = iter(records)
    first = next(it, None)
    day, basis = _as_of(first, as_of)
    kind: SourceKind = first.source if first else "cases"
    auditor = _Auditor(rs, kind, day)
    auditor.skipped = {k for k, r in auditor.rules.items() if not _checkable(r, kind)}
    evaluated = _reduced(rs, kind, auditor.rules)
    store = ChildStore()
    rest: Iterator[ChildRecord] = chain([first], it) if first else iter(())
    while chunk := list(islice(rest, _CHUNK)):
        outcomes = _evaluate_all(evaluated, [r.case for r in chunk], day, variant)
        for record, outcome in zip(chunk, outcomes, strict=True):
            store.add(auditor.child(record, outcome))
    return AuditReport(
        source=source, source_kind=kind, ruleset=rs.partnership, ruleset_version=rs.version,
        variant=variant, content_sha256=getattr(rs, "content_sha256", None), as_of=day,
        as_of_basis=basis, figures=auditor.total.figures(),
        by_team={k: t.figures() for k, t in sorted(auditor.teams.items())},
        by_worker={k: t.figures() for k, t in sorted(auditor.workers.items())},
        overdue_by_rule=dict(auditor.overdue_by_rule.most_common()),
        violations_by_rule=dict(auditor.violations_by_rule.most_common()),
        overdue_by_team=dict(auditor.overdue_by_team.most_common()),
        targets=tuple(auditor.targets), not_checkable=tuple(sorted(auditor.skipped)),
        anchor_note=("initial-conference timeliness is counted from the " +
                     CENSUS_ANCHOR_NOTE) if kind == "cin" else None,
        visit_rule=auditor.visit_rule if kind != "cin" else None, children=store)
