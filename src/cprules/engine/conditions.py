"""The condition kinds of decision rules, one entry each in :data:`CONDITIONS`: how the
condition is decided on a subject event of one child's timeline, and its words.

A condition gives ``(holds, facts that decided it)``; one that needs a fact the case does
not record (a conference's attendance) raises :class:`NotRecorded`, and the rule is then
not applied to that subject ("not recorded is not failed").
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, get_args

from dateutil.relativedelta import relativedelta

from ..model.conditions import (
    AllCond,
    AnyCond,
    AttendedCond,
    ChildAgeCond,
    Condition,
    CountCond,
    ExistsCond,
    FieldCond,
    FirstReviewCond,
    InvitedCond,
    InVocabularyCond,
    NotCond,
    QuorateCond,
    QuorumSpec,
    RecordedCond,
)
from ..model.events import EVENT_MODELS
from .context import Ctx
from .timeline import Ev, claims
from .words import filter_words, value_words

__all__ = ["CONDITIONS", "NotRecorded", "holds", "words"]


class NotRecorded(Exception):
    """A condition needs a fact the case does not record."""


Result = tuple[bool, str]

_NAMES: dict[str, dict[str, str]] = {
    t: {(f.alias or n): n for n, f in m.model_fields.items()} for t, m in EVENT_MODELS.items()
}


def _get(ev: Ev, key: str) -> Any:
    """A field of the subject by its name in the format (``with``, ``from`` included)."""
    return getattr(ev.event, _NAMES[ev.type].get(key, key), None)


def _plain(v: Any) -> Any:
    if isinstance(v, tuple):
        return [_plain(x) for x in v]
    return getattr(v, "value", v)


@dataclass(frozen=True, slots=True)
class ConditionKind:
    holds: Callable[[Ctx, Any, Ev], Result]
    words: Callable[[Any], str]


# --- the kinds -------------------------------------------------------------------------


def _field(ctx: Ctx, cond: FieldCond, ev: Ev) -> Result:
    for key, want in cond.field.items():
        have = _get(ev, key)
        wants = want if isinstance(want, list) else [want]
        if want is None:
            ok = have is None or have == ()
        elif isinstance(have, tuple):
            ok = any(w in have for w in wants)
        else:
            ok = have in wants
        if not ok:
            return False, f"{key} is {_plain(have)!r}, not {want!r}"
    return True, ", ".join(f"{k} is {_plain(_get(ev, k))!r}" for k in cond.field)


def _field_parts(c: FieldCond) -> list[str]:
    parts = []
    for k, v in sorted(c.field.items()):
        if v is None:
            parts.append(f"no {k.replace('_', ' ')} recorded")
        else:
            vals = sorted(set(v), key=str) if isinstance(v, list) else [v]
            parts.append(f"{k.replace('_', ' ')} is {' or '.join(value_words(x) for x in vals)}")
    return parts


def _field_words(c: FieldCond) -> str:
    return _joined(_field_parts(c), "and")


def _parts(c: Any, conj: bool) -> list[str]:
    """The words of each part of a conjunction (``conj``) or disjunction, nested ones of
    the same kind flattened, and a field condition on several fields (or a recorded
    condition on several facts) taken as one part per field: so that ``{field: {a: 1,
    b: 2}}`` and ``{all: [{field: {a: 1}}, {field: {b: 2}}]}`` read the same."""
    if conj and isinstance(c, AllCond):
        return [p for x in c.all for p in _parts(x, conj)]
    if not conj and isinstance(c, AnyCond):
        return [p for x in c.any for p in _parts(x, conj)]
    if conj and isinstance(c, FieldCond):
        return _field_parts(c)
    if conj and isinstance(c, RecordedCond) and isinstance(c.recorded, list):
        return [f"records {f.value.replace('_', ' ')}" for f in c.recorded]
    return [words(c)]


def _joined(parts: list[str], joiner: str) -> str:
    unique = sorted(set(parts))
    return unique[0] if len(unique) == 1 else "(" + f" {joiner} ".join(unique) + ")"


def _recorded(ctx: Ctx, cond: RecordedCond, ev: Ev) -> Result:
    facts = cond.recorded if isinstance(cond.recorded, list) else [cond.recorded]
    have = set(_get(ev, "recorded") or ())
    missing = [f.value for f in facts if f not in have]
    if missing:
        return False, f"not recorded: {', '.join(missing)}"
    return True, f"recorded: {', '.join(f.value for f in facts)}"


def _recorded_words(c: RecordedCond) -> str:
    facts = c.recorded if isinstance(c.recorded, list) else [c.recorded]
    return _joined([f"records {f.value.replace('_', ' ')}" for f in facts], "and")


def _attending(ctx: Ctx, ev: Ev, direct_only: bool) -> set[str]:
    if ev.type != "conference":
        return set()
    return {ctx.comp.group_of(a.agency.value) for a in ev.event.attendees
            if a.direct_contact or not direct_only}


def _older_than(ctx: Ctx, day: _dt.date, years: int) -> bool:
    """Older than ``years`` on ``day``: from the day after that birthday (a birthday on
    29 February falls on 28 February in other years), worked out once per child."""
    tl = ctx.tl
    first = tl.older_from.get(years)
    if first is None:
        dob = tl.child.date_of_birth
        try:
            first = (dob + relativedelta(years=years, days=1)).toordinal() if dob else 0
        except (OverflowError, ValueError):
            first = _dt.date.max.toordinal() + 1
        tl.older_from[years] = first
    return first > 0 and day.toordinal() >= first


def _quorate(ctx: Ctx, cond: QuorateCond, ev: Ev) -> Result:
    spec: QuorumSpec = cond.quorate
    if not _get(ev, "attendees"):
        raise NotRecorded("attendance not recorded")
    groups = _attending(ctx, ev, spec.direct_contact_only)
    core = ctx.comp.group_of(spec.core.value)
    gp_group = ctx.comp.group_of("gp")
    note = ""
    age = spec.gp_report_counts_for_health_over_age
    if age is not None and gp_group not in groups and _older_than(ctx, ev.date, age):
        prev = ctx.tl.previous_conference_before(ev.date)
        low = prev.key[0] if prev is not None else -(10**7)
        reports = [e for e in ctx.tl.of_type("report_submitted")
                   if e.event.from_agency.value == "gp" and (
                       claims(e, ev) if claims(e, ev) is not None
                       else low < e.key[0] <= ev.key[0])]
        if reports:
            groups.add(gp_group)
            note = " (health by a GP report)"
    others = sorted(groups - {core})
    ok = core in groups and len(others) >= spec.others_at_least
    detail = (f"attended by {core if core in groups else 'no ' + core}"
              f" and {len(others)} other agenc{'y' if len(others) == 1 else 'ies'}"
              f"{': ' + ', '.join(others) if others else ''}{note}; needs {core} and at least "
              f"{spec.others_at_least} other agencies with direct contact")
    return ok, detail


def _quorate_words(c: QuorateCond) -> str:
    q = c.quorate
    age = q.gp_report_counts_for_health_over_age
    extra = f"; a GP report counts for health over age {age}" if age is not None else ""
    return (f"quorate ({q.core.value.replace('_', ' ')} and {q.others_at_least} other "
            f"agencies{' with direct contact' if q.direct_contact_only else ''}{extra})")


def _attended(ctx: Ctx, cond: AttendedCond, ev: Ev) -> Result:
    if not _get(ev, "attendees"):
        raise NotRecorded("attendance not recorded")
    groups = _attending(ctx, ev, False)
    missing = [a.value for a in cond.attended_by if ctx.comp.group_of(a.value) not in groups]
    return (not missing, f"did not attend: {', '.join(missing)}" if missing
            else f"attended by {', '.join(a.value for a in cond.attended_by)}")


def _invited(ctx: Ctx, cond: InvitedCond, ev: Ev) -> Result:
    invited = {ctx.comp.group_of(a.value) for a in _get(ev, "invited") or ()}
    missing = [a.value for a in cond.invited if ctx.comp.group_of(a.value) not in invited]
    return (not missing, f"not invited: {', '.join(missing)}" if missing
            else f"invited: {', '.join(a.value for a in cond.invited)}")


def _count(ctx: Ctx, cond: CountCond, ev: Ev) -> Result:
    value = _get(ev, cond.count.field) or ()
    n = len(value) if isinstance(value, tuple) else 1
    ok = ((cond.count.at_most is None or n <= cond.count.at_most)
          and (cond.count.at_least is None or n >= cond.count.at_least))
    return ok, f"{cond.count.field.replace('_', ' ')}: {n}"


def _count_words(c: CountCond) -> str:
    lo, hi = c.count.at_least, c.count.at_most
    n = {1: "one"}
    rng = (f"exactly {n.get(lo, lo)}" if lo is not None and lo == hi else
           " and ".join(x for x in (f"at least {n.get(lo, lo)}" if lo is not None else "",
                                    f"at most {n.get(hi, hi)}" if hi is not None else "") if x))
    what = c.count.field.replace("_", " ")
    if rng in ("exactly one", "at least one", "at most one"):  # one category, not 1 categories
        what = what[:-3] + "y" if what.endswith("ies") else what.removesuffix("s")
    return f"{rng} {what}"


def _not_words(c: NotCond) -> str:
    inner = c.not_
    if isinstance(inner, FieldCond) and len(inner.field) == 1:
        (k, v), = inner.field.items()
        if v is None:  # not "no reason recorded": a reason recorded
            return f"{k.replace('_', ' ')} recorded"
    return f"not {words(inner)}"


def _exists(ctx: Ctx, cond: ExistsCond, ev: Ev) -> Result:
    spec = cond.exists
    matched = ctx.tl.matching(ctx.comp.filter(spec))
    named = ev.type == "conference" and ev.id is not None
    found: list[Ev] = []
    if named:
        found += [e for e in matched.by_conference.get(ev.id or "", ()) if e is not ev]
    if spec.relative == "before":
        low = (ctx.subtract(ev.date, spec.within).date.toordinal()
               if spec.within else -(10**7))
        window = matched.between(low, ev.key[0], unclaimed=named)
    else:
        high = ctx.add(ev.date, spec.within).date.toordinal() if spec.within else 10**7
        window = matched.between(ev.key[0], high, unclaimed=named)
    found += [e for e in window if e is not ev]
    if spec.conference == "earlier":  # only events of an earlier conference than the subject's
        mine = ctx.tl.conference_of(ev)
        found = [e for e in found if mine is not None and (c := ctx.tl.conference_of(e))
                 is not None and c.key < mine.key]
    found.sort(key=lambda e: e.key)
    what = filter_words(spec)
    return (bool(found), f"{what} on {found[0].date.isoformat()}" if found
            else f"no {what} {spec.relative} it")


def _exists_words(c: ExistsCond) -> str:
    e = c.exists
    within = f" within {e.within}" if e.within else ""
    earlier = " (of an earlier conference)" if e.conference == "earlier" else ""
    return f"{filter_words(e)} {e.relative}{within}{earlier}"


def _first_review(ctx: Ctx, cond: FirstReviewCond, ev: Ev) -> Result:
    first = (ev.type == "conference" and ev.event.kind.value == "review"
             and ctx.tl.is_first_review(ev))
    return first == cond.first_review, ("the first review of the plan" if first
                                        else "not the first review of the plan")


def _child_age(ctx: Ctx, cond: ChildAgeCond, ev: Ev) -> Result:
    years = cond.child_older_than
    ok = _older_than(ctx, ev.date, years)
    return ok, f"the child is over {years}" if ok else f"the child is not over {years}"


def _in_vocabulary(ctx: Ctx, cond: InVocabularyCond, ev: Ev) -> Result:
    spec = cond.in_vocabulary
    ids = ctx.comp.permitted.get(spec.vocabulary, frozenset())
    value = _get(ev, spec.field)
    values = list(value) if isinstance(value, tuple) else ([] if value is None else [value])
    if not values:
        return False, f"no {spec.field.replace('_', ' ')} recorded"
    bad = [v for v in values if v not in ids]
    if bad:
        return False, (f"{', '.join(map(str, bad))} is not in {spec.vocabulary} "
                       f"({', '.join(sorted(ids)) or 'the text gives none'})")
    return True, f"{spec.field.replace('_', ' ')}: {', '.join(map(str, values))}"


def _all(ctx: Ctx, cond: AllCond, ev: Ev) -> Result:
    details = []
    for c in cond.all:
        ok, why = holds(ctx, c, ev)
        if not ok:
            return False, why
        details.append(why)
    return True, "; ".join(details)


def _any(ctx: Ctx, cond: AnyCond, ev: Ev) -> Result:
    whys = []
    for c in cond.any:
        ok, why = holds(ctx, c, ev)
        if ok:
            return True, why
        whys.append(why)
    return False, " and ".join(whys)


def _not(ctx: Ctx, cond: NotCond, ev: Ev) -> Result:
    ok, why = holds(ctx, cond.not_, ev)
    return not ok, why


#: Each condition kind: how it is decided, and its words. Keyed by model class; every
#: member of the ``Condition`` union has an entry (checked below and by the tests).
CONDITIONS: dict[type[Any], ConditionKind] = {
    FieldCond: ConditionKind(_field, _field_words),
    RecordedCond: ConditionKind(_recorded, _recorded_words),
    QuorateCond: ConditionKind(_quorate, _quorate_words),
    AttendedCond: ConditionKind(_attended, lambda c: "attended by " + ", ".join(
        sorted(a.value.replace("_", " ") for a in c.attended_by))),
    InvitedCond: ConditionKind(_invited, lambda c: "invites " + ", ".join(
        sorted(a.value.replace("_", " ") for a in c.invited))),
    CountCond: ConditionKind(_count, _count_words),
    ExistsCond: ConditionKind(_exists, _exists_words),
    FirstReviewCond: ConditionKind(_first_review, lambda c: (
        "at the first review" if c.first_review else "not at the first review")),
    ChildAgeCond: ConditionKind(_child_age, lambda c: f"the child over {c.child_older_than}"),
    InVocabularyCond: ConditionKind(_in_vocabulary, lambda c: (
        f"{c.in_vocabulary.field.replace('_', ' ')} from the list "
        f"{c.in_vocabulary.vocabulary}")),
    AllCond: ConditionKind(_all, lambda c: _joined(_parts(c, True), "and")),
    AnyCond: ConditionKind(_any, lambda c: _joined(_parts(c, False), "or")),
    NotCond: ConditionKind(_not, _not_words),
}

_MEMBERS = {get_args(a)[0] for a in get_args(get_args(Condition)[0])}
if set(CONDITIONS) != _MEMBERS:  # pragma: no cover - fails at import, and in the tests
    raise ImportError(f"condition kinds without an entry in CONDITIONS: "
                      f"{sorted(c.__name__ for c in _MEMBERS ^ set(CONDITIONS))}")


def holds(ctx: Ctx, cond: Any, ev: Ev) -> Result:
    """Whether ``cond`` holds for subject ``ev``, and the facts that decided it."""
    return CONDITIONS[type(cond)].holds(ctx, cond, ev)


def words(cond: Any) -> str:
    """A condition in plain words (order of keys and of alternatives ignored)."""
    return CONDITIONS[type(cond)].words(cond)
