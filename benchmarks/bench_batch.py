"""The batch path (issue 10), printed as figures, not asserted in tests.

    python benchmarks/bench_batch.py [N]      # N cases (default 50,000); about 3 minutes

1. wall time from a JSON Lines file of N generated cases (benchmarks/cases.py: about 40
   events, mixed partnerships and Derby variants, some sibling groups, some late or
   missing steps) to a JSON Lines file, with `cprules evaluate --jsonl` on one process and
   with --jobs 2;
2. per case, median and p99: parse and validate, evaluate, serialise (compact);
3. peak memory of the command at N/10 and at N cases;
4. the working-day calendar against workalendar's own add_working_days on the same
   100,000 random inputs (ratio, and every disagreement, each of which must span
   8 May 2023);
5. `import cprules` and `cprules --version`.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from cases import generate


def _run(args: list[str]) -> tuple[float, int]:
    """Wall seconds and peak memory (KiB) of a child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.perf_counter()
    subprocess.run(args, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(peak, before)


#: The peak memory (KiB) of the process itself: Linux's VmHWM (ru_maxrss of a child
#: started from this big process can report this process's peak, kept across exec).
_PEAK = ("import resource, sys\n"
         "def peak():\n"
         "    try:\n"
         "        for row in open('/proc/self/status'):\n"
         "            if row.startswith('VmHWM:'):\n"
         "                return int(row.split()[1])\n"
         "    except OSError:\n"
         "        pass\n"
         "    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n")


def _memory(args: list[str]) -> int:
    script = (_PEAK + "from cprules.cli import run\n"
              f"run({args!r}, sys.stdout, sys.stderr)\n"
              "print(peak(), file=sys.stderr)")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=False)
    return int(proc.stderr.strip().split()[-1])


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def main(n: int) -> None:
    import cprules
    from cprules.batch import CaseResult, _read, encode

    tmp = Path(tempfile.mkdtemp())
    src = tmp / "cases.jsonl"
    with src.open("w") as f:
        for c in generate(n):
            f.write(json.dumps(c, separators=(",", ":")) + "\n")
    small = tmp / "small.jsonl"
    small.write_text("".join(src.open().readlines()[: n // 10]))
    size = src.stat().st_size
    events = [len(json.loads(line)["events"]) for line in src.open().readlines()[:2000]]
    print(f"{n} cases, {size / 1e6:.1f} MB, {statistics.mean(events):.0f} events a case "
          "on average")
    exe = [sys.executable, "-m", "cprules", "evaluate", "--jsonl"]
    for jobs in (1, 2):
        out = tmp / f"out{jobs}.jsonl"
        wall, _ = _run([*exe, str(src), "-o", str(out), "-q", "--jobs", str(jobs)])
        print(f"  --jobs {jobs}: {wall:6.1f} s wall ({n / wall:7.0f} cases a second), "
              f"{out.stat().st_size / n / 1000:.1f} KB a result line")
    same = (tmp / "out1.jsonl").read_bytes() == (tmp / "out2.jsonl").read_bytes()
    print(f"  --jobs 2 output byte-identical to --jobs 1: {same}")
    for path, label in ((small, f"{n // 10}"), (src, f"{n}")):
        kib = _memory(["evaluate", "--jsonl", str(path), "-o", str(tmp / "m.jsonl"), "-q"])
        print(f"  peak memory at {label} cases: {kib / 1024:.0f} MiB")

    lines = src.open().readlines()[:3000]
    rulesets = {name: cprules.load_ruleset(name)
                for name in ("york", "derby", "north_yorkshire", "kirklees")}
    parse, evaluate, serialise = [], [], []
    sizes: list[tuple[int, int]] = []  # (events, bytes) of one-child cases
    for i, line in enumerate(lines):
        t0 = time.process_time()
        case, failed = _read(line, i, i + 1, "cases.jsonl")  # as the batch path reads a line
        t1 = time.process_time()
        assert case is not None and failed is None and case.partnership is not None
        ev = cprules.evaluate(rulesets[case.partnership], case)
        t2 = time.process_time()
        out, _ = encode(CaseResult(i, i + 1, case.id, evaluation=ev,
                                   children=len(case.children)))  # as it writes it
        t3 = time.process_time()
        parse.append(t1 - t0)
        evaluate.append(t2 - t1)
        serialise.append(t3 - t2)
        if len(case.children) == 1:
            sizes.append((len(case.events), len(out.encode())))
    print(f"per case (CPU time, {len(lines):,} cases):")
    for label, xs in (("parse and validate", parse), ("evaluate", evaluate),
                      ("serialise", serialise)):
        print(f"  {label:18}: median {statistics.median(xs) * 1e6:7.0f} us, "
              f"p99 {_pct(xs, 0.99) * 1e6:7.0f} us")
    for low, high in ((38, 42), (35, 45)):
        kb = [b for e, b in sizes if low <= e <= high]
        print(f"  compact result line of a one-child case of {low}-{high} events ({len(kb)} "
              f"cases): median {statistics.median(kb) / 1000:.1f} KB, p90 "
              f"{_pct(kb, 0.9) / 1000:.1f} KB, max {max(kb):,} bytes")

    calendar_vs_workalendar()
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import cprules"], check=True)
    print(f"import cprules: {time.perf_counter() - t:.2f} s (a fresh interpreter)")
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "cprules", "--version"], check=True,
                   stdout=subprocess.DEVNULL)
    print(f"cprules --version: {time.perf_counter() - t:.2f} s")


def calendar_vs_workalendar() -> None:
    from workalendar.europe import UnitedKingdom

    from cprules import calendar

    rng = random.Random(5)
    lo, hi = dt.date(2012, 1, 1).toordinal(), dt.date(2027, 12, 1).toordinal()
    inputs = [(dt.date.fromordinal(rng.randint(lo, hi)), rng.randint(1, 60))
              for _ in range(100_000)]
    wl = UnitedKingdom()
    for d, k in inputs[:100]:  # warm both caches
        wl.add_working_days(d, k)
        calendar.add_working_days(d, k)
    mine, others = [], []
    gc.collect()
    gc.disable()  # the collector walking this large process is neither function's cost
    try:
        for _ in range(5):  # in turn, five times; the medians
            t = time.process_time()
            ours = [calendar.add_working_days(d, k) for d, k in inputs]
            mine.append(time.process_time() - t)
            t = time.process_time()
            theirs = [wl.add_working_days(d, k) for d, k in inputs]
            others.append(time.process_time() - t)
    finally:
        gc.enable()
    t_ours, t_theirs = statistics.median(mine), statistics.median(others)
    coronation = dt.date(2023, 5, 8)
    disagree = [(d, k, a, b) for (d, k), a, b in zip(inputs, ours, theirs, strict=True)
                if a != b]
    spanning = sum(1 for d, _, a, b in disagree if d < coronation <= max(a, b))
    print(f"add_working_days, 100,000 random inputs (five times in turn, medians): cprules {t_ours * 1e6 / 1e5:.2f} us, "
          f"workalendar {t_theirs * 1e6 / 1e5:.2f} us a call: {t_theirs / t_ours:.0f} times "
          f"faster; {len(disagree)} disagreements, {spanning} of them spanning 8 May 2023 "
          "(workalendar lacks the coronation holiday)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50_000)
