"""Plain-English errors for the mistakes made when editing a ruleset by hand: a colon in
unquoted text, a line indented too far or not far enough (at the line at fault), a tab, a
date written 31/03/2025; and evaluate pointing to `cprules validate` for the full list."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_runner import cli
from cprules.yamlhints import date_hint, impossible_date, iso_date

ROOT = Path(__file__).parent.parent
YORK = (ROOT / "rules" / "york.yaml").read_text().splitlines(keepends=True)
TITLE = next(i for i, t in enumerate(YORK) if "title: Hold the initial child protection "
             "conference within 15" in t)  # icpc.timing: id, kind, title, responsible, ...


def _edited(tmp_path: Path, index: int, line: str) -> Path:
    lines = list(YORK)
    lines[index] = line
    path = tmp_path / "york.yaml"
    path.write_text("".join(lines))
    return path


@pytest.mark.parametrize(("offset", "line", "at", "words", "hint"), [
    (0, "    title: Hold the ICPC: within 15 working days\n", 0,
     "the text after 'title:' has a colon followed by a space",
     'put the text in quotes: title: "Hold the ICPC: within 15 working days"'),
    (1, "      responsible: Children's Social Care\n", 1,
     "is indented more than line", "line it up with line"),
    (1, "   responsible: Children's Social Care\n", 1,
     "is indented 3 spaces, which lines up with no line above it", "indent it 4 spaces"),
    # under-indented first line of the trigger: YAML reports the line after it
    (3, "     event: strategy_discussion\n", 3,
     "is indented 5 spaces, but the lines after it 6", "with the lines after it (6 spaces)"),
    (1, "\tresponsible: Children's Social Care\n", 1, "has a tab character",
     "indent with spaces, not tabs"),
])
def test_yaml_mistakes_in_plain_words(tmp_path: Path, offset: int, line: str, at: int,
                                      words: str, hint: str) -> None:
    path = _edited(tmp_path, TITLE + offset, line)
    code, out, err = cli("validate", str(path))
    assert code == 2, out + err
    assert f"york.yaml:{TITLE + at + 1}: invalid YAML: " in err, err
    assert words in err and hint in err and "(YAML: " in err


def test_dates_written_the_british_way(tmp_path: Path) -> None:
    index = next(i for i, t in enumerate(YORK) if t.strip() == "date: 2025-01-13")
    path = _edited(tmp_path, index, "    date: 13/01/2025\n")
    code, _, err = cli("validate", str(path))
    assert code == 2
    assert f"york.yaml:{index + 1}, field sources[0].date: write dates as 2025-01-13" in err
    case = tmp_path / "case.yaml"
    case.write_text("partnership: york\nchildren: [{id: c, date_of_birth: 2019-03-31}]\n"
                    "events:\n  - {type: strategy_discussion, date: 31/03/2025}\n")
    code, _, err = cli("evaluate", str(case))
    assert code == 2 and "case.yaml:4, field events[0].date: write dates as 2025-03-31" in err
    code, _, err = cli("evaluate", str(case), "--as-of", "31/03/2025")
    assert code == 2 and "write dates as 2025-03-31" in err


def test_date_helpers() -> None:
    assert iso_date("31/03/2025").isoformat() == "2025-03-31"  # type: ignore[union-attr]
    assert iso_date("1.4.2024").isoformat() == "2024-04-01"  # type: ignore[union-attr]
    assert iso_date("2024/04/01").isoformat() == "2024-04-01"  # type: ignore[union-attr]
    assert iso_date("31/02/2025") is None and iso_date("tomorrow") is None
    assert date_hint("31/02/2025") is None
    assert impossible_date("2024-02-30") == "2024-02-30 is not a date: February 2024 has 29 days"
    assert impossible_date("2024-02-29") is None


def test_evaluate_with_a_broken_ruleset_points_to_validate(tmp_path: Path) -> None:
    path = _edited(tmp_path, TITLE + 1, "      responsible: Children's Social Care\n")
    code, _, err = cli("evaluate", str(ROOT / "examples" / "york-case.yaml"), "-r", str(path))
    assert code == 2
    assert f"run `cprules validate {path}` for the full list" in err
