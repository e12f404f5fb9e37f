"""``POST /v1/evaluate/batch``: JSON Lines in, JSON Lines out, both streamed.

The body is read a line at a time (:func:`~cprules.server.body.read_lines`) and fed to
the batch path of ``cprules evaluate --jsonl`` (:mod:`cprules.batch`) running in a worker
thread; each result line is sent as soon as it is made. The body is always read as fast
as the client sends it, whether or not the client is reading the answer yet: most clients
send the whole body before they read, and a server that stopped reading while its answer
waited would wait for ever. So memory holds at most the lines not yet evaluated (within the
request limit); the answer side is a bounded queue, and a client that stops reading stops
the evaluation.
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Iterator

import anyio
import anyio.from_thread
import anyio.to_thread
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from ..batch import stream
from ..errors import CprulesError
from ..model.ruleset import Ruleset
from .body import FILE, read_lines

__all__ = ["MEDIA_TYPE", "BatchResponse"]

MEDIA_TYPE = "application/x-ndjson"
_QUEUE = 64  # result lines waiting to be sent


class BatchResponse(Response):
    """A streamed response whose body is the result lines of the request's cases."""

    def __init__(self, request: Request, ruleset: Ruleset | None, as_of: _dt.date | None,
                 variant: str | None, *, full: bool, line_limit: int) -> None:
        self.status_code = 200
        self.background = None
        self.raw_headers = [(b"content-type", MEDIA_TYPE.encode())]
        self._request, self._ruleset, self._as_of = request, ruleset, as_of
        self._variant, self._full, self._line_limit = variant, full, line_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        lines_in, lines_out = anyio.create_memory_object_stream[
            tuple[int, bytes | CprulesError]](math.inf)  # never blocks the reading
        results_in, results_out = anyio.create_memory_object_stream[bytes](_QUEUE)

        async def feed() -> None:
            async with lines_in:
                async for item in read_lines(self._request, self._line_limit):
                    await lines_in.send(item)

        def cases() -> Iterator[tuple[int, bytes | CprulesError]]:
            while True:
                try:
                    yield anyio.from_thread.run(lines_out.receive)
                except anyio.EndOfStream:
                    return

        def work() -> None:
            mode = "full" if self._full else "compact"
            for text, _tally in stream(self._ruleset, cases(), self._as_of, self._variant,
                                     1, mode, FILE):
                anyio.from_thread.run(results_in.send, text.encode("utf-8") + b"\n")

        async def evaluate() -> None:
            async with results_in, lines_out:
                await anyio.to_thread.run_sync(work)

        await send({"type": "http.response.start", "status": 200,
                    "headers": self.raw_headers})
        gone = False
        try:
            async with anyio.create_task_group() as tg:
                tg.start_soon(feed)
                tg.start_soon(evaluate)
                async with results_out:
                    async for chunk in results_out:
                        parts = [chunk]
                        while len(parts) < _QUEUE:  # send what is ready in one message
                            try:
                                parts.append(results_out.receive_nowait())
                            except (anyio.WouldBlock, anyio.EndOfStream):
                                break
                        await send({"type": "http.response.body",
                                    "body": b"".join(parts), "more_body": True})
        except* (ClientDisconnect, OSError):  # the client went away: no one to answer
            gone = True
        if not gone:
            await send({"type": "http.response.body", "body": b"", "more_body": False})
