"""JSON Schema forms of dates and times that say what the loader reads.

``format: date`` and ``format: date-time`` are annotations that most validators ignore,
and ``date-time`` is RFC 3339, which requires a zone, while case facts may give a time
without one (UK local time, :mod:`cprules.model.times`). So every date and time in the
published schemas also carries a ``pattern`` (portable: no look-arounds, ASCII classes)
that a validator checking no formats still applies:

- :data:`DATE`: ``YYYY-MM-DD``, a real day of the Gregorian calendar (``2024-02-29`` yes,
  ``2023-02-29`` and ``2024-04-31`` no), years 0001-9999; never a number or a timestamp
  string such as ``"1700000000"`` (:mod:`cprules.model.strict`);
- :data:`INSTANT`: RFC 3339 with its zone (``2024-06-07T10:00:00+01:00``, ``...Z``);
- :data:`LOCAL_TIME`: an ISO 8601 date and time as the case facts allow it: ``T`` or a
  space, seconds and fractions optional, the zone optional (without one it is UK local
  time).

What no pattern can say, the loader still checks: a local time in the hour the clocks
skip (``2024-03-31T01:30``) does not exist.
"""

from __future__ import annotations

from typing import Any, Literal

__all__ = ["DATE", "INSTANT", "LOCAL_TIME", "date_schema", "time_schema"]

_YEAR = "(?:[1-9][0-9]{3}|0[1-9][0-9]{2}|00[1-9][0-9]|000[1-9])"
_LEAP_YEAR = ("(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])"
              "|(?:0[48]|[2468][048]|[13579][26])00)")
_MONTH_DAY = ("(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
              "|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
              "|02-(?:0[1-9]|1[0-9]|2[0-8]))")
_DAY = f"(?:{_YEAR}-{_MONTH_DAY}|{_LEAP_YEAR}-02-29)"
_HH_MM = "(?:[01][0-9]|2[0-3]):[0-5][0-9]"
_SECONDS = ":[0-5][0-9](?:[.][0-9]+)?"
_ZONE = "(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])"

#: A day: ``2024-05-20``.
DATE = f"^{_DAY}$"
#: A moment with its zone, as RFC 3339 writes it: ``2024-06-07T10:00:00+01:00``.
INSTANT = f"^{_DAY}T{_HH_MM}{_SECONDS}{_ZONE}$"
#: A date and time as case facts may give it: zone optional (UK local time without one).
LOCAL_TIME = f"^{_DAY}[T ]{_HH_MM}(?:{_SECONDS})?{_ZONE}?$"


def date_schema(**extra: Any) -> dict[str, Any]:
    """The schema of a date."""
    return {"type": "string", "format": "date", "pattern": DATE, **extra}


def time_schema(mode: Literal["validation", "serialization"]) -> dict[str, Any]:
    """The schema of a time: as read (validation: with or without a zone) or as written
    (serialization: always with its offset, RFC 3339)."""
    instant = {"type": "string", "format": "date-time", "pattern": INSTANT}
    if mode == "serialization":
        return instant
    return {"anyOf": [instant, {
        "type": "string", "pattern": LOCAL_TIME,
        "description": "A date and time without a zone is UK local time (Europe/London); "
        "seconds are optional.",
    }]}
