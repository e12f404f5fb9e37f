"""The bundled rulesets, found by name.

In an installed wheel they live in the package (``cprules/rules``); in a source checkout
they are the top-level ``rules/`` folder.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from .errors import UnknownRulesetError
from .yamlio import DEFAULT_LIMITS, display_name

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
    if not isinstance(name_or_path, str):
        raise UnknownRulesetError(
            f"a ruleset is a bundled name or a path, not {type(name_or_path).__name__}")
    if len(name_or_path) > DEFAULT_LIMITS.max_path_chars:
        raise UnknownRulesetError(
            f"ruleset name or path too long: {len(name_or_path)} characters (limit "
            f"{DEFAULT_LIMITS.max_path_chars})",
            suggestion="give a bundled name or a path to a .yaml file",
        )
    names = bundled()
    if name_or_path in names:
        return names[name_or_path]
    path = Path(name_or_path)
    if path.suffix in {".yaml", ".yml", ".json"} or "/" in name_or_path or _exists(path):
        return path
    shown = display_name(name_or_path, 60)
    close = difflib.get_close_matches(name_or_path[:100], list(names), n=1)
    raise UnknownRulesetError(
        f"unknown ruleset '{shown}' (bundled: {', '.join(names) or 'none'})",
        suggestion=f"did you mean '{close[0]}'?" if close else "give a bundled name or a "
        "path to a .yaml file",
    )


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except (OSError, ValueError):  # a name too long, a NUL byte
        return False
