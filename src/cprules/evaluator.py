"""Evaluate a ruleset against a case's dated facts.

:func:`iter_findings` yields findings (deadlines, obligations, violations, data-quality
notes) one by one, as jsonschema yields validation errors; :func:`evaluate` collects them
into an :class:`~cprules.model.results.Evaluation`. Neither raises on what the case did
or failed to do; exceptions are only for input that cannot be evaluated at all (an
unknown variant). The evaluation is pure: the same ruleset, case and as-of date give the
same result, and the case is never changed.

How events are matched to rules is written down in ``docs/semantics.md``.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import hashlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dateutil.relativedelta import relativedelta

from .errors import CalendarRangeError, CaseError, VariantError
from .model.case import (
    EVENT_MODELS,
    Birth,
    Case,
    CinPlanEnd,
    CinPlanStart,
    Conference,
    ExpectedDelivery,
    PlanEnd,
    PlanStart,
)
from .model.results import (
    CheckResult,
    DataQuality,
    Deadline,
    Evaluation,
    EventRef,
    Finding,
    Obligation,
    Stamp,
    Status,
    Violation,
)
from .model.ruleset import (
    AfterSpec,
    AllCond,
    AnyCond,
    AttendedCond,
    BeforeSpec,
    CheckRule,
    ChildAgeCond,
    CountCond,
    DeadlineRule,
    DurationVersion,
    EventFilter,
    ExistsCond,
    FieldCond,
    FieldDateSpec,
    FirstReviewCond,
    InvitedCond,
    InVocabularyCond,
    MinimumPeriodRule,
    NotCond,
    ObligationRule,
    QuorateCond,
    QuorumSpec,
    RecordedCond,
    RecurringRule,
    Rule,
    Ruleset,
    Trigger,
    WhicheverSpec,
)
from .timescales import Due, add, in_force, later, sooner, subtract
from .version import __version__

__all__ = ["evaluate", "iter_findings", "resolve_variant"]


# --- the timeline -----------------------------------------------------------------


@dataclass(frozen=True)
class _Ev:
    index: int
    event: Any
    fields: dict[str, Any]

    @property
    def type(self) -> str:
        return str(self.event.type)

    @property
    def date(self) -> _dt.date:
        d: _dt.date = self.event.date
        return d

    @property
    def at(self) -> _dt.datetime | None:
        a: _dt.datetime | None = self.event.at
        return a

    @property
    def planned(self) -> bool:
        """Booked, or (an expected delivery) expected: an anchor, never a fact that meets a
        deadline."""
        return bool(getattr(self.event, "planned", False)) or self.type == "expected_delivery"

    @property
    def ref(self) -> EventRef:
        return EventRef(index=self.index, id=self.event.id, type=self.type, date=self.date)

    def sort_key(self) -> tuple[_dt.date, float, int]:
        return (self.date, self.at.timestamp() if self.at else -1e18, self.index)

    def describe(self) -> str:
        return f"{_event_words(self)} on {self.date.isoformat()}"


def _event_words(ev: _Ev) -> str:
    if isinstance(ev.event, Conference):
        kind = ev.event.kind.value.replace("_", "-")
        words = f"{kind} conference"
        return f"planned {words}" if ev.planned else words
    return ev.type.replace("_", " ")


def _matches(ev: _Ev, flt: EventFilter) -> bool:
    if ev.type != flt.event:
        return False
    for key, want in flt.where.items():
        have = ev.fields.get(key)
        wants = want if isinstance(want, list) else [want]
        if isinstance(have, list):
            if not any(w in have for w in wants):
                return False
        elif have not in wants:
            return False
    return True


def _concerns(ev: _Ev) -> frozenset[str] | None:
    """The children an event is about: its ``child`` or ``children``; None for all."""
    child = ev.fields.get("child")
    if isinstance(child, str):
        return frozenset({child})
    children = ev.fields.get("children")
    return frozenset(children) if children else None


def _compatible(a: _Ev, b: _Ev) -> bool:
    """False only when both events name children and none in common."""
    ca, cb = _concerns(a), _concerns(b)
    return ca is None or cb is None or bool(ca & cb)


@dataclass(frozen=True)
class _Period:
    """A stretch of time during which the child was subject to a plan."""

    start: _Ev
    end: _dt.date | None  # the day the plan ended, inclusive; None while it lasts


class _Context:
    def __init__(self, ruleset: Ruleset, case: Case, as_of: _dt.date, variant: str | None):
        self.ruleset = ruleset
        self.case = case
        self.as_of = as_of
        self.variant = variant
        self.month_end = ruleset.month_end
        everything = [
            _Ev(i, ev, ev.model_dump(mode="json", by_alias=True))
            for i, ev in enumerate(case.events)
        ]
        everything += _expected_deliveries(case)
        everything += _births(case, as_of)
        everything.sort(key=_Ev.sort_key)
        self.late: list[_Ev] = [e for e in everything if e.date > as_of and not e.planned]
        # Held events up to the as-of date meet deadlines; planned ones are only anchors.
        self.timeline: list[_Ev] = [e for e in everything if e.date <= as_of or e.planned]
        self.held: list[_Ev] = [e for e in self.timeline if not e.planned and e.date <= as_of]
        ids = [c.id for c in case.children]
        self.periods = _per_child(self.held, ids, _plan_periods)
        self.cin_periods = _per_child(self.held, ids, _cin_periods)

    def held_matching(self, flt: EventFilter) -> list[_Ev]:
        return [e for e in self.held if _matches(e, flt)]

    def period_of(self, day: _dt.date, ev: _Ev | None = None) -> _Period | None:
        """The plan period containing ``day`` (for the children ``ev`` concerns)."""
        for p in self.periods:
            if (p.start.date <= day and (p.end is None or day <= p.end)
                    and (ev is None or _compatible(p.start, ev))):
                return p
        return None


def _plan_periods(held: Sequence[_Ev]) -> list[_Period]:
    periods: list[_Period] = []
    start: _Ev | None = None
    for ev in held:
        e = ev.event
        begins = isinstance(e, PlanStart) or (isinstance(e, Conference) and e.outcome == "plan")
        ends = isinstance(e, PlanEnd) or (isinstance(e, Conference) and e.outcome == "no_plan")
        if begins and start is None:
            start = ev
        elif ends and start is not None:
            periods.append(_Period(start, ev.date))
            start = None
    if start is not None:
        periods.append(_Period(start, None))
    return periods


def _per_child(
    held: Sequence[_Ev], child_ids: Sequence[str],
    periods_of: Callable[[Sequence[_Ev]], list[_Period]],
) -> list[_Period]:
    """Periods worked out child by child (events naming other children do not start or end
    a child's plan), merged so that a plan for the whole case appears once."""
    found: dict[tuple[int, _dt.date | None], _Period] = {}
    for cid in child_ids:
        mine = [e for e in held if (c := _concerns(e)) is None or cid in c]
        for p in periods_of(mine):
            found.setdefault((p.start.index, p.end), p)
    return sorted(found.values(), key=lambda p: (p.start.sort_key(), p.end or _dt.date.max))


def _cin_periods(held: Sequence[_Ev]) -> list[_Period]:
    periods: list[_Period] = []
    start: _Ev | None = None
    for ev in held:
        if isinstance(ev.event, CinPlanStart) and start is None:
            start = ev
        elif isinstance(ev.event, CinPlanEnd) and start is not None:
            periods.append(_Period(start, ev.date))
            start = None
    if start is not None:
        periods.append(_Period(start, None))
    return periods


def _expected_deliveries(case: Case) -> list[_Ev]:
    """An ``expected_delivery`` event for each unborn child whose case does not record one.

    Synthetic events have negative indexes (-1 for the first child, -2 for the second).
    """
    recorded = {
        getattr(ev, "child", None) for ev in case.events if isinstance(ev, ExpectedDelivery)
    }
    out = []
    for n, child in enumerate(case.children):
        edd = child.expected_date_of_delivery
        if edd is None:
            continue
        if child.id in recorded or (None in recorded and len(case.children) == 1):
            continue
        ev = ExpectedDelivery(type="expected_delivery", date=edd, child=child.id,
                              id=f"expected_delivery:{child.id}")
        out.append(_Ev(-(n + 1), ev, ev.model_dump(mode="json", by_alias=True)))
    return out


def _births(case: Case, as_of: _dt.date) -> list[_Ev]:
    """A ``birth`` event for each child with a ``date_of_birth`` (up to the as-of date)
    whose birth the case does not record. Indexes -101, -102, ... by child."""
    recorded = {getattr(ev, "child", None) for ev in case.events if isinstance(ev, Birth)}
    out = []
    for n, child in enumerate(case.children):
        dob = child.date_of_birth
        if dob is None or dob > as_of:
            continue
        if child.id in recorded or (None in recorded and len(case.children) == 1):
            continue
        ev = Birth(type="birth", date=dob, child=child.id, id=f"birth:{child.id}")
        out.append(_Ev(-(101 + n), ev, ev.model_dump(mode="json", by_alias=True)))
    return out


# --- data quality ---------------------------------------------------------------------


def _data_quality(ctx: _Context) -> Iterator[DataQuality]:
    for ev in ctx.late:
        yield DataQuality(
            code="after_as_of",
            message=f"{ev.describe()} is after the as-of date {ctx.as_of.isoformat()} and "
            "was not taken into account",
            event=ev.ref,
        )
    for ev in ctx.timeline:
        if ev.planned and ev.date < ctx.as_of and ev.type != "expected_delivery":
            yield DataQuality(
                code="planned_in_past",
                message=f"{ev.describe()} is marked planned but its date has passed; "
                "record it as held (planned: false) or remove it",
                event=ev.ref,
            )
    first_conf: _Ev | None = None
    for ev in ctx.held:
        if isinstance(ev.event, Conference):
            if ev.event.kind.value == "review" and first_conf is None:
                yield DataQuality(
                    code="review_before_initial",
                    message=f"{ev.describe()} comes before any initial, pre-birth or "
                    "transfer-in conference in the timeline",
                    event=ev.ref,
                )
            first_conf = first_conf or ev
    seen: dict[str, _Ev] = {}
    for ev in ctx.timeline:
        key = repr(sorted((k, v) for k, v in ev.fields.items() if k != "id"))
        if key in seen:
            yield DataQuality(
                code="possible_duplicate",
                message=f"{ev.describe()} repeats events[{seen[key].index}] field for "
                "field; both were kept",
                event=ev.ref,
            )
        else:
            seen[key] = ev
    dobs = {c.id: c.date_of_birth for c in ctx.case.children}
    for ev in ctx.held:
        if ev.type == "visit" or (isinstance(ev.event, Conference)
                                  and ev.event.kind.value != "pre_birth"):
            concerned = _concerns(ev) or frozenset(dobs)
            born = [dobs.get(c) for c in concerned]
            if born and all(b is not None and ev.date < b for b in born):
                yield DataQuality(
                    code="before_birth",
                    message=f"{ev.describe()} is before the birth of the child it concerns "
                    "(a conference before the birth is a pre_birth conference)",
                    event=ev.ref,
                )
    births = {c.id: c for c in ctx.case.children}
    for ev in ctx.held:
        if ev.type == "birth":
            child_id = ev.event.child
            child = births.get(child_id) if child_id else (
                ctx.case.children[0] if len(ctx.case.children) == 1 else None)
            if child and child.date_of_birth and child.date_of_birth != ev.date:
                yield DataQuality(
                    code="birth_date_mismatch",
                    message=f"birth recorded on {ev.date} but child {child.id!r} has "
                    f"date_of_birth {child.date_of_birth}",
                    event=ev.ref,
                )


# --- triggers -------------------------------------------------------------------------


def _select_triggers(ctx: _Context, trig: Trigger, *, allow_planned: bool) -> list[_Ev]:
    pool = ctx.timeline if allow_planned else ctx.held
    cands = [e for e in pool if _matches(e, trig)]
    if not cands and trig.otherwise is not None:
        cands = [e for e in pool if _matches(e, trig.otherwise)]
    if trig.requires is not None:
        filters = trig.requires if isinstance(trig.requires, list) else [trig.requires]
        req = [e for e in ctx.held if any(_matches(e, f) for f in filters)]
        within = trig.requires_within

        def required(c: _Ev) -> bool:
            low = subtract(c.date, within).date if within is not None else None
            return any(r.date <= c.date and r.index != c.index and _compatible(r, c)
                       and (low is None or r.date >= low) for r in req)

        cands = [c for c in cands if required(c)]
    if trig.following is not None:
        anchors = ctx.held_matching(trig.following)
        picked: list[_Ev] = []
        for i, a in enumerate(anchors):
            nxt = anchors[i + 1].date if i + 1 < len(anchors) else None
            for c in cands:
                if (c.date >= a.date and (nxt is None or c.date < nxt) and c.index != a.index
                        and _compatible(a, c)):
                    if c not in picked:
                        picked.append(c)
                    break
        cands = picked
    if trig.nth_in_plan is not None:
        nth: list[_Ev] = []
        for period in ctx.periods:
            inside = [c for c in cands if c.date >= period.start.date
                      and (period.end is None or c.date <= period.end)
                      and _compatible(c, period.start)]
            if len(inside) >= trig.nth_in_plan:
                nth.append(inside[trig.nth_in_plan - 1])
        cands = nth
    if trig.occurrence == "first":
        cands = cands[:1]
    elif trig.occurrence == "last":
        cands = cands[-1:]
    return cands


# --- deadlines --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Computed:
    due: Due
    basis: str
    duration: str | None
    version: DurationVersion | None


class _Unknown(Exception):
    """A component of the due date depends on an event that has not happened yet."""


def _after(ctx: _Context, spec: AfterSpec, trig: _Ev) -> _Computed:
    if spec.after == "trigger":
        base = trig
    else:
        flt = spec.after
        later_events = [e for e in ctx.held_matching(flt) if e.date >= trig.date]
        if not later_events:
            raise _Unknown(f"{flt.describe().replace('_', ' ')} not yet recorded")
        base = later_events[0]
    dur, version = in_force(spec.within, trig.date)
    due = add(base.date, dur, at=base.at, month_end=ctx.month_end)
    return _Computed(due, f"{dur} after {base.describe()}", str(dur), version)


def _compute_due(ctx: _Context, rule: DeadlineRule, trig: _Ev) -> _Computed:
    spec = rule.due
    if isinstance(spec, AfterSpec):
        return _after(ctx, spec, trig)
    if isinstance(spec, BeforeSpec):
        dur, version = in_force(spec.at_least, trig.date)
        due = subtract(trig.date, dur, at=trig.at, month_end=ctx.month_end)
        return _Computed(due, f"at least {dur} before {trig.describe()}", str(dur), version)
    if isinstance(spec, FieldDateSpec):
        day = getattr(trig.event, spec.on_or_before)
        name = spec.on_or_before.replace("_", " ")
        return _Computed(Due(day), f"on or before the {_event_words(trig)}'s "
                         f"{name} date {day.isoformat()}", None, None)
    assert isinstance(spec, WhicheverSpec)
    parts: list[_Computed] = []
    unknown: list[str] = []
    for part in spec.of:
        try:
            parts.append(_after(ctx, part, trig))
        except _Unknown as exc:
            unknown.append(str(exc))
    if not parts:
        raise _Unknown("; ".join(unknown))
    pick = sooner if spec.whichever == "sooner" else later
    chosen = pick(*(p.due for p in parts))
    winner = next(p for p in parts if p.due == chosen)
    words = "; ".join(f"{p.basis} ({p.due.date.isoformat()})" for p in parts)
    basis = f"whichever is {spec.whichever} of: {words}"
    if unknown:
        basis += f"; provisional: {'; '.join(unknown)}"
    return _Computed(chosen, basis, winner.duration, winner.version)


def _status(due: Due, met: _Ev | None, as_of: _dt.date) -> Status:
    if met is not None:
        return "met" if due.met_by(met.date, met.at) else "met_late"
    return "overdue" if as_of > due.date else "pending"


def _belongs(sat: _Ev, trig: _Ev) -> bool | None:
    """True/False when the satisfying event names its conference; None when it does not."""
    ref = sat.fields.get("conference")
    if ref is None or not isinstance(trig.event, Conference) or trig.event.id is None:
        return None
    return bool(ref == trig.event.id)


def _conference_bound(flt: EventFilter) -> bool:
    """True for event types that belong to a conference (they have a 'conference' field)."""
    return "conference" in EVENT_MODELS[flt.event].model_fields


def _cancel_date(ctx: _Context, rule: DeadlineRule, trig: _Ev) -> _dt.date | None:
    dates: list[_dt.date] = []
    for c in rule.cancelled_by:
        if c == "plan_end":
            period = ctx.period_of(trig.date, trig)
            if period is not None and period.end is not None:
                dates.append(period.end)
        else:
            dates += [e.date for e in ctx.held_matching(c)
                      if e.date >= trig.date and e.index != trig.index and _compatible(e, trig)]
    return min(dates) if dates else None


def _deadline(
    rule: Rule,
    computed: _Computed,
    status: Status,
    met: _Ev | None,
    trig: _Ev | None,
    group: str | None = None,
) -> Deadline:
    return Deadline(
        group=group,
        rule_id=rule.id,
        title=rule.title,
        responsible=rule.responsible,
        due=computed.due.date,
        due_at=computed.due.at,
        status=status,
        met_by=met.ref if met else None,
        trigger=trig.ref if trig else None,
        basis=computed.basis,
        duration=computed.duration,
        version_from=computed.version.from_ if computed.version else None,
        severity=rule.severity,
        citation=(computed.version.source if computed.version and computed.version.source
                  else rule.source),
        note=(computed.version.note if computed.version and computed.version.note
              else rule.note),
    )


def _deadline_rule(ctx: _Context, rule: DeadlineRule) -> Iterator[Deadline | DataQuality]:
    before = isinstance(rule.due, BeforeSpec)
    triggers = _select_triggers(ctx, rule.trigger, allow_planned=before)
    same_type = [e for e in ctx.timeline if e.type == rule.trigger.event]
    for n, trig in enumerate(triggers):
        try:
            computed = _compute_due(ctx, rule, trig)
        except _Unknown:
            continue
        except CalendarRangeError as exc:
            yield _calendar_problem(rule, trig, exc)
            continue
        except LookupError as exc:
            yield DataQuality(code="no_version_in_force",
                              message=f"rule {rule.id}: {exc}", event=trig.ref)
            continue
        sats = [e for e in ctx.held_matching(rule.satisfied_by)
                if e.index != trig.index and _compatible(e, trig)]
        if before:
            prev = [e.date for e in same_type if e.date < trig.date
                    and not getattr(e.event, "planned", False)]
            low = max(prev) if prev else None
            window = [
                s for s in sats
                if _belongs(s, trig) is True
                or (_belongs(s, trig) is None and (low is None or s.date > low)
                    and s.date <= trig.date)
            ]
            if rule.when_present and not window:
                continue
            yield from _before_deadlines(ctx, rule, computed, trig, window)
            continue
        nxt = triggers[n + 1].date if n + 1 < len(triggers) else None
        if isinstance(trig.event, Conference) and _conference_bound(rule.satisfied_by):
            # A document or report belongs to the latest conference before it: stop at the
            # next held conference of any kind, not only the next trigger of this rule.
            later_conf = [e.date for e in ctx.held
                          if isinstance(e.event, Conference) and e.date > trig.date]
            if later_conf and (nxt is None or later_conf[0] < nxt):
                nxt = later_conf[0]
        window = [
            s for s in sats
            if _belongs(s, trig) is True
            or (_belongs(s, trig) is None and s.date >= trig.date
                and (nxt is None or s.date < nxt or s.date == trig.date))
        ]
        met = window[0] if window else None
        if rule.when_present and met is None:
            continue
        cancel = _cancel_date(ctx, rule, trig)
        if (cancel is not None and (met is None or cancel < met.date)
                and cancel <= computed.due.date):
            continue  # withdrawn before it fell due
        yield _deadline(rule, computed, _status(computed.due, met, ctx.as_of), met, trig)


def _before_deadlines(
    ctx: _Context, rule: DeadlineRule, computed: _Computed, trig: _Ev, window: list[_Ev]
) -> Iterator[Deadline]:
    if rule.select == "last":
        window = window[::-1]
    if rule.per is None or not window:
        met = window[0] if window else None
        yield _deadline(rule, computed, _status(computed.due, met, ctx.as_of), met, trig)
        return
    groups: dict[str, _Ev] = {}
    for s in window:
        groups.setdefault(str(s.fields.get(rule.per)), s)
    for key, first in groups.items():
        per_computed = _Computed(
            computed.due, f"{computed.basis} ({rule.per.replace('_', ' ')}: {key})",
            computed.duration, computed.version,
        )
        yield _deadline(rule, per_computed, _status(computed.due, first, ctx.as_of),
                        first, trig, group=key)


def _calendar_problem(rule: Rule, trig: _Ev, exc: CalendarRangeError) -> DataQuality:
    return DataQuality(
        code="outside_calendar",
        message=f"rule {rule.id}: cannot work out the due date from {trig.describe()}: "
        f"{exc.message} ({exc.suggestion})",
        event=trig.ref,
    )


def _recurring_rule(ctx: _Context, rule: RecurringRule) -> Iterator[Deadline | DataQuality]:
    periods = ctx.periods if rule.during == "plan" else ctx.cin_periods
    for period in periods:
        occurrences = [o for o in ctx.held_matching(rule.satisfied_by)
                       if _compatible(o, period.start)]
        end = period.end
        start_ev = period.start.event
        if (rule.not_before_birth and isinstance(start_ev, Conference)
                and start_ev.kind.value == "pre_birth"):
            births = [e for e in ctx.held if e.type == "birth"
                      and e.date >= period.start.date and _compatible(e, period.start)]
            if not births or (end is not None and births[0].date > end):
                continue  # not born yet, or born after the plan ended
            base = births[0]
        else:
            base = period.start
        if rule.start is None:
            prev = base
        else:
            starts = [e for e in ctx.held_matching(rule.start)
                      if e.date >= base.date and (end is None or e.date <= end)]
            if not starts:
                continue
            prev = starts[0]
        for _ in range(10_000):
            try:
                dur, version = in_force(rule.interval, prev.date)
                due = add(prev.date, dur, at=prev.at, month_end=ctx.month_end)
            except CalendarRangeError as exc:
                yield _calendar_problem(rule, prev, exc)
                break
            except LookupError as exc:
                yield DataQuality(code="no_version_in_force",
                                  message=f"rule {rule.id}: {exc}", event=prev.ref)
                break
            computed = _Computed(due, f"not more than {dur} after {prev.describe()}",
                                 str(dur), version)
            nxt = next((o for o in occurrences if o.date > prev.date and o.index != prev.index
                        and (end is None or o.date <= end)), None)
            if nxt is not None:
                yield _deadline(rule, computed, _status(due, nxt, ctx.as_of), nxt, prev)
                prev = nxt
                continue
            if end is not None and end <= due.date:
                break  # the plan ended before the next one fell due
            yield _deadline(rule, computed, _status(due, None, ctx.as_of), None, prev)
            break


def _ending_dates(
    ctx: _Context, ended_by: Sequence[EventFilter | str], trig: _Ev
) -> list[tuple[_dt.date, _Ev | None]]:
    out: list[tuple[_dt.date, _Ev | None]] = []
    for c in ended_by:
        if c == "plan_end":
            # the plan containing the trigger or, if none does, the next one
            period = next((p for p in ctx.periods if (p.end is None or p.end >= trig.date)
                           and _compatible(p.start, trig)), None)
            if period is not None and period.end is not None:
                end_ev = next((e for e in ctx.held if e.date == period.end and (
                    isinstance(e.event, PlanEnd) or (isinstance(e.event, Conference)
                                                    and e.event.outcome == "no_plan"))), None)
                out.append((period.end, end_ev))
        elif isinstance(c, EventFilter):
            out += [(e.date, e) for e in ctx.held_matching(c)
                    if e.date >= trig.date and e.index != trig.index]
    return sorted(out, key=lambda x: x[0])


def _minimum_rule(ctx: _Context, rule: MinimumPeriodRule) -> Iterator[Finding]:
    for trig in _select_triggers(ctx, rule.trigger, allow_planned=False):
        try:
            if rule.until is not None:
                day = getattr(trig.event, rule.until)
                until = Due(day)
                basis = f"until the {rule.until.replace('_', ' ')} date of the " \
                        f"{_event_words(trig)} ({day.isoformat()})"
            else:
                assert rule.period is not None
                dur, _version = in_force(rule.period, trig.date)
                until = add(trig.date, dur, month_end=ctx.month_end)
                basis = f"at least {dur} from {trig.describe()}"
        except CalendarRangeError as exc:
            yield _calendar_problem(rule, trig, exc)
            continue
        except LookupError as exc:
            yield DataQuality(code="no_version_in_force", message=f"rule {rule.id}: {exc}",
                              event=trig.ref)
            continue
        endings = _ending_dates(ctx, rule.ended_by, trig)
        ending = endings[0] if endings else None
        if ending is None:
            if ctx.as_of < until.date:
                yield Obligation(
                    rule_id=rule.id,
                    message=f"{rule.title}: not before {until.date.isoformat()} ({basis})",
                    responsible=rule.responsible,
                    due=until.date,
                    citation=rule.source,
                )
            continue
        day, ev = ending
        if day >= until.date:
            continue
        if ev is not None and any(_matches(ev, a) for a in rule.allowed_if):
            continue
        yield Violation(
            rule_id=rule.id,
            message=f"Ended too soon: {rule.title}; ended {day.isoformat()}, "
            f"before {until.date.isoformat()} ({basis})",
            severity=rule.severity,
            due=until.date,
            evidence=tuple(r for r in (trig.ref, ev.ref if ev else None) if r is not None),
            citation=rule.source,
        )


# --- decision rules ---------------------------------------------------------------------


def _group_of(ctx: _Context, agency: str) -> str:
    for group, members in ctx.ruleset.agency_groups.items():
        if agency in members or agency == group:
            return group
    return agency


def _attending_groups(ctx: _Context, ev: _Ev, direct_only: bool) -> set[str]:
    conf = ev.event
    if not isinstance(conf, Conference):
        return set()
    return {_group_of(ctx, a.agency.value) for a in conf.attendees
            if a.direct_contact or not direct_only}


def _children_older_than(ctx: _Context, day: _dt.date, years: int) -> bool:
    return any(
        c.date_of_birth is not None and relativedelta(day, c.date_of_birth).years >= years
        and day >= c.date_of_birth + relativedelta(years=years, days=1)
        for c in ctx.case.children
    )


def _for_conference(ctx: _Context, e: _Ev, conf: _Ev) -> bool:
    """True when ``e`` belongs to conference ``conf``: it names it, or (naming none) it
    falls after the previous conference's day and on or before ``conf``'s."""
    ref = e.fields.get("conference")
    if ref is not None:
        return bool(ref == conf.event.id)
    prev = [c.date for c in ctx.held if isinstance(c.event, Conference) and c.date < conf.date]
    return (not prev or e.date > max(prev)) and e.date <= conf.date


class _NotRecorded(Exception):
    """A condition needs a fact the case does not record (e.g. attendance): the rule is
    not applied to that subject."""


def _quorate(ctx: _Context, spec: QuorumSpec, ev: _Ev) -> tuple[bool, str]:
    if not ev.fields.get("attendees"):
        raise _NotRecorded("attendance not recorded")
    groups = _attending_groups(ctx, ev, spec.direct_contact_only)
    core = _group_of(ctx, spec.core.value)
    gp_group = _group_of(ctx, "gp")
    note = ""
    if (spec.gp_report_counts_for_health_over_age is not None and gp_group not in groups
            and _children_older_than(ctx, ev.date, spec.gp_report_counts_for_health_over_age)):
        gp_reports = [e for e in ctx.held if e.type == "report_submitted"
                      and e.fields.get("from_agency") == "gp" and _for_conference(ctx, e, ev)]
        if gp_reports:
            groups.add(gp_group)
            note = " (health by a GP report)"
    others = sorted(groups - {core})
    ok = core in groups and len(others) >= spec.others_at_least
    detail = (f"attended by {core if core in groups else 'no ' + core}"
              f" and {len(others)} other agenc{'y' if len(others) == 1 else 'ies'}"
              f"{': ' + ', '.join(others) if others else ''}{note}; needs {core} and at least "
              f"{spec.others_at_least} other agencies with direct contact")
    return ok, detail


def _holds(ctx: _Context, cond: Any, ev: _Ev) -> tuple[bool, str]:
    """Whether ``cond`` holds for subject ``ev``, and the facts that decided it."""
    if isinstance(cond, FieldCond):
        for key, want in cond.field.items():
            have = ev.fields.get(key)
            wants = want if isinstance(want, list) else [want]
            if want is None:
                ok = have is None or have == []
            elif isinstance(have, list):
                ok = any(w in have for w in wants)
            else:
                ok = have in wants
            if not ok:
                return False, f"{key} is {have!r}, not {want!r}"
        return True, ", ".join(f"{k} is {ev.fields.get(k)!r}" for k in cond.field)
    if isinstance(cond, RecordedCond):
        facts = cond.recorded if isinstance(cond.recorded, list) else [cond.recorded]
        have = set(ev.fields.get("recorded") or [])
        missing = [f.value for f in facts if f.value not in have]
        if missing:
            return False, f"not recorded: {', '.join(missing)}"
        return True, f"recorded: {', '.join(f.value for f in facts)}"
    if isinstance(cond, QuorateCond):
        return _quorate(ctx, cond.quorate, ev)
    if isinstance(cond, AttendedCond):
        if not ev.fields.get("attendees"):
            raise _NotRecorded("attendance not recorded")
        groups = _attending_groups(ctx, ev, False)
        missing = [a.value for a in cond.attended_by if _group_of(ctx, a.value) not in groups]
        return (not missing, f"did not attend: {', '.join(missing)}" if missing
                else f"attended by {', '.join(a.value for a in cond.attended_by)}")
    if isinstance(cond, InvitedCond):
        invited = {_group_of(ctx, a) for a in ev.fields.get("invited") or []}
        missing = [a.value for a in cond.invited if _group_of(ctx, a.value) not in invited]
        return (not missing, f"not invited: {', '.join(missing)}" if missing
                else f"invited: {', '.join(a.value for a in cond.invited)}")
    if isinstance(cond, CountCond):
        value = ev.fields.get(cond.count.field) or []
        n = len(value) if isinstance(value, list) else 1
        ok = ((cond.count.at_most is None or n <= cond.count.at_most)
              and (cond.count.at_least is None or n >= cond.count.at_least))
        return ok, f"{cond.count.field.replace('_', ' ')}: {n}"
    if isinstance(cond, ExistsCond):
        spec = cond.exists
        found = []
        for e in ctx.held_matching(spec):
            if e.index == ev.index or not _compatible(e, ev):
                continue
            ref = e.fields.get("conference")
            if ref is not None and isinstance(ev.event, Conference) and ev.event.id is not None:
                if ref == ev.event.id:
                    found.append(e)
                continue
            if spec.relative == "before":
                lo = subtract(ev.date, spec.within).date if spec.within else None
                if e.date <= ev.date and (lo is None or e.date >= lo):
                    found.append(e)
            else:
                hi = add(ev.date, spec.within).date if spec.within else None
                if e.date >= ev.date and (hi is None or e.date <= hi):
                    found.append(e)
        words = spec.describe().replace("_", " ")
        return (bool(found), f"{words} on {found[0].date.isoformat()}" if found
                else f"no {words} {spec.relative} it")
    if isinstance(cond, FirstReviewCond):
        first = False
        if isinstance(ev.event, Conference) and ev.event.kind.value == "review":
            period = ctx.period_of(ev.date, ev)
            start = period.start.date if period else _dt.date.min
            earlier = [e for e in ctx.held if isinstance(e.event, Conference)
                       and e.event.kind.value == "review" and start <= e.date
                       and e.sort_key() < ev.sort_key() and _compatible(e, ev)]
            first = not earlier
        return first == cond.first_review, ("the first review of the plan" if first
                                            else "not the first review of the plan")
    if isinstance(cond, ChildAgeCond):
        ok = _children_older_than(ctx, ev.date, cond.child_older_than)
        return ok, (f"a child is over {cond.child_older_than}" if ok
                    else f"no child over {cond.child_older_than}")
    if isinstance(cond, InVocabularyCond):
        spec_v = cond.in_vocabulary
        ids = {item.id for item in ctx.ruleset.vocabularies.get(spec_v.vocabulary, [])
               if item.permitted}
        value = ev.fields.get(spec_v.field)
        values = value if isinstance(value, list) else ([] if value is None else [value])
        bad = [v for v in values if v not in ids]
        if not values:
            return False, f"no {spec_v.field.replace('_', ' ')} recorded"
        if bad:
            return False, (f"{', '.join(map(str, bad))} is not in {spec_v.vocabulary} "
                           f"({', '.join(sorted(ids)) or 'the text gives none'})")
        return True, f"{spec_v.field.replace('_', ' ')}: {', '.join(map(str, values))}"
    if isinstance(cond, AllCond):
        details = []
        for c in cond.all:
            ok, why = _holds(ctx, c, ev)
            if not ok:
                return False, why
            details.append(why)
        return True, "; ".join(details)
    if isinstance(cond, AnyCond):
        whys = []
        for c in cond.any:
            ok, why = _holds(ctx, c, ev)
            if ok:
                return True, why
            whys.append(why)
        return False, " and ".join(whys)
    if isinstance(cond, NotCond):
        ok, why = _holds(ctx, cond.not_, ev)
        return not ok, why
    raise TypeError(f"unknown condition {type(cond).__name__}")  # pragma: no cover


def _subjects(ctx: _Context, rule: CheckRule | ObligationRule) -> list[_Ev]:
    return [e for e in ctx.held if any(_matches(e, f) for f in rule.subjects)]


def _applies(ctx: _Context, rule: CheckRule | ObligationRule, ev: _Ev) -> bool:
    try:
        return rule.when is None or _holds(ctx, rule.when, ev)[0]
    except _NotRecorded:
        return False


def _check_rule(ctx: _Context, rule: CheckRule) -> Iterator[Finding]:
    for ev in _subjects(ctx, rule):
        if not _applies(ctx, rule, ev):
            continue
        try:
            ok, why = _holds(ctx, rule.require, ev)
        except _NotRecorded:
            continue
        yield CheckResult(rule_id=rule.id, title=rule.title, subject=ev.ref, passed=ok,
                          detail=why, citation=rule.source)
        if not ok:
            yield Violation(
                rule_id=rule.id,
                message=f"{rule.title}: not met at {ev.describe()} ({why})",
                severity=rule.severity,
                due=None,
                evidence=(ev.ref,),
                citation=rule.source,
            )


def _obligation_rule(ctx: _Context, rule: ObligationRule) -> Iterator[Finding]:
    for ev in _subjects(ctx, rule):
        if not _applies(ctx, rule, ev):
            continue
        done: _Ev | None = None
        if rule.satisfied_by is not None:
            cands = [e for e in ctx.timeline if _matches(e, rule.satisfied_by)
                     and e.index != ev.index and (e.date <= ctx.as_of or e.planned)
                     and _compatible(e, ev)]
            for e in cands:
                belongs = _belongs(e, ev)
                if belongs is True or (belongs is None and e.date >= ev.date):
                    done = e
                    break
        why = (f"{_event_words(done)} on {done.date.isoformat()}" if done
               else f"after {ev.describe()}")
        yield CheckResult(rule_id=rule.id, title=rule.title, subject=ev.ref,
                          passed=done is not None, detail=why, citation=rule.source)
        if done is None:
            who = f" ({rule.responsible})" if rule.responsible else ""
            yield Obligation(
                rule_id=rule.id,
                message=f"{rule.title}{who}: {why}",
                responsible=rule.responsible,
                due=None,
                citation=rule.source,
            )


_HANDLERS: dict[type[Any], Callable[[_Context, Any], Iterator[Finding]]] = {
    DeadlineRule: _deadline_rule,
    RecurringRule: _recurring_rule,
    MinimumPeriodRule: _minimum_rule,
    CheckRule: _check_rule,
    ObligationRule: _obligation_rule,
}


# --- findings ---------------------------------------------------------------------------


def _follow_ups(d: Deadline) -> Iterator[Obligation | Violation]:
    who = f" ({d.responsible})" if d.responsible else ""
    if d.status in ("pending", "overdue"):
        yield Obligation(
            rule_id=d.rule_id,
            message=f"{d.title}{who}: due {d.due.isoformat()}",
            responsible=d.responsible,
            due=d.due,
            citation=d.citation,
        )
    if d.status == "overdue":
        yield Violation(
            rule_id=d.rule_id,
            message=f"Overdue: {d.title}; was due {d.due.isoformat()} ({d.basis})",
            severity=d.severity,
            due=d.due,
            evidence=tuple(r for r in (d.trigger,) if r is not None),
            citation=d.citation,
        )
    elif d.status == "met_late" and d.met_by is not None:
        late = (d.met_by.date - d.due).days
        when = (f"{late} day{'s' if late != 1 else ''} late" if late
                else "late on the due day")
        due_text = d.due_at.isoformat(timespec="minutes") if d.due_at else d.due.isoformat()
        yield Violation(
            rule_id=d.rule_id,
            message=f"Late: {d.title}; due {due_text}, done "
            f"{d.met_by.date.isoformat()} ({when}; {d.basis})",
            severity=d.severity,
            due=d.due,
            evidence=tuple(r for r in (d.trigger, d.met_by) if r is not None),
            citation=d.citation,
        )


def resolve_variant(ruleset: Ruleset, case: Case | None, variant: str | None) -> str | None:
    """The variant to apply: the one asked for, else the case's local authority.

    A ruleset with variants needs one; a ruleset without variants ignores the choice.
    """
    if not ruleset.variants:
        if variant is not None:
            raise VariantError(
                f"ruleset '{ruleset.partnership}' has no variants, but '{variant}' was asked for"
            )
        return None
    chosen = variant or (case.local_authority if case is not None else None)
    listing = ", ".join(f"{k} ({v.name})" for k, v in sorted(ruleset.variants.items()))
    if chosen is None:
        raise VariantError(
            f"ruleset '{ruleset.partnership}' has variants: {listing}; the case must name its "
            "local_authority",
            path="local_authority",
            suggestion=f"set local_authority to one of: {', '.join(sorted(ruleset.variants))}",
        )
    if chosen not in ruleset.variants:
        close = difflib.get_close_matches(chosen, list(ruleset.variants), n=1)
        raise VariantError(
            f"'{chosen}' is not a variant of ruleset '{ruleset.partnership}' (variants: "
            f"{listing})",
            path="local_authority",
            suggestion=f"did you mean '{close[0]}'?" if close else None,
        )
    return chosen


def iter_findings(
    ruleset: Ruleset, case: Case, *, as_of: _dt.date, variant: str | None = None
) -> Iterator[Finding]:
    """Yield every finding of ``ruleset`` on ``case`` as of ``as_of``, rule by rule.

    Deadlines come with the obligations and violations that follow from them. Use it to
    stop at the first overdue item, or to stream findings into another system:

    >>> next(f for f in iter_findings(york, case, as_of=date(2024, 9, 20))
    ...      if getattr(f, "status", None) == "overdue").rule_id
    'reports.chair.review'
    """
    yield from _findings(ruleset, case, as_of, resolve_variant(ruleset, case, variant))


def _findings(
    ruleset: Ruleset, case: Case, as_of: _dt.date, chosen: str | None
) -> Iterator[Finding]:
    ctx = _Context(ruleset, case, as_of, chosen)
    yield from _data_quality(ctx)
    for rule in ruleset.rules_for(chosen):
        handler = _HANDLERS[type(rule)]
        for found in handler(ctx, rule):
            yield found
            if isinstance(found, Deadline):
                yield from _follow_ups(found)


def _sha(ruleset: Ruleset) -> tuple[str, str | None]:
    sha = getattr(ruleset, "content_sha256", None)
    file = getattr(ruleset, "source_file", None)
    if isinstance(sha, str):
        return sha, file if isinstance(file, str) else None
    dump = ruleset.model_dump_json(by_alias=True).encode("utf-8")
    return hashlib.sha256(dump).hexdigest(), None


def evaluate(
    ruleset: Ruleset | str,
    case: Case | Mapping[str, Any],
    *,
    as_of: _dt.date | str | None = None,
    variant: str | None = None,
) -> Evaluation:
    """Evaluate ``case`` under ``ruleset`` as of a date.

    ``ruleset`` is a loaded ruleset, or a bundled name or path (as for ``load_ruleset``);
    ``case`` a :class:`Case`, or case facts as parsed JSON (as for ``case_from_data``).
    ``as_of`` (a date or "YYYY-MM-DD") defaults to the case's own ``as_of``, then to
    today. Events after it are left out (reported as data-quality findings), so an
    evaluation as of a past date shows what was known then.

    >>> ev = evaluate(load_ruleset("york"), load_case("examples/york-case.yaml"),
    ...               as_of=date(2024, 7, 1))
    >>> [d.status for d in ev.deadline("icpc.timing")]
    ['met']
    """
    if isinstance(ruleset, str):
        from .loader import load_ruleset

        ruleset = load_ruleset(ruleset)
    if not isinstance(case, Case):
        from .loader import case_from_data

        case = case_from_data(case)
    if isinstance(as_of, str):
        try:
            as_of = _dt.date.fromisoformat(as_of)
        except ValueError:
            raise CaseError(f"as_of '{as_of}' is not a date (YYYY-MM-DD)",
                            path="as_of") from None
    if as_of is None:
        as_of = case.as_of or _dt.date.today()
    if isinstance(as_of, _dt.datetime):
        as_of = as_of.date()
    chosen = resolve_variant(ruleset, case, variant)
    found = list(_findings(ruleset, case, as_of, chosen))
    sha, file = _sha(ruleset)
    stamp = Stamp(
        ruleset=ruleset.partnership,
        ruleset_title=ruleset.title,
        ruleset_version=ruleset.version,
        variant=chosen,
        content_sha256=sha,
        source_file=file,
        cprules_version=__version__,
        as_of=as_of,
        case_id=case.id,
    )

    def order(d: Deadline) -> tuple[Any, ...]:
        return (d.due, d.rule_id, d.trigger.index if d.trigger else -1)

    deadlines = sorted((f for f in found if isinstance(f, Deadline)), key=order)
    return Evaluation(
        stamp=stamp,
        deadlines=tuple(deadlines),
        obligations=tuple(sorted((f for f in found if isinstance(f, Obligation)),
                                 key=lambda o: (o.due or _dt.date.max, o.rule_id))),
        violations=tuple(sorted((f for f in found if isinstance(f, Violation)),
                                key=lambda v: (v.due or _dt.date.max, v.rule_id))),
        checks=tuple(f for f in found if isinstance(f, CheckResult)),
        data_quality=tuple(f for f in found if isinstance(f, DataQuality)),
    )

