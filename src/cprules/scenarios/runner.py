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

import datetime as _dt
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import CprulesError
from ..evaluator import evaluate
from ..loader import LoadedRuleset, case_from_data, load_ruleset
from ..model.results import Evaluation
from ..registry import bundled
from ..yamlio import Located, display_name, read_document, read_file

__all__ = [
    "Failure",
    "ScenarioError",
    "ScenarioResult",
    "find_scenarios",
    "local_ruleset",
    "ruleset_path",
    "run_scenario",
]

SUFFIXES = (".yaml", ".yml")
KEYS = {"name", "ruleset", "variant", "as_of", "facts", "expected", "description"}
EXPECTED = {"deadlines", "absent", "violations", "obligations", "data_quality", "compliant",
            "failed", "not_applied", "no_violations", "has_obligations", "has_violations"}


class ScenarioError(CprulesError):
    """A scenario file that cannot be run (not the same as one whose expectations fail)."""


@dataclass(frozen=True)
class Failure:
    """One expectation not met: where in the scenario, which rule, what differed."""

    line: int | None
    rule: str | None
    message: str

    def format(self, file: str) -> str:
        where = f"{file}:{self.line}" if self.line else file
        return f"{where}: {self.rule + ': ' if self.rule else ''}{self.message}"


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


# --- running ----------------------------------------------------------------------------


def _date(v: Any, where: str, file: str, line: int | None) -> _dt.date:
    if isinstance(v, _dt.date):
        return v
    try:
        return _dt.date.fromisoformat(str(v))
    except ValueError:
        from ..yamlhints import date_hint

        raise ScenarioError(f"{where}: '{v}' is not a date", file=file, line=line,
                            suggestion=date_hint(v) or "write dates as YYYY-MM-DD, e.g. "
                            "2024-05-20") from None


class _Spec:
    """A scenario file read, with the line of each part."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.file = display_name(path)
        raw = read_file(path, error=ScenarioError)
        self.located: Located = read_document(raw, self.file, error=ScenarioError)
        data = self.located.data
        if not isinstance(data, dict):
            self.fail("a scenario is a mapping of name, ruleset, as_of, facts, expected", ())
        unknown = sorted(set(data) - KEYS)
        if unknown:
            self.fail(f"unknown scenario key '{unknown[0]}' (keys: {', '.join(sorted(KEYS))})",
                      (unknown[0],))
        for key in ("ruleset", "as_of", "facts"):
            if key not in data:
                self.fail(f"the scenario has no '{key}'", ())
        expected = data.get("expected")
        if not isinstance(expected, dict) or not expected:
            self.fail("a scenario must expect something (an 'expected' mapping)",
                      ("expected",))
        unknown = sorted(set(expected) - EXPECTED)
        if unknown:
            self.fail(f"unknown expected key '{unknown[0]}' (keys: "
                      f"{', '.join(sorted(EXPECTED))})", ("expected", unknown[0]))
        self.data: dict[str, Any] = data
        self.expected: dict[str, Any] = expected
        self.name = str(data.get("name") or path.stem)

    def line(self, *path: str | int) -> int | None:
        return self.located.line_of(tuple(path))

    def fail(self, message: str, path: tuple[str | int, ...]) -> None:
        raise ScenarioError(message, file=self.file, line=self.line(*path))

    def items(self, key: str) -> list[tuple[int | None, Any]]:
        value = self.expected.get(key) or []
        if not isinstance(value, list):
            self.fail(f"expected.{key} must be a list", ("expected", key))
        return [(self.line("expected", key, i), v) for i, v in enumerate(value)]


def _facts(spec: _Spec) -> Located:
    """The case facts as their own document, keeping the scenario's lines."""
    lines = {p[1:]: n for p, n in spec.located.lines.items() if p[:1] == ("facts",)}
    lines.setdefault((), spec.line("facts") or 1)
    return Located(spec.data["facts"], spec.file, lines)


def _deadline_words(due: _dt.date, status: str, met: _dt.date | None,
                    children: tuple[str, ...]) -> str:
    text = f"due {due.isoformat()} {status}"
    if met is not None:
        text += f" (met on {met.isoformat()})"
    if children:
        text += f" for {', '.join(children)}"
    return text


def _listing(items: Sequence[str]) -> str:
    return ", ".join(items) if items else "none"


class _Check:
    def __init__(self, spec: _Spec, ruleset: LoadedRuleset, ev: Evaluation) -> None:
        self.spec, self.ev = spec, ev
        self.known = {r.id for r in ruleset.rules}
        self.failures: list[Failure] = []

    def add(self, line: int | None, rule: str | None, message: str) -> None:
        self.failures.append(Failure(line, rule, message))

    def rule(self, line: int | None, item: Any, key: str) -> str | None:
        rule_id = item.get("rule") if isinstance(item, dict) else item
        if not isinstance(rule_id, str):
            self.spec.fail(f"expected.{key}: each item names a rule", ("expected", key))
        if rule_id not in self.known:
            self.add(line, rule_id, f"no such rule in the ruleset ({key})")
            return None
        return str(rule_id)

    def deadlines(self) -> None:
        by_rule: dict[str, list[tuple[int | None, dict[str, Any]]]] = {}
        for line, item in self.spec.items("deadlines"):
            if not isinstance(item, dict) or not {"rule", "due", "status"} <= set(item):
                self.spec.fail("each expected deadline has rule, due and status",
                               ("expected", "deadlines"))
            rule_id = self.rule(line, item, "deadlines")
            if rule_id is not None:
                by_rule.setdefault(rule_id, []).append((line, item))
        for rule_id, items in by_rule.items():
            with_children = any("children" in i for _, i in items)
            with_met = any(i.get("met_on") is not None for _, i in items)
            f = self.spec.file

            got = Counter(
                (d.due, str(d.status), d.met_by.date if d.met_by and with_met else None,
                 tuple(sorted(d.children)) if with_children else ())
                for d in self.ev.deadlines if d.rule_id == rule_id)
            want: Counter[tuple[_dt.date, str, _dt.date | None, tuple[str, ...]]] = Counter()
            lines: dict[tuple[Any, ...], int | None] = {}
            for line, i in items:
                met = i.get("met_on")
                k = (_date(i["due"], f"{rule_id} due", f, line), str(i["status"]),
                     _date(met, f"{rule_id} met_on", f, line) if met is not None else None,
                     tuple(sorted(str(c) for c in i.get("children", ()))))
                want[k] += 1
                lines.setdefault(k, line)
            missing, extra = want - got, got - want
            if not missing and not extra:
                continue
            line = min((n for k in missing if (n := lines.get(k)) is not None),
                       default=items[0][0])
            exp = [_deadline_words(*k) for k in sorted(missing.elements())]
            have = [_deadline_words(*k) for k in sorted(extra.elements())]
            self.add(line, rule_id, f"expected {_listing(exp) if exp else 'no other deadline'}"
                     f", got {_listing(have) if have else 'no such deadline'}")

    def absent(self) -> None:
        for line, item in self.spec.items("absent"):
            rule_id = self.rule(line, item, "absent")
            found = [d for d in self.ev.deadlines if d.rule_id == rule_id]
            if rule_id and found:
                self.add(line, rule_id, "expected no deadline, got " + _listing(
                    [_deadline_words(d.due, d.status, None, ()) for d in found]))

    def exactly(self, key: str, got: list[str]) -> None:
        if key not in self.spec.expected:
            return
        items = self.spec.items(key)
        want = [str(i) for _, i in items]
        if Counter(want) != Counter(got):
            missing, extra = Counter(want) - Counter(got), Counter(got) - Counter(want)
            what = key.replace("_", " ")
            self.add(self.spec.line("expected", key), None,
                     f"{what}: expected {_listing(sorted(want))}, got {_listing(sorted(got))}"
                     f" (missing: {_listing(sorted(missing.elements()))}; not expected: "
                     f"{_listing(sorted(extra.elements()))})")

    def decisions(self) -> None:
        ev = self.ev
        for line, item in self.spec.items("compliant"):
            if (rule_id := self.rule(line, item, "compliant")) is None:
                continue
            results = [c for c in ev.checks if c.rule_id == rule_id]
            if not results:
                self.add(line, rule_id, "expected compliant, got not applied to anything")
            elif not all(c.passed for c in results):
                self.add(line, rule_id, "expected compliant, got failed: " + "; ".join(
                    f"{c.subject.date.isoformat()} {c.detail}" for c in results if not c.passed))
        for line, item in self.spec.items("failed"):
            if (rule_id := self.rule(line, item, "failed")) is None:
                continue
            results = [c for c in ev.checks if c.rule_id == rule_id]
            if not any(not c.passed for c in results):
                self.add(line, rule_id, "expected failed, got " + (
                    "passed every time" if results else "not applied to anything"))
        for line, item in self.spec.items("not_applied"):
            if (rule_id := self.rule(line, item, "not_applied")) is None:
                continue
            applied = [c for c in ev.checks if c.rule_id == rule_id]
            if applied:
                self.add(line, rule_id, "expected not applied, got applied to " + "; ".join(
                    f"{c.subject.date.isoformat()} ({c.detail})" for c in applied))

    def findings(self) -> None:
        ev = self.ev
        for line, item in self.spec.items("no_violations"):
            if (rule_id := self.rule(line, item, "no_violations")) is None:
                continue
            found = [v.message for v in ev.violations if v.rule_id == rule_id]
            if found:
                self.add(line, rule_id, f"expected no violation, got {'; '.join(found)}")
        for key, findings in (("has_obligations", ev.obligations),
                              ("has_violations", ev.violations)):
            for line, item in self.spec.items(key):
                if (rule_id := self.rule(line, item, key)) is None:
                    continue
                children = (tuple(sorted(str(c) for c in item.get("children", ())))
                            if isinstance(item, dict) and "children" in item else None)
                same = [f for f in findings if f.rule_id == rule_id]
                if not [f for f in same if children is None
                        or tuple(sorted(f.children)) == children]:
                    what = key.split("_")[1][:-1]
                    for_whom = f" for {', '.join(children)}" if children else ""
                    got = "; ".join(f"one for {', '.join(f.children) or 'the case'}"
                                    for f in same) or "none"
                    self.add(line, rule_id, f"expected an {what}{for_whom}, got {got}")


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
    spec = _Spec(path)
    name = spec.data["ruleset"]
    if not isinstance(name, str):
        spec.fail("ruleset: give a bundled name or a path", ("ruleset",))
    target = Path(ruleset) if ruleset is not None else ruleset_path(name, path)
    as_of = _date(spec.data["as_of"], "as_of", spec.file, spec.line("as_of"))
    rs = _ruleset(target)
    case = case_from_data(_facts(spec))
    variant = spec.data.get("variant")
    ev = evaluate(rs, case, as_of=as_of, variant=str(variant) if variant else None)
    check = _Check(spec, rs, ev)
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
