"""Values that match a JSON Schema, for the schema-driven fuzz tests.

hypothesis-jsonschema (0.23.1, the latest release) relies on Hypothesis internals that
current Hypothesis no longer has (``cu.many(...).more``), so it fails on any object
schema. This covers the subset of JSON Schema that pydantic emits for our models:
$ref/$defs, object (properties, required, additionalProperties false), array (items,
min/maxItems), anyOf/oneOf, enum/const, string (format date and date-time, pattern-free),
integer, number, boolean, null.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st


def from_schema(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    defs = schema.get("$defs", {})

    def build(node: dict[str, Any], depth: int) -> st.SearchStrategy[Any]:
        if "$ref" in node:
            name = node["$ref"].split("/")[-1]
            return st.deferred(lambda: build(defs[name], depth + 1))
        for key in ("anyOf", "oneOf"):
            if key in node:
                return st.one_of([build(n, depth) for n in node[key]])
        if "const" in node:
            return st.just(node["const"])
        if "enum" in node:
            return st.sampled_from(node["enum"])
        kind = node.get("type")
        if isinstance(kind, list):
            return st.one_of([build({**node, "type": k}, depth) for k in kind])
        if kind == "object" or "properties" in node:
            props = node.get("properties", {})
            required = set(node.get("required", []))
            if depth > 6:
                optional: dict[str, st.SearchStrategy[Any]] = {}
            else:
                optional = {k: build(v, depth + 1) for k, v in props.items()
                            if k not in required}
            return st.fixed_dictionaries(
                {k: build(props[k], depth + 1) for k in required}, optional=optional)
        if kind == "array":
            items = node.get("items", {})
            return st.lists(build(items, depth + 1) if items else st.none(),
                            min_size=node.get("minItems", 0),
                            max_size=min(node.get("maxItems", 3), 3))
        if kind == "string":
            if node.get("format") == "date":
                return st.dates().map(lambda d: d.isoformat())
            if node.get("format") == "date-time":
                return st.datetimes().map(lambda d: d.isoformat())
            return st.text(min_size=node.get("minLength", 0),
                           max_size=min(node.get("maxLength", 20), 20))
        if kind == "integer":
            return st.integers(node.get("minimum"), node.get("maximum"))
        if kind == "number":
            return st.floats(allow_nan=False)
        if kind == "boolean":
            return st.booleans()
        if kind == "null":
            return st.none()
        return st.none() | st.booleans() | st.text(max_size=5)

    return build(schema, 0)
