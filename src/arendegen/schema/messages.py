"""Pydantic's validation errors, reworded in Swedish and placed at their line.

Pydantic reports a location such as `('handlingar', 1, 'protokollsutdrag', 'paragraf')`;
the union tag in it is not a key of the file, so we walk the data to find the real path.
"""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from arendegen import codes
from arendegen.diagnostics import Diagnostic, KeyPath, Rule
from arendegen.loader import Loaded
from arendegen.schema.introspect import description_at, model_at
from arendegen.schema.types import describe as _describe


def diagnostics_from(
    error: ValidationError, root: type[BaseModel], loaded: Loaded
) -> list[Diagnostic]:
    """Every error pydantic found, as a diagnostic at its place in the file."""
    result = []
    for detail in error.errors(include_url=False):
        path, _ = _data_path(loaded.data, detail["loc"])
        if detail["type"] == "union_tag_invalid":
            path = (*path, "typ")
        message = _message(detail, root, loaded.data, path)
        is_key = detail["type"] == "extra_forbidden"
        result.append(loaded.diagnostic(path, message, rule_of(detail), key=is_key))
    return result


_RULES = {
    "missing": codes.MISSING_KEY,
    "extra_forbidden": codes.UNKNOWN_KEY,
    "union_tag_invalid": codes.NOT_ALLOWED,
    "literal_error": codes.NOT_ALLOWED,
    "union_tag_not_found": codes.MISSING_KIND,
    "model_type": codes.NOT_MAPPING,
    "model_attributes_type": codes.NOT_MAPPING,
    "dict_type": codes.NOT_MAPPING,
    "list_type": codes.NOT_LIST,
    "bool_type": codes.NOT_BOOLEAN,
    "bool_parsing": codes.NOT_BOOLEAN,
    "too_long": codes.TOO_MANY_ITEMS,
    "too_short": codes.EMPTY_LIST,
}
"""The rule of each kind of pydantic error that _message words; the rest are INVALID_VALUE."""


def rule_of(detail: ErrorDetails) -> Rule:
    """The rule a pydantic error breaks: ours (schema/types.py `fail`) carry its code."""
    kind = detail["type"]
    return codes.RULES.get(kind) or _RULES.get(kind, codes.INVALID_VALUE)


def _data_path(data: Any, loc: tuple[int | str, ...]) -> tuple[KeyPath, bool]:
    """The path of keys and indexes in the data that `loc` points at."""
    path: list[str | int] = []
    current = data
    for at, part in enumerate(loc):
        if isinstance(current, dict):
            if part in current:
                path.append(part)
                current = current[part]
                continue
            # a union tag or dict-key marker is not a key of the file; a tag is never last
            # (the kind 'bilaga' has a key 'bilaga')
            tag = part == current.get("typ") and at < len(loc) - 1
            if tag or part == "[key]":
                continue
            path.append(part)
            return tuple(path), False
        if isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            path.append(part)
            current = current[part]
            continue
        if isinstance(part, str) and not isinstance(current, dict | list):
            continue  # a validator's name inside a union of plain values
        path.append(part)
        return tuple(path), False
    return tuple(path), True


_PACK_KEYS = frozenset(
    {"husregler", "rubriker", "dokumentnamn", "layouter", "sidhuvud", "sidfot", "stilmall"}
)
"""Keys of a pack's pack.yaml that a new user may type in a case."""


def _unknown_key(root: type[BaseModel], data: Any, path: KeyPath) -> str:
    field = str(path[-1])
    if len(path) == 1 and field in _PACK_KEYS:
        return (
            f"'{field}' är en inställning för mallpaketet, inte för ärendet: den står i "
            "paketets pack.yaml (gör ett eget paket med `arendegen pack ny NAMN --från "
            "kommun`, och välj det med `mall: NAMN`)"
        )
    allowed = sorted(_allowed_keys(root, data, path[:-1]))
    close = difflib.get_close_matches(field, allowed, n=1, cutoff=0.6)
    if close:
        return f"okänd nyckel '{field}'; menade du '{close[0]}'?"
    return f"okänd nyckel '{field}'; tillåtna nycklar här: {', '.join(allowed)}"


def _message(detail: ErrorDetails, root: type[BaseModel], data: Any, path: KeyPath) -> str:
    kind = detail["type"]
    ctx = detail.get("ctx", {})
    value = detail.get("input")
    if kind in codes.RULES:  # our own: the message is already the Swedish text
        return detail["msg"]
    if kind == "missing":
        field = path[-1] if path else ""
        hint = _description(root, data, path)
        return f"nyckeln '{field}' saknas" + (f" ({hint})" if hint else "")
    if kind == "extra_forbidden":
        return _unknown_key(root, data, path)
    if kind in {"union_tag_invalid", "literal_error"}:
        expected = _expected(ctx)
        close = difflib.get_close_matches(
            str(value if kind == "literal_error" else ctx.get("tag")), expected, n=1
        )
        shown = value if kind == "literal_error" else ctx.get("tag")
        hint = f"; menade du '{close[0]}'?" if close else ""
        return f"'{shown}' är inte tillåtet här; välj bland {', '.join(expected)}{hint}"
    if kind == "union_tag_not_found":
        return f"nyckeln '{ctx.get('discriminator', 'typ').strip(chr(39))}' saknas; den väljer vilken sorts post detta är"
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        return f"väntade en mappning (nycklar med kolon), men fick {_describe(value)}"
    if kind == "list_type":
        return f"väntade en lista (rader som börjar med '- '), men fick {_describe(value)}"
    if kind in {"bool_type", "bool_parsing"}:
        return f"väntade true eller false, men fick {_describe(value)}"
    if kind == "too_long":
        return f"för många poster ({ctx.get('actual_length')}); gränsen är {ctx.get('max_length')}"
    if kind == "too_short":
        return "listan är tom; minst en post behövs"
    return f"ogiltigt värde {_describe(value)} ({detail['msg']})"


def _expected(ctx: dict[str, Any]) -> list[str]:
    raw = str(ctx.get("expected_tags") or ctx.get("expected") or "")
    return [part.strip().strip("'") for part in raw.replace(" or ", ",").split(",") if part.strip()]


def _allowed_keys(root: type[BaseModel], data: Any, path: KeyPath) -> set[str]:
    model = model_at(root, data, path)
    return set(model.model_fields) if model else set()


def _description(root: type[BaseModel], data: Any, path: KeyPath) -> str | None:
    return description_at(root, data, path)
