"""Check a ruleset against the procedure texts it cites (``cprules validate --sources DIR``).

Two checks, each naming the ruleset file and line:

- every ``quote`` (in a rule's ``source``, in a dated version's ``source``, in a
  vocabulary item's ``source``) occurs in the text named by the ``file`` beside it, with
  whitespace, quote marks, dashes and Markdown emphasis (``**``) normalised; a quote not
  found is reported with the closest passage of the text (:mod:`difflib`) and its line;
- each text listed under ``sources:`` with a ``sha256`` still has that SHA-256: a text
  that has changed (the partnership published a new version) is reported with the rules
  that cite it, which need a look.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from .errors import ErrorDetail
from .yamlio import Located, display_name, read_document, read_file

__all__ = ["SourceProblem", "check_sources", "normalise", "sha256_of"]

_MARKS = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u2013": "-", "\u2014": "-", "\u2010": "-", "\u2011": "-", "\u2212": "-",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ",
})
_EMPHASIS = re.compile(r"\*\*|__")


def normalise(text: str) -> str:
    """Text as compared: quote marks and dashes plain, ``**`` gone, whitespace single."""
    return " ".join(_EMPHASIS.sub("", text.translate(_MARKS)).split())


@dataclass(frozen=True)
class SourceProblem:
    """A quote not found, or a text that has changed."""

    kind: str  # "quote" or "changed" or "missing"
    detail: ErrorDetail

    def format(self) -> str:
        return self.detail.format()


@dataclass(frozen=True)
class _Text:
    words: tuple[str, ...]
    lines: tuple[int, ...]  # the line of each word
    joined: str
    starts: tuple[int, ...]  # offset of each word in joined


@cache
def _text(path: Path, mtime: float) -> _Text:
    words: list[str] = []
    lines: list[int] = []
    for n, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(),
                             start=1):
        for w in normalise(line).split():
            words.append(w)
            lines.append(n)
    starts, pos = [], 0
    for w in words:
        starts.append(pos)
        pos += len(w) + 1
    return _Text(tuple(words), tuple(lines), " ".join(words), tuple(starts))


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _closest(text: _Text, quote: str) -> tuple[int, str] | None:
    """The passage of ``text`` most like ``quote``, and its line."""
    q = quote.lower().split()
    words = [w.lower() for w in text.words]
    m = len(q)
    if not m or not words:
        return None
    wanted = set(q)
    step = max(1, m // 4)
    scored = sorted(((sum(1 for w in words[i:i + m] if w in wanted), i)
                     for i in range(0, max(1, len(words) - m + 1), step)), reverse=True)[:8]
    best: tuple[float, int, int] = (-1.0, 0, m)
    sm = difflib.SequenceMatcher(autojunk=False)
    sm.set_seq2(q)
    for _, start in scored:
        for i in range(max(0, start - step), min(len(words), start + step + 1)):
            for size in {m - 1, m, m + 1} - {0}:
                sm.set_seq1(words[i:i + size])
                r = sm.ratio()
                if r > best[0]:
                    best = (r, i, size)
    _, i, size = best
    passage = " ".join(text.words[i:i + size])
    return text.lines[i], passage


def _quotes(node: Any, path: tuple[str | int, ...] = ()) -> Iterator[
        tuple[tuple[str | int, ...], str | None, str]]:
    if isinstance(node, dict):
        quote = node.get("quote")
        if isinstance(quote, str):
            file = node.get("file")
            yield path, file if isinstance(file, str) else None, quote
        for k, v in node.items():
            yield from _quotes(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _quotes(v, (*path, i))


def _rule_id(data: Any, path: tuple[str | int, ...]) -> str | None:
    if len(path) >= 2 and path[0] == "rules" and isinstance(path[1], int):
        rules = data.get("rules")
        if isinstance(rules, list) and path[1] < len(rules) and isinstance(rules[path[1]], dict):
            rid = rules[path[1]].get("id")
            return rid if isinstance(rid, str) else None
    return None


def _path_words(path: tuple[str | int, ...]) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else p)
    return out


def _short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def check_sources(ruleset_file: str | Path, sources: str | Path) -> list[SourceProblem]:
    """Every quote of ``ruleset_file`` against the texts in the folder ``sources``, and
    every recorded ``sha256``: the problems found (empty when all is well)."""
    path, folder = Path(ruleset_file), Path(sources)
    file = display_name(path)
    located: Located = read_document(read_file(path), file)
    data = located.data if isinstance(located.data, dict) else {}
    problems: list[SourceProblem] = []

    def add(kind: str, message: str, at: tuple[str | int, ...], rule: str | None = None,
            suggestion: str | None = None) -> None:
        problems.append(SourceProblem(kind, ErrorDetail(
            message, file=file, line=located.line_of(at), rule_id=rule,
            path=_path_words(at) or None, suggestion=suggestion)))

    citing: dict[str, list[str]] = {}
    for at, text_file, quote in _quotes(data):
        rule = _rule_id(data, at)
        if text_file is None:
            continue
        if rule:
            citing.setdefault(text_file, [])
            if rule not in citing[text_file]:
                citing[text_file].append(rule)
        text_path = folder / text_file
        if not text_path.is_file():
            add("missing", f"no text {text_file} in {display_name(folder)}", (*at, "file"), rule,
                "keep the procedure texts the ruleset cites in one folder (docs/authoring.md)")
            continue
        text = _text(text_path, text_path.stat().st_mtime)
        wanted = normalise(quote)
        if wanted and wanted in text.joined:
            continue
        near = _closest(text, wanted)
        hint = (f'closest, {text_file} line {near[0]}: "{_short(near[1])}"' if near
                else None)
        add("quote", f'quote not found in {text_file}: "{_short(wanted)}"', (*at, "quote"),
            rule, hint)

    for i, src in enumerate(data.get("sources") or []):
        if not isinstance(src, dict) or not isinstance(src.get("file"), str):
            continue
        text_path = folder / src["file"]
        if not text_path.is_file():
            add("missing", f"no text {src['file']} in {display_name(folder)}",
                ("sources", i, "file"))
            continue
        now = sha256_of(text_path)
        recorded = src.get("sha256")
        if recorded is None:
            add("unrecorded", f"no sha256 recorded for {src['file']}", ("sources", i),
                suggestion=f"add sha256: {now}")
        elif recorded != now:
            rules = citing.get(src["file"], [])
            add("changed", f"the text {src['file']} has changed since the ruleset recorded "
                f"it (sha256 {str(recorded)[:12]}..., now {now[:12]}...): "
                f"{len(rules)} rules cite it and need a look: {', '.join(rules) or 'none'}",
                ("sources", i, "sha256"),
                suggestion=f"check those rules against the new text, then record sha256: {now}")
    return problems
