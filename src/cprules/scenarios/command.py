"""``cprules test [PATH...]``: run scenario files against the ruleset files on disk.

Exit 0 when every scenario gives what it expects, 1 when one does not, 2 when a path does
not exist or a scenario cannot be run (bad YAML, an unknown key, a ruleset that does not
load)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from ..errors import CprulesError
from ..yamlio import display_name
from .runner import ScenarioError, find_scenarios, run_scenario

__all__ = ["add_parser", "run"]

DEFAULT = Path("tests") / "scenarios"


def add_parser(sub: Any) -> None:
    t = sub.add_parser("test", help="run scenario files (worked examples) against rulesets",
                       description="Run scenario files against the ruleset files on disk: "
                       "a bundled name in a scenario means rules/NAME.yaml of the checkout "
                       "the scenario is in (docs/authoring.md, 'Worked examples').")
    t.add_argument("paths", nargs="*", metavar="PATH",
                   help=f"scenario files or folders of them (default: {DEFAULT})")
    t.add_argument("--ruleset", "-r", metavar="FILE",
                   help="run every scenario against this ruleset file instead of the one "
                   "it names (an edited copy, say)")
    t.add_argument("--verbose", "-v", action="store_true", help="list passing scenarios too")


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    paths = list(args.paths) or ([DEFAULT] if DEFAULT.is_dir() else [])
    if not paths:
        raise ScenarioError("no scenario files given (and no tests/scenarios folder here)",
                            suggestion="cprules test PATH... (files or folders)")
    if args.ruleset is not None and not Path(args.ruleset).is_file():
        raise ScenarioError(f"no such ruleset file: {display_name(args.ruleset)}")
    files = find_scenarios(paths)
    if not files:
        raise ScenarioError(f"no scenario files (.yaml, .yml) in {', '.join(map(str, paths))}")
    passed = failed = broken = 0
    for path in files:
        try:
            result = run_scenario(path, ruleset=args.ruleset)
        except CprulesError as exc:
            broken += 1
            err.write(f"ERROR {display_name(path)}: cannot run: {exc}\n")
            continue
        if result.passed:
            passed += 1
            if args.verbose:
                out.write(f"ok    {display_name(path)}: {result.name}\n")
            continue
        failed += 1
        out.write(f"FAIL  {result.report()}\n")
    out.write(f"{passed} passed, {failed} failed"
              + (f", {broken} could not be run" if broken else "") + "\n")
    return 2 if broken else 1 if failed else 0
