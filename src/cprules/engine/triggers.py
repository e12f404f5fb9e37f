"""Which events start a rule: a trigger filter and its qualifiers, compiled once and
selected from a child's timeline by bisection (``docs/semantics.md``, "How events meet
rules")."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from ..model.duration import Duration
from ..model.filters import Trigger
from .compiled import CFilter, Compiled
from .context import Ctx, DateProblem
from .timeline import Ev

__all__ = ["CTrigger", "compile_trigger", "select"]


@dataclass(frozen=True, slots=True)
class CTrigger:
    source: Trigger
    filter: CFilter
    otherwise: CFilter | None
    requires: tuple[CFilter, ...]
    requires_within: Duration | None
    following: CFilter | None
    nth_in_plan: int | None
    occurrence: str
    counts: str
    #: the event types that can start the rule: the trigger's, and its ``otherwise``'s
    types: frozenset[str]


def compile_trigger(t: Trigger, comp: Compiled) -> CTrigger:
    req = t.requires
    requires = () if req is None else tuple(
        comp.filter(f) for f in (req if isinstance(req, list) else [req]))
    return CTrigger(
        source=t,
        filter=comp.filter(t),
        otherwise=comp.filter(t.otherwise) if t.otherwise is not None else None,
        requires=requires,
        requires_within=t.requires_within,
        following=comp.filter(t.following) if t.following is not None else None,
        nth_in_plan=t.nth_in_plan,
        occurrence=t.occurrence,
        counts=t.counts,
        types=frozenset({t.event} | ({t.otherwise.event} if t.otherwise is not None
                                     else set())),
    )


def select(ctx: Ctx, rule: object, t: CTrigger, *, planned: bool,
           problems: list[object]) -> list[Ev]:
    """The events that start ``rule`` in the child's timeline, in time order.

    Held events only, or (``planned``, for deadlines before a conference) booked ones too.
    A trigger whose ``requires_within`` cannot be worked out is left out, with a finding
    added to ``problems``.
    """
    tl = ctx.tl
    cands = tl.matching(t.filter, planned=planned).events
    if not cands and t.otherwise is not None:
        cands = tl.matching(t.otherwise, planned=planned).events
    if t.requires:
        cands = _with_required(ctx, rule, t, cands, problems)
    if t.following is not None:
        cands = _following(tl.matching(t.following).events, cands)
    if t.nth_in_plan is not None:
        nth: list[Ev] = []
        days = [c.key[0] for c in cands]
        for period in tl.periods:
            lo = bisect_left(days, period.start.key[0])
            hi = (len(cands) if period.end is None
                  else bisect_right(days, period.end.toordinal()))
            if hi - lo >= t.nth_in_plan:
                nth.append(cands[lo + t.nth_in_plan - 1])
        cands = nth
    if t.occurrence == "first":
        return cands[:1]
    if t.occurrence == "last":
        return cands[-1:]
    return cands


def _with_required(ctx: Ctx, rule: object, t: CTrigger, cands: list[Ev],
                   problems: list[object]) -> list[Ev]:
    """Candidates with an event matching one of ``requires`` on or before them (not
    themselves), no more than ``requires_within`` before them when that is given."""
    tl = ctx.tl
    req: list[Ev] = []
    for f in t.requires:
        req += tl.matching(f).events
    if len(t.requires) > 1:
        req = sorted(set(req), key=lambda e: e.key)
    days = [r.key[0] for r in req]
    out: list[Ev] = []
    for c in cands:
        low = None
        if t.requires_within is not None:
            try:
                low = ctx.subtract(c.date, t.requires_within).date.toordinal()
            except DateProblem as exc:
                problems.append(ctx.date_problem(rule, c, exc))
                continue
        i = bisect_right(days, c.key[0]) - 1
        while i >= 0 and req[i] is c:
            i -= 1
        if i >= 0 and (low is None or days[i] >= low):
            out.append(c)
    return out


def _following(anchors: list[Ev], cands: list[Ev]) -> list[Ev]:
    """The first candidate on or after each anchor and before the next anchor."""
    days = [c.key[0] for c in cands]
    picked: list[Ev] = []
    seen: set[int] = set()
    for i, a in enumerate(anchors):
        nxt = anchors[i + 1].key[0] if i + 1 < len(anchors) else None
        j = bisect_left(days, a.key[0])
        while j < len(cands) and cands[j] is a:
            j += 1
        if j < len(cands) and (nxt is None or days[j] < nxt):
            c = cands[j]
            if id(c) not in seen:
                seen.add(id(c))
                picked.append(c)
    return picked
