"""Completion in the YAML view: the keys the case format allows where the cursor is.

The line being typed is replaced by a placeholder key at its indentation, the text is read
by the same loader as a case, and the placeholder's key path tells which model of the
schema the cursor is in (a document's kind chosen by its `typ`, as validation chooses it).
Its fields, less those the mapping already has, are offered with their descriptions.
"""

from __future__ import annotations

import re
from typing import Any

from arendegen.diagnostics import KeyPath

_MARK = "arendegen_markor"


def completions(text: str, offset: int) -> list[dict[str, str]]:
    from arendegen.loader import load_bytes
    from arendegen.schema import Case
    from arendegen.schema.introspect import model_at

    offset = max(0, min(offset, len(text)))
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    end = len(text) if end < 0 else end
    line = text[start:offset]
    found = re.match(r"(\s*(?:-\s+)*)([\wåäöÅÄÖ]*)$", line)
    if found is None:
        return []
    lead, typed = found.groups()
    probe = text[:start] + lead + f"{_MARK}: 0" + text[end:]
    loaded = load_bytes(probe.encode("utf-8"), file="x.yaml")
    if not loaded.ok or loaded.data is None:
        return []
    path = _where(loaded.data, ())
    if path is None:
        return []
    parent = _at(loaded.data, path)
    model = model_at(Case, loaded.data, path)
    if model is None or not isinstance(parent, dict):
        return []
    taken = set(parent) - {_MARK}
    return [
        {"nyckel": name, "beskrivning": field.description or ""}
        for name, field in model.model_fields.items()
        if name not in taken and name.startswith(typed)
    ]


def _where(data: Any, path: KeyPath) -> KeyPath | None:
    """The path of the mapping holding the placeholder."""
    if isinstance(data, dict):
        if _MARK in data:
            return path
        items: Any = data.items()
    elif isinstance(data, list):
        items = enumerate(data)
    else:
        return None
    for key, value in items:
        found = _where(value, (*path, key))
        if found is not None:
            return found
    return None


def _at(data: Any, path: KeyPath) -> Any:
    for part in path:
        data = data[part]
    return data
