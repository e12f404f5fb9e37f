"""Plain-English explanations of the YAML mistakes people make by hand, and of dates
written the British way.

:func:`explain` turns a PyYAML syntax error ("mapping values are not allowed here",
"expected <block end>, but found '<block mapping start>'") into what went wrong, at the
line where it went wrong (an under-indented line is often reported a line late), with a
hint: a colon followed by a space in unquoted text, a line indented more than the line
above it, a line that lines up with nothing above it, a tab. :func:`iso_date` reads
``31/03/2025`` as the ISO date to write instead (``2025-03-31``).
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

__all__ = ["Explained", "date_hint", "explain", "impossible_date", "iso_date"]


@dataclass(frozen=True)
class Explained:
    line: int  # 0-based, in the text given
    message: str
    hint: str


_OPENS = re.compile(r"(:|^-|[:\s][|>][-+]?\d*)\s*$")
_KEY = re.compile(r"^(\s*(?:-\s+)?)([^\s#'\"{\[][^:#]*?):\s+(.*)$")


def _strip_comment(line: str) -> str:
    out, quote = [], None
    for i, c in enumerate(line):
        if quote:
            if c == quote:
                quote = None
        elif c in "'\"":
            quote = c
        elif c == "#" and (i == 0 or line[i - 1] in " \t"):
            break
        out.append(c)
    return "".join(out).rstrip()


def _significant(lines: list[str], i: int, step: int) -> int | None:
    j = i + step
    while 0 <= j < len(lines):
        s = lines[j].strip()
        if s and not s.startswith("#") and s not in ("---", "..."):
            return j
        j += step
    return None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _child_indent(line: str) -> int:
    """Where the keys of a ``- key: value`` item line up: after the dash."""
    m = re.match(r"^(\s*)-\s+", line)
    return len(m.group(0)) if m else _indent(line)


def _opens(line: str) -> bool:
    return bool(_OPENS.search(_strip_comment(line)))


def _quoted(value: str) -> str:
    return f"'{value}'" if '"' in value else f'"{value}"'


def _colon(lines: list[str], n: int, col: int) -> Explained | None:
    """``title: Hold the ICPC: within 15 days``: the second ': ' starts a mapping."""
    line = lines[n]
    m = _KEY.match(line)
    if m is None:
        return None
    key_end = len(m.group(1)) + len(m.group(2))
    value = _strip_comment(m.group(3))
    if col <= key_end or ": " not in value + " ":
        return None
    return Explained(
        n, f"the text after '{m.group(2).strip()}:' has a colon followed by a space, which "
        "YAML reads as the start of another field",
        f"put the text in quotes: {m.group(1).lstrip('-').strip()}{m.group(2).strip()}: "
        f"{_quoted(value)}".replace("  ", " ").strip())


def _over(lines: list[str], n: int) -> Explained | None:
    """A line indented more than the line above, which already has its value."""
    p = _significant(lines, n, -1)
    if p is None or _opens(lines[p]) or _indent(lines[n]) <= _child_indent(lines[p]):
        return None
    pp = _significant(lines, p, -1)
    nxt = _significant(lines, n, 1)
    if (pp is not None and _opens(lines[pp]) and nxt is not None
            and _indent(lines[nxt]) == _indent(lines[n]) > _indent(lines[p])):
        # the first line of a block is the odd one out: the lines after it agree
        return Explained(
            p, f"line {p + 1} is indented {_indent(lines[p])} spaces, but the lines after "
            f"it {_indent(lines[n])}", f"line up line {p + 1} with the lines after it "
            f"({_indent(lines[n])} spaces)")
    return Explained(
        n, f"line {n + 1} is indented more than line {p + 1}, which already has its "
        "value, so YAML cannot read it as a field",
        f"line it up with line {p + 1} ({_child_indent(lines[p])} spaces), or, if it "
        "continues the text above, put that text in quotes or after '>-'")


def _levels(lines: list[str], n: int) -> list[int]:
    """The indents a line at ``n`` may line up with: those of the blocks still open."""
    levels: list[int] = []
    floor = _indent(lines[n]) + 10**6
    j = n
    while (j := _significant(lines, j, -1)) is not None:  # type: ignore[assignment]
        ind = _indent(lines[j])
        if ind < floor:
            levels += [ind, _child_indent(lines[j])]
            floor = ind
        if ind == 0:
            break
    return sorted(set(levels))


def _under(lines: list[str], n: int) -> Explained | None:
    """A line that lines up with no block above it."""
    for k in (n, _significant(lines, n, -1)):
        if k is None:
            continue
        ind = _indent(lines[k])
        levels = _levels(lines, k)
        if ind in levels or not levels:
            continue
        nearest = min(levels, key=lambda v: (abs(v - ind), -v))
        return Explained(
            k, f"line {k + 1} is indented {ind} spaces, which lines up with no line above it",
            f"indent it {nearest} spaces, like the lines of the same rule or list around it")
    return None


def explain(text: str, problem: str, line: int, column: int) -> Explained | None:
    """A plain explanation of a YAML syntax error reported at ``line``, ``column``
    (0-based), or None when none of the known mistakes fits."""
    lines = text.splitlines()
    if not 0 <= line < len(lines):
        return None
    if "\t" in lines[line][: column + 1] or "tab" in problem:
        return Explained(line, f"line {line + 1} has a tab character in its indentation",
                         "indent with spaces, not tabs")
    if problem.startswith("mapping values are not allowed"):
        return _colon(lines, line, column) or _over(lines, line) or _under(lines, line)
    if "expected <block end>" in problem or "did not find expected" in problem:
        return _under(lines, line) or _over(lines, line)
    return None


# --- dates ----------------------------------------------------------------------------------

_DMY = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\s*$")
_YMD = re.compile(r"^\s*(\d{4})[/.](\d{1,2})[/.](\d{1,2})\s*$")


def iso_date(text: str) -> _dt.date | None:
    """``31/03/2025`` (day first, as written in England), ``31.03.2025``, ``2025/03/31``:
    the date meant, or None when the text is not such a date."""
    m = _DMY.match(text)
    if m:
        d, mo, y = (int(g) for g in m.groups())
    elif (m := _YMD.match(text)) is not None:
        y, mo, d = (int(g) for g in m.groups())
    else:
        return None
    try:
        return _dt.date(y, mo, d)
    except ValueError:
        return None


def impossible_date(text: str) -> str | None:
    """``2025-04-31``: "April 2025 has 30 days"; None for a real date."""
    try:
        _dt.date.fromisoformat(text)
        return None
    except ValueError:
        pass
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})", text)
    if m is None:
        return None
    y, mo, _ = (int(g) for g in m.groups())
    if not 1 <= mo <= 12:
        return f"{text} is not a date: there is no month {mo} (write year-month-day)"
    last = (_dt.date(y + mo // 12, mo % 12 + 1, 1) - _dt.timedelta(days=1)).day
    return f"{text} is not a date: {_dt.date(y, mo, 1):%B %Y} has {last} days"


def date_hint(value: object) -> str | None:
    """``write dates as 2025-03-31`` for ``31/03/2025``; None when it is not such a date."""
    if not isinstance(value, str):
        return None
    day = iso_date(value)
    if day is None:
        return None
    return f"write dates as {day.isoformat()} (year-month-day), not {value.strip()}"
