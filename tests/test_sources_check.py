"""`cprules validate --sources DIR`: every quote against the text its rule cites, each text's
SHA-256 against the one the ruleset recorded. Run against ../shared/seeds (the texts beside
the checkout); with CI=true set a missing folder fails the suite instead of skipping."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from cli_runner import cli
from cprules.quotes import check_sources, normalise
from cprules.registry import bundled

ROOT = Path(__file__).parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"


def _seeds() -> Path:
    if not SEEDS.is_dir():
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"{SEEDS} is missing: CI checks every quote against the texts")
        pytest.skip("../shared/seeds not present (set CI=true to make this a failure)")
    return SEEDS


@pytest.mark.parametrize("name", sorted(bundled()))
def test_every_bundled_quote_is_in_its_text(name: str) -> None:
    seeds = _seeds()
    code, out, err = cli("validate", str(ROOT / "rules" / f"{name}.yaml"), "--sources",
                         str(seeds))
    assert code == 0, out + err
    assert "sources ok" in out and "no sha256 recorded" not in out


@pytest.fixture
def texts(tmp_path: Path) -> Path:
    folder = tmp_path / "texts"
    shutil.copytree(_seeds(), folder)
    return folder


def _york_with(tmp_path: Path, old: str, new: str) -> Path:
    path = tmp_path / "york.yaml"
    text = (ROOT / "rules" / "york.yaml").read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return path


def test_a_made_up_quote_is_reported_with_the_closest_passage(tmp_path: Path,
                                                               texts: Path) -> None:
    path = _york_with(tmp_path, "The record will be sent within 15 working days of the "
                      "Conference.", "The record will be sent within 10 working days of the "
                      "Conference.")
    code, out, err = cli("validate", str(path), "--sources", str(texts))
    assert code == 1, out + err
    line = next(n for n, t in enumerate(path.read_text().splitlines(), 1)
                if "within 10 working days of the Conference" in t)
    assert f"york.yaml:{line}, rule record.distribution" in err
    assert 'quote not found in 000_84de5436ccf44314.txt: "The record will be sent within 10' in err
    assert ('closest, 000_84de5436ccf44314.txt line 310: "The record will be sent within 15 '
            'working days of the Conference."') in err
    assert "1 quotes not found" in out


def test_quote_marks_whitespace_and_emphasis_are_normalised() -> None:
    assert normalise("the  \u2018child\u2019s\u2019 \u201cplan\u201d\n **15 working days**") == (
        "the 'child's' \"plan\" 15 working days")


def test_a_changed_text_lists_the_rules_citing_it(tmp_path: Path, texts: Path) -> None:
    seed = texts / "004_7952f2b2b8fc3388.txt"
    seed.write_text(seed.read_text() + "\nA new paragraph of version 2.\n")
    problems = check_sources(ROOT / "rules" / "kirklees.yaml", texts)
    (changed,) = [p for p in problems if p.kind == "changed"]
    assert changed.detail.line == 12 and changed.detail.path == "sources[0].sha256"
    assert "004_7952f2b2b8fc3388.txt has changed since the ruleset recorded it" in (
        changed.detail.message)
    assert "icpc.timing" in changed.detail.message and "record.distribution" in (
        changed.detail.message)
    code, out, err = cli("validate", str(ROOT / "rules" / "kirklees.yaml"), "--sources",
                         str(texts))
    assert code == 1 and "need a look" in err and "1 texts changed" in out


def test_a_missing_text_and_a_missing_folder(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    code, _, err = cli("validate", "york", "--sources", str(tmp_path / "empty"))
    assert code == 1 and "no text 000_84de5436ccf44314.txt in" in err
    code, _, err = cli("validate", "york", "--sources", str(tmp_path / "nowhere"))
    assert code == 2 and "no such folder" in err


def test_quotes_in_lists_and_dated_versions_are_checked(tmp_path: Path, texts: Path) -> None:
    path = tmp_path / "north_yorkshire.yaml"
    text = (ROOT / "rules" / "north_yorkshire.yaml").read_text()
    old = "quote: Exclusion at one conference is not reason enough in itself"
    assert old in text
    path.write_text(text.replace(old, "quote: Exclusion at one conference is reason enough", 1))
    (problem,) = [p for p in check_sources(path, texts) if p.kind == "quote"]
    assert problem.detail.path is not None and problem.detail.path.startswith("vocabularies.")
    york = _york_with(tmp_path, "quote: Change to paragraph 3.17 from one working day to three "
                      "working days", "quote: Change to paragraph 3.17 from one day to three")
    (problem,) = [p for p in check_sources(york, texts) if p.kind == "quote"]
    assert problem.detail.rule_id == "outline_plan.distribution"
    assert problem.detail.path is not None and ".within[0].source.quote" in problem.detail.path
