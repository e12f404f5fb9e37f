"""Real servers on 127.0.0.1 for the HTTP API tests and the load benchmark: ``cprules
serve`` in a subprocess (its log captured), or an app from ``create_app`` in a thread."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_healthy(base: str, timeout: float = 30.0, proc: subprocess.Popen[bytes] | None = None
                 ) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode}")
        try:
            if httpx.get(f"{base}/healthz", timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"no answer from {base}/healthz in {timeout} s")


@dataclass
class Served:
    base: str
    log: list[str] = field(default_factory=list)  # the server's stderr, line by line

    def log_text(self) -> str:
        time.sleep(0.2)  # let the last access lines arrive
        return "\n".join(self.log)


@contextlib.contextmanager
def serve_subprocess(*args: str, token: str | None = None) -> Iterator[Served]:
    """``cprules serve`` on a free port of 127.0.0.1, until the block ends."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "CPRULES_TOKEN"}
    if token is not None:
        env["CPRULES_TOKEN"] = token
    proc = subprocess.Popen([sys.executable, "-m", "cprules", "serve", "--host", "127.0.0.1",
                             "--port", str(port), *args], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    served = Served(f"http://127.0.0.1:{port}")

    def drain() -> None:
        assert proc.stderr is not None
        for raw in proc.stderr:
            served.log.append(raw.decode("utf-8", "replace").rstrip("\n"))

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        wait_healthy(served.base, proc=proc)
        yield served
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        reader.join(timeout=5)


@contextlib.contextmanager
def serve_thread(app: Any) -> Iterator[str]:
    """``app`` under uvicorn in a thread on a free port of 127.0.0.1; yields the base URL."""
    import uvicorn

    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None,
                            access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base)
        yield base
    finally:
        server.should_exit = True
        thread.join(timeout=10)
