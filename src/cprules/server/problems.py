"""Errors as ``application/problem+json`` (RFC 9457), and the guard around the app: the
bearer token, the request size limit, and a catch-all that answers 500 with no internals.

A problem carries RFC 9457's ``type``, ``title``, ``status`` and ``detail``, and the
fields of :func:`cprules.errorjson.error_record` (``kind``, ``message``, ``file``,
``line``, ``field``, ``suggestion``, ``problems``, ``more``).
"""

from __future__ import annotations

import hmac
import json
import logging
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errorjson import error_record, plain_error_record
from ..errors import CalendarRangeError, CprulesError, UnknownRulesetError, VariantError

__all__ = ["PROBLEM_TYPE", "BodyTooLarge", "Guard", "Problem", "problem_body"]

PROBLEM_TYPE = "application/problem+json"
_TYPE_BASE = "urn:cprules:problem:"
log = logging.getLogger("cprules.server")


class Problem(Exception):
    """An answer other than 2xx: its status, a short type name and title, and the cprules
    error behind it (if any)."""

    def __init__(self, status: int, slug: str, title: str, error: CprulesError | None = None,
                 detail: str | None = None, headers: dict[str, str] | None = None) -> None:
        self.status, self.slug, self.title = status, slug, title
        self.error, self.headers = error, headers or {}
        self.detail = detail if detail is not None else _detail(error, title)
        super().__init__(self.detail)

    @classmethod
    def of(cls, exc: CprulesError) -> Problem:
        """The problem for a cprules error raised while evaluating a readable case."""
        if isinstance(exc, UnknownRulesetError):
            return cls(404, "unknown-ruleset", "No such ruleset", exc)
        if isinstance(exc, VariantError):
            return cls(422, "variant", "The ruleset's variant is missing or unknown", exc)
        if isinstance(exc, CalendarRangeError):
            return cls(422, "outside-calendar", "A date is outside the working-day "
                       "calendar", exc)
        return cls(422, "cannot-evaluate", "The case cannot be evaluated", exc)


def _detail(error: CprulesError | None, title: str) -> str:
    if error is None:
        return title
    if error.file is None and len(error.details) == 1:  # a query parameter, a ruleset name
        return error.message + (f" ({error.suggestion})" if error.suggestion else "")
    return error.summary()


class BodyTooLarge(Exception):
    """The request body went over its limit while it was being read."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(f"request body too large: more than {limit} bytes")


def problem_body(p: Problem) -> dict[str, Any]:
    kind = "".join(part.title() for part in p.slug.split("-"))  # too-large: TooLarge
    fields = (error_record(p.error) if p.error is not None
              else plain_error_record(kind, p.detail))
    return {"type": _TYPE_BASE + p.slug, "title": p.title, "status": p.status,
            "detail": p.detail, **fields}


def too_large(limit: int) -> Problem:
    return Problem(413, "too-large", "Request body too large",
                   detail=f"the request body is larger than {limit} bytes",
                   headers={"Connection": "close"})


async def send_problem(send: Send, p: Problem) -> None:
    body = json.dumps(problem_body(p), ensure_ascii=False, separators=(",", ":")).encode()
    headers = [(b"content-type", PROBLEM_TYPE.encode()),
               (b"content-length", str(len(body)).encode())]
    headers += [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in p.headers.items()]
    await send({"type": "http.response.start", "status": p.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _kinds(exc: BaseException) -> str:
    """The exception's type, and for a group the types inside it: never a message."""
    if isinstance(exc, BaseExceptionGroup):
        return ", ".join(sorted({_kinds(e) for e in exc.exceptions}))
    return type(exc).__name__


class Guard:
    """ASGI middleware: the bearer token (every path but ``/healthz``), the body limit
    (refused from ``Content-Length`` before reading, and counted while reading: the
    endpoint's read raises :class:`BodyTooLarge`), and the catch-all for anything
    unexpected: a 500 problem, logged by exception type only (never its message, which
    could quote case data)."""

    def __init__(self, app: ASGIApp, *, token: str | None, limits: dict[str, int],
                 default_limit: int) -> None:
        self.app, self.token = app, token
        self.limits, self.default_limit = limits, default_limit

    def _authorised(self, scope: Scope) -> bool:
        if not self.token or scope["path"] == "/healthz":
            return True
        expected = b"Bearer " + self.token.encode("utf-8")
        for name, value in scope["headers"]:
            if name == b"authorization":
                return hmac.compare_digest(value, expected)
        return False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracked_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        if not self._authorised(scope):
            await send_problem(send, Problem(
                401, "unauthorized", "Missing or wrong bearer token",
                detail="give the token as 'Authorization: Bearer TOKEN'",
                headers={"WWW-Authenticate": 'Bearer realm="cprules"'}))
            return
        limit = self.limits.get(scope["path"], self.default_limit)
        for name, value in scope["headers"]:
            if name == b"content-length" and (not value.isdigit() or int(value) > limit):
                await send_problem(send, too_large(limit))
                return
        seen = 0

        async def counted_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge(limit)
            return message

        try:
            await self.app(scope, counted_receive, tracked_send)
        except BodyTooLarge as exc:
            if not started:
                await send_problem(send, too_large(exc.limit))
        except Exception as exc:  # never a traceback, never the message
            log.error("internal error: %s", _kinds(exc))
            if not started:
                await send_problem(send, Problem(500, "internal-error", "Internal error",
                                                 detail="an internal error; nothing about "
                                                 "it is shown here"))
