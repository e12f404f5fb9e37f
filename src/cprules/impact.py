"""What a change of rules does to cases: evaluate each case under both and compare.

The question a policy lead asks before changing "3 working days" to "5": which deadlines
move, by how many days, and which cases gain or lose overdue items or violations. Cases
come from files, folders of files, or JSON Lines (one case per line); a case that cannot
be read or evaluated is reported with its error and the rest carry on.
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from . import calendar
from .compare.impact_render import by_rule
from .compare.impact_render import render_impact as render_impact
from .diff import Resolved, resolve
from .errors import CaseError, CprulesError
from .evaluator import evaluate
from .loader import case_from_json, load_case
from .model.case import Case
from .model.diff import CaseImpact, DeadlineMove, ImpactReport
from .model.results import Deadline, Evaluation
from .yamlio import display_name, iter_lines

__all__ = ["impact", "iter_cases", "render_impact"]

CASE_SUFFIXES = (".yaml", ".yml", ".json")


def iter_cases(paths: Iterable[str | Path]) -> Iterator[tuple[str, Case | CprulesError]]:
    """(name, case or the error reading it) for each case in files, folders and .jsonl.

    JSON Lines are read a line at a time, each line within the limits of one case file
    (``cprules.yamlio.Limits``: ``max_line_bytes``)."""
    for raw in paths:
        path = Path(raw)
        try:
            is_dir = path.is_dir()
        except (OSError, ValueError):  # a name too long for the file system
            is_dir = False
        if is_dir:
            files = sorted(p for p in path.rglob("*")
                           if p.suffix in (*CASE_SUFFIXES, ".jsonl") and p.is_file())
            yield from iter_cases(files)
        elif path.suffix == ".jsonl":
            yield from _jsonl_cases(path)
        else:
            try:
                yield str(path), load_case(path)
            except CprulesError as exc:
                yield str(path), exc


def _jsonl_cases(path: Path) -> Iterator[tuple[str, Case | CprulesError]]:
    file = display_name(path)
    try:
        for n, line in iter_lines(path, error=CaseError):
            name = f"{file}:{n}"
            if isinstance(line, CprulesError):
                yield name, line
                continue
            if not line.strip():
                continue
            try:
                yield name, case_from_json(line, file, line_offset=n - 1)
            except CprulesError as exc:
                yield name, exc
    except CprulesError as exc:  # the file itself cannot be read
        yield file, exc


def _key(d: Deadline) -> tuple[str, int | None, str | None]:
    return (d.rule_id, d.trigger.index if d.trigger else None, d.group)


def _compare(name: str, as_of: _dt.date, ea: Evaluation, eb: Evaluation) -> CaseImpact:
    da = {_key(d): d for d in ea.deadlines}
    db = {_key(d): d for d in eb.deadlines}
    moved = []
    for key in sorted(set(da) & set(db), key=lambda k: (k[0], k[1] or 0, k[2] or "")):
        x, y = da[key], db[key]
        if x.due == y.due:
            continue
        try:
            wd: int | None = calendar.working_days_between(x.due, y.due)
        except CprulesError:
            wd = None
        moved.append(DeadlineMove(
            rule_id=key[0], trigger_date=x.trigger.date if x.trigger else None, group=key[2],
            due_a=x.due, due_b=y.due, days=(y.due - x.due).days, working_days=wd,
            status_a=x.status, status_b=y.status,
        ))

    def diff_counts(a: Iterable[str], b: Iterable[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        ca, cb = Counter(a), Counter(b)
        return tuple(sorted((cb - ca).elements())), tuple(sorted((ca - cb).elements()))

    og, ol = diff_counts((d.rule_id for d in ea.overdue), (d.rule_id for d in eb.overdue))
    vg, vl = diff_counts((v.rule_id for v in ea.violations), (v.rule_id for v in eb.violations))
    return CaseImpact(case=name, as_of=as_of, moved=tuple(moved), overdue_gained=og,
                      overdue_lost=ol, violations_gained=vg, violations_lost=vl)


def impact(
    a: str | Resolved,
    b: str | Resolved,
    cases: Iterable[Case | tuple[str, Case | CprulesError]],
    *,
    as_of: _dt.date | None = None,
) -> ImpactReport:
    """Evaluate every case under ``a`` and ``b`` and report what differs.

    ``as_of`` defaults to each case's own, then today. A side written with a date
    (``york@2024-01-01``, ``york@v10``) applies the values in force on that date to every
    case, whatever its own dates ("what if these rules still applied"). For a ruleset with
    variants the
    side names the variant (``derby:derbyshire``); a case's own local authority is not
    used, so that both sides apply the same variant throughout.

    >>> report = impact("york@v10", "york@v11", [load_case("examples/york-case.yaml")])
    >>> [m.rule_id for c in report.cases for m in c.moved]
    ['outline_plan.distribution']
    """
    ra, rb = resolve(a), resolve(b)
    rulesets = (ra.pinned(), rb.pinned())  # york@v10: the values in force from v10
    out: list[CaseImpact] = []
    for n, item in enumerate(cases, start=1):
        name, case = item if isinstance(item, tuple) else (item.id or f"case {n}", item)
        if isinstance(case, CprulesError):
            out.append(CaseImpact(case=name, as_of=as_of or _dt.date.today(),
                                  error=case.summary()))
            continue
        when = as_of or case.as_of or _dt.date.today()
        try:
            ea = evaluate(rulesets[0], case, as_of=when, variant=ra.variant)
            eb = evaluate(rulesets[1], case, as_of=when, variant=rb.variant)
        except CprulesError as exc:
            out.append(CaseImpact(case=name, as_of=when, error=exc.summary()))
            continue
        out.append(_compare(name, when, ea, eb))
    return ImpactReport(
        a=ra.side(), b=rb.side(), cases=tuple(out),
        cases_evaluated=sum(1 for c in out if c.error is None),
        cases_changed=sum(1 for c in out if c.changed),
        deadlines_moved=sum(len(c.moved) for c in out),
        errors=sum(1 for c in out if c.error is not None),
        rules=by_rule(out),
    )
