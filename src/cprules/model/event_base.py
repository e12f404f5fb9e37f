"""What every case event has: a ``date`` (a date, or a date and time read as UK local
time), an optional ``id``, the children it concerns and a note (:class:`_EventBase`);
and, for the events that belong to a conference, the conference's id
(:class:`_ConferenceRef`). The event types are in :mod:`cprules.model.events` and
:mod:`cprules.model.conference_events`.

:func:`moment_of` is the one reading of a time in ``date``, for the validators here and
the fast path (:mod:`cprules.model.fast`, which knows ``_EventBase``'s validators by
name).
"""

from __future__ import annotations

import datetime as _dt
from typing import Annotated, Any

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

__all__ = ["moment_of"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    # dates are ISO strings or dates, booleans true or false (cprules.model.strict)
    _strict_types = model_validator(mode="before")(strict_types)


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
