"""Case events: the timeline of dated facts (part of format ``cprules-case/1``).

Every event has a ``type`` from a closed vocabulary (:data:`EVENT_TYPES`), a ``date``
(a date, or a date and time), an optional ``id`` that other events can refer to, and
fields of its own. The format is documented for case-system developers in
``docs/case-facts.md`` and published as a JSON Schema (``cprules schema case``).

Times: a datetime with a time zone is converted to UK local time (Europe/London); one
without a zone is taken to be UK local time already.

The frozen base of every event (``date``, ``at``, ``id``, ``children``, ``note``) is in
:mod:`cprules.model.event_base`, the conference and the events that belong to one in
:mod:`cprules.model.conference_events`; the other event types are here, with the
:data:`Event` union of them all. Every event class is importable from here.
"""

from __future__ import annotations

import datetime as _dt
from typing import Annotated, Literal, Union, get_args

from pydantic import ConfigDict, Field

from .conference_events import (
    Attendee,
    Conference,
    ConferenceCancelled,
    DocumentSent,
    ExclusionDecision,
    ExclusionRequest,
    InvitationDetailsConfirmed,
    InvitationsSent,
    RecordAmendmentReceived,
    ReportShared,
    ReportSubmitted,
)
from .event_base import _WHEN_SCHEMA as _WHEN_SCHEMA
from .event_base import _ConferenceRef as _ConferenceRef
from .event_base import _EventBase
from .event_base import _Frozen as _Frozen
from .event_base import _split_when as _split_when
from .event_base import moment_of as moment_of
from .vocabulary import Agency, Category, ConferenceKind, RecordedFact

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
