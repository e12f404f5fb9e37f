"""Case facts: the children and a timeline of dated events (format ``cprules-case/1``).

The events are in :mod:`cprules.model.events`, the closed vocabularies in
:mod:`cprules.model.vocabulary`; both are re-exported here.
"""

from __future__ import annotations

import datetime as _dt
from typing import Final, Literal

from pydantic import Field, model_validator

from . import events as _events
from .event_base import _Frozen
from .events import *  # noqa: F403 - every event type is re-exported from here
from .events import Birth, Conference, Event, ExpectedDelivery
from .problems import did_you_mean, problem
from .vocabulary import Agency, Category, ConferenceKind, DocumentKind, RecordedFact

__all__ = [
    "CASE_FORMAT",
    "Agency",
    "Case",
    "Category",
    "Child",
    "ConferenceKind",
    "DocumentKind",
    "RecordedFact",
]
__all__ += _events.__all__

CASE_FORMAT: Final = "cprules-case/1"


class Child(_Frozen):
    """A child in the case, born (``date_of_birth``) or unborn
    (``expected_date_of_delivery``)."""

    id: str = Field(min_length=1, max_length=100)
    name: str | None = Field(default=None, max_length=200)
    date_of_birth: _dt.date | None = None
    expected_date_of_delivery: _dt.date | None = None

    @model_validator(mode="after")
    def _one_date(self) -> Child:
        if self.date_of_birth is None and self.expected_date_of_delivery is None:
            raise ValueError(
                "a child needs date_of_birth, or expected_date_of_delivery when unborn"
            )
        return self



class Case(_Frozen):
    """The facts of one case."""

    format: Literal["cprules-case/1"] = CASE_FORMAT
    id: str | None = Field(default=None, max_length=200)
    partnership: str | None = Field(
        default=None,
        description="The bundled ruleset the case falls under (york, derby, "
        "north_yorkshire, kirklees), used when no ruleset is named.",
    )
    local_authority: str | None = Field(
        default=None,
        description="The local authority responsible, where a ruleset has variants "
        "(e.g. derby_city or derbyshire for the Derby and Derbyshire ruleset).",
    )
    as_of: _dt.date | None = Field(
        default=None, description="Default evaluation date when none is given."
    )
    children: tuple[Child, ...] = Field(min_length=1)
    events: tuple[Event, ...] = ()

    @model_validator(mode="after")
    def _references(self) -> Case:
        child_ids = [c.id for c in self.children]
        known = set(child_ids)
        if len(known) != len(child_ids):
            dup = sorted({i for i in child_ids if child_ids.count(i) > 1})
            raise problem(f"duplicate child id {dup[0]!r}", at=("children",),
                          suggestion="give each child its own id")
        seen: dict[str, int] = {}
        for i, ev in enumerate(self.events):
            if ev.id is not None:
                if ev.id in seen:
                    raise problem(f"duplicate event id {ev.id!r} (first used by "
                                  f"events[{seen[ev.id]}])", at=("events", i, "id"),
                                  suggestion="give each event its own id")
                seen[ev.id] = i
            for c in ev.children or ():
                if c not in known:
                    raise problem(f"unknown child {c!r} (children: {', '.join(child_ids)})",
                                  at=("events", i, "children"),
                                  suggestion=did_you_mean(c, child_ids))
            if (isinstance(ev, (Birth, ExpectedDelivery)) and ev.child is not None
                    and ev.child not in known):
                raise problem(f"unknown child {ev.child!r}", at=("events", i, "child"),
                              suggestion=did_you_mean(ev.child, child_ids))
        conferences = {
            ev.id for ev in self.events if isinstance(ev, Conference) and ev.id is not None
        }
        for i, ev in enumerate(self.events):
            ref = getattr(ev, "conference", None)
            if ref is not None and ref not in conferences:
                raise problem(f"refers to conference {ref!r}, which is not a conference id "
                              "in this case", at=("events", i, "conference"),
                              suggestion=did_you_mean(ref, sorted(c for c in conferences if c)))
        return self
