"""Real data in: the DfE Children in Need census and Ofsted's Annex A.

- :func:`cprules.sources.cin.read` a census XML file, child by child (streamed);
- :func:`cprules.sources.annex_a.read` an Annex A workbook (``.xlsx``) or folder of CSVs;
- :func:`read` either of them, or JSON Lines written by ``cprules import`` (or bare
  ``cprules-case/1`` cases, one a line), chosen by the path.

Each yields :class:`ChildRecord` objects: the case, the facts the audit needs that the
case format has no place for (team, worker, the census's own target date), and the
problems found, each with where it was found. See ``docs/data-sources.md``.
"""

from __future__ import annotations

from .errors import SourceError
from .read import detect, read
from .records import RECORD_FORMAT, ChildRecord, Icpc, PlanSpan, Problem

__all__ = [
    "RECORD_FORMAT",
    "ChildRecord",
    "Icpc",
    "PlanSpan",
    "Problem",
    "SourceError",
    "detect",
    "read",
]
