"""One broken ruleset per loader failure mode (tests/invalid/). Each file states in its
first line what the error must say: the line, the field path, words of the message, the
suggestion and the rule id. Every one must be a RulesetError naming the file."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from cprules import CprulesError, RulesetError, load_ruleset

INVALID = Path(__file__).parent / "invalid"
FILES = sorted(INVALID.glob("*.yaml"))


def _expectations(path: Path) -> dict[str, str]:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# expect:"), f"{path.name} must start with '# expect:'"
    return dict(part.split("=", 1) for part in shlex.split(first[len("# expect:"):]))


def test_every_failure_mode_has_a_file() -> None:
    assert len(FILES) >= 20


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_invalid_ruleset(path: Path) -> None:
    want = _expectations(path)
    with pytest.raises(RulesetError) as caught:
        load_ruleset(path)
    err = caught.value
    detail = err.details[0]
    assert detail.file == str(path)
    assert str(path) in str(err)
    assert want["message"] in detail.message, detail.format()
    if "line" in want:
        assert detail.line == int(want["line"]), detail.format()
        assert f":{want['line']}" in str(err)
    if "path" in want:
        assert detail.path == want["path"], detail.format()
    if "suggestion" in want:
        assert detail.suggestion is not None and want["suggestion"] in detail.suggestion, (
            detail.format()
        )
    if "rule_id" in want:
        assert detail.rule_id == want["rule_id"], detail.format()


def test_non_utf8(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes(b"partnership: test\ntitle: Caf\xe9\n")
    with pytest.raises(RulesetError) as caught:
        load_ruleset(bad)
    assert caught.value.line == 2
    assert "UTF-8" in str(caught.value)


def test_bom_is_accepted(tmp_path: Path) -> None:
    source = (INVALID.parent.parent / "rules" / "york.yaml").read_bytes()
    with_bom = tmp_path / "york.yaml"
    with_bom.write_bytes(b"\xef\xbb\xbf" + source)
    assert load_ruleset(with_bom).partnership == "york"


def test_missing_file_and_unknown_name() -> None:
    with pytest.raises(RulesetError, match="no such file"):
        load_ruleset("does/not/exist.yaml")
    with pytest.raises(CprulesError) as caught:
        load_ruleset("yrok")
    assert caught.value.suggestion == "did you mean 'york'?"


def test_all_problems_are_reported(tmp_path: Path) -> None:
    text = (INVALID / "unknown_key.yaml").read_text()
    text = text.replace("kind: deadline", "kind: deadline\n    titel: x")
    f = tmp_path / "two.yaml"
    f.write_text(text)
    with pytest.raises(RulesetError) as caught:
        load_ruleset(f)
    messages = [d.message for d in caught.value.details]
    assert any("'titel'" in m for m in messages) and any("'withn'" in m for m in messages)
    assert re.search(r"\(2 problems\)", str(caught.value))
