"""A hand-written, straight-line computation of York's main deadlines, for one child:
what the engine's evaluation of the same rules is measured against (benchmark code only,
never used by cprules).

The rules: icpc.timing, outline_plan.distribution, record.distribution, core_group.first,
core_group.frequency, visits.statutory, review.first, review.subsequent,
reports.chair.icpc, reports.chair.review, with the windows of docs/semantics.md written
out by hand for each.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from typing import Any

from dateutil.relativedelta import relativedelta

from cprules.calendar import add_working_days as awd

RULES = ("icpc.timing", "outline_plan.distribution", "record.distribution",
         "core_group.first", "core_group.frequency", "visits.statutory", "review.first",
         "review.subsequent", "reports.chair.icpc", "reports.chair.review")
_REVISION_11 = dt.date(2024, 7, 31)
_INITIAL = ("initial", "pre_birth", "transfer_in")

Row = tuple[str, dt.date, str, dt.date | None, str | None]


def _status(due: dt.date, met: Any, as_of: dt.date) -> tuple[str, dt.date | None]:
    if met is not None:
        return ("met" if met[0] <= due.toordinal() else "met_late"), met[3].date
    return ("overdue" if as_of > due else "pending"), None


def york_main(case: Any, as_of: dt.date) -> list[Row]:
    """(rule, due, status, met on, group) for the rules above, for a one-child case."""
    # one pass: (day, instant, index, event) in time order, held and booked conferences
    held: list[tuple[int, float, int, Any]] = []
    booked: list[tuple[int, float, int, Any]] = []
    for i, e in enumerate(case.events):
        t = (e.date.toordinal(), e.at.timestamp() if e.at else -1e18, i, e)
        if e.date <= as_of and not getattr(e, "planned", False):
            held.append(t)
        elif e.type == "conference" and e.planned:
            booked.append(t)
    held.sort(key=lambda t: t[:3])
    sds, s47no, confs, docs_op, docs_rec, cgs, visits, reports, lac = (
        [], [], [], [], [], [], [], [], [])
    periods: list[tuple[tuple[Any, ...], dt.date | None]] = []
    start = None
    for t in held:
        e = t[3]
        ty = e.type
        if ty == "strategy_discussion":
            if e.s47_initiated:
                sds.append(t)
        elif ty == "s47_concluded":
            if not e.icpc_required:
                s47no.append(t)
        elif ty == "conference":
            confs.append(t)
        elif ty == "document_sent":
            d = e.document
            if d == "outline_plan" or d == "decision_and_plan":
                docs_op.append(t)
            elif d == "conference_record":
                docs_rec.append(t)
        elif ty == "core_group":
            cgs.append(t)
        elif ty == "visit":
            if e.seen_alone and e.at_home:
                visits.append(t)
        elif ty == "report_submitted":
            if e.to == "chair":
                reports.append(t)
        elif ty == "became_looked_after":
            lac.append(t)
        begins = ty == "plan_start" or (ty == "conference" and e.outcome == "plan")
        stops = ty == "plan_end" or (ty == "conference" and e.outcome == "no_plan")
        if begins and start is None:
            start = t
        elif stops and start is not None:
            periods.append((start, e.date))
            start = None
    if start is not None:
        periods.append((start, None))
    conf_days = [c[0] for c in confs]
    out: list[Row] = []

    def period_end(day: dt.date) -> dt.date | None:
        for p_start, p_end in periods:
            if p_start[3].date <= day and (p_end is None or day <= p_end):
                return p_end
        return None

    def first_from(lst: list[Any], day: int, skip: int) -> Any:
        for t in lst[bisect_left([x[0] for x in lst], day):]:
            if t[2] != skip:
                return t
        return None

    # icpc.timing: counted from the first while open; withdrawn by s47 concluded (no ICPC)
    icpc_confs = [c for c in confs if c[3].kind.value in ("initial", "pre_birth")]
    i = 0
    while i < len(sds):
        t = sds[i]
        met = first_from(icpc_confs, t[0], t[2])
        cancel = first_from(s47no, t[0], t[2])
        settle = min([x[:3] for x in (met, cancel) if x is not None], default=None)
        j = i + 1
        while j < len(sds) and (settle is None or sds[j][:3] < settle):
            j += 1
        nxt = sds[j][0] if j < len(sds) else None
        i = j
        due = awd(t[3].date, 15)
        if met is not None and not (met[0] < (nxt or 10**8) or met[0] == t[0]):
            met = None
        if cancel is not None and (met is None or cancel[0] < met[0]) and \
                cancel[3].date <= due:
            continue
        st, on = _status(due, met, as_of)
        out.append(("icpc.timing", due, st, on, None))

    def after_conference(rule: str, triggers: list[Any], sats: list[Any], n_of: Any,
                         bound_by_conference: bool, cancel_plan_end: bool,
                         cancel_by: list[Any], months: int = 0) -> None:
        for k, t in enumerate(triggers):
            e = t[3]
            nxt = triggers[k + 1][0] if k + 1 < len(triggers) else None
            if bound_by_conference:
                c = bisect_right(conf_days, t[0])
                if c < len(confs) and (nxt is None or confs[c][0] < nxt):
                    nxt = confs[c][0]
            due = (e.date + relativedelta(months=months)) if months else awd(e.date, n_of(e))
            high = max(nxt - 1, t[0]) if nxt is not None else 10**8
            best = None
            for s in sats:
                ref = getattr(s[3], "conference", None)
                if s[2] == t[2]:
                    continue
                ok = (ref == e.id if ref is not None and e.id is not None
                      else t[0] <= s[0] <= high)
                if ok and (best is None or s[:3] < best[:3]):
                    best = s
            cancels = []
            if cancel_plan_end:
                end = period_end(e.date)
                if end is not None:
                    cancels.append(end.toordinal())
            for c2 in cancel_by:
                if c2[0] >= t[0] and c2[2] != t[2]:
                    cancels.append(c2[0])
                    break
            cancel = min(cancels) if cancels else None
            if cancel is not None and (best is None or cancel < best[0]) and \
                    cancel <= due.toordinal():
                continue
            st, on = _status(due, best, as_of)
            out.append((rule, due, st, on, None))

    plan_confs = [c for c in confs if c[3].kind.value in _INITIAL and c[3].outcome == "plan"]
    after_conference("outline_plan.distribution", plan_confs, docs_op,
                     lambda e: 1 if e.date < _REVISION_11 else 3, True, False, [])
    after_conference("record.distribution", [c for c in confs if c[3].kind.value in (
        *_INITIAL, "review")], docs_rec, lambda e: 15, True, False, [])
    after_conference("core_group.first", plan_confs, cgs, lambda e: 10, False, True, [])
    after_conference("review.first", [c for c in confs if c[3].kind.value in (
        "initial", "transfer_in") and c[3].outcome == "plan"],
        [c for c in confs if c[3].kind.value == "review"], None, False, True, lac, months=3)

    def chain(rule: str, occ: list[Any], start_from: list[Any] | None, step: Any) -> None:
        days = [o[0] for o in occ]
        for p_start, p_end in periods:
            base = p_start
            if (rule == "visits.statutory" and p_start[3].type == "conference"
                    and p_start[3].kind.value == "pre_birth"):
                continue  # (no unborn children in the benchmark's York cases)
            end_day = p_end.toordinal() if p_end else None
            if start_from is not None:
                k = bisect_left([s[0] for s in start_from], base[0])
                if k >= len(start_from) or (end_day is not None and start_from[k][0] > end_day):
                    continue
                prev = start_from[k]
            else:
                prev = base
            while True:
                due = step(prev[3].date)
                k = bisect_right(days, prev[0])
                nxt = occ[k] if k < len(occ) else None
                if nxt is not None and (end_day is None or nxt[0] <= end_day):
                    st, on = _status(due, nxt, as_of)
                    out.append((rule, due, st, on, None))
                    prev = nxt
                    continue
                if p_end is not None and p_end <= due:
                    break
                st, on = _status(due, None, as_of)
                out.append((rule, due, st, on, None))
                break

    chain("core_group.frequency", cgs, cgs, lambda d: d + dt.timedelta(weeks=6))
    chain("visits.statutory", visits, None, lambda d: awd(d, 10))
    reviews = [c for c in confs if c[3].kind.value == "review"]
    chain("review.subsequent", reviews, reviews, lambda d: d + relativedelta(months=6))

    every_conf = sorted(confs + [b for b in booked], key=lambda t: t[:3])
    for rule, kinds in (("reports.chair.icpc", _INITIAL), ("reports.chair.review", ("review",))):
        for t in every_conf:
            e = t[3]
            if e.kind.value not in kinds:
                continue
            c = bisect_left(conf_days, t[0])
            low = confs[c - 1][0] if c else -10**8
            window = []
            for s in reports:
                ref = s[3].conference
                if ref is not None and e.id is not None:
                    if ref == e.id:
                        window.append(s)
                elif ref is None and low < s[0] <= t[0]:
                    window.append(s)
            window.sort(key=lambda s: s[:3])
            due = awd(e.date, -3)
            if not window:
                st, on = _status(due, None, as_of)
                out.append((rule, due, st, on, None))
                continue
            seen: dict[str, Any] = {}
            for s in window:
                seen.setdefault(s[3].from_agency.value, s)
            for agency, s in seen.items():
                st, on = _status(due, s, as_of)
                out.append((rule, due, st, on, agency))
    return out
