"""cprules: child protection conference procedures as versioned, declarative rulesets.

The public surface, each with one example in its docstring and in ``README.md``:

- :func:`load_ruleset` a bundled ruleset by name, or a YAML file
- :func:`load_case` / :class:`Case` case facts from YAML or JSON
- :func:`evaluate` deadlines, obligations and violations, as an :class:`Evaluation`
- :func:`iter_findings` the same findings, one at a time
- :func:`evaluate_many` many cases (models, dicts, JSON lines), streamed in order
- :func:`bundled_rulesets` the names of the bundled rulesets
- :class:`CprulesError` the base of every error raised on broken input
- :func:`diff`, :func:`compare`, :func:`impact` compare rulesets, and what a change does
  to cases
- :mod:`cprules.calendar` England and Wales working days
"""

from . import calendar
from .batch import CaseResult, evaluate_many
from .diff import compare, diff
from .errors import (
    CalendarRangeError,
    CaseError,
    CprulesError,
    RulesetError,
    UnknownRulesetError,
    VariantError,
)
from .evaluator import evaluate, iter_findings
from .impact import impact
from .loader import case_from_data, load_case, load_ruleset
from .model import (
    Case,
    Citation,
    DataQuality,
    Deadline,
    Duration,
    Evaluation,
    Obligation,
    Ruleset,
    Violation,
)
from .registry import bundled as _bundled
from .version import __version__


def bundled_rulesets() -> list[str]:
    """Names of the rulesets shipped with cprules.

    >>> bundled_rulesets()
    ['derby', 'kirklees', 'north_yorkshire', 'york']
    """
    return list(_bundled())


__all__ = [
    "CalendarRangeError",
    "Case",
    "CaseError",
    "CaseResult",
    "Citation",
    "CprulesError",
    "DataQuality",
    "Deadline",
    "Duration",
    "Evaluation",
    "Obligation",
    "Ruleset",
    "RulesetError",
    "UnknownRulesetError",
    "VariantError",
    "Violation",
    "__version__",
    "bundled_rulesets",
    "calendar",
    "case_from_data",
    "compare",
    "diff",
    "evaluate",
    "evaluate_many",
    "impact",
    "iter_findings",
    "load_case",
    "load_ruleset",
]
