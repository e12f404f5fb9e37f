"""The ruleset format (``cprules-ruleset/1``): frozen models, no I/O.

A ruleset is one partnership's procedure as data: its source documents, its revision
table, optional variants (local authorities that share a procedure but differ in places),
and its rules. Each rule cites the paragraph it encodes.

Rule kinds (the ``kind`` field):

- ``deadline``: something must happen within a time of a trigger event, or at least a
  time before it (reports before a conference), or by whichever of two times is sooner.
- ``recurring``: something must happen at intervals of not more than a time, counted
  from the previous occurrence, while the child is subject to a plan.

The authoring guide for policy leads is ``docs/authoring.md``.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Annotated, Any, Final, Literal, Union

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    TypeAdapter,
    ValidationError,
    field_validator,
    model_validator,
)

from .case import EVENT_MODELS, EVENT_TYPES, Agency, RecordedFact
from .duration import Duration

__all__ = [
    "RULESET_FORMAT",
    "AfterSpec",
    "BeforeSpec",
    "CheckRule",
    "Citation",
    "Condition",
    "DeadlineRule",
    "DocumentVersion",
    "DurationVersion",
    "EventFilter",
    "FieldDateSpec",
    "MinimumPeriodRule",
    "ObligationRule",
    "RecurringRule",
    "Rule",
    "Ruleset",
    "SourceDocument",
    "TimedDuration",
    "Trigger",
    "Variant",
    "WhicheverSpec",
]

RULESET_FORMAT: Final = "cprules-ruleset/1"
_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Citation(_Frozen):
    """Where a rule comes from: the seed file, the paragraph or heading, a short quote."""

    file: str = Field(description="Source file name, one of the ruleset's sources.")
    section: str = Field(
        min_length=1, description="Paragraph number (e.g. '2.16') or heading."
    )
    quote: str = Field(
        min_length=3, max_length=600, description="Words copied exactly from the source."
    )


class DurationVersion(_Frozen):
    """One value of a timescale that changed over time, in force from ``from`` to
    ``until`` (both inclusive). The first version may omit ``from`` (in force since
    before the earliest revision the ruleset records); the last may omit ``until``."""

    from_: _dt.date | None = Field(default=None, alias="from")
    until: _dt.date | None = None
    value: Duration
    source: Citation | None = None
    note: str | None = None


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


Scalar = Union[str, int, bool]  # noqa: UP007


class EventFilter(_Frozen):
    """Events of one type, optionally narrowed by field values.

    ``where`` maps a field of the event to a value, or to a list of values any of which
    matches: ``{kind: [initial, transfer_in], outcome: plan}``.
    """

    event: str = Field(description="An event type from the case-facts vocabulary.")
    where: dict[str, Scalar | list[Scalar]] = Field(default_factory=dict)

    @field_validator("event")
    @classmethod
    def _known_event(cls, v: str) -> str:
        if v not in EVENT_MODELS:
            from difflib import get_close_matches

            close = get_close_matches(v, EVENT_TYPES, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            raise ValueError(f"unknown event type '{v}'{hint}")
        return v

    @model_validator(mode="after")
    def _known_fields(self) -> EventFilter:
        model = EVENT_MODELS[self.event]
        fields = {
            name: (f.alias or name)
            for name, f in model.model_fields.items()
            if name not in {"type", "date", "at", "note", "id"}
        }
        by_alias = {alias: name for name, alias in fields.items()}
        for key, want in self.where.items():
            if key not in by_alias:
                from difflib import get_close_matches

                close = get_close_matches(key, list(by_alias), n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                allowed = ", ".join(sorted(by_alias)) or "none"
                raise ValueError(
                    f"@where.{key}: event '{self.event}' has no field '{key}' "
                    f"(fields: {allowed}){hint}"
                )
            values = want if isinstance(want, list) else [want]
            field = model.model_fields[by_alias[key]]
            adapter: TypeAdapter[Any] = TypeAdapter(field.annotation or Any)
            for value in values:
                probe = [value] if str(field.annotation).startswith("tuple") else value
                try:
                    adapter.validate_python(probe)
                except ValidationError as exc:
                    raise ValueError(
                        f"@where.{key}: '{value}' is not a valid value of "
                        f"{self.event}.{key}: {exc.errors()[0]['msg']}"
                    ) from None
        return self

    def describe(self) -> str:
        if not self.where:
            return self.event
        conds = ", ".join(
            f"{k} {'in' if isinstance(v, list) else '='} {v}" for k, v in self.where.items()
        )
        return f"{self.event} ({conds})"


class Trigger(EventFilter):
    """The event a deadline runs from (or, for ``before`` deadlines, the conference it
    runs back from).

    - ``occurrence``: ``each`` matching event starts a deadline (default), or only the
      ``first`` or ``last`` in the timeline.
    - ``following``: only the first matching event on or after each event matching this
      filter (e.g. the first core group after each initial conference).
    - ``requires``: only events with an event matching this filter (or one of a list of
      filters) on or before them (e.g. a birth after a pre-birth conference), no more than
      ``requires_within``
      before them when that is given.
    - ``nth_in_plan``: only the n-th matching event of each period the child is subject
      to a plan (e.g. 3 for the third review conference).
    - ``otherwise``: when no event in the case matches, use the events matching this
      filter instead (e.g. the strategy discussion that agreed to the conference; where
      none is recorded as agreeing to it, the one that initiated section 47 enquiries).
    """

    occurrence: Literal["each", "first", "last"] = "each"
    following: EventFilter | None = None
    requires: EventFilter | list[EventFilter] | None = None
    requires_within: Duration | None = Field(
        default=None, description="With requires: only a matching event no more than this "
        "long before the trigger counts (e.g. 40 weeks: during the pregnancy)."
    )
    nth_in_plan: int | None = Field(default=None, ge=1, le=100)
    otherwise: EventFilter | None = None


class AfterSpec(_Frozen):
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


class BeforeSpec(_Frozen):
    """Due at least a time before the trigger (a conference)."""

    at_least: TimedDuration
    before: Literal["trigger"] = "trigger"

    @field_validator("at_least")
    @classmethod
    def _versions(cls, v: Any) -> Any:
        if isinstance(v, tuple):
            check_versions(v)
        return v


class FieldDateSpec(_Frozen):
    """Due on or before a date field of the trigger event (e.g. an order's end)."""

    on_or_before: str = Field(description="A date field of the trigger event.")


class WhicheverSpec(_Frozen):
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


class _RuleBase(_Frozen):
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
        if not _ID.match(v):
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
    cancelled_by: tuple[EventFilter | Literal["plan_end"], ...] = Field(
        default=(),
        description="Events that withdraw the deadline when they happen after the trigger "
        "and before it is met (plan_end: the child's plan ended).",
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


# --- decision rules ---------------------------------------------------------------------


class QuorumSpec(_Frozen):
    """Children's social care (``core``) plus at least ``others_at_least`` other agencies or
    professional groups with direct contact with the child. Agencies are counted, not
    people; agencies in one of the ruleset's ``agency_groups`` count once together."""

    core: Agency = Agency.childrens_social_care
    others_at_least: int = Field(ge=0, le=20)
    direct_contact_only: bool = True
    gp_report_counts_for_health_over_age: int | None = Field(
        default=None,
        description="A GP's report counts as health's attendance when a child is over this "
        "age and no other health practitioner attends.",
    )


class CountSpec(_Frozen):
    field: str
    at_most: int | None = Field(default=None, ge=0)
    at_least: int | None = Field(default=None, ge=0)


class ExistsSpec(EventFilter):
    """An event matching the filter, before (or after) the subject event: ``before``
    means on or before the subject's day, ``after`` on or after it; ``within`` bounds the
    distance. ``same_conference`` also accepts an event whose 'conference' field names
    the subject."""

    relative: Literal["before", "after"] = "before"
    within: Duration | None = None


class VocabularySpec(_Frozen):
    field: str
    vocabulary: str = Field(description="A list under the ruleset's vocabularies.")


class FieldCond(_Frozen):
    field: dict[str, Scalar | list[Scalar] | None] = Field(
        description="Fields of the subject event and the values any of which matches; null "
        "matches a field not recorded."
    )


class RecordedCond(_Frozen):
    recorded: RecordedFact | list[RecordedFact]


class QuorateCond(_Frozen):
    quorate: QuorumSpec


class AttendedCond(_Frozen):
    attended_by: list[Agency] = Field(min_length=1)


class InvitedCond(_Frozen):
    invited: list[Agency] = Field(min_length=1)


class CountCond(_Frozen):
    count: CountSpec


class ExistsCond(_Frozen):
    exists: ExistsSpec


class FirstReviewCond(_Frozen):
    first_review: bool = Field(
        description="The subject is (true) / is not (false) the first review conference of "
        "the plan."
    )


class ChildAgeCond(_Frozen):
    child_older_than: int = Field(ge=0, le=25, description="Some child is older than this "
                                  "many years on the subject's date.")


class InVocabularyCond(_Frozen):
    in_vocabulary: VocabularySpec


class AllCond(_Frozen):
    all: list[Condition] = Field(min_length=1)


class AnyCond(_Frozen):
    any: list[Condition] = Field(min_length=1)


class NotCond(_Frozen):
    not_: Condition = Field(alias="not")


_COND_CLASSES: dict[str, type[BaseModel]] = {
    "field": FieldCond,
    "recorded": RecordedCond,
    "quorate": QuorateCond,
    "attended_by": AttendedCond,
    "invited": InvitedCond,
    "count": CountCond,
    "exists": ExistsCond,
    "first_review": FirstReviewCond,
    "child_older_than": ChildAgeCond,
    "in_vocabulary": InVocabularyCond,
    "all": AllCond,
    "any": AnyCond,
    "not": NotCond,
}


def _cond_tag(v: Any) -> str | None:
    if isinstance(v, dict):
        keys = [k for k in v if k in _COND_CLASSES]
        return keys[0] if len(keys) == 1 and len(v) == 1 else None
    for tag, cls in _COND_CLASSES.items():
        if isinstance(v, cls):
            return tag
    return None


Condition = Annotated[
    Union[  # noqa: UP007
        Annotated[FieldCond, Tag("field")],
        Annotated[RecordedCond, Tag("recorded")],
        Annotated[QuorateCond, Tag("quorate")],
        Annotated[AttendedCond, Tag("attended_by")],
        Annotated[InvitedCond, Tag("invited")],
        Annotated[CountCond, Tag("count")],
        Annotated[ExistsCond, Tag("exists")],
        Annotated[FirstReviewCond, Tag("first_review")],
        Annotated[ChildAgeCond, Tag("child_older_than")],
        Annotated[InVocabularyCond, Tag("in_vocabulary")],
        Annotated[AllCond, Tag("all")],
        Annotated[AnyCond, Tag("any")],
        Annotated[NotCond, Tag("not")],
    ],
    Discriminator(
        _cond_tag,
        custom_error_type="condition_form",
        custom_error_message="a condition is a mapping with exactly one of: "
        + ", ".join(_COND_CLASSES),
    ),
]


for _cls in (AllCond, AnyCond, NotCond):
    _cls.model_rebuild()


def walk_conditions(cond: Any) -> list[Any]:
    """Every condition inside ``cond``, itself included."""
    out = [cond]
    if isinstance(cond, AllCond):
        for c in cond.all:
            out += walk_conditions(c)
    elif isinstance(cond, AnyCond):
        for c in cond.any:
            out += walk_conditions(c)
    elif isinstance(cond, NotCond):
        out += walk_conditions(cond.not_)
    return out


def _check_subject_fields(subject: EventFilter, cond: Any, where: str) -> None:
    """Field names in conditions must be fields of the subject event."""
    model = EVENT_MODELS[subject.event]
    names = {f.alias or n for n, f in model.model_fields.items()}
    for c in walk_conditions(cond):
        keys: list[str] = []
        if isinstance(c, FieldCond):
            keys = list(c.field)
        elif isinstance(c, CountCond):
            keys = [c.count.field]
        elif isinstance(c, InVocabularyCond):
            keys = [c.in_vocabulary.field]
        elif isinstance(c, RecordedCond):
            keys = ["recorded"]
        elif isinstance(c, (QuorateCond, AttendedCond)):
            keys = ["attendees"]
        elif isinstance(c, InvitedCond):
            keys = ["invited"]
        for k in keys:
            if k not in names:
                from difflib import get_close_matches

                close = get_close_matches(k, sorted(names), n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                raise ValueError(
                    f"@{where}: event '{subject.event}' has no field '{k}' (the facts a "
                    f"rule on '{subject.event}' can use: {', '.join(sorted(names))}){hint}"
                )


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

    @model_validator(mode="after")
    def _fields(self) -> ObligationRule:
        self._check_fields(when=self.when)
        return self


class VocabularyItem(_Frozen):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    text: str = Field(description="The ground or reason in the procedure's words.")
    permitted: bool = Field(
        default=True,
        description="false for an id that may be named (and checked against) but is not "
        "itself a permitted ground or reason, e.g. a previous exclusion.",
    )
    source: Citation | None = None


#: Case fields whose values are ids from one of the ruleset's vocabularies.
VOCABULARY_FIELDS = {"grounds": "exclusion_grounds",
                     "discontinuation_reason": "discontinuation_reasons"}


def _filters_of(rule: Any) -> list[tuple[str, EventFilter]]:
    out: list[tuple[str, EventFilter]] = []
    for name in ("trigger", "satisfied_by", "start"):
        f = getattr(rule, name, None)
        if isinstance(f, EventFilter):
            out.append((name, f))
            for extra in ("requires", "following", "otherwise"):
                g = getattr(f, extra, None)
                for k, h in enumerate(g if isinstance(g, list) else [g]):
                    if isinstance(h, EventFilter):
                        suffix = f"[{k}]" if isinstance(g, list) else ""
                        out.append((f"{name}.{extra}{suffix}", h))
    subject = getattr(rule, "subject", None)
    for i, f in enumerate(subject if isinstance(subject, list) else [subject]):
        if isinstance(f, EventFilter):
            out.append(("subject" if not isinstance(subject, list) else f"subject[{i}]", f))
    return out


def _vocabulary_values(rule: Any) -> list[tuple[str, str, Any]]:
    """(where, field, value) for every value a rule compares a vocabulary field with."""
    found: list[tuple[str, str, Any]] = []
    for where, f in _filters_of(rule):
        for key, value in f.where.items():
            found.append((f"{where}.where.{key}", key, value))
    for cname in ("when", "require"):
        cond = getattr(rule, cname, None)
        if cond is None:
            continue
        for c in walk_conditions(cond):
            if isinstance(c, FieldCond):
                found += [(cname, k, v) for k, v in c.field.items()]
            elif isinstance(c, ExistsCond):
                found += [(cname, k, v) for k, v in c.exists.where.items()]
    return [(w, k, v) for w, k, v in found if k in VOCABULARY_FIELDS]


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


class SourceDocument(_Frozen):
    file: str = Field(description="Seed file name, e.g. 000_84de5436ccf44314.txt.")
    title: str
    version: str | None = None
    date: _dt.date | None = None


class DocumentVersion(_Frozen):
    """A row of the procedure's revision table."""

    version: str
    date: _dt.date
    comment: str | None = None


class Variant(_Frozen):
    name: str = Field(description="The local authority's name.")


class Ruleset(_Frozen):
    """One partnership's procedure as data."""

    format: Literal["cprules-ruleset/1"] = Field(
        default=RULESET_FORMAT, alias="cprules", description="Format of this file."
    )
    partnership: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str
    version: str = Field(description="The procedure's version this ruleset encodes.")
    month_end: Literal["clip"] = Field(
        default="clip",
        description="How 'N months' treats a day missing from the target month: clip "
        "to the month's last day (31 Jan + 1 month = 28/29 Feb).",
    )
    sources: tuple[SourceDocument, ...] = Field(min_length=1)
    revisions: tuple[DocumentVersion, ...] = ()
    variants: dict[str, Variant] = Field(default_factory=dict)
    notes: tuple[str, ...] = Field(
        default=(), description="What the source leaves out, and general readings."
    )
    agency_groups: dict[str, list[Agency]] = Field(
        default_factory=dict,
        description="Agencies that count as one for quoracy (e.g. health: [health, gp, "
        "health_visitor, ...]).",
    )
    vocabularies: dict[str, list[VocabularyItem]] = Field(
        default_factory=dict,
        description="Named lists the rules refer to: exclusion_grounds, "
        "discontinuation_reasons. An empty list states that the text gives none.",
    )
    rules: tuple[Rule, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Ruleset:
        files = {s.file for s in self.sources}
        for i, rule in enumerate(self.rules):
            if rule.source.file not in files:
                raise ValueError(
                    f"@rules[{i}].source.file: source file '{rule.source.file}' is not one "
                    f"of the ruleset's sources ({', '.join(sorted(files))})"
                )
            for v in rule.variants or ():
                if v not in self.variants:
                    known = ", ".join(sorted(self.variants)) or "none declared"
                    raise ValueError(
                        f"@rules[{i}].variants: unknown variant '{v}' (variants: {known})"
                    )
        for i, rule in enumerate(self.rules):
            for where in ("when", "require"):
                cond = getattr(rule, where, None)
                if cond is None:
                    continue
                for c in walk_conditions(cond):
                    if isinstance(c, InVocabularyCond) and (
                            c.in_vocabulary.vocabulary not in self.vocabularies):
                        from difflib import get_close_matches

                        name = c.in_vocabulary.vocabulary
                        close = get_close_matches(name, list(self.vocabularies), n=1)
                        hint = f"; did you mean '{close[0]}'?" if close else ""
                        raise ValueError(
                            f"@rules[{i}].{where}: unknown vocabulary '{name}' "
                            f"(vocabularies: {', '.join(self.vocabularies) or 'none'}){hint}"
                        )
        for i, rule in enumerate(self.rules):
            for where, key, value in _vocabulary_values(rule):
                vocab = VOCABULARY_FIELDS[key]
                if vocab not in self.vocabularies:
                    continue
                ids = [item.id for item in self.vocabularies[vocab]]
                for v in value if isinstance(value, list) else [value]:
                    if v is not None and v not in ids:
                        from difflib import get_close_matches

                        close = get_close_matches(str(v), ids, n=1)
                        hint = f"; did you mean '{close[0]}'?" if close else ""
                        raise ValueError(
                            f"@rules[{i}].{where}: '{v}' is not an id in {vocab} "
                            f"({', '.join(ids) or 'empty'}){hint}"
                        )
        by_id: dict[str, list[tuple[int, frozenset[str]]]] = {}
        everyone = frozenset(self.variants) or frozenset({""})
        for i, rule in enumerate(self.rules):
            applies = frozenset(rule.variants) if rule.variants else everyone
            for j, other in by_id.get(rule.id, []):
                if applies & other:
                    raise ValueError(
                        f"@rules[{i}].id: duplicate rule id '{rule.id}' (also rules[{j}]); "
                        "an id may repeat only for different variants"
                    )
            by_id.setdefault(rule.id, []).append((i, applies))
        return self

    def rules_for(self, variant: str | None) -> tuple[Rule, ...]:
        """The rules that apply to ``variant`` (all variant-free rules, plus its own)."""
        return tuple(r for r in self.rules if r.variants is None or variant in r.variants)

    def rule(self, rule_id: str, variant: str | None = None) -> Rule:
        for r in self.rules_for(variant):
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)
