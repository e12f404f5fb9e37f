"""Building the frozen result models from values the engine has already checked."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

__all__ = ["make", "make_from"]

_M = TypeVar("_M", bound=BaseModel)
_set = object.__setattr__
_ALL_SET: dict[type[Any], set[str]] = {}


def make(cls: type[_M], **values: Any) -> _M:
    """An instance of a frozen result model, every field given: what ``model_construct``
    does, without its per-field work (the tests check that the result equals the
    validated model)."""
    return make_from(cls, values)


def make_from(cls: type[_M], values: dict[str, Any]) -> _M:
    """:func:`make` from a dict of every field (on the hot path: no keyword repacking)."""
    m = cls.__new__(cls)
    _set(m, "__dict__", values)
    fields = _ALL_SET.get(cls)
    if fields is None:  # every field is given: one set per class (pydantic copies it)
        fields = _ALL_SET[cls] = set(cls.model_fields)
    _set(m, "__pydantic_fields_set__", fields)
    _set(m, "__pydantic_extra__", None)
    _set(m, "__pydantic_private__", None)
    return m
