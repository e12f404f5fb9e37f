"""The HTTP API (``docs/http-api.md``): :func:`create_app` builds it, ``cprules serve``
runs it with uvicorn.

Every ruleset is loaded once, when the app is built. Case bodies are read by cprules' own
bounded JSON reader (:func:`cprules.yamlio.read_document`) and validated by
:func:`cprules.case_from_data`, so errors carry the line and field and the limits of
``docs/security.md`` apply; ``POST /v1/evaluate`` answers exactly what ``cprules evaluate
CASE --format json`` prints, ``POST /v1/evaluate/batch`` the lines of ``cprules evaluate
--jsonl``.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import re
from collections.abc import Iterable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..engine import evaluate
from ..errors import CaseError, CprulesError, UnknownRulesetError
from ..loader import LoadedRuleset, case_from_data, fast_case_from_json, load_ruleset
from ..model.case import Case
from ..model.jsonformats import DATE
from ..registry import bundled
from ..schemas import SCHEMAS
from ..version import __version__
from ..yamlio import DEFAULT_LIMITS, read_document
from .body import FILE, read_body
from .openapi import openapi_document, operation_docs
from .problems import PROBLEM_TYPE, Guard, Problem, problem_body
from .stream import BatchResponse

__all__ = ["TOKEN_ENV", "create_app"]

#: The environment variable that holds the bearer token, when the deployment sets one.
TOKEN_ENV = "CPRULES_TOKEN"
#: Default limit on a JSON Lines request body (the per-line limit is ``max_line_bytes``).
BATCH_LIMIT = 200_000_000


def _problem_response(p: Problem) -> Response:
    return JSONResponse(problem_body(p), status_code=p.status, media_type=PROBLEM_TYPE,
                        headers=p.headers)


def _parameter(name: str, message: str, suggestion: str | None = None) -> Problem:
    return Problem(400, "invalid-parameter", "A query parameter is not valid",
                   CprulesError(message, path=name, suggestion=suggestion))


def _as_of(text: str | None) -> _dt.date | None:
    if text is None:
        return None
    if re.fullmatch(DATE, text):  # YYYY-MM-DD, a real day (not 2024-W01-1)
        return _dt.date.fromisoformat(text)
    from ..yamlhints import date_hint

    raise _parameter("as_of", f"as_of '{text[:40]}' is not a date",
                     date_hint(text[:40]) or "write YYYY-MM-DD, e.g. 2024-05-20")


def _flag(name: str, text: str | None) -> bool:
    if text in (None, "false"):
        return False
    if text == "true":
        return True
    raise _parameter(name, f"{name} must be true or false, not '{str(text)[:40]}'")


class _Rulesets:
    """The rulesets the server was started with, by name, loaded once."""

    def __init__(self, refs: Iterable[str]) -> None:
        self.by_name: dict[str, LoadedRuleset] = {}
        for ref in refs:
            rs = load_ruleset(ref)
            self.by_name[rs.partnership] = rs

    def get(self, name: str, field: str) -> LoadedRuleset:
        found = self.by_name.get(name)
        if found is None:
            raise Problem(404, "unknown-ruleset", "No such ruleset", UnknownRulesetError(
                f"no ruleset '{name[:100]}' on this server", path=field,
                suggestion=f"one of: {', '.join(self.by_name)}"))
        return found

    def summary(self, rs: LoadedRuleset) -> dict[str, Any]:
        return {"name": rs.partnership, "title": rs.title, "version": rs.version,
                "variants": {k: v.name for k, v in rs.variants.items()},
                "sha256": rs.content_sha256, "rules": len(rs.rules)}


def _evaluation_json(rs: LoadedRuleset, case: Case, as_of: _dt.date | None,
                     variant: str | None) -> bytes:
    try:
        ev = evaluate(rs, case, as_of=as_of, variant=variant)
    except CprulesError as exc:
        raise Problem.of(exc) from None
    # byte for byte what `cprules evaluate CASE --format json` prints
    return (json.dumps(ev.model_dump(mode="json"), indent=2) + "\n").encode("utf-8")


def _warning(case: Case, rs: LoadedRuleset) -> dict[str, str]:
    """A header when the case names another partnership than the ruleset it ran under."""
    if case.partnership is None or case.partnership == rs.partnership:
        return {}
    named = case.partnership[:60].encode("ascii", "backslashreplace").decode()
    return {"Cprules-Warning": f"the case names partnership '{named}' but was evaluated "
                               f"under {rs.partnership}"}


def create_app(rulesets: Iterable[str] | None = None, *, token: str | None = None,
               max_body_bytes: int = DEFAULT_LIMITS.max_bytes,
               max_batch_bytes: int = BATCH_LIMIT) -> FastAPI:
    """The API, serving ``rulesets`` (bundled names or YAML paths; all the bundled ones
    by default), each loaded now. ``token`` (default: the ``CPRULES_TOKEN`` environment
    variable) is then required as ``Authorization: Bearer TOKEN`` on every path but
    ``/healthz``. Bodies over ``max_body_bytes`` (``max_batch_bytes`` for the batch) are
    refused with 413 while they are read."""
    served = _Rulesets(list(bundled()) if rulesets is None else rulesets)
    schemas = {name: make() for name, make in SCHEMAS.items()}
    if token is None:
        token = os.environ.get(TOKEN_ENV) or None
    app = FastAPI(title="cprules", version=__version__, docs_url=None, redoc_url=None,
                  openapi_url="/openapi.json",
                  description="Child protection conference procedures evaluated against "
                  "case facts (docs/http-api.md).")
    app.add_middleware(Guard, token=token, default_limit=max_body_bytes,
                       limits={"/v1/evaluate/batch": max_batch_bytes})

    @app.exception_handler(Problem)
    async def _on_problem(request: Request, exc: Problem) -> Response:
        return _problem_response(exc)

    @app.exception_handler(StarletteHTTPException)
    async def _on_http(request: Request, exc: StarletteHTTPException) -> Response:
        slug = {404: "not-found", 405: "method-not-allowed"}.get(exc.status_code, "http")
        return _problem_response(Problem(exc.status_code, slug, str(exc.detail)))

    @app.exception_handler(RequestValidationError)
    async def _on_invalid(request: Request, exc: RequestValidationError) -> Response:
        return _problem_response(Problem(400, "invalid-parameter", "The request is not "
                                         "valid", detail="a parameter is missing or wrong"))

    docs = operation_docs()

    @app.get("/healthz", **docs["healthz"])
    async def healthz() -> dict[str, Any]:
        return {"status": "ok", "cprules": __version__, "rulesets": list(served.by_name)}

    @app.get("/v1/rulesets", **docs["rulesets"])
    async def list_rulesets() -> dict[str, Any]:
        return {"rulesets": [served.summary(rs) for rs in served.by_name.values()]}

    @app.get("/v1/rulesets/{name}", **docs["ruleset"])
    async def one_ruleset(name: str) -> dict[str, Any]:
        rs = served.get(name, "name")
        return {**served.summary(rs), "rules": [
            {"id": r.id, "kind": r.kind, "title": r.title,
             "variants": list(r.variants) if r.variants else None} for r in rs.rules]}

    @app.get("/v1/schemas/{kind}", **docs["schema"])
    async def one_schema(kind: str) -> Response:
        if kind not in schemas:
            raise Problem(404, "unknown-schema", "No such schema", CprulesError(
                f"no schema '{kind[:40]}'", path="kind",
                suggestion=f"one of: {', '.join(sorted(schemas))}"))
        return JSONResponse(schemas[kind], media_type="application/schema+json")

    @app.post("/v1/evaluate", **docs["evaluate"])
    async def evaluate_one(request: Request, ruleset: str | None = None,
                           as_of: str | None = None, variant: str | None = None) -> Response:
        day = _as_of(as_of)
        raw = await read_body(request, max_body_bytes)

        def answer() -> Response:  # off the event loop: reading and evaluating cost CPU
            case = _read_case(raw)
            rs = served.get(ruleset, "ruleset") if ruleset else _named(case, served)
            return Response(_evaluation_json(rs, case, day, variant),
                            media_type="application/json", headers=_warning(case, rs))

        return await run_in_threadpool(answer)

    @app.post("/v1/evaluate/batch", **docs["batch"])
    async def evaluate_batch(request: Request, ruleset: str | None = None,
                             as_of: str | None = None, variant: str | None = None,
                             full: str | None = None) -> Response:
        day = _as_of(as_of)
        rs = served.get(ruleset, "ruleset") if ruleset else None
        return BatchResponse(request, rs, day, variant, full=_flag("full", full),
                             line_limit=DEFAULT_LIMITS.max_line_bytes)

    app.openapi = lambda: openapi_document(app)  # type: ignore[method-assign]
    return app


def _read_case(raw: bytes) -> Case:
    case = fast_case_from_json(raw)  # None: read it again, finding the problem
    if case is not None:
        return case
    try:
        located = read_document(raw, FILE, error=CaseError, syntax="json")
    except CprulesError as exc:
        raise Problem(400, "invalid-json", "The request body is not valid JSON", exc) from None
    try:
        return case_from_data(located)
    except CprulesError as exc:
        raise Problem(422, "invalid-case", "The case is not valid", exc) from None


def _named(case: Case, served: _Rulesets) -> LoadedRuleset:
    if not case.partnership:
        raise Problem(422, "no-ruleset", "No ruleset", CprulesError(
            "no ruleset: the case names no partnership, and none was given", file=FILE,
            path="partnership", suggestion="give ?ruleset=NAME, or set the case's "
            f"partnership to one of: {', '.join(served.by_name)}"))
    return served.get(case.partnership, "partnership")
