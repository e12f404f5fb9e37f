"""The evaluation engine: a ruleset compiled once, a case indexed once per child, and one
module per rule kind (``docs/architecture.md``)."""

from .compiled import compiled
from .kinds import KINDS, kind_of
from .run import MAX_TIMELINE_EVENTS, evaluate, iter_findings, resolve_variant

__all__ = [
    "KINDS",
    "MAX_TIMELINE_EVENTS",
    "compiled",
    "evaluate",
    "iter_findings",
    "kind_of",
    "resolve_variant",
]
