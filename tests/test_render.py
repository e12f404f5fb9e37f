"""`cprules render`: a ruleset as a document to read against the procedure, in Markdown
and in one self-contained HTML page (parsed here with html.parser, and loaded in headless
Chromium where it is installed)."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from cli_runner import cli
from cprules import load_ruleset
from cprules.view import build, render

ROOT = Path(__file__).parent.parent


class Page(HTMLParser):
    """Elements by tag and class, with their text, and every external reference."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, int]] = []  # open elements: tag, index in found
        self.found: list[tuple[str, dict[str, str], list[str]]] = []
        self.external: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        for key in ("src", "href"):
            if key in a and not a[key].startswith("#"):
                self.external.append(a[key])
        self.scripts += tag == "script"
        if tag in ("meta", "br", "link", "img"):
            return
        self.stack.append((tag, len(self.found)))
        self.found.append((tag, a, []))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            t, _ = self.stack.pop()
            if t == tag:
                break

    def handle_data(self, data: str) -> None:
        for _, i in self.stack:
            self.found[i][2].append(data)

    def all(self, tag: str, cls: str | None = None) -> list[tuple[dict[str, str], str]]:
        return [(a, "".join(t)) for tg, a, t in self.found
                if tg == tag and (cls is None or cls in a.get("class", "").split())]


def _page(html: str) -> Page:
    p = Page()
    p.feed(html)
    return p


def test_markdown_groups_rules_by_paragraph_with_quotes_and_readings() -> None:
    rs = load_ruleset("york")
    md = render(build(rs), "markdown")
    assert md.startswith(f"# {rs.title}\n")
    headings = re.findall(r"^### `([a-z0-9_.]+)`", md, re.M)
    assert sorted(headings) == sorted(r.id for r in rs.rules)
    section = md.split("## 2.16 (000_84de5436ccf44314.txt)")[1].split("\n## ")[0]
    assert "### `icpc.timing`" in section
    assert "- **timescale**: within 15 working days" in section
    assert "- **counted from**: strategy discussion (s47 initiated: true)" in section
    assert "> within 15 working days of a strategy discussion" in section
    assert "**Reading (not in the text):** Counted from" in section
    # sections in the order of the text: 1.6 before 1.13 before 2.16 before Appendix
    order = [md.index(f"## {s} (") for s in ("1.6", "1.13", "2.16", "3.17")]
    assert order == sorted(order)
    assert "## What the text leaves out, and general readings" in md
    assert md.count("\n- The text held is version 12.") == 1


def test_dated_versions_are_shown_and_as_of_marks_the_one_applied() -> None:
    rs = load_ruleset("york")
    md = render(build(rs), "markdown")
    block = md.split("### `outline_plan.distribution`")[1].split("\n### ")[0]
    assert "| until 2024-07-30 | 1 working day |" in block
    assert "| from 2024-07-31 | 3 working days |" in block
    assert "(applied)" not in block
    pinned = render(build(rs, as_of=dt.date(2024, 1, 1)), "markdown")
    block = pinned.split("### `outline_plan.distribution`")[1].split("\n### ")[0]
    assert "- **timescale**: within 1 working day" in block
    assert "| until 2024-07-30 (applied) | 1 working day |" in block


def test_variant_shows_only_its_rules() -> None:
    rs = load_ruleset("derby")
    city = render(build(rs, "derby_city"), "markdown")
    both = render(build(rs), "markdown")
    assert "*deadline; only derby_city*" in both and "*deadline; only derbyshire*" in both
    assert "only derbyshire" not in city
    assert len(re.findall(r"^### `", city, re.M)) == len(rs.rules_for("derby_city"))


@pytest.fixture(scope="module")
def york_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    page = tmp_path_factory.mktemp("render") / "york.html"
    code, out, err = cli("render", "york", "--format", "html", "-o", str(page))
    assert code == 0, out + err
    return page


def test_html_structure(york_html: Path) -> None:
    rs = load_ruleset("york")
    p = _page(york_html.read_text())
    assert p.external == [] and p.scripts == 0  # self-contained: no files, no scripts
    rules = p.all("article", "rule")
    assert sorted(a["data-rule"] for a, _ in rules) == sorted(r.id for r in rs.rules)
    assert len(p.all("blockquote", "quote")) == len(rs.rules)
    assert len(p.all("aside", "reading")) == sum(1 for r in rs.rules if r.note)
    sections = p.all("section", "paragraph")
    assert {(a["data-file"], a["data-section"]) for a, _ in sections} == {
        (r.source.file, r.source.section) for r in rs.rules}
    (icpc,) = [t for a, t in rules if a["data-rule"] == "icpc.timing"]
    assert "within 15 working days" in icpc and "Reading (not in the text):" in icpc
    (versions,) = p.all("table", "versions")
    assert "until 2024-07-30" in versions[1] and "3 working days" in versions[1]
    (notes,) = [t for a, t in p.all("section") if a.get("id") == "notes"]
    assert "What the text leaves out" in notes
    assert len([1 for tg, a, _ in p.found if tg == "li"]) >= len(rs.notes)


def test_html_escapes_text(tmp_path: Path) -> None:
    path = tmp_path / "york.yaml"
    path.write_text((ROOT / "rules" / "york.yaml").read_text().replace(
        "title: Hold the initial child protection conference within 15 working days of the "
        "strategy discussion", "title: \"<script>alert(1)</script> & more\""))
    html = render(build(load_ruleset(path)), "html")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html


def test_html_in_a_browser(york_html: Path, tmp_path: Path) -> None:
    from test_report_html import BROWSER, browse

    if BROWSER is None:
        pytest.skip("headless Chromium not installed")
    dom = browse(york_html, tmp_path, "--dump-dom", york_html.as_uri()).stdout
    assert len(re.findall(r'<article class="rule"', dom)) == len(load_ruleset("york").rules)


def test_render_errors() -> None:
    code, _, err = cli("render", "derby", "--variant", "nowhere")
    assert code == 2 and "derby_city" in err
    code, _, err = cli("render", "nothere.yaml")
    assert code == 2 and "no such file" in err
