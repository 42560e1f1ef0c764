"""The case format: pydantic models with a Swedish description on every field."""

from arendegen.schema.case import Case
from arendegen.schema.documents import DOCUMENT_KINDS, Document

__all__ = ["DOCUMENT_KINDS", "Case", "Document"]
