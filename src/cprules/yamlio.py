"""Safe, bounded YAML and JSON reading that remembers where every value came from.

Only plain data is built: mappings, sequences, strings, numbers, booleans and null. Tags
such as ``!!python/object/apply`` are rejected, not constructed. Dates stay strings here
(the models parse them, so an impossible date such as 2024-02-30 is reported with its
line instead of crashing the YAML parser). Duplicate keys are errors.

YAML scalars are resolved as in YAML 1.2's core schema, not 1.1's: only ``true`` and
``false`` are booleans (``yes``, ``no``, ``on`` and ``off`` are text), integers are
decimal (``017`` is seventeen, ``1:30`` is text, never the base-60 number 90), and no
scalar becomes a timestamp. ``.json`` files are read by a JSON parser (strict JSON: no
trailing commas, no ``NaN``), with the same limits and the same line numbers in errors.

:class:`Limits` bounds the cost of hostile input, and every limit is checked while
reading, before more than the limit is in memory: :func:`read_file` refuses anything but
a regular file and never reads past ``max_bytes + 1``; :func:`iter_lines` reads JSON
Lines a bounded line at a time; numbers longer than ``max_digits`` are refused before
they are converted; nesting is checked in one non-recursive pass before anything is
composed; and the number of values built is counted (which stops "billion laughs" alias
bombs before they expand). The limits are listed in ``docs/security.md``.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

import yaml

from .errors import CprulesError, ErrorDetail

__all__ = [
    "DEFAULT_LIMITS",
    "Limits",
    "Located",
    "display_name",
    "iter_lines",
    "read_document",
    "read_file",
]


@dataclass(frozen=True)
class Limits:
    """Bounds on what one input may cost to read (``docs/security.md``)."""

    #: bytes in one YAML or JSON file (a ruleset or a case)
    max_bytes: int = 5_000_000
    #: bytes in one line of a JSON Lines file (one case)
    max_line_bytes: int = 5_000_000
    #: levels of nesting of mappings and lists
    max_depth: int = 60
    #: values built from one document, counting each use of an alias
    max_values: int = 200_000
    #: characters in one number (digits, sign, point and exponent)
    max_digits: int = 32
    #: events in one case
    max_events: int = 5_000
    #: children in one case
    max_children: int = 1_000
    #: characters in a ruleset name or a file path given on the command line or the API
    max_path_chars: int = 1_024
    #: problems listed in one error (the rest are counted)
    max_problems: int = 100
    #: problems that get a "did you mean" suggestion
    max_suggestions: int = 20


DEFAULT_LIMITS = Limits()

Path = tuple[str | int, ...]


@dataclass
class Located:
    """Plain data and the line (1-based) of each path in it.

    ``locate``, when given, computes the lines on first use (for JSON, whose parser does
    not report them: they are needed only when something is wrong)."""

    data: Any
    file: str
    lines: dict[Path, int] = field(default_factory=dict)
    locate: Callable[[], dict[Path, int]] | None = field(default=None, repr=False,
                                                         compare=False)

    def line_of(self, path: Path) -> int | None:
        """The line of ``path``, or of its nearest ancestor that has one."""
        if self.locate is not None:
            locate, self.locate = self.locate, None
            self.lines.update(locate())
        p = tuple(path)
        while True:
            if p in self.lines:
                return self.lines[p]
            if not p:
                return None
            p = p[:-1]


def display_name(name: str | os.PathLike[str], limit: int = 120) -> str:
    """A file name short enough for a message."""
    text = str(name)
    return text if len(text) <= limit else text[: limit - 20] + "..." + text[-17:]


def _err(
    error: type[CprulesError], file: str, message: str, line: int | None, suggestion: str | None,
    path: str | None = None,
) -> CprulesError:
    return error(message, details=[ErrorDetail(message, file=file, line=line, path=path,
                                               suggestion=suggestion)])


# --- reading files, bounded ------------------------------------------------------------------

_CHUNK = 1 << 20


def _open_regular(path: str | os.PathLike[str], error: type[CprulesError],
                  limits: Limits) -> int:
    """An open descriptor on a regular file, or ``error``. FIFOs, devices and sockets are
    refused before anything is read (opening is non-blocking, so a FIFO with no writer
    does not hang)."""
    name = display_name(path)
    if len(os.fspath(path)) > limits.max_path_chars:
        raise _err(error, name, f"file name too long: {len(os.fspath(path))} characters "
                   f"(limit {limits.max_path_chars})", None, None)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise _err(error, name, f"no such file: {name}", None, None) from None
    except IsADirectoryError:
        raise _err(error, name, f"{name} is a directory, not a file", None, None) from None
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise _err(error, name, f"cannot read {name}: {reason}", None, None) from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise _err(error, name, f"{name} is a directory, not a file", None, None)
        if not stat.S_ISREG(st.st_mode):
            what = ("a FIFO (named pipe)" if stat.S_ISFIFO(st.st_mode) else
                    "a device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) else
                    "a socket" if stat.S_ISSOCK(st.st_mode) else "not a regular file")
            raise _err(error, name, f"{name} is {what}, not a regular file", None,
                       "give the path of a YAML or JSON file")
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_file(
    path: str | os.PathLike[str],
    *,
    error: type[CprulesError] = CprulesError,
    limits: Limits = DEFAULT_LIMITS,
) -> bytes:
    """The bytes of a regular file of at most ``limits.max_bytes``, read in bounded chunks
    (never more than ``max_bytes + 1``). Anything else is ``error``."""
    name = display_name(path)
    fd = _open_regular(path, error, limits)
    try:
        chunks: list[bytes] = []
        size = 0
        while size <= limits.max_bytes:
            try:
                chunk = os.read(fd, min(_CHUNK, limits.max_bytes + 1 - size))
            except OSError as exc:
                raise _err(error, name, f"cannot read {name}: {exc.strerror}", None,
                           None) from None
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(fd)
    if size > limits.max_bytes:
        raise _err(error, name, f"file too large: more than {limits.max_bytes} bytes",
                   None, "split it, or remove what the format does not need")
    return b"".join(chunks)


def iter_lines(
    path: str | os.PathLike[str],
    *,
    error: type[CprulesError] = CprulesError,
    limits: Limits = DEFAULT_LIMITS,
) -> Iterator[tuple[int, bytes | CprulesError]]:
    """(line number, bytes of the line) for each line of a regular file, a line at a time,
    each of at most ``limits.max_line_bytes``; a longer line gives (number, ``error``) and
    is skipped without being held in memory. A byte-order mark at the start is dropped."""
    name = display_name(path)
    fd = _open_regular(path, error, limits)
    with os.fdopen(fd, "rb", buffering=_CHUNK) as fp:
        n = 0
        while True:
            line = fp.readline(limits.max_line_bytes + 1)
            if not line:
                return
            n += 1
            if n == 1:
                line = line.removeprefix(b"\xef\xbb\xbf")
            if len(line) > limits.max_line_bytes and not line.endswith(b"\n"):
                while True:  # skip the rest of the line, a bounded chunk at a time
                    rest = fp.readline(_CHUNK)
                    if not rest or rest.endswith(b"\n"):
                        break
                yield n, _err(error, name, f"line too long: more than "
                              f"{limits.max_line_bytes} bytes", n,
                              "one case per line, each within the limit")
                continue
            yield n, line


# --- YAML --------------------------------------------------------------------------------

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


def _decode(raw: bytes | str, file: str, error: type[CprulesError], limits: Limits,
            max_bytes: int | None = None, line_offset: int = 0) -> str:
    cap = limits.max_bytes if max_bytes is None else max_bytes
    size = len(raw)  # for text, characters first: cheap, and never more than the bytes
    if isinstance(raw, str) and size <= cap:
        size = len(raw.encode("utf-8", "surrogatepass"))
    if size > cap:
        raise _err(error, file, f"file too large: more than {cap} bytes", None, None)
    if isinstance(raw, str):
        text = raw
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1 + line_offset
            raise _err(error, file, f"not UTF-8 text: byte 0x{raw[exc.start]:02x} at "
                       f"offset {exc.start}", line, "save the file as UTF-8") from None
    return text.removeprefix("\ufeff")


Syntax = Literal["yaml", "json"]


def read_document(
    raw: bytes | str,
    file: str,
    *,
    error: type[CprulesError] = CprulesError,
    limits: Limits = DEFAULT_LIMITS,
    syntax: Syntax | None = None,
    line_offset: int = 0,
) -> Located:
    """Read one YAML or JSON document into plain data with lines.

    ``syntax`` defaults to JSON for a file name ending ``.json`` and YAML otherwise.
    ``line_offset`` is added to every line (a JSON Lines line is read on its own).
    Raises ``error`` (a :class:`CprulesError` subclass) naming the file and line.
    """
    if syntax is None:
        syntax = "json" if file.lower().endswith((".json", ".jsonl")) else "yaml"
    text = _decode(raw, file, error, limits, line_offset=line_offset)
    if syntax == "json":
        return _read_json(text, file, error, limits, line_offset)
    loader = _Loader(text)
    builder = _Builder(file, limits, error, line_offset)
    try:
        try:
            data = builder.read(loader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 + line_offset if mark else None
            problem = exc.problem or str(exc)
            hint = None
            bad_line = text.splitlines()[mark.line] if mark and mark.line < len(
                text.splitlines()) else ""
            if "\t" in bad_line[: (mark.column + 1) if mark else None] or "'\\t'" in str(exc):
                hint = "indent with spaces, not tabs"
            from .yamlhints import explain  # plain words, at the line at fault

            plain = explain(text, problem, mark.line, mark.column) if mark else None
            if plain is not None:
                line, hint = plain.line + 1 + line_offset, plain.hint
                problem = f"{plain.message} (YAML: {problem})"
            raise _err(error, file, f"invalid YAML: {problem}", line, hint) from None
        except yaml.YAMLError as exc:
            raise _err(error, file, f"invalid YAML: {str(exc)[:200]}", None, None) from None
        if data is _MISSING:
            raise _err(error, file, "the document is empty", 1 + line_offset, None)
        return Located(data, file, builder.lines)
    finally:
        loader.dispose()


# --- JSON --------------------------------------------------------------------------------

class _Refused(Exception):
    """A JSON token the limits refuse; located afterwards by scanning the text."""

    def __init__(self, message: str, token: Callable[[str, Path, bool], bool],
                 suggestion: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.token = token
        self.suggestion = suggestion


# One JSON token: a string, a structural character, a newline, or a bare word (number,
# true, false, null, or a constant such as NaN that the parser refuses).
_STRING = r'"[^"\\\n]*(?:\\.[^"\\\n]*)*"'  # a JSON string, the loop unrolled (fast)
_JSON_TOKEN = re.compile(_STRING + r'|[{}\[\]:,]|\n|[^\s{}\[\]:,"]+')
_JSON_BRACKET = re.compile(_STRING + r'|[\[{]|[\]}]')


def _json_tokens(text: str) -> Iterator[tuple[str, int, Path, bool]]:
    """(token, line, path, is_key) for each string, number, word and container start in
    JSON text (valid, or valid but for tokens the parser refuses), with its path."""
    line = 1
    # stack of [container kind, current key or index, expecting a key]
    stack: list[list[Any]] = []
    path: list[str | int] = []
    for m in _JSON_TOKEN.finditer(text):
        tok = m.group()
        if tok == "\n":
            line += 1
            continue
        if tok in ",:":
            if tok == "," and stack:
                top = stack[-1]
                if top[0] == "[":
                    top[1] += 1
                    path[-1] = top[1]
                else:
                    top[2] = True
            continue
        if tok in "]}":
            if stack:
                stack.pop()
                path.pop()
            continue
        if stack and stack[-1][0] == "{" and stack[-1][2]:
            try:
                key = json.loads(tok)
            except ValueError:
                key = tok
            stack[-1][1] = str(key)
            stack[-1][2] = False
            path[-1] = str(key)
            yield tok, line, tuple(path), True
            continue
        yield tok, line, tuple(path), False
        if tok in "[{":
            stack.append([tok, 0, tok == "{"])
            path.append(0 if tok == "[" else "")


def _json_lines(text: str, offset: int) -> dict[Path, int]:
    lines: dict[Path, int] = {}
    for _tok, line, path, _is_key in _json_tokens(text):
        lines.setdefault(path, line + offset)
    return lines


def _check_json_depth(text: str, file: str, error: type[CprulesError], limits: Limits,
                      offset: int) -> None:
    depth = 0
    for m in _JSON_BRACKET.finditer(text):
        c = m.group()[0]
        if c in "[{":
            depth += 1
            if depth > limits.max_depth:
                line = text.count("\n", 0, m.start()) + 1 + offset
                raise _err(error, file, f"nesting deeper than {limits.max_depth} levels",
                           line, None)
        elif c in "]}":
            depth -= 1


_CONSTANTS = ("NaN", "Infinity", "-Infinity")


def _read_json(text: str, file: str, error: type[CprulesError], limits: Limits,
               offset: int) -> Located:
    _check_json_depth(text, file, error, limits, offset)

    def number(kind: type[int] | type[float]) -> Callable[[str], int | float]:
        def parse(s: str) -> int | float:
            if len(s) > limits.max_digits:
                raise _Refused(f"number too long: {len(s)} characters (limit "
                               f"{limits.max_digits})",
                               lambda t, p, k: not k and t[0] in "-0123456789"
                               and len(t) > limits.max_digits)
            return kind(s)
        return parse

    def constant(s: str) -> Any:
        raise _Refused(f"'{s}' is not a JSON number", lambda t, p, k: t in _CONSTANTS,
                       "write a number, or null")

    keys_seen: set[Path] = set()

    def duplicate(t: str, p: Path, k: bool) -> bool:
        if not k:
            return False
        if p in keys_seen:
            return True
        keys_seen.add(p)
        return False

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out = dict(items)
        if len(out) != len(items):
            seen: set[str] = set()
            dup = next(k for k, _ in items if k in seen or seen.add(k))  # type: ignore[func-returns-value]
            raise _Refused(f"duplicate key '{dup[:60]}'", duplicate, "give each key once")
        return out

    try:
        data = json.loads(text, parse_int=number(int), parse_float=number(float),
                          parse_constant=constant, object_pairs_hook=pairs)
    except json.JSONDecodeError as exc:
        raise _err(error, file, f"invalid JSON: {exc.msg}", exc.lineno + offset,
                   None) from None
    except _Refused as exc:
        found = next(((ln + offset, path) for tok, ln, path, is_key in _json_tokens(text)
                      if exc.token(tok, path, is_key)), (None, ()))
        raise _err(error, file, exc.message, found[0], exc.suggestion,
                   _path_text(found[1]) or None) from None
    except (RecursionError, ValueError) as exc:
        raise _err(error, file, f"invalid JSON: {str(exc)[:200]}", None, None) from None
    located = Located(data, file, {}, locate=lambda: _json_lines(text, offset))
    _check_values(located, error, limits)
    return located


def _check_values(located: Located, error: type[CprulesError], limits: Limits) -> None:
    """Count the values and refuse text that cannot be written out again (a lone
    surrogate escape such as ``"\\ud800"``)."""
    count = 0
    todo: list[tuple[Path, Any]] = [((), located.data)]
    while todo:
        path, value = todo.pop()
        count += 1
        if count > limits.max_values:
            raise _err(error, located.file, f"document too large: more than "
                       f"{limits.max_values} values", located.line_of(path), None)
        if isinstance(value, dict):
            for k, v in value.items():
                _check_text(k, (*path, k), located, error)
                todo.append(((*path, k), v))
        elif isinstance(value, list):
            todo.extend(((*path, i), v) for i, v in enumerate(value))
        elif isinstance(value, str):
            _check_text(value, path, located, error)


def _check_text(text: str, path: Path, located: Located, error: type[CprulesError]) -> None:
    if text.isascii():
        return
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise _err(error, located.file, "text holds a lone surrogate escape (\\ud800 to "
                   "\\udfff not in a pair)", located.line_of(path), None,
                   _path_text(path) or None) from None


def _path_text(path: Iterable[str | int]) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out
