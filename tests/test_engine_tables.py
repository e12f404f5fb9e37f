"""One table per vocabulary (issue 9): every rule kind is in KINDS and every condition kind
in CONDITIONS, and every field of every kind shows in its words, so that `cprules diff`
sees an edit of any field."""

from __future__ import annotations

import datetime as dt
from typing import Any, get_args

import pytest

import cprules
from cprules.compare.diff import CORE_FIELDS, rule_words
from cprules.engine import KINDS, kind_of
from cprules.engine.conditions import CONDITIONS
from cprules.engine.conditions import words as condition_words
from cprules.model.conditions import _COND_CLASSES, Condition
from cprules.model.rules import RULE_KINDS, Rule

RULESETS = cprules.bundled_rulesets()


def test_every_rule_kind_has_one_entry() -> None:
    members = {get_args(a)[0] for a in get_args(get_args(Rule)[0])}
    assert {k.model for k in KINDS.values()} == members
    assert set(KINDS) == set(RULE_KINDS)
    for k in KINDS.values():
        assert callable(k.compile) and callable(k.evaluate) and callable(k.words)


def test_every_condition_kind_has_one_entry() -> None:
    members = {get_args(a)[0] for a in get_args(get_args(Condition)[0])}
    assert set(CONDITIONS) == members == set(_COND_CLASSES.values())


def _rules() -> list[tuple[str, Any]]:
    return [(name, r) for name in RULESETS for r in cprules.load_ruleset(name).rules]


# Fields that are wording or identity (compared with --all-fields), or that say which
# variants a rule applies to (a diff is between two sides each with its variant).
_NOT_CORE = {"id", "title", "responsible", "note", "source", "variants"}


def _mutations(value: Any) -> list[Any]:
    """Other values for a field: a different value of the same shape."""
    from cprules.model.duration import Duration, Unit

    if isinstance(value, bool):
        return [not value]
    if isinstance(value, int):
        return [value + 1]
    if isinstance(value, Duration):
        return [Duration(value.count + 1, value.unit),
                Duration(value.count, Unit.DAYS if value.unit != Unit.DAYS else Unit.WEEKS)]
    return []


def _changed(rule: Any, field: str) -> list[Any]:
    """Copies of ``rule`` with ``field`` changed, where a change can be made generically."""
    value = getattr(rule, field)
    out = []
    for new in _mutations(value):
        out.append(rule.model_copy(update={field: new}))
    if isinstance(value, str) and field in ("select", "severity", "during", "per"):
        choices = {"select": ["first", "last"], "severity": ["error", "warning"],
                   "during": ["plan", "child_in_need_plan"], "per": ["from_agency", "to"]}
        out += [rule.model_copy(update={field: c}) for c in choices[field] if c != value]
    if value is None and field in ("per",):
        out.append(rule.model_copy(update={field: "from_agency"}))
    if value is None and field == "arises_after":
        from cprules.model.duration import Duration, Unit

        out.append(rule.model_copy(update={field: Duration(24, Unit.MONTHS)}))
    if isinstance(value, tuple) and field == "expected_from" and rule.per == "from_agency":
        out.append(rule.model_copy(update={field: value[:-1] if value else ("invited",)}))
    if isinstance(value, tuple) and field in ("cancelled_by", "ended_by", "allowed_if"):
        out.append(rule.model_copy(update={field: value[:-1] if value else ("plan_end",)}))
    return out


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_field_of_a_kind_shows_in_its_words(kind: str) -> None:
    rules = [(n, r) for n, r in _rules() if r.kind == kind]
    assert rules, f"no bundled rule of kind {kind}"
    model = KINDS[kind].model
    covered: set[str] = set()
    for _, rule in rules:
        before = rule_words(rule)
        for field in model.model_fields:
            if field in _NOT_CORE:
                continue
            for changed in _changed(rule, field):
                after = rule_words(changed)
                assert {f: after.get(f) for f in CORE_FIELDS} != {
                    f: before.get(f) for f in CORE_FIELDS}, (
                    f"{rule.id}: changing {field} does not change the words of kind {kind}")
                covered.add(field)
    # every field either was mutated above or is checked through its parts (filters,
    # due specs, conditions) by the tests below
    structural = {"kind", "trigger", "due", "satisfied_by", "subject", "when", "require",
                  "start", "interval", "period", "until", "cancelled_by", "ended_by",
                  "allowed_if", "per"}
    missing = set(model.model_fields) - _NOT_CORE - covered - structural
    assert not missing, f"{kind}: fields never checked in the words: {sorted(missing)}"


def test_trigger_qualifiers_show_in_the_words() -> None:
    rule = cprules.load_ruleset("york").rule("icpc.timing")
    base = rule_words(rule)["starts"]
    for update in ({"counts": "each"}, {"occurrence": "first"}, {"nth_in_plan": 2},
                   {"where": {"s47_initiated": False}},
                   {"otherwise": rule.trigger.model_copy(update={"where": {}})},
                   {"following": rule.satisfied_by}):
        trig = rule.trigger.model_copy(update=update)
        assert rule_words(rule.model_copy(update={"trigger": trig}))["starts"] != base, update


def test_condition_words_ignore_key_order_and_one_or_list() -> None:
    from cprules.model.conditions import FieldCond

    a = FieldCond.model_validate({"field": {"kind": ["initial", "review"], "outcome": "plan"}})
    b = FieldCond.model_validate({"field": {"outcome": ["plan"], "kind": ["review", "initial"]}})
    assert condition_words(a) == condition_words(b)
    c = FieldCond.model_validate({"field": {"outcome": "no_plan"}})
    assert condition_words(a) != condition_words(c)


def test_kind_of_finds_every_bundled_rule() -> None:
    for _, rule in _rules():
        assert kind_of(rule).name == rule.kind


def test_ruleset_in_force_on_pins_dated_values() -> None:
    york = cprules.load_ruleset("york")
    before = york.in_force_on(dt.date(2024, 7, 30)).rule("outline_plan.distribution")
    after = york.in_force_on(dt.date(2024, 7, 31)).rule("outline_plan.distribution")
    assert str(before.due.within) == "1 working day"  # type: ignore[union-attr]
    assert str(after.due.within) == "3 working days"  # type: ignore[union-attr]
    pinned = york.in_force_on(dt.date(2024, 7, 31))
    assert pinned.source_file == york.source_file  # type: ignore[attr-defined]
    assert york.rule("outline_plan.distribution").due.within != after.due.within  # type: ignore[union-attr]


def test_exists_of_an_earlier_conference_shows_in_the_words() -> None:
    from cprules.model.conditions import ExistsCond

    a = ExistsCond.model_validate({"exists": {"event": "exclusion_decision"}})
    b = ExistsCond.model_validate({"exists": {"event": "exclusion_decision",
                                              "conference": "earlier"}})
    assert condition_words(a) != condition_words(b)


def _timelines(n: int) -> list[tuple[Any, Any]]:
    """(compiled ruleset, one child's context) over generated cases of every partnership,
    both Derby variants and sibling groups, at three as-of dates."""
    import sys
    from pathlib import Path

    from cprules.engine.compiled import compiled
    from cprules.engine.context import Ctx
    from cprules.engine.run import resolve_variant
    from cprules.engine.timeline import Timeline, events_of

    bench = str(Path(__file__).parent.parent / "benchmarks")
    sys.path.insert(0, bench)
    try:
        from cases import generate
    finally:
        sys.path.remove(bench)
    out = []
    for data in generate(n, seed=31):
        case = cprules.case_from_data(data)
        rs = cprules.load_ruleset(case.partnership or "york")
        comp = compiled(rs)
        rules = comp.rules_for(resolve_variant(rs, case, None))
        events = events_of(case)
        for as_of in (dt.date(2023, 6, 1), dt.date(2024, 6, 1), dt.date(2026, 6, 1)):
            for i, child in enumerate(case.children):
                mine = [e for e, who in events if who is None or child.id in who]
                out.append((rules, Ctx(Timeline(case, i, mine, as_of), comp, as_of)))
    return out


def test_a_rule_is_skipped_only_where_it_could_find_nothing() -> None:
    """`starts`: a rule whose start event types are all missing from a child's timeline
    finds nothing there, so the evaluator may skip it; and the test sees rules both ways."""
    skipped = ran = 0
    for rules, ctx in _timelines(150):
        for cr in rules:
            assert cr.starts == cr.kind.starts(cr.data) and cr.starts
            if cr.starts.isdisjoint(ctx.tl.types):
                skipped += 1
                assert list(cr.kind.evaluate(ctx, cr)) == [], cr.rule.id
            else:
                ran += 1
    assert skipped > 1000 and ran > 1000, (skipped, ran)


def test_every_data_quality_code_of_the_timeline_is_listed() -> None:
    """The compact form leaves out the messages of TIMELINE_CODES: a new code made in
    engine/quality.py must be listed there (or its message would be lost)."""
    import re
    from pathlib import Path

    from cprules.engine import quality

    made = set(re.findall(r'ctx\.quality\("([a-z_]+)"', Path(quality.__file__).read_text()))
    assert made == quality.TIMELINE_CODES
