"""The JSON Schema of the case format, for editors and for the field reference."""

from __future__ import annotations

from typing import Any

from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from arendegen import __version__
from arendegen.schema.case import Case


class _FieldDescriptionsOnly(GenerateJsonSchema):
    """Keep the Swedish field descriptions; drop the models' English docstrings; write
    standard JSON Schema 2020-12 only, which any validator reads in its strictest mode."""

    def tagged_union_schema(self, schema: core_schema.TaggedUnionSchema) -> JsonSchemaValue:
        # `discriminator` is OpenAPI's keyword, unknown to JSON Schema: a strict validator
        # refuses it. The members' `typ` constants say the same, and editors complete the
        # `typ` and then the keys of the kind it names from them.
        result = super().tagged_union_schema(schema)
        result.pop("discriminator", None)
        return result

    def model_schema(self, schema: core_schema.ModelSchema) -> JsonSchemaValue:
        result = super().model_schema(schema)
        result.pop("description", None)
        if getattr(schema["cls"], "ONE_LINE_FORM", False):
            # the one line is read as text, so a plain YAML number is one too
            one_line = [{"type": "string"}, {"type": "number"}]
            return {"anyOf": [*one_line, result], "title": result.get("title", "")}
        return result


def case_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of a case file."""
    schema = Case.model_json_schema(mode="validation", schema_generator=_FieldDescriptionsOnly)
    return {
        **schema,
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"arendegen-case-{__version__}",
        "title": "arendegen: ärendefil",
        "description": "Ett ärende: gemensamma uppgifter, text, tabeller och de handlingar det ger.",
    }
