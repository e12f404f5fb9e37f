"""Compare rulesets (:mod:`cprules.compare`), under the name it has always had."""

from .compare.diff import (
    CORE_FIELDS,
    WORDING_FIELDS,
    Resolved,
    cell_words,
    compare,
    diff,
    expand,
    pin,
    resolve,
    rule_words,
)
from .compare.render import render_comparison, render_diff

__all__ = [
    "CORE_FIELDS",
    "WORDING_FIELDS",
    "Resolved",
    "cell_words",
    "compare",
    "diff",
    "expand",
    "pin",
    "render_comparison",
    "render_diff",
    "resolve",
    "rule_words",
]
