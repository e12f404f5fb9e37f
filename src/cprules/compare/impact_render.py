"""The impact of a change on cases, for people: a per-rule summary (:func:`by_rule`), and
the report as a table or Markdown, in words ("3 working days later", never "+3 days")."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from ..model.diff import CaseImpact, DeadlineMove, ImpactReport, RuleImpact

__all__ = ["by_rule", "render_impact", "shift_words"]


def _n(count: int, unit: str) -> str:
    return f"{count} {unit if count == 1 else unit + 's'}"


def shift_words(days: int | None, working_days: int | None) -> str:
    """``+3`` days as "3 days later (2 working days)"; ``-1`` as "1 day earlier"."""
    if days is None:
        return "moved"
    if days == 0:
        return "the same day"
    way = "later" if days > 0 else "earlier"
    text = f"{_n(abs(days), 'day')} {way}"
    if working_days is not None:
        text += f" ({_n(abs(working_days), 'working day')})"
    return text


def by_rule(cases: Iterable[CaseImpact]) -> tuple[RuleImpact, ...]:
    """Per rule: how many deadlines moved in how many cases, by how much, and the overdue
    items and violations gained and lost."""
    moves: dict[str, list[DeadlineMove]] = {}
    moved_cases: Counter[str] = Counter()
    counts: dict[str, Counter[str]] = {}
    for c in cases:
        if c.error is not None:
            continue
        for rid in {m.rule_id for m in c.moved}:
            moved_cases[rid] += 1
        for m in c.moved:
            moves.setdefault(m.rule_id, []).append(m)
        for key, items in (("overdue_gained", c.overdue_gained),
                           ("overdue_lost", c.overdue_lost),
                           ("violations_gained", c.violations_gained),
                           ("violations_lost", c.violations_lost)):
            for rid in items:
                counts.setdefault(rid, Counter())[key] += 1
    out = []
    for rid in sorted(set(moves) | set(counts)):
        ms = moves.get(rid, [])
        days = [m.days for m in ms if m.days is not None]
        wds = [m.working_days for m in ms if m.working_days is not None]
        k = counts.get(rid, Counter())
        out.append(RuleImpact(
            rule_id=rid, deadlines_moved=len(ms), cases=moved_cases[rid],
            min_days=min(days, default=None), max_days=max(days, default=None),
            min_working_days=min(wds, default=None), max_working_days=max(wds, default=None),
            overdue_gained=k["overdue_gained"], overdue_lost=k["overdue_lost"],
            violations_gained=k["violations_gained"], violations_lost=k["violations_lost"]))
    return tuple(out)


def _one(n: int, unit: str) -> str:
    if n == 0:
        return "the same day" if unit == "day" else f"no {unit}s"
    return f"{_n(abs(n), unit)} {'later' if n > 0 else 'earlier'}"


def _range(lo: int | None, hi: int | None, unit: str) -> str:
    """``2, 2``: "2 days later"; ``1, 3``: "1 to 3 days later"; ``-2, 1``: "2 days
    earlier to 1 day later"."""
    if lo is None or hi is None:
        return "-"
    if lo == hi:
        return _one(lo, unit)
    if lo > 0 or hi < 0:
        near, far = (lo, hi) if lo > 0 else (hi, lo)
        return f"{abs(near)} to {_one(far, unit)}"
    return f"{_one(lo, unit)} to {_one(hi, unit)}"


def _move_words(m: DeadlineMove) -> str:
    who = f" [{m.group}]" if m.group else ""
    status = f"; {m.status_a} -> {m.status_b}" if m.status_a != m.status_b else ""
    return (f"{m.rule_id}{who}: due {m.due_a} -> {m.due_b}, "
            f"{shift_words(m.days, m.working_days)}{status}")


def _totals(report: ImpactReport) -> str:
    return (f"{_n(report.cases_evaluated, 'case')} evaluated, {report.cases_changed} changed, "
            f"{_n(report.deadlines_moved, 'deadline')} moved, {report.errors} not evaluated")


def _findings(c: CaseImpact) -> list[tuple[str, tuple[str, ...]]]:
    return [(label, items) for label, items in (
        ("overdue gained", c.overdue_gained), ("overdue lost", c.overdue_lost),
        ("violations gained", c.violations_gained),
        ("violations lost", c.violations_lost)) if items]


def _table(report: ImpactReport) -> list[str]:
    lines = [f"A: {report.a.label}   B: {report.b.label}", ""]
    for c in report.cases:
        if c.error:
            lines.append(f"{c.case}: not evaluated: {c.error}")
        elif c.changed:
            lines.append(f"{c.case} (as of {c.as_of.isoformat()}):")
            lines += [f"    {_move_words(m)}" for m in c.moved]
            lines += [f"    {label}: {', '.join(items)}" for label, items in _findings(c)]
    if report.rules:
        rows = [("RULE", "DEADLINES MOVED", "CASES", "BY", "OVERDUE +/-", "VIOLATIONS +/-")]
        rows += [(r.rule_id, str(r.deadlines_moved), str(r.cases),
                  _range(r.min_days, r.max_days, "day"),
                  f"+{r.overdue_gained}/-{r.overdue_lost}",
                  f"+{r.violations_gained}/-{r.violations_lost}") for r in report.rules]
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        lines += ["", "By rule:"]
        lines += ["  " + "  ".join(x.ljust(w) for x, w in zip(r, widths, strict=True)).rstrip()
                  for r in rows]
    lines += ["", _totals(report)]
    return lines


def _md(text: str) -> str:
    return text.replace("|", "\\|")


def _markdown(report: ImpactReport) -> list[str]:
    lines = [f"# Impact: {report.a.label} -> {report.b.label}", "", _totals(report) + ".", ""]
    if report.rules:
        lines += ["## By rule", "",
                  "| rule | deadlines moved | cases | by (calendar days) | by (working days) "
                  "| overdue gained | overdue lost | violations gained | violations lost |",
                  "| --- | ---: | ---: | --- | --- | ---: | ---: | ---: | ---: |"]
        lines += [f"| `{r.rule_id}` | {r.deadlines_moved} | {r.cases} | "
                  f"{_range(r.min_days, r.max_days, 'day')} | "
                  f"{_range(r.min_working_days, r.max_working_days, 'working day')} | "
                  f"{r.overdue_gained} | {r.overdue_lost} | {r.violations_gained} | "
                  f"{r.violations_lost} |" for r in report.rules]
        lines.append("")
    changed = [c for c in report.cases if c.changed or c.error]
    if changed:
        lines += ["## By case", ""]
    for c in changed:
        lines.append(f"### {_md(c.case)}")
        lines.append("")
        if c.error:
            lines += [f"Not evaluated: {_md(c.error)}", ""]
            continue
        lines += [f"- {_md(_move_words(m))}" for m in c.moved]
        lines += [f"- {label}: {', '.join(f'`{i}`' for i in items)}"
                  for label, items in _findings(c)]
        lines.append("")
    return lines


def render_impact(report: ImpactReport, fmt: str = "table") -> str:
    """The impact report as a readable table, Markdown or JSON."""
    if fmt == "json":
        return report.model_dump_json(indent=2) + "\n"
    lines = _markdown(report) if fmt == "markdown" else _table(report)
    return "\n".join(lines).rstrip() + "\n"
