"""``kind: deadline``: something due within a time of a trigger, at least a time before
it, on or before a date of it, or by whichever of several times is sooner or later.

The windows in which an event meets a deadline are in ``docs/semantics.md``, "How events
meet rules". Cost per child: one bisection per trigger into the satisfying events.
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ...model.events import EVENT_MODELS
from ...model.filters import EventFilter
from ...model.results import Finding
from ...model.rules import AfterSpec, BeforeSpec, DeadlineRule, FieldDateSpec, WhicheverSpec
from ...timescales import Due, later, sooner
from ..compiled import CDuration, CFilter, Compiled, CompiledRule
from ..context import CannotDate, Computed, Ctx, Unknown, status_of
from ..timeline import Ev, Matched, claims
from ..triggers import CTrigger, compile_trigger, select
from ..words import duration_words, filter_words, trigger_words

__all__ = ["compile", "evaluate", "starts", "words"]

_REPORTS = ("report_submitted", "report_shared")


@dataclass(frozen=True, slots=True)
class _After:
    within: CDuration
    after: CFilter | None  # None: from the trigger


@dataclass(frozen=True, slots=True)
class _Compiled:
    trigger: CTrigger
    form: str  # after, before, field, whichever
    parts: tuple[_After, ...]
    before: CDuration | None
    field: str | None
    whichever: str | None
    satisfied_by: CFilter
    conference_bound: bool
    cancelled_by: tuple[CFilter | str, ...]
    reports: tuple[CFilter, ...]  # any report for a conference (expected_from: reported)


def compile(rule: DeadlineRule, comp: Compiled) -> _Compiled:
    due = rule.due

    def after(spec: AfterSpec) -> _After:
        return _After(CDuration(spec.within),
                      None if spec.after == "trigger" else comp.filter(spec.after))

    form = {AfterSpec: "after", BeforeSpec: "before", FieldDateSpec: "field",
            WhicheverSpec: "whichever"}[type(due)]
    return _Compiled(
        trigger=compile_trigger(rule.trigger, comp),
        form=form,
        parts=(after(due),) if isinstance(due, AfterSpec) else (
            tuple(after(p) for p in due.of) if isinstance(due, WhicheverSpec) else ()),
        before=CDuration(due.at_least) if isinstance(due, BeforeSpec) else None,
        field=due.on_or_before if isinstance(due, FieldDateSpec) else None,
        whichever=due.whichever if isinstance(due, WhicheverSpec) else None,
        satisfied_by=comp.filter(rule.satisfied_by),
        conference_bound="conference" in EVENT_MODELS[rule.satisfied_by.event].model_fields,
        cancelled_by=tuple(c if isinstance(c, str) else comp.filter(c)
                           for c in rule.cancelled_by),
        reports=tuple(comp.filter(EventFilter(event=t)) for t in _REPORTS)
        if "reported" in rule.expected_from else (),
    )


def starts(c: _Compiled) -> frozenset[str]:
    """Event types one of which must be on the timeline for the rule to find anything:
    its trigger's (or the trigger's ``otherwise``)."""
    return c.trigger.types


# --- due dates ---------------------------------------------------------------------------


def _after(ctx: Ctx, part: _After, trig: Ev) -> Computed:
    if part.after is None:
        base = trig
    else:
        base_ev = ctx.tl.matching(part.after).first_from(trig.date)
        if base_ev is None:
            raise Unknown(f"{filter_words(part.after.source)} not yet recorded")
        base = base_ev
    dur, version = part.within.on(trig.date)
    due = ctx.add(base.date, dur, base.at)
    return Computed(due, f"{dur} after {base.describe()}", str(dur), version)


def _due(ctx: Ctx, c: _Compiled, trig: Ev) -> Computed:
    if c.form == "after":
        return _after(ctx, c.parts[0], trig)
    if c.form == "before":
        assert c.before is not None
        dur, version = c.before.on(trig.date)
        due = ctx.subtract(trig.date, dur, trig.at)
        return Computed(due, f"at least {dur} before {trig.describe()}", str(dur), version)
    if c.form == "field":
        assert c.field is not None
        day = getattr(trig.event, c.field)
        return Computed(Due(day), f"on or before the {trig.words()}'s "
                        f"{c.field.replace('_', ' ')} date {day.isoformat()}", None, None)
    parts: list[Computed] = []
    unknown: list[str] = []
    for part in c.parts:
        try:
            parts.append(_after(ctx, part, trig))
        except Unknown as exc:
            unknown.append(str(exc))
    if not parts:
        raise Unknown("; ".join(unknown))
    pick = sooner if c.whichever == "sooner" else later
    chosen = pick(*(p.due for p in parts))
    winner = next(p for p in parts if p.due == chosen)
    basis = f"whichever is {c.whichever} of: " + "; ".join(
        f"{p.basis} ({p.due.date.isoformat()})" for p in parts)
    if unknown:
        basis += f"; provisional: {'; '.join(unknown)}"
    return Computed(chosen, basis, winner.duration, winner.version)


# --- meeting and withdrawing ----------------------------------------------------------


def _first_met(sats: Matched, trig: Ev, nxt: int | None) -> Ev | None:
    """The first satisfying event for a deadline after ``trig``: one that names the
    triggering conference, or (naming none) on or after the trigger's day and before the
    next boundary ``nxt`` (a day number), or on the trigger's own day; on that day, not
    one timed before a timed trigger."""
    low = trig.key[0]
    high = math.inf if nxt is None else max(nxt - 1, low)
    named = trig.type == "conference" and trig.id is not None
    best: Ev | None = None
    if named:
        claimed = sats.by_conference.get(trig.id or "", ())
        best = next((e for e in claimed if e is not trig), None)
    e = sats.first_between(low, int(min(high, 10**7)), trig, unclaimed=named)
    if e is not None and (best is None or e.key < best.key):
        best = e
    return best


def _cancel_key(ctx: Ctx, c: _Compiled, trig: Ev) -> tuple[int, float, int] | None:
    """When the deadline is withdrawn: the first withdrawing event on or after the
    trigger's day (or the end of the plan containing it)."""
    best: tuple[int, float, int] | None = None
    for f in c.cancelled_by:
        if isinstance(f, str):  # plan_end
            period = ctx.tl.period_of(trig.date)
            key = (None if period is None or period.end is None
                   else (period.end.toordinal(), math.inf, 0))
        else:
            e = ctx.tl.matching(f).first_from(trig.date, skip=trig)
            key = e.key if e is not None else None
        if key is not None and (best is None or key < best):
            best = key
    return best


def _boundary(ctx: Ctx, c: _Compiled, trig: Ev, next_trigger: Ev | None) -> int | None:
    nxt = next_trigger.key[0] if next_trigger is not None else None
    if trig.type == "conference" and c.conference_bound:
        # A document or report belongs to the latest conference before it: stop at the
        # next held conference of any kind, not only the next trigger of this rule.
        later_conf = ctx.tl.next_conference_after(trig.date)
        if later_conf is not None and (nxt is None or later_conf.key[0] < nxt):
            nxt = later_conf.key[0]
    return nxt


def evaluate(ctx: Ctx, cr: CompiledRule) -> Iterator[Finding]:
    c: _Compiled = cr.data
    rule: DeadlineRule = cr.rule  # type: ignore[assignment]
    problems: list[Any] = []
    triggers = select(ctx, rule, c.trigger, planned=c.form == "before", problems=problems)
    yield from problems
    sats = ctx.tl.matching(c.satisfied_by)
    i = 0
    while i < len(triggers):
        trig = triggers[i]
        j = i + 1
        if c.trigger.counts == "first" and c.form != "before":
            # later triggers while this deadline is open start none of their own
            met = _first_met(sats, trig, None)
            settle = met.key if met is not None else None
            cancel = _cancel_key(ctx, c, trig)
            if cancel is not None and (settle is None or cancel < settle):
                settle = cancel
            while j < len(triggers) and (settle is None or triggers[j].key < settle):
                j += 1
        next_trigger = triggers[j] if j < len(triggers) else None
        i = j
        try:
            computed = _due(ctx, c, trig)
        except Unknown:
            continue
        except CannotDate as exc:
            yield ctx.date_problem(rule, trig, exc)
            continue
        if c.form == "before":
            yield from _before(ctx, rule, c, computed, trig, sats)
            continue
        met = _first_met(sats, trig, _boundary(ctx, c, trig, next_trigger))
        if rule.when_present and met is None:
            continue
        cancel = _cancel_key(ctx, c, trig)
        if (cancel is not None and (met is None or cancel[0] < met.key[0])
                and cancel[0] <= computed.due.date.toordinal()):
            continue  # withdrawn before it fell due
        yield ctx.deadline(rule, computed, status_of(computed.due, met, ctx.as_of), met, trig)


def _window(ctx: Ctx, events: Matched, trig: Ev, low: int) -> list[Ev]:
    """Events for a conference: after ``low`` (the day after the previous conference) and
    on or before its day, or naming it; in time order."""
    named = trig.type == "conference" and trig.id is not None
    window = [e for e in events.between(low, trig.key[0], unclaimed=named) if e is not trig
              and claims(e, trig) is not False]
    if named:
        window += [e for e in events.by_conference.get(trig.id or "", ()) if e is not trig]
        window.sort(key=lambda e: e.key)
    return window


def _expected(ctx: Ctx, rule: DeadlineRule, c: _Compiled, trig: Ev, low: int) -> list[str]:
    """The agencies whose report is expected for the conference (``expected_from``)."""
    out: list[str] = []
    e = trig.event
    for source in rule.expected_from:
        if source == "invited":
            out += [a.value for a in getattr(e, "invited", ())]
        elif source == "attendees":
            out += [a.agency.value for a in getattr(e, "attendees", ())]
        elif source == "reported":
            for flt in c.reports:
                out += [r.event.from_agency.value
                        for r in _window(ctx, ctx.tl.matching(flt), trig, low)]
        else:
            out.append(source.value)
    return list(dict.fromkeys(out))


def _withdrawn(ctx: Ctx, c: _Compiled, trig: Ev, low: int, met: Ev | None,
               due: Computed) -> bool:
    """A deadline before a conference withdrawn by an event in the conference's window,
    before anything met it and no later than the due date (a birth before 28 weeks)."""
    for f in c.cancelled_by:
        if isinstance(f, str):
            continue  # the end of a plan does not withdraw what is due before a conference
        found = _window(ctx, ctx.tl.matching(f), trig, low)
        if found and (met is None or found[0].key < met.key) and (
                found[0].key[0] <= due.due.date.toordinal()):
            return True
    return False


def _before(ctx: Ctx, rule: DeadlineRule, c: _Compiled, computed: Computed, trig: Ev,
            sats: Matched) -> Iterator[Finding]:
    """Deadlines at least a time before a conference: events after the previous held
    conference's day and on or before this one's, or naming this conference."""
    prev = ctx.tl.last_of_type_before(trig.type, trig.date)
    low = prev.key[0] + 1 if prev is not None else -(10**7)
    window = _window(ctx, sats, trig, low)
    if rule.when_present and not window:
        return
    if rule.select == "last":
        window.reverse()
    if c.cancelled_by and _withdrawn(ctx, c, trig, low, window[0] if window else None,
                                     computed):
        return
    expected = _expected(ctx, rule, c, trig, low) if rule.expected_from else []
    if rule.per is None or (not window and not expected):
        met = window[0] if window else None
        yield ctx.deadline(rule, computed, status_of(computed.due, met, ctx.as_of), met, trig)
        return
    groups: dict[str, Ev | None] = {}
    attr = "from_" if rule.per == "from" else ("with_" if rule.per == "with" else rule.per)
    for s in window:
        groups.setdefault(str(getattr(getattr(s.event, attr, None), "value",
                                      getattr(s.event, attr, None))), s)
    for agency in expected:
        groups.setdefault(agency, None)
    for key, first in groups.items():
        what = rule.per.replace("_", " ")
        per = Computed(computed.due, f"{computed.basis} ({what}: {key}"
                       f"{'' if first is not None else ', expected and not received'})",
                       computed.duration, computed.version)
        yield ctx.deadline(rule, per, status_of(computed.due, first, ctx.as_of), first, trig,
                           group=key)


# --- words -------------------------------------------------------------------------------


def words(rule: DeadlineRule, on: _dt.date | None) -> dict[str, str]:
    due = rule.due
    trig = trigger_words(rule.trigger)
    w: dict[str, str] = {}
    if isinstance(due, AfterSpec):
        w["timescale"] = f"within {duration_words(due.within, on)}"
        w["starts"] = trig if due.after == "trigger" else (
            f"{filter_words(due.after)} (on or after {trig})")
    elif isinstance(due, BeforeSpec):
        w["timescale"] = f"at least {duration_words(due.at_least, on)} before"
        w["starts"] = trig
    elif isinstance(due, FieldDateSpec):
        w["timescale"] = f"by the {due.on_or_before.replace('_', ' ')} date"
        w["starts"] = trig
    else:
        parts = []
        for part in due.of:
            anchor = trig if part.after == "trigger" else filter_words(part.after)
            parts.append(f"{duration_words(part.within, on)} after {anchor}")
        w["timescale"] = f"whichever is {due.whichever} of: " + "; ".join(sorted(parts))
        w["starts"] = trig
    done = filter_words(rule.satisfied_by)
    if rule.select != "first":
        done += f" (the {rule.select} before the conference counts)"
    if rule.when_present:
        done += " (only when one is recorded)"
    w["done by"] = done
    if rule.cancelled_by:
        w["withdrawn by"] = "; ".join(sorted(filter_words(c) for c in rule.cancelled_by))
    if rule.per:
        w["one per"] = rule.per.replace("_", " ")
        if rule.expected_from:
            w["one per"] += " (expected from: " + ", ".join(sorted(
                str(getattr(x, "value", x)).replace("_", " ") for x in rule.expected_from)) + ")"
    return w
