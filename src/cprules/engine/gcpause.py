"""The cyclic garbage collector held off while one case is evaluated.

An evaluation allocates a few hundred short-lived containers (the child's indexed
timeline, look-up lists, the findings' fields) and makes no reference cycles: everything
it drops is freed by reference counting. Left on, the collector runs in the middle of
evaluations and walks every object the caller keeps (earlier results, the cases, the
loaded rulesets) again and again: about a third of the engine's time when results are
kept (``docs/performance.md``). :func:`paused` turns it off for the length of an
evaluation and restores it after, so collections happen between cases, as often as the
caller's own allocations call for.

It is re-entrant and thread-safe: the collector is turned off by the first evaluation to
start and back on by the last to finish, and only if it was on before. A caller who turned
the collector off keeps it off.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["paused"]

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def paused() -> Iterator[None]:
    """Hold off the cyclic collector for the block (re-entrant, thread-safe)."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            if _was_enabled:
                gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
