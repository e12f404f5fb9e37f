"""Comparing what a scenario expects with what the evaluation gave, in words: "expected
... got ..." per rule, at the line of the expectation."""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from collections.abc import Sequence
from typing import Any

from ..loader import LoadedRuleset
from ..model.results import Evaluation
from .spec import Failure, Spec, parse_date

__all__ = ["Check"]


def _deadline_words(due: _dt.date, status: str, met: _dt.date | None,
                    children: tuple[str, ...]) -> str:
    text = f"due {due.isoformat()} {status}"
    if met is not None:
        text += f" (met on {met.isoformat()})"
    if children:
        text += f" for {', '.join(children)}"
    return text


def _listing(items: Sequence[str]) -> str:
    return ", ".join(items) if items else "none"


class Check:
    def __init__(self, spec: Spec, ruleset: LoadedRuleset, ev: Evaluation) -> None:
        self.spec, self.ev = spec, ev
        self.known = {r.id for r in ruleset.rules}
        self.failures: list[Failure] = []

    def add(self, line: int | None, rule: str | None, message: str) -> None:
        self.failures.append(Failure(line, rule, message))

    def rule(self, line: int | None, item: Any, key: str) -> str | None:
        rule_id = item.get("rule") if isinstance(item, dict) else item
        if not isinstance(rule_id, str):
            self.spec.fail(f"expected.{key}: each item names a rule", ("expected", key))
        if rule_id not in self.known:
            self.add(line, rule_id, f"no such rule in the ruleset ({key})")
            return None
        return str(rule_id)

    def deadlines(self) -> None:
        by_rule: dict[str, list[tuple[int | None, dict[str, Any]]]] = {}
        for line, item in self.spec.items("deadlines"):
            if not isinstance(item, dict) or not {"rule", "due", "status"} <= set(item):
                self.spec.fail("each expected deadline has rule, due and status",
                               ("expected", "deadlines"))
            rule_id = self.rule(line, item, "deadlines")
            if rule_id is not None:
                by_rule.setdefault(rule_id, []).append((line, item))
        for rule_id, items in by_rule.items():
            with_children = any("children" in i for _, i in items)
            with_met = any(i.get("met_on") is not None for _, i in items)
            f = self.spec.file

            got = Counter(
                (d.due, str(d.status), d.met_by.date if d.met_by and with_met else None,
                 tuple(sorted(d.children)) if with_children else ())
                for d in self.ev.deadlines if d.rule_id == rule_id)
            want: Counter[tuple[_dt.date, str, _dt.date | None, tuple[str, ...]]] = Counter()
            lines: dict[tuple[Any, ...], int | None] = {}
            for line, i in items:
                met = i.get("met_on")
                k = (parse_date(i["due"], f"{rule_id} due", f, line), str(i["status"]),
                     parse_date(met, f"{rule_id} met_on", f, line) if met is not None else None,
                     tuple(sorted(str(c) for c in i.get("children", ()))))
                want[k] += 1
                lines.setdefault(k, line)
            missing, extra = want - got, got - want
            if not missing and not extra:
                continue
            line = min((n for k in missing if (n := lines.get(k)) is not None),
                       default=items[0][0])
            exp = [_deadline_words(*k) for k in sorted(missing.elements())]
            have = [_deadline_words(*k) for k in sorted(extra.elements())]
            self.add(line, rule_id, f"expected {_listing(exp) if exp else 'no other deadline'}"
                     f", got {_listing(have) if have else 'no such deadline'}")

    def absent(self) -> None:
        for line, item in self.spec.items("absent"):
            rule_id = self.rule(line, item, "absent")
            found = [d for d in self.ev.deadlines if d.rule_id == rule_id]
            if rule_id and found:
                self.add(line, rule_id, "expected no deadline, got " + _listing(
                    [_deadline_words(d.due, d.status, None, ()) for d in found]))

    def exactly(self, key: str, got: list[str]) -> None:
        if key not in self.spec.expected:
            return
        items = self.spec.items(key)
        want = [str(i) for _, i in items]
        if Counter(want) != Counter(got):
            missing, extra = Counter(want) - Counter(got), Counter(got) - Counter(want)
            what = key.replace("_", " ")
            self.add(self.spec.line("expected", key), None,
                     f"{what}: expected {_listing(sorted(want))}, got {_listing(sorted(got))}"
                     f" (missing: {_listing(sorted(missing.elements()))}; not expected: "
                     f"{_listing(sorted(extra.elements()))})")

    def decisions(self) -> None:
        ev = self.ev
        for line, item in self.spec.items("compliant"):
            if (rule_id := self.rule(line, item, "compliant")) is None:
                continue
            results = [c for c in ev.checks if c.rule_id == rule_id]
            if not results:
                self.add(line, rule_id, "expected compliant, got not applied to anything")
            elif not all(c.passed for c in results):
                self.add(line, rule_id, "expected compliant, got failed: " + "; ".join(
                    f"{c.subject.date.isoformat()} {c.detail}" for c in results if not c.passed))
        for line, item in self.spec.items("failed"):
            if (rule_id := self.rule(line, item, "failed")) is None:
                continue
            results = [c for c in ev.checks if c.rule_id == rule_id]
            if not any(not c.passed for c in results):
                self.add(line, rule_id, "expected failed, got " + (
                    "passed every time" if results else "not applied to anything"))
        for line, item in self.spec.items("not_applied"):
            if (rule_id := self.rule(line, item, "not_applied")) is None:
                continue
            applied = [c for c in ev.checks if c.rule_id == rule_id]
            if applied:
                self.add(line, rule_id, "expected not applied, got applied to " + "; ".join(
                    f"{c.subject.date.isoformat()} ({c.detail})" for c in applied))

    def findings(self) -> None:
        ev = self.ev
        for line, item in self.spec.items("no_violations"):
            if (rule_id := self.rule(line, item, "no_violations")) is None:
                continue
            found = [v.message for v in ev.violations if v.rule_id == rule_id]
            if found:
                self.add(line, rule_id, f"expected no violation, got {'; '.join(found)}")
        for key, findings in (("has_obligations", ev.obligations),
                              ("has_violations", ev.violations)):
            for line, item in self.spec.items(key):
                if (rule_id := self.rule(line, item, key)) is None:
                    continue
                children = (tuple(sorted(str(c) for c in item.get("children", ())))
                            if isinstance(item, dict) and "children" in item else None)
                same = [f for f in findings if f.rule_id == rule_id]
                if not [f for f in same if children is None
                        or tuple(sorted(f.children)) == children]:
                    what = key.split("_")[1][:-1]
                    for_whom = f" for {', '.join(children)}" if children else ""
                    got = "; ".join(f"one for {', '.join(f.children) or 'the case'}"
                                    for f in same) or "none"
                    self.add(line, rule_id, f"expected an {what}{for_whom}, got {got}")


