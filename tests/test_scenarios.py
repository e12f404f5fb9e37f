"""Every YAML scenario under tests/scenarios/ (facts, as-of date, expected findings), run by
the package's runner (cprules.scenarios, the same as `cprules test` and the pytest
plugin) against the ruleset files of this checkout."""

from pathlib import Path

import pytest

from cprules.scenarios import find_scenarios
from cprules.scenarios.pytest_plugin import check_scenario

SCENARIOS = Path(__file__).parent / "scenarios"


@pytest.mark.parametrize(
    "path", find_scenarios([SCENARIOS]), ids=lambda p: str(Path(p).relative_to(SCENARIOS))
)
def test_scenario(path: Path) -> None:
    check_scenario(path)
