"""The bundled rulesets, found by name.

In an installed wheel they live in the package (``cprules/rules``); in a source checkout
they are the top-level ``rules/`` folder.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from .errors import UnknownRulesetError

__all__ = ["bundled", "resolve", "rules_dir"]

_HERE = Path(__file__).resolve().parent


def rules_dir() -> Path:
    """The folder holding the bundled rulesets."""
    packaged = _HERE / "rules"
    if packaged.is_dir():
        return packaged
    return _HERE.parent.parent / "rules"


def bundled() -> dict[str, Path]:
    """Bundled ruleset names and their files, sorted by name."""
    folder = rules_dir()
    if not folder.is_dir():
        return {}
    return {p.stem: p for p in sorted(folder.glob("*.yaml"))}


def resolve(name_or_path: str | Path) -> Path:
    """A bundled name (``york``) or a path to a ruleset file."""
    if isinstance(name_or_path, Path):
        return name_or_path
    names = bundled()
    if name_or_path in names:
        return names[name_or_path]
    path = Path(name_or_path)
    if path.suffix in {".yaml", ".yml", ".json"} or path.exists() or "/" in name_or_path:
        return path
    close = difflib.get_close_matches(name_or_path, list(names), n=1)
    raise UnknownRulesetError(
        f"unknown ruleset '{name_or_path}' (bundled: {', '.join(names) or 'none'})",
        suggestion=f"did you mean '{close[0]}'?" if close else "give a bundled name or a "
        "path to a .yaml file",
    )
