"""The comparison matrix as data (``compare --format json``: :class:`ComparedRule` per
rule id) and as CSV (``--format csv``: one row per rule and ruleset)."""

from __future__ import annotations

import csv
import datetime as _dt
import io
from collections.abc import Sequence

from ..engine.words import filter_words
from ..model.compared import Cell, ComparedRule, Timescale, TimeValue
from ..model.diff import Comparison
from ..model.duration import Duration
from ..model.rules import DurationVersion
from ..model.ruleset import (
    AfterSpec,
    BeforeSpec,
    DeadlineRule,
    FieldDateSpec,
    MinimumPeriodRule,
    RecurringRule,
    Rule,
)
from ..timescales import in_force

__all__ = ["cell", "compared_rules", "comparison_csv", "timescale"]


def _values(value: Duration | tuple[DurationVersion, ...], on: _dt.date | None
            ) -> tuple[TimeValue, ...]:
    if isinstance(value, Duration):
        return (TimeValue(count=value.count, unit=value.unit.value),)
    if on is not None:
        try:
            d = in_force(value, on)[0]
        except LookupError:
            return ()
        return (TimeValue(count=d.count, unit=d.unit.value),)
    return tuple(TimeValue(count=v.value.count, unit=v.value.unit.value, from_=v.from_,
                           until=v.until) for v in value)


def _after(spec: AfterSpec, on: _dt.date | None) -> Timescale:
    return Timescale(relation="within", values=_values(spec.within, on),
                     after=None if spec.after == "trigger" else filter_words(spec.after))


def timescale(rule: Rule, on: _dt.date | None = None) -> Timescale | None:
    """A rule's timescale as numbers with units (None for decision rules)."""
    if isinstance(rule, DeadlineRule):
        due = rule.due
        if isinstance(due, AfterSpec):
            return _after(due, on)
        if isinstance(due, BeforeSpec):
            return Timescale(relation="before", values=_values(due.at_least, on))
        if isinstance(due, FieldDateSpec):
            return Timescale(relation="on_or_before", field=due.on_or_before)
        return Timescale(relation=due.whichever, parts=tuple(_after(p, on) for p in due.of))
    if isinstance(rule, RecurringRule):
        return Timescale(relation="every", values=_values(rule.interval, on))
    if isinstance(rule, MinimumPeriodRule):
        if rule.period is not None:
            return Timescale(relation="lasts", values=_values(rule.period, on))
        return Timescale(relation="lasts", field=rule.until)
    return None


def cell(label: str, rule: Rule, words: str, on: _dt.date | None) -> Cell:
    s = rule.source
    return Cell(ruleset=label, kind=rule.kind, title=rule.title, words=words,
                timescale=timescale(rule, on), severity=rule.severity, file=s.file,
                section=s.section, quote=" ".join(s.quote.split()))


def compared_rules(labels: Sequence[str], ons: Sequence[_dt.date | None],
                   tables: Sequence[dict[str, Rule]], ids: Sequence[str],
                   words: Sequence[Sequence[str | None]]) -> tuple[ComparedRule, ...]:
    """Per rule id, one :class:`Cell` per column (None where the ruleset lacks it)."""
    return tuple(
        ComparedRule(rule_id=rid, cells=tuple(
            cell(label, t[rid], w or "", on) if rid in t else None
            for label, on, t, w in zip(labels, ons, tables, row, strict=True)))
        for rid, row in zip(ids, words, strict=True))


CSV_COLUMNS = ("rule_id", "ruleset", "partnership", "variant", "as_of", "present", "kind",
               "title", "timescale", "relation", "count", "unit", "from", "until",
               "severity", "file", "section", "quote")


def comparison_csv(c: Comparison) -> str:
    """One row per rule id and ruleset (``present`` false where it lacks the rule); a
    timescale with dated values gives one row per value, with ``from`` and ``until``."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for rule in c.rules:
        for side, x in zip(c.columns, rule.cells, strict=True):
            head = [rule.rule_id, side.label, side.partnership, side.variant or "",
                    side.as_of.isoformat() if side.as_of else ""]
            if x is None:
                w.writerow([*head, "false", *[""] * (len(CSV_COLUMNS) - len(head) - 1)])
                continue
            t = x.timescale
            values = (t.values or tuple(v for p in t.parts for v in p.values)) if t else ()
            for v in values or (None,):
                w.writerow([*head, "true", x.kind, x.title, x.words,
                            t.relation if t else "", v.count if v else "",
                            v.unit if v else "",
                            v.from_.isoformat() if v and v.from_ else "",
                            v.until.isoformat() if v and v.until else "",
                            x.severity, x.file, x.section, x.quote])
    return buf.getvalue()
