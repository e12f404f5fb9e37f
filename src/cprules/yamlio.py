"""Safe, bounded YAML (and JSON) reading that remembers where every value came from.

Only plain data is built: mappings, sequences, strings, numbers, booleans and null. Tags
such as ``!!python/object/apply`` are rejected, not constructed. Dates stay strings here
(the models parse them, so an impossible date such as 2024-02-30 is reported with its
line instead of crashing the YAML parser). Duplicate keys are errors. Limits bound the
cost of hostile input: the file size, the nesting depth, and the number of values built
(which stops "billion laughs" alias bombs before they expand).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from .errors import CprulesError, ErrorDetail

__all__ = ["Limits", "Located", "read_document"]


@dataclass(frozen=True)
class Limits:
    """Bounds on what one document may cost to read."""

    max_bytes: int = 5_000_000
    max_depth: int = 60
    max_values: int = 200_000


DEFAULT_LIMITS = Limits()

Path = tuple[str | int, ...]


@dataclass
class Located:
    """Plain data and the line (1-based) of each path in it."""

    data: Any
    file: str
    lines: dict[Path, int] = field(default_factory=dict)

    def line_of(self, path: Path) -> int | None:
        """The line of ``path``, or of its nearest ancestor that has one."""
        p = tuple(path)
        while True:
            if p in self.lines:
                return self.lines[p]
            if not p:
                return None
            p = p[:-1]


# LibYAML's parser when PyYAML was built with it (the wheels are), else the pure-Python
# one: the same safe constructor and resolver either way, about ten times faster.
_SafeBase: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeBase):  # type: ignore[valid-type,misc]
    """SafeLoader without implicit timestamps (dates are parsed by the models)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}
_MAP_TAG = "tag:yaml.org,2002:map"
_PLAIN = "only plain values are allowed: text, numbers, true/false, dates, lists, mappings"
_SEQ_TAG = "tag:yaml.org,2002:seq"


def _err(
    error: type[CprulesError], file: str, message: str, line: int | None, suggestion: str | None
) -> CprulesError:
    return error(message, details=[ErrorDetail(message, file=file, line=line,
                                               suggestion=suggestion)])


class _Builder:
    def __init__(self, loader: _Loader, file: str, limits: Limits, error: type[CprulesError]):
        self.loader = loader
        self.file = file
        self.limits = limits
        self.error = error
        self.count = 0
        self.lines: dict[Path, int] = {}

    def fail(self, node: yaml.Node, message: str, suggestion: str | None = None) -> CprulesError:
        return _err(self.error, self.file, message, node.start_mark.line + 1, suggestion)

    def build(self, node: yaml.Node, path: Path, depth: int) -> Any:
        self.count += 1
        if self.count > self.limits.max_values:
            raise self.fail(
                node,
                f"document too large: more than {self.limits.max_values} values "
                "(anchors and aliases count each time they are used)",
                "remove repeated aliases; a ruleset needs only plain data",
            )
        if depth > self.limits.max_depth:
            raise self.fail(node, f"nesting deeper than {self.limits.max_depth} levels")
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.ScalarNode):
            if node.tag not in _SCALAR_TAGS:
                raise self.fail(node, f"tag {node.tag!r} is not allowed", _PLAIN)
            try:
                return self.loader.construct_object(node, deep=False)
            except (ValueError, OverflowError, yaml.YAMLError) as exc:
                raise self.fail(node, f"cannot read value: {exc}") from None
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ_TAG:
                raise self.fail(node, f"tag {node.tag!r} is not allowed", _PLAIN)
            return [self.build(child, (*path, i), depth + 1) for i, child in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            if node.tag != _MAP_TAG:
                raise self.fail(node, f"tag {node.tag!r} is not allowed", _PLAIN)
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise self.fail(key_node, "merge keys ('<<') are not allowed",
                                    "write the fields out in full")
                if not isinstance(key_node, yaml.ScalarNode):
                    raise self.fail(key_node, "a key must be plain text")
                key = self.build(key_node, (*path, "<key>"), depth + 1)
                if isinstance(key, bool) or key is None:
                    key = key_node.value  # 'on:', 'no:', 'null:' are names here
                key = str(key)
                if key in out:
                    first = self.lines.get((*path, key))
                    raise self.fail(
                        key_node,
                        f"duplicate key '{key}'"
                        + (f" (first given on line {first})" if first else ""),
                        "give each key once",
                    )
                self.lines[(*path, key)] = key_node.start_mark.line + 1
                out[key] = self.build(value_node, (*path, key), depth + 1)
            return out
        raise self.fail(node, "unsupported YAML node")  # pragma: no cover


def _decode(raw: bytes | str, file: str, error: type[CprulesError], limits: Limits) -> str:
    size = len(raw.encode("utf-8")) if isinstance(raw, str) else len(raw)
    if size > limits.max_bytes:
        raise _err(error, file, f"file too large: {size} bytes (limit {limits.max_bytes})",
                   None, None)
    if isinstance(raw, str):
        text = raw
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise _err(error, file, f"not UTF-8 text: byte 0x{raw[exc.start]:02x} at "
                       f"offset {exc.start}", line, "save the file as UTF-8") from None
    return text.removeprefix("\ufeff")


def read_document(
    raw: bytes | str,
    file: str,
    *,
    error: type[CprulesError] = CprulesError,
    limits: Limits = DEFAULT_LIMITS,
) -> Located:
    """Read one YAML or JSON document (JSON is read as YAML) into plain data with lines.

    Raises ``error`` (a :class:`CprulesError` subclass) naming the file and line.
    """
    text = _decode(raw, file, error, limits)
    _check_depth(text, file, error, limits)
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else None
            problem = exc.problem or str(exc)
            hint = None
            bad_line = text.splitlines()[mark.line] if mark and mark.line < len(
                text.splitlines()) else ""
            if "\t" in bad_line[: (mark.column + 1) if mark else None] or "'\\t'" in str(exc):
                hint = "indent with spaces, not tabs"
            raise _err(error, file, f"invalid YAML: {problem}", line, hint) from None
        except yaml.YAMLError as exc:
            raise _err(error, file, f"invalid YAML: {exc}", None, None) from None
        except RecursionError:
            raise _err(error, file, "invalid YAML: nesting too deep", None,
                       f"at most {limits.max_depth} levels") from None
        if node is None:
            raise _err(error, file, "the document is empty", 1, None)
        builder = _Builder(loader, file, limits, error)
        try:
            data = builder.build(node, (), 0)
        except RecursionError:
            raise _err(error, file, "nesting too deep", None, None) from None
        return Located(data, file, builder.lines)
    finally:
        loader.dispose()


def _check_depth(text: str, file: str, error: type[CprulesError], limits: Limits) -> None:
    """Refuse deep nesting before the (recursive) composer sees it: one pass over the
    parser's events, which needs no recursion."""
    depth = 0
    parser = _Loader(text)
    try:
        while parser.check_event():
            event = parser.get_event()
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > limits.max_depth:
                    mark = event.start_mark
                    raise _err(error, file, f"nesting deeper than {limits.max_depth} levels",
                               mark.line + 1 if mark is not None else None, None)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        return  # reported, with its line, by the full read that follows
    finally:
        parser.dispose()
