"""One YAML or JSON document read into plain data with lines (:func:`read_document`):
the text decoded within the limits, then read by the YAML or the JSON reader."""

from __future__ import annotations

from typing import Literal

import yaml

from ..errors import CprulesError
from .base import DEFAULT_LIMITS, Limits, Located, _err
from .json_reader import _read_json
from .yaml_reader import _MISSING, _Builder, _Loader

__all__ = ["Syntax", "read_document"]


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
            from ..yamlhints import explain  # plain words, at the line at fault

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
