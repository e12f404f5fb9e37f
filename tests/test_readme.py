"""The README's two set-up commands stay true: CI runs the test command verbatim, and the
example command names files that exist."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parent.parent


def _commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    setup = text.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```\n(.+?)\n```", setup)


def test_exactly_two_setup_commands() -> None:
    cmds = _commands()
    assert len(cmds) == 2
    assert "cprules evaluate" in cmds[0] and "pytest" in cmds[1]


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    assert _commands()[1] in ci.splitlines()


def test_example_command_files_exist() -> None:
    first = _commands()[0]
    for word in first.split():
        if word.endswith((".yaml", ".json")):
            assert (ROOT / word).is_file(), word


def test_case_facts_event_reference_is_current() -> None:
    import sys

    sys.path.insert(0, str(ROOT / "tools"))
    import gen_docs

    text = (ROOT / "docs" / "case-facts.md").read_text()
    assert gen_docs.render(text) == text, "run python tools/gen_docs.py"


def test_case_facts_doc_lists_every_event_type_and_field() -> None:
    from cprules.model.case import EVENT_MODELS

    doc = (ROOT / "docs" / "case-facts.md").read_text()
    for name, cls in EVENT_MODELS.items():
        assert f"### `{name}`" in doc, f"docs/case-facts.md does not document {name}"
        for field_name, f in cls.model_fields.items():
            assert f"`{f.alias or field_name}`" in doc, f"{name}.{field_name} undocumented"


def test_readme_python_examples_run() -> None:
    import contextlib
    import io
    import os

    blocks = re.findall(r"```python\n(.+?)```", (ROOT / "README.md").read_text(), re.S)
    assert blocks
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        namespace: dict[str, object] = {}
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            for block in blocks:
                exec(compile(block, "README.md", "exec"), namespace)
    finally:
        os.chdir(cwd)
    printed = out.getvalue()
    # the README states what these print
    assert "reports.chair.icpc 2024-06-05 met 1.7" in printed
    assert "True []" in printed
