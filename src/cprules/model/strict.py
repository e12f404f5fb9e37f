"""Strict reading of dates, times and booleans, as the published schemas say.

Pydantic's lax mode reads ``0`` or ``"1700000000"`` as a date (a Unix timestamp) and
``"yes"``, ``"no"``, ``1`` and ``0`` as booleans. Case facts and rulesets are written by
people and by case systems, where either is a mistake: here a date is an ISO date string
(``2024-05-20``) or a ``date`` object, a time an ISO date and time string or a
``datetime``, and a boolean ``true`` or ``false``.

:func:`strict_types` is a ``before`` model validator (``model_validator(mode="before")``
on the models' frozen bases), run after a model's own ``before`` validators;
:func:`value_problem` checks one value against an annotation (for the values a rule's
``where:`` and ``field:`` compare fields with).
"""

from __future__ import annotations

import datetime as _dt
import re
import types
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from .problems import problem as make_problem

__all__ = ["strict_types", "value_problem"]

Kind = Literal["bool", "date", "datetime"]

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
_ISO_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}.*", re.ASCII | re.S)


def _kind(annotation: Any) -> Kind | None:
    """'bool', 'date' or 'datetime' for an annotation of that type (optionally in an
    ``Optional`` or ``Annotated``), else None."""
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    if get_origin(annotation) in (Union, types.UnionType):
        kinds = {_kind(a) for a in get_args(annotation) if a is not type(None)}
        return kinds.pop() if len(kinds) == 1 else None
    if annotation is bool:
        return "bool"
    if annotation is _dt.datetime:
        return "datetime"
    if annotation is _dt.date:
        return "date"
    return None


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _problem(kind: Kind, value: Any) -> str | None:
    if kind == "bool":
        if isinstance(value, bool):
            return None
        return f"write true or false, not {_shown(value)}"
    if kind == "date":
        if isinstance(value, _dt.date):
            return None
        if isinstance(value, str) and _ISO_DATE.fullmatch(value):
            from ..yamlhints import impossible_date

            return impossible_date(value)
        from ..yamlhints import date_hint  # 31/03/2025: "write dates as 2025-03-31"

        return date_hint(value) or (
            f"write a date as YYYY-MM-DD (e.g. 2024-05-20), not {_shown(value)}")
    if isinstance(value, _dt.datetime):
        return None
    if isinstance(value, str) and _ISO_TIME.fullmatch(value):
        return None
    return (f"write a time as YYYY-MM-DDTHH:MM (e.g. 2024-05-20T14:30), not "
            f"{_shown(value)}")


def value_problem(annotation: Any, value: Any) -> str | None:
    """Why ``value`` is not strictly of ``annotation``'s date, time or boolean type (None
    when it is, or when the annotation is of another type)."""
    if value is None:
        return None
    kind = _kind(annotation)
    return None if kind is None else _problem(kind, value)


_KINDS: dict[type[BaseModel], dict[str, Kind]] = {}


def _kinds_of(cls: type[BaseModel]) -> dict[str, Kind]:
    try:
        return _KINDS[cls]
    except KeyError:
        pass
    kinds: dict[str, Kind] = {}
    for name, f in cls.model_fields.items():
        kind = _kind(f.annotation)
        if kind is not None:
            kinds[name] = kind
            if f.alias:
                kinds[f.alias] = kind
    _KINDS[cls] = kinds
    return kinds


def strict_types(cls: type[BaseModel], data: Any) -> Any:
    """Refuse a value that lax mode would coerce into a date, a time or a boolean (a
    ``before`` model validator: it sees the fields as given)."""
    if not isinstance(data, dict):
        return data
    kinds = _kinds_of(cls)
    if not kinds:
        return data
    for key, value in data.items():
        kind = kinds.get(key) if isinstance(key, str) else None
        if kind is None or value is None:
            continue
        problem = _problem(kind, value)
        if problem is not None:
            raise make_problem(problem, at=(key,))
    return data
