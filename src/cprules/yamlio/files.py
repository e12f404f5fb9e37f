"""Reading files, bounded: a regular file whole (:func:`read_file`), or a line at a time
(:func:`iter_lines`, for JSON Lines). FIFOs, devices and sockets are refused before
anything is read."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator

from ..errors import CprulesError
from .base import DEFAULT_LIMITS, Limits, _err, display_name

__all__ = ["iter_lines", "read_file"]

_CHUNK = 1 << 20


def _open_regular(path: str | os.PathLike[str], error: type[CprulesError],
                  limits: Limits) -> int:
    """An open descriptor on a regular file, or ``error``. FIFOs, devices and sockets are
    refused before anything is read (opening is non-blocking, so a FIFO with no writer
    does not hang)."""
    name = display_name(path)
    if len(os.fspath(path)) > limits.max_path_chars:
        raise _err(error, name, f"file name too long: {len(os.fspath(path))} characters "
                   f"(limit {limits.max_path_chars})", None, None)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise _err(error, name, f"no such file: {name}", None, None) from None
    except IsADirectoryError:
        raise _err(error, name, f"{name} is a directory, not a file", None, None) from None
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise _err(error, name, f"cannot read {name}: {reason}", None, None) from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise _err(error, name, f"{name} is a directory, not a file", None, None)
        if not stat.S_ISREG(st.st_mode):
            what = ("a FIFO (named pipe)" if stat.S_ISFIFO(st.st_mode) else
                    "a device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) else
                    "a socket" if stat.S_ISSOCK(st.st_mode) else "not a regular file")
            raise _err(error, name, f"{name} is {what}, not a regular file", None,
                       "give the path of a YAML or JSON file")
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_file(
    path: str | os.PathLike[str],
    *,
    error: type[CprulesError] = CprulesError,
    limits: Limits = DEFAULT_LIMITS,
) -> bytes:
    """The bytes of a regular file of at most ``limits.max_bytes``, read in bounded chunks
    (never more than ``max_bytes + 1``). Anything else is ``error``."""
    name = display_name(path)
    fd = _open_regular(path, error, limits)
    try:
        chunks: list[bytes] = []
        size = 0
        while size <= limits.max_bytes:
            try:
                chunk = os.read(fd, min(_CHUNK, limits.max_bytes + 1 - size))
            except OSError as exc:
                raise _err(error, name, f"cannot read {name}: {exc.strerror}", None,
                           None) from None
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(fd)
    if size > limits.max_bytes:
        raise _err(error, name, f"file too large: more than {limits.max_bytes} bytes",
                   None, "split it, or remove what the format does not need")
    return b"".join(chunks)


def iter_lines(
    path: str | os.PathLike[str],
    *,
    error: type[CprulesError] = CprulesError,
    limits: Limits = DEFAULT_LIMITS,
) -> Iterator[tuple[int, bytes | CprulesError]]:
    """(line number, bytes of the line) for each line of a regular file, a line at a time,
    each of at most ``limits.max_line_bytes``; a longer line gives (number, ``error``) and
    is skipped without being held in memory. A byte-order mark at the start is dropped."""
    name = display_name(path)
    fd = _open_regular(path, error, limits)
    with os.fdopen(fd, "rb", buffering=_CHUNK) as fp:
        n = 0
        while True:
            line = fp.readline(limits.max_line_bytes + 1)
            if not line:
                return
            n += 1
            if n == 1:
                line = line.removeprefix(b"\xef\xbb\xbf")
            if len(line) > limits.max_line_bytes and not line.endswith(b"\n"):
                while True:  # skip the rest of the line, a bounded chunk at a time
                    rest = fp.readline(_CHUNK)
                    if not rest or rest.endswith(b"\n"):
                        break
                yield n, _err(error, name, f"line too long: more than "
                              f"{limits.max_line_bytes} bytes", n,
                              "one case per line, each within the limit")
                continue
            yield n, line
