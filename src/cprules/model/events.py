"""Case events: the timeline of dated facts (part of format ``cprules-case/1``).

Every event has a ``type`` from a closed vocabulary (:data:`EVENT_TYPES`), a ``date``
(a date, or a date and time), an optional ``id`` that other events can refer to, and
fields of its own. The format is documented for case-system developers in
``docs/case-facts.md`` and published as a JSON Schema (``cprules schema case``).

Times: a datetime with a time zone is converted to UK local time (Europe/London); one
without a zone is taken to be UK local time already.
"""

from __future__ import annotations

import datetime as _dt
from typing import Annotated, Any, Literal, Union, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from .jsonformats import date_schema, time_schema
from .problems import problem
from .strict import strict_types
from .times import uk_time
from .vocabulary import Agency, Category, ConferenceKind, DocumentKind, RecordedFact

__all__ = [
    "EVENT_MODELS",
    "EVENT_TYPES",
    "AssessmentCompleted",
    "Attendee",
    "BecameLookedAfter",
    "Birth",
    "CinNetworkMeeting",
    "CinPlanEnd",
    "CinPlanStart",
    "CinReview",
    "Conference",
    "ConferenceCancelled",
    "ConferenceRequested",
    "CoreGroup",
    "CoreGroupResponse",
    "DocumentSent",
    "EmergencyProtectionOrder",
    "Event",
    "ExclusionDecision",
    "ExclusionRequest",
    "ExpectedDelivery",
    "InvitationDetailsConfirmed",
    "InvitationsSent",
    "LookedAfterReview",
    "ManagementAdvice",
    "MovedIntoArea",
    "MovedOutOfArea",
    "PermanentMoveAgreed",
    "PlanEnd",
    "PlanStart",
    "RecordAmendmentReceived",
    "ReportShared",
    "ReportSubmitted",
    "ReturnedToCarers",
    "Section47Concluded",
    "StrategyDiscussion",
    "SupervisionOrder",
    "TransferNotification",
    "TransferNotificationSent",
    "Visit",
]

class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    # dates are ISO strings or dates, booleans true or false (cprules.model.strict)
    _strict_types = model_validator(mode="before")(strict_types)


class Attendee(_Frozen):
    """Someone at a conference: the agency counts for quoracy, not the person."""

    agency: Agency
    role: str | None = Field(default=None, max_length=200)
    direct_contact: bool = True


def moment_of(raw: Any) -> _dt.datetime | None:
    """The moment a ``date`` value names when it carries a time of day (a ``datetime``, or
    text longer than a date that :meth:`datetime.fromisoformat` reads), as an aware UK
    local time (:func:`~cprules.model.times.uk_time`, whose ``ValueError`` it raises);
    None for anything else (a date, or text left to the date validator). The one reading
    of a time in ``date``, for the validators here and the fast path
    (:mod:`cprules.model.fast`)."""
    moment: _dt.datetime | None = None
    if isinstance(raw, _dt.datetime):
        moment = raw
    elif isinstance(raw, str) and len(raw.strip()) > 10:
        try:
            moment = _dt.datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
        except ValueError:
            return None  # left to the date validator, which names the problem
    if moment is None:
        return None
    return uk_time(moment)


def _split_when(data: Any) -> Any:
    """Accept ``date`` as a date or a datetime; keep the (UK local) day in ``date`` and the
    moment in ``at`` (an aware UK local time: :func:`~cprules.model.times.uk_time`)."""
    if not isinstance(data, dict) or "date" not in data:
        return data
    try:
        moment = moment_of(data["date"])
    except ValueError as exc:
        raise problem(str(exc), at=("date",)) from None
    if moment is None:
        return data
    out = dict(data)
    out["date"] = moment.date()
    if out.get("at") is not None and out["at"] != moment:
        raise ValueError("'at' disagrees with the time given in 'date'")
    out["at"] = moment
    return out


_WHEN_SCHEMA = WithJsonSchema(
    {
        "description": "The day (YYYY-MM-DD), or the day and time (ISO 8601; with a zone it "
        "is converted to UK local time).",
        # with a pattern, as the loader reads them (cprules.model.jsonformats)
        "anyOf": [date_schema(), *time_schema("validation")["anyOf"]],
    }
)


class _EventBase(_Frozen):
    id: str | None = Field(default=None, min_length=1, max_length=100)
    date: Annotated[_dt.date, _WHEN_SCHEMA]
    at: _dt.datetime | None = Field(
        default=None,
        description="Set from 'date' when it carries a time of day: UK local time, with "
        "its offset.",
    )
    children: tuple[str, ...] | None = Field(
        default=None, description="Ids of the children this event concerns; all when absent."
    )
    note: str | None = Field(default=None, max_length=2000)

    @model_validator(mode="before")
    @classmethod
    def _when(cls, data: Any) -> Any:
        return _split_when(data)

    @field_validator("at")
    @classmethod
    def _uk_local(cls, v: _dt.datetime | None) -> _dt.datetime | None:
        return None if v is None else uk_time(v)

    @model_validator(mode="after")
    def _at_matches_date(self) -> _EventBase:
        if self.at is not None and self.at.date() != self.date:
            raise ValueError("'at' is on a different day from 'date'")
        return self


class _ConferenceRef(_EventBase):
    conference: str | None = Field(
        default=None,
        description="Id of the conference this event belongs to. When absent, the event "
        "belongs to the next conference after it (reports) or the last one before it "
        "(records).",
    )


# --- the timeline -------------------------------------------------------------------


class StrategyDiscussion(_EventBase):
    """A strategy discussion or meeting."""

    type: Literal["strategy_discussion"]
    s47_initiated: bool = Field(
        default=False, description="Section 47 enquiries were initiated at this discussion."
    )
    icpc_agreed: bool = Field(
        default=False, description="The discussion agreed that an initial conference is needed."
    )
    agencies: tuple[Agency, ...] = Field(
        default=(), description="Agencies represented at the discussion (empty: not recorded)."
    )


class Section47Concluded(_EventBase):
    """Section 47 enquiries concluded; ``icpc_required`` false ends the ICPC timescale."""

    type: Literal["s47_concluded"]
    icpc_required: bool


class ConferenceRequested(_EventBase):
    """A request to book a conference (e.g. the social worker's ICPC request)."""

    type: Literal["conference_requested"]
    kind: ConferenceKind = ConferenceKind.initial


class EmergencyProtectionOrder(_EventBase):
    type: Literal["emergency_protection_order"]
    ends_on: _dt.date = Field(description="The day the order ends.")


class AssessmentCompleted(_EventBase):
    type: Literal["assessment_completed"]


class LookedAfterReview(_EventBase):
    """A looked-after child review; ``convene_icpc`` when it decided to convene an ICPC."""

    type: Literal["looked_after_review"]
    convene_icpc: bool = False


class Conference(_EventBase):
    """A child protection conference, held or (``planned``) booked."""

    type: Literal["conference"]
    kind: ConferenceKind
    outcome: Literal["plan", "no_plan"] | None = Field(
        default=None,
        description="plan: the child is (or stays) subject to a plan; no_plan: not made "
        "subject to one, or the plan is discontinued.",
    )
    planned: bool = Field(
        default=False, description="Booked but not yet held: an anchor for deadlines "
        "before it, never a conference that meets a deadline.",
    )
    virtual: bool = False
    attendees: tuple[Attendee, ...] = ()
    invited: tuple[Agency, ...] = Field(default=(), description="Agencies invited.")
    categories: tuple[Category, ...] = ()
    categories_reason: str | None = Field(
        default=None, max_length=2000,
        description="The recorded reason for using more than one category.",
    )
    exploitation: bool = Field(
        default=False, description="Exploitation is present or suspected."
    )
    inquorate_reason: Literal[
        "no_contact_with_three_agencies", "sufficient_information", "delay_detrimental"
    ] | None = Field(
        default=None,
        description="Why an inquorate conference went ahead, as recorded by the chair.",
    )
    discontinuation_reason: str | None = Field(
        default=None, max_length=100,
        description="With outcome no_plan at a review: why the plan ended (a reason id of "
        "the ruleset's discontinuation_reasons list).",
    )
    recorded: tuple[RecordedFact, ...] = Field(
        default=(), description="Facts the conference recorded (see the list below)."
    )

    @model_validator(mode="after")
    def _planned_has_no_outcome(self) -> Conference:
        if self.planned and self.outcome is not None:
            raise ValueError("a planned conference has no outcome yet")
        return self


class InvitationsSent(_ConferenceRef):
    type: Literal["invitations_sent"]


class InvitationDetailsConfirmed(_ConferenceRef):
    """The details for a conference's invitations confirmed to the conference service."""

    type: Literal["invitation_details_confirmed"]


class ExclusionRequest(_ConferenceRef):
    """A representation that a family member be excluded from a conference."""

    type: Literal["exclusion_request"]
    from_agency: Agency
    person: str | None = Field(default=None, max_length=200)
    grounds: tuple[str, ...] = ()
    evidence: str | None = Field(default=None, max_length=5000)


class ExclusionDecision(_ConferenceRef):
    """The chair's decision on excluding a family member from a conference."""

    type: Literal["exclusion_decision"]
    person: str | None = Field(default=None, max_length=200)
    excluded: bool = True
    decided: Literal["before_conference", "during_conference"] = "before_conference"
    grounds: tuple[str, ...] = Field(
        default=(), description="Ground ids from the ruleset's exclusion_grounds list."
    )
    duration: str | None = Field(
        default=None, max_length=500, description="How long the exclusion lasts (e.g. "
        "'whole conference', 'police information item')."
    )
    recorded_in_minutes: bool = False
    written_notice: tuple[Literal["how_to_give_views", "how_outcome_told",
                                  "complaints_procedure"], ...] = Field(
        default=(),
        description="What the written notice to the excluded person covered; empty when "
        "no written notice was sent.",
    )


class ConferenceCancelled(_ConferenceRef):
    """A conference cancelled or stood down."""

    type: Literal["conference_cancelled"]
    reason: Literal[
        "inquorate",
        "invitations_late",
        "report_not_signed_off",
        "report_not_shared_with_parents",
        "insufficient_information",
        "other",
    ]


class CoreGroup(_EventBase):
    type: Literal["core_group"]
    planned: bool = False
    minutes_by_other_professional: bool = Field(
        default=False,
        description="Minutes were taken by a professional other than the social worker.",
    )


class Visit(_EventBase):
    """A visit to the child by the social worker."""

    type: Literal["visit"]
    seen_alone: bool = False
    at_home: bool = True
    bedroom_seen: bool = False


class ReportSubmitted(_ConferenceRef):
    """An agency's report for a conference, made available to someone."""

    type: Literal["report_submitted"]
    from_agency: Agency
    to: Literal["chair", "administrators"] = Field(
        description="chair: the conference chair / Independent Reviewing Officer; "
        "administrators: the conference administrators or IRO team."
    )


class ReportShared(_ConferenceRef):
    """An agency's report shared with the family."""

    type: Literal["report_shared"]
    from_agency: Agency
    with_: Literal["parents", "child", "family"] = Field(alias="with")

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)



class DocumentSent(_ConferenceRef):
    """A document distributed after a meeting."""

    type: Literal["document_sent"]
    document: DocumentKind
    to: tuple[str, ...] = ()


class RecordAmendmentReceived(_ConferenceRef):
    type: Literal["record_amendment_received"]


class PlanStart(_EventBase):
    """A plan started other than at a conference in this timeline."""

    type: Literal["plan_start"]
    categories: tuple[Category, ...] = ()


class PlanEnd(_EventBase):
    """A plan ended other than at a conference (moved away, turned 18, died ...)."""

    type: Literal["plan_end"]
    recorded: tuple[RecordedFact, ...] = ()
    reason: Literal[
        "no_longer_at_risk",
        "moved_to_another_authority",
        "turned_18",
        "died",
        "left_uk",
        "looked_after",
        "other",
    ]


class ExpectedDelivery(_EventBase):
    """The expected date of delivery of an unborn child. Added by the evaluator from each
    unborn child's ``expected_date_of_delivery`` unless the case records one itself."""

    type: Literal["expected_delivery"]
    child: str | None = Field(default=None, description="Id of the unborn child.")


class Birth(_EventBase):
    type: Literal["birth"]
    child: str | None = Field(default=None, description="Id of the child born.")


class TransferNotification(_EventBase):
    """Notification from another authority that a child subject to a plan has moved in."""

    type: Literal["transfer_notification"]
    from_authority: str | None = None
    permanent: bool = Field(
        default=True, description="The move is permanent (false: a temporary stay)."
    )


class MovedIntoArea(_EventBase):
    """A child subject to another authority's plan moved into the area."""

    type: Literal["moved_into_area"]
    permanent: bool = True


class MovedOutOfArea(_EventBase):
    """A child subject to this authority's plan moved to another authority's area."""

    type: Literal["moved_out_of_area"]
    permanent: bool = True
    to_authority: str | None = None


class TransferNotificationSent(_EventBase):
    """This authority notified the receiving authority of a move."""

    type: Literal["transfer_notification_sent"]


class PermanentMoveAgreed(_EventBase):
    """It was agreed that a child subject to another authority's plan has moved into the
    area permanently."""

    type: Literal["permanent_move_agreed"]


class BecameLookedAfter(_EventBase):
    type: Literal["became_looked_after"]


class CoreGroupResponse(_EventBase):
    """A core group member's reply (e.g. to the chair's letter when a child becomes looked
    after)."""

    type: Literal["core_group_response"]
    from_agency: Agency


class ManagementAdvice(_EventBase):
    """Advice sought from, or a discussion with, a manager."""

    type: Literal["management_advice"]
    from_: Literal["team_manager", "service_manager", "group_manager", "iro_manager", "legal"] = (
        Field(alias="from")
    )
    topic: str | None = Field(default=None, max_length=500)

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class SupervisionOrder(_EventBase):
    """A supervision order made at the end of care proceedings."""

    type: Literal["supervision_order"]
    ends_on: _dt.date


class ReturnedToCarers(_EventBase):
    """A child returned to the carers in whose care the significant harm occurred."""

    type: Literal["returned_to_carers"]
    after_proceedings: bool = False


class CinPlanStart(_EventBase):
    """A child-in-need plan started (e.g. on stepping down from a protection plan)."""

    type: Literal["cin_plan_start"]
    after_protection_plan: bool = True


class CinPlanEnd(_EventBase):
    type: Literal["cin_plan_end"]
    agreed_by_all: bool = False


class CinReview(_EventBase):
    """A child-in-need review meeting."""

    type: Literal["cin_review"]


class CinNetworkMeeting(_EventBase):
    """A child-in-need network meeting (Derby)."""

    type: Literal["cin_network_meeting"]


Event = Annotated[
    Union[  # noqa: UP007 - a discriminated union needs the Union form here
        ExclusionDecision,
        ConferenceCancelled,
        StrategyDiscussion,
        Section47Concluded,
        ConferenceRequested,
        EmergencyProtectionOrder,
        AssessmentCompleted,
        LookedAfterReview,
        Conference,
        InvitationsSent,
        InvitationDetailsConfirmed,
        ExclusionRequest,
        CoreGroup,
        Visit,
        ReportSubmitted,
        ReportShared,
        DocumentSent,
        RecordAmendmentReceived,
        PlanStart,
        PlanEnd,
        ExpectedDelivery,
        Birth,
        TransferNotification,
        MovedIntoArea,
        MovedOutOfArea,
        TransferNotificationSent,
        PermanentMoveAgreed,
        BecameLookedAfter,
        CoreGroupResponse,
        ManagementAdvice,
        SupervisionOrder,
        ReturnedToCarers,
        CinPlanStart,
        CinPlanEnd,
        CinReview,
        CinNetworkMeeting,
    ],
    Field(discriminator="type"),
]

_EVENT_CLASSES: tuple[type[_EventBase], ...] = get_args(get_args(Event)[0])

#: Event type name -> model class.
EVENT_MODELS: dict[str, type[_EventBase]] = {
    get_args(cls.model_fields["type"].annotation)[0]: cls for cls in _EVENT_CLASSES
}
EVENT_TYPES: tuple[str, ...] = tuple(EVENT_MODELS)
