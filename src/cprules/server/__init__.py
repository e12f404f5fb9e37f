"""The HTTP API (``pip install "cprules[server]"``; ``docs/http-api.md``).

:func:`create_app` builds the FastAPI app (every ruleset loaded once, now);
``cprules serve`` runs it under uvicorn.
"""

from __future__ import annotations

from .app import TOKEN_ENV, create_app

__all__ = ["TOKEN_ENV", "create_app"]
