"""The audit as one self-contained HTML file a head of service can open.

Rendered with Jinja2 from the template shipped in the package
(``cprules/audit/templates/report.html.j2``); the charts are matplotlib's SVG output,
embedded inline; the per-child table sorts with a small inline script. Nothing is fetched
at view time (a Content-Security-Policy in the page forbids it). Children are streamed
into the page, so a large return does not sit in memory as HTML.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any, TextIO

from .engine import AuditReport, ChildResult
from .figures import BANDS
from .render import figure_lines

__all__ = ["charts", "write_html"]

_COLOURS = ("#1d70b8", "#00703c", "#f47738", "#d4351c")  # within 10 ... 21+ working days
_MAX_BARS = 15


def _svg(fig: Any) -> str:
    import matplotlib

    buf = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "cprules"}):
        fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    text = buf.getvalue()
    return text[text.index("<svg"):]


def _bars(title: str, labels: list[str], values: list[int], colour: str | list[str],
          horizontal: bool) -> str:
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    height = max(2.4, 0.35 * len(labels) + 1.2) if horizontal else 3.0
    fig = Figure(figsize=(6.4, height))
    ax = fig.subplots()
    if horizontal:
        ax.barh(labels[::-1], values[::-1], height=0.6,
                color=colour[::-1] if isinstance(colour, list) else colour)
        ax.set_xlabel("number")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    else:
        ax.bar(labels, values, color=colour)
        ax.set_ylabel("conferences")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(title, fontsize=11)
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig)


def _ranked(counts: dict[str, int]) -> tuple[list[str], list[int]]:
    items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:_MAX_BARS]
    return [k for k, _ in items], [v for _, v in items]


def charts(report: AuditReport) -> list[tuple[str, str]]:
    """(title, inline SVG) of each chart: timeliness bands, overdue by rule, by team."""
    f = report.figures
    anchor = "section 47 start" if report.source_kind == "cin" else "strategy discussion"
    out = [(f"Initial conferences: working days from the {anchor}",
            _bars(f"Initial conferences by working days from the {anchor}", list(BANDS),
                  list(f.icpc_bands), list(_COLOURS), horizontal=False))]
    if report.overdue_by_rule:
        labels, values = _ranked(report.overdue_by_rule)
        out.append(("Overdue items by rule", _bars("Overdue items by rule", labels, values,
                                                    "#d4351c", horizontal=True)))
    if report.overdue_by_team:
        labels, values = _ranked(report.overdue_by_team)
        out.append(("Overdue items by team", _bars("Overdue items by team", labels, values,
                                                    "#f47738", horizontal=True)))
    return out


def _row(c: ChildResult) -> dict[str, Any]:
    s = c.stats
    return {
        "id": c.child_id, "team": c.team or "", "worker": c.worker or "",
        "icpc": ", ".join(str(d) for d in s.icpc_days),
        "icpc_sort": s.icpc_days[-1] if s.icpc_days else -1,
        "overdue": s.overdue, "violations": s.violations, "problems": len(c.problems),
        "visit_due": s.visit_due.isoformat() if s.visit_due else "",
        "visit_overdue": s.visit_overdue, "error": c.error,
        "findings": c.findings, "problem_list": c.problems, "where": c.where,
    }


def _rows(report: AuditReport) -> Iterator[dict[str, Any]]:
    for c in report.children:
        yield _row(c)


_SLUG = re.compile(r"[^a-z0-9]+")


def write_html(report: AuditReport, out: TextIO) -> None:
    """Write the self-contained HTML report."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("cprules.audit", "templates"),
                      autoescape=select_autoescape(["html", "j2"]), trim_blocks=True,
                      lstrip_blocks=True)
    env.filters["slug"] = lambda s: _SLUG.sub("-", str(s).lower()).strip("-")
    template = env.get_template("report.html.j2")
    f = report.figures
    share = f.icpc_share_within_15
    context = {
        "r": report, "f": f, "figures": figure_lines(f, report), "charts": charts(report),
        "share": f"{100 * share:.1f}%" if share is not None else "-",
        "rows": _rows(report), "count": len(report.children),
        "groups": [("team", report.by_team), ("worker", report.by_worker)],
    }
    for chunk in template.generate(**context):
        out.write(chunk)
