"""Shared pieces of the readers: the limits, plain data with its lines, and errors."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ..errors import CprulesError, ErrorDetail

__all__ = ["DEFAULT_LIMITS", "Limits", "Located", "Path", "display_name"]


@dataclass(frozen=True)
class Limits:
    """Bounds on what one input may cost to read (``docs/security.md``)."""

    #: bytes in one YAML or JSON file (a ruleset or a case)
    max_bytes: int = 5_000_000
    #: bytes in one line of a JSON Lines file (one case)
    max_line_bytes: int = 5_000_000
    #: levels of nesting of mappings and lists
    max_depth: int = 60
    #: values built from one document, counting each use of an alias
    max_values: int = 200_000
    #: characters in one number (digits, sign, point and exponent)
    max_digits: int = 32
    #: events in one case
    max_events: int = 5_000
    #: children in one case
    max_children: int = 1_000
    #: characters in a ruleset name or a file path given on the command line or the API
    max_path_chars: int = 1_024
    #: problems listed in one error (the rest are counted)
    max_problems: int = 100
    #: problems that get a "did you mean" suggestion
    max_suggestions: int = 20


DEFAULT_LIMITS = Limits()

Path = tuple[str | int, ...]


@dataclass
class Located:
    """Plain data and the line (1-based) of each path in it.

    ``locate``, when given, computes the lines on first use (for JSON, whose parser does
    not report them: they are needed only when something is wrong)."""

    data: Any
    file: str
    lines: dict[Path, int] = field(default_factory=dict)
    locate: Callable[[], dict[Path, int]] | None = field(default=None, repr=False,
                                                         compare=False)

    def line_of(self, path: Path) -> int | None:
        """The line of ``path``, or of its nearest ancestor that has one."""
        if self.locate is not None:
            locate, self.locate = self.locate, None
            self.lines.update(locate())
        p = tuple(path)
        while True:
            if p in self.lines:
                return self.lines[p]
            if not p:
                return None
            p = p[:-1]


def display_name(name: str | os.PathLike[str], limit: int = 120) -> str:
    """A file name short enough for a message."""
    text = str(name)
    return text if len(text) <= limit else text[: limit - 20] + "..." + text[-17:]


def _err(
    error: type[CprulesError], file: str, message: str, line: int | None, suggestion: str | None,
    path: str | None = None,
) -> CprulesError:
    return error(message, details=[ErrorDetail(message, file=file, line=line, path=path,
                                               suggestion=suggestion)])


def _path_text(path: Iterable[str | int]) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out
