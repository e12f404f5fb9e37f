"""The JSON Schema generator behind every published schema and the HTTP API's OpenAPI
document: pydantic's, with dates and times that say what the loader reads.

- dates carry a ``pattern`` as well as ``format: date`` (:mod:`cprules.model.jsonformats`);
- times as read (case facts) are RFC 3339 with a zone, or an ISO date and time without
  one (UK local time); times as written (an evaluation's ``due_at``) always have their
  offset;
- the rules a model checks in a validator that JSON Schema can say too: a child has a
  ``date_of_birth`` or an ``expected_date_of_delivery`` (``Child._one_date``), a planned
  conference has no outcome (``Conference._planned_has_no_outcome``).

Booleans are ``type: boolean`` and dates ``type: string`` already, so ``"yes"``, ``0`` and
``"1700000000"`` are schema-invalid just as the loader refuses them
(:mod:`cprules.model.strict`).
"""

from __future__ import annotations

from typing import Any

from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from .model.case import Child, Conference
from .model.jsonformats import date_schema, time_schema

__all__ = ["StrictJsonSchema"]


def _has_string(field: str) -> dict[str, Any]:
    return {"required": [field], "properties": {field: {"type": "string"}}}


#: What a model's own validators check, said in JSON Schema, by model.
_MODEL_RULES: dict[type, dict[str, Any]] = {
    Child: {"anyOf": [_has_string("date_of_birth"),
                      _has_string("expected_date_of_delivery")]},
    Conference: {
        "if": {"required": ["planned"], "properties": {"planned": {"const": True}}},
        "then": {"properties": {"outcome": {"type": "null"}}},
    },
}


class StrictJsonSchema(GenerateJsonSchema):
    """``schema_generator=`` for ``model_json_schema`` and ``models_json_schema``."""

    def date_schema(self, schema: core_schema.DateSchema) -> JsonSchemaValue:
        return date_schema()

    def datetime_schema(self, schema: core_schema.DatetimeSchema) -> JsonSchemaValue:
        return time_schema(self.mode)

    def model_schema(self, schema: core_schema.ModelSchema) -> JsonSchemaValue:
        out = super().model_schema(schema)
        rules = _MODEL_RULES.get(schema["cls"])
        if rules is not None:
            out = {**out, **rules}
        return out
