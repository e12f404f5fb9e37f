"""Durations as written in procedures: "15 working days", "3 months", "24 hours".

A :class:`Duration` is a count and a unit. It is written in YAML as one string and parsed
strictly: a misspelt unit is an error that suggests the right one. Arithmetic lives in
:mod:`cprules.timescales`; this module holds only the value type.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, PydanticSerializationUnexpectedValue, core_schema

from .problems import problem

__all__ = ["Duration", "DurationError", "Unit"]


class Unit(StrEnum):
    WORKING_DAYS = "working days"
    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"
    HOURS = "hours"

    @property
    def singular(self) -> str:
        return self.value[:-1]


_UNIT_WORDS: dict[str, Unit] = {}
for _u in Unit:
    _UNIT_WORDS[_u.value] = _u
    _UNIT_WORDS[_u.singular] = _u

# ASCII only: "\d" would read fullwidth or Arabic-Indic digits ("１５ days") as 15
class DurationError(ValueError):
    """Text that is not a duration, with a suggestion when one is close."""

    def __init__(self, message: str, suggestion: str | None = None) -> None:
        self.message = message
        self.suggestion = suggestion
        super().__init__(message + (f"; {suggestion}" if suggestion else ""))


_PATTERN = re.compile(r"\s*([0-9]{1,4})\s+([a-z ]+?)\s*", re.ASCII)
JSON_PATTERN = r"^\s*\d{1,4}\s+(working days?|days?|weeks?|months?|hours?)\s*$"
MAX_COUNT = 9999


@dataclass(frozen=True, order=True)
class Duration:
    """A count of a unit, e.g. ``Duration(15, Unit.WORKING_DAYS)``."""

    count: int
    unit: Unit
    _text: str = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        word = self.unit.singular if self.count == 1 else self.unit.value
        object.__setattr__(self, "_text", f"{self.count} {word}")

    @classmethod
    def parse(cls, text: str) -> Duration:
        """Parse "15 working days", "1 month", "24 hours". Raises ``ValueError`` with a
        suggestion when the text is not a duration."""
        if not isinstance(text, str):
            raise ValueError(
                f"a duration is written as text such as '15 working days', got {text!r}"
            )
        m = _PATTERN.fullmatch(text.lower()) if text.isascii() else None
        if not m:
            raise ValueError(
                f"'{text}' is not a duration: write a whole number and a unit, "
                "e.g. '15 working days', '3 months', '2 weeks', '24 hours'"
            )
        count, word = int(m.group(1)), " ".join(m.group(2).split())
        unit = _UNIT_WORDS.get(word)
        if unit is None:
            close = difflib.get_close_matches(word, list(_UNIT_WORDS), n=1, cutoff=0.5)
            raise DurationError(
                f"'{text}' has an unknown unit '{word}' (units: working days, days, "
                "weeks, months, hours)",
                f"did you mean '{count} {close[0]}'?" if close else None,
            )
        return cls(count, unit)

    def __str__(self) -> str:
        return self._text

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        def validate(value: Any) -> Duration:
            if isinstance(value, Duration):
                return value
            if not isinstance(value, str):
                # its own type, so that a union (a duration or a list of dated versions)
                # can tell "not this branch" from a misspelt duration
                raise PydanticCustomError(
                    "duration_type",
                    "a duration is written as text such as '15 working days', got {got}",
                    {"got": repr(value)[:80]},
                )
            try:
                return cls.parse(value)
            except DurationError as exc:
                raise problem(exc.message, suggestion=exc.suggestion) from None
            except ValueError as exc:
                raise problem(str(exc)) from None

        def serialize(value: Any) -> str:
            if isinstance(value, Duration):
                return str(value)
            # Lets a union (a duration or a list of dated versions) try its next member.
            raise PydanticSerializationUnexpectedValue(f"not a Duration: {type(value)}")

        return core_schema.no_info_plain_validator_function(
            validate,
            serialization=core_schema.plain_serializer_function_ser_schema(serialize),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {
            "type": "string",
            "pattern": JSON_PATTERN,
            "description": "A whole number and a unit: working days, days, weeks, months "
            "or hours (e.g. '15 working days').",
            "examples": ["15 working days", "3 months", "6 weeks", "24 hours"],
        }
