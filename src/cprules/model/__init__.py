"""Frozen pydantic models: rulesets, case facts and results. No I/O here."""

from .case import CASE_FORMAT, EVENT_TYPES, Case, Child, Event
from .duration import Duration, Unit
from .results import (
    DataQuality,
    Deadline,
    Evaluation,
    EventRef,
    Finding,
    Obligation,
    Stamp,
    Violation,
)
from .ruleset import RULESET_FORMAT, Citation, Rule, Ruleset

__all__ = [
    "CASE_FORMAT",
    "EVENT_TYPES",
    "RULESET_FORMAT",
    "Case",
    "Child",
    "Citation",
    "DataQuality",
    "Deadline",
    "Duration",
    "Evaluation",
    "Event",
    "EventRef",
    "Finding",
    "Obligation",
    "Rule",
    "Ruleset",
    "Stamp",
    "Unit",
    "Violation",
]
