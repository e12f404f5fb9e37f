"""A pytest plugin: each scenario file in the folders named by the ``cprules_scenarios``
ini option (or ``--cprules-scenarios DIR``) is a test item.

Registered as the ``cprules`` plugin (entry point ``pytest11``), so installing cprules is
enough; it collects nothing until a folder is named::

    [tool.pytest.ini_options]
    cprules_scenarios = ["tests/scenarios"]

A failure is reported as the scenario's file and line, the rule, and "expected ... got
...", with no Python traceback. :func:`check_scenario` runs one file the same way from an
ordinary test function (``tests/test_scenarios.py`` does).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ..errors import CprulesError
from .runner import SUFFIXES, run_scenario

__all__ = ["ScenarioFailed", "check_scenario"]


class ScenarioFailed(Exception):
    """A scenario's expectations were not met, or it could not be run."""


def check_scenario(path: str | Path) -> None:
    """Run one scenario file; fail the current test with the report (no traceback)."""
    try:
        result = run_scenario(path)
    except CprulesError as exc:
        pytest.fail(f"cannot run scenario: {exc}", pytrace=False)
    if not result.passed:
        pytest.fail(result.report(), pytrace=False)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini("cprules_scenarios", type="paths", default=[],
                  help="folders of cprules scenario files to collect as tests")
    parser.addoption("--cprules-scenarios", action="append", default=[], metavar="DIR",
                     help="a folder of cprules scenario files to collect as tests")


def _folders(config: pytest.Config) -> list[Path]:
    given = [Path(p) for p in config.getini("cprules_scenarios")]
    given += [Path(p) for p in config.getoption("cprules_scenarios") or []]
    return [p.resolve() for p in given]


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.suffix not in SUFFIXES:
        return None
    here = file_path.resolve()
    if any(here.is_relative_to(folder) for folder in _folders(parent.config)):
        return ScenarioFile.from_parent(parent, path=file_path)
    return None


class ScenarioFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        yield ScenarioItem.from_parent(self, name=self.path.stem)


class ScenarioItem(pytest.Item):
    def runtest(self) -> None:
        try:
            result = run_scenario(self.path)
        except CprulesError as exc:
            raise ScenarioFailed(f"cannot run scenario: {exc}") from None
        if not result.passed:
            raise ScenarioFailed(result.report())

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException],
                     style: Any = None) -> str:
        if isinstance(excinfo.value, ScenarioFailed):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo, style=style))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, 0, f"scenario {self.path.name}"
