"""One child's timeline: the events that concern the child, indexed once.

A case is evaluated child by child (``docs/semantics.md``, "Children"). A child's timeline
holds exactly the events that name the child and the events that name no child, plus the
child's own birth and expected delivery when the case does not record them. Everything a
rule needs is indexed here once per child: events in time order, by type, held or planned,
the periods of protection and child-in-need plans, the conferences. Rules then look
events up by bisection instead of scanning the case again.
"""

from __future__ import annotations

import datetime as _dt
import math
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from ..model.case import EVENT_MODELS, Birth, Case, Child, Conference, ExpectedDelivery
from ..model.results import EventRef
from .construct import make

if TYPE_CHECKING:
    from .compiled import CFilter

__all__ = ["Ev", "Period", "Timeline", "claims", "concerns", "events_of"]


#: For each event type: the fields that make two events the same fact (all but the id and
#: the children named).
_SAME_FIELDS: dict[str, tuple[str, ...]] = {
    t: tuple(f for f in m.model_fields if f not in ("id", "children"))
    for t, m in EVENT_MODELS.items()
}

class Ev:
    """An event of the case as the engine sees it: the model plus what is read often."""

    __slots__ = ("_desc", "_ref", "_same", "at", "conference", "date", "day", "event", "id",
                 "index", "key", "planned", "type")

    type: str
    date: _dt.date
    at: _dt.datetime | None
    id: str | None
    conference: str | None
    planned: bool
    day: int
    key: tuple[int, float, int]
    _ref: EventRef | None
    _same: tuple[Any, ...] | None
    _desc: str | None

    def __init__(self, index: int, event: Any) -> None:
        d = event.__dict__  # the model's fields, read without attribute look-ups
        self.index = index
        self.event = event
        self.type = kind = d["type"]
        self.date = date = d["date"]
        self.at = at = d["at"]
        self.id = d["id"]
        self.conference = d.get("conference")
        # Booked, or (an expected delivery) expected: an anchor, never a fact that meets
        # a deadline.
        self.planned = d.get("planned", False) or kind == "expected_delivery"
        self.day = day = date.toordinal()
        self.key = (day, at.timestamp() if at is not None else -math.inf, index)
        self._ref = None
        self._same = None
        self._desc = None

    def same_as(self) -> tuple[Any, ...]:
        """What two events must share to be the same fact: every field but the id and
        the children it names (on one child's timeline both concern the child)."""
        if self._same is None:
            d = self.event.__dict__
            self._same = (self.type, tuple(d[k] for k in _SAME_FIELDS[self.type]))
        return self._same

    @property
    def ref(self) -> EventRef:
        if self._ref is None:
            self._ref = make(EventRef, index=self.index, id=self.id, type=self.type,
                              date=self.date)
        return self._ref

    def words(self) -> str:
        e = self.event
        if isinstance(e, Conference):
            kind = e.kind.value.replace("_", "-")
            return f"planned {kind} conference" if self.planned else f"{kind} conference"
        return self.type.replace("_", " ")

    def describe(self) -> str:
        if self._desc is None:
            self._desc = f"{self.words()} on {self.date.isoformat()}"
        return self._desc

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Ev({self.index}, {self.describe()})"


def claims(e: Ev, anchor: Ev) -> bool | None:
    """Which conference an event belongs to, where the event says so.

    The one place this is decided: an event whose ``conference`` field names a conference
    belongs to that conference and to no other (True or False when ``anchor`` is a
    conference); an event that names none, or an anchor that is not a conference, is
    decided by dates (None), by the windows each rule kind documents.
    """
    if e.conference is None or anchor.type != "conference":
        return None
    return e.conference == anchor.id


@dataclass(frozen=True, slots=True)
class Period:
    """A stretch of time during which the child was subject to a plan."""

    start: Ev
    end: _dt.date | None  # the day the plan ended, inclusive; None while it lasts
    end_event: Ev | None = None

    def contains(self, day: _dt.date) -> bool:
        return self.start.date <= day and (self.end is None or day <= self.end)


def concerns(event: Any) -> frozenset[str] | None:
    """The children an event names: its ``child`` or ``children``; None for all."""
    if event.type == "birth" or event.type == "expected_delivery":
        child = event.child
        if isinstance(child, str):
            return frozenset((child,))
    children = event.children
    return frozenset(children) if children else None


def events_of(case: Case) -> list[tuple[Ev, frozenset[str] | None]]:
    """Every event of the case, once, with the children it names."""
    return [(Ev(i, ev), concerns(ev)) for i, ev in enumerate(case.events)]


class _ByType:
    """Events of one pool (held, or held and planned) grouped by type, in time order."""

    __slots__ = ("by_type", "cache")

    def __init__(self, events: Sequence[Ev]) -> None:
        self.by_type: dict[str, list[Ev]] = {}
        by_type = self.by_type
        for e in events:
            found = by_type.get(e.type)
            if found is None:
                by_type[e.type] = [e]
            else:
                found.append(e)
        self.cache: dict[int, Matched] = {}


class Matched:
    """The events matching one filter, in time order, with their day numbers for
    bisection, and those that name no conference apart."""

    __slots__ = ("by_conference", "days", "events", "unclaimed", "unclaimed_days")

    def __init__(self, events: list[Ev]) -> None:
        self.events = events
        self.days = days = [e.day for e in events]
        self.by_conference: dict[str, list[Ev]] = {}
        self.unclaimed, self.unclaimed_days = events, days
        claimed = [e for e in events if e.conference is not None]
        if claimed:
            for e in claimed:
                self.by_conference.setdefault(e.conference or "", []).append(e)
            self.unclaimed = [e for e in events if e.conference is None]
            self.unclaimed_days = [e.day for e in self.unclaimed]

    def first_from(self, day: _dt.date, skip: Ev | None = None) -> Ev | None:
        """The first event on or after ``day`` (not ``skip``)."""
        i = bisect_left(self.days, day.toordinal())
        while i < len(self.events):
            if self.events[i] is not skip:
                return self.events[i]
            i += 1
        return None

    def between(self, low: int, high: int, *, unclaimed: bool = False) -> list[Ev]:
        """Events with day numbers in ``[low, high]``."""
        events, days = ((self.unclaimed, self.unclaimed_days) if unclaimed
                        else (self.events, self.days))
        return events[bisect_left(days, low):bisect_right(days, high)]

    def first_between(self, low: int, high: int, start: Ev, *,
                      unclaimed: bool = False) -> Ev | None:
        """The first event with a day number in ``[low, high]`` that is not ``start`` (the
        event a deadline or duty runs from) nor, on its day, timed before it (an event with
        a date only is taken: its time is unknown); found by bisection, without copying the
        range."""
        events, days = ((self.unclaimed, self.unclaimed_days) if unclaimed
                        else (self.events, self.days))
        i = bisect_left(days, low)
        n = len(events)
        day, instant = start.key[0], start.key[1]
        while i < n and days[i] <= high:
            e = events[i]
            if e is not start and not (e.key[0] == day and -math.inf < e.key[1] < instant):
                return e
            i += 1
        return None


#: What a filter matches on a timeline with no event of its type (read only).
_NONE = Matched([])


class Timeline:
    """The events that concern one child, up to the as-of date, indexed."""

    def __init__(self, case: Case, n: int, mine: list[Ev], as_of: _dt.date) -> None:
        self.case = case
        self.child = child = case.children[n]
        self.position = n
        self.as_of = as_of
        everything = mine + _synthetic(child, n, mine, as_of)
        everything.sort(key=_KEY)  # (mostly in order already: a single pass)
        self.everything = everything
        late: list[Ev] = []
        timeline: list[Ev] = []
        held: list[Ev] = []
        # Held events up to the as-of date meet deadlines; planned ones are only anchors.
        for e in everything:
            if e.planned:
                timeline.append(e)
            elif e.date <= as_of:
                timeline.append(e)
                held.append(e)
            else:
                late.append(e)
        self.late = late
        self.timeline = timeline
        #: the event types on the timeline, held or planned
        self.types = frozenset(e.type for e in timeline)
        self.held = held
        self._held = _ByType(held)
        # (the same pool when nothing is planned)
        self._all = _ByType(timeline) if len(timeline) != len(held) else self._held
        self.periods = _plan_periods(self.held)
        self.cin_periods = _cin_periods(self.held)
        self.conferences = self._held.by_type.get("conference", [])
        self.conference_days = [c.key[0] for c in self.conferences]
        self._first_reviews: frozenset[int] | None = None
        #: years -> the day number from which the child is older than that (0: no date
        #: of birth), filled in by the conditions that ask
        self.older_from: dict[int, int] = {}

    # --- look-ups ---------------------------------------------------------------------

    def of_type(self, event_type: str, *, planned: bool = False) -> list[Ev]:
        pool = self._all if planned else self._held
        return pool.by_type.get(event_type, [])

    def matching(self, flt: CFilter, *, planned: bool = False) -> Matched:
        """Events matching a compiled filter (held only, or held and planned)."""
        pool = self._all if planned else self._held
        found = pool.cache.get(flt.uid)
        if found is None:
            of_type = pool.by_type.get(flt.event)
            if of_type is None:
                found = _NONE  # no event of the type: most filters, on most timelines
            else:
                # (read only: a filter of the type alone shares the pool's list)
                found = Matched([e for e in of_type if flt.test(e)] if flt.checks
                                else of_type)
            pool.cache[flt.uid] = found
        return found

    def next_conference_after(self, day: _dt.date) -> Ev | None:
        i = bisect_right(self.conference_days, day.toordinal())
        return self.conferences[i] if i < len(self.conferences) else None

    def previous_conference_before(self, day: _dt.date) -> Ev | None:
        i = bisect_left(self.conference_days, day.toordinal())
        return self.conferences[i - 1] if i else None

    def last_of_type_before(self, event_type: str, day: _dt.date) -> Ev | None:
        """The last held event of a type strictly before ``day``."""
        if event_type == "conference":
            return self.previous_conference_before(day)
        events = self._held.by_type.get(event_type, [])
        i = bisect_left(events, day.toordinal(), key=_day)
        return events[i - 1] if i else None

    def conference_of(self, e: Ev) -> Ev | None:
        """The held conference an event belongs to: itself for a conference, the one its
        ``conference`` field names, or else the first conference on or after its day."""
        if e.type == "conference":
            return e
        if e.conference is not None:
            return next((c for c in self.conferences if c.id == e.conference), None)
        i = bisect_left(self.conference_days, e.day)
        return self.conferences[i] if i < len(self.conferences) else None

    def period_of(self, day: _dt.date) -> Period | None:
        """The plan period containing ``day``."""
        for p in self.periods:
            if p.contains(day):
                return p
        return None

    def is_first_review(self, ev: Ev) -> bool:
        """Whether ``ev`` is the first review conference of the plan it falls in."""
        if self._first_reviews is None:
            firsts: set[int] = set()
            previous: Ev | None = None
            for c in self.conferences:
                if c.event.kind.value != "review":
                    continue
                period = self.period_of(c.date)
                start = period.start.date if period else _dt.date.min
                if previous is None or previous.date < start:
                    firsts.add(c.index)
                previous = c
            self._first_reviews = frozenset(firsts)
        return ev.index in self._first_reviews


_KEY = attrgetter("key")


def _day(e: Ev) -> int:
    return e.day


def _plan_periods(held: Sequence[Ev]) -> list[Period]:
    periods: list[Period] = []
    start: Ev | None = None
    for ev in held:
        if ev.type == "plan_start" or ev.type == "plan_end" or ev.type == "conference":
            e = ev.event
            outcome = e.outcome if ev.type == "conference" else None
            begins = ev.type == "plan_start" or outcome == "plan"
            ends = ev.type == "plan_end" or outcome == "no_plan"
            if begins and start is None:
                start = ev
            elif ends and start is not None:
                periods.append(Period(start, ev.date, ev))
                start = None
    if start is not None:
        periods.append(Period(start, None))
    return periods


def _cin_periods(held: Sequence[Ev]) -> list[Period]:
    periods: list[Period] = []
    start: Ev | None = None
    for ev in held:
        if ev.type == "cin_plan_start" and start is None:
            start = ev
        elif ev.type == "cin_plan_end" and start is not None:
            periods.append(Period(start, ev.date, ev))
            start = None
    if start is not None:
        periods.append(Period(start, None))
    return periods


def _synthetic(child: Child, n: int, mine: list[Ev], as_of: _dt.date) -> list[Ev]:
    """The child's expected delivery and birth, from the child's dates, unless the
    child's timeline records them (an event naming the child, or naming no child).

    Synthetic events have negative indexes: -1, -2, ... for the expected delivery of the
    first, second ... child of the case; -101, -102, ... for births.
    """
    out: list[Ev] = []
    types = {e.type for e in mine}
    edd = child.expected_date_of_delivery
    if edd is not None and "expected_delivery" not in types:
        ev = ExpectedDelivery.model_construct(type="expected_delivery", date=edd,
                                              child=child.id,
                                              id=f"expected_delivery:{child.id}")
        out.append(Ev(-(n + 1), ev))
    dob = child.date_of_birth
    if dob is not None and dob <= as_of and "birth" not in types:
        born = Birth.model_construct(type="birth", date=dob, child=child.id,
                                     id=f"birth:{child.id}")
        out.append(Ev(-(101 + n), born))
    return out
