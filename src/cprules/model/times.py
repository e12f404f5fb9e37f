"""Times of day in the case facts: UK local time, and the instant it names.

A time with a zone (``2024-10-27T01:30:00+00:00``) names one instant and is shown in UK
local time (Europe/London). A time without a zone is UK local time as read on a clock:

- a local time that does not exist (the hour skipped when the clocks go forward, e.g.
  ``2024-03-31T01:30``) is refused: no instant can be meant;
- a local time that happens twice (the hour repeated when the clocks go back, e.g.
  ``2024-10-27T01:30``) is read as the **first** of the two, in British Summer Time
  (+01:00); give the zone (``+00:00``) to mean the second.

"N hours" timescales count elapsed time between instants (``docs/semantics.md``).
"""

from __future__ import annotations

import datetime as _dt
from zoneinfo import ZoneInfo

__all__ = ["UK", "uk_time"]

UK = ZoneInfo("Europe/London")
_UTC = _dt.UTC


def uk_time(value: _dt.datetime) -> _dt.datetime:
    """``value`` as an aware UK local time. Raises ``ValueError`` for a local time that
    does not exist, or one too near the ends of the date range to convert."""
    try:
        if value.tzinfo is not None:
            return value.astimezone(UK)
        aware = value.replace(tzinfo=UK, fold=0)
        back = aware.astimezone(_UTC).astimezone(UK)
    except (OverflowError, ValueError):
        raise ValueError(
            f"the time {value.isoformat()} is too near the end of the date range to use"
        ) from None
    if back.replace(tzinfo=None) != value:
        raise ValueError(
            f"{value.isoformat(timespec='minutes')} does not exist in UK local time (the "
            "clocks went forward that night): check the hour, or give the time with its "
            "zone (+00:00 before the change, +01:00 after)"
        )
    return aware
