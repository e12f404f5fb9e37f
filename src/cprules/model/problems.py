"""Validation problems with their place and a suggestion as structured fields.

A model validator that finds a problem deeper than the value it validates (the third
rule's source file, a field of an event filter) raises :func:`problem` with the path to
it, relative to the value being validated, and a suggestion; the loader reads them from
the error's context and adds the file and line. No message is parsed back.
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic_core import PydanticCustomError

__all__ = ["PROBLEM", "did_you_mean", "problem"]

#: The pydantic error type of a :func:`problem`.
PROBLEM = "cprules"

Path = tuple[str | int, ...]


def problem(message: str, *, at: Path = (), suggestion: str | None = None
            ) -> PydanticCustomError:
    """A validation error saying ``message`` about the value at ``at`` (a path relative to
    the value being validated), with a suggestion."""
    return PydanticCustomError(PROBLEM, "{message}", {
        "message": message, "at": at, "suggestion": suggestion})


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """"did you mean 'x'?" for the closest of ``choices``, or None."""
    from difflib import get_close_matches

    close = get_close_matches(word, list(choices), n=1)
    return f"did you mean '{close[0]}'?" if close else None
