"""Reading request bodies within limits: a whole JSON document, or JSON Lines a line at
a time, each line within the per-line limit (as ``cprules evaluate --jsonl -`` reads
standard input)."""

from __future__ import annotations

from collections.abc import AsyncIterator

from starlette.requests import ClientDisconnect, Request

from ..errors import CaseError, CprulesError
from .problems import BodyTooLarge, Problem, too_large

__all__ = ["FILE", "read_body", "read_lines"]

#: The file name errors give for a request body.
FILE = "<request>"


async def read_body(request: Request, limit: int) -> bytes:
    """The whole body, refused (413) as soon as it is more than ``limit`` bytes."""
    parts: list[bytes] = []
    size = 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise BodyTooLarge(limit)
            parts.append(chunk)
    except BodyTooLarge as exc:
        raise too_large(exc.limit) from None
    except ClientDisconnect:  # the client went away before the end of its body
        raise Problem(400, "incomplete-body", "The request body ended early") from None
    return b"".join(parts)


async def read_lines(request: Request, line_limit: int
                     ) -> AsyncIterator[tuple[int, bytes | CprulesError]]:
    """(line number, line or the error reading it) for each non-blank line of the body.
    A line over ``line_limit`` bytes is one error and is skipped; a body over the
    request limit ends with one error naming the line where reading stopped."""
    buf = bytearray()
    n = 0  # lines finished so far
    skipping = False

    def too_long(at: int) -> CaseError:
        return CaseError(f"line too long: more than {line_limit} bytes", file=FILE, line=at,
                         suggestion="one case per line, each within the limit")

    def finish(raw: bytes) -> tuple[int, bytes] | None:
        nonlocal n
        n += 1
        if n == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        return (n, raw) if raw.strip() else None

    try:
        async for chunk in request.stream():
            start = 0
            while True:
                end = chunk.find(b"\n", start)
                if end < 0:
                    if not skipping:
                        buf += chunk[start:]
                        if len(buf) > line_limit:
                            buf.clear()
                            skipping = True
                    break
                if skipping:
                    n += 1
                    skipping = False
                    yield n, too_long(n)
                else:
                    buf += chunk[start:end + 1]
                    done = finish(bytes(buf)) if len(buf) <= line_limit + 1 else None
                    if len(buf) > line_limit + 1:
                        n += 1
                        yield n, too_long(n)
                    buf.clear()
                    if done is not None:
                        yield done
                start = end + 1
    except BodyTooLarge as exc:
        yield n + 1, CaseError(f"request body too large: more than {exc.limit} bytes; "
                               "reading stopped here", file=FILE, line=n + 1,
                               suggestion="send the cases in several requests")
        return
    if skipping:
        yield n + 1, too_long(n + 1)
    elif buf:
        done = finish(bytes(buf))
        if done is not None:
            yield done
