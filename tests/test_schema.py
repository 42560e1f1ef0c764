"""The schema as one source: every field described, docs generated from it and up to date."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from arendegen.docs import field_reference
from arendegen.packs import PackConfig
from arendegen.schema import Case
from arendegen.schema.introspect import element_type, options
from conftest import ROOT


def models(root: type[BaseModel]) -> set[type[BaseModel]]:
    seen: set[type[BaseModel]] = set()
    todo = [root]
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.add(model)
        for field in model.model_fields.values():
            for annotation in (field.annotation, element_type(field.annotation)):
                for option in options(annotation):
                    if isinstance(option, type) and issubclass(option, BaseModel):
                        todo.append(option)
    return seen


def test_every_field_has_a_description() -> None:
    undocumented = [
        f"{m.__name__}.{name}"
        for m in models(Case) | models(PackConfig)
        for name, field in m.model_fields.items()
        if not field.description
    ]
    assert undocumented == []


def test_every_model_forbids_unknown_keys() -> None:
    assert [m.__name__ for m in models(Case) if m.model_config.get("extra") != "forbid"] == []


def test_field_reference_in_docs_is_up_to_date() -> None:
    committed = (ROOT / "docs" / "case-format.md").read_text(encoding="utf-8")
    assert committed == field_reference(), "kör: arendegen schema --markdown > docs/case-format.md"


def test_field_reference_covers_every_key() -> None:
    text = field_reference()
    for model in models(Case):
        for name in model.model_fields:
            assert f"`{name}`" in text, f"{model.__name__}.{name}"


def test_editors_schema_offers_every_kind_of_document_and_table() -> None:
    from arendegen.schema.documents import DOCUMENT_KINDS
    from arendegen.schema.jsonschema import case_schema
    from arendegen.schema.tables import TABLE_KINDS

    schema = case_schema()

    def kinds(union: dict[str, Any]) -> set[str]:
        """The `typ` values the members of a `oneOf` take, each by `const` or `enum`."""
        found: set[str] = set()
        for member in union["oneOf"]:
            typ = schema["$defs"][member["$ref"].split("/")[-1]]["properties"]["typ"]
            found.update(typ["enum"] if "enum" in typ else [typ["const"]])
        return found

    assert kinds(schema["properties"]["handlingar"]["items"]) == set(DOCUMENT_KINDS)
    assert kinds(schema["properties"]["tabeller"]["additionalProperties"]) == set(TABLE_KINDS)


def test_a_case_builds_only_the_validators_of_the_kinds_it_uses() -> None:
    # Building every kind's validator cost 20–45 ms of a one-case `arendegen validate`.
    import subprocess
    import sys

    probe = (
        "from pathlib import Path\n"
        "from arendegen.validate import check_file\n"
        "from arendegen.schema import documents, tables\n"
        "result = check_file(Path('cases/examples/kf-2025-investering-forskola.yaml'))\n"
        "assert result.case is not None and not result.errors, result.diagnostics\n"
        "built = [m.__name__ for m in {**documents.DOCUMENT_KINDS, **tables.TABLE_KINDS}.values()\n"
        "         if m.__pydantic_complete__]\n"
        "print(sorted(set(built)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "['AnnexDocument', 'GridTable', 'InvestmentTable', 'Memorandum']"
