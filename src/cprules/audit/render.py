"""The audit as a text table, JSON or CSV (the HTML report is in :mod:`.html`).

- ``table``: the key figures, the figures by team and by worker, the census targets that
  are wrong, then each child with something overdue, violated, unreadable or failed;
- ``json``: one object: the stamp, the figures (overall, by team, by worker), the targets
  and every child (findings with citations, problems with where they were found);
- ``csv``: one row per finding (overdue deadline or violation) and per problem, with the
  child, team and worker, for a spreadsheet.
"""

from __future__ import annotations

import csv
import json
from typing import Any, TextIO

from .engine import AuditReport
from .figures import BANDS, Figures

__all__ = ["report_json", "write_csv", "write_json", "write_table"]


def _pct(n: int, d: int) -> str:
    return f"{100 * n / d:.1f}%" if d else "-"


def figure_lines(f: Figures, report: AuditReport) -> list[tuple[str, str]]:
    """(label, value) pairs of the key figures, for the table and the HTML report."""
    bands = ", ".join(f"{b}: {n}" for b, n in zip(BANDS, f.icpc_bands, strict=True))
    anchor = ("section 47 start" if report.source_kind == "cin" else "strategy discussion")
    rows = [
        ("Children", f"{f.children} ({f.evaluated} evaluated, {f.errors} not)"),
        ("Children with overdue items or violations", str(f.children_with_findings)),
        ("Overdue deadlines / violations", f"{f.overdue} / {f.violations}"),
        ("Problems in the source", str(f.problems)),
        (f"Initial conferences held (working days from {anchor})",
         f"{f.icpc_held}: {bands}"),
        ("Held within 15 working days", f"{f.icpc_within_15} of {f.icpc_held} "
         f"({_pct(f.icpc_within_15, f.icpc_held)})"),
        ("Enquiries awaiting a conference (past 15 working days)",
         f"{f.icpc_awaiting} ({f.icpc_awaiting_overdue})"),
        ("Enquiries needing no conference", str(f.icpc_not_required)),
        ("Conferences not countable (outside the calendar, or before the enquiry)",
         str(f.icpc_uncomputable)),
        ("First reviews within timescale", f"{f.first_reviews_in_time} of "
         f"{f.first_reviews_in_time + f.first_reviews_late} "
         f"({_pct(f.first_reviews_in_time, f.first_reviews_in_time + f.first_reviews_late)})"),
        ("Later reviews within timescale", f"{f.later_reviews_in_time} of "
         f"{f.later_reviews_in_time + f.later_reviews_late} "
         f"({_pct(f.later_reviews_in_time, f.later_reviews_in_time + f.later_reviews_late)})"),
        ("Plans (open on the as-of date)", f"{f.plans} ({f.plans_open})"),
        ("Plans lasting two years or more (open / ended)",
         f"{f.plans_2y} ({f.plans_2y_open} / {f.plans_2y_ended})"),
    ]
    if report.source_kind == "annex_a":
        rows.append(("Statutory visits overdue on the extract date", f"{f.visits_overdue} of "
                     f"{f.visits_checked} children on a plan"
                     + (f" ({report.visit_rule})" if report.visit_rule else
                        " (the ruleset sets no visit interval)")))
    if report.source_kind == "cin":
        rows.append(("InitialCPCtarget not the 15th working day after the section 47 start",
                     f"{f.targets_wrong} of {f.targets_checked}"))
    return rows


def _group_rows(groups: dict[str, Figures]) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = [("", "CHILDREN", "WITH FINDINGS", "OVERDUE", "VIOLATIONS",
                                    "ICPC <=15WD", "VISITS OVERDUE", "PLANS 2Y+")]
    for name, f in groups.items():
        rows.append((name, str(f.children), str(f.children_with_findings), str(f.overdue),
                     str(f.violations), f"{f.icpc_within_15}/{f.icpc_held}",
                     f"{f.visits_overdue}/{f.visits_checked}", str(f.plans_2y)))
    return rows


def _columns(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
            for r in rows]


def write_table(report: AuditReport, out: TextIO) -> None:
    """The audit for a terminal."""
    r = report
    out.write(f"Audit of {r.source} ({r.source_kind}) against {r.ruleset} version "
              f"{r.ruleset_version}{f' ({r.variant})' if r.variant else ''}, as of "
              f"{r.as_of} ({r.as_of_basis})\n")
    if r.anchor_note:
        out.write(f"Note: {r.anchor_note}.\n")
    out.write("\nKEY FIGURES\n")
    rows = figure_lines(r.figures, r)
    width = max(len(label) for label, _ in rows)
    out.writelines(f"  {label.ljust(width)}  {value}\n" for label, value in rows)
    for title, groups in (("BY TEAM", r.by_team), ("BY WORKER", r.by_worker)):
        if groups:
            out.write(f"\n{title}\n")
            out.writelines(f"  {line}\n" for line in _columns(_group_rows(groups)))
    if r.targets:
        out.write(f"\nINITIALCPCTARGET NOT THE 15TH WORKING DAY ({len(r.targets)})\n")
        out.writelines(f"  {t.child_id} (line {t.line}): {t.explain()}\n" for t in r.targets)
    if r.overdue_by_rule or r.violations_by_rule:
        out.write("\nBY RULE (overdue / violations)\n")
        for rule in sorted(set(r.overdue_by_rule) | set(r.violations_by_rule)):
            out.write(f"  {rule}: {r.overdue_by_rule.get(rule, 0)} / "
                      f"{r.violations_by_rule.get(rule, 0)}\n")
    if r.not_checkable:
        out.write(f"\nNot checkable from this source: {', '.join(r.not_checkable)}\n")
    out.write("\nCHILDREN\n")
    shown = 0
    for c in r.children:
        if not (c.findings or c.problems or c.error):
            continue
        shown += 1
        team = ", ".join(x for x in (c.team, c.worker) if x)
        out.write(f"  {c.child_id}{f' ({team})' if team else ''}  {c.where}\n")
        if c.error:
            out.write(f"    ERROR {c.error}\n")
        for x in c.findings:
            status = "OVERDUE" if x.kind == "overdue" else f"[{x.severity}]"
            out.write(f"    {status} {x.rule_id}: {x.message} [{x.section}]\n")
            if x.note:
                out.write(f"      note: {x.note}\n")
        for p in c.problems:
            out.write(f"    problem {p.format()}\n")
    if not shown:
        out.write("  (nothing overdue, violated or unreadable)\n")
    f = r.figures
    out.write(f"\n{f.children} children, {f.children_with_findings} with findings, "
              f"{f.overdue} overdue, {f.violations} violations, {f.problems} problems, "
              f"{f.errors} not evaluated\n")
    if r.content_sha256:
        out.write(f"ruleset sha256 {r.content_sha256}\n")


def report_json(report: AuditReport, *, children: bool = True) -> dict[str, Any]:
    """The audit as plain JSON."""
    r = report
    data: dict[str, Any] = {
        "format": "cprules-audit/1",
        "source": r.source, "source_kind": r.source_kind,
        "ruleset": r.ruleset, "ruleset_version": r.ruleset_version, "variant": r.variant,
        "content_sha256": r.content_sha256, "as_of": r.as_of.isoformat(),
        "as_of_basis": r.as_of_basis, "anchor_note": r.anchor_note,
        "visit_rule": r.visit_rule,
        "figures": r.figures.to_json(),
        "by_team": {k: v.to_json() for k, v in r.by_team.items()},
        "by_worker": {k: v.to_json() for k, v in r.by_worker.items()},
        "overdue_by_rule": r.overdue_by_rule, "violations_by_rule": r.violations_by_rule,
        "targets": [{"child_id": t.child_id, "line": t.line,
                     "s47_start": t.s47_start.isoformat(), "target": t.target.isoformat(),
                     "expected": t.expected.isoformat(), "off_by_working_days": t.off_by,
                     "holidays": list(t.holidays), "explanation": t.explain()}
                    for t in r.targets],
        "not_checkable": list(r.not_checkable),
    }
    if children:
        data["children"] = [c.to_json() for c in r.children]
    return data


def write_json(report: AuditReport, out: TextIO) -> None:
    """The audit as one JSON object; children are written one by one (flat memory)."""
    head = json.dumps(report_json(report, children=False), indent=2)
    out.write(head[:-2] + ',\n  "children": [')
    for i, c in enumerate(report.children):
        out.write(("," if i else "") + "\n    " + json.dumps(c.to_json()))
    out.write("\n  ]\n}\n")


CSV_COLUMNS = ("child_id", "team", "worker", "where", "kind", "rule_id", "status", "due",
               "message", "citation_file", "citation_section", "note")


def write_csv(report: AuditReport, out: TextIO) -> None:
    """One row per overdue deadline, violation, problem or evaluation error."""
    w = csv.writer(out, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for c in report.children:
        base = (c.child_id, c.team or "", c.worker or "", c.where)
        if c.error:
            w.writerow((*base, "error", "", "", "", c.error, "", "", ""))
        for x in c.findings:
            w.writerow((*base, x.kind, x.rule_id, "overdue" if x.kind == "overdue" else
                        x.severity, x.due.isoformat() if x.due else "", x.message,
                        x.source_file, x.section, x.note or ""))
        for p in c.problems:
            w.writerow((*base, "problem", p.code, p.severity, "", p.message, p.where(), "",
                        ""))
