"""What ``check`` and ``obligation`` rules share: their subject events, and whether a
rule applies to one (its ``when``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...model.conditions import ExistsCond, walk_conditions
from ..compiled import CFilter, Compiled
from ..conditions import NotRecorded, holds
from ..context import Ctx
from ..timeline import Ev

__all__ = ["Subjects", "applies", "compile_subjects", "starts", "subjects"]


@dataclass(frozen=True, slots=True)
class Subjects:
    filters: tuple[CFilter, ...]
    satisfied_by: CFilter | None


def compile_subjects(rule: Any, comp: Compiled) -> Subjects:
    for where in (rule.when, getattr(rule, "require", None)):  # exists: compiled now
        for c in walk_conditions(where) if where is not None else ():
            if isinstance(c, ExistsCond):
                comp.filter(c.exists)
    sat = getattr(rule, "satisfied_by", None)
    return Subjects(tuple(comp.filter(f) for f in rule.subjects),
                    comp.filter(sat) if sat is not None else None)


def starts(s: Subjects) -> frozenset[str]:
    """Event types one of which must be on the timeline for the rule to find anything:
    its subjects'."""
    return frozenset(f.event for f in s.filters)


def subjects(ctx: Ctx, s: Subjects) -> list[Ev]:
    """Held events matching any of the subject filters, once each, in time order."""
    if len(s.filters) == 1:
        return ctx.tl.matching(s.filters[0]).events
    found: dict[int, Ev] = {}
    for f in s.filters:
        for e in ctx.tl.matching(f).events:
            found.setdefault(e.index, e)
    return sorted(found.values(), key=lambda e: e.key)


def applies(ctx: Ctx, rule: Any, ev: Ev) -> bool:
    try:
        return rule.when is None or holds(ctx, rule.when, ev)[0]
    except NotRecorded:
        return False
