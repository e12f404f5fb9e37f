"""The procedure view as Markdown."""

from __future__ import annotations

from .document import Document, RuleView

__all__ = ["to_markdown"]


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _period(frm: object, until: object) -> str:
    parts = [f"from {frm}" if frm else "", f"until {until}" if until else ""]
    return " ".join(p for p in parts if p) or "always"


def _rule(r: RuleView) -> list[str]:
    tags = [r.kind.replace("_", " ")]
    if r.severity == "warning":
        tags.append("warning")
    if r.variants:
        tags.append("only " + ", ".join(r.variants))
    lines = [f"### `{r.id}`: {r.title}", "", f"*{'; '.join(tags)}*", ""]
    if r.responsible:
        lines.append(f"- **who**: {r.responsible}")
    lines += [f"- **{name}**: {text}" for name, text in r.words]
    lines += ["", f"> {r.quote}", ""]
    if r.versions:
        lines += ["| in force | value | cited |", "| --- | --- | --- |"]
        for v in r.versions:
            now = " (applied)" if v.in_force else ""
            lines.append(f"| {_period(v.from_, v.until)}{now} | {v.value} | "
                         f"{_md(v.citation or '-')} |")
        lines.append("")
    if r.reading:
        lines += [f"**Reading (not in the text):** {r.reading}", ""]
    return lines


def to_markdown(doc: Document) -> str:
    """The whole document as Markdown."""
    lines = [f"# {doc.title}", "", f"Ruleset `{doc.partnership}`, {doc.scope}. "
             f"{doc.rule_count} rules, grouped by the paragraph they cite. Each rule is "
             "given in plain words beside the words of the procedure it comes from; a "
             "reading is the interpretation the ruleset takes where the text is unclear.",
             "", "## Sources", ""]
    lines += [f"- `{f}`: {t}" + (f" ({extra})" if extra else "") for f, t, extra in doc.sources]
    if doc.revisions:
        lines += ["", "| revision | date | change |", "| --- | --- | --- |"]
        lines += [f"| {v} | {d} | {_md(c)} |" for v, d, c in doc.revisions]
    lines.append("")
    for s in doc.sections:
        lines += [f"## {s.section} ({s.file})", ""]
        for r in s.rules:
            lines += _rule(r)
    if doc.vocabularies:
        lines += ["## Lists", ""]
        for name, items in doc.vocabularies:
            lines.append(f"### {name}")
            lines.append("")
            lines += [f"- `{i}`: {t}" + ("" if ok else " *(may be named; not itself a "
                                                     "permitted ground)*")
                      for i, t, ok in items] or ["- (the text gives none)"]
            lines.append("")
    lines += ["## What the text leaves out, and general readings", ""]
    lines += [f"- {n}" for n in doc.notes] or ["- (none recorded)"]
    return "\n".join(lines).rstrip() + "\n"
