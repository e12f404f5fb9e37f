"""The procedure view as one self-contained HTML page (no scripts, no external files)."""

from __future__ import annotations

from html import escape

from .document import Document, RuleView, Section

__all__ = ["to_html"]

_CSS = """
body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:72rem;padding:1rem 2rem;
color:#1b1b1b}
h1{font-size:1.7rem}h2{border-bottom:2px solid #1d70b8;padding-bottom:.2rem;margin-top:2rem}
nav ol{columns:3;font-size:.9rem}
article.rule{display:grid;grid-template-columns:1fr 1fr;gap:0 1.5rem;border:1px solid #b1b4b6;
padding:.6rem 1rem;margin:.8rem 0;break-inside:avoid}
article.rule>header{grid-column:1/3}
article.rule h3{margin:.2rem 0;font-size:1.05rem}
code{background:#f3f2f1;padding:0 .2rem}
.tags span{display:inline-block;font-size:.8rem;background:#e8f1f8;border-radius:.2rem;
padding:0 .4rem;margin-right:.3rem}
.tags span.warning{background:#fff4d6}
dl{margin:.3rem 0;display:grid;grid-template-columns:max-content 1fr;gap:.1rem .7rem}
dt{font-weight:600}dd{margin:0}
blockquote.quote{align-self:start;margin:.3rem 0;padding:.3rem .8rem;border-left:4px solid #1d70b8;
background:#f8f8f8;font-family:Georgia,serif}
aside.reading{grid-column:1/3;margin-top:.4rem;padding:.3rem .8rem;border-left:4px solid #f47738;
background:#fef7f1}
table{border-collapse:collapse;margin:.4rem 0;font-size:.9rem}
th,td{border:1px solid #b1b4b6;padding:.2rem .5rem;text-align:left;vertical-align:top}
tr.applied{background:#e6f4ea}
table.versions{grid-column:1/3}
@media (max-width:50rem){article.rule{grid-template-columns:1fr}
article.rule>header,aside.reading,table.versions{grid-column:1}nav ol{columns:1}}
@media print{nav{display:none}}
"""


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _rule(r: RuleView) -> str:
    tags = [f'<span class="kind">{_e(r.kind.replace("_", " "))}</span>']
    if r.severity == "warning":
        tags.append('<span class="warning">warning</span>')
    tags += [f'<span class="variant">only {_e(v)}</span>' for v in r.variants]
    words = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in (
        ([("who", r.responsible)] if r.responsible else []) + list(r.words)))
    out = [f'<article class="rule" id="rule-{_e(r.id)}" data-rule="{_e(r.id)}" '
           f'data-kind="{_e(r.kind)}">',
           f'<header><h3><code>{_e(r.id)}</code> {_e(r.title)}</h3>'
           f'<p class="tags">{"".join(tags)}</p></header>',
           f'<dl class="words">{words}</dl>',
           f'<blockquote class="quote">{_e(r.quote)}</blockquote>']
    if r.versions:
        rows = []
        for v in r.versions:
            when = " ".join(x for x in (f"from {v.from_}" if v.from_ else "",
                                        f"until {v.until}" if v.until else "") if x)
            applied = ' class="applied"' if v.in_force else ""
            rows.append(f"<tr{applied}>"
                        f"<td>{_e(when or 'always')}</td><td>{_e(v.value)}</td>"
                        f"<td>{_e(v.citation or '-')}</td></tr>")
        out.append('<table class="versions"><caption>Dated versions</caption><thead><tr>'
                   "<th>in force</th><th>value</th><th>cited</th></tr></thead><tbody>"
                   + "".join(rows) + "</tbody></table>")
    if r.reading:
        out.append(f'<aside class="reading"><strong>Reading (not in the text):</strong> '
                   f"{_e(r.reading)}</aside>")
    out.append("</article>")
    return "\n".join(out)


def _section(s: Section) -> str:
    return "\n".join([f'<section class="paragraph" id="{_e(s.anchor)}" '
                      f'data-file="{_e(s.file)}" data-section="{_e(s.section)}">',
                      f"<h2>{_e(s.section)} <small>{_e(s.file)}</small></h2>",
                      *(_rule(r) for r in s.rules), "</section>"])


def to_html(doc: Document) -> str:
    """The whole document as a self-contained HTML page."""
    sources = "".join(f"<li><code>{_e(f)}</code> {_e(t)}{f' ({_e(x)})' if x else ''}</li>"
                      for f, t, x in doc.sources)
    revisions = ""
    if doc.revisions:
        revisions = ('<table class="revisions"><thead><tr><th>revision</th><th>date</th>'
                     "<th>change</th></tr></thead><tbody>" + "".join(
                         f"<tr><td>{_e(v)}</td><td>{_e(d)}</td><td>{_e(c)}</td></tr>"
                         for v, d, c in doc.revisions) + "</tbody></table>")
    toc = "".join(f'<li><a href="#{_e(s.anchor)}">{_e(s.section)}</a> ({len(s.rules)})</li>'
                  for s in doc.sections)
    lists = ""
    for name, items in doc.vocabularies:
        entries = "".join(
            f'<li><code>{_e(i)}</code> {_e(t)}'
            f'{"" if ok else " <em>(may be named; not itself permitted)</em>"}</li>'
            for i, t, ok in items) or "<li>(the text gives none)</li>"
        lists += f"<h3>{_e(name)}</h3><ul>{entries}</ul>"
    notes = "".join(f"<li>{_e(n)}</li>" for n in doc.notes) or "<li>(none recorded)</li>"
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(doc.title)}</title>", f"<style>{_CSS}</style>", "</head>", "<body>",
        f"<h1>{_e(doc.title)}</h1>",
        f'<p class="scope">Ruleset <code>{_e(doc.partnership)}</code>, {_e(doc.scope)}.'
        f" {doc.rule_count} rules, grouped by the paragraph they cite; each in plain words "
        "beside the words of the procedure. A reading is the interpretation the ruleset "
        "takes where the text is unclear.</p>",
        f'<section id="sources"><h2>Sources</h2><ul>{sources}</ul>{revisions}</section>',
        f'<nav><h2>Paragraphs</h2><ol>{toc}</ol></nav>',
        "<main>", *(_section(s) for s in doc.sections), "</main>",
        f'<section id="lists"><h2>Lists</h2>{lists}</section>' if lists else "",
        f'<section id="notes"><h2>What the text leaves out, and general readings</h2>'
        f"<ul>{notes}</ul></section>",
        "</body>", "</html>", ""])
