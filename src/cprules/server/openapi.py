"""The OpenAPI document of the HTTP API, its schemas made from the library's own pydantic
models by the same generator as ``schema/*.schema.json`` (:mod:`cprules.schema_strict`),
so the API and the published schemas say the same thing."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic.json_schema import models_json_schema

from ..model.case import Case
from ..model.results import Evaluation
from ..schema_strict import StrictJsonSchema

__all__ = ["PROBLEM_SCHEMA", "openapi_document", "operation_docs"]

_REF = "#/components/schemas/{model}"

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "type": "object",
    "description": "RFC 9457 problem details, with the fields of a cprules error.",
    "required": ["type", "title", "status", "detail", "kind", "message", "problems"],
    "properties": {
        "type": {"type": "string", "format": "uri"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "kind": {"type": "string", "description": "CaseError, RulesetError, ... or the "
                 "problem type for errors that are not about input."},
        "message": {"type": "string"},
        "file": {"type": ["string", "null"], "description": "'<request>' for the body."},
        "line": {"type": ["integer", "null"], "description": "Line in the body."},
        "field": {"type": ["string", "null"], "description": "Path of the field at fault, "
                  "e.g. events[2].type, or the query parameter."},
        "suggestion": {"type": ["string", "null"]},
        "problems": {"type": "array", "items": {"type": "string"}},
        "more": {"type": "integer"},
    },
}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": _REF.format(model=name)}


def _problems(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {code: {"description": "A problem (RFC 9457)",
                   "content": {"application/problem+json": {"schema": _ref("Problem")}}}
            for code in codes}


def _ok(schema: dict[str, Any], media: str = "application/json",
        description: str = "OK") -> dict[int | str, dict[str, Any]]:
    return {200: {"description": description, "content": {media: {"schema": schema}}}}


def operation_docs() -> dict[str, dict[str, Any]]:
    """Keyword arguments for each route: summary, responses and the request body."""
    any_object: dict[str, Any] = {"type": "object"}
    return {
        "healthz": {"summary": "Liveness: the server is up and its rulesets loaded "
                    "(no token needed)"},
        "rulesets": {"summary": "The rulesets this server evaluates under",
                     "responses": _problems(401)},
        "ruleset": {"summary": "One ruleset: title, version, variants, content hash, rules",
                    "responses": _problems(401, 404)},
        "schema": {"summary": "A published JSON Schema (ruleset, case, evaluation, ...)",
                   "responses": {
                       **_ok(any_object, "application/schema+json"), **_problems(401, 404)}},
        "evaluate": {
            "summary": "Evaluate one case (the body: cprules-case/1 as JSON)",
            "description": "Answers exactly what `cprules evaluate CASE --format json` "
            "prints. `ruleset` defaults to the case's partnership, `as_of` to the case's "
            "as_of and then today, `variant` to the case's local_authority.",
            "responses": {**_ok(_ref("Evaluation")), **_problems(400, 401, 404, 413, 422)},
            "openapi_extra": {"requestBody": {"required": True, "content": {
                "application/json": {"schema": _ref("Case")}}}},
        },
        "batch": {
            "summary": "Evaluate many cases: JSON Lines in, JSON Lines out, streamed",
            "description": "One case per line; one result line per non-blank line, in "
            "order: the compact form of `cprules evaluate --jsonl` (or the full "
            "evaluation with full=true), or an error line. Without `ruleset`, each case "
            "under the bundled ruleset its partnership names.",
            "responses": {**_ok({"type": "string"}, "application/x-ndjson",
                                "One JSON object per line"),
                          **_problems(400, 401, 404, 413)},
            "openapi_extra": {"requestBody": {"required": True, "content": {
                "application/x-ndjson": {"schema": {"type": "string", "description":
                                                    "One cprules-case/1 case per line"}}}}},
        },
    }


def _tidy(doc: dict[str, Any]) -> None:
    """What FastAPI adds that this API never answers: its own 422 for parameters (a
    wrong parameter is a 400 problem here) and a JSON 200 beside a declared media type."""
    for ops in doc["paths"].values():
        for op in ops.values():
            responses = op["responses"]
            bad = responses.get("422", {}).get("content", {}).get("application/json", {})
            if bad.get("schema", {}).get("$ref", "").endswith("/HTTPValidationError"):
                del responses["422"]
            ok = responses.get("200", {}).get("content", {})
            if len(ok) > 1 and ok.get("application/json", {}).get("schema") == {}:
                del ok["application/json"]
    for name in ("HTTPValidationError", "ValidationError"):
        doc.get("components", {}).get("schemas", {}).pop(name, None)


def openapi_document(app: FastAPI) -> dict[str, Any]:
    """The document, built once and kept on the app."""
    if app.openapi_schema:
        return app.openapi_schema
    doc = get_openapi(title=app.title, version=app.version, description=app.description,
                      routes=app.routes)
    _, defs = models_json_schema([(Case, "validation"), (Evaluation, "serialization")],
                                 by_alias=True, ref_template=_REF,
                                 schema_generator=StrictJsonSchema)
    _tidy(doc)
    components = doc.setdefault("components", {}).setdefault("schemas", {})
    components.update(defs.get("$defs", {}))
    components["Problem"] = PROBLEM_SCHEMA
    doc["components"]["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer"}}
    doc["security"] = [{"bearer": []}]
    doc["paths"]["/healthz"]["get"]["security"] = []
    app.openapi_schema = doc
    return doc
