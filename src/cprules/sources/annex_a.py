"""Ofsted's Annex A (List 5, section 47 enquiries; List 7, children on a plan).

:func:`read` takes an ``.xlsx`` workbook (openpyxl, read-only; openpyxl parses the
workbook's XML through defusedxml when it is installed, as it is with this extra) or a
folder of CSV files, one a list. Sheets and files are found by name (``List 5``,
``list_5.csv``, ``Annex A List 7``); headers are matched by pattern, because their
spelling varies between authorities and years; values are read in their several
spellings (``a) Yes``/``Yes``, ``a) Neglect``/``NEG``, dates as spreadsheet dates or text).
Rows of List 5 and List 7 are joined by child id: one case per child. Every problem names
its sheet, row and column, and the rest is read.

Annex A files are small (one row per child per list), so the two lists are read whole
before the children are joined; the census reader is the one that streams.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..errors import ErrorDetail
from .build import ChildFacts, PlanFacts, S47Facts, build
from .errors import SourceError
from .records import ChildRecord, Problem
from .values import (
    is_blank,
    normalise_header,
    parse_bool,
    parse_category,
    parse_date,
    parse_id,
    strip_prefix,
)

__all__ = ["LIST5_COLUMNS", "LIST7_COLUMNS", "read"]

Row = tuple[int, tuple[Any, ...]]
#: (field, header pattern, required). Matched in this order, each header used once;
#: headers starting "number of" are matched by no date or category field.
LIST5_COLUMNS: tuple[tuple[str, str, bool], ...] = (
    ("child_id", r"child.*(unique|\bid\b)|^(child |person |client )?id$", True),
    ("dob", r"date.*birth|birth.*date|\bdob\b", False),
    ("strategy", r"strategy|(s47|section 47).*start", True),
    ("unnecessary", r"unnecessary|not required|deemed", False),
    ("icpc", r"^(date|icpc).*(conference|icpc)|(conference|icpc).*date", False),
    ("made_plan", r"result.*plan|led to.*plan", False),
    ("team", r"team", False),
    ("worker", r"worker", False),
)
LIST7_COLUMNS: tuple[tuple[str, str, bool], ...] = (
    ("child_id", LIST5_COLUMNS[0][1], True),
    ("dob", LIST5_COLUMNS[1][1], False),
    ("plan_start", r"(plan|\bcpp?\b).*start|start.*(plan|\bcpp?\b)", True),
    ("plan_end", r"(plan|\bcpp?\b).*\bend|\bend.*(plan|\bcpp?\b)", False),
    ("initial_category", r"initial.*categ", False),
    ("latest_category", r"(latest|current).*categ", False),
    ("seen_alone", r"alone", False),
    ("visit", r"visit", False),
    ("review", r"review", False),
    ("team", r"team", False),
    ("worker", r"worker", False),
)
#: Optional columns whose absence changes the deadlines: a warning names what is lost.
_WARN_IF_MISSING = {
    "icpc": "no initial conference is read, every enquiry looks still open",
    "plan_end": "no plan end is read, every plan looks still open",
    "review": "no review conference is read",
    "visit": "no statutory visit is read",
}
_LIST = {5: re.compile(r"list[\s_-]*0?5(?!\d)", re.I), 7: re.compile(r"list[\s_-]*0?7(?!\d)", re.I)}
_NA = frozenset({"#n/a", "n/a", "na", "#value!", "#ref!"})
#: Annex A's third answer to its yes/no questions (``c) Unknown``): no answer, not an error.
_UNKNOWN = frozenset({"unknown", "not known", "not recorded", "u"})


def _yes_no(value: object) -> tuple[bool | None, str | None]:
    """Yes/no as :func:`parse_bool`, with ``c) Unknown`` read as not known."""
    if isinstance(value, str) and strip_prefix(value).lower() in _UNKNOWN:
        return None, None
    return parse_bool(value)


_INVALID: dict[Callable[[object], tuple[Any, str | None]], str] = {
    parse_date: "invalid_date", _yes_no: "invalid_boolean", parse_category: "invalid_category",
}


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


class _Sheet:
    """One list's rows, its header mapped to fields."""

    def __init__(self, name: str, rows: list[Row], spec: tuple[tuple[str, str, bool], ...],
                 file: str, problems: list[Problem]) -> None:
        self.name = name
        self.file = file
        self.columns: dict[str, int] = {}
        self.headers: list[str] = []
        self.rows: list[Row] = []
        header_at = next((i for i, (_, cells) in enumerate(rows[:10]) if any(
            re.search(spec[0][1], normalise_header(c)) for c in cells)), None)
        if header_at is None:
            problems.append(Problem(code="no_header", message="no header row with a child "
                                    "id column in the first 10 rows; sheet skipped",
                                    file=file, sheet=name))
            return
        self.headers = [str(c or "").replace("\xa0", " ").strip() for c in rows[header_at][1]]
        self.rows = rows[header_at + 1:]
        taken: set[int] = set()
        for fld, pattern, required in spec:
            rx = re.compile(pattern)
            for i, header in enumerate(self.headers):
                text = normalise_header(header)
                if i in taken or not text or (text.startswith("number") and fld != "child_id"):
                    continue
                if rx.search(text):
                    self.columns[fld] = i
                    taken.add(i)
                    break
            else:
                if required or fld in _WARN_IF_MISSING:
                    skipped = ("sheet skipped" if fld == "child_id" else
                               "rows read without it" if required else _WARN_IF_MISSING[fld])
                    problems.append(Problem(code="missing_column", message=f"no column for "
                                            f"{fld.replace('_', ' ')} (header like "
                                            f"/{pattern}/i); {skipped}", file=file,
                                            sheet=name,
                                            severity="error" if required else "warning"))
                    if fld == "child_id":
                        self.rows = []

    def column_name(self, fld: str) -> str:
        i = self.columns[fld]
        return f"{_column_letter(i)}: {self.headers[i]}"


class _Reader:
    def __init__(self, file: str) -> None:
        self.file = file
        self.facts: dict[str, ChildFacts] = {}
        self.sheet_problems: list[Problem] = []

    def cell(self, sheet: _Sheet, fld: str, row: Row, parse: Callable[[object],
             tuple[Any, str | None]], child: ChildFacts | None) -> Any:
        if fld not in sheet.columns:
            return None
        i = sheet.columns[fld]
        cells = row[1]
        raw = cells[i] if i < len(cells) else None
        value, issue = parse(raw)
        if issue:
            text = str(raw).strip().lower() if isinstance(raw, str) else ""
            code = ("formula" if text.startswith("=") else "not_available" if text in _NA
                    else "missing_value" if is_blank(raw)
                    else _INVALID.get(parse, "invalid_value"))
            problem = Problem(code=code, message=issue, file=self.file,
                              child_id=child.child_id if child else None, sheet=sheet.name,
                              row=row[0], column=sheet.column_name(fld),
                              severity="warning" if value is not None else "error")
            (child.problems if child else self.sheet_problems).append(problem)
        return value

    def text(self, value: object) -> tuple[str | None, str | None]:
        if is_blank(value):
            return None, None
        text = strip_prefix(str(value))
        if text.lower() in _NA or text.startswith("="):
            return None, f"'{text[:40]}' (no value)"
        return " ".join(text.split()), None

    def child(self, sheet: _Sheet, row: Row) -> ChildFacts | None:
        child_id = self.cell(sheet, "child_id", row, parse_id, None)
        if child_id is None:
            return None
        facts = self.facts.get(child_id)
        if facts is None:
            facts = self.facts[child_id] = ChildFacts(
                child_id=child_id, loc={"sheet": sheet.name, "row": row[0]})
        dob = self.cell(sheet, "dob", row, parse_date, facts)
        if dob and facts.date_of_birth and dob != facts.date_of_birth:
            facts.problems.append(Problem(code="conflicting_values", message=f"date of birth "
                                          f"{dob} here, {facts.date_of_birth} in an earlier "
                                          "row", file=self.file, child_id=child_id,
                                          sheet=sheet.name, row=row[0],
                                          column=sheet.column_name("dob"), severity="warning"))
        facts.date_of_birth = facts.date_of_birth or dob
        team = self.cell(sheet, "team", row, self.text, facts)
        worker = self.cell(sheet, "worker", row, self.text, facts)
        if team or worker:
            facts.team, facts.worker = team or facts.team, worker or facts.worker
        return facts

    def list5(self, sheet: _Sheet) -> None:
        for row in sheet.rows:
            if all(is_blank(c) for c in row[1]):
                continue
            facts = self.child(sheet, row)
            if facts is None or "strategy" not in sheet.columns:
                continue
            start = self.cell(sheet, "strategy", row, parse_date, facts)
            unnecessary = self.cell(sheet, "unnecessary", row, _yes_no, facts)
            icpc = self.cell(sheet, "icpc", row, parse_date, facts)
            made_plan = self.cell(sheet, "made_plan", row, _yes_no, facts)
            loc = {"sheet": sheet.name, "row": row[0]}
            if start is None:
                kept = f" (its initial conference on {icpc} is kept)" if icpc else ""
                facts.problems.append(Problem(
                    code="missing_value", message="no usable strategy discussion date: the "
                    f"row's enquiry is left out{kept}", file=self.file,
                    child_id=facts.child_id, sheet=sheet.name, row=row[0],
                    column=sheet.column_name("strategy")))
                if icpc:
                    facts.unanchored.append((icpc, made_plan, loc))
                continue
            facts.s47s.append(S47Facts(start=start, anchor_kind="strategy_discussion",
                                       loc=loc, conference=icpc,
                                       not_required=bool(unnecessary), made_plan=made_plan))

    def list7(self, sheet: _Sheet) -> None:
        for row in sheet.rows:
            if all(is_blank(c) for c in row[1]):
                continue
            facts = self.child(sheet, row)
            if facts is None or "plan_start" not in sheet.columns:
                continue
            start = self.cell(sheet, "plan_start", row, parse_date, facts)
            if start is None:
                facts.problems.append(Problem(
                    code="missing_value", message="no usable plan start date: the row's plan "
                    "is left out", file=self.file, child_id=facts.child_id, sheet=sheet.name,
                    row=row[0], column=sheet.column_name("plan_start")))
                continue
            review = self.cell(sheet, "review", row, parse_date, facts)
            visit = self.cell(sheet, "visit", row, parse_date, facts)
            if visit is not None and visit < start:
                facts.problems.append(Problem(
                    code="visit_before_plan", message=f"last statutory visit {visit} is "
                    f"before the plan started on {start}", file=self.file,
                    child_id=facts.child_id, sheet=sheet.name, row=row[0],
                    column=sheet.column_name("visit"), severity="warning"))
            plan = PlanFacts(
                start=start, loc={"sheet": sheet.name, "row": row[0]},
                end=self.cell(sheet, "plan_end", row, parse_date, facts),
                initial_category=self.cell(sheet, "initial_category", row, parse_category,
                                           facts),
                latest_category=self.cell(sheet, "latest_category", row, parse_category,
                                          facts),
                reviews=[review] if review else [], last_visit=visit,
                seen_alone=self.cell(sheet, "seen_alone", row, _yes_no, facts))
            same = next((q for q in facts.plans if (q.start, q.end) == (plan.start, plan.end)),
                        None)
            if same is None:
                facts.plans.append(plan)
                continue
            # The same plan in a second row: read once, keeping every date either row gives.
            facts.problems.append(Problem(
                code="duplicate_plan", message=f"the plan {start} to {plan.end or 'open'} "
                f"is also in row {same.loc['row']}; read once", file=self.file,
                child_id=facts.child_id, sheet=sheet.name, row=row[0],
                column=sheet.column_name("plan_start"), severity="warning"))
            same.reviews = sorted({*same.reviews, *plan.reviews})
            if plan.last_visit and (same.last_visit is None or plan.last_visit > same.last_visit):
                same.last_visit, same.seen_alone = plan.last_visit, plan.seen_alone


def _xlsx(path: Path) -> tuple[dict[str, list[Row]], _dt.date | None]:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise SourceError(f"cannot open {path} as a workbook: {exc}", file=str(path),
                          suggestion="save it as .xlsx, or export each list to CSV") from None
    try:
        sheets: dict[str, list[Row]] = {}
        for ws in wb.worksheets:
            if any(rx.search(ws.title) for rx in _LIST.values()):
                try:
                    sheets[ws.title] = [(n, tuple(r)) for n, r in
                                        enumerate(ws.iter_rows(values_only=True), start=1)]
                except Exception as exc:  # a damaged sheet: openpyxl's XML parser, zip
                    raise SourceError(f"cannot read sheet '{ws.title}' of {path}: "
                                      f"{type(exc).__name__}: {exc}", file=str(path),
                                      suggestion="open and save the workbook again in "
                                      "Excel, or export each list to CSV") from None
        made = wb.properties.created or wb.properties.modified
    finally:
        wb.close()
    return sheets, made.date() if made else None


def _csv_folder(path: Path) -> tuple[dict[str, list[Row]], _dt.date | None]:
    try:
        files = sorted(f for f in path.iterdir() if f.suffix.lower() == ".csv")
    except OSError as exc:
        raise SourceError(f"cannot read {path}: {exc.strerror}", file=str(path)) from None
    return _csv_files(files)


def _csv_files(files: list[Path]) -> tuple[dict[str, list[Row]], _dt.date | None]:
    """The lists among CSV files (by name), one row a record: a quoted cell may hold a
    line break, and the row numbers are the spreadsheet's."""
    sheets: dict[str, list[Row]] = {}
    stamps = []
    for f in files:
        if not any(rx.search(f.stem) for rx in _LIST.values()):
            continue
        try:
            raw = f.read_bytes()
            stamps.append(_dt.date.fromtimestamp(f.stat().st_mtime))
        except OSError as exc:
            raise SourceError(f"cannot read {f}: {exc.strerror}", file=str(f)) from None
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors="replace")
        try:
            sheets[f.name] = [(n, tuple(r)) for n, r in
                              enumerate(csv.reader(io.StringIO(text, newline="")), start=1)]
        except csv.Error as exc:
            raise SourceError(f"cannot read {f} as CSV: {exc}", file=str(f)) from None
    return sheets, max(stamps) if stamps else None


def _open(p: Path) -> tuple[dict[str, list[Row]], _dt.date | None]:
    if p.is_dir():
        return _csv_folder(p)
    if p.suffix.lower() == ".csv":
        return _csv_files([p])
    return _xlsx(p)


def read_extract_date(path: str | Path) -> _dt.date | None:
    """The day the Annex A file was made (workbook property, or the CSVs' time)."""
    p = Path(path)
    return _open(p)[1]


def read(path: str | Path) -> Iterator[ChildRecord]:
    """Yield one :class:`ChildRecord` per child of List 5 and List 7, joined by child id.

    Problems in a row are on its child's record; problems with a whole sheet (no header,
    a missing required column) on the first child's. Raises :class:`SourceError` when
    the file cannot be opened or has neither list.
    """
    p = Path(path)
    if not p.exists():
        raise SourceError(f"cannot read {p}: no such file or folder", file=str(p))
    sheets, made = _open(p)
    reader = _Reader(str(p))
    found = {n: [name for name in sheets if _LIST[n].search(Path(name).stem)] for n in _LIST}
    if not found[5] and not found[7]:
        raise SourceError(f"{p} has no List 5 or List 7", file=str(p),
                          suggestion="name the sheets (or CSV files) 'List 5' and 'List 7'")
    for n, missing in ((5, "section 47 enquiries"), (7, "children on a plan")):
        if not found[n]:
            reader.sheet_problems.append(Problem(code="missing_list", message=f"no List {n} "
                                                 f"({missing})", file=str(p),
                                                 severity="warning"))
    read_sheets: list[_Sheet] = []
    for n, spec, list_reader in ((5, LIST5_COLUMNS, reader.list5),
                                 (7, LIST7_COLUMNS, reader.list7)):
        for name in found[n]:
            sheet = _Sheet(name, sheets[name], spec, str(p), reader.sheet_problems)
            read_sheets.append(sheet)
            list_reader(sheet)
    pending = reader.sheet_problems
    if not reader.facts:
        headed = [s.name for s in read_sheets if s.headers]
        rows = any(not all(is_blank(c) for c in cells) for s in read_sheets
                   for _, cells in s.rows)
        if headed and not rows:
            raise SourceError(f"no child in {p}: {' and '.join(repr(n) for n in headed)} "
                              f"{'has' if len(headed) == 1 else 'have'} a header row but no rows "
                              "under it", file=str(p),
                              suggestion="export the lists with their rows")
        raise SourceError(f"no child could be read from {p}", file=str(p),
                          details=[ErrorDetail(message=x.format(), file=str(p))
                                   for x in pending] or (),
                          suggestion="check the List 5 and List 7 headers")
    for facts in reader.facts.values():
        planned = [s for s in facts.s47s if s.made_plan and s.conference]
        if found[7] and planned and not facts.plans:
            facts.problems.append(Problem(
                code="plan_not_in_list_7", message=f"the initial conference on "
                f"{planned[-1].conference} made a plan, but the child is not in List 7: "
                "visits and reviews cannot be checked", file=str(p), child_id=facts.child_id,
                severity="warning", **planned[-1].loc))
        if pending:
            facts.problems[:0] = pending
            pending = []
        yield build(facts, "annex_a", file=str(p), extract_date=made)
