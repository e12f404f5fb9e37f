"""A ruleset as a document a policy lead can read against the procedure text: the rules
grouped by the paragraph they cite, each in plain words (the kinds' ``words``), with the
quote beside it, the reading taken (``note``) marked as a reading, dated versions, and the
ruleset's notes on what the text leaves out."""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field

from ..compare.diff import CORE_FIELDS, rule_words
from ..engine import resolve_variant
from ..model.ruleset import DurationVersion, Rule, Ruleset

__all__ = ["Document", "RuleView", "Section", "Version", "build"]

#: The words shown for each rule, in this order (the kind is shown apart), and the label
#: each is shown with.
SHOWN = tuple(f for f in CORE_FIELDS if f not in ("kind", "severity"))
LABELS = {"applies to": "applies to", "timescale": "timescale", "starts": "counted from",
          "done by": "done when", "condition": "condition",
          "withdrawn by": "stops, with no breach, on", "one per": "one deadline per"}


@dataclass(frozen=True)
class Version:
    """One dated value of a timescale."""

    value: str
    from_: _dt.date | None
    until: _dt.date | None
    citation: str | None
    note: str | None
    in_force: bool


@dataclass(frozen=True)
class RuleView:
    id: str
    kind: str
    title: str
    severity: str
    responsible: str | None
    variants: tuple[str, ...]
    words: tuple[tuple[str, str], ...]
    quote: str
    reading: str | None
    versions: tuple[Version, ...]


@dataclass
class Section:
    """The rules citing one paragraph (or heading) of one text."""

    file: str
    section: str
    rules: list[RuleView] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return "s-" + re.sub(r"[^a-z0-9]+", "-", f"{self.file} {self.section}".lower()).strip("-")


@dataclass(frozen=True)
class Document:
    title: str
    partnership: str
    version: str
    variant: str | None
    as_of: _dt.date | None
    sources: tuple[tuple[str, str, str | None], ...]  # file, title, version/date
    revisions: tuple[tuple[str, str, str], ...]
    sections: tuple[Section, ...]
    notes: tuple[str, ...]
    vocabularies: tuple[tuple[str, tuple[tuple[str, str, bool], ...]], ...]
    rule_count: int

    @property
    def scope(self) -> str:
        """What the document shows: the version, the variant, the day it is as in force."""
        parts = [f"version {self.version}"]
        if self.variant:
            parts.append(f"variant {self.variant}")
        parts.append(f"as in force on {self.as_of.isoformat()}" if self.as_of
                     else "every dated value shown with its dates")
        return ", ".join(parts)


def _natural(text: str) -> tuple[tuple[int, int | str], ...]:
    return tuple((0, int(p)) if p.isdigit() else (1, p.lower())
                 for p in re.split(r"(\d+)", text) if p)


def _versions(rule: Rule) -> tuple[DurationVersion, ...]:
    for value in (getattr(getattr(rule, "due", None), "within", None),
                  getattr(getattr(rule, "due", None), "at_least", None),
                  getattr(rule, "interval", None), getattr(rule, "period", None)):
        if isinstance(value, tuple):
            return value
    return ()


def _flat(text: str | None) -> str | None:
    return " ".join(text.split()) if text else None


def _rule(rule: Rule, ruleset: Ruleset, on: _dt.date | None) -> RuleView:
    w = rule_words(rule, on, ruleset)
    versions = []
    for v in _versions(rule):
        s = v.source
        versions.append(Version(
            value=str(v.value), from_=v.from_, until=v.until,
            citation=f'{s.section}: "{_flat(s.quote)}"' if s else None, note=_flat(v.note),
            in_force=on is not None and (v.from_ is None or v.from_ <= on)
            and (v.until is None or on <= v.until)))
    return RuleView(
        id=rule.id, kind=rule.kind, title=rule.title, severity=rule.severity,
        responsible=rule.responsible, variants=tuple(rule.variants or ()),
        words=tuple((LABELS.get(f, f), w[f]) for f in SHOWN if f in w),
        quote=_flat(rule.source.quote) or "", reading=_flat(rule.note),
        versions=tuple(versions))


def build(ruleset: Ruleset, variant: str | None = None,
          as_of: _dt.date | None = None) -> Document:
    """The document for ``ruleset`` (one ``variant`` of it, dated values as in force on
    ``as_of`` when given; otherwise every dated value with its dates)."""
    if variant is not None:
        variant = resolve_variant(ruleset, None, variant)
    rules = ruleset.rules_for(variant) if (variant or not ruleset.variants) else ruleset.rules
    order = {s.file: i for i, s in enumerate(ruleset.sources)}
    sections: dict[tuple[str, str], Section] = {}
    for rule in rules:
        key = (rule.source.file, rule.source.section)
        sections.setdefault(key, Section(*key)).rules.append(_rule(rule, ruleset, as_of))
    ordered = sorted(sections.values(),
                     key=lambda s: (order.get(s.file, len(order)), _natural(s.section)))
    sources = tuple(
        (s.file, s.title, ", ".join(x for x in (
            f"version {s.version}" if s.version else "",
            s.date.isoformat() if s.date else "") if x) or None)
        for s in ruleset.sources)
    return Document(
        title=ruleset.title, partnership=ruleset.partnership, version=ruleset.version,
        variant=variant, as_of=as_of, sources=sources,
        revisions=tuple((r.version, r.date.isoformat(), r.comment or "")
                        for r in ruleset.revisions),
        sections=tuple(ordered), notes=tuple(_flat(n) or "" for n in ruleset.notes),
        vocabularies=tuple(
            (name, tuple((i.id, _flat(i.text) or "", i.permitted) for i in items))
            for name, items in sorted(ruleset.vocabularies.items())),
        rule_count=len(rules),
    )
