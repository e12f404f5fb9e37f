"""An error as one JSON object, the same wherever a program reads it: ``cprules ...
--format json`` on standard error, the HTTP API's ``application/problem+json`` bodies,
and (the same fields) the error lines of ``cprules evaluate --jsonl``.

``{"kind", "message", "file", "line", "field", "suggestion", "problems", "more"}``:
``kind`` is the exception class (``CaseError``, ``RulesetError``, ...), the next five
are the first problem's, ``problems`` lists every problem as one line of text (file,
line, field, message, suggestion) and ``more`` counts those left out of a very long list.
"""

from __future__ import annotations

from typing import Any

from .errors import CprulesError

__all__ = ["error_record", "plain_error_record"]


def error_record(exc: CprulesError) -> dict[str, Any]:
    """The JSON object of a :class:`CprulesError`."""
    return {"kind": type(exc).__name__, "message": exc.message, "file": exc.file,
            "line": exc.line, "field": exc.path, "suggestion": exc.suggestion,
            "problems": [d.format() for d in exc.details], "more": exc.more}


def plain_error_record(kind: str, message: str) -> dict[str, Any]:
    """The same object for an error that is not a :class:`CprulesError` (a usage error,
    an internal error): no file, line or field."""
    return {"kind": kind, "message": message, "file": None, "line": None, "field": None,
            "suggestion": None, "problems": [message], "more": 0}
