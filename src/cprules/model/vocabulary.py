"""The closed vocabularies of the formats: conference kinds, categories, agencies, the
facts a conference can record, document kinds, and the ruleset's own named lists
(exclusion grounds, discontinuation reasons)."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from .base import Citation, Frozen

__all__ = [
    "VOCABULARY_FIELDS",
    "Agency",
    "Category",
    "ConferenceKind",
    "DocumentKind",
    "RecordedFact",
    "VocabularyItem",
]


class ConferenceKind(StrEnum):
    initial = "initial"
    review = "review"
    pre_birth = "pre_birth"
    transfer_in = "transfer_in"


class Category(StrEnum):
    physical = "physical"
    emotional = "emotional"
    sexual = "sexual"
    neglect = "neglect"


class Agency(StrEnum):
    """Agencies and professional groups, for attendance and reports."""

    childrens_social_care = "childrens_social_care"
    police = "police"
    health = "health"
    gp = "gp"
    health_visitor = "health_visitor"
    midwifery = "midwifery"
    school_nurse = "school_nurse"
    paediatrician = "paediatrician"
    mental_health = "mental_health"
    education = "education"
    early_years = "early_years"
    probation = "probation"
    youth_justice = "youth_justice"
    housing = "housing"
    substance_misuse = "substance_misuse"
    domestic_abuse = "domestic_abuse"
    legal = "legal"
    other = "other"


class RecordedFact(StrEnum):
    """Facts a conference (or a plan's end) records, that decision rules can require."""

    continuing_support_considered = "continuing_support_considered"
    written_assessment_complete = "written_assessment_complete"
    long_term_plan_agreed = "long_term_plan_agreed"
    safety_depends_on_temporary_arrangements = "safety_depends_on_temporary_arrangements"
    plan_ended_on_court_order = "plan_ended_on_court_order"
    contingency_recommended = "contingency_recommended"
    categories_considered_separately = "categories_considered_separately"
    overriding_reasons = "overriding_reasons"
    exceptional_circumstances = "exceptional_circumstances"
    agreed_by_team_manager = "agreed_by_team_manager"
    discussed_with_service_manager = "discussed_with_service_manager"
    key_actions_incomplete = "key_actions_incomplete"
    key_agencies_attended_or_consulted = "key_agencies_attended_or_consulted"
    agencies_consulted = "agencies_consulted"
    transition_plan_made = "transition_plan_made"
    early_icpc_date_set = "early_icpc_date_set"
    review_date_set = "review_date_set"
    cin_review_date_set = "cin_review_date_set"
    receiving_authority_conference_held = "receiving_authority_conference_held"
    receiving_authority_confirmed_in_writing = "receiving_authority_confirmed_in_writing"
    original_concerns_unsubstantiated = "original_concerns_unsubstantiated"
    decision_recorded_in_child_records = "decision_recorded_in_child_records"
    discussed_with_child_protection_manager = "discussed_with_child_protection_manager"
    core_group_date_set = "core_group_date_set"
    lead_social_worker_named = "lead_social_worker_named"
    first_line_manager_attended = "first_line_manager_attended"
    social_worker_recommended_ending = "social_worker_recommended_ending"
    child_attendance_considered = "child_attendance_considered"
    childrens_rights_referral_made = "childrens_rights_referral_made"
    child_attended = "child_attended"
    chair_meeting_offered = "chair_meeting_offered"
    confidentiality_acknowledged = "confidentiality_acknowledged"


class DocumentKind(StrEnum):
    outline_plan = "outline_plan"
    decision_letter = "decision_letter"
    decision_and_plan = "decision_and_plan"
    signed_plan = "signed_plan"
    conference_record = "conference_record"
    conference_record_parents_copy = "conference_record_parents_copy"
    core_group_minutes = "core_group_minutes"
    core_group_record = "core_group_record"
    cin_plan = "cin_plan"
    decision_outline_recommendation = "decision_outline_recommendation"
    summary_and_plan = "summary_and_plan"
    conference_record_on_system = "conference_record_on_system"
    chair_letter = "chair_letter"
    looked_after_notice = "looked_after_notice"
    safety_plan = "safety_plan"
    discontinuation_notice = "discontinuation_notice"


class VocabularyItem(Frozen):
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
