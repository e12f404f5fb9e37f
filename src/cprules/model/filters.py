"""Event filters: which events of a case a rule looks at."""

from __future__ import annotations

from functools import cache
from typing import Any, Literal, Union

from pydantic import Field, TypeAdapter, ValidationError, field_validator, model_validator

from .base import Frozen
from .duration import Duration
from .events import EVENT_MODELS, EVENT_TYPES
from .problems import did_you_mean, problem
from .strict import value_problem

__all__ = ["EventFilter", "Scalar", "Trigger"]

Scalar = Union[str, int, bool]  # noqa: UP007



class EventFilter(Frozen):
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
            raise problem(f"unknown event type '{v}'", suggestion=did_you_mean(v, EVENT_TYPES))
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
                allowed = ", ".join(sorted(by_alias)) or "none"
                raise problem(f"event '{self.event}' has no field '{key}' (fields: {allowed})",
                              at=("where", key), suggestion=did_you_mean(key, by_alias))
            values = want if isinstance(want, list) else [want]
            for value in values:
                why = field_value_problem(self.event, by_alias[key], value)
                if why is not None:
                    raise problem(f"'{value}' is not a valid value of {self.event}.{key}: "
                                  f"{why}", at=("where", key))
        return self

    def describe(self) -> str:
        if not self.where:
            return self.event
        conds = ", ".join(
            f"{k} {'in' if isinstance(v, list) else '='} {v}" for k, v in self.where.items()
        )
        return f"{self.event} ({conds})"


def field_value_problem(event: str, name: str, value: Any) -> str | None:
    """Why ``value`` cannot be a value of field ``name`` of ``event`` events (None when it
    can): the check of the values in ``where:`` and in ``field:`` conditions."""
    field = EVENT_MODELS[event].model_fields[name]
    problem = value_problem(field.annotation, value)
    if problem is not None:
        return problem
    probe = [value] if str(field.annotation).startswith("tuple") else value
    try:
        _adapter(event, name).validate_python(probe)
    except ValidationError as exc:
        return str(exc.errors()[0]["msg"])
    return None


@cache
def _adapter(event: str, name: str) -> TypeAdapter[Any]:
    # built once per field: a TypeAdapter costs a fifth of a millisecond to make
    return TypeAdapter(EVENT_MODELS[event].model_fields[name].annotation or Any)


class Trigger(EventFilter):
    """The event a deadline runs from (or, for ``before`` deadlines, the conference it
    runs back from).

    - ``counts``: ``first`` when a later matching event, while the deadline of an earlier
      one is still open, does not start a deadline of its own (the text counts from one
      event); ``each`` (default) when every matching event does.
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
    counts: Literal["each", "first"] = Field(
        default="each",
        description="each: every matching event starts its own deadline, which runs until "
        "the next one; first: a matching event while an earlier one's deadline is still "
        "open (not yet met, nor withdrawn) starts none of its own, so the timescale counts "
        "from the first (e.g. 'the strategy discussion at which section 47 enquiries were "
        "initiated if more than one has been held').",
    )
    following: EventFilter | None = None
    requires: EventFilter | list[EventFilter] | None = None
    requires_within: Duration | None = Field(
        default=None, description="With requires: only a matching event no more than this "
        "long before the trigger counts (e.g. 40 weeks: during the pregnancy)."
    )
    nth_in_plan: int | None = Field(default=None, ge=1, le=100)
    otherwise: EventFilter | None = None
