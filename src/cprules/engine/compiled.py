"""A ruleset compiled once for evaluation.

Compiling turns what is written for people into what the engine looks up: event filters
become tests on a few attributes (shared between rules that use the same filter),
timescales with dated versions become switch dates searched by bisection, agency groups
become a table, and each variant's rules are listed once. The compiled form is kept with
the ruleset, so a ruleset is compiled at most once however many cases it evaluates.
"""

from __future__ import annotations

import datetime as _dt
import itertools
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..model.duration import Duration
from ..model.events import EVENT_MODELS
from ..model.filters import EventFilter
from ..model.rules import DurationVersion
from ..model.ruleset import Rule, Ruleset

if TYPE_CHECKING:
    from .kinds import Kind
    from .timeline import Ev

__all__ = ["CDuration", "CFilter", "Compiled", "CompiledRule", "compiled"]

_UIDS = itertools.count()


class CFilter:
    """An event filter as a test: the event type, then each ``where`` field's accepted
    values (for a list field, any element accepted)."""

    __slots__ = ("checks", "event", "source", "uid")

    def __init__(self, flt: EventFilter) -> None:
        self.source = flt
        self.event = flt.event
        self.uid = next(_UIDS)
        model = EVENT_MODELS[flt.event]
        by_alias = {(f.alias or name): name for name, f in model.model_fields.items()}
        checks: list[tuple[str, frozenset[Any], bool]] = []
        for key, want in flt.where.items():
            name = by_alias.get(key, key)
            annotation = str(model.model_fields[name].annotation)
            values = want if isinstance(want, list) else [want]
            checks.append((name, frozenset(values), annotation.startswith("tuple")))
        self.checks = tuple(checks)

    def test(self, ev: Ev) -> bool:
        """True when ``ev`` (already of this filter's type) matches the ``where`` fields."""
        e = ev.event
        for name, wants, many in self.checks:
            have = getattr(e, name, None)
            if many:
                if not have or not any(h in wants for h in have):
                    return False
            elif have not in wants:
                return False
        return True

    def matches(self, ev: Ev) -> bool:
        return ev.type == self.event and self.test(ev)


class CDuration:
    """A timescale: one duration, or dated versions found by their switch dates."""

    __slots__ = ("fixed", "starts", "versions")

    def __init__(self, value: Duration | tuple[DurationVersion, ...]) -> None:
        self.fixed = value if isinstance(value, Duration) else None
        self.versions: tuple[DurationVersion, ...] = (
            () if isinstance(value, Duration) else value)
        self.starts = [
            (v.from_.toordinal() if v.from_ is not None else -1) for v in self.versions
        ]

    def on(self, day: _dt.date) -> tuple[Duration, DurationVersion | None]:
        """The duration in force on ``day`` and its version (None when unversioned);
        ``LookupError`` when no version is in force."""
        if self.fixed is not None:
            return self.fixed, None
        i = bisect_right(self.starts, day.toordinal()) - 1
        if i >= 0:
            v = self.versions[i]
            if v.until is None or day <= v.until:
                return v.value, v
        first, last = self.versions[0], self.versions[-1]
        if first.from_ is not None and day < first.from_:
            raise LookupError(f"no version in force on {day}: the first starts {first.from_}")
        raise LookupError(f"no version in force on {day}: the last ended {last.until}")


@dataclass(frozen=True, slots=True)
class CompiledRule:
    """A rule, its kind, and what the kind compiled from it."""

    rule: Rule
    kind: Kind
    data: Any
    starts: frozenset[str]  # the kind's starts(data): skipped on a timeline without them


@dataclass
class Compiled:
    """What evaluation needs of a ruleset, worked out once."""

    ruleset: Ruleset
    filters: dict[str, CFilter] = field(default_factory=dict)
    groups: dict[str, str] = field(default_factory=dict)
    permitted: dict[str, frozenset[str]] = field(default_factory=dict)
    rules: tuple[CompiledRule, ...] = ()
    _by_variant: dict[str | None, tuple[CompiledRule, ...]] = field(default_factory=dict)
    #: (id of a rule, id of a version of its timescale) -> the fields of its deadlines
    #: that follow from them (engine.context); the ruleset holds both.
    templates: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)
    _seen: dict[int, tuple[EventFilter, CFilter]] = field(default_factory=dict)

    def filter(self, flt: EventFilter) -> CFilter:
        """The compiled form of ``flt``, shared by every rule with the same filter (a
        filter of this ruleset seen before is found by identity, without serialising it)."""
        seen = self._seen.get(id(flt))
        if seen is not None and seen[0] is flt:
            return seen[1]
        key = flt.model_dump_json(include={"event", "where"})
        found = self.filters.get(key)
        if found is None:
            found = self.filters[key] = CFilter(flt)
        self._seen[id(flt)] = (flt, found)
        return found

    def group_of(self, agency: str) -> str:
        return self.groups.get(agency, agency)

    def rules_for(self, variant: str | None) -> tuple[CompiledRule, ...]:
        found = self._by_variant.get(variant)
        if found is None:
            found = tuple(c for c in self.rules
                          if c.rule.variants is None or variant in c.rule.variants)
            self._by_variant[variant] = found
        return found


def compiled(ruleset: Ruleset) -> Compiled:
    """The compiled form of ``ruleset``, compiled on first use and kept with it."""
    found = ruleset.__pydantic_private__.get("_compiled") if ruleset.__pydantic_private__ \
        else None
    if isinstance(found, Compiled) and found.ruleset is ruleset:
        return found  # (a copy made with model_copy carries its original's: not used)
    from .kinds import kind_of

    c = Compiled(ruleset)
    for group, members in ruleset.agency_groups.items():
        c.groups.setdefault(group, group)
        for a in members:
            c.groups.setdefault(a.value, group)
    c.permitted = {name: frozenset(i.id for i in items if i.permitted)
                   for name, items in ruleset.vocabularies.items()}
    rules = []
    for rule in ruleset.rules:
        kind = kind_of(rule)
        data = kind.compile(rule, c)
        rules.append(CompiledRule(rule, kind, data, kind.starts(data)))
    c.rules = tuple(rules)
    ruleset._compiled = c
    return c
