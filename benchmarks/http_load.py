"""The HTTP API under load (issue 14), printed as figures, not asserted in tests.

    python benchmarks/http_load.py [REQUESTS] [CLIENTS]     # default 2,000 and 16

Starts `cprules serve` on a free port of 127.0.0.1 (loopback only), waits for /healthz,
then CLIENTS threads, each with its own keep-alive connection, send REQUESTS
`POST /v1/evaluate` requests between them: generated cases (benchmarks/cases.py: about
40 events, mixed partnerships and Derby variants), each evaluated under the ruleset its
partnership names. Every answer must be 200. Prints p50, p90 and p99 latency and
requests per second; then one `POST /v1/evaluate/batch` of the same cases (JSON Lines,
streamed) for comparison; then stops the server. Bounded: it ends by itself.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from cases import generate

ROOT = Path(__file__).parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(port: int, proc: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with {proc.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.05)
    raise SystemExit("the server did not start")


def _client(port: int, bodies: list[bytes], latencies: list[float],
            failures: list[int]) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Content-Type": "application/json"}
    for body in bodies:
        t = time.perf_counter()
        conn.request("POST", "/v1/evaluate", body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        latencies.append(time.perf_counter() - t)
        if response.status != 200:
            failures.append(response.status)
    conn.close()


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def main(requests: int = 2000, clients: int = 16) -> None:
    cases = [json.dumps(c).encode() for c in generate(requests, seed=14)]
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "CPRULES_TOKEN"}
    proc = subprocess.Popen([sys.executable, "-m", "cprules", "serve", "--host", "127.0.0.1",
                             "--port", str(port)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait(port, proc)
        latencies: list[float] = []
        failures: list[int] = []
        shares = [cases[i::clients] for i in range(clients)]
        threads = [threading.Thread(target=_client, args=(port, s, latencies, failures))
                   for s in shares]
        t = time.perf_counter()
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        wall = time.perf_counter() - t
        print(f"POST /v1/evaluate: {len(latencies)} requests from {clients} clients "
              f"in {wall:.2f} s, {len(failures)} not 200")
        print(f"  latency p50 {_pct(latencies, 50) * 1000:.1f} ms, "
              f"p90 {_pct(latencies, 90) * 1000:.1f} ms, "
              f"p99 {_pct(latencies, 99) * 1000:.1f} ms, "
              f"mean {statistics.fmean(latencies) * 1000:.1f} ms")
        print(f"  {len(latencies) / wall:.0f} requests per second")
        body = b"\n".join(cases) + b"\n"
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        t = time.perf_counter()
        conn.request("POST", "/v1/evaluate/batch", body=body,
                     headers={"Content-Type": "application/x-ndjson"})
        response = conn.getresponse()
        lines = response.read().count(b"\n")
        wall = time.perf_counter() - t
        print(f"POST /v1/evaluate/batch: {lines} result lines for {len(cases)} cases "
              f"({len(body) / 1e6:.1f} MB) in {wall:.2f} s, {lines / wall:.0f} cases per "
              f"second (status {response.status})")
    finally:
        proc.terminate()
        proc.wait(timeout=30)


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
