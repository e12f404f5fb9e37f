"""Rendering comparisons for people: tables, Markdown and JSON."""

from __future__ import annotations

from ..model.diff import Comparison, RulesetDiff, Side

__all__ = ["render_comparison", "render_diff"]


# --- rendering ------------------------------------------------------------------------------


def _side_words(s: Side) -> str:
    extra = []
    if s.variant:
        extra.append(s.variant)
    if s.as_of:
        extra.append(f"as of {s.as_of.isoformat()}")
    more = ", " + ", ".join(extra) if extra else ""
    return f"{s.label} ({s.partnership} version {s.version}{more})"


def render_diff(d: RulesetDiff, fmt: str = "table", *, show_all: bool = False) -> str:
    """The diff as a readable table, Markdown, or JSON."""
    if fmt == "json":
        return d.model_dump_json(indent=2) + "\n"
    listed = [r for r in d.rules if r.status != "same" or show_all]
    if fmt == "markdown":
        lines = [f"# {d.a.label} vs {d.b.label}", "",
                 f"A: {_side_words(d.a)}  ", f"B: {_side_words(d.b)}", "",
                 f"{d.changed} changed, {d.only_a} only in A, {d.only_b} only in B, "
                 f"{d.same} the same.", ""]
        for r in listed:
            lines.append(f"## `{r.rule_id}`: {_status_words(r.status)}")
            lines.append("")
            lines.append(r.title)
            lines.append("")
            if r.changes:
                lines += ["| field | A | B |", "| --- | --- | --- |"]
                lines += [f"| {c.field} | {_md(c.a)} | {_md(c.b)} |" for c in r.changes]
                lines.append("")
            for tag, cit in (("A", r.citation_a), ("B", r.citation_b)):
                if cit:
                    lines.append(f"- {tag}: {_md(cit)}")
            lines.append("")
        return "\n".join(lines).rstrip() + "\n"
    lines = [f"A: {_side_words(d.a)}", f"B: {_side_words(d.b)}", ""]
    for r in listed:
        lines.append(f"{_status_words(r.status).upper()}: {r.rule_id}  {r.title}")
        width = max((len(c.field) for c in r.changes), default=0)
        for c in r.changes:
            lines.append(f"    {c.field.ljust(width)}  A: {c.a}")
            lines.append(f"    {' ' * width}  B: {c.b}")
        for tag, cit in (("A", r.citation_a), ("B", r.citation_b)):
            if cit:
                lines.append(f"    cited {tag}: {cit}")
        lines.append("")
    lines.append(f"{d.changed} changed, {d.only_a} only in A, {d.only_b} only in B, "
                 f"{d.same} the same" + ("" if show_all else " (use --all to list them)"))
    return "\n".join(lines) + "\n"


def _status_words(status: str) -> str:
    return {"only_a": "only in A", "only_b": "only in B", "changed": "changed",
            "same": "the same"}[status]


def _md(text: str) -> str:
    return text.replace("|", "\\|")


def render_comparison(c: Comparison, fmt: str = "markdown") -> str:
    """The matrix as Markdown (default), a plain table, JSON or CSV."""
    if fmt == "json":
        return c.model_dump_json(indent=2, by_alias=True) + "\n"
    if fmt == "csv":
        from .structured import comparison_csv

        return comparison_csv(c)
    heads = ["rule"] + [s.label for s in c.columns]
    body = [[f"`{rid}`" if fmt == "markdown" else rid] + [v or "-" for v in cells]
            for rid, cells in c.rows]
    if fmt == "markdown":
        lines = ["| " + " | ".join(heads) + " |", "|" + " --- |" * len(heads)]
        lines += ["| " + " | ".join(_md(x) for x in row) + " |" for row in body]
        return "\n".join(lines) + "\n"
    body = [[x if len(x) <= 32 else x[:31] + "…" for x in row] for row in body]
    widths = [max(len(r[i]) for r in [heads, *body]) for i in range(len(heads))]
    return "\n".join("  ".join(x.ljust(w) for x, w in zip(r, widths, strict=True)).rstrip()
                     for r in [heads, *body]) + "\n"
