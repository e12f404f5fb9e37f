"""The slowest load and evaluation of input within the limits (cprules.yamlio.Limits),
and the time each class of hostile input takes to be refused. Printed figures, not a
timed test; recorded in docs/performance.md ("Hostile input").

    .venv/bin/python benchmarks/hostile.py
"""

from __future__ import annotations

import datetime as dt
import json
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cprules
from cprules.errors import CprulesError
from cprules.impact import iter_cases
from cprules.registry import bundled
from cprules.yamlio import DEFAULT_LIMITS as LIM

AS_OF = dt.date(2026, 1, 1)
KINDS = ["strategy_discussion", "conference", "visit", "core_group", "report_submitted",
         "document_sent", "s47_concluded", "plan_end", "invitations_sent"]


def _event(rng: random.Random, i: int, children: int) -> dict[str, Any]:
    day = dt.date(2014, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 11))
    t = KINDS[i % len(KINDS)]
    ev: dict[str, Any] = {"type": t, "date": day.isoformat()}
    if t == "strategy_discussion":
        ev["s47_initiated"] = True
    elif t == "conference":
        ev.update(kind=rng.choice(["initial", "review"]), outcome="plan")
    elif t == "report_submitted":
        ev.update(from_agency="health", to="chair")
    elif t == "document_sent":
        ev["document"] = "conference_record"
    elif t == "s47_concluded":
        ev["icpc_required"] = True
    elif t == "plan_end":
        ev["reason"] = "no_longer_at_risk"
    if children > 1:
        ev["children"] = [f"c{rng.randrange(children)}"]
    return ev


def case(events: int, children: int, note: int = 0, seed: int = 1) -> dict[str, Any]:
    rng = random.Random(seed)
    return {
        "format": "cprules-case/1", "id": f"bench-{events}-{children}",
        "local_authority": "derby_city",
        "children": [{"id": f"c{i}", "date_of_birth": "2012-01-01"} for i in range(children)],
        "events": [dict(_event(rng, i, children), **({"note": "n" * note} if note else {}))
                   for i in range(events)],
    }


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    try:
        out = fn()
    except CprulesError as exc:
        out = exc
    return time.perf_counter() - t0, out


def main() -> None:
    rulesets = {n: cprules.load_ruleset(n) for n in bundled()}
    rows: list[tuple[str, float, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        inputs = {
            "5,000 events, 1 child": case(LIM.max_events, 1),
            "5,000 events, 1,000 children": case(LIM.max_events, LIM.max_children),
            "5,000 events with notes, 4.9 MB": case(LIM.max_events, 3, note=880),
            "1,000 events, 50 children": case(1_000, 50),
        }
        for label, data in inputs.items():
            for syntax in ("yaml", "json"):
                path = d / f"case.{syntax}"
                if syntax == "json":
                    path.write_text(json.dumps(data))
                else:
                    import yaml
                    path.write_text(yaml.dump(data, Dumper=getattr(yaml, "CSafeDumper",
                                                                   yaml.SafeDumper)))
                size = path.stat().st_size
                assert size <= LIM.max_bytes, (label, size)
                load_s, loaded = timed(lambda p=path: cprules.load_case(p))
                assert not isinstance(loaded, Exception), loaded.summary()[:300]
                for name, rs in rulesets.items():
                    variant = sorted(rs.variants)[0] if rs.variants else None
                    eval_s, _ = timed(lambda r=rs, c=loaded, v=variant:
                                      cprules.evaluate(r, c, as_of=AS_OF, variant=v))
                    rows.append((f"{label} ({syntax}, {size / 1e6:.1f} MB), {name}",
                                 load_s, eval_s))
        print("Load + evaluate, inputs within the limits (slowest first):")
        print("   total    load  evaluate")
        for label, ld, ev in sorted(rows, key=lambda r: -(r[1] + r[2]))[:10]:
            print(f"  {ld + ev:6.2f} s {ld:5.2f} s {ev:6.2f} s  {label}")
        print(f"  slowest: {max(r[1] + r[2] for r in rows):.2f} s (slowest load alone: "
              f"{max(r[1] for r in rows):.2f} s) of {len(rows)} load+evaluate runs")

        probes: dict[str, Callable[[], Any]] = {}
        big = d / "big.yaml"
        with big.open("wb") as fp:
            fp.truncate(200_000_000)
        probes["200 MB file"] = lambda: cprules.load_case(big)
        probes["/dev/zero as a case"] = lambda: cprules.load_case("/dev/zero")
        line = d / "line.jsonl"
        line.write_bytes(b'{"note": "' + b"x" * 58_000_000 + b'"}\n')
        probes["58 MB JSON Lines line"] = lambda: list(iter_cases([line]))
        b60 = d / "b60.yaml"
        b60.write_text("children: [{id: c, date_of_birth: " + "1" + ":59" * 1_000_000
                       + "}]\n")
        probes["base-60 scalar, 3 MB"] = lambda: cprules.load_case(b60)
        keys = d / "keys.yaml"
        keys.write_text(bundled()["york"].read_text() + "".join(
            f"titl{i}: 1\n" for i in range(40_000)))
        probes["40,000 unknown keys"] = lambda: cprules.load_ruleset(str(keys))
        digits = d / "digits.json"
        digits.write_text('{"children": [], "x": ' + "9" * 4_000_000 + "}")
        probes["4,000,000-digit JSON number"] = lambda: cprules.load_case(digits)
        nested = d / "nested.json"
        nested.write_text("[" * 2_000_000 + "]" * 2_000_000)
        probes["2,000,000 nested arrays"] = lambda: cprules.load_case(nested)
        alias = d / "alias.yaml"
        alias.write_text("a: &a [" + ",".join(["x"] * 10) + "]\n" + "".join(
            f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 10) + "]\n"
            for i in range(10)))
        probes["alias bomb"] = lambda: cprules.load_ruleset(str(alias))
        many = d / "many.json"
        many.write_text(json.dumps(case(LIM.max_events + 1, 1)))
        probes["5,001 events"] = lambda: cprules.load_case(many)
        print("Hostile input refused (each a CprulesError):")
        slowest = 0.0
        for label, fn in probes.items():
            s, out = timed(fn)
            refused = isinstance(out, CprulesError) or (
                isinstance(out, list) and all(isinstance(c, CprulesError) for _, c in out))
            slowest = max(slowest, s)
            print(f"  {s:6.2f} s  {label}{'' if refused else '  NOT REFUSED'}")
        print(f"  slowest: {slowest:.2f} s")


if __name__ == "__main__":
    main()
