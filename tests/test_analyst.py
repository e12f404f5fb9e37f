"""For analysts: `diff` compares conditions by meaning (key order, the order of
alternatives and one-or-list ignored), `compare --format json` is structured and `--format
csv` exists, `--exit-code` on diff and impact, a missing path is an error, `impact
--format markdown` with a per-rule summary, and no Python reprs in the words."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from cli_runner import cli
from cprules.compare import diff

ROOT = Path(__file__).parent.parent
#: Lists whose order means something (or that the diff lines up by id).
ORDERED = {"rules", "sources", "revisions", "notes", "within", "at_least", "interval",
           "period", "variants"}


def _shuffled(node: Any, key: str | None = None) -> Any:
    """Every mapping's keys and every unordered list reversed; where-values as lists."""
    if isinstance(node, dict):
        out = {k: _shuffled(v, k) for k, v in reversed(list(node.items()))}
        if key in ("where", "field"):
            out = {k: v if isinstance(v, list) or v is None else [v] for k, v in out.items()}
        return out
    if isinstance(node, list):
        items = [_shuffled(v) for v in node]
        return items if key in ORDERED else items[::-1]
    return node


def _nested(node: Any) -> Any:
    """Every condition wrapped once more: {all: [c]} and a field condition on several
    fields split into one per field."""
    if isinstance(node, dict):
        out = {k: _nested(v) for k, v in node.items()}
        for key in ("when", "require"):
            cond = out.get(key)
            if isinstance(cond, dict) and "field" in cond and len(cond["field"]) > 1:
                out[key] = {"all": [{"field": {k: v}} for k, v in cond["field"].items()]}
            elif isinstance(cond, dict):
                out[key] = {"all": [cond]}
        return out
    if isinstance(node, list):
        return [_nested(v) for v in node]
    return node


def _copy(tmp_path: Path, name: str, how: Any) -> Path:
    data = yaml.safe_load((ROOT / "rules" / f"{name}.yaml").read_text())
    path = tmp_path / f"{name}-{how.__name__}.yaml"
    path.write_text(yaml.safe_dump(how(data), sort_keys=False, allow_unicode=True))
    return path


@pytest.mark.parametrize("how", [_shuffled, _nested])
@pytest.mark.parametrize("name", ["york", "derby", "north_yorkshire", "kirklees"])
def test_the_same_rules_written_differently_are_the_same(tmp_path: Path, name: str,
                                                         how: Any) -> None:
    variant = ":derby_city" if name == "derby" else ""
    d = diff(f"{name}{variant}", f"{_copy(tmp_path, name, how)}{variant}")
    assert (d.changed, d.only_a, d.only_b) == (0, 0, 0), [
        (r.rule_id, c.field, c.a, c.b) for r in d.rules for c in r.changes]


@pytest.mark.parametrize("other", ["derby:derby_city", "north_yorkshire", "kirklees"])
def test_york_against_others_does_not_depend_on_how_york_is_written(tmp_path: Path,
                                                                     other: str) -> None:
    before = diff("york", other)
    for how in (_shuffled, _nested):
        after = diff(str(_copy(tmp_path, "york", how)), other)
        assert [(r.rule_id, r.status, r.changes) for r in after.rules] == [
            (r.rule_id, r.status, r.changes) for r in before.rules]


def test_diff_exit_code_and_missing_path(tmp_path: Path) -> None:
    assert cli("diff", "york", "kirklees")[0] == 0
    assert cli("diff", "york", "kirklees", "--exit-code")[0] == 1
    assert cli("diff", "york", str(_copy(tmp_path, "york", _shuffled)), "--exit-code")[0] == 0
    code, _, err = cli("diff", "york", str(tmp_path / "missing.yaml"))
    assert code == 2 and "no such file" in err


def test_compare_json_is_structured() -> None:
    code, out, _ = cli("compare", "york@v10", "york@v11", "kirklees", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert [c["label"] for c in data["columns"]] == ["york@v10", "york@v11", "kirklees"]
    rules = {r["rule_id"]: r["cells"] for r in data["rules"]}
    v10, v11, kirklees = rules["outline_plan.distribution"]
    assert v10["timescale"] == {"relation": "within", "values": [
        {"count": 1, "unit": "working days", "from": None, "until": None}],
        "after": None, "field": None, "parts": []}
    assert v11["timescale"]["values"][0]["count"] == 3
    assert kirklees["timescale"]["values"][0] == {"count": 24, "unit": "hours", "from": None,
                                                  "until": None}
    assert v11["file"] == "000_84de5436ccf44314.txt" and v11["section"] == "3.17"
    assert v11["quote"].startswith("A written copy of the outline")
    assert rules["cin.review_date_set"][0] is None  # York lacks the rule
    code, out, _ = cli("compare", "york", "derby:derby_city", "--format", "json")
    rules = {r["rule_id"]: r["cells"] for r in json.loads(out)["rules"]}
    york, derby = rules["review.pre_birth"]
    assert york["timescale"]["values"][0] == {"count": 1, "unit": "months", "from": None,
                                              "until": None}
    t = derby["timescale"]
    assert t["relation"] == "sooner" and [p["values"][0]["count"] for p in t["parts"]] == [3, 1]
    assert [p["values"][0]["unit"] for p in t["parts"]] == ["months", "months"]


def test_compare_csv_one_row_per_rule_and_ruleset() -> None:
    code, out, _ = cli("compare", "york", "kirklees", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    york = {r["rule_id"]: r for r in rows if r["ruleset"] == "york"}
    assert york["visits.statutory"]["count"] == "10"
    assert york["visits.statutory"]["unit"] == "working days"
    assert york["visits.statutory"]["relation"] == "every"
    dated = [r for r in rows if r["rule_id"] == "outline_plan.distribution"
             and r["ruleset"] == "york"]
    assert [(r["count"], r["from"], r["until"]) for r in dated] == [
        ("1", "", "2024-07-30"), ("3", "2024-07-31", "")]
    assert york["cin.review_date_set"]["present"] == "false"


def test_impact_exit_code_markdown_and_summary(tmp_path: Path) -> None:
    cases = str(ROOT / "examples" / "york-case.yaml")
    assert cli("impact", "york@v10", "york@v11", cases)[0] == 0
    code, out, _ = cli("impact", "york@v10", "york@v11", cases, "--exit-code")
    assert code == 1
    assert "outline_plan.distribution: due 2024-06-11 -> 2024-06-13, 2 days later (2 working " \
           "days)" in out
    assert re.search(r"By rule:\n\s+RULE\s+DEADLINES MOVED", out)
    assert cli("impact", "york", "york", cases, "--exit-code")[0] == 0
    code, md, _ = cli("impact", "york@v10", "york@v11", cases, "-f", "markdown")
    assert md.startswith("# Impact: york@v10 -> york@v11\n")
    assert ("| `outline_plan.distribution` | 1 | 1 | 2 days later | 2 working days later |"
            in md)
    assert "## By case" in md
    code, out, _ = cli("impact", "york@v10", "york@v11", cases, "-f", "json")
    (summary,) = json.loads(out)["rules"]
    assert summary["rule_id"] == "outline_plan.distribution" and summary["max_days"] == 2
    code, _, err = cli("impact", "york", "york", str(tmp_path / "nothing"))
    assert code == 2 and "no such file or folder" in err


def test_no_python_reprs_in_the_words() -> None:
    names = ["york", "derby:derby_city", "derby:derbyshire", "north_yorkshire", "kirklees"]
    text = "".join(cli("diff", a, b, "--all")[1] for a in names for b in names if a < b)
    text += cli("impact", "york@v10", "york@v11", str(ROOT / "examples"))[1]
    words = "\n".join(line for line in text.splitlines() if "cited" not in line)
    for bad in (r"\bTrue\b", r"\bFalse\b", r"\bNone\b", r"\b1 [a-z]+ies\b",
                r"\b1 (?:grounds|days|categories)\b", r"[+-]\d+ days", r"\[\]|\{\}"):
        assert not re.search(bad, words), (bad, re.search(bad, words))


def test_moves_in_words() -> None:
    from cprules.compare.impact_render import _range, shift_words

    assert shift_words(3, 2) == "3 days later (2 working days)"
    assert shift_words(-1, -1) == "1 day earlier (1 working day)"
    assert _range(1, 3, "day") == "1 to 3 days later"
    assert _range(-3, -1, "working day") == "1 to 3 working days earlier"
    assert _range(-2, 1, "day") == "2 days earlier to 1 day later"
    assert _range(0, 2, "working day") == "no working days to 2 working days later"
