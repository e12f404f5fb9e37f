"""A readable view of a ruleset (``cprules render``): :func:`build` the document, then
:func:`to_markdown` or :func:`to_html` (one self-contained page)."""

from .document import Document, build
from .html import to_html
from .markdown import to_markdown

__all__ = ["Document", "build", "render", "to_html", "to_markdown"]


def render(doc: Document, fmt: str = "markdown") -> str:
    """The document as ``markdown`` or ``html``."""
    return to_html(doc) if fmt == "html" else to_markdown(doc)
