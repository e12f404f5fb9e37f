"""Errors for a source file that cannot be read at all.

A problem with one child (a bad date, a missing element) is never raised: it is a
:class:`~cprules.sources.records.Problem` on that child's record. These are kept for a
file that is not XML, refuses to parse safely, or has none of the sheets needed.
"""

from __future__ import annotations

from ..errors import CprulesError

__all__ = ["SourceError"]


class SourceError(CprulesError):
    """A census or Annex A file that cannot be read (``file``, ``line`` where known)."""
