"""The scenario runner moved into the package: :mod:`cprules.scenarios` (``cprules test``,
and a pytest plugin). Kept so that older imports still work."""

from __future__ import annotations

from pathlib import Path

from cprules.scenarios import find_scenarios
from cprules.scenarios.pytest_plugin import check_scenario

SCENARIOS = Path(__file__).parent / "scenarios"


def scenario_files() -> list[Path]:
    return find_scenarios([SCENARIOS])


def run_scenario(path: Path) -> None:
    check_scenario(path)
