"""The fast path for case facts: the same :class:`~cprules.model.case.Case` classes,
validated by pydantic-core alone, with no Python code run per event.

The models' own schemas check dates, times and booleans, and the references between
events, with Python validators (:mod:`cprules.model.strict`, ``_EventBase._when``,
``Case._references`` ...) that also word the errors. That costs several Python calls
per event. This module derives a second core schema from the models' own, once, on
first use:

- every Python validator of the case models is dropped (an unknown one is an error when
  the schema is built, so a new validator cannot be skipped silently);
- a date is ``YYYY-MM-DD`` text (or, from Python, a ``date``) checked by pydantic-core;
  an event's ``date`` may also be a time of day, read by
  :func:`~cprules.model.event_base.moment_of` (a Python call only for such an event);
- a boolean is strictly ``true`` or ``false``; ``at`` may only be absent or null;
- from Python, a list is a ``list`` or a ``tuple`` (the slow path may need to read it
  again, so no iterator is used up);

and then checks, in one pass over the case, what the dropped validators checked between
fields and events (a child's date, a planned conference's outcome, duplicate ids,
unknown children and conferences, the number of events and children) and, for JSON, that
no object repeats a key.

The fast path only ever says "this is the case" or "I cannot tell" (``None``); it
never words an error. On ``None`` the loader takes the slow path (``cprules.yamlio`` and
the models' own validators), which finds the problem with its file, line and field, so
errors are exactly as before. It is exact: whatever it accepts, the slow path accepts
with an equal result (``tests/test_fast_case.py`` runs both over the bad inputs of the
test suite).
"""

from __future__ import annotations

import datetime as _dt
import re
from operator import attrgetter
from typing import Any, Final, cast

from pydantic_core import CoreSchema, SchemaValidator, ValidationError
from pydantic_core import core_schema as cs

from .case import Case, Child
from .conference_events import Conference
from .event_base import _ConferenceRef, _EventBase, moment_of
from .events import _EVENT_CLASSES, Birth, ExpectedDelivery
from .strict import strict_types

__all__ = ["case_from_json", "case_from_python"]


def _func(fn: Any) -> Any:
    return getattr(fn, "__func__", fn)  # a classmethod's function, bound to each model


#: The Python validators of the case models, each replaced by a check of the fast path
#: (the schema of :func:`_fast`, and :func:`_accepted`).
_REPLACED: Final = frozenset(_func(f) for f in (
    strict_types,  # strict dates and booleans in the schema
    _EventBase._when, _EventBase._uk_local, _EventBase._at_matches_date,  # _event_date
    Conference._planned_has_no_outcome, Child._one_date, Case._references,  # _accepted
))

#: The fields holding models, whose keys the duplicate-key check counts.
_NESTED: Final = frozenset({(Case, "children"), (Case, "events"), (Conference, "attendees")})

_ISO_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"  # as cprules.model.strict reads a date


def _date() -> CoreSchema:
    """A date, as ``strict_types`` and the models read it: ``YYYY-MM-DD`` text that is a
    real day, or from Python a ``date`` (not a ``datetime``)."""
    text = cs.chain_schema([cs.str_schema(pattern=_ISO_DATE, strict=True), cs.date_schema()])
    return cs.json_or_python_schema(
        json_schema=text,
        python_schema=cs.union_schema([text, cs.date_schema(strict=True)],
                                      mode="left_to_right"))


def _when_of(value: Any, info: cs.ValidationInfo) -> _dt.datetime:
    """An event's ``date`` that is not a day: a time, read as ``_EventBase._when`` reads it
    (the day and ``at`` are set from it by :func:`_accepted`)."""
    moment = moment_of(value)
    if type(moment) is not _dt.datetime:  # None, or a subclass (the slow path decides)
        raise ValueError("not a date or a time")
    times = cast("list[Any]", info.context)
    times.append(value)  # noted: _accepted looks for the events holding a time
    return moment


def _event_date() -> CoreSchema:
    """An event's ``date``: a day, or else a time of day (:func:`_when_of`)."""
    return cs.union_schema(
        [_date(), cs.with_info_plain_validator_function(_when_of)], mode="left_to_right")


def _fast(schema: Any, nested: set[tuple[type, str]], cls: type | None = None,
          field: str | None = None) -> Any:
    """The fast form of a core schema of the case models (a copy; the original is kept).
    ``nested`` gets the (model, field) pairs whose values hold models."""
    if isinstance(schema, list):
        return [_fast(s, nested, cls, field) for s in schema]
    if not isinstance(schema, dict):
        return schema
    kind = schema.get("type")
    if isinstance(kind, str) and kind.startswith("function-"):
        fn = _func(schema["function"]["function"])
        if fn not in _REPLACED:
            raise TypeError(f"the fast case schema does not know the validator {fn!r}: "
                            "check it in cprules.model.fast (_REPLACED, _accepted)")
        return _fast(schema["schema"], nested, cls, field)
    if kind == "date":
        return _date()
    if kind == "bool":
        return {**schema, "strict": True}
    if kind == "tuple":  # from Python, a list or a tuple: never an iterator it would use up
        items = {k: (v if k in ("metadata", "ref") else _fast(v, nested, cls, field))
                 for k, v in schema.items()}
        return cs.json_or_python_schema(json_schema=items, python_schema=cs.chain_schema(
            [cs.is_instance_schema((list, tuple)), items]))
    if kind == "model":
        if cls is not None and field is not None:
            nested.add((cls, field))
        cls, field = schema["cls"], None
    if kind == "model-fields":
        assert cls is not None
        fields = {}
        for name, f in schema["fields"].items():
            if issubclass(cls, _EventBase) and name == "date":
                fields[name] = {**f, "schema": _event_date()}
            elif issubclass(cls, _EventBase) and name == "at":
                fields[name] = {**f, "schema": cs.with_default_schema(cs.none_schema(),
                                                                     default=None)}
            else:
                fields[name] = _fast(f, nested, cls, name)
        return {**schema, "fields": fields}
    return {k: (v if k in ("metadata", "cls", "ref") else _fast(v, nested, cls, field))
            for k, v in schema.items()}


_VALIDATOR: SchemaValidator | None = None


def _validator() -> SchemaValidator:
    global _VALIDATOR
    if _VALIDATOR is None:
        nested: set[tuple[type, str]] = set()
        schema = _fast(Case.__pydantic_core_schema__, nested)
        if nested != _NESTED:
            raise TypeError(f"the case models nest models in {sorted(map(str, nested))}; "
                            "the duplicate-key count of cprules.model.fast knows "
                            f"{sorted(map(str, _NESTED))}")
        try:  # the schema as given: not a model's own validator, with its Python code
            _VALIDATOR = SchemaValidator(schema, _use_prebuilt=False)
        except TypeError:  # a pydantic-core without the option: exact still, slower
            _VALIDATOR = SchemaValidator(schema)
    return _VALIDATOR


# How the pass treats each event class: 1 refers to a conference, 2 is a conference,
# 3 names a child, 0 none of these.
_KINDS: Final = {cls: (1 if issubclass(cls, _ConferenceRef) else 2 if cls is Conference
                       else 3 if cls in (Birth, ExpectedDelivery) else 0)
                 for cls in _EVENT_CLASSES}


_FIELDS_SET: Final = attrgetter("__pydantic_fields_set__")


def _accepted(case: Case, times: list[Any], max_events: int, max_children: int,
              from_python: bool) -> int | None:
    """The number of keys of the objects the case was read from (from JSON; from Python,
    without the events' own), when the checks of the dropped validators pass (then they
    would have passed); None when one fails. Sets the ``date`` and ``at`` of an event
    given a time (``times``: the values read as times) as ``_EventBase._when`` does."""
    events, children = case.events, case.children
    if len(events) > max_events or len(children) > max_children:
        return None
    keys = len(case.__pydantic_fields_set__)
    known: set[str] = set()
    for child in children:
        if child.date_of_birth is None and child.expected_date_of_delivery is None:
            return None
        known.add(child.id)
        keys += len(child.__pydantic_fields_set__)
    if len(known) != len(children):
        return None
    if not from_python:  # the keys as read (before "at" is set below), only for JSON
        keys += sum(map(len, map(_FIELDS_SET, events)))
    ids: set[str] = set()
    conferences: set[str] = set()
    refs: list[str] = []
    kinds = _KINDS
    for ev in events:
        kind = kinds.get(type(ev))
        if kind is None:
            return None  # from Python, an instance of a subclass
        d = ev.__dict__
        if times and isinstance(d["date"], _dt.datetime):
            moment = d["date"]
            d["date"], d["at"] = moment.date(), moment
            ev.__pydantic_fields_set__.add("at")
        eid = d["id"]
        if eid is not None:
            if eid in ids:
                return None
            ids.add(eid)
        named = d["children"]
        if named is not None and not known.issuperset(named):
            return None
        if kind == 1:
            ref = d["conference"]
            if ref is not None:
                refs.append(ref)
        elif kind == 2:
            if eid is not None:
                conferences.add(eid)
            if d["planned"] and d["outcome"] is not None:
                return None
            for attendee in d["attendees"]:
                keys += len(attendee.__pydantic_fields_set__)
        elif kind == 3 and d["child"] is not None and d["child"] not in known:
            return None
        if from_python and d["at"] is not None and d["at"].date() != d["date"]:
            return None  # an event given as a model is not validated again
    if refs and not conferences.issuperset(refs):
        return None
    return keys


# A key's closing quote and its colon (JSON allows space, tab, CR and LF between them).
_KEY_END = re.compile(r'"[ \t\r\n]*:')
_KEY_END_BYTES = re.compile(rb'"[ \t\r\n]*:')


def _no_duplicate_keys(text: str | bytes, keys: int, times: list[Any]) -> bool:
    """Whether no object of ``text`` repeats a key (two keys naming one field count as a
    repeat), given the number of keys the validated models hold and the values read as
    times.

    Every key of the text ends in a quote and its colon, so the number of colons, and the
    number of quotes followed by a colon, are each at least the number of keys of the
    text, which is at least ``keys``, with equality only when every key is in the models
    once. The colons in the times are counted out when the text has no escapes (so the
    times are as written). Otherwise colons in text values, or escaped quotes before a
    colon, make both counts larger than ``keys``, and the slow path decides."""
    colons = text.count(":") if isinstance(text, str) else text.count(b":")
    if colons == keys:
        return True
    if times and colons == keys + sum(t.count(":") for t in times if isinstance(t, str)) and (
            "\\" not in text if isinstance(text, str) else b"\\" not in text):
        return True
    pattern = _KEY_END if isinstance(text, str) else _KEY_END_BYTES
    return len(pattern.findall(text)) == keys  # type: ignore[arg-type]


def case_from_json(text: str | bytes, *, max_values: int, max_events: int,
                   max_children: int) -> Case | None:
    """The case in one JSON document (a line of JSON Lines), or None when the fast path
    cannot tell (invalid, or a check only the slow path makes)."""
    # Within this size a valid case holds at most max_values values (each takes two
    # characters: quotes or brackets; a valid case has no numbers), and no more bytes
    # than a document may have.
    if len(text) > 2 * max_values:
        return None
    times: list[Any] = []
    try:
        case: Case = _validator().validate_json(text, context=times)
    except ValidationError:
        return None
    keys = _accepted(case, times, max_events, max_children, False)
    if keys is None or not _no_duplicate_keys(text, keys, times):
        return None
    return case


def case_from_python(data: dict[str, Any], *, max_events: int, max_children: int
                     ) -> Case | None:
    """The case in plain data (from YAML, JSON or code), or None when the fast path cannot
    tell."""
    times: list[Any] = []
    try:
        case: Case = _validator().validate_python(data, context=times)
        if times and not all(isinstance(e, dict) for e in data["events"]):
            return None  # a model given in the data holding a time in date: not changed
        if _accepted(case, times, max_events, max_children, True) is None:
            return None
    except (ValidationError, RecursionError, KeyError, AttributeError, TypeError):
        return None  # KeyError ...: a model given in the data, built without validation
    return case

