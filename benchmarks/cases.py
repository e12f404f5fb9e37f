"""A seeded generator of realistic cases for the benchmarks (not a test strategy: plain
``random``, fast enough for 50,000 cases).

Each case is a timeline of about 40 events: a strategy discussion, the request, reports
from three or four agencies before the conference, invitations, the initial (or
pre-birth) conference, its documents, then, where a plan is made, visits about every ten
working days, core groups about every six weeks, a review at three months and another at
six, with their reports and documents. Some steps are late or missing; some cases are
sibling groups (events naming one child, or none); partnerships are mixed, with both
Derby variants.

    python benchmarks/cases.py 50000 > cases.jsonl
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sys
from collections.abc import Iterator
from typing import Any

from cprules import calendar

PARTNERSHIPS = ("york", "derby", "north_yorkshire", "kirklees")
AGENCIES = ("childrens_social_care", "health", "education", "police", "gp")


def _wd(day: dt.date, n: int) -> dt.date:
    return calendar.add_working_days(day, n)


def _conference(rng: random.Random, events: list[dict[str, Any]], day: dt.date, kind: str,
                outcome: str, cid: str, who: list[str] | None) -> None:
    def add(ev: dict[str, Any]) -> None:
        if who is not None:
            ev["children"] = who
        events.append(ev)

    for agency in rng.sample(AGENCIES, rng.randint(2, 3)):
        if rng.random() < 0.9:
            before = rng.randint(0, 6)
            sent = _wd(day, -before) if before else day
            add({"type": "report_submitted", "date": sent.isoformat(), "from_agency": agency,
                 "to": "chair", "conference": cid})
    add({"type": "invitations_sent", "date": _wd(day, -rng.randint(5, 12)).isoformat(),
         "conference": cid})
    add({"id": cid, "type": "conference", "kind": kind, "date": day.isoformat(),
         "outcome": outcome, "categories": ["neglect"] if outcome == "plan" else [],
         "attendees": [{"agency": a} for a in ["childrens_social_care",
                                               *rng.sample(AGENCIES[1:], rng.randint(1, 3))]],
         "recorded": ["review_date_set", "core_group_date_set"] if outcome == "plan" else
         ["continuing_support_considered", "cin_review_date_set"],
         **({"discontinuation_reason": "no_longer_at_risk"}
            if outcome == "no_plan" and kind == "review" else {})})
    for doc, span in (("outline_plan", 1), ("conference_record", 15)):
        if rng.random() < 0.92:
            late = rng.random() < 0.15
            n = rng.randint(span + 1, span + 8) if late else rng.randint(0, span)
            add({"type": "document_sent", "document": doc, "date": _wd(day, n).isoformat(),
                 "conference": cid})


def _timeline(rng: random.Random, start: dt.date, who: list[str] | None,
              prefix: str) -> tuple[list[dict[str, Any]], dt.date]:
    events: list[dict[str, Any]] = []

    def add(ev: dict[str, Any]) -> None:
        if who is not None:
            ev["children"] = who
        events.append(ev)

    add({"type": "strategy_discussion", "date": start.isoformat(), "s47_initiated": True,
         "icpc_agreed": True})
    add({"type": "conference_requested", "date": _wd(start, rng.randint(1, 5)).isoformat(),
         "kind": "initial"})
    if rng.random() < 0.05:
        return events, _wd(start, 25)
    conf = _wd(start, rng.randint(8, 15) if rng.random() < 0.85 else rng.randint(16, 24))
    outcome = "plan" if rng.random() < 0.8 else "no_plan"
    _conference(rng, events, conf, "initial", outcome, f"{prefix}c0", who)
    last = conf
    if outcome == "plan":
        day = conf
        review = conf
        for r in range(2):
            months = 3 if r == 0 else 6
            review = _add_months(review, months) - dt.timedelta(days=rng.randint(0, 10))
            if rng.random() < 0.1:
                review += dt.timedelta(days=rng.randint(5, 25))
            cg = day
            while day < review - dt.timedelta(days=7):
                day = _wd(day, rng.randint(6, 10) if rng.random() < 0.9 else rng.randint(11, 15))
                if day >= review:
                    break
                add({"type": "visit", "date": day.isoformat(), "seen_alone": rng.random() < 0.9,
                     "at_home": True})
                if (day - cg).days >= 35:
                    cg = day
                    add({"type": "core_group", "date": day.isoformat()})
            _conference(rng, events, review, "review", "plan", f"{prefix}r{r + 1}", who)
            last = review
    return events, last


def _add_months(day: dt.date, n: int) -> dt.date:
    from dateutil.relativedelta import relativedelta

    return day + relativedelta(months=n)


def generate(n: int, seed: int = 2024, *, partnership: str | None = None,
             siblings: bool = True) -> Iterator[dict[str, Any]]:
    """``n`` cases as dicts of the case format, the same for the same seed."""
    rng = random.Random(seed)
    lo, hi = dt.date(2021, 1, 4).toordinal(), dt.date(2026, 6, 1).toordinal()
    for i in range(n):
        name = partnership or rng.choice(PARTNERSHIPS)
        k = 1 if not siblings else rng.choices((1, 2, 3), (70, 20, 10))[0]
        children = [{"id": f"c{j + 1}", "date_of_birth": dt.date(
            2008 + rng.randint(0, 15), rng.randint(1, 12), rng.randint(1, 28)).isoformat()}
                    for j in range(k)]
        start = dt.date.fromordinal(rng.randint(lo, hi))
        if not calendar.is_working_day(start):
            start = _wd(start, 1)
        if k == 1 or rng.random() < 0.5:
            events, last = _timeline(rng, start, None, "")
        else:
            events, last = [], start
            for j, child in enumerate(children):
                evs, end = _timeline(rng, start, [child["id"]], f"k{j}")
                events += evs
                last = max(last, end)
        case: dict[str, Any] = {"id": f"case-{seed}-{i}", "partnership": name,
                                "children": children, "events": events,
                                "as_of": (last + dt.timedelta(days=rng.randint(0, 60))).isoformat()}
        if name == "derby":
            case["local_authority"] = rng.choice(("derby_city", "derbyshire"))
        yield case


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    out = sys.stdout
    for c in generate(count):
        out.write(json.dumps(c, separators=(",", ":")) + "\n")
