"""``cprules serve``: the HTTP API under uvicorn, logging method, path and status only.

Needs the ``server`` extra (``pip install "cprules[server]"``); without it the command
says so and exits 2.
"""

from __future__ import annotations

import argparse
import logging
from typing import Any, TextIO

__all__ = ["LOG_CONFIG", "AccessFormatter", "add_parser", "run_serve"]


class AccessFormatter(logging.Formatter):
    """uvicorn's access log line as ``METHOD PATH STATUS``: no client address, no query
    string, nothing from the body (``docs/security.md``)."""

    def format(self, record: logging.LogRecord) -> str:
        args = record.args
        if isinstance(args, tuple) and len(args) == 5:
            _client, method, full_path, _version, status = args
            path = str(full_path).split("?", 1)[0][:200]
            path = path.encode("ascii", "backslashreplace").decode()
            path = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in path)
            return f"{self.formatTime(record)} {method} {path} {status}"
        return f"{self.formatTime(record)} {record.levelname} {record.getMessage()}"


#: ``logging.config.dictConfig`` for uvicorn: server messages and access lines on stderr.
LOG_CONFIG: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "default": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "access": {"()": AccessFormatter},
    },
    "handlers": {
        "default": {"class": "logging.StreamHandler", "formatter": "default",
                    "stream": "ext://sys.stderr"},
        "access": {"class": "logging.StreamHandler", "formatter": "access",
                   "stream": "ext://sys.stderr"},
    },
    "loggers": {
        "uvicorn": {"handlers": ["default"], "level": "INFO", "propagate": False},
        "uvicorn.error": {"level": "INFO"},
        "uvicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
        "cprules.server": {"handlers": ["default"], "level": "INFO", "propagate": False},
    },
}


def add_parser(sub: Any) -> None:
    s = sub.add_parser("serve", help="the HTTP API (docs/http-api.md; needs cprules[server])")
    s.add_argument("--host", default="127.0.0.1", help="address to listen on "
                   "(default 127.0.0.1: this machine only)")
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--ruleset", "-r", action="append", metavar="NAME|PATH",
                   help="a ruleset to serve (repeat; default: every bundled ruleset)")
    s.add_argument("--max-body-bytes", type=int, default=None,
                   help="largest case body (default 5,000,000)")
    s.add_argument("--max-batch-bytes", type=int, default=None,
                   help="largest JSON Lines body (default 200,000,000)")
    s.add_argument("--verbose", "-v", action="store_true")


def run_serve(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    try:
        import uvicorn

        from .server.app import create_app
    except ImportError as exc:
        stderr.write(f"cprules serve needs the server extra ({exc.name} is missing): "
                     "pip install \"cprules[server]\"\n")
        return 2
    kwargs: dict[str, Any] = {}
    if args.max_body_bytes is not None:
        kwargs["max_body_bytes"] = args.max_body_bytes
    if args.max_batch_bytes is not None:
        kwargs["max_batch_bytes"] = args.max_batch_bytes
    app = create_app(args.ruleset, **kwargs)  # loads every ruleset now
    uvicorn.run(app, host=args.host, port=args.port, log_config=LOG_CONFIG,
                access_log=True, server_header=False, timeout_graceful_shutdown=10)
    return 0
