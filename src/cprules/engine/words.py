"""Plain words for the parts rules are made of (event filters, timescales, dated
versions), shared by every kind's ``words``: what ``cprules diff`` compares and what a
readable view of a ruleset shows."""

from __future__ import annotations

import datetime as _dt
from typing import Any

from ..model.duration import Duration
from ..model.filters import EventFilter, Trigger
from ..model.rules import DurationVersion
from ..timescales import in_force

__all__ = ["duration_words", "filter_words", "trigger_words", "value_words"]


def value_words(v: Any) -> str:
    """A value as a person writes it: true/false, not True/False."""
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(getattr(v, "value", v))


def filter_words(f: EventFilter | str) -> str:
    if isinstance(f, str):
        return f.replace("_", " ")
    words = f.event.replace("_", " ")
    if not f.where:
        return words
    conds = []
    for k, v in sorted(f.where.items()):
        vals = sorted(v, key=str) if isinstance(v, list) else [v]
        conds.append(f"{k.replace('_', ' ')}: {' or '.join(value_words(x) for x in vals)}")
    return f"{words} ({'; '.join(conds)})"


def _dur(d: Duration) -> str:
    return "the same day" if d.count == 0 else str(d)


def duration_words(value: Duration | tuple[DurationVersion, ...], on: _dt.date | None) -> str:
    if isinstance(value, Duration):
        return _dur(value)
    if on is not None:
        try:
            return _dur(in_force(value, on)[0])
        except LookupError:
            return "not in force"
    parts = []
    for v in value:
        span = []
        if v.from_ is not None:
            span.append(f"from {v.from_.isoformat()}")
        if v.until is not None:
            span.append(f"until {v.until.isoformat()}")
        parts.append(f"{_dur(v.value)} ({' '.join(span)})" if span else _dur(v.value))
    return "; ".join(parts)


def trigger_words(t: Trigger) -> str:
    """A trigger and every qualifier it has."""
    words = filter_words(t)
    if t.occurrence != "each":
        words += f" ({t.occurrence} only)"
    if t.counts != "each":
        words += " (counted from the first while a deadline is open)"
    if t.nth_in_plan:
        words += f" (number {t.nth_in_plan} in the plan)"
    if t.following is not None:
        words += f" (the first after each {filter_words(t.following)})"
    req = t.requires
    if req is not None:
        within = f" within {t.requires_within}" if t.requires_within else ""
        words += " (after " + " or ".join(sorted(
            filter_words(f) for f in (req if isinstance(req, list) else [req]))) + f"{within})"
    if t.otherwise is not None:
        words += f" (otherwise {filter_words(t.otherwise)})"
    return words
