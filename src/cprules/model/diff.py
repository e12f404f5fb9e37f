"""Results of comparing rulesets (``cprules.diff``, ``cprules.compare``) and of the
impact of a change on cases (``cprules.impact``). Frozen, JSON-serialisable; the JSON form
is published as ``schema/diff.schema.json`` and ``schema/impact.schema.json``."""

from __future__ import annotations

import datetime as _dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .compared import ComparedRule

__all__ = [
    "CaseImpact",
    "Comparison",
    "DeadlineMove",
    "FieldChange",
    "ImpactReport",
    "RuleDiff",
    "RuleImpact",
    "RulesetDiff",
    "Side",
]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Side(_Frozen):
    """One side of a comparison: which ruleset, variant and date."""

    label: str = Field(description="As given: york, derby:derby_city, york@2024-01-01, a path.")
    partnership: str
    version: str
    variant: str | None = None
    as_of: _dt.date | None = Field(
        default=None, description="Dated values resolved as in force on this date."
    )
    content_sha256: str | None = None


class FieldChange(_Frozen):
    field: str
    a: str
    b: str


class RuleDiff(_Frozen):
    rule_id: str
    status: Literal["only_a", "only_b", "changed", "same"]
    title: str
    changes: tuple[FieldChange, ...] = ()
    citation_a: str | None = None
    citation_b: str | None = None


class RulesetDiff(_Frozen):
    """Rules lined up by id."""

    a: Side
    b: Side
    rules: tuple[RuleDiff, ...] = Field(
        description="Every rule id of either side, in id order (identical ones with "
        "status 'same')."
    )
    only_a: int
    only_b: int
    changed: int
    same: int


class Comparison(_Frozen):
    """A matrix: rule ids down, rulesets across, each cell the rule in words."""

    columns: tuple[Side, ...]
    rows: tuple[tuple[str, tuple[str | None, ...]], ...] = Field(
        description="(rule id, one cell per column; null where the ruleset lacks the rule)"
    )
    rules: tuple[ComparedRule, ...] = Field(
        default=(), description="The same matrix as data: per rule id, one cell per column "
        "with the kind, the timescale as numbers with units, and the citation."
    )


class DeadlineMove(_Frozen):
    rule_id: str
    trigger_date: _dt.date | None
    group: str | None = None
    due_a: _dt.date | None
    due_b: _dt.date | None
    days: int | None = Field(description="Calendar days from due_a to due_b.")
    working_days: int | None = Field(description="Working days from due_a to due_b.")
    status_a: str | None
    status_b: str | None


class CaseImpact(_Frozen):
    case: str = Field(description="File name (and line, for JSON Lines) or case id.")
    as_of: _dt.date
    moved: tuple[DeadlineMove, ...] = ()
    overdue_gained: tuple[str, ...] = ()
    overdue_lost: tuple[str, ...] = ()
    violations_gained: tuple[str, ...] = ()
    violations_lost: tuple[str, ...] = ()
    error: str | None = Field(default=None, description="Why the case could not be evaluated.")

    @property
    def changed(self) -> bool:
        return bool(self.moved or self.overdue_gained or self.overdue_lost
                    or self.violations_gained or self.violations_lost)


class RuleImpact(_Frozen):
    """What a change did to one rule across all the cases."""

    rule_id: str
    deadlines_moved: int
    cases: int = Field(description="Cases in which a deadline of this rule moved.")
    min_days: int | None = Field(default=None, description="Smallest move, calendar days.")
    max_days: int | None = None
    min_working_days: int | None = None
    max_working_days: int | None = None
    overdue_gained: int = 0
    overdue_lost: int = 0
    violations_gained: int = 0
    violations_lost: int = 0


class ImpactReport(_Frozen):
    a: Side
    b: Side
    cases: tuple[CaseImpact, ...]
    cases_evaluated: int
    cases_changed: int
    deadlines_moved: int
    errors: int
    rules: tuple[RuleImpact, ...] = Field(default=(), description="Per rule, over all cases.")
