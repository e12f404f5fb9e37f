"""Reading a scenario file: its keys checked, each part with its line."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import CprulesError
from ..yamlio import Located, display_name, read_document, read_file

__all__ = ["EXPECTED", "KEYS", "SUFFIXES", "Failure", "ScenarioError", "Spec"]

SUFFIXES = (".yaml", ".yml")
KEYS = {"name", "ruleset", "variant", "as_of", "facts", "expected", "description"}
EXPECTED = {"deadlines", "absent", "violations", "obligations", "data_quality", "compliant",
            "failed", "not_applied", "no_violations", "has_obligations", "has_violations"}


class ScenarioError(CprulesError):
    """A scenario file that cannot be run (not the same as one whose expectations fail)."""


@dataclass(frozen=True)
class Failure:
    """One expectation not met: where in the scenario, which rule, what differed."""

    line: int | None
    rule: str | None
    message: str

    def format(self, file: str) -> str:
        where = f"{file}:{self.line}" if self.line else file
        return f"{where}: {self.rule + ': ' if self.rule else ''}{self.message}"


def parse_date(v: Any, where: str, file: str, line: int | None) -> _dt.date:
    if isinstance(v, _dt.date):
        return v
    try:
        return _dt.date.fromisoformat(str(v))
    except ValueError:
        from ..yamlhints import date_hint

        raise ScenarioError(f"{where}: '{v}' is not a date", file=file, line=line,
                            suggestion=date_hint(v) or "write dates as YYYY-MM-DD, e.g. "
                            "2024-05-20") from None


class Spec:
    """A scenario file read, with the line of each part."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.file = display_name(path)
        raw = read_file(path, error=ScenarioError)
        self.located: Located = read_document(raw, self.file, error=ScenarioError)
        data = self.located.data
        if not isinstance(data, dict):
            self.fail("a scenario is a mapping of name, ruleset, as_of, facts, expected", ())
        unknown = sorted(set(data) - KEYS)
        if unknown:
            self.fail(f"unknown scenario key '{unknown[0]}' (keys: {', '.join(sorted(KEYS))})",
                      (unknown[0],))
        for key in ("ruleset", "as_of", "facts"):
            if key not in data:
                self.fail(f"the scenario has no '{key}'", ())
        expected = data.get("expected")
        if not isinstance(expected, dict) or not expected:
            self.fail("a scenario must expect something (an 'expected' mapping)",
                      ("expected",))
        unknown = sorted(set(expected) - EXPECTED)
        if unknown:
            self.fail(f"unknown expected key '{unknown[0]}' (keys: "
                      f"{', '.join(sorted(EXPECTED))})", ("expected", unknown[0]))
        self.data: dict[str, Any] = data
        self.expected: dict[str, Any] = expected
        self.name = str(data.get("name") or path.stem)

    def line(self, *path: str | int) -> int | None:
        return self.located.line_of(tuple(path))

    def fail(self, message: str, path: tuple[str | int, ...]) -> None:
        raise ScenarioError(message, file=self.file, line=self.line(*path))

    def items(self, key: str) -> list[tuple[int | None, Any]]:
        value = self.expected.get(key) or []
        if not isinstance(value, list):
            self.fail(f"expected.{key} must be a list", ("expected", key))
        return [(self.line("expected", key, i), v) for i, v in enumerate(value)]


def facts_of(spec: Spec) -> Located:
    """The case facts as their own document, keeping the scenario's lines."""
    lines = {p[1:]: n for p, n in spec.located.lines.items() if p[:1] == ("facts",)}
    lines.setdefault((), spec.line("facts") or 1)
    return Located(spec.data["facts"], spec.file, lines)


