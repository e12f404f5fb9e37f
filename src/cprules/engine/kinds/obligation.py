"""``kind: obligation``: for each subject event where ``when`` holds, something must be
done: an obligation until an event matching ``satisfied_by`` on or after the subject
(held, or planned), or naming it as its conference, shows it was done or arranged."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator

from ...model.results import Finding
from ...model.rules import ObligationRule
from ..compiled import Compiled, CompiledRule
from ..conditions import words as condition_words
from ..context import Ctx, DateProblem
from ..timeline import Ev
from ..words import filter_words
from .decisions import Subjects, applies, compile_subjects, starts, subjects

__all__ = ["compile", "evaluate", "starts", "words"]


def compile(rule: ObligationRule, comp: Compiled) -> Subjects:
    return compile_subjects(rule, comp)


def _done(ctx: Ctx, s: Subjects, ev: Ev) -> Ev | None:
    if s.satisfied_by is None:
        return None
    cands = ctx.tl.matching(s.satisfied_by, planned=True)
    named = ev.type == "conference" and ev.id is not None
    best = None
    if named:
        best = next((e for e in cands.by_conference.get(ev.id or "", ()) if e is not ev), None)
    e = cands.first_between(ev.day, 10**7, ev, unclaimed=named)
    if e is not None and (best is None or e.key < best.key):
        best = e
    return best


def _arisen(ctx: Ctx, cr: CompiledRule, rule: ObligationRule, ev: Ev) -> Iterator[Finding]:
    """A duty that arises a time after its subject, while the subject's plan lasts, and is
    met only by an event on or after that point."""
    assert rule.arises_after is not None
    try:
        arise = ctx.add(ev.date, rule.arises_after).date
    except DateProblem as exc:
        yield ctx.date_problem(rule, ev, exc)
        return
    period = ctx.tl.period_of(ev.date)
    if period is None or arise > ctx.as_of or (period.end is not None and period.end <= arise):
        return  # not (yet) arisen: no plan, not that long yet, or it ended sooner
    s: Subjects = cr.data
    done = None
    if s.satisfied_by is not None:
        done = ctx.tl.matching(s.satisfied_by, planned=True).first_from(arise, skip=ev)
    since = f"since {arise.isoformat()} ({rule.arises_after} after {ev.describe()})"
    why = f"{done.words()} on {done.date.isoformat()}" if done else since
    yield ctx.check(rule, ev, done is not None, why)
    if done is None:
        who = f" ({rule.responsible})" if rule.responsible else ""
        yield ctx.obligation(rule.id, f"{rule.title}{who}: {since}", rule.responsible, None,
                             rule.source)


def evaluate(ctx: Ctx, cr: CompiledRule) -> Iterator[Finding]:
    rule: ObligationRule = cr.rule  # type: ignore[assignment]
    for ev in subjects(ctx, cr.data):
        try:
            if not applies(ctx, rule, ev):
                continue
        except DateProblem as exc:
            yield ctx.date_problem(rule, ev, exc)
            continue
        if rule.arises_after is not None:
            yield from _arisen(ctx, cr, rule, ev)
            continue
        done = _done(ctx, cr.data, ev)
        why = f"{done.words()} on {done.date.isoformat()}" if done else f"after {ev.describe()}"
        yield ctx.check(rule, ev, done is not None, why)
        if done is None:
            who = f" ({rule.responsible})" if rule.responsible else ""
            yield ctx.obligation(rule.id, f"{rule.title}{who}: {why}", rule.responsible, None,
                                 rule.source)


def words(rule: ObligationRule, on: _dt.date | None) -> dict[str, str]:
    w = {"applies to": "; ".join(sorted(filter_words(s) for s in rule.subjects))}
    if rule.when is not None:
        w["condition"] = f"when {condition_words(rule.when)}"
    if rule.satisfied_by is not None:
        w["done by"] = filter_words(rule.satisfied_by)
    if rule.arises_after is not None:
        w["timescale"] = f"arises {rule.arises_after} after, while the plan lasts"
    return w

