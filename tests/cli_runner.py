"""The command line run in this process, as the tests call it: (exit code, standard
output, standard error), with bytes on standard input when given."""

from __future__ import annotations

import io
import sys

from cprules.cli import run

__all__ = ["cli"]


def cli(*argv: str, stdin: bytes | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdin
    if stdin is not None:
        sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    try:
        code = run(list(argv), out, err)
    finally:
        sys.stdin = old
    return code, out.getvalue(), err.getvalue()
