"""Load rulesets and case facts from YAML or JSON into the models, strictly.

Every problem is reported with the file, the line, the field path and what was expected,
with a "did you mean" suggestion for misspelt names, as a :class:`RulesetError` or
:class:`CaseError` holding all the problems found (not just the first).
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, PrivateAttr, ValidationError

from . import registry
from .errors import CaseError, CprulesError, ErrorDetail, RulesetError
from .model import fast
from .model.case import EVENT_TYPES, Case
from .model.problems import PROBLEM
from .model.ruleset import RULE_KINDS, Ruleset
from .yamlio import DEFAULT_LIMITS, Limits, Located, display_name, read_document, read_file

__all__ = [
    "LoadedRuleset",
    "case_from_data",
    "case_from_json",
    "fast_case_from_json",
    "load_case",
    "load_ruleset",
    "ruleset_from_data",
]

M = TypeVar("M", bound=BaseModel)


class LoadedRuleset(Ruleset):
    """A :class:`Ruleset` with where it was loaded from (not part of the YAML format)."""

    _file: str | None = PrivateAttr(default=None)
    _sha256: str | None = PrivateAttr(default=None)

    @property
    def source_file(self) -> str | None:
        """The file it was read from."""
        return self._file

    @property
    def content_sha256(self) -> str | None:
        """SHA-256 of the file's bytes, for the evaluation stamp."""
        return self._sha256


def _vocabulary(kind: str) -> list[str]:
    words: set[str] = set()

    def walk(schema: Any) -> None:
        if isinstance(schema, dict):
            props = schema.get("properties")
            if isinstance(props, dict):
                words.update(props)
            for v in schema.values():
                walk(v)
        elif isinstance(schema, list):
            for v in schema:
                walk(v)

    model = Ruleset if kind == "ruleset" else Case
    walk(model.model_json_schema(by_alias=True))
    return sorted(words)


_VOCAB: dict[str, list[str]] = {}


def _suggest(word: str, choices: Iterable[str]) -> str | None:
    close = difflib.get_close_matches(word, [c for c in choices if c != word], n=1,
                                      cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


def _format_path(path: Iterable[str | int]) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


def _data_path(data: Any, loc: tuple[Any, ...], etype: str) -> tuple[str | int, ...]:
    """Follow a pydantic error location through the data, dropping union tags."""
    path: list[str | int] = []
    cur = data
    for part in loc:
        in_dict = isinstance(cur, dict) and isinstance(part, str) and part in cur
        in_list = isinstance(cur, list) and isinstance(part, int) and 0 <= part < len(cur)
        if in_dict or in_list:
            path.append(part)
            cur = cur[part]
        elif (isinstance(cur, dict) and isinstance(part, str) and not _path_has_more(loc, part)
              and etype in ("missing", "extra_forbidden")):
            path.append(part)  # a missing or unexpected key at the end of the location
            break
    return tuple(path)


def _path_has_more(loc: tuple[Any, ...], part: str) -> bool:
    return loc.index(part) < len(loc) - 1 if part in loc else False


_DUE_KEYS = ("within", "at_least", "on_or_before", "whichever")


def _details(exc: ValidationError, located: Located, kind: str,
             limits: Limits = DEFAULT_LIMITS) -> tuple[list[ErrorDetail], int]:
    """The problems (at most ``max_problems``) and how many more were left out."""
    details: list[tuple[ErrorDetail, bool]] = []
    seen: set[tuple[Any, ...]] = set()
    data = located.data
    errors = exc.errors(include_url=False)
    read = 0
    for n, err in enumerate(errors):
        if len(details) >= limits.max_problems:
            break
        read += 1
        suggest = n < limits.max_suggestions  # "did you mean" costs: the first few only
        loc = tuple(err.get("loc", ()))
        etype = err.get("type", "")
        msg = str(err.get("msg", "invalid"))
        path = _data_path(data, loc, etype)
        suggestion: str | None = None
        msg = msg.removeprefix("Value error, ")
        if etype == PROBLEM:  # a validator's problem: its place and suggestion as fields
            ctx = err.get("ctx", {})
            path = path + tuple(ctx.get("at") or ())
            msg = str(ctx.get("message", msg))
            suggestion = ctx.get("suggestion") if suggest else None
        elif etype == "extra_forbidden":
            key = str(loc[-1]) if loc else ""
            if kind not in _VOCAB:
                _VOCAB[kind] = _vocabulary(kind)
            suggestion = _suggest(key, _VOCAB[kind]) if suggest else None
            if key == "cprules" and kind == "case":
                suggestion = "did you mean 'format: cprules-case/1'?"
            msg = f"unknown field '{key}'"
        elif etype == "missing":
            msg = f"required field '{loc[-1]}' is missing"
        elif etype == "union_tag_invalid" or etype == "union_tag_not_found":
            ctx = err.get("ctx", {})
            tag = str(ctx.get("tag", ""))
            expected = [t.strip(" '") for t in str(ctx.get("expected_tags", "")).split(",")]
            if tag:
                msg = f"unknown {'event type' if 'type' in str(ctx) else 'value'} '{tag}'"
                suggestion = _suggest(tag, expected) if suggest else None
            if (loc and loc[-1] == "events") or "type" in str(ctx.get("discriminator", "")):
                msg = (f"unknown event type '{tag}'" if tag else "event 'type' is missing")
                suggestion = (_suggest(tag, EVENT_TYPES) if suggest else None) if tag else (
                    f"one of: {', '.join(EVENT_TYPES)}")
        elif etype == "due_form":
            got = _lookup(data, path)
            extra = [k for k in got if k not in _DUE_KEYS] if isinstance(got, dict) else []
            if extra:
                path = (*path, extra[0])
                msg = f"unknown field '{extra[0]}' in 'due' (use one of: {', '.join(_DUE_KEYS)})"
                suggestion = _suggest(extra[0], _DUE_KEYS) if suggest else None
        elif etype == "rule_kind":
            got = _lookup(data, (*path, "kind"))
            if got is not None:
                msg = f"unknown rule kind '{got}' (kinds: {', '.join(RULE_KINDS)})"
                suggestion = _suggest(str(got), RULE_KINDS) if suggest else None
            path = (*path, "kind")
        elif etype in ("literal_error", "enum"):
            ctx = err.get("ctx", {})
            expected = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
            suggestion = _suggest(str(err.get("input"))[:100], expected) if suggest else None
        seen_key = (path, msg)
        if seen_key in seen:
            continue
        seen.add(seen_key)
        rule_id = None
        if kind == "ruleset" and len(path) >= 2 and path[0] == "rules":
            rid = _lookup(data, ("rules", path[1], "id"))
            rule_id = rid if isinstance(rid, str) else None
        details.append((
            ErrorDetail(
                message=msg,
                file=located.file,
                line=located.line_of(path),
                path=_format_path(path) or None,
                rule_id=rule_id,
                suggestion=suggestion,
            ),
            etype in _BRANCH_MISMATCH,
        ))
    return _prefer_specific(details), len(errors) - read


# Error types that only say "this value is not of that branch's shape".
_BRANCH_MISMATCH = frozenset({"duration_type", "tuple_type", "list_type", "too_short"})


def _prefer_specific(details: list[tuple[ErrorDetail, bool]]) -> list[ErrorDetail]:
    """A failed union (a duration, or a list of dated versions) reports every branch; drop
    a branch's shape complaint when another error says more about the same place."""

    def covered(d: ErrorDetail) -> bool:
        here = d.path or ""
        return any(o is not d and not mismatch and (o.path or "").startswith(here)
                   for o, mismatch in details)

    kept = [d for d, mismatch in details if not (mismatch and covered(d))]
    return kept or [details[0][0]]


def _lookup(data: Any, path: tuple[str | int, ...]) -> Any:
    cur = data
    for p in path:
        if isinstance(cur, dict) and isinstance(p, str):
            cur = cur.get(p)
        elif isinstance(cur, list) and isinstance(p, int) and 0 <= p < len(cur):
            cur = cur[p]
        else:
            return None
    return cur


_TYPE_NAMES = {"list": "a list", "str": "text", "int": "a number", "float": "a number",
               "bool": "true/false", "NoneType": "null"}


def _validate(model: type[M], located: Located, kind: str, error: type[CprulesError]) -> M:
    if not isinstance(located.data, dict):
        got = type(located.data).__name__
        raise error(
            f"a {kind} must be a mapping of fields, not {_TYPE_NAMES.get(got, got)}",
            file=located.file,
            line=located.line_of(()),
        )
    if kind == "case":
        _check_case_size(located, error)
    try:
        return model.model_validate(located.data)
    except ValidationError as exc:
        details, more = _details(exc, located, kind)
        raise error(f"{located.file} is not a valid {kind}", details=details,
                    more=more) from None
    except RecursionError:
        raise error("nesting too deep", file=located.file) from None


def _check_case_size(located: Located, error: type[CprulesError],
                     limits: Limits = DEFAULT_LIMITS) -> None:
    """At most ``max_events`` events and ``max_children`` children, before validation."""
    for key, cap in (("events", limits.max_events), ("children", limits.max_children)):
        items = located.data.get(key)
        if isinstance(items, list) and len(items) > cap:
            raise error(
                f"too many {key}: {len(items)} (limit {cap} a case)",
                file=located.file, line=located.line_of((key, cap)), path=f"{key}[{cap}]",
                suggestion="split the case, or leave out what no rule uses",
            )


def ruleset_from_data(
    located: Located, *, sha256: str | None = None
) -> LoadedRuleset:
    """Validate plain data (with lines) as a ruleset."""
    rs = _validate(LoadedRuleset, located, "ruleset", RulesetError)
    rs._file = located.file
    rs._sha256 = sha256
    return rs


def load_ruleset(name_or_path: str | Path) -> LoadedRuleset:
    """Load a bundled ruleset by name (``york``) or a ruleset file by path.

    >>> rs = load_ruleset("york")
    >>> rs.partnership
    'york'
    """
    path = registry.resolve(name_or_path)
    raw = read_file(path, error=RulesetError)
    located = read_document(raw, display_name(path), error=RulesetError,
                            syntax="json" if path.suffix.lower() == ".json" else "yaml")
    return ruleset_from_data(located, sha256=hashlib.sha256(raw).hexdigest())


def case_from_data(data: Mapping[str, Any] | Located, file: str = "<case>") -> Case:
    """Validate plain data (a dict from JSON, say) as case facts, with CaseError on
    failure.

    >>> case_from_data({"children": [{"id": "c", "date_of_birth": "2019-03-04"}],
    ...                 "events": [{"type": "strategy_discussion", "date": "2024-05-20",
    ...                             "s47_initiated": True}]}).events[0].type
    'strategy_discussion'
    """
    located: Located | None
    raw: Any
    if isinstance(data, Located):
        located, raw = data, data.data
    elif type(data) is dict:
        located, raw = None, data  # read as it is: the fast path never changes it
    else:
        located = Located(dict(data) if isinstance(data, Mapping) else data, file, {})
        raw = located.data
    if isinstance(raw, dict):  # the fast path; when it cannot tell, the slow one
        case = fast.case_from_python(raw, max_events=DEFAULT_LIMITS.max_events,
                                     max_children=DEFAULT_LIMITS.max_children)
        if case is not None:
            return case
    if located is None:
        located = Located(dict(raw), file, {})  # the slow path works on its own copy
    return _validate(Case, located, "case", CaseError)


def fast_case_from_json(raw: bytes | str) -> Case | None:
    """The case in one JSON document (a line of JSON Lines), by the fast path
    (:mod:`cprules.model.fast`); None when it cannot tell, and then
    :func:`case_from_json` (``read_document`` and :func:`case_from_data`) finds the
    problem with its line and field, or the case."""
    return fast.case_from_json(raw, max_values=DEFAULT_LIMITS.max_values,
                               max_events=DEFAULT_LIMITS.max_events,
                               max_children=DEFAULT_LIMITS.max_children)


def case_from_json(raw: bytes | str, file: str = "<case>", *, line_offset: int = 0) -> Case:
    """Read and validate case facts from one JSON document, with :class:`CaseError`
    naming ``file`` and the line (plus ``line_offset``) on failure: the fast path, then,
    when it cannot tell, the slow one that finds the problem.

    >>> case_from_json('{"children": [{"id": "c", "date_of_birth": "2019-03-04"}]}').children[0].id
    'c'
    """
    case = fast_case_from_json(raw)
    if case is not None:
        return case
    located = read_document(raw, file, error=CaseError, syntax="json",
                            line_offset=line_offset)
    return _validate(Case, located, "case", CaseError)


def load_case(source: str | Path | bytes, *, file: str | None = None) -> Case:
    """Load case facts from a YAML or JSON file path (or from the bytes of one).

    >>> case = load_case("examples/york-case.yaml")
    """
    if isinstance(source, bytes):
        name = file or "<case>"
        raw = source
    else:
        path = Path(source)
        name = file or display_name(path)
        raw = read_file(path, error=CaseError)
        return case_from_data(read_document(
            raw, name, error=CaseError,
            syntax="json" if path.suffix.lower() == ".json" else "yaml"))
    return case_from_data(read_document(raw, name, error=CaseError))


_PATH_SPLIT = re.compile(r"[A-Za-z0-9_]+|\[\d+\]")


def locate_in_case(exc: CprulesError, case_file: str | Path) -> CprulesError:
    """``exc`` naming ``case_file`` and the line of its field, when it names no file (an
    error found while evaluating a case, e.g. a missing ``local_authority``)."""
    if exc.file is not None:
        return exc
    try:
        located = read_document(read_file(case_file, error=CaseError), display_name(case_file),
                                error=CaseError)
    except CprulesError:
        return exc
    from dataclasses import replace

    def line(d: ErrorDetail) -> int | None:
        if d.line is not None:
            return d.line
        parts = _PATH_SPLIT.findall(d.path or "")
        return located.line_of(tuple(int(p[1:-1]) if p.startswith("[") else p for p in parts))

    exc.details = tuple(replace(d, file=d.file or located.file, line=line(d))
                        for d in exc.details)
    exc.file, exc.line = exc.details[0].file, exc.details[0].line
    return exc
