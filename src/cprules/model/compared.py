"""The structured cells of ``cprules compare --format json`` (:class:`ComparedRule`):
per rule id and ruleset, the timescale as numbers with units, the kind and the citation."""

from __future__ import annotations

import datetime as _dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Cell", "ComparedRule", "TimeValue", "Timescale"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class TimeValue(_Frozen):
    """One value of a timescale: a number and a unit, in force over a period when the
    ruleset gives dated values."""

    count: int
    unit: Literal["working days", "days", "weeks", "months", "hours"]
    from_: _dt.date | None = Field(default=None, alias="from", serialization_alias="from")
    until: _dt.date | None = None

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Timescale(_Frozen):
    """A rule's time limit: ``within`` a time of the trigger (or of ``after``), ``before``
    it by at least a time, ``every`` so long at most, ``lasts`` at least so long, or by a
    date field (``on_or_before``); ``sooner``/``later`` of several parts."""

    relation: Literal["within", "before", "every", "lasts", "on_or_before", "sooner",
                      "later"]
    values: tuple[TimeValue, ...] = Field(
        default=(), description="One value, or the dated values (with from/until)."
    )
    after: str | None = Field(default=None, description="The event it runs from, in words, "
                              "when not the trigger.")
    field: str | None = Field(default=None, description="For on_or_before and lasts until: "
                              "the date field of the trigger.")
    parts: tuple[Timescale, ...] = Field(default=(), description="For sooner/later.")


class Cell(_Frozen):
    """One rule in one ruleset."""

    ruleset: str = Field(description="The column's label.")
    kind: str
    title: str
    words: str = Field(description="The cell of the matrix, in words.")
    timescale: Timescale | None = None
    severity: Literal["error", "warning"]
    file: str
    section: str
    quote: str


class ComparedRule(_Frozen):
    rule_id: str
    cells: tuple[Cell | None, ...] = Field(
        description="One per column, in column order; null where the ruleset lacks the rule."
    )
