"""Event filters: which events of a case a rule looks at."""

from __future__ import annotations

from typing import Any, Literal, Union

from pydantic import Field, TypeAdapter, ValidationError, field_validator, model_validator

from .base import Frozen
from .duration import Duration
from .events import EVENT_MODELS, EVENT_TYPES

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
