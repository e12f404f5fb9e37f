"""Evaluate a ruleset against a case's dated facts: the engine's entry points
(:mod:`cprules.engine`), under the name they have always had."""

from .engine import evaluate, iter_findings, resolve_variant

__all__ = ["evaluate", "iter_findings", "resolve_variant"]
