"""Run a scenario file: a case, an as-of date, and the findings expected of a ruleset.

A scenario is one YAML file (the format is in ``docs/authoring.md``, "Worked examples"):

    name: ICPC on time across the spring bank holiday
    ruleset: york                 # a bundled name, or a path relative to this file
    variant: derby_city           # optional, for rulesets with variants
    as_of: 2024-07-01
    facts: {children: [...], events: [...]}     # a cprules-case/1 case
    expected:
      deadlines:                  # per rule listed: exactly these (due, status[, met_on]
                                  # [, children: the children the deadline names])
        - {rule: icpc.timing, due: 2024-06-11, status: met, met_on: 2024-06-10}
      absent: [review.first]      # rules that must give no deadline
      violations: [icpc.timing]   # when given: exactly this multiset of rule ids
      obligations: [review.first] # when given: exactly this multiset of rule ids
      data_quality: [after_as_of] # when given: exactly these codes
      no_violations: [...]        # these rules give no violation
      has_obligations: [{rule: ..., children: [a]}]  # at least these
      has_violations: [{rule: ..., children: [b]}]   # at least these (children: exactly)
      compliant: [quorum.minimum] # decision rules applied and passed every time
      failed: [quorum.minimum]    # decision rules applied and failed at least once
      not_applied: [categories.single]  # decision rules applied to nothing

Which ruleset file a scenario runs against (:func:`ruleset_path`): a path is taken
relative to the scenario file; a bundled name (``york``) is the ``rules/york.yaml`` of the
checkout the scenario lives in, found by walking up the folders from the scenario file,
and only when there is none the copy installed with cprules. So a scenario always runs
against the file on disk that a policy lead is editing, never a stale installed copy.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import CprulesError
from ..evaluator import evaluate
from ..loader import LoadedRuleset, case_from_data, load_ruleset
from ..registry import bundled
from ..yamlio import display_name
from .checks import Check
from .spec import EXPECTED, KEYS, SUFFIXES, Failure, ScenarioError, Spec, facts_of, parse_date

__all__ = [
    "EXPECTED",
    "KEYS",
    "SUFFIXES",
    "Failure",
    "ScenarioError",
    "ScenarioResult",
    "find_scenarios",
    "local_ruleset",
    "ruleset_path",
    "run_all",
    "run_scenario",
    "shown",
]


@dataclass
class ScenarioResult:
    """What running one scenario file gave."""

    path: Path
    name: str
    line: int = 1
    ruleset_file: str | None = None
    failures: list[Failure] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures

    def report(self) -> str:
        """The failures, one a line, each naming the file and line."""
        file = display_name(self.path)
        head = f"{file}:{self.line}: scenario {self.name!r}"
        if self.ruleset_file:
            head += f" (ruleset {self.ruleset_file})"
        return "\n".join([head, *(f"  {f.format(file)}" for f in self.failures)])


# --- finding the files ------------------------------------------------------------------


def find_scenarios(paths: Iterable[str | Path]) -> list[Path]:
    """Scenario files in ``paths`` (files, or folders searched for ``.yaml``/``.yml``);
    a path that does not exist is a :class:`ScenarioError`."""
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            out += sorted(f for f in p.rglob("*") if f.suffix in SUFFIXES and f.is_file()
                          and not any(part.startswith(".") for part in f.parts))
        elif p.is_file():
            out.append(p)
        else:
            raise ScenarioError("no such file or folder", file=display_name(p),
                                suggestion="give scenario files or folders of them")
    return out


def shown(path: Path) -> Path:
    """``path`` relative to the current folder when it is inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except (ValueError, OSError):
        return path


def local_ruleset(name: str, start: Path) -> Path | None:
    """``rules/<name>.yaml`` in ``start`` or the nearest folder above it, if any."""
    here = start.resolve()
    for folder in (here, *here.parents):
        candidate = folder / "rules" / f"{name}.yaml"
        if candidate.is_file():
            return candidate
    return None


def ruleset_path(spec: str, scenario: Path) -> str | Path:
    """The ruleset a scenario names, as a path on disk where there is one (module doc)."""
    if spec.endswith((".yaml", ".yml", ".json")) or "/" in spec:
        relative = scenario.parent / spec
        return relative if relative.is_file() else Path(spec)
    local = local_ruleset(spec, scenario.parent)
    if local is not None:
        return shown(local)
    return bundled().get(spec, spec)



_CACHE: dict[tuple[str, float], LoadedRuleset] = {}


def _ruleset(target: str | Path) -> LoadedRuleset:
    if isinstance(target, Path):
        try:
            key = (str(target.resolve()), target.stat().st_mtime)
        except OSError:
            return load_ruleset(target)
        if key not in _CACHE:
            _CACHE[key] = load_ruleset(target)
        return _CACHE[key]
    return load_ruleset(target)


def run_scenario(path: str | Path, *, ruleset: str | Path | None = None) -> ScenarioResult:
    """Run one scenario file; ``ruleset`` (a path) overrides the one the file names.

    Raises :class:`ScenarioError` (or another :class:`CprulesError`) for a scenario that
    cannot be run; expectations not met are the result's ``failures``."""
    path = Path(path)
    spec = Spec(path)
    name = spec.data["ruleset"]
    if not isinstance(name, str):
        spec.fail("ruleset: give a bundled name or a path", ("ruleset",))
    target = Path(ruleset) if ruleset is not None else ruleset_path(name, path)
    as_of = parse_date(spec.data["as_of"], "as_of", spec.file, spec.line("as_of"))
    rs = _ruleset(target)
    case = case_from_data(facts_of(spec))
    variant = spec.data.get("variant")
    ev = evaluate(rs, case, as_of=as_of, variant=str(variant) if variant else None)
    check = Check(spec, rs, ev)
    check.deadlines()
    check.absent()
    check.exactly("violations", [v.rule_id for v in ev.violations])
    check.exactly("obligations", [o.rule_id for o in ev.obligations])
    check.exactly("data_quality", [q.code for q in ev.data_quality])
    check.decisions()
    check.findings()
    return ScenarioResult(path=path, name=spec.name, line=1,
                          ruleset_file=rs.source_file, failures=check.failures)


def run_all(paths: Iterable[str | Path], *, ruleset: str | Path | None = None,
            ) -> Iterator[tuple[Path, ScenarioResult | CprulesError]]:
    """Each scenario file in ``paths`` and its result (or why it could not run)."""
    for path in find_scenarios(paths):
        try:
            yield path, run_scenario(path, ruleset=ruleset)
        except CprulesError as exc:
            yield path, exc
