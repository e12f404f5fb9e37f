"""The JSON reader: Python's strict JSON parser, with the limits checked while it reads
(nesting first, in one non-recursive pass; numbers measured before they are converted;
duplicate keys refused), then the values counted and the text checked. The parser does
not report lines: a refused token is found again by :func:`_json_tokens`, and the lines
of the values are computed only when something is wrong."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

from ..errors import CprulesError
from .base import Limits, Located, Path, _err, _path_text


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
