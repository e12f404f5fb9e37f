"""Rules: the kinds a ruleset's rules can be, each citing its source.

Rule kinds (the ``kind`` field):

- ``deadline``: something must happen within a time of a trigger event, or at least a
  time before it (reports before a conference), or by whichever of two times is sooner.
- ``recurring``: something must happen at intervals of not more than a time, counted
  from the previous occurrence, while the child is subject to a plan.
- ``minimum_period``: something must last at least a time.
- ``check`` and ``obligation``: decision rules on a subject event.

The authoring guide for policy leads is ``docs/authoring.md``.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, Discriminator, Field, Tag, field_validator, model_validator

from .base import Citation, Frozen
from .conditions import Condition, _check_subject_fields
from .duration import Duration
from .events import EVENT_MODELS
from .filters import EventFilter, Trigger
from .vocabulary import Agency

_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$")

class DurationVersion(Frozen):
    """One value of a timescale that changed over time, in force from ``from`` to
    ``until`` (both inclusive). The first version may omit ``from`` (in force since
    before the earliest revision the ruleset records); the last may omit ``until``."""

    from_: _dt.date | None = Field(default=None, alias="from")
    until: _dt.date | None = None
    value: Duration
    source: Citation | None = None
    note: str | None = None

__all__ = [
    "DECISION_KINDS",
    "RULE_KINDS",
    "AfterSpec",
    "BeforeSpec",
    "CheckRule",
    "DeadlineRule",
    "DueSpec",
    "DurationVersion",
    "FieldDateSpec",
    "MinimumPeriodRule",
    "ObligationRule",
    "RecurringRule",
    "Rule",
    "TimedDuration",
    "WhicheverSpec",
    "check_versions",
]


TimedDuration = Annotated[
    Union[Duration, tuple[DurationVersion, ...]],  # noqa: UP007
    Field(description="A duration, or a list of dated versions of one."),
]


def check_versions(versions: tuple[DurationVersion, ...]) -> None:
    """Versions must be in date order with neither gap nor overlap."""
    if not versions:
        raise ValueError("a versioned value needs at least one version")
    for i, v in enumerate(versions):
        if i > 0 and v.from_ is None:
            raise ValueError(f"version {i + 1} needs a 'from' date (only the first may omit it)")
        if v.from_ is not None and v.until is not None and v.until < v.from_:
            raise ValueError(f"version {i + 1} ends ({v.until}) before it starts ({v.from_})")
    for i in range(1, len(versions)):
        prev, cur = versions[i - 1], versions[i]
        assert cur.from_ is not None
        if prev.from_ is not None and cur.from_ <= prev.from_:
            raise ValueError(
                f"versions are out of order: version {i + 1} starts {cur.from_}, not after "
                f"version {i} ({prev.from_})"
            )
        if prev.until is not None:
            expected = prev.until + _dt.timedelta(days=1)
            if cur.from_ > expected:
                raise ValueError(
                    f"gap between versions: version {i} ends {prev.until} but version "
                    f"{i + 1} starts {cur.from_} (no value in force from {expected})"
                )
            if cur.from_ < expected:
                raise ValueError(
                    f"overlap between versions: version {i} runs until {prev.until} but "
                    f"version {i + 1} starts {cur.from_}"
                )


class AfterSpec(Frozen):
    """Due within a time after the trigger (or after another event, ``after``)."""

    within: TimedDuration
    after: Literal["trigger"] | EventFilter = Field(
        default="trigger",
        description="'trigger', or an event filter: the first matching event on or after "
        "the trigger.",
    )

    @field_validator("within")
    @classmethod
    def _versions(cls, v: Any) -> Any:
        if isinstance(v, tuple):
            check_versions(v)
        return v


class BeforeSpec(Frozen):
    """Due at least a time before the trigger (a conference)."""

    at_least: TimedDuration
    before: Literal["trigger"] = "trigger"

    @field_validator("at_least")
    @classmethod
    def _versions(cls, v: Any) -> Any:
        if isinstance(v, tuple):
            check_versions(v)
        return v


class FieldDateSpec(Frozen):
    """Due on or before a date field of the trigger event (e.g. an order's end)."""

    on_or_before: str = Field(description="A date field of the trigger event.")


class WhicheverSpec(Frozen):
    """Due at the sooner (or later) of two or more ``within`` times."""

    whichever: Literal["sooner", "later"]
    of: tuple[AfterSpec, ...] = Field(min_length=2)


def _due_tag(v: Any) -> str | None:
    if isinstance(v, dict):
        for key, tag in (
            ("whichever", "whichever"),
            ("at_least", "before"),
            ("on_or_before", "field"),
            ("within", "after"),
        ):
            if key in v:
                return tag
        return None
    tags: dict[type[BaseModel], str] = {
        WhicheverSpec: "whichever",
        BeforeSpec: "before",
        FieldDateSpec: "field",
        AfterSpec: "after",
    }
    return tags.get(type(v))


DueSpec = Annotated[
    Union[  # noqa: UP007
        Annotated[AfterSpec, Tag("after")],
        Annotated[BeforeSpec, Tag("before")],
        Annotated[FieldDateSpec, Tag("field")],
        Annotated[WhicheverSpec, Tag("whichever")],
    ],
    Discriminator(
        _due_tag,
        custom_error_type="due_form",
        custom_error_message="'due' needs one of: within, at_least, on_or_before, whichever",
    ),
]


class _RuleBase(Frozen):
    id: str = Field(
        description="Dotted lower-case id, shared across partnerships for the same "
        "obligation (e.g. icpc.timing)."
    )
    title: str = Field(min_length=3, description="What must be done, in plain words.")
    responsible: str | None = Field(default=None, description="Who must do it.")
    severity: Literal["error", "warning"] = Field(
        default="error",
        description="warning where the text says 'if possible' or 'should normally'.",
    )
    variants: tuple[str, ...] | None = Field(
        default=None, description="The variants this rule applies to; all when absent."
    )
    source: Citation
    note: str | None = Field(
        default=None, description="The reading taken where the text is ambiguous or silent."
    )

    @field_validator("id")
    @classmethod
    def _id_form(cls, v: str) -> str:
        if not _ID.fullmatch(v):  # not match: '$' would accept a final newline
            raise ValueError(
                f"'{v}' is not a rule id: use lower-case words joined by dots, e.g. "
                "'icpc.timing'"
            )
        return v


class DeadlineRule(_RuleBase):
    kind: Literal["deadline"]
    trigger: Trigger
    due: DueSpec
    satisfied_by: EventFilter
    per: str | None = Field(
        default=None,
        description="For 'at_least ... before' rules: one deadline per distinct value of "
        "this field of the satisfying events (e.g. from_agency: one per agency's report).",
    )
    expected_from: tuple[Agency | Literal["invited", "attendees", "reported"], ...] = Field(
        default=(),
        description="With per: from_agency on an 'at_least ... before' rule: agencies whose "
        "report is expected even when they sent none (one deadline each, overdue or pending "
        "when missing): named agencies, the agencies the conference invited, those that "
        "attended, and (reported) those that sent a report for it to anyone.",
    )
    cancelled_by: tuple[EventFilter | Literal["plan_end"], ...] = Field(
        default=(),
        description="Events that withdraw the deadline when they happen after the trigger "
        "(for 'at_least ... before' rules: in the conference's window) and before it is "
        "met, no later than its due date (plan_end: the child's plan ended).",
    )
    select: Literal["first", "last"] = Field(
        default="first",
        description="Which satisfying event counts when several qualify: the first, or "
        "(for 'at_least ... before' rules) the last before the conference, e.g. the final "
        "core group before a review.",
    )
    when_present: bool = Field(
        default=False,
        description="Only when a satisfying event exists: an optional step that, if taken, "
        "must be taken in time (e.g. a request to exclude a parent).",
    )

    @model_validator(mode="after")
    def _consistent(self) -> DeadlineRule:
        if isinstance(self.due, FieldDateSpec):
            model = EVENT_MODELS[self.trigger.event]
            f = model.model_fields.get(self.due.on_or_before)
            if f is None or "date" not in str(f.annotation):
                raise ValueError(
                    f"'{self.due.on_or_before}' is not a date field of event "
                    f"'{self.trigger.event}'"
                )
        if self.per is not None:
            model = EVENT_MODELS[self.satisfied_by.event]
            names = {f.alias or n for n, f in model.model_fields.items()}
            if self.per not in names:
                raise ValueError(
                    f"per: '{self.per}' is not a field of event '{self.satisfied_by.event}'"
                )
            if not isinstance(self.due, BeforeSpec):
                raise ValueError("per is only for 'at_least ... before' deadlines")
        if self.expected_from and self.per != "from_agency":
            raise ValueError("expected_from needs per: from_agency")
        return self


class RecurringRule(_RuleBase):
    kind: Literal["recurring"]
    interval: TimedDuration = Field(
        description="Not more than this between one occurrence and the next."
    )
    satisfied_by: EventFilter
    start: EventFilter | None = Field(
        default=None,
        description="Count from the first matching event while the child is subject to a "
        "plan; from the start of the plan when absent.",
    )
    not_before_birth: bool = Field(
        default=False,
        description="For a plan made before the child was born (a pre-birth plan), count "
        "from the birth: e.g. visits at which the child must be seen.",
    )
    cancelled_by: tuple[EventFilter, ...] = Field(
        default=(),
        description="Events that stop the chain, as the end of the plan does: from the "
        "first such event no occurrence counts and no later due date is reported (e.g. the "
        "child became looked after).",
    )
    during: Literal["plan", "child_in_need_plan"] = Field(
        default="plan",
        description="plan: while the child is subject to a child protection plan; "
        "child_in_need_plan: while a child-in-need plan lasts (cin_plan_start to "
        "cin_plan_end).",
    )

    @field_validator("interval")
    @classmethod
    def _versions(cls, v: Any) -> Any:
        if isinstance(v, tuple):
            check_versions(v)
        return v


class MinimumPeriodRule(_RuleBase):
    """Something must last at least a time (or until a date of the trigger event):
    ending it sooner is a violation."""

    kind: Literal["minimum_period"]
    trigger: Trigger
    period: TimedDuration | None = Field(
        default=None, description="How long it must last at least."
    )
    until: str | None = Field(
        default=None, description="Or: a date field of the trigger event it must last until."
    )
    ended_by: tuple[EventFilter | Literal["plan_end"], ...] = Field(
        min_length=1, description="What ends it (plan_end: the child's plan ended)."
    )
    allowed_if: tuple[EventFilter, ...] = Field(
        default=(),
        description="Ending events matching one of these are permitted early (e.g. ended "
        "by agreement of all members).",
    )

    @model_validator(mode="after")
    def _one_length(self) -> MinimumPeriodRule:
        if (self.period is None) == (self.until is None):
            raise ValueError("give exactly one of 'period' and 'until'")
        if isinstance(self.period, tuple):
            check_versions(self.period)
        if self.until is not None:
            model = EVENT_MODELS[self.trigger.event]
            f = model.model_fields.get(self.until)
            if f is None or "date" not in str(f.annotation):
                raise ValueError(
                    f"'{self.until}' is not a date field of event '{self.trigger.event}'"
                )
        return self


class _DecisionBase(_RuleBase):
    subject: EventFilter | list[EventFilter] = Field(
        description="The events the rule applies to (held, up to the as-of date): one "
        "filter or a list of them."
    )
    when: Condition | None = None

    @property
    def subjects(self) -> tuple[EventFilter, ...]:
        return tuple(self.subject) if isinstance(self.subject, list) else (self.subject,)

    def _check_fields(self, **conds: Any) -> None:
        for subject in self.subjects:
            for where, cond in conds.items():
                if cond is not None:
                    _check_subject_fields(subject, cond, where)


class CheckRule(_DecisionBase):
    """For each subject event where ``when`` holds, ``require`` must hold; otherwise a
    violation (a warning with ``severity: warning``, for advice such as "would not
    normally")."""

    kind: Literal["check"]
    require: Condition

    @model_validator(mode="after")
    def _fields(self) -> CheckRule:
        self._check_fields(when=self.when, require=self.require)
        return self


class ObligationRule(_DecisionBase):
    """For each subject event where ``when`` holds, something must be done: an obligation,
    until an event matching ``satisfied_by`` on or after the subject (held, or planned)
    shows it was done or arranged."""

    kind: Literal["obligation"]
    satisfied_by: EventFilter | None = None
    arises_after: Duration | None = Field(
        default=None,
        description="The duty arises only this long after the subject, and only if the "
        "plan the subject falls in still lasts then (e.g. 24 months: once a plan has lasted "
        "two years); it is met only by an event on or after that point.",
    )

    @model_validator(mode="after")
    def _fields(self) -> ObligationRule:
        self._check_fields(when=self.when)
        return self


def _rule_tag(v: Any) -> str | None:
    if isinstance(v, dict):
        kind = v.get("kind")
        return kind if isinstance(kind, str) else None
    return getattr(v, "kind", None)


Rule = Annotated[
    Union[  # noqa: UP007
        Annotated[DeadlineRule, Tag("deadline")],
        Annotated[RecurringRule, Tag("recurring")],
        Annotated[MinimumPeriodRule, Tag("minimum_period")],
        Annotated[CheckRule, Tag("check")],
        Annotated[ObligationRule, Tag("obligation")],
    ],
    Discriminator(
        _rule_tag,
        custom_error_type="rule_kind",
        custom_error_message="'kind' must be one of: deadline, recurring, minimum_period, "
        "check, obligation",
    ),
]

RULE_KINDS = ("deadline", "recurring", "minimum_period", "check", "obligation")
DECISION_KINDS = ("check", "obligation")
