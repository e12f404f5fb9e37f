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
_COLUMNS = ("One entry per finding of the group, in the same order in every column; "
            "null where that finding has no value.")
_ONLY_WHEN = " Left out when no finding of the group has one."


class DeadlineColumns(_Line):
    """A rule's deadlines, in due order, as columns."""

    due: list[_dt.date]
    status: list[Status]
    met_by: list[int | None] = Field(description="Index of the event that met it. " + _COLUMNS)
    trigger: list[int | None] = Field(description="Index of the event that started it "
                                      "(negative: the child's birth or expected delivery). "
                                      + _COLUMNS)
    children: list[list[str] | None] | None = Field(
        default=None, description="The children each deadline concerns, null when every "
        "child of the case." + _ONLY_WHEN)
    due_at: list[_dt.datetime | None] | None = Field(
        default=None, description="Hour timescales: the due instant, UK local time with its "
        "offset." + _ONLY_WHEN)
    group: list[str | None] | None = Field(
        default=None, description="For rules with 'per': the value each deadline is for."
        + _ONLY_WHEN)
    version_from: list[_dt.date | None] | None = Field(
        default=None, description="Start of the dated version of the timescale applied."
        + _ONLY_WHEN)


class CheckColumns(_Line):
    """A decision rule's checks, as columns."""

    subject: list[int] = Field(description="Index of the event checked.")
    passed: list[bool]
    children: list[list[str] | None] | None = Field(
        default=None, description="The children each check concerns, null when every child "
        "of the case." + _ONLY_WHEN)
    detail: list[str | None] | None = Field(default=None, description="Why it failed; null "
                                            "where it passed." + _ONLY_WHEN)


class QualityColumns(_Line):
    """The data-quality findings of one code, as columns."""

    event: list[int | None] = Field(description="Index of the event concerned. " + _COLUMNS)
    children: list[list[str] | None] | None = Field(
        default=None, description="The children each finding concerns, null when every "
        "child of the case." + _ONLY_WHEN)
    message: list[str | None] | None = Field(
        default=None, description="Only where the code and the event do not say it all."
        + _ONLY_WHEN)


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
    deadlines: dict[str, DeadlineColumns] = Field(description="By rule id.")
    violations: list[ViolationLine]
    obligations: list[ObligationLine]
    checks: dict[str, CheckColumns] = Field(description="By rule id.")
    data_quality: dict[str, QualityColumns] = Field(description="By code.")


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
