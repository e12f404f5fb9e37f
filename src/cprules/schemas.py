"""JSON Schemas of the file formats, generated from the models.

The committed copies under ``schema/`` are what editors and case systems use; a test
fails when they are stale (regenerate with ``cprules schema ruleset > schema/ruleset.schema.json``).
"""

from __future__ import annotations

from typing import Any, Union

from pydantic import TypeAdapter

from .model.case import CASE_FORMAT, Case
from .model.diff import Comparison, ImpactReport, RulesetDiff
from .model.lines import ErrorLine, ResultLine, RuleTable, SummaryLine
from .model.results import Evaluation
from .model.ruleset import RULESET_FORMAT, Ruleset
from .schema_strict import StrictJsonSchema
from .schema_vocab import add_vocabulary

__all__ = [
    "SCHEMAS",
    "case_schema",
    "comparison_schema",
    "diff_schema",
    "evaluation_schema",
    "impact_schema",
    "result_line_schema",
    "rule_table_schema",
    "ruleset_schema",
]

#: Each schema's ``$id``: a URN naming the format and its version (``urn:cprules:schema:
#: ruleset:1``), which identifies it wherever the file is kept (no web address is claimed).
#: Editors find the file itself by path: ``docs/authoring.md``, "Checking as you type".
_BASE = "urn:cprules:schema"
_VERSION = "1"


def _wrap(schema: dict[str, Any], name: str, title: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{_BASE}:{name}:{_VERSION}",
        "title": title,
    }
    out.update({k: v for k, v in schema.items() if k != "title"})
    return out


def ruleset_schema() -> dict[str, Any]:
    """JSON Schema of a ruleset file (``cprules-ruleset/1``)."""
    schema = Ruleset.model_json_schema(by_alias=True, schema_generator=StrictJsonSchema)
    return _wrap(add_vocabulary(schema), "ruleset", f"cprules ruleset ({RULESET_FORMAT})")


def case_schema() -> dict[str, Any]:
    """JSON Schema of a case-facts file (``cprules-case/1``)."""
    return _wrap(Case.model_json_schema(by_alias=True, schema_generator=StrictJsonSchema), "case",
                 f"cprules case facts ({CASE_FORMAT})")


def evaluation_schema() -> dict[str, Any]:
    """JSON Schema of an evaluation result as JSON."""
    return _wrap(Evaluation.model_json_schema(by_alias=True, mode="serialization",
                                              schema_generator=StrictJsonSchema),
                 "evaluation", "cprules evaluation")


def diff_schema() -> dict[str, Any]:
    """JSON Schema of ``cprules diff --format json``."""
    return _wrap(RulesetDiff.model_json_schema(mode="serialization",
                                               schema_generator=StrictJsonSchema),
                 "diff", "cprules diff")


def comparison_schema() -> dict[str, Any]:
    """JSON Schema of ``cprules compare --format json``."""
    return _wrap(Comparison.model_json_schema(mode="serialization",
                                              schema_generator=StrictJsonSchema), "comparison",
                 "cprules comparison")


def impact_schema() -> dict[str, Any]:
    """JSON Schema of ``cprules impact --format json``."""
    return _wrap(ImpactReport.model_json_schema(mode="serialization",
                                                schema_generator=StrictJsonSchema), "impact",
                 "cprules impact report")


def result_line_schema() -> dict[str, Any]:
    """JSON Schema of one line of ``cprules evaluate --jsonl`` (compact form): a result,
    an error, or the closing summary record."""
    adapter: TypeAdapter[Any] = TypeAdapter(
        Union[ResultLine, ErrorLine, SummaryLine])  # noqa: UP007 - a union of models
    return _wrap(adapter.json_schema(mode="serialization", schema_generator=StrictJsonSchema),
                 "result-line", "cprules evaluate --jsonl: one line")


def rule_table_schema() -> dict[str, Any]:
    """JSON Schema of ``cprules rules NAME --format json``."""
    return _wrap(RuleTable.model_json_schema(mode="serialization",
                                             schema_generator=StrictJsonSchema),
                 "rule-table", "cprules rule table")


SCHEMAS = {
    "ruleset": ruleset_schema,
    "case": case_schema,
    "evaluation": evaluation_schema,
    "diff": diff_schema,
    "comparison": comparison_schema,
    "impact": impact_schema,
    "result-line": result_line_schema,
    "rule-table": rule_table_schema,
}
