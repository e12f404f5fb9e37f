"""Evaluate a ruleset against a case, child by child.

:func:`iter_findings` yields findings (deadlines with the obligations and violations that
follow from them, decision checks, data-quality notes); :func:`evaluate` collects them
into an :class:`~cprules.model.results.Evaluation`. Neither raises on what the case did or
failed to do; exceptions are only for input that cannot be evaluated at all (an unknown
variant, a case too large). The evaluation is pure: the same ruleset, case and as-of date
give the same result, and the case is never changed.

The contract (``docs/semantics.md``, "Children"): evaluating a case gives, for each child,
exactly the findings that evaluating that child alone (the child, and the events that name
the child or no child) gives. Findings that are the same for several children are
reported once, naming them all in ``children``.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import hashlib
from collections.abc import Iterator, Mapping
from typing import Any

from ..errors import CaseError, VariantError
from ..model.case import Case
from ..model.results import (
    CheckResult,
    DataQuality,
    Deadline,
    Evaluation,
    Finding,
    Obligation,
    Stamp,
    Violation,
)
from ..model.ruleset import Ruleset
from ..version import __version__
from .compiled import Compiled, compiled
from .construct import make_from
from .context import Ctx, make
from .gcpause import paused
from .quality import data_quality
from .timeline import Timeline, events_of

__all__ = ["MAX_TIMELINE_EVENTS", "evaluate", "iter_findings", "resolve_variant"]

#: The most events, summed over the children's timelines (an event naming no child is on
#: every child's), that one evaluation takes: it bounds the cost of one case.
MAX_TIMELINE_EVENTS = 200_000


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


def _child_findings(comp: Compiled, rules: Any, tl: Timeline, as_of: _dt.date
                    ) -> list[Finding]:
    ctx = Ctx(tl, comp, as_of)
    out: list[Finding] = list(data_quality(ctx))
    append = out.append
    types = tl.types
    for cr in rules:
        if cr.starts.isdisjoint(types):
            continue  # nothing on this timeline can start it
        for found in cr.kind.evaluate(ctx, cr):
            append(found)
            if found.finding == "deadline" and found.status != "met":
                _follow_ups(ctx, found, out)
    return out


def _findings(comp: Compiled, case: Case, as_of: _dt.date, variant: str | None
              ) -> list[Finding]:
    rules = comp.rules_for(variant)
    events = events_of(case)
    per_child: list[list[Finding]] = []
    total = 0
    for n, child in enumerate(case.children):
        cid = child.id
        mine = [e for e, who in events if who is None or cid in who]
        total += len(mine)
        if total > MAX_TIMELINE_EVENTS:
            raise CaseError(
                f"case too large to evaluate: more than {MAX_TIMELINE_EVENTS} events summed "
                "over the children's timelines (an event that names no child is on every "
                "child's)", path="events",
                suggestion="name the children each event concerns, or split the case")
        per_child.append(_child_findings(comp, rules, Timeline(case, n, mine, as_of), as_of))
    if len(per_child) == 1:
        return per_child[0]
    return _merge(per_child)


def _same_deadline(d: dict[str, Any]) -> tuple[Any, ...]:
    return (0, d["rule_id"], d["due"], d["due_at"], d["status"], id(d["met_by"]),
            id(d["trigger"]), d["group"], d["basis"], id(d["citation"]))


def _same_violation(d: dict[str, Any]) -> tuple[Any, ...]:
    return (1, d["rule_id"], d["message"], d["due"], tuple(id(r) for r in d["evidence"]))


def _same_obligation(d: dict[str, Any]) -> tuple[Any, ...]:
    return (2, d["rule_id"], d["message"], d["due"], id(d["citation"]))


def _same_check(d: dict[str, Any]) -> tuple[Any, ...]:
    return (3, d["rule_id"], id(d["subject"]), d["passed"], d["detail"])


def _same_quality(d: dict[str, Any]) -> tuple[Any, ...]:
    return (4, d["code"], d["message"], id(d["event"]))


#: What makes findings for several children the same finding, by the finding's class.
#: Everything else a finding holds (title, citation, note, severity) follows from its
#: rule, its trigger and the basis; the event references and citations shared by the
#: children are the same objects, so they are compared by identity.
_SAME: dict[type[Any], Any] = {
    Deadline: _same_deadline, Violation: _same_violation, Obligation: _same_obligation,
    CheckResult: _same_check, DataQuality: _same_quality,
}


def _merge(per_child: list[list[Finding]]) -> list[Finding]:
    """Findings that are the same for several children, once, naming them all."""
    order: dict[Any, list[Any]] = {}
    same_of = _SAME
    for findings in per_child:
        seen: dict[Any, int] = {}
        for f in findings:
            same = same_of[type(f)](f.__dict__)
            # the n-th of identical findings of one child goes with the n-th of another's
            n = seen[same] = seen.get(same, 0) + 1
            key = (same, n)
            entry = order.get(key)
            if entry is None:
                order[key] = [f, list(f.children)]
            else:
                entry[1].extend(f.children)
    out: list[Finding] = []
    for f, children in order.values():
        if len(children) > 1:
            fields = f.__dict__.copy()
            fields["children"] = tuple(children)
            f = make_from(type(f), fields)
        out.append(f)
    return out


def _follow_ups(ctx: Ctx, d: Deadline, out: list[Finding]) -> None:
    """The obligation and violation that follow from a deadline not met (added to
    ``out``): pending and overdue ones are still to be done; overdue and late ones were
    missed."""
    status = d.status
    due = d.due
    if status == "pending" or status == "overdue":
        who = f" ({d.responsible})" if d.responsible else ""
        out.append(make_from(Obligation, {
            "finding": "obligation", "children": ctx.children, "rule_id": d.rule_id,
            "message": f"{d.title}{who}: due {due.isoformat()}",
            "responsible": d.responsible, "due": due, "citation": d.citation}))
    if status == "overdue":
        out.append(make_from(Violation, {
            "finding": "violation", "children": ctx.children, "rule_id": d.rule_id,
            "message": f"Overdue: {d.title}; was due {due.isoformat()} ({d.basis})",
            "severity": d.severity, "due": due,
            "evidence": (d.trigger,) if d.trigger is not None else (),
            "citation": d.citation}))
    elif status == "met_late" and d.met_by is not None:
        late = (d.met_by.date - due).days
        when = (f"{late} day{'s' if late != 1 else ''} late" if late
                else "late on the due day")
        due_text = d.due_at.isoformat(timespec="minutes") if d.due_at else due.isoformat()
        out.append(make_from(Violation, {
            "finding": "violation", "children": ctx.children, "rule_id": d.rule_id,
            "message": f"Late: {d.title}; due {due_text}, done {d.met_by.date.isoformat()} "
            f"({when}; {d.basis})", "severity": d.severity, "due": due,
            "evidence": tuple(r for r in (d.trigger, d.met_by) if r is not None),
            "citation": d.citation}))


def iter_findings(
    ruleset: Ruleset, case: Case, *, as_of: _dt.date, variant: str | None = None
) -> Iterator[Finding]:
    """Yield every finding of ``ruleset`` on ``case`` as of ``as_of``.

    Deadlines come with the obligations and violations that follow from them:

    >>> next(f for f in iter_findings(york, case, as_of=date(2024, 9, 20))
    ...      if getattr(f, "status", None) == "overdue").rule_id
    'reports.chair.review'
    """
    chosen = resolve_variant(ruleset, case, variant)
    with paused():
        found = _findings(compiled(ruleset), case, as_of, chosen)
    yield from found


def _sha(ruleset: Ruleset) -> tuple[str, str | None]:
    sha = getattr(ruleset, "content_sha256", None)
    file = getattr(ruleset, "source_file", None)
    if isinstance(sha, str):
        return sha, file if isinstance(file, str) else None
    dump = ruleset.model_dump_json(by_alias=True).encode("utf-8")
    return hashlib.sha256(dump).hexdigest(), None


def _as_of(as_of: _dt.date | str | None, case: Case) -> _dt.date:
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
    return as_of


def _deadline_order(d: Deadline) -> tuple[Any, ...]:
    return (d.due, d.rule_id, d.trigger.index if d.trigger else -1, d.children)


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
        from ..loader import load_ruleset

        ruleset = load_ruleset(ruleset)
    if not isinstance(case, Case):
        from ..loader import case_from_data

        case = case_from_data(case)
    day = _as_of(as_of, case)
    chosen = resolve_variant(ruleset, case, variant)
    with paused():  # no cycles are made: the collector would only walk what is kept
        return _evaluation(ruleset, case, day, chosen)


def _evaluation(ruleset: Ruleset, case: Case, day: _dt.date, chosen: str | None
                ) -> Evaluation:
    found = _findings(compiled(ruleset), case, day, chosen)
    sha, file = _sha(ruleset)
    stamp = make(Stamp,
        ruleset=ruleset.partnership, ruleset_title=ruleset.title,
        ruleset_version=ruleset.version, variant=chosen, content_sha256=sha,
        source_file=file, cprules_version=__version__, as_of=day, case_id=case.id)
    deadlines: list[Deadline] = []
    obligations: list[Obligation] = []
    violations: list[Violation] = []
    checks: list[CheckResult] = []
    quality: list[DataQuality] = []
    groups: dict[str, list[Any]] = {"deadline": deadlines, "obligation": obligations,
                                    "violation": violations, "check": checks,
                                    "data_quality": quality}
    for f in found:
        groups[f.finding].append(f)
    named = case.local_authority
    if chosen is not None and named is not None and named != chosen:
        quality.append(make(DataQuality,
            finding="data_quality", children=tuple(c.id for c in case.children),
            code="variant_not_local_authority",
            message=f"evaluated under variant {chosen!r}, as asked, but the case names "
                    f"local_authority {named[:100]!r}", event=None))
    deadlines.sort(key=_deadline_order)
    obligations.sort(key=lambda o: (o.due or _dt.date.max, o.rule_id))
    violations.sort(key=lambda v: (v.due or _dt.date.max, v.rule_id))
    return make(Evaluation,
        stamp=stamp, deadlines=tuple(deadlines), obligations=tuple(obligations),
        violations=tuple(violations), checks=tuple(checks), data_quality=tuple(quality))
