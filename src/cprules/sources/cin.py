"""The DfE Children in Need census (XML), read child by child.

:func:`read` streams the file through defusedxml's hardened expat parser (no DTDs, no
entity expansion, no external entities, no network), 64 KiB at a time. Only the current
``<Child>`` is held in memory, as a small tree with the line of each element, so every
problem is reported with its line and element and a 50,000-child census never sits in
memory whole. Census years 2017 to 2026 are read alike: ``GenderCurrent`` (to 2023-24) or
``Sex`` (from 2024-25), booleans as ``true``/``false``/``0``/``1``, optional elements
absent. The mapping to case facts is in ``docs/data-sources.md``.

>>> for record in read("census.xml"):                       # doctest: +SKIP
...     print(record.child_id, len(record.problems))
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, ParseError

from .build import ChildFacts, PlanFacts, S47Facts, build
from .errors import SourceError
from .records import ChildRecord, Problem
from .values import parse_bool, parse_category, parse_date

__all__ = ["read"]

_CHUNK = 64 * 1024
_CENSUS_YEARS = range(2017, 2027)
_GENDER_CURRENT = frozenset({"0", "1", "2", "9"})
_SEX = frozenset({"M", "F", "U"})
#: Dates that may lie after the reference date without being wrong.
_FUTURE_OK = frozenset({"ExpectedPersonBirthDate", "InitialCPCtarget"})
#: Date elements read into the case (checked where they are read).
_USED_DATES = frozenset({"PersonBirthDate", "ExpectedPersonBirthDate", "PersonDeathDate",
                         "S47ActualStartDate", "DateOfInitialCPC", "CPPstartDate",
                         "CPPendDate", "CPPreviewDate"})


@dataclass(slots=True)
class _Node:
    tag: str
    line: int
    text: list[str] = field(default_factory=list)
    children: list[_Node] = field(default_factory=list)

    def value(self) -> str:
        return "".join(self.text).strip()

    def all(self, tag: str) -> list[_Node]:
        return [c for c in self.children if c.tag == tag]

    def first(self, tag: str) -> _Node | None:
        for c in self.children:
            if c.tag == tag:
                return c
        return None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


class _Target:
    """Parser target: header fields, then one :class:`_Node` tree per ``<Child>``."""

    def __init__(self) -> None:
        self.parser: Any = None
        self.stack: list[_Node] = []
        self.header: dict[str, tuple[str, int | None]] = {}
        self.done: list[tuple[_Node, list[tuple[int, str, str]]]] = []
        self.stray: list[tuple[int, str, str]] = []
        self._header_text: list[str] = []
        self._header_tag = ""
        self._end_line = 0
        self._names: dict[str, str] = {}

    def _line(self) -> int:
        return int(self.parser.CurrentLineNumber)

    def start(self, tag: str, attrib: object) -> None:
        name = self._names.get(tag)
        if name is None:
            name = self._names[tag] = _local(tag)
        stack = self.stack
        if stack or name == "Child":
            node = _Node(name, self.parser.CurrentLineNumber)
            if stack:
                stack[-1].children.append(node)
            stack.append(node)
        else:
            self._header_text = []
            self._header_tag = name

    def data(self, text: str) -> None:
        stack = self.stack
        if not stack:
            self._header_text.append(text)
            return
        top = stack[-1]
        if not top.children:
            top.text.append(text)
        elif text.strip():
            # Text is buffered until the next tag: count its line from the previous end tag.
            lead = len(text) - len(text.lstrip())
            line = self._end_line + text[:lead].count("\n")
            after = top.children[-1].tag
            self.stray.append((line, top.tag, f"'{text.strip()[:40]}' after <{after}>"))

    def end(self, tag: str) -> None:
        self._end_line = line = self.parser.CurrentLineNumber
        stack = self.stack
        if stack:
            node = stack.pop()
            if not stack:
                self.done.append((node, self.stray))
                self.stray = []
        elif self._header_tag in ("Collection", "Year", "ReferenceDate"):
            self.header[self._header_tag] = ("".join(self._header_text).strip(), line)
            self._header_tag = ""

    def close(self) -> None:
        return None


class _Child:
    """Turns one ``<Child>`` tree into :class:`ChildFacts`, with its problems."""

    def __init__(self, node: _Node, file: str, reference: _dt.date | None) -> None:
        self.node = node
        self.file = file
        self.reference = reference
        ident = node.first("ChildIdentifiers")
        la_id = ident.first("LAchildID") if ident else None
        self.child_id = la_id.value() if la_id and la_id.value() else f"line-{node.line}"
        self.problems: list[Problem] = []
        if la_id is None or not la_id.value():
            self.problem("missing_element", "no LAchildID: the child is named by its line",
                         node, "ChildIdentifiers/LAchildID", "error")

    def problem(self, code: str, message: str, node: _Node, element: str,
                severity: str = "error") -> None:
        self.problems.append(Problem(code=code, message=message, file=self.file,
                                     child_id=self.child_id, line=node.line,
                                     element=element, severity=severity))  # type: ignore[arg-type]

    def date(self, parent: _Node | None, tag: str, where: str,
             required: bool = False) -> _dt.date | None:
        node = parent.first(tag) if parent else None
        element = f"{where}/{tag}"
        if node is None:
            if required and parent is not None:
                self.problem("missing_element", f"<{tag}> is required here", parent, element)
            return None
        day, issue = parse_date(node.value())
        if issue:
            self.problem("invalid_date", issue, node, element)
        elif day is None and required:
            self.problem("missing_element", f"<{tag}> is empty", node, element)
        elif day is not None:
            if day.year < 1900:
                self.problem("implausible_date", f"{day} is before 1900", node, element,
                             "warning")
            elif (self.reference and day > self.reference and tag not in _FUTURE_OK):
                self.problem("after_reference_date", f"{day} is after the census reference "
                             f"date {self.reference}", node, element, "warning")
        return day

    def flag(self, parent: _Node, tag: str, where: str) -> bool:
        node = parent.first(tag)
        if node is None:
            self.problem("missing_element", f"<{tag}> is required here (taken as false)",
                         parent, f"{where}/{tag}")
            return False
        value, issue = parse_bool(node.value())
        if issue or value is None:
            self.problem("invalid_boolean", f"{issue or 'empty'} (true, false, 1 or 0; taken "
                         "as false)", node, f"{where}/{tag}")
            return False
        return value

    def category(self, plan: _Node, tag: str, where: str) -> str | None:
        node = plan.first(tag)
        if node is None:
            self.problem("missing_element", f"<{tag}> is required here", plan,
                         f"{where}/{tag}", "warning")
            return None
        value, issue = parse_category(node.value())
        if issue:
            self.problem("invalid_category", issue, node, f"{where}/{tag}")
        return value

    def identifiers(self, facts: ChildFacts) -> None:
        ident = self.node.first("ChildIdentifiers")
        where = "ChildIdentifiers"
        if ident is None:
            self.problem("missing_element", "<ChildIdentifiers> is required", self.node, where)
            return
        facts.date_of_birth = self.date(ident, "PersonBirthDate", where)
        facts.expected_birth = self.date(ident, "ExpectedPersonBirthDate", where)
        facts.death = self.date(ident, "PersonDeathDate", where)
        if facts.death and facts.date_of_birth and facts.death < facts.date_of_birth:
            self.problem("death_before_birth", f"death {facts.death} is before birth "
                         f"{facts.date_of_birth}", ident, f"{where}/PersonDeathDate")
        gender, sex = ident.first("GenderCurrent"), ident.first("Sex")
        if gender is None and sex is None:
            self.problem("missing_element", "neither <Sex> (2024-25 on) nor <GenderCurrent>",
                         ident, f"{where}/Sex", "warning")
        elif sex is not None and sex.value() not in _SEX:
            hint = " (a GenderCurrent code)" if sex.value() in _GENDER_CURRENT else ""
            self.problem("invalid_code", f"Sex '{sex.value()[:20]}'{hint} is not M, F or U",
                         sex, f"{where}/Sex", "warning")
        elif gender is not None and sex is None and gender.value() not in _GENDER_CURRENT:
            self.problem("invalid_code", f"GenderCurrent '{gender.value()[:20]}' is not 0, "
                         "1, 2 or 9", gender, f"{where}/GenderCurrent", "warning")

    def episode(self, cin: _Node, facts: ChildFacts) -> None:
        where = "CINdetails"
        s47_starts: list[_dt.date] = []
        icpc_days: set[_dt.date] = set()
        for s47 in cin.all("Section47"):
            w = f"{where}/Section47"
            start = self.date(s47, "S47ActualStartDate", w, required=True)
            target = self.date(s47, "InitialCPCtarget", w)
            held = self.date(s47, "DateOfInitialCPC", w)
            not_required = self.flag(s47, "ICPCnotRequired", w)
            if start is None:
                if held:  # the conference was held: kept, without its anchor
                    icpc_days.add(held)
                    facts.unanchored.append((held, None, {"line": s47.line, "element": w}))
                continue
            s47_starts.append(start)
            if held:
                icpc_days.add(held)
            facts.s47s.append(S47Facts(start=start, anchor_kind="s47_start", target=target,
                                       conference=held, not_required=not_required,
                                       loc={"line": s47.line, "element": w}))
        own = self.date(cin, "DateOfInitialCPC", where)
        if own and own not in icpc_days:
            facts.other_conferences.append((own, {"line": cin.line, "element": where}))
        seen: set[tuple[_dt.date, _dt.date | None]] = set()
        for plan in cin.all("ChildProtectionPlans"):
            w = f"{where}/ChildProtectionPlans"
            start = self.date(plan, "CPPstartDate", w, required=True)
            end = self.date(plan, "CPPendDate", w)
            initial = self.category(plan, "InitialCategoryOfAbuse", w)
            latest = self.category(plan, "LatestCategoryOfAbuse", w)
            if plan.first("NumberOfPreviousCPP") is None:
                self.problem("missing_element", "<NumberOfPreviousCPP> is required here",
                             plan, f"{w}/NumberOfPreviousCPP", "warning")
            reviews_node = plan.first("Reviews")
            reviews: list[_dt.date] = []
            for r in reviews_node.all("CPPreviewDate") if reviews_node else []:
                day = self._review(r, f"{w}/Reviews")
                if day is not None:
                    reviews.append(day)
            if start is None:
                continue
            if (start, end) in seen:
                self.problem("duplicate_plan", f"the plan {start} to {end or 'open'} is "
                             "given twice; read once", plan, w, "warning")
                continue
            seen.add((start, end))
            if s47_starts and start < min(s47_starts):
                self.problem("plan_before_s47", f"the plan starts on {start}, before its "
                             f"section 47 enquiry started on {min(s47_starts)}",
                             plan.first("CPPstartDate") or plan, f"{w}/CPPstartDate",
                             "warning")
            facts.plans.append(PlanFacts(start=start, end=end, initial_category=initial,
                                         latest_category=latest, reviews=reviews,
                                         loc={"line": plan.line, "element": w}))

    def _review(self, node: _Node, where: str) -> _dt.date | None:
        holder = _Node("Reviews", node.line, children=[node])
        return self.date(holder, "CPPreviewDate", where)

    def _other_dates(self, node: _Node, where: str) -> None:
        """Check the dates of elements the case does not use (assessments, referrals)."""
        for child in node.children:
            path = f"{where}/{child.tag}" if where else child.tag
            if child.children:
                self._other_dates(child, path)
            elif child.tag.endswith("Date") and child.tag not in _USED_DATES:
                holder = _Node(node.tag, node.line, children=[child])
                self.date(holder, child.tag, where)

    def facts(self, stray: list[tuple[int, str, str]]) -> ChildFacts:
        for line, element, text in stray:
            self.problems.append(Problem(code="stray_text", message=f"stray text {text}",
                                         file=self.file, child_id=self.child_id, line=line,
                                         element=element, severity="warning"))
        facts = ChildFacts(child_id=self.child_id, loc={"line": self.node.line})
        self.identifiers(facts)
        episodes = self.node.all("CINdetails")
        if not episodes:
            self.problem("missing_element", "no <CINdetails>", self.node, "CINdetails",
                         "warning")
        for cin in episodes:
            self.episode(cin, facts)
        self._other_dates(self.node, "")
        self.problems.sort(key=lambda p: p.line or 0)
        facts.problems = self.problems
        return facts


def _header(target: _Target, file: str) -> tuple[_dt.date | None, list[Problem]]:
    problems: list[Problem] = []
    ref_text, ref_line = target.header.get("ReferenceDate", ("", None))
    reference, issue = parse_date(ref_text)
    if reference is None:
        problems.append(Problem(code="missing_element" if not issue else "invalid_date",
                                message=issue or "no <ReferenceDate> in the header: give "
                                "--as-of", file=file, line=ref_line,
                                element="Header/CollectionDetails/ReferenceDate"))
    year_text, year_line = target.header.get("Year", ("", None))
    if not (year_text.isdigit() and int(year_text) in _CENSUS_YEARS):
        problems.append(Problem(code="unknown_year", message=f"census year '{year_text}' is "
                                "not one of 2017-2026; read as the nearest format",
                                file=file, line=year_line, severity="warning",
                                element="Header/CollectionDetails/Year"))
    return reference, problems


def read(path: str | Path) -> Iterator[ChildRecord]:
    """Yield one :class:`ChildRecord` per ``<Child>`` of a CIN census file, in order.

    Problems in a child are on its record (with line and element); problems in the
    header are on the first child's. Raises :class:`SourceError` (with the line) when
    the file is not well-formed XML or declares entities or a DTD.
    """
    file = str(path)
    target = _Target()
    parser = DefusedXMLParser(target=target, forbid_dtd=True)
    # defusedxml's hardened expat parser (its DTD, entity and external-entity handlers
    # stay installed); the content handlers go straight to the target, skipping
    # ElementTree's per-element wrappers, which the census does not need.
    expat = target.parser = parser.parser
    expat.StartElementHandler = target.start
    expat.EndElementHandler = target.end
    expat.CharacterDataHandler = target.data
    header_problems: list[Problem] | None = None
    reference: _dt.date | None = None
    ids: set[str] = set()
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed in finally, a generator
    except OSError as exc:
        raise SourceError(f"cannot read {file}: {exc.strerror}", file=file) from None
    try:
        while True:
            chunk = handle.read(_CHUNK)
            fault: SourceError | None = None
            try:
                if chunk:
                    parser.feed(chunk)
                else:
                    parser.close()
            except ParseError as exc:
                line = exc.position[0] if exc.position else None
                fault = SourceError(f"not well-formed XML: {exc}", file=file, line=line,
                                    suggestion="check the file is a complete CIN census "
                                    "export")
            except DefusedXmlException as exc:
                fault = SourceError(f"refused: {exc} (DTDs and entities are not allowed)",
                                    file=file, line=target._line())
            for node, stray in target.done:  # children completed before any fault
                if header_problems is None:
                    reference, header_problems = _header(target, file)
                child = _Child(node, file, reference)
                facts = child.facts(stray)
                if facts.child_id in ids:
                    child.problem("duplicate_child_id", f"LAchildID {facts.child_id} was "
                                  "already given for an earlier child", node,
                                  "ChildIdentifiers/LAchildID", "warning")
                ids.add(facts.child_id)
                if header_problems:
                    facts.problems = [*header_problems, *facts.problems]
                    header_problems = []
                yield build(facts, "cin", file=file, extract_date=reference)
            target.done.clear()
            if fault is not None:
                raise fault
            if not chunk:
                break
    finally:
        handle.close()
    if header_problems is None:
        raise SourceError("no <Child> elements: not a CIN census file", file=file,
                          suggestion="a census has Message/Children/Child elements")
