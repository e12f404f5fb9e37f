"""Case events about conferences: the conference itself (:class:`Conference`, and who
attended it, :class:`Attendee`), and the events that belong to one (invitations,
exclusion requests and decisions, cancellation, reports, documents sent, record
amendments), each naming its conference by id or belonging to the nearest one
(:class:`_ConferenceRef`).

Part of the case format with :mod:`cprules.model.events`, which re-exports them all.
"""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field, model_validator

from .event_base import _ConferenceRef, _EventBase, _Frozen
from .vocabulary import Agency, Category, ConferenceKind, DocumentKind, RecordedFact

__all__ = [
    "Attendee",
    "Conference",
    "ConferenceCancelled",
    "DocumentSent",
    "ExclusionDecision",
    "ExclusionRequest",
    "InvitationDetailsConfirmed",
    "InvitationsSent",
    "RecordAmendmentReceived",
    "ReportShared",
    "ReportSubmitted",
]


class Attendee(_Frozen):
    """Someone at a conference: the agency counts for quoracy, not the person."""

    agency: Agency
    role: str | None = Field(default=None, max_length=200)
    direct_contact: bool = True


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
