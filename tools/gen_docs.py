"""Regenerate the generated sections of the docs from the models.

    python tools/gen_docs.py          # rewrite docs/case-facts.md's event reference
    python tools/gen_docs.py --check  # exit 1 when it is stale (the tests do this)
"""

from __future__ import annotations

import datetime
import enum
import sys
import typing
from pathlib import Path

from cprules.model.case import EVENT_MODELS, Attendee, RecordedFact

ROOT = Path(__file__).resolve().parent.parent
CASE_FACTS = ROOT / "docs" / "case-facts.md"
START, END = "<!-- generated: events -->", "<!-- end generated: events -->"
SKIP = {"type", "date", "at", "children", "note", "id"}


def _type_name(a: typing.Any) -> str:
    origin, args = typing.get_origin(a), typing.get_args(a)
    if origin is typing.Union or str(origin) == "<class 'types.UnionType'>":
        return " or ".join(_type_name(x) for x in args if x is not type(None))
    if origin is typing.Literal:
        return " / ".join(f"`{x}`" for x in args)
    if origin is tuple:
        return f"list of {_type_name(args[0])}"
    if origin is typing.Annotated:
        return _type_name(args[0])
    if isinstance(a, type) and issubclass(a, enum.Enum):
        if a is RecordedFact:
            return "recorded facts (below)"
        return " / ".join(f"`{m.value}`" for m in a)
    names = {datetime.date: "date", bool: "true/false", str: "text", Attendee: "attendee"}
    return names.get(a, getattr(a, "__name__", str(a)))


def events_section() -> str:
    out: list[str] = []
    for name, cls in EVENT_MODELS.items():
        out.append(f"### `{name}`\n")
        doc = " ".join((cls.__doc__ or "").split()).replace("``", "`")
        if doc:
            out.append(doc + "\n")
        rows = []
        for fname, f in cls.model_fields.items():
            if fname in SKIP:
                continue
            if f.is_required():
                req = "required"
            elif f.default in (None, ()):
                req = "optional"
            else:
                d = f.default.value if isinstance(f.default, enum.Enum) else f.default
                req = f"default `{str(d).lower() if isinstance(d, bool) else d}`"
            desc = " ".join((f.description or "").split())
            rows.append(f"| `{f.alias or fname}` | {_type_name(f.annotation)} | {req} | {desc} |")
        if rows:
            out.append("| field | values | | meaning |\n| --- | --- | --- | --- |")
            out.append("\n".join(rows) + "\n")
    out.append("### Recorded facts\n")
    out.append("Values of `recorded` on a conference or a `plan_end` event: facts that "
               "decision rules can require.\n")
    out.append("\n".join(f"- `{m.value}`" for m in RecordedFact) + "\n")
    return "\n".join(out)


def render(text: str) -> str:
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n\n{events_section()}\n{END}{tail}"


def main() -> int:
    text = CASE_FACTS.read_text()
    new = render(text)
    if "--check" in sys.argv:
        return 0 if new == text else 1
    CASE_FACTS.write_text(new)
    return 0


if __name__ == "__main__":
    sys.exit(main())
