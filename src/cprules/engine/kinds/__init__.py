"""The rule kinds: one module each, holding how the kind is compiled, evaluated and put
into words, registered in one table, :data:`KINDS`.

To add a kind: write its model in :mod:`cprules.model.rules` (a ``kind`` literal, added
to the ``Rule`` union), a module here with ``compile``, ``evaluate``, ``starts`` and
``words``, and one entry in ``KINDS``. Loading fails at import when a member of the union
has no entry, and ``tests/test_engine_tables.py`` checks that every field of every kind
shows in its words, so that ``cprules diff`` sees an edit of any field, and that a rule
skipped for its ``starts`` would have found nothing.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, assert_never, get_args

from ...model.results import Finding
from ...model.rules import (
    CheckRule,
    DeadlineRule,
    MinimumPeriodRule,
    ObligationRule,
    RecurringRule,
    Rule,
)
from . import check, deadline, minimum_period, obligation, recurring

__all__ = ["KINDS", "Kind", "kind_of"]


@dataclass(frozen=True)
class Kind:
    """A rule kind: its model, and the functions that make it work."""

    name: str
    model: type[Any]
    compile: Callable[[Any, Any], Any]
    evaluate: Callable[[Any, Any], Iterator[Finding]]
    words: Callable[[Any, _dt.date | None], dict[str, str]]
    #: The event types, one of which must be on a child's timeline (held or planned) for
    #: the rule to find anything there, from what ``compile`` made: the rule is skipped
    #: on a timeline with none of them.
    starts: Callable[[Any], frozenset[str]]
    #: Fields that are wording, not meaning (compared only with ``diff --all-fields``).
    wording: tuple[str, ...] = ("id", "title", "responsible", "note", "source", "kind")


def _kind(model: type[Any], module: Any) -> Kind:
    name = get_args(model.model_fields["kind"].annotation)[0]
    return Kind(name, model, module.compile, module.evaluate, module.words, module.starts)


#: Every rule kind, by its ``kind`` name.
KINDS: dict[str, Kind] = {k.name: k for k in (
    _kind(DeadlineRule, deadline),
    _kind(RecurringRule, recurring),
    _kind(MinimumPeriodRule, minimum_period),
    _kind(CheckRule, check),
    _kind(ObligationRule, obligation),
)}

_BY_MODEL = {k.model: k for k in KINDS.values()}
_MEMBERS = {get_args(a)[0] for a in get_args(get_args(Rule)[0])}
if set(_BY_MODEL) != _MEMBERS:  # pragma: no cover - fails at import, and in the tests
    raise ImportError("rule kinds without an entry in KINDS: "
                      f"{sorted(m.__name__ for m in _MEMBERS ^ set(_BY_MODEL))}")


def kind_of(rule: Rule) -> Kind:
    """The kind of ``rule`` (mypy checks that every member of the union is handled)."""
    if isinstance(rule, DeadlineRule):
        return KINDS["deadline"]
    if isinstance(rule, RecurringRule):
        return KINDS["recurring"]
    if isinstance(rule, MinimumPeriodRule):
        return KINDS["minimum_period"]
    if isinstance(rule, CheckRule):
        return KINDS["check"]
    if isinstance(rule, ObligationRule):
        return KINDS["obligation"]
    assert_never(rule)
