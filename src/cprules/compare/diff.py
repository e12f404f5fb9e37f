"""Compare rulesets: partnerships, variants, versions as of a date, and edited copies.

A side is written ``NAME[:VARIANT][@DATE]``: a bundled name or a YAML path, an optional
variant (``derby:derby_city``), and an optional date (``york@2024-01-01``) or revision
(``york@v10``) at which dated values are resolved. Rules are lined up by id; each rule is
put into plain words field by field (:func:`rule_words`), and the words are compared.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..engine import resolve_variant
from ..engine.kinds import kind_of
from ..engine.words import duration_words
from ..errors import CprulesError
from ..loader import load_ruleset
from ..model.diff import Comparison, FieldChange, RuleDiff, RulesetDiff, Side
from ..model.ruleset import (
    CheckRule,
    DeadlineRule,
    DurationVersion,
    InVocabularyCond,
    ObligationRule,
    Rule,
    Ruleset,
    WhicheverSpec,
    walk_conditions,
)
from ..timescales import in_force

__all__ = [
    "CORE_FIELDS",
    "Resolved",
    "compare",
    "diff",
    "resolve",
    "rule_words",
]

#: Fields compared by default: what a rule requires. ``all_fields=True`` adds the wording
#: (title, responsible, note) and the citation, which differ between any two texts.
CORE_FIELDS = ("kind", "applies to", "timescale", "starts", "done by", "condition",
               "withdrawn by", "one per", "severity")
WORDING_FIELDS = ("title", "responsible", "note", "source")


@dataclass(frozen=True)
class Resolved:
    """A ruleset as one side of a comparison."""

    label: str
    ruleset: Ruleset
    variant: str | None
    as_of: _dt.date | None

    def side(self) -> Side:
        return Side(
            label=self.label,
            partnership=self.ruleset.partnership,
            version=self.ruleset.version,
            variant=self.variant,
            as_of=self.as_of,
            content_sha256=getattr(self.ruleset, "content_sha256", None),
        )

    def rules(self) -> dict[str, Rule]:
        return {r.id: r for r in self.ruleset.rules_for(self.variant)}

    def pinned(self) -> Ruleset:
        """The ruleset with every dated value fixed at the one in force on ``as_of`` (the
        ruleset itself when no date was given): "what if these rules still applied"."""
        if self.as_of is None:
            return self.ruleset
        return pin(self.ruleset, self.as_of)


def pin(ruleset: Ruleset, on: _dt.date) -> Ruleset:
    """The ruleset as in force ``on`` (:meth:`Ruleset.in_force_on`)."""
    return ruleset.in_force_on(on)


_SPEC = re.compile(r"^(?P<name>.+?)(?::(?P<variant>[a-z][a-z0-9_]*))?(?:@(?P<when>[^@:]+))?$")


def resolve(spec: str | Resolved) -> Resolved:
    """``york``, ``derby:derby_city``, ``york@2024-01-01``, ``york@v10``, a YAML path."""
    if isinstance(spec, Resolved):
        return spec
    m = _SPEC.match(spec)
    if not m:
        raise CprulesError(f"cannot read ruleset spec '{spec}'",
                           suggestion="write NAME[:VARIANT][@YYYY-MM-DD]")
    ruleset = load_ruleset(m.group("name"))
    variant = m.group("variant")
    if ruleset.variants or variant is not None:
        if variant is None:
            names = ", ".join(f"{m.group('name')}:{v}" for v in sorted(ruleset.variants))
            raise CprulesError(
                f"ruleset '{ruleset.partnership}' has variants; name one",
                suggestion=f"one of: {names}",
            )
        variant = resolve_variant(ruleset, None, variant)
    return Resolved(spec, ruleset, variant, _when(m.group("when"), ruleset, spec))


def _when(text: str | None, ruleset: Ruleset, spec: str) -> _dt.date | None:
    if text is None:
        return None
    for rev in ruleset.revisions:
        if text.lower().lstrip("v") == rev.version.lower().lstrip("v"):
            return rev.date
    try:
        return _dt.date.fromisoformat(text)
    except ValueError:
        revs = ", ".join(f"v{r.version}" for r in ruleset.revisions) or "none"
        raise CprulesError(
            f"'{text}' in '{spec}' is neither a date (YYYY-MM-DD) nor a revision of "
            f"'{ruleset.partnership}' (revisions: {revs})"
        ) from None


# --- rules in words ------------------------------------------------------------------------


def _vocab_words(ruleset: Ruleset, rule: Rule) -> str | None:
    """The list a rule checks against, in words (so an added ground shows in a diff)."""
    names: list[str] = []
    for where in ("when", "require"):
        cond = getattr(rule, where, None)
        if cond is not None:
            names += [c.in_vocabulary.vocabulary for c in walk_conditions(cond)
                      if isinstance(c, InVocabularyCond)]
    if not names:
        return None
    return "; ".join(
        f"{n}: {', '.join(sorted(i.id for i in ruleset.vocabularies.get(n, []))) or 'none'}"
        for n in sorted(set(names))
    )


def rule_words(rule: Rule, on: _dt.date | None = None,
               ruleset: Ruleset | None = None) -> dict[str, str]:
    """A rule's fields in plain words, dated values resolved as in force ``on``: the
    common fields, then the kind's own words (:data:`cprules.engine.KINDS`)."""
    w: dict[str, str] = {"kind": rule.kind, "title": rule.title,
                         "severity": rule.severity}
    if rule.responsible:
        w["responsible"] = rule.responsible
    w.update(kind_of(rule).words(rule, on))
    if ruleset is not None and (vocab := _vocab_words(ruleset, rule)):
        w["condition"] = f"{w.get('condition', '')} ({vocab})".strip()
    if rule.note:
        w["note"] = " ".join(rule.note.split())
    w["source"] = _citation(rule, on)
    return w


def _versioned(rule: Rule) -> tuple[DurationVersion, ...] | None:
    for value in (getattr(getattr(rule, "due", None), "within", None),
                  getattr(getattr(rule, "due", None), "at_least", None),
                  getattr(rule, "interval", None), getattr(rule, "period", None)):
        if isinstance(value, tuple):
            return value
    return None


def _citation(rule: Rule, on: _dt.date | None = None) -> str:
    """The rule's citation; for a dated value resolved on a date, the citation of the
    version in force when it has one of its own."""
    s = rule.source
    versions = _versioned(rule)
    if versions is not None and on is not None:
        try:
            version = in_force(versions, on)[1]
        except LookupError:
            version = None
        if version is not None and version.source is not None:
            s = version.source
    return f'{s.file} {s.section}: "{" ".join(s.quote.split())}"'


def cell_words(rule: Rule, on: _dt.date | None = None) -> str:
    """A short summary of a rule for a comparison matrix."""
    if isinstance(rule, (CheckRule, ObligationRule)):
        return rule.kind
    if isinstance(rule, DeadlineRule) and isinstance(rule.due, WhicheverSpec):
        parts = [duration_words(p.within, on) for p in rule.due.of]
        return f"{rule.due.whichever} of {' / '.join(parts)}"
    w = rule_words(rule, on)
    return w.get("timescale", rule.kind)


# --- diff and compare --------------------------------------------------------------------


def diff(a: str | Resolved, b: str | Resolved, *, all_fields: bool = False) -> RulesetDiff:
    """Line up the rules of two rulesets by id and compare them field by field.

    >>> d = diff("derby:derby_city", "derby:derbyshire")
    >>> [c.a for r in d.rules if r.rule_id == "record.distribution" for c in r.changes]
    ['within 20 working days']
    """
    ra, rb = resolve(a), resolve(b)
    rules_a, rules_b = ra.rules(), rb.rules()
    fields = CORE_FIELDS + (WORDING_FIELDS if all_fields else ())
    out: list[RuleDiff] = []
    for rule_id in sorted(set(rules_a) | set(rules_b)):
        x, y = rules_a.get(rule_id), rules_b.get(rule_id)
        if x is None or y is None:
            only = y if x is None else x
            assert only is not None
            out.append(RuleDiff(
                rule_id=rule_id, status="only_b" if x is None else "only_a",
                title=only.title,
                citation_a=_citation(x, ra.as_of) if x else None,
                citation_b=_citation(y, rb.as_of) if y else None,
            ))
            continue
        wa = rule_words(x, ra.as_of, ra.ruleset)
        wb = rule_words(y, rb.as_of, rb.ruleset)
        changes = tuple(
            FieldChange(field=f, a=wa.get(f, "-"), b=wb.get(f, "-"))
            for f in fields if wa.get(f) != wb.get(f)
        )
        out.append(RuleDiff(rule_id=rule_id, status="changed" if changes else "same",
                            title=x.title, changes=changes,
                            citation_a=_citation(x, ra.as_of),
                            citation_b=_citation(y, rb.as_of)))
    count = {s: sum(1 for r in out if r.status == s)
             for s in ("only_a", "only_b", "changed", "same")}
    return RulesetDiff(a=ra.side(), b=rb.side(), rules=tuple(out), **count)


def expand(specs: Iterable[str]) -> list[Resolved]:
    """Resolve specs; a bundled name with variants and none chosen gives one per variant."""
    out: list[Resolved] = []
    for spec in specs:
        if ":" not in spec.split("@")[0]:
            name, _, when = spec.partition("@")
            rs = load_ruleset(name)
            if rs.variants:
                for v in sorted(rs.variants):
                    out.append(resolve(f"{name}:{v}" + (f"@{when}" if when else "")))
                continue
        out.append(resolve(spec))
    return out


def compare(specs: Sequence[str | Resolved]) -> Comparison:
    """One matrix: rule ids down, rulesets across, each cell the rule in words.

    >>> dict(compare(["york", "kirklees"]).rows)["record.distribution"]
    ('within 15 working days', 'within 20 working days')
    """
    unique: list[Resolved] = []
    for spec in specs:
        for side in [spec] if isinstance(spec, Resolved) else expand([spec]):
            if side.label not in {u.label for u in unique}:
                unique.append(side)
    tables = [s.rules() for s in unique]
    ids = sorted(set().union(*tables)) if tables else []
    rows = tuple(
        (rule_id, tuple(cell_words(t[rule_id], s.as_of) if rule_id in t else None
                        for s, t in zip(unique, tables, strict=True)))
        for rule_id in ids
    )
    from .structured import compared_rules

    return Comparison(columns=tuple(s.side() for s in unique), rows=rows,
                      rules=compared_rules([s.label for s in unique],
                                           [s.as_of for s in unique], tables, ids,
                                           [cells for _, cells in rows]))
