"""Conditions of decision rules (``when``, ``require``): a closed set of structured
tests on a subject event. No expressions, no code: each condition kind is a model here
and a handler in :mod:`cprules.engine.conditions`."""

from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, Discriminator, Field, Tag, model_validator

from .base import Frozen
from .duration import Duration
from .events import EVENT_MODELS
from .filters import EventFilter, Scalar, field_value_problem
from .problems import did_you_mean, problem
from .vocabulary import Agency, RecordedFact


class QuorumSpec(Frozen):
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

__all__ = [
    "AllCond",
    "AnyCond",
    "AttendedCond",
    "ChildAgeCond",
    "Condition",
    "CountCond",
    "CountSpec",
    "ExistsCond",
    "ExistsSpec",
    "FieldCond",
    "FirstReviewCond",
    "InVocabularyCond",
    "InvitedCond",
    "NotCond",
    "QuorateCond",
    "QuorumSpec",
    "RecordedCond",
    "VocabularySpec",
    "walk_conditions",
]


class CountSpec(Frozen):
    field: str
    at_most: int | None = Field(default=None, ge=0)
    at_least: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _bounds_in_order(self) -> CountSpec:
        if self.at_least is not None and self.at_most is not None and (
                self.at_least > self.at_most):
            raise problem(f"at_least ({self.at_least}) is more than at_most "
                          f"({self.at_most}): no count can meet both", at=("at_least",))
        return self


class ExistsSpec(EventFilter):
    """An event matching the filter, before (or after) the subject event: ``before``
    means on or before the subject's day, ``after`` on or after it; ``within`` bounds the
    distance. ``same_conference`` also accepts an event whose 'conference' field names
    the subject."""

    relative: Literal["before", "after"] = "before"
    within: Duration | None = None
    conference: Literal["any", "earlier"] = Field(
        default="any",
        description="earlier: only events that belong to an earlier conference than the "
        "subject's (an event belongs to the conference its 'conference' field names, or "
        "else to the first conference on or after its day).",
    )


class VocabularySpec(Frozen):
    field: str
    vocabulary: str = Field(description="A list under the ruleset's vocabularies.")


class _Cond(Frozen):
    """A condition kind. ``subject_fields`` names the fields of the subject event it reads,
    checked against the subject's event type when the ruleset loads."""

    def subject_fields(self) -> tuple[str, ...]:
        return ()


class FieldCond(_Cond):
    field: dict[str, Scalar | list[Scalar] | None] = Field(
        description="Fields of the subject event and the values any of which matches; null "
        "matches a field not recorded."
    )

    def subject_fields(self) -> tuple[str, ...]:
        return tuple(self.field)


class RecordedCond(_Cond):
    recorded: RecordedFact | list[RecordedFact]

    def subject_fields(self) -> tuple[str, ...]:
        return ("recorded",)


class QuorateCond(_Cond):
    quorate: QuorumSpec

    def subject_fields(self) -> tuple[str, ...]:
        return ("attendees",)


class AttendedCond(_Cond):
    attended_by: list[Agency] = Field(min_length=1)

    def subject_fields(self) -> tuple[str, ...]:
        return ("attendees",)


class InvitedCond(_Cond):
    invited: list[Agency] = Field(min_length=1)

    def subject_fields(self) -> tuple[str, ...]:
        return ("invited",)


class CountCond(_Cond):
    count: CountSpec

    def subject_fields(self) -> tuple[str, ...]:
        return (self.count.field,)


class ExistsCond(_Cond):
    exists: ExistsSpec


class FirstReviewCond(_Cond):
    first_review: bool = Field(
        description="The subject is (true) / is not (false) the first review conference of "
        "the plan."
    )


class ChildAgeCond(_Cond):
    child_older_than: int = Field(ge=0, le=25, description="The child is older than this "
                                  "many years on the subject's date (each child is "
                                  "evaluated on their own).")


class InVocabularyCond(_Cond):
    in_vocabulary: VocabularySpec

    def subject_fields(self) -> tuple[str, ...]:
        return (self.in_vocabulary.field,)


class AllCond(_Cond):
    all: list[Condition] = Field(min_length=1)


class AnyCond(_Cond):
    any: list[Condition] = Field(min_length=1)


class NotCond(_Cond):
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
        for k in c.subject_fields():
            if k not in names:
                raise problem(
                    f"event '{subject.event}' has no field '{k}' (the facts a rule on "
                    f"'{subject.event}' can use: {', '.join(sorted(names))})",
                    at=(where,), suggestion=did_you_mean(k, sorted(names)))
        if isinstance(c, FieldCond):  # the values, as where: checks them
            by_alias = {f.alias or n: n for n, f in model.model_fields.items()}
            for k, want in c.field.items():
                for value in want if isinstance(want, list) else [want]:
                    if value is None:  # null: the field is not recorded
                        continue
                    why = field_value_problem(subject.event, by_alias[k], value)
                    if why is not None:
                        raise problem(f"'{value}' is not a valid value of "
                                      f"{subject.event}.{k}: {why}", at=(where,))
