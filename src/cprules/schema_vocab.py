"""The case-facts vocabulary written into the ruleset schema, so that an editor flags an
unknown event type (``event: strategy_discusion``) or a field that event does not have
(``where: {kind: ...}`` on a visit) as the file is typed, as ``cprules validate`` does.

Generated from the event models (:data:`cprules.model.events.EVENT_MODELS`): the event
types as an ``enum``, and for each filter an ``if event is X then the where keys are X's
fields`` clause; field conditions (``field:``, ``count.field``, ``in_vocabulary.field``)
name a field of some event.
"""

from __future__ import annotations

from typing import Any

from .model.events import EVENT_MODELS

__all__ = ["add_vocabulary", "event_fields"]

_NOT_FILTERABLE = {"type", "date", "at", "note", "id"}
_FILTERS = ("EventFilter", "Trigger", "ExistsSpec")


def event_fields(event: str) -> list[str]:
    """The fields of an event type that ``where:`` may name (by their YAML names)."""
    model = EVENT_MODELS[event]
    return sorted((f.alias or name) for name, f in model.model_fields.items()
                  if name not in _NOT_FILTERABLE)


def add_vocabulary(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` (the ruleset schema from the models) with the vocabulary added."""
    defs: dict[str, Any] = schema.get("$defs", {})
    types = sorted(EVENT_MODELS)
    every_field = sorted({f for t in types for f in event_fields(t)})
    for name in _FILTERS:
        d = defs.get(name)
        if d is None:
            continue
        d["properties"]["event"]["enum"] = types
        d["allOf"] = [
            {"if": {"properties": {"event": {"const": t}}, "required": ["event"]},
             "then": {"properties": {"where": {"propertyNames": {"enum": event_fields(t)}}}}}
            for t in types
        ]
    if "FieldCond" in defs:
        defs["FieldCond"]["properties"]["field"]["propertyNames"] = {"enum": every_field}
    for name in ("CountSpec", "VocabularySpec"):
        if name in defs:
            defs[name]["properties"]["field"]["enum"] = every_field
    return schema
