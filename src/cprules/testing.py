"""Hypothesis strategies for property-testing timescale logic against cprules.

The only module of cprules that imports hypothesis (install ``cprules[testing]``). Every
strategy checks its arguments when it is built and raises ``InvalidArgument`` (from
hypothesis) with a message naming the argument. ``docs/testing.md`` shows a property test
written with them.

- :func:`dates` dates in the calendar's range; shrinks towards ``min_value``.
- :func:`working_days` working days only; shrinks towards the first working day on or
  after ``min_value``.
- :func:`durations` durations in every unit the rules use; shrinks towards "1 days"...
  (the smallest count of the first unit listed).
- :func:`events` single events of any (or the given) type, valid against the case model;
  shrinks towards the first type with the fewest optional fields set.
- :func:`cases` coherent case timelines: a strategy discussion with section 47 enquiries,
  an initial (or pre-birth, or transfer-in) conference held on time, late, or not at all,
  reports before it, records and plans after it, and, where a plan is made, core groups,
  visits, reviews and the end of the plan; births for unborn children. Shrinks towards a
  single child, on-time events and short timelines.
- :func:`sibling_groups` cases of one to ``max_children`` children, each with a coherent
  timeline of their own (as :func:`cases`), some events naming one child, some two, some
  none (an event naming none concerns every child). Shrinks towards one child whose
  events name no one.
- :func:`example_event` builds one valid event matching an event filter of a rule (for
  "add the event that would meet this deadline" properties).
"""

from __future__ import annotations

import datetime as _dt
import enum
import typing
from collections.abc import Sequence
from typing import Any, Literal

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from . import calendar
from .loader import case_from_data
from .model.case import EVENT_MODELS, Case
from .model.duration import Duration, Unit
from .model.ruleset import EventFilter, Ruleset

__all__ = [
    "LATENESS",
    "cases",
    "dates",
    "durations",
    "events",
    "example_event",
    "sibling_groups",
    "working_days",
]

LATENESS = ("on_time", "late", "missing")
_LO = _dt.date(calendar.FIRST_YEAR, 1, 1)
_HI = _dt.date(calendar.LAST_YEAR, 12, 31)


def _check_range(min_value: _dt.date, max_value: _dt.date) -> None:
    for name, value in (("min_value", min_value), ("max_value", max_value)):
        if not isinstance(value, _dt.date) or isinstance(value, _dt.datetime):
            raise InvalidArgument(f"{name}={value!r} must be a datetime.date")
        if not _LO <= value <= _HI:
            raise InvalidArgument(
                f"{name}={value} is outside the working-day calendar ({_LO} to {_HI})"
            )
    if max_value < min_value:
        raise InvalidArgument(f"Cannot have max_value={max_value} < min_value={min_value}")


def dates(min_value: _dt.date = _dt.date(2012, 1, 1),
          max_value: _dt.date = _dt.date(2027, 12, 31)) -> st.SearchStrategy[_dt.date]:
    """Dates from ``min_value`` to ``max_value`` (inside the calendar's years)."""
    _check_range(min_value, max_value)
    return st.dates(min_value=min_value, max_value=max_value)


def working_days(min_value: _dt.date = _dt.date(2012, 1, 1),
                 max_value: _dt.date = _dt.date(2027, 12, 31)) -> st.SearchStrategy[_dt.date]:
    """England and Wales working days from ``min_value`` to ``max_value``."""
    _check_range(min_value, max_value)
    first = calendar.add_working_days(min_value, 1) if not calendar.is_working_day(
        min_value) else min_value
    if first > max_value:
        raise InvalidArgument(f"no working day between {min_value} and {max_value}")
    span = calendar.working_days_between(first, max_value)
    return st.integers(0, span).map(lambda n: calendar.add_working_days(first, n) if n else first)


def durations(units: Sequence[Unit | str] = tuple(Unit), *, min_count: int = 0,
              max_count: int = 60) -> st.SearchStrategy[Duration]:
    """Durations in the given units (all by default), counts ``min_count``..``max_count``."""
    try:
        parsed = [Unit(u) for u in units]
    except ValueError as exc:
        raise InvalidArgument(f"units: {exc}") from None
    if not parsed:
        raise InvalidArgument("units must name at least one unit")
    if not 0 <= min_count <= max_count <= 9999:
        raise InvalidArgument(
            f"Cannot have min_count={min_count}, max_count={max_count} (need 0 <= min <= max "
            "<= 9999)")
    return st.builds(Duration, st.integers(min_count, max_count), st.sampled_from(parsed))


def _value_for(annotation: Any, day: _dt.date) -> Any:
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Union or str(origin) == "<class 'types.UnionType'>":
        return _value_for(next(a for a in args if a is not type(None)), day)
    if origin is typing.Literal:
        return args[0]
    if origin is tuple:
        return []
    if origin is typing.Annotated:
        return _value_for(args[0], day)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return next(iter(annotation)).value
    if annotation is _dt.date:
        return (day + _dt.timedelta(days=7)).isoformat()
    if annotation is bool:
        return False
    return "x"


def example_event(flt: EventFilter, day: _dt.date, **fields: Any) -> dict[str, Any]:
    """A valid event (as data) of ``flt``'s type on ``day`` matching its ``where``.

    Required fields the filter does not fix get the first allowed value.
    """
    model = EVENT_MODELS[flt.event]
    data: dict[str, Any] = {"type": flt.event, "date": day.isoformat()}
    for name, f in model.model_fields.items():
        key = f.alias or name
        if name in ("type", "date") or not f.is_required():
            continue
        data[key] = _value_for(f.annotation, day)
    for key, want in flt.where.items():
        value = want[0] if isinstance(want, list) else want
        model_field = next(f for n, f in model.model_fields.items() if (f.alias or n) == key)
        data[key] = [value] if typing.get_origin(model_field.annotation) is tuple else value
    data.update(fields)
    model.model_validate(data)
    return data


def events(types: Sequence[str] | None = None, *, min_value: _dt.date = _dt.date(2012, 1, 1),
           max_value: _dt.date = _dt.date(2027, 12, 31)) -> st.SearchStrategy[dict[str, Any]]:
    """Single valid events (as data), of the given types or any."""
    _check_range(min_value, max_value)
    chosen = list(types) if types is not None else list(EVENT_MODELS)
    unknown = [t for t in chosen if t not in EVENT_MODELS]
    if unknown or not chosen:
        raise InvalidArgument(f"unknown event types: {unknown}" if unknown else
                              "types must name at least one event type")
    return st.builds(
        lambda t, d: example_event(EventFilter(event=t), d),
        st.sampled_from(chosen),
        dates(min_value, max_value - _dt.timedelta(days=7)),
    )


Lateness = Literal["on_time", "late", "missing"]
_AGENCIES = ("childrens_social_care", "health", "education", "police", "gp")


@st.composite
def _case_data(draw: st.DrawFn, ruleset: Ruleset | None, lateness: tuple[str, ...],
               start: _dt.date, end: _dt.date, max_reviews: int) -> dict[str, Any]:
    def late() -> str:
        return draw(st.sampled_from(lateness))

    def wd(day: _dt.date, n: int) -> _dt.date:
        return calendar.add_working_days(day, n)

    events: list[dict[str, Any]] = []
    unborn = draw(st.booleans())
    t0 = draw(working_days(start, end))
    children: list[dict[str, Any]] = [{"id": "c1", "date_of_birth": "2016-05-04"}]
    edd = None
    if unborn:
        edd = t0 + _dt.timedelta(weeks=draw(st.integers(10, 24)))
        children = [{"id": "u1", "expected_date_of_delivery": edd.isoformat()}]
    transfer = not unborn and draw(st.booleans())
    kind = "pre_birth" if unborn else ("transfer_in" if transfer else "initial")
    if transfer:
        events.append({"type": "moved_into_area", "date": t0.isoformat(), "permanent": True})
        events.append({"type": "transfer_notification", "date": t0.isoformat()})
        events.append({"type": "permanent_move_agreed", "date": t0.isoformat()})
    else:
        events.append({"type": "strategy_discussion", "date": t0.isoformat(),
                       "s47_initiated": True, "icpc_agreed": True})
        events.append({"type": "conference_requested", "date": wd(t0, draw(st.integers(1, 6)))
                       .isoformat(), "kind": kind})
    extra: dict[str, Any] = {}
    if ruleset is not None and ruleset.variants:
        extra["local_authority"] = draw(st.sampled_from(sorted(ruleset.variants)))
    mode = late()
    if mode == "missing":
        as_of = wd(t0, draw(st.integers(16, 40)))
        return {"children": children, "events": events, "as_of": as_of.isoformat(), **extra}
    offset = draw(st.integers(2, 15)) if mode == "on_time" else draw(st.integers(16, 25))
    conf = wd(t0, offset)

    def conference(day: _dt.date, kind: str, outcome: str, cid: str) -> None:
        agencies = draw(st.lists(st.sampled_from(_AGENCIES), min_size=1, max_size=4,
                                 unique=True))
        for agency in agencies:
            before = draw(st.integers(0, 7)) if late() != "missing" else None
            if before is not None:
                day_r = wd(day, -before) if before else day
                events.append({"type": "report_submitted", "date": day_r.isoformat(),
                               "from_agency": agency, "to": "chair", "conference": cid})
                events.append({"type": "report_shared", "date": day_r.isoformat(),
                               "from_agency": agency, "with": "parents", "conference": cid})
        if late() != "missing":
            events.append({"type": "invitations_sent", "conference": cid,
                           "date": wd(day, -draw(st.integers(5, 15))).isoformat()})
        events.append({
            "id": cid, "type": "conference", "kind": kind, "date": day.isoformat(),
            "outcome": outcome, "categories": ["neglect"] if outcome == "plan" else [],
            "attendees": [{"agency": "childrens_social_care"}] + [
                {"agency": a} for a in draw(st.lists(st.sampled_from(_AGENCIES[1:]),
                                                     max_size=3, unique=True))],
            "recorded": ["continuing_support_considered", "cin_review_date_set"]
            if outcome == "no_plan" else [],
            **({"discontinuation_reason": "no_longer_at_risk"}
               if outcome == "no_plan" and kind == "review" else {}),
        })
        for doc, span in (("outline_plan", 3), ("decision_and_plan", 3),
                          ("conference_record", 20), ("conference_record_parents_copy", 20),
                          ("decision_outline_recommendation", 1), ("summary_and_plan", 5),
                          ("conference_record_on_system", 1)):
            if late() == "missing":
                continue
            n = draw(st.integers(0, span)) if late() == "on_time" else draw(
                st.integers(span, span + 10))
            events.append({"type": "document_sent", "document": doc, "conference": cid,
                           "to": ["parents", "invited_agencies"],
                           "date": wd(day, n).isoformat()})

    outcome = draw(st.sampled_from(["plan", "no_plan"]))
    conference(conf, kind, outcome, "c0")
    last = conf
    if outcome == "plan":
        day = conf
        if unborn and edd is not None:
            birth = max(edd - _dt.timedelta(days=draw(st.integers(0, 20))),
                        conf + _dt.timedelta(days=1))
            events.append({"type": "birth", "date": birth.isoformat(), "child": "u1"})
        reviews = draw(st.integers(0, max_reviews))
        review_day = conf
        for r in range(reviews):
            months = 3 if r == 0 else 6
            slip = draw(st.integers(-20, 0)) if late() != "late" else draw(st.integers(1, 20))
            review_day = _add_months(review_day, months) + _dt.timedelta(days=slip)
            # core groups and visits up to the review
            day = conf if r == 0 else day
            while day < review_day - _dt.timedelta(days=10):
                gap = draw(st.integers(5, 10)) if late() == "on_time" else draw(
                    st.integers(10, 16))
                day = wd(day, gap)
                if day >= review_day:
                    break
                events.append({"type": "core_group", "date": day.isoformat()})
                events.append({"type": "visit", "date": day.isoformat(), "seen_alone": True,
                               "at_home": True, "bedroom_seen": draw(st.booleans())})
            ends = r == reviews - 1 and draw(st.booleans())
            conference(review_day, "review", "no_plan" if ends else "plan", f"r{r + 1}")
            last = review_day
            if ends:
                break
    as_of = last + _dt.timedelta(days=draw(st.integers(0, 120)))
    return {"children": children, "events": events,
            "as_of": min(as_of, _HI - _dt.timedelta(days=400)).isoformat(), **extra}


def _add_months(day: _dt.date, months: int) -> _dt.date:
    from dateutil.relativedelta import relativedelta

    return day + relativedelta(months=months)


def cases(ruleset: Ruleset | None = None, *, lateness: Sequence[str] = LATENESS,
          min_value: _dt.date = _dt.date(2013, 1, 1), max_value: _dt.date = _dt.date(2025, 6, 30),
          max_reviews: int = 3) -> st.SearchStrategy[Case]:
    """Coherent cases (see the module docstring), as :class:`~cprules.Case` objects.

    ``lateness``: which of "on_time", "late", "missing" each step may be drawn as;
    ``("on_time",)`` gives cases in which everything happens in time. With ``ruleset``,
    cases of a ruleset with variants name one of its local authorities.
    """
    bad = [x for x in lateness if x not in LATENESS]
    if bad or not lateness:
        raise InvalidArgument(f"lateness must be drawn from {LATENESS}, got {list(lateness)}")
    _check_range(min_value, max_value)
    if max_value > _HI - _dt.timedelta(days=900):
        raise InvalidArgument(
            f"max_value={max_value} leaves no room for a timeline inside the calendar "
            f"(at most {_HI - _dt.timedelta(days=900)})")
    if not 0 <= max_reviews <= 10:
        raise InvalidArgument(f"max_reviews={max_reviews} must be between 0 and 10")
    if ruleset is not None and not isinstance(ruleset, Ruleset):
        raise InvalidArgument(f"ruleset={ruleset!r} must be a cprules Ruleset")
    return _case_data(ruleset, tuple(lateness), min_value, max_value, max_reviews).map(
        case_from_data)


@st.composite
def _sibling_data(draw: st.DrawFn, ruleset: Ruleset | None, lateness: tuple[str, ...],
                  start: _dt.date, end: _dt.date, max_reviews: int,
                  max_children: int) -> dict[str, Any]:
    k = draw(st.integers(1, max_children))
    parts = [draw(_case_data(ruleset, lateness, start, end, max_reviews)) for _ in range(k)]
    children: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    ids = [f"k{j + 1}" for j in range(k)]
    for j, part in enumerate(parts):
        old = part["children"][0]["id"]
        children.append({**part["children"][0], "id": ids[j]})
        named: dict[str, list[str] | None] = {}  # an event of a conference names the same
        for ev in sorted(part["events"], key=lambda e: "conference" in e):
            ev = dict(ev)
            if "id" in ev:
                ev["id"] = f"{ids[j]}-{ev['id']}"
            if "conference" in ev:
                ev["conference"] = f"{ids[j]}-{ev['conference']}"
            if ev.get("child") == old:
                ev["child"] = ids[j]
            if "child" not in ev:
                if "conference" in ev and ev["conference"] in named:
                    who = named[ev["conference"]]
                else:
                    naming = draw(st.sampled_from(("own", "none", "two") if k > 1
                                                  else ("none",)))
                    who = ([ids[j]] if naming == "own" else None if naming == "none"
                           else sorted({ids[j], ids[(j + 1) % k]}))
                if who is not None:
                    ev["children"] = who
                if ev.get("type") == "conference":
                    named[ev["id"]] = who
            events.append(ev)
    extra = {key: parts[0][key] for key in ("local_authority",) if key in parts[0]}
    as_of = max(p["as_of"] for p in parts)
    return {"children": children, "events": events, "as_of": as_of, **extra}


def sibling_groups(ruleset: Ruleset | None = None, *, max_children: int = 3,
                   lateness: Sequence[str] = LATENESS,
                   min_value: _dt.date = _dt.date(2013, 1, 1),
                   max_value: _dt.date = _dt.date(2025, 6, 30),
                   max_reviews: int = 2) -> st.SearchStrategy[Case]:
    """Cases of several children (a sibling group), as :class:`~cprules.Case` objects:
    each child's own coherent timeline (see :func:`cases`), its events naming that child,
    that child and a sibling, or no child.
    """
    if isinstance(max_children, bool) or not isinstance(max_children, int) or not (
            1 <= max_children <= 10):
        raise InvalidArgument(f"max_children={max_children!r} must be between 1 and 10")
    cases(ruleset, lateness=lateness, min_value=min_value, max_value=max_value,
          max_reviews=max_reviews)  # checks the other arguments
    return _sibling_data(ruleset, tuple(lateness), min_value, max_value, max_reviews,
                         max_children).map(case_from_data)
