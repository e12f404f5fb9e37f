"""The ruleset format (``cprules-ruleset/1``): frozen models, no I/O.

A ruleset is one partnership's procedure as data: its source documents, its revision
table, optional variants (local authorities that share a procedure but differ in places),
and its rules. Each rule cites the paragraph it encodes. The pieces live in their own
modules (:mod:`.rules`, :mod:`.conditions`, :mod:`.filters`, :mod:`.vocabulary`) and are
re-exported here.

The authoring guide for policy leads is ``docs/authoring.md``.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Final, Literal

from pydantic import BaseModel, Field, PrivateAttr, model_validator

from .base import Citation, Frozen
from .conditions import (
    AllCond,
    AnyCond,
    AttendedCond,
    ChildAgeCond,
    Condition,
    CountCond,
    CountSpec,
    ExistsCond,
    ExistsSpec,
    FieldCond,
    FirstReviewCond,
    InvitedCond,
    InVocabularyCond,
    NotCond,
    QuorateCond,
    QuorumSpec,
    RecordedCond,
    VocabularySpec,
    walk_conditions,
)
from .filters import EventFilter, Scalar, Trigger
from .problems import did_you_mean, problem
from .rules import (
    DECISION_KINDS,
    RULE_KINDS,
    AfterSpec,
    BeforeSpec,
    CheckRule,
    DeadlineRule,
    DueSpec,
    DurationVersion,
    FieldDateSpec,
    MinimumPeriodRule,
    ObligationRule,
    RecurringRule,
    Rule,
    TimedDuration,
    WhicheverSpec,
    check_versions,
)
from .vocabulary import VOCABULARY_FIELDS, Agency, VocabularyItem

__all__ = [
    "DECISION_KINDS",
    "RULESET_FORMAT",
    "RULE_KINDS",
    "VOCABULARY_FIELDS",
    "AfterSpec",
    "AllCond",
    "AnyCond",
    "AttendedCond",
    "BeforeSpec",
    "CheckRule",
    "ChildAgeCond",
    "Citation",
    "Condition",
    "CountCond",
    "CountSpec",
    "DeadlineRule",
    "DocumentVersion",
    "DueSpec",
    "DurationVersion",
    "EventFilter",
    "ExistsCond",
    "ExistsSpec",
    "FieldCond",
    "FieldDateSpec",
    "FirstReviewCond",
    "InVocabularyCond",
    "InvitedCond",
    "MinimumPeriodRule",
    "NotCond",
    "ObligationRule",
    "QuorateCond",
    "QuorumSpec",
    "RecordedCond",
    "RecurringRule",
    "Rule",
    "Ruleset",
    "Scalar",
    "SourceDocument",
    "TimedDuration",
    "Trigger",
    "Variant",
    "VocabularyItem",
    "VocabularySpec",
    "WhicheverSpec",
    "check_versions",
    "walk_conditions",
]

RULESET_FORMAT: Final = "cprules-ruleset/1"


def _path(text: str) -> tuple[str | int, ...]:
    """'trigger.where.kind' or 'subject[1].where.kind' as a path."""
    out: list[str | int] = []
    for part in text.split("."):
        name, _, rest = part.partition("[")
        out.append(name)
        if rest:
            out.append(int(rest.rstrip("]")))
    return tuple(out)


def _pin(node: Any, day: _dt.date) -> Any:
    """``node`` with every tuple of dated versions replaced by the one in force on
    ``day`` (the same object where nothing changes)."""
    if isinstance(node, tuple):
        if node and all(isinstance(v, DurationVersion) for v in node):
            for v in node:
                if (v.from_ is None or v.from_ <= day) and (v.until is None or day <= v.until):
                    return v.value
            return node
        items = tuple(_pin(x, day) for x in node)
        return node if all(a is b for a, b in zip(items, node, strict=True)) else items
    if isinstance(node, BaseModel):
        update = {}
        for name in type(node).model_fields:
            value = getattr(node, name)
            new = _pin(value, day)
            if new is not value:
                update[name] = new
        return node.model_copy(update=update) if update else node
    return node


def _filters_of(rule: Any) -> list[tuple[str, EventFilter]]:
    out: list[tuple[str, EventFilter]] = []
    for name in ("trigger", "satisfied_by", "start"):
        f = getattr(rule, name, None)
        if isinstance(f, EventFilter):
            out.append((name, f))
            for extra in ("requires", "following", "otherwise"):
                g = getattr(f, extra, None)
                for k, h in enumerate(g if isinstance(g, list) else [g]):
                    if isinstance(h, EventFilter):
                        suffix = f"[{k}]" if isinstance(g, list) else ""
                        out.append((f"{name}.{extra}{suffix}", h))
    subject = getattr(rule, "subject", None)
    for i, f in enumerate(subject if isinstance(subject, list) else [subject]):
        if isinstance(f, EventFilter):
            out.append(("subject" if not isinstance(subject, list) else f"subject[{i}]", f))
    return out


def _vocabulary_values(rule: Any) -> list[tuple[str, str, Any]]:
    """(where, field, value) for every value a rule compares a vocabulary field with."""
    found: list[tuple[str, str, Any]] = []
    for where, f in _filters_of(rule):
        for key, value in f.where.items():
            found.append((f"{where}.where.{key}", key, value))
    for cname in ("when", "require"):
        cond = getattr(rule, cname, None)
        if cond is None:
            continue
        for c in walk_conditions(cond):
            if isinstance(c, FieldCond):
                found += [(cname, k, v) for k, v in c.field.items()]
            elif isinstance(c, ExistsCond):
                found += [(cname, k, v) for k, v in c.exists.where.items()]
    return [(w, k, v) for w, k, v in found if k in VOCABULARY_FIELDS]



class SourceDocument(Frozen):
    file: str = Field(description="Seed file name, e.g. 000_84de5436ccf44314.txt.")
    title: str
    version: str | None = None
    date: _dt.date | None = None
    sha256: str | None = Field(
        default=None, pattern=r"^[0-9a-f]{64}$",
        description="SHA-256 of the text the rules were written from: `cprules validate "
        "--sources DIR` reports a text that has changed since, and the rules citing it.",
    )


class DocumentVersion(Frozen):
    """A row of the procedure's revision table."""

    version: str
    date: _dt.date
    comment: str | None = None


class Variant(Frozen):
    name: str = Field(description="The local authority's name.")


class Ruleset(Frozen):
    """One partnership's procedure as data."""

    format: Literal["cprules-ruleset/1"] = Field(
        default=RULESET_FORMAT, alias="cprules", description="Format of this file."
    )
    partnership: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str
    version: str = Field(description="The procedure's version this ruleset encodes.")
    month_end: Literal["clip"] = Field(
        default="clip",
        description="How 'N months' treats a day missing from the target month: clip "
        "to the month's last day (31 Jan + 1 month = 28/29 Feb).",
    )
    sources: tuple[SourceDocument, ...] = Field(min_length=1)
    revisions: tuple[DocumentVersion, ...] = ()
    variants: dict[str, Variant] = Field(default_factory=dict)
    notes: tuple[str, ...] = Field(
        default=(), description="What the source leaves out, and general readings."
    )
    agency_groups: dict[str, list[Agency]] = Field(
        default_factory=dict,
        description="Agencies that count as one for quoracy (e.g. health: [health, gp, "
        "health_visitor, ...]).",
    )
    vocabularies: dict[str, list[VocabularyItem]] = Field(
        default_factory=dict,
        description="Named lists the rules refer to: exclusion_grounds, "
        "discontinuation_reasons. An empty list states that the text gives none.",
    )
    rules: tuple[Rule, ...] = Field(min_length=1)

    # The compiled form for evaluation (cprules.engine.compiled), made on first use.
    _compiled: Any = PrivateAttr(default=None)

    def in_force_on(self, day: _dt.date) -> Ruleset:
        """The ruleset as in force on ``day``: each timescale with dated versions replaced
        by the version in force that day (a timescale with no version in force that day
        keeps its versions). Everything else, the file and hash it came from included, is
        kept.

        >>> york.in_force_on(date(2024, 7, 1)).rule("outline_plan.distribution").due.within
        Duration(count=1, unit=<Unit.WORKING_DAYS: 'working days'>)
        """
        pinned = _pin(self, day)
        assert isinstance(pinned, Ruleset)
        if pinned is not self:
            pinned._compiled = None
        return pinned

    @model_validator(mode="after")
    def _consistent(self) -> Ruleset:
        files = {s.file for s in self.sources}
        for i, rule in enumerate(self.rules):
            if rule.source.file not in files:
                raise problem(f"source file '{rule.source.file}' is not one of the ruleset's "
                              f"sources ({', '.join(sorted(files))})",
                              at=("rules", i, "source", "file"),
                              suggestion=did_you_mean(rule.source.file, sorted(files)))
            for v in rule.variants or ():
                if v not in self.variants:
                    known = ", ".join(sorted(self.variants)) or "none declared"
                    raise problem(f"unknown variant '{v}' (variants: {known})",
                                  at=("rules", i, "variants"),
                                  suggestion=did_you_mean(v, self.variants))
        for i, rule in enumerate(self.rules):
            for where in ("when", "require"):
                cond = getattr(rule, where, None)
                if cond is None:
                    continue
                for c in walk_conditions(cond):
                    if isinstance(c, InVocabularyCond) and (
                            c.in_vocabulary.vocabulary not in self.vocabularies):
                        name = c.in_vocabulary.vocabulary
                        raise problem(
                            f"unknown vocabulary '{name}' (vocabularies: "
                            f"{', '.join(self.vocabularies) or 'none'})",
                            at=("rules", i, where),
                            suggestion=did_you_mean(name, self.vocabularies))
        for i, rule in enumerate(self.rules):
            for where, key, value in _vocabulary_values(rule):
                vocab = VOCABULARY_FIELDS[key]
                if vocab not in self.vocabularies:
                    continue
                ids = [item.id for item in self.vocabularies[vocab]]
                for v in value if isinstance(value, list) else [value]:
                    if v is not None and v not in ids:
                        raise problem(f"'{v}' is not an id in {vocab} "
                                      f"({', '.join(ids) or 'empty'})",
                                      at=("rules", i, *_path(where)),
                                      suggestion=did_you_mean(str(v), ids))
        by_id: dict[str, list[tuple[int, frozenset[str]]]] = {}
        everyone = frozenset(self.variants) or frozenset({""})
        for i, rule in enumerate(self.rules):
            applies = frozenset(rule.variants) if rule.variants else everyone
            for j, other in by_id.get(rule.id, []):
                if applies & other:
                    raise problem(
                        f"duplicate rule id '{rule.id}' (also rules[{j}]); an id may repeat "
                        "only for different variants", at=("rules", i, "id"),
                        suggestion="give the rule an id of its own, or name its variants")
            by_id.setdefault(rule.id, []).append((i, applies))
        return self

    def rules_for(self, variant: str | None) -> tuple[Rule, ...]:
        """The rules that apply to ``variant`` (all variant-free rules, plus its own)."""
        return tuple(r for r in self.rules if r.variants is None or variant in r.variants)

    def rule(self, rule_id: str, variant: str | None = None) -> Rule:
        for r in self.rules_for(variant):
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)
