"""One exception tree for broken input.

Every error cprules raises is a :class:`CprulesError`. Findings about a case (a missed
deadline, a late report) are never exceptions: they are returned in an ``Evaluation``.
Exceptions are kept for input that cannot be used at all: a ruleset that does not load,
case facts that do not parse, a date outside the calendar's range.

Each error carries structured fields so that a caller can show it without parsing the
message: ``file``, ``line``, ``path`` (the field path inside the document, e.g.
``rules[3].due.within``), ``rule_id`` and ``suggestion``. Errors that gather several
problems (a ruleset with three mistakes) keep them in ``details``; the top-level
fields repeat the first one. A very long list is cut (``cprules.yamlio.Limits``:
``max_problems``); ``more`` counts the problems left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "CalendarRangeError",
    "CaseError",
    "CprulesError",
    "ErrorDetail",
    "RulesetError",
    "UnknownRulesetError",
    "VariantError",
]


@dataclass(frozen=True)
class ErrorDetail:
    """One problem at one place in one file."""

    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    path: str | None = None
    rule_id: str | None = None
    suggestion: str | None = None

    def format(self) -> str:
        where = self.file or "<input>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        parts = [where]
        if self.rule_id:
            parts.append(f"rule {self.rule_id}")
        if self.path:
            parts.append(f"field {self.path}")
        text = ": ".join([", ".join(parts), self.message])
        if self.suggestion:
            text += f" ({self.suggestion})"
        return text


class CprulesError(Exception):
    """Base of every error cprules raises on broken input."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        path: str | None = None,
        rule_id: str | None = None,
        suggestion: str | None = None,
        details: Sequence[ErrorDetail] = (),
        more: int = 0,
    ) -> None:
        self.message = message
        self.more = more
        self.details: tuple[ErrorDetail, ...] = tuple(details) or (
            ErrorDetail(
                message=message,
                file=file,
                line=line,
                path=path,
                rule_id=rule_id,
                suggestion=suggestion,
            ),
        )
        first = self.details[0]
        self.file = file if file is not None else first.file
        self.line = line if line is not None else first.line
        self.path = path if path is not None else first.path
        self.rule_id = rule_id if rule_id is not None else first.rule_id
        self.suggestion = suggestion if suggestion is not None else first.suggestion
        super().__init__(self.__str__())

    def __str__(self) -> str:
        if len(self.details) == 1 and not self.more:
            return self.details[0].format()
        lines = [f"{self.message} ({len(self.details) + self.more} problems)"]
        lines += [f"  {d.format()}" for d in self.details]
        if self.more:
            lines.append(f"  ... and {self.more} more not listed")
        return "\n".join(lines)

    def __reduce__(self) -> tuple[object, ...]:
        # so that an error crosses to and from worker processes whole (``jobs`` > 1)
        return (_rebuild, (type(self), self.message, self.details, self.more,
                           dict(self.__dict__)))

    def summary(self) -> str:
        """A single line: the first problem, and how many more there are."""
        first = self.details[0].format()
        more = len(self.details) - 1 + self.more
        return first if not more else f"{first} (and {more} more)"


def _rebuild(cls: type[CprulesError], message: str, details: tuple[ErrorDetail, ...],
             more: int, state: dict[str, object]) -> CprulesError:
    err = CprulesError.__new__(cls)
    CprulesError.__init__(err, message, details=details, more=more)
    err.__dict__.update(state)
    return err


class RulesetError(CprulesError):
    """A ruleset file is malformed, hostile or inconsistent."""


class CaseError(CprulesError):
    """Case facts are malformed or impossible (e.g. 2024-02-30)."""


class UnknownRulesetError(CprulesError):
    """A ruleset name is neither bundled nor a readable file."""


class VariantError(CprulesError):
    """A ruleset has variants (e.g. Derby City / Derbyshire) and none, or an unknown one,
    was chosen."""


class CalendarRangeError(CprulesError):
    """A date falls outside the years the working-day calendar covers."""

    def __init__(self, message: str, *, first_year: int, last_year: int,
                 suggestion: str | None = None) -> None:
        self.first_year = first_year
        self.last_year = last_year
        super().__init__(
            message,
            suggestion=suggestion or f"the calendar covers {first_year}-{last_year}",
        )
