"""Scenario files: worked examples that a ruleset must give (``cprules test``, and a
pytest plugin collecting them). The format is in ``docs/authoring.md``."""

from .runner import (
    Failure,
    ScenarioError,
    ScenarioResult,
    find_scenarios,
    local_ruleset,
    ruleset_path,
    run_all,
    run_scenario,
)

__all__ = [
    "Failure",
    "ScenarioError",
    "ScenarioResult",
    "find_scenarios",
    "local_ruleset",
    "ruleset_path",
    "run_all",
    "run_scenario",
]
