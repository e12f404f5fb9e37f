"""The lines of ``cprules evaluate --jsonl`` (``docs/batch.md``): a compact result, an
error, and the closing summary record; and the rule table they refer to
(``cprules rules NAME --format json``).

These models describe the JSON that :mod:`cprules.batch` writes, for the published JSON
Schema (``cprules schema result-line``, ``cprules schema rule-table``); the batch path
writes plain dicts and never builds them. A test validates real output against the
schemas.
"""

from __future__ import annotations

import datetime as _dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .base import Citation
from .results import Status

__all__ = ["ErrorLine", "ResultLine", "RuleTable", "SummaryLine"]


class _Line(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


_CHILDREN = Field(default=None, description="The children the finding concerns, only when "
                  "not every child of the case.")


class DeadlineLine(_Line):
    due: _dt.date
    status: Status
    children: list[str] | None = _CHILDREN
    due_at: _dt.datetime | None = Field(default=None, description="Hour timescales: the due "
                                        "instant, UK local time with its offset.")
    met_by: int | None = Field(default=None, description="Index of the event that met it.")
    trigger: int | None = Field(default=None, description="Index of the event that started "
                                "it (negative: the child's birth or expected delivery).")
    group: str | None = Field(default=None, description="For rules with 'per': the value "
                              "this deadline is for.")
    version_from: _dt.date | None = Field(default=None, description="Start of the dated "
                                          "version of the timescale applied.")


class CheckLine(_Line):
    subject: int = Field(description="Index of the event checked.")
    passed: bool
    children: list[str] | None = _CHILDREN
    detail: str | None = Field(default=None, description="Why it failed.")


class ViolationLine(_Line):
    rule: str
    message: str
    children: list[str] | None = _CHILDREN
    severity: Literal["warning"] | None = Field(default=None, description="Absent: error.")
    due: _dt.date | None = None
    events: list[int] | None = Field(default=None, description="Indexes of the evidence.")


class ObligationLine(_Line):
    rule: str
    message: str
    children: list[str] | None = _CHILDREN
    due: _dt.date | None = None


class QualityLine(_Line):
    code: str
    children: list[str] | None = _CHILDREN
    event: int | None = None
    message: str | None = Field(default=None, description="Only where the code and the "
                                "event do not say it all.")


class ResultLine(_Line):
    """One case's compact result."""

    index: int = Field(description="Position of the case in the input, from 0.")
    line: int | None = Field(description="Line of the input, from 1.")
    case_id: str | None
    ruleset: str
    ruleset_version: str
    ruleset_sha256: str | None
    variant: str | None
    as_of: _dt.date
    ok: bool = Field(description="Nothing overdue and nothing violated.")
    deadlines: dict[str, list[DeadlineLine]] = Field(description="By rule id, in due order.")
    violations: list[ViolationLine]
    obligations: list[ObligationLine]
    checks: dict[str, list[CheckLine]] = Field(description="By rule id.")
    data_quality: list[QualityLine]


class ErrorDetailLine(_Line):
    kind: str = Field(description="The error's class, e.g. CaseError.")
    message: str
    file: str | None
    line: int | None
    field: str | None
    suggestion: str | None
    problems: list[str]


class ErrorLine(_Line):
    """A case that could not be read or evaluated."""

    index: int
    line: int | None
    case_id: str | None
    error: ErrorDetailLine


class Summary(_Line):
    cases: int
    errors: int
    ok: int
    overdue_by_rule: dict[str, int]
    violations_by_rule: dict[str, int]
    data_quality: dict[str, int]
    other_partnership: dict[str, int] = Field(description="Cases naming another partnership "
                                              "than the ruleset given (--ruleset), by the "
                                              "partnership they name.")


class SummaryLine(_Line):
    """The last line with ``--summary-json``."""

    summary: Summary


class RuleLine(_Line):
    id: str
    kind: str
    title: str
    responsible: str | None
    severity: Literal["error", "warning"]
    variants: list[str] | None
    citation: Citation
    note: str | None


class RuleTable(_Line):
    """``cprules rules NAME --format json``: what compact results name by id."""

    ruleset: str
    version: str
    sha256: str | None
    rules: list[RuleLine]
