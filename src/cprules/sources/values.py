"""Reading the cell and element values of real returns: dates, yes/no, categories, ids.

Every parser returns ``(value, problem text or None)`` rather than raising, so that a
reader can report the problem where it found it (line, or sheet, row and column) and
carry on with the rest of the record.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Final

__all__ = [
    "CATEGORY_CODES",
    "is_blank",
    "normalise_header",
    "parse_bool",
    "parse_category",
    "parse_date",
    "parse_id",
    "strip_prefix",
]

#: CIN census category-of-abuse codes, and the case-facts categories they name.
#: ``MUL`` (multiple) names no category: the census does not say which.
CATEGORY_CODES: Final[dict[str, str | None]] = {
    "NEG": "neglect",
    "PHY": "physical",
    "SAB": "sexual",
    "EMO": "emotional",
    "MUL": None,
}

_PREFIX = re.compile(r"^\s*[a-z]{1,2}\)\s*", re.IGNORECASE)  # "a) ", "b) ", "aa) "
_NA: Final = frozenset({"#n/a", "n/a", "#value!", "#ref!", "#name?", "#div/0!", "#null!"})
_MONTHS: Final = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
    start=1)}
#: ISO dates; the census's xs:date may carry a time zone (``Z``, ``+01:00``), ignored.
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]00:00(?::00(?:\.0+)?)?)?"
                  r"(?:Z|[+-](?:0\d|1[0-4]):[0-5]\d)?$")
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?: 00:00(?::00)?)?$")
_YMD_SLASH = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$")
_WORDY = re.compile(r"^(\d{1,2})[ -]([a-z]{3})[a-z]*[ -](\d{4})$", re.IGNORECASE)
#: 1 January 1900 to 31 December 2099 as spreadsheet serial numbers (1900 date system).
_SERIAL_RANGE: Final = (1, 73050)
_EXCEL_EPOCH: Final = _dt.date(1899, 12, 30)


def is_blank(value: object) -> bool:
    """True for an empty cell: None, '' or only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


def strip_prefix(text: str) -> str:
    """``'b) Female'`` -> ``'Female'``: Annex A's lettered drop-down values."""
    return _PREFIX.sub("", text.replace("\xa0", " ")).strip()


_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z]{2})")


def normalise_header(text: object) -> str:
    """Lower case, words apart: non-breaking spaces, underscores and runs of white space
    as one space, and ``CamelCase`` split (``ChildProtectionPlanEndDate``,
    ``CP_PLAN_END_DATE`` and ``Child Protection Plan End Date`` read alike)."""
    raw = str(text or "").replace("\xa0", " ").replace("_", " ")
    return " ".join(_CAMEL.sub(" ", raw).lower().split())


def _special(value: object) -> str | None:
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("="):
            return f"a formula ({text[:40]}), not a value"
        if text.lower() in _NA:
            return f"'{text}' (no value)"
    return None


def parse_date(value: object) -> tuple[_dt.date | None, str | None]:
    """A date from a spreadsheet cell, a CSV field or an XML element's text.

    Accepts dates and datetimes at midnight (spreadsheets), ISO ``2024-05-20``, UK
    ``20/05/2024``, ``20-05-2024``, ``20 May 2024``, ``2024/05/20``; a spreadsheet serial
    number is read with a problem. Blank gives ``(None, None)``.
    """
    if type(value) is str and len(value) == 10 and value[4] == value[7] == "-":
        try:  # the census's xs:date, the common case
            return _dt.date.fromisoformat(value), None
        except ValueError:
            pass
    if is_blank(value):
        return None, None
    special = _special(value)
    if special:
        return None, special
    if isinstance(value, _dt.datetime):
        if value.time() != _dt.time(0):
            return value.date(), f"'{value.isoformat()}' has a time of day; the date is used"
        return value.date(), None
    if isinstance(value, _dt.date):
        return value, None
    if isinstance(value, int | float) and not isinstance(value, bool):
        if _SERIAL_RANGE[0] <= value <= _SERIAL_RANGE[1] and float(value).is_integer():
            day = _EXCEL_EPOCH + _dt.timedelta(days=int(value))
            return day, f"the number {value:g} was read as the spreadsheet date {day}"
        return None, f"the number {value!r} is not a date"
    text = str(value).strip()
    parts: tuple[int, int, int] | None = None
    if m := _ISO.match(text) or _YMD_SLASH.match(text):
        parts = (int(m[1]), int(m[2]), int(m[3]))
    elif m := _DMY.match(text):
        parts = (int(m[3]), int(m[2]), int(m[1]))
    elif (m := _WORDY.match(text)) and m[2].lower() in _MONTHS:
        parts = (int(m[3]), _MONTHS[m[2].lower()], int(m[1]))
    if parts is None:
        return None, f"'{text[:40]}' is not a date (expected e.g. 2024-05-20)"
    try:
        return _dt.date(*parts), None
    except ValueError:
        return None, f"'{text[:40]}' is not a real date"


_TRUE: Final = frozenset({"true", "1", "yes", "y"})
_FALSE: Final = frozenset({"false", "0", "no", "n"})


def parse_bool(value: object) -> tuple[bool | None, str | None]:
    """Yes/no in its spellings: ``true``/``false``/``1``/``0`` (census), ``a) Yes``,
    ``Yes``, ``Y``, ``b) No`` (Annex A). Blank gives ``(None, None)``."""
    if is_blank(value):
        return None, None
    special = _special(value)
    if special:
        return None, special
    if isinstance(value, bool):
        return value, None
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value), None
    text = strip_prefix(str(value)).lower()
    if text in _TRUE:
        return True, None
    if text in _FALSE:
        return False, None
    return None, f"'{str(value)[:40]}' is not yes or no"


def parse_category(value: object) -> tuple[str | None, str | None]:
    """A category of abuse: ``NEG``, ``a) Neglect``, ``Neglect``, ``Physical abuse`` ...

    Returns the case-facts category (``neglect``, ``physical``, ``sexual``,
    ``emotional``), ``'multiple'`` for ``MUL``/``Multiple``, or None when blank.
    """
    if is_blank(value):
        return None, None
    special = _special(value)
    if special:
        return None, special
    raw = str(value).strip()
    if raw.upper() in CATEGORY_CODES:
        return CATEGORY_CODES[raw.upper()] or "multiple", None
    text = strip_prefix(raw).lower()
    for stem, category in (("neg", "neglect"), ("phy", "physical"), ("sex", "sexual"),
                           ("emo", "emotional"), ("mul", "multiple")):
        if text.startswith(stem):
            return category, None
    return None, f"'{raw[:40]}' is not a category of abuse (NEG, PHY, SAB, EMO, MUL)"


def parse_id(value: object) -> tuple[str | None, str | None]:
    """A child id: text as given, numbers without a trailing ``.0``."""
    if is_blank(value):
        return None, "no child id"
    special = _special(value)
    if special:
        return None, special
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).replace("\xa0", " ").strip()
    if len(text) > 100:
        return None, f"the child id '{text[:40]}...' is longer than 100 characters"
    return text, None
