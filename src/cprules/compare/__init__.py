"""Comparing rulesets and what a change does to cases: :func:`diff` (two rulesets rule by
rule), :func:`compare` (a matrix), :func:`impact` (deadlines and violations a change
moves on real cases), and their rendering."""

from .diff import CORE_FIELDS, Resolved, cell_words, compare, diff, expand, resolve, rule_words
from .render import render_comparison, render_diff

__all__ = [
    "CORE_FIELDS",
    "Resolved",
    "cell_words",
    "compare",
    "diff",
    "expand",
    "render_comparison",
    "render_diff",
    "resolve",
    "rule_words",
]
