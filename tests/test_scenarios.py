"""Every YAML scenario under tests/scenarios/ (facts, as-of date, expected findings)."""

from pathlib import Path

import pytest

from scenario_runner import SCENARIOS, run_scenario, scenario_files


@pytest.mark.parametrize(
    "path", scenario_files(), ids=lambda p: str(Path(p).relative_to(SCENARIOS))
)
def test_scenario(path: Path) -> None:
    run_scenario(path)
