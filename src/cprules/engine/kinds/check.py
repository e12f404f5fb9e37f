"""``kind: check``: for each subject event where ``when`` holds, ``require`` must hold;
otherwise a violation (a warning with ``severity: warning``). Every application is
reported in ``checks``, passed or not."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator

from ...model.results import Finding
from ...model.rules import CheckRule
from ..compiled import Compiled, CompiledRule
from ..conditions import NotRecorded, holds
from ..conditions import words as condition_words
from ..context import Ctx, DateProblem
from ..words import filter_words
from .decisions import Subjects, applies, compile_subjects, starts, subjects

__all__ = ["compile", "evaluate", "starts", "words"]


def compile(rule: CheckRule, comp: Compiled) -> Subjects:
    return compile_subjects(rule, comp)


def evaluate(ctx: Ctx, cr: CompiledRule) -> Iterator[Finding]:
    rule: CheckRule = cr.rule  # type: ignore[assignment]
    for ev in subjects(ctx, cr.data):
        try:
            if not applies(ctx, rule, ev):
                continue
            ok, why = holds(ctx, rule.require, ev)
        except NotRecorded:
            continue
        except DateProblem as exc:
            yield ctx.date_problem(rule, ev, exc)
            continue
        yield ctx.check(rule, ev, ok, why)
        if not ok:
            yield ctx.violation(rule.id, f"{rule.title}: not met at {ev.describe()} ({why})",
                                rule.severity, None, (ev.ref,), rule.source)


def words(rule: CheckRule, on: _dt.date | None) -> dict[str, str]:
    cond = []
    if rule.when is not None:
        cond.append(f"when {condition_words(rule.when)}")
    cond.append(f"requires {condition_words(rule.require)}")
    return {"applies to": "; ".join(sorted(filter_words(s) for s in rule.subjects)),
            "condition": " ".join(cond)}
