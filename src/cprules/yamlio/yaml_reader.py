"""The YAML reader: plain data built from the parser's events in one pass, scalars
resolved as YAML 1.2's core schema does, every tag but the plain ones refused, and the
nesting, the values (aliases counted each time they are used) and the keys checked as
each event arrives."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from ..errors import CprulesError
from .base import Limits, Path, _err, _path_text

# LibYAML's parser when PyYAML was built with it (the wheels are), else the pure-Python
# one: the same safe constructor either way, about ten times faster. The resolver is
# replaced below; the constructor is never asked to build a scalar (see _scalar).
_SafeBase: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeBase):  # type: ignore[valid-type,misc]
    """A safe loader resolving plain scalars as YAML 1.2's core schema does."""


_STR, _INT, _FLOAT = "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
_BOOL, _NULL = "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"
_BOOL_RX = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_NULL_RX = re.compile(r"^(?:~|null|Null|NULL|)$")
_INT_RX = re.compile(r"^[-+]?[0-9]+$", re.ASCII)
_FLOAT_RX = re.compile(
    r"^(?:[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", re.ASCII)

_Loader.yaml_implicit_resolvers = {}
_Loader.add_implicit_resolver(_BOOL, _BOOL_RX, list("tTfF"))
_Loader.add_implicit_resolver(_NULL, _NULL_RX, ["~", "n", "N", ""])
_Loader.add_implicit_resolver(_INT, _INT_RX, list("-+0123456789"))
_Loader.add_implicit_resolver(_FLOAT, _FLOAT_RX, list("-+0123456789."))
_Loader.add_implicit_resolver("tag:yaml.org,2002:merge", re.compile(r"^(?:<<)$"), ["<"])

_SCALAR_TAGS = {_STR, _INT, _FLOAT, _BOOL, _NULL}
_MAP_TAG = "tag:yaml.org,2002:map"
_PLAIN = "only plain values are allowed: text, numbers, true/false, dates, lists, mappings"
_SEQ_TAG = "tag:yaml.org,2002:seq"


def _number(text: str, tag: str) -> int | float:
    """An integer or float from text that matched the resolver (or was tagged so)."""
    if tag == _INT:
        if not _INT_RX.match(text):
            raise ValueError(f"'{text[:40]}' is not a whole number")
        return int(text, 10)
    if not _FLOAT_RX.match(text) and not _INT_RX.match(text):
        raise ValueError(f"'{text[:40]}' is not a number")
    low = text.lower()
    if low.endswith(("inf", "nan")):
        return float(low.replace(".", ""))
    return float(text)


@dataclass
class _Frame:
    """An open mapping or sequence while the events are read."""

    value: dict[str, Any] | list[Any]
    path: Path
    anchor: str | None
    first_count: int
    key: str | None = None  # a mapping's key waiting for its value


_MISSING: Any = object()


class _Builder:
    """Plain data from the parser's events, in one pass without recursion: the nesting,
    the values (aliases counted each time they are used), the tags and the keys are
    checked as each event arrives."""

    def __init__(self, file: str, limits: Limits, error: type[CprulesError],
                 line_offset: int = 0):
        self.file = file
        self.limits = limits
        self.error = error
        self.offset = line_offset
        self.count = 0
        self.lines: dict[Path, int] = {}

    def fail(self, event: Any, message: str, suggestion: str | None = None,
             path: Path | None = None) -> CprulesError:
        where = _path_text(p for p in (path or ()) if p != "<key>")
        return _err(self.error, self.file, message, event.start_mark.line + 1 + self.offset,
                    suggestion, where or None)

    def _tally(self, event: Any, n: int, path: Path) -> None:
        self.count += n
        if self.count > self.limits.max_values:
            raise self.fail(
                event,
                f"document too large: more than {self.limits.max_values} values "
                "(anchors and aliases count each time they are used)",
                "remove repeated aliases; a ruleset needs only plain data", path,
            )

    def _scalar(self, event: Any, path: Path) -> Any:
        text, tag = event.value, event.tag
        if tag is None:
            if not event.implicit[0]:  # quoted
                return text
            tag = _resolve(text)
        elif tag == "!":
            return text
        if tag == _STR:
            return text
        if tag not in _SCALAR_TAGS:
            raise self.fail(event, f"tag {tag[:60]!r} is not allowed", _PLAIN, path)
        if tag == _BOOL:
            if not _BOOL_RX.match(text):
                raise self.fail(event, f"'{text[:40]}' is not a boolean",
                                "write true or false", path)
            return text.lower() == "true"
        if tag == _NULL:
            if not _NULL_RX.match(text):
                raise self.fail(event, f"'{text[:40]}' is not null", "write null, or nothing",
                                path)
            return None
        # _INT or _FLOAT: the length is checked before anything is converted
        if len(text) > self.limits.max_digits:
            raise self.fail(event, f"number too long: {len(text)} characters (limit "
                            f"{self.limits.max_digits})", "quote it if it is text", path)
        try:
            return _number(text, tag)
        except (ValueError, OverflowError) as exc:
            raise self.fail(event, f"cannot read value: {exc}", None, path) from None

    def read(self, parser: Any) -> Any:
        stack: list[_Frame] = []
        anchors: dict[str, tuple[Any, int]] = {}
        root: Any = _MISSING
        documents = 0
        while True:
            event = parser.get_event()
            if event is None or isinstance(event, yaml.StreamEndEvent):
                break
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise self.fail(event, "more than one document ('---') in the file",
                                    "give one document a file")
                continue
            if isinstance(event, (yaml.StreamStartEvent, yaml.DocumentEndEvent)):
                continue
            if isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                frame = stack.pop()
                if frame.anchor is not None:
                    anchors[frame.anchor] = (frame.value, self.count - frame.first_count)
                value, path, line = frame.value, frame.path, None
            else:
                parent = stack[-1] if stack else None
                is_key = isinstance(parent, _Frame) and isinstance(parent.value, dict) and (
                    parent.key is None)
                if parent is None:
                    path = ()
                elif isinstance(parent.value, list):
                    path = (*parent.path, len(parent.value))
                elif is_key:
                    path = (*parent.path, "<key>")
                else:
                    assert parent.key is not None
                    path = (*parent.path, parent.key)
                line = event.start_mark.line + 1 + self.offset
                if is_key:
                    assert parent is not None
                    self._key(event, parent, anchors)
                    continue
                if isinstance(event, yaml.AliasEvent):
                    if event.anchor not in anchors:
                        raise self.fail(event, f"unknown alias '*{str(event.anchor)[:60]}'",
                                        None, path)
                    value, n = anchors[event.anchor]
                    self._tally(event, n, path)
                elif isinstance(event, yaml.ScalarEvent):
                    self._tally(event, 1, path)
                    value = self._scalar(event, path)
                    if event.anchor is not None:
                        anchors[event.anchor] = (value, 1)
                else:  # a mapping or sequence starts
                    is_map = isinstance(event, yaml.MappingStartEvent)
                    tag = event.tag
                    if tag not in (None, "!", _MAP_TAG if is_map else _SEQ_TAG):
                        raise self.fail(event, f"tag {tag[:60]!r} is not allowed", _PLAIN,
                                        path)
                    if len(stack) >= self.limits.max_depth:
                        raise self.fail(event, f"nesting deeper than {self.limits.max_depth} "
                                        "levels", None, path)
                    self._tally(event, 1, path)
                    self.lines.setdefault(path, line)
                    stack.append(_Frame({} if is_map else [], path, event.anchor,
                                        self.count - 1))
                    continue
                self.lines.setdefault(path, line)
            # a complete value: into its parent
            if not stack:
                root = value
                continue
            parent = stack[-1]
            if isinstance(parent.value, list):
                parent.value.append(value)
            else:
                assert parent.key is not None
                parent.value[parent.key] = value
                parent.key = None
        return root

    def _key(self, event: Any, parent: _Frame, anchors: dict[str, tuple[Any, int]]) -> None:
        where = parent.path
        aliased = (anchors.get(event.anchor or "") if isinstance(event, yaml.AliasEvent)
                   else None)
        if aliased is not None and isinstance(aliased[0], str):
            key: Any = aliased[0]
        elif not isinstance(event, yaml.ScalarEvent):
            raise self.fail(event, "a key must be plain text", None, where)
        elif event.tag == "tag:yaml.org,2002:merge" or (
                event.tag is None and event.implicit[0] and event.value == "<<"):
            raise self.fail(event, "merge keys ('<<') are not allowed",
                            "write the fields out in full", where)
        else:
            self._tally(event, 1, where)
            key = self._scalar(event, (*where, "<key>"))
            if isinstance(key, bool) or key is None:
                key = event.value  # 'true:', 'null:' are names here
        key = str(key)
        assert isinstance(parent.value, dict)
        if key in parent.value:
            first = self.lines.get((*where, key))
            raise self.fail(
                event,
                f"duplicate key '{key[:60]}'"
                + (f" (first given on line {first})" if first else ""),
                "give each key once", (*where, key),
            )
        self.lines[(*where, key)] = event.start_mark.line + 1 + self.offset
        parent.key = key
        parent.value[key] = None  # holds the key's place, so that a duplicate is seen


def _resolve(text: str) -> str:
    """The tag of a plain scalar, as YAML 1.2's core schema resolves it."""
    if not text:
        return _NULL
    first = text[0]
    if first in "tTfF" and _BOOL_RX.match(text):
        return _BOOL
    if first in "~nN" and _NULL_RX.match(text):
        return _NULL
    if first in "-+0123456789.":
        if _INT_RX.match(text):
            return _INT
        if _FLOAT_RX.match(text):
            return _FLOAT
    return _STR
