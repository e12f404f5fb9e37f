"""``kind: minimum_period``: something must last at least a time (or until a date of the
trigger event); ending it sooner is a violation unless the ending is allowed."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator
from dataclasses import dataclass

from ...model.results import Finding
from ...model.rules import MinimumPeriodRule
from ...timescales import Due
from ..compiled import CDuration, CFilter, Compiled, CompiledRule
from ..context import CannotDate, Ctx
from ..timeline import Ev
from ..triggers import CTrigger, compile_trigger, select
from ..words import duration_words, filter_words, trigger_words

__all__ = ["compile", "evaluate", "starts", "words"]


@dataclass(frozen=True, slots=True)
class _Compiled:
    trigger: CTrigger
    period: CDuration | None
    ended_by: tuple[CFilter | str, ...]
    allowed_if: tuple[CFilter, ...]


def compile(rule: MinimumPeriodRule, comp: Compiled) -> _Compiled:
    return _Compiled(
        compile_trigger(rule.trigger, comp),
        CDuration(rule.period) if rule.period is not None else None,
        tuple(e if isinstance(e, str) else comp.filter(e) for e in rule.ended_by),
        tuple(comp.filter(a) for a in rule.allowed_if),
    )


def starts(c: _Compiled) -> frozenset[str]:
    """Event types one of which must be on the timeline for the rule to find anything."""
    return c.trigger.types


def _ending(ctx: Ctx, c: _Compiled, trig: Ev) -> tuple[_dt.date, Ev | None] | None:
    """The first thing that ends it on or after the trigger."""
    found: list[tuple[tuple[int, int], _dt.date, Ev | None]] = []
    for n, e in enumerate(c.ended_by):
        if isinstance(e, str):  # plan_end: the plan containing the trigger, or the next
            period = next((p for p in ctx.tl.periods
                           if p.end is None or p.end >= trig.date), None)
            if period is not None and period.end is not None:
                ev = period.end_event
                found.append(((period.end.toordinal(), n), period.end, ev))
        else:
            ev = ctx.tl.matching(e).first_from(trig.date, skip=trig)
            if ev is not None:
                found.append(((ev.key[0], n), ev.date, ev))
    if not found:
        return None
    _, day, ev = min(found, key=lambda x: x[0])
    return day, ev


def evaluate(ctx: Ctx, cr: CompiledRule) -> Iterator[Finding]:
    c: _Compiled = cr.data
    rule: MinimumPeriodRule = cr.rule  # type: ignore[assignment]
    problems: list[Finding] = []
    triggers = select(ctx, rule, c.trigger, planned=False, problems=problems)  # type: ignore[arg-type]
    yield from problems
    for trig in triggers:
        try:
            if rule.until is not None:
                day = getattr(trig.event, rule.until)
                until = Due(day)
                basis = (f"until the {rule.until.replace('_', ' ')} date of the "
                         f"{trig.words()} ({day.isoformat()})")
            else:
                assert c.period is not None
                dur, _version = c.period.on(trig.date)
                until = ctx.add(trig.date, dur)
                basis = f"at least {dur} from {trig.describe()}"
        except CannotDate as exc:
            yield ctx.date_problem(rule, trig, exc)
            continue
        ending = _ending(ctx, c, trig)
        if ending is None:
            if ctx.as_of < until.date:
                yield ctx.obligation(
                    rule.id, f"{rule.title}: not before {until.date.isoformat()} ({basis})",
                    rule.responsible, until.date, rule.source)
            continue
        day, ev = ending
        if day >= until.date:
            continue
        if ev is not None and any(a.matches(ev) for a in c.allowed_if):
            continue
        yield ctx.violation(
            rule.id,
            f"Ended too soon: {rule.title}; ended {day.isoformat()}, before "
            f"{until.date.isoformat()} ({basis})",
            rule.severity, until.date,
            tuple(r for r in (trig.ref, ev.ref if ev else None) if r is not None),
            rule.source)


def words(rule: MinimumPeriodRule, on: _dt.date | None) -> dict[str, str]:
    w = {
        "timescale": (f"lasts at least {duration_words(rule.period, on)}"
                      if rule.period is not None else
                      f"lasts until the {str(rule.until).replace('_', ' ')} date"),
        "starts": trigger_words(rule.trigger),
        "withdrawn by": "; ".join(sorted(filter_words(c) for c in rule.ended_by)),
    }
    if rule.allowed_if:
        w["withdrawn by"] += " (allowed early: " + "; ".join(
            sorted(filter_words(a) for a in rule.allowed_if)) + ")"
    return w
