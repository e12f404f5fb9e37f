"""Shared pieces of the models: the frozen base and the citation of a source."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .strict import strict_types

__all__ = ["Citation", "Frozen"]


class Frozen(BaseModel):
    """Immutable, and unknown keys are errors."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    # dates are ISO strings or dates, booleans true or false (cprules.model.strict)
    _strict_types = model_validator(mode="before")(strict_types)


class Citation(Frozen):
    """Where a rule comes from: the seed file, the paragraph or heading, a short quote."""

    file: str = Field(description="Source file name, one of the ruleset's sources.")
    section: str = Field(
        min_length=1, description="Paragraph number (e.g. '2.16') or heading."
    )
    quote: str = Field(
        min_length=3, max_length=600, description="Words copied exactly from the source."
    )
