"""``kind: recurring``: something at intervals of not more than a time, counted from the
previous occurrence, while the child is subject to a plan (or a child-in-need plan).

The chain runs over every occurrence up to the as-of date, with no cap: one step per
occurrence, each found by bisection.
"""

from __future__ import annotations

import datetime as _dt
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

from ...model.results import Finding
from ...model.rules import RecurringRule
from ..compiled import CDuration, CFilter, Compiled, CompiledRule
from ..context import CannotDate, Computed, Ctx, status_of
from ..words import duration_words, filter_words

__all__ = ["compile", "evaluate", "starts", "words"]


@dataclass(frozen=True, slots=True)
class _Compiled:
    during: str
    interval: CDuration
    satisfied_by: CFilter
    start: CFilter | None
    cancelled_by: tuple[CFilter, ...]


def compile(rule: RecurringRule, comp: Compiled) -> _Compiled:
    return _Compiled(rule.during, CDuration(rule.interval), comp.filter(rule.satisfied_by),
                     comp.filter(rule.start) if rule.start is not None else None,
                     tuple(comp.filter(f) for f in rule.cancelled_by))


def starts(c: _Compiled) -> frozenset[str]:
    """Event types one of which must be on the timeline for the rule to find anything:
    those that start a plan (a plan start, or a conference making one), or a child-in-need
    plan."""
    return (frozenset({"plan_start", "conference"}) if c.during == "plan"
            else frozenset({"cin_plan_start"}))


def evaluate(ctx: Ctx, cr: CompiledRule) -> Iterator[Finding]:
    c: _Compiled = cr.data
    rule: RecurringRule = cr.rule  # type: ignore[assignment]
    tl = ctx.tl
    periods = tl.periods if rule.during == "plan" else tl.cin_periods
    occ = tl.matching(c.satisfied_by)
    for period in periods:
        end = period.end
        for f in c.cancelled_by:  # the chain stops, as at the end of the plan
            stop = tl.matching(f).first_from(period.start.date)
            if stop is not None and (end is None or stop.date < end):
                end = stop.date
        end_day = end.toordinal() if end is not None else None
        start_ev = period.start
        if (rule.not_before_birth and start_ev.type == "conference"
                and start_ev.event.kind.value == "pre_birth"):
            births = [b for b in tl.of_type("birth") if b.date >= start_ev.date]
            if not births or (end is not None and births[0].date > end):
                continue  # not born yet, or born after the plan ended
            base = births[0]
        else:
            base = start_ev
        if c.start is None:
            prev = base
        else:
            starts = tl.matching(c.start)
            i = bisect_left(starts.days, base.key[0])
            if i >= len(starts.events) or (end_day is not None and starts.days[i] > end_day):
                continue
            prev = starts.events[i]
        days, events, as_of = occ.days, occ.events, ctx.as_of
        add, deadline, interval = ctx.add, ctx.deadline, c.interval
        while True:
            try:
                dur, version = interval.on(prev.date)
                due = add(prev.date, dur, prev.at)
            except CannotDate as exc:
                yield ctx.date_problem(rule, prev, exc)
                break
            text = str(dur)
            computed = Computed(due, f"not more than {text} after {prev.describe()}", text,
                                version)
            k = bisect_right(days, prev.day)
            nxt = events[k] if k < len(events) else None
            if nxt is not None and (end_day is None or nxt.day <= end_day):
                yield deadline(rule, computed, status_of(due, nxt, as_of), nxt, prev)
                prev = nxt
                continue
            if end is not None and end <= due.date:
                break  # the plan ended before the next one fell due
            yield deadline(rule, computed, status_of(due, None, as_of), None, prev)
            break


def words(rule: RecurringRule, on: _dt.date | None) -> dict[str, str]:
    starts = (filter_words(rule.start) if rule.start
              else f"start of the {rule.during.replace('_', ' ')}")
    if rule.start is not None and rule.during != "plan":
        starts += f" (during the {rule.during.replace('_', ' ')})"
    if rule.not_before_birth:
        starts += " (from the birth, for a plan made before it)"
    w = {
        "timescale": f"every {duration_words(rule.interval, on)} at most",
        "starts": starts,
        "done by": filter_words(rule.satisfied_by),
    }
    if rule.cancelled_by:
        w["withdrawn by"] = "; ".join(filter_words(f) for f in rule.cancelled_by)
    return w
