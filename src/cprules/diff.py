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
from typing import Any

from .errors import CprulesError
from .evaluator import resolve_variant
from .loader import load_ruleset
from .model.diff import Comparison, FieldChange, RuleDiff, RulesetDiff, Side
from .model.duration import Duration
from .model.ruleset import (
    AfterSpec,
    AllCond,
    AnyCond,
    AttendedCond,
    BeforeSpec,
    CheckRule,
    ChildAgeCond,
    CountCond,
    DeadlineRule,
    DurationVersion,
    EventFilter,
    ExistsCond,
    FieldCond,
    FieldDateSpec,
    FirstReviewCond,
    InvitedCond,
    InVocabularyCond,
    MinimumPeriodRule,
    NotCond,
    ObligationRule,
    QuorateCond,
    RecordedCond,
    RecurringRule,
    Rule,
    Ruleset,
    WhicheverSpec,
)
from .timescales import in_force

__all__ = [
    "CORE_FIELDS",
    "Resolved",
    "compare",
    "diff",
    "render_comparison",
    "render_diff",
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
    """A copy of ``ruleset`` whose dated values are replaced by the value in force ``on``;
    a value with no version in force that day keeps its versions."""

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            if node and all(isinstance(x, dict) and "value" in x and set(x) <= {
                    "from", "until", "value", "source", "note"} for x in node):
                versions = tuple(DurationVersion.model_validate(x) for x in node)
                try:
                    return str(in_force(versions, on)[0])
                except LookupError:
                    return node
            return [walk(x) for x in node]
        return node

    data = walk(ruleset.model_dump(mode="json", by_alias=True))
    pinned = type(ruleset).model_validate(data)
    for attr in ("_file", "_sha256"):
        if hasattr(ruleset, attr):
            setattr(pinned, attr, getattr(ruleset, attr))
    return pinned


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


def _filter_words(f: EventFilter | str) -> str:
    if isinstance(f, str):
        return f.replace("_", " ")
    words = f.event.replace("_", " ")
    if not f.where:
        return words
    conds = []
    for k, v in f.where.items():
        vals = v if isinstance(v, list) else [v]
        conds.append(f"{k.replace('_', ' ')}: {' or '.join(str(x) for x in vals)}")
    return f"{words} ({'; '.join(conds)})"


def _dur(d: Duration) -> str:
    return "the same day" if d.count == 0 else str(d)


def _duration_words(value: Duration | tuple[DurationVersion, ...], on: _dt.date | None) -> str:
    if isinstance(value, Duration):
        return _dur(value)
    if on is not None:
        try:
            return _dur(in_force(value, on)[0])
        except LookupError:
            return "not in force"
    parts = []
    for v in value:
        span = []
        if v.from_ is not None:
            span.append(f"from {v.from_.isoformat()}")
        if v.until is not None:
            span.append(f"until {v.until.isoformat()}")
        parts.append(f"{_dur(v.value)} ({' '.join(span)})" if span else _dur(v.value))
    return "; ".join(parts)


def _after_words(spec: AfterSpec, on: _dt.date | None) -> tuple[str, str | None]:
    dur = _duration_words(spec.within, on)
    anchor = None if spec.after == "trigger" else _filter_words(spec.after)
    return dur, anchor


def _cond_words(c: Any) -> str:
    if isinstance(c, FieldCond):
        parts = []
        for k, v in c.field.items():
            if v is None:
                parts.append(f"no {k.replace('_', ' ')} recorded")
            else:
                vals = v if isinstance(v, list) else [v]
                parts.append(f"{k.replace('_', ' ')} is {' or '.join(str(x) for x in vals)}")
        return " and ".join(parts)
    if isinstance(c, RecordedCond):
        facts = c.recorded if isinstance(c.recorded, list) else [c.recorded]
        return "records " + " and ".join(f.value.replace("_", " ") for f in facts)
    if isinstance(c, QuorateCond):
        q = c.quorate
        age = q.gp_report_counts_for_health_over_age
        extra = f"; a GP report counts for health over age {age}" if age is not None else ""
        return (f"quorate ({q.core.value.replace('_', ' ')} and {q.others_at_least} other "
                f"agencies{' with direct contact' if q.direct_contact_only else ''}{extra})")
    if isinstance(c, AttendedCond):
        return "attended by " + ", ".join(a.value.replace("_", " ") for a in c.attended_by)
    if isinstance(c, InvitedCond):
        return "invites " + ", ".join(a.value.replace("_", " ") for a in c.invited)
    if isinstance(c, CountCond):
        lo, hi = c.count.at_least, c.count.at_most
        rng = (f"exactly {lo}" if lo is not None and lo == hi else
               " and ".join(x for x in (f"at least {lo}" if lo is not None else "",
                                        f"at most {hi}" if hi is not None else "") if x))
        return f"{rng} {c.count.field.replace('_', ' ')}"
    if isinstance(c, ExistsCond):
        e = c.exists
        within = f" within {e.within}" if e.within else ""
        return f"{_filter_words(e)} {e.relative}{within}"
    if isinstance(c, FirstReviewCond):
        return "at the first review" if c.first_review else "not at the first review"
    if isinstance(c, ChildAgeCond):
        return f"a child over {c.child_older_than}"
    if isinstance(c, InVocabularyCond):
        return (f"{c.in_vocabulary.field.replace('_', ' ')} from the list "
                f"{c.in_vocabulary.vocabulary}")
    if isinstance(c, AllCond):
        return "(" + " and ".join(_cond_words(x) for x in c.all) + ")"
    if isinstance(c, AnyCond):
        return "(" + " or ".join(_cond_words(x) for x in c.any) + ")"
    if isinstance(c, NotCond):
        return f"not {_cond_words(c.not_)}"
    return type(c).__name__  # pragma: no cover


def _vocab_words(ruleset: Ruleset, rule: Rule) -> str | None:
    """The list a rule checks against, in words (so an added ground shows in a diff)."""
    names: list[str] = []
    for where in ("when", "require"):
        cond = getattr(rule, where, None)
        stack = [cond] if cond is not None else []
        while stack:
            c = stack.pop()
            if isinstance(c, InVocabularyCond):
                names.append(c.in_vocabulary.vocabulary)
            elif isinstance(c, AllCond):
                stack += c.all
            elif isinstance(c, AnyCond):
                stack += c.any
            elif isinstance(c, NotCond):
                stack.append(c.not_)
    if not names:
        return None
    return "; ".join(
        f"{n}: {', '.join(i.id for i in ruleset.vocabularies.get(n, [])) or 'none'}"
        for n in names
    )


def rule_words(rule: Rule, on: _dt.date | None = None,
               ruleset: Ruleset | None = None) -> dict[str, str]:
    """A rule's fields in plain words, dated values resolved as in force ``on``."""
    w: dict[str, str] = {"kind": rule.kind, "title": rule.title,
                         "severity": rule.severity}
    if rule.responsible:
        w["responsible"] = rule.responsible
    if isinstance(rule, DeadlineRule):
        due = rule.due
        trig = _filter_words(rule.trigger)
        if rule.trigger.occurrence != "each":
            trig += f" ({rule.trigger.occurrence} only)"
        if rule.trigger.nth_in_plan:
            trig += f" (number {rule.trigger.nth_in_plan} in the plan)"
        req = rule.trigger.requires
        if req is not None:
            within = (f" within {rule.trigger.requires_within}"
                      if rule.trigger.requires_within else "")
            trig += " (after " + " or ".join(
                _filter_words(f) for f in (req if isinstance(req, list) else [req])) + \
                f"{within})"
        if isinstance(due, AfterSpec):
            dur, anchor = _after_words(due, on)
            w["timescale"] = f"within {dur}"
            w["starts"] = anchor or trig
        elif isinstance(due, BeforeSpec):
            w["timescale"] = f"at least {_duration_words(due.at_least, on)} before"
            w["starts"] = trig
        elif isinstance(due, FieldDateSpec):
            w["timescale"] = f"by the {due.on_or_before.replace('_', ' ')} date"
            w["starts"] = trig
        elif isinstance(due, WhicheverSpec):
            parts = []
            for part in due.of:
                dur, anchor = _after_words(part, on)
                parts.append(f"{dur} after {anchor or trig}")
            w["timescale"] = f"whichever is {due.whichever} of: " + "; ".join(parts)
            w["starts"] = trig
        w["done by"] = _filter_words(rule.satisfied_by)
        if rule.cancelled_by:
            w["withdrawn by"] = "; ".join(_filter_words(c) for c in rule.cancelled_by)
        if rule.per:
            w["one per"] = rule.per.replace("_", " ")
    elif isinstance(rule, RecurringRule):
        w["timescale"] = f"every {_duration_words(rule.interval, on)} at most"
        w["starts"] = (_filter_words(rule.start) if rule.start
                       else f"start of the {rule.during.replace('_', ' ')}")
        w["done by"] = _filter_words(rule.satisfied_by)
    elif isinstance(rule, MinimumPeriodRule):
        w["timescale"] = (f"lasts at least {_duration_words(rule.period, on)}"
                          if rule.period is not None else
                          f"lasts until the {str(rule.until).replace('_', ' ')} date")
        w["starts"] = _filter_words(rule.trigger)
        w["withdrawn by"] = "; ".join(_filter_words(c) for c in rule.ended_by)
    elif isinstance(rule, (CheckRule, ObligationRule)):
        w["applies to"] = "; ".join(_filter_words(s) for s in rule.subjects)
        cond = []
        if rule.when is not None:
            cond.append(f"when {_cond_words(rule.when)}")
        if isinstance(rule, CheckRule):
            cond.append(f"requires {_cond_words(rule.require)}")
            if ruleset is not None and (vocab := _vocab_words(ruleset, rule)):
                cond.append(f"({vocab})")
        elif rule.satisfied_by is not None:
            w["done by"] = _filter_words(rule.satisfied_by)
        if cond:
            w["condition"] = " ".join(cond)
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
        parts = [_after_words(p, on)[0] for p in rule.due.of]
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
    return Comparison(columns=tuple(s.side() for s in unique), rows=rows)


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
    """The matrix as Markdown (default), a plain table, or JSON."""
    if fmt == "json":
        return c.model_dump_json(indent=2) + "\n"
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
