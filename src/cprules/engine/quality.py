"""Data-quality findings on one child's timeline: problems in the facts that do not stop
the evaluation (``docs/semantics.md``, "Data quality")."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..model.results import DataQuality
from .context import Ctx

__all__ = ["TIMELINE_CODES", "data_quality"]

#: The codes of :func:`data_quality`: each message says no more than the code and the event
#: it names (so the compact JSON Lines form leaves the message out). The other codes, of a
#: due date that cannot be worked out (``outside_calendar``, ``no_version_in_force``),
#: name the rule and the reason in their message.
TIMELINE_CODES = frozenset({"after_as_of", "planned_in_past", "review_before_initial",
                            "possible_duplicate", "before_birth", "birth_date_mismatch"})


def data_quality(ctx: Ctx) -> Iterator[DataQuality]:
    tl = ctx.tl
    as_of = ctx.as_of
    for ev in tl.late:
        yield ctx.quality("after_as_of", f"{ev.describe()} is after the as-of date "
                          f"{as_of.isoformat()} and was not taken into account", ev)
    for ev in tl.timeline:
        if ev.planned and ev.date < as_of and ev.type != "expected_delivery":
            yield ctx.quality("planned_in_past", f"{ev.describe()} is marked planned but its "
                              "date has passed; record it as held (planned: false) or remove "
                              "it", ev)
    if tl.conferences and tl.conferences[0].event.kind.value == "review":
        first = tl.conferences[0]
        yield ctx.quality("review_before_initial", f"{first.describe()} comes before any "
                          "initial, pre-birth or transfer-in conference in the timeline", first)
    # only events of one type on one day can repeat each other: compare those field by field
    by_day: dict[tuple[str, int], int] = {}
    for ev in tl.timeline:
        k = (ev.type, ev.day)
        by_day[k] = by_day.get(k, 0) + 1
    seen: dict[Any, Any] = {}
    for ev in tl.timeline:
        if by_day[(ev.type, ev.day)] < 2:
            continue
        key = ev.same_as()
        earlier = seen.get(key)
        if earlier is not None:
            yield ctx.quality("possible_duplicate", f"{ev.describe()} repeats an earlier "
                              f"{ev.words()} field for field; both were kept", ev)
        else:
            seen[key] = ev.index
    dob = tl.child.date_of_birth
    if dob is not None:
        for ev in tl.held:
            if ev.date >= dob:
                break
            if ev.type == "visit" or (ev.type == "conference"
                                      and ev.event.kind.value != "pre_birth"):
                yield ctx.quality("before_birth", f"{ev.describe()} is before the birth of "
                                  "the child it concerns (a conference before the birth is a "
                                  "pre_birth conference)", ev)
        for ev in tl.of_type("birth"):
            if ev.index >= 0 and ev.date != dob:
                yield ctx.quality("birth_date_mismatch", f"birth recorded on {ev.date} but "
                                  f"child {tl.child.id!r} has date_of_birth {dob}", ev)
