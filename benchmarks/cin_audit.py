"""Benchmark: generate a CIN census of N children, import it and audit it on one process.

Printed figures, not a timed test. Each run is a fresh process, so peak memory (maximum
resident set size) is that run's own:

    .venv/bin/python benchmarks/cin_audit.py                 # 5,000 and 50,000 children
    .venv/bin/python benchmarks/cin_audit.py --children 50000 --only

Steps timed: writing the census (not counted), reading it (``cprules.sources.cin.read``,
streamed through defusedxml), ``cprules import cin`` (reading plus validating every case,
JSON Lines out), and ``cprules audit --format table`` and ``--format html`` (read,
validate, evaluate against York, key figures, report). Targets (issue 13): 50,000
children imported and audited in under 30 s on one process, memory flat.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CATEGORIES = ("NEG", "PHY", "EMO", "SAB", "MUL")


def _d(day: dt.date) -> str:
    return day.isoformat()


def write_census(path: Path, children: int, seed: int = 13) -> None:
    """A coherent census: every child referred in 2022-2024, most with a section 47,
    about half of those with a conference and a plan, some reviews late, some targets
    computed without the bank holidays."""
    from cprules import calendar

    rng = random.Random(seed)
    ref = dt.date(2024, 3, 31)
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="utf-8"?>\n<Message>\n  <Header>\n'
                  "    <CollectionDetails><Collection>CIN</Collection><Year>2024</Year>"
                  f"<ReferenceDate>{ref}</ReferenceDate></CollectionDetails>\n"
                  "  </Header>\n  <Children>\n")
        for n in range(children):
            dob = dt.date(2006, 1, 1) + dt.timedelta(days=rng.randrange(6500))
            referral = dt.date(2022, 1, 4) + dt.timedelta(days=rng.randrange(780))
            parts = [f"    <Child>\n      <ChildIdentifiers><LAchildID>C{n:06d}</LAchildID>"
                     f"<PersonBirthDate>{_d(dob)}</PersonBirthDate><Sex>"
                     f"{rng.choice('MFU')}</Sex></ChildIdentifiers>\n      <CINdetails>"
                     f"<CINreferralDate>{_d(referral)}</CINreferralDate>"]
            if rng.random() < 0.8:
                s47 = referral + dt.timedelta(days=rng.randrange(1, 10))
                target = calendar.add_working_days(s47, 15)
                if rng.random() < 0.05:  # a system that forgets the bank holidays
                    target = s47 + dt.timedelta(days=21)
                held = calendar.add_working_days(s47, rng.choice((8, 12, 14, 15, 15, 17, 22)))
                not_required = rng.random() < 0.3
                parts.append(f"\n        <Section47><S47ActualStartDate>{_d(s47)}"
                             f"</S47ActualStartDate><InitialCPCtarget>{_d(target)}"
                             "</InitialCPCtarget>" + ("" if not_required else
                             f"<DateOfInitialCPC>{_d(held)}</DateOfInitialCPC>") +
                             f"<ICPCnotRequired>{str(not_required).lower()}"
                             "</ICPCnotRequired></Section47>")
                parts.append("<ReferralNFA>false</ReferralNFA>")
                if not not_required and held < ref and rng.random() < 0.7:
                    reviews, day = [], held
                    step = 3
                    while True:
                        day = day + dt.timedelta(days=rng.choice((85, 88, 91, 100)) * step // 3)
                        if day >= ref:
                            break
                        reviews.append(day)
                        step = 6
                    end = reviews[-1] if reviews and rng.random() < 0.3 else None
                    category = rng.choice(CATEGORIES)
                    parts.append(
                        f"\n        <ChildProtectionPlans><CPPstartDate>{_d(held)}</CPPstartDate>"
                        + (f"<CPPendDate>{_d(end)}</CPPendDate>" if end else "")
                        + f"<InitialCategoryOfAbuse>{category}</InitialCategoryOfAbuse>"
                        f"<LatestCategoryOfAbuse>{category}</LatestCategoryOfAbuse>"
                        "<NumberOfPreviousCPP>0</NumberOfPreviousCPP>"
                        + ("<Reviews>" + "".join(f"<CPPreviewDate>{_d(r)}</CPPreviewDate>"
                                                 for r in reviews) + "</Reviews>"
                           if reviews else "") + "</ChildProtectionPlans>")
            else:
                parts.append("<ReferralNFA>false</ReferralNFA>")
            parts.append("</CINdetails>\n    </Child>\n")
            out.write("".join(parts))
        out.write("  </Children>\n</Message>\n")


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_one(children: int, workdir: Path) -> dict[str, float]:
    """Time each step for one census size (run in a fresh process by main)."""
    from cprules.cli import run
    from cprules.sources import cin

    census = workdir / f"census-{children}.xml"
    t0 = time.perf_counter()
    write_census(census, children)
    figures: dict[str, float] = {"children": children, "write_s": time.perf_counter() - t0,
                                 "file_mib": census.stat().st_size / 2**20}
    base = _peak_mib()
    t0 = time.perf_counter()
    count = sum(1 for _ in cin.read(census))
    figures["read_s"] = time.perf_counter() - t0
    assert count == children
    for name, argv in (
        ("import_s", ["import", "cin", str(census), "-o", str(workdir / "out.jsonl"), "-q"]),
        ("audit_table_s", ["audit", str(census), "-r", "york", "-o",
                           str(workdir / "audit.txt")]),
        ("audit_html_s", ["audit", str(census), "-r", "york", "-f", "html", "-o",
                          str(workdir / "audit.html")]),
    ):
        t0, c0 = time.perf_counter(), time.process_time()
        code = run(argv, io.StringIO(), io.StringIO())
        figures[name] = time.perf_counter() - t0
        figures[name.replace("_s", "_cpu_s")] = time.process_time() - c0
        assert code in (0, 1), (name, code)
    figures["import_and_audit_s"] = figures["import_s"] + figures["audit_table_s"]
    figures["import_and_audit_cpu_s"] = figures["import_cpu_s"] + figures["audit_table_cpu_s"]
    figures["peak_rss_mib"] = _peak_mib()
    figures["peak_rss_above_start_mib"] = figures["peak_rss_mib"] - base
    figures["html_mib"] = (workdir / "audit.html").stat().st_size / 2**20
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--children", type=int, nargs="*", default=[5000, 50000])
    parser.add_argument("--only", action="store_true", help="measure in this process")
    args = parser.parse_args()
    if args.only:
        with tempfile.TemporaryDirectory() as tmp:
            for n in args.children:
                print(json.dumps(run_one(n, Path(tmp))))
        return
    rows = []
    for n in args.children:
        done = subprocess.run([sys.executable, __file__, "--only", "--children", str(n)],
                              capture_output=True, text=True, check=True)
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
    keys = ["children", "file_mib", "read_s", "import_s", "audit_table_s", "audit_html_s",
            "import_and_audit_s", "import_and_audit_cpu_s", "peak_rss_mib", "html_mib"]
    print(" | ".join(f"{k:>22}" for k in keys))
    for row in rows:
        print(" | ".join(f"{row[k]:>22.2f}" if isinstance(row[k], float) else f"{row[k]:>22}"
                         for k in keys))
    big = rows[-1]
    print(f"\n{int(big['children'])} children: import + audit {big['import_and_audit_s']:.1f} s "
          f"wall, {big['import_and_audit_cpu_s']:.1f} s CPU (target < 30 s); audit alone "
          f"{big['audit_table_s']:.1f} s; read alone {big['read_s']:.1f} s; peak memory "
          f"{rows[0]['peak_rss_mib']:.0f} MiB at {int(rows[0]['children'])} children, "
          f"{big['peak_rss_mib']:.0f} MiB at {int(big['children'])}")


if __name__ == "__main__":
    main()
