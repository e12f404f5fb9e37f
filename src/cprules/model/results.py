"""What an evaluation returns: deadlines, obligations, violations, data-quality findings,
and the stamp of what produced them. All frozen, all JSON-serialisable
(``model_dump(mode="json")``)."""

from __future__ import annotations

import datetime as _dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .base import Citation

__all__ = [
    "STATUSES",
    "CheckResult",
    "DataQuality",
    "Deadline",
    "Evaluation",
    "EventRef",
    "Finding",
    "Obligation",
    "Stamp",
    "Status",
    "Violation",
]

Status = Literal["met", "met_late", "overdue", "pending"]
STATUSES: tuple[Status, ...] = ("met", "met_late", "overdue", "pending")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class EventRef(_Frozen):
    """Points at an event of the case: its position in ``case.events``, id, type, date."""

    index: int
    id: str | None = None
    type: str
    date: _dt.date


class Deadline(_Frozen):
    """A date by which something is due, and whether it was done."""

    finding: Literal["deadline"] = "deadline"
    children: tuple[str, ...] = Field(
        default=(), description="The children this finding concerns (ids), in case order."
    )
    rule_id: str
    title: str
    responsible: str | None = None
    due: _dt.date
    due_at: _dt.datetime | None = Field(
        default=None, description="Set for hour-based timescales from a timed event: the "
        "due instant in UK local time, with its UTC offset."
    )
    status: Status
    met_by: EventRef | None = None
    trigger: EventRef | None = None
    basis: str = Field(description="How the due date was worked out, in words.")
    duration: str | None = Field(default=None, description="The timescale applied.")
    group: str | None = Field(
        default=None, description="For rules with 'per': the value this deadline is for "
        "(e.g. the agency whose report it is)."
    )
    version_from: _dt.date | None = Field(
        default=None, description="Start of the dated version of the timescale applied."
    )
    severity: Literal["error", "warning"] = "error"
    citation: Citation
    note: str | None = None


class Obligation(_Frozen):
    """Something that must be done, by whom, and by when if there is a date."""

    finding: Literal["obligation"] = "obligation"
    children: tuple[str, ...] = Field(
        default=(), description="The children this finding concerns (ids), in case order."
    )
    rule_id: str
    message: str
    responsible: str | None = None
    due: _dt.date | None = None
    citation: Citation


class Violation(_Frozen):
    """Something missed, late, or done against the rules."""

    finding: Literal["violation"] = "violation"
    children: tuple[str, ...] = Field(
        default=(), description="The children this finding concerns (ids), in case order."
    )
    rule_id: str
    message: str
    severity: Literal["error", "warning"] = "error"
    due: _dt.date | None = None
    evidence: tuple[EventRef, ...] = ()
    citation: Citation


class CheckResult(_Frozen):
    """The outcome of a decision rule (``check`` or ``obligation``) on one subject event:
    whether it passed, so that an auditor can see what was checked, not only what
    failed."""

    finding: Literal["check"] = "check"
    children: tuple[str, ...] = Field(
        default=(), description="The children this finding concerns (ids), in case order."
    )
    rule_id: str
    title: str
    subject: EventRef
    passed: bool
    detail: str | None = None
    citation: Citation


class DataQuality(_Frozen):
    """A problem in the case facts that did not stop the evaluation."""

    finding: Literal["data_quality"] = "data_quality"
    children: tuple[str, ...] = Field(
        default=(), description="The children this finding concerns (ids), in case order."
    )
    code: str
    message: str
    event: EventRef | None = None


Finding = Deadline | Obligation | Violation | DataQuality | CheckResult


class Stamp(_Frozen):
    """What produced an evaluation, so that an auditor can say which rules gave it."""

    ruleset: str
    ruleset_title: str
    ruleset_version: str
    variant: str | None = None
    content_sha256: str | None = Field(
        default=None, description="SHA-256 of the ruleset file's bytes, when loaded from one."
    )
    source_file: str | None = None
    cprules_version: str
    as_of: _dt.date
    case_id: str | None = None


class Evaluation(_Frozen):
    """The result of :func:`cprules.evaluate`."""

    stamp: Stamp
    deadlines: tuple[Deadline, ...] = ()
    obligations: tuple[Obligation, ...] = ()
    violations: tuple[Violation, ...] = ()
    checks: tuple[CheckResult, ...] = Field(
        default=(), description="Every decision rule applied, passed or not."
    )
    data_quality: tuple[DataQuality, ...] = ()

    @property
    def overdue(self) -> tuple[Deadline, ...]:
        return tuple(d for d in self.deadlines if d.status == "overdue")

    @property
    def ok(self) -> bool:
        """True when nothing is overdue and nothing was violated."""
        return not self.overdue and not self.violations

    def deadline(self, rule_id: str) -> tuple[Deadline, ...]:
        """The deadlines of one rule, in due-date order."""
        return tuple(d for d in self.deadlines if d.rule_id == rule_id)
