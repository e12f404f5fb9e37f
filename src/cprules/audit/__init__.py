"""Audit a whole return (CIN census, Annex A, or cases) against a partnership's ruleset.

>>> from cprules.sources import read
>>> report = audit("york", read("census.xml"), source="census.xml")  # doctest: +SKIP
>>> report.figures.icpc_share_within_15                               # doctest: +SKIP
0.8142

:func:`audit` gives an :class:`AuditReport`: per child, the overdue deadlines and the
violations with their citations; the key figures (initial-conference timeliness in DfE's
bands, reviews within timescale, plans of two years or more, statutory visits overdue,
wrong census target dates), overall, by team and by worker. Render it with
:mod:`cprules.audit.render` (table, JSON, CSV) or :mod:`cprules.audit.html`.
"""

from __future__ import annotations

from .engine import AuditReport, ChildResult, Finding, audit
from .figures import BANDS, Figures, TargetMismatch

__all__ = ["BANDS", "AuditReport", "ChildResult", "Figures", "Finding", "TargetMismatch",
           "audit"]
