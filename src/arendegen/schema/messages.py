"""Pydantic's validation errors, reworded in Swedish and placed at their line.

Pydantic reports a location such as `('handlingar', 1, 'protokollsutdrag', 'paragraf')`;
the union tag in it is not a key of the file, so we walk the data to find the real path.
"""

from __future__ import annotations

import difflib
import types
from collections.abc import Iterator
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from arendegen.diagnostics import Diagnostic, KeyPath
from arendegen.loader import Loaded


def diagnostics_from(error: ValidationError, root: type[BaseModel], loaded: Loaded) -> list[Diagnostic]:
    """Every error pydantic found, as a diagnostic at its place in the file."""
    result = []
    for detail in error.errors(include_url=False):
        path, data_found = _data_path(loaded.data, detail["loc"])
        message = _message(detail, root, loaded.data, path)
        is_key = detail["type"] == "extra_forbidden"
        result.append(loaded.diagnostic(path, message, key=is_key))
    return result


def _data_path(data: Any, loc: tuple[int | str, ...]) -> tuple[KeyPath, bool]:
    """The path of keys and indexes in the data that `loc` points at."""
    path: list[str | int] = []
    current = data
    for part in loc:
        if isinstance(current, dict):
            if part in current:
                path.append(part)
                current = current[part]
                continue
            if part == current.get("typ") or part == "[key]":
                continue  # a union tag or dict-key marker, not a key of the file
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


def _message(detail: ErrorDetails, root: type[BaseModel], data: Any, path: KeyPath) -> str:
    kind = detail["type"]
    ctx = detail.get("ctx", {})
    value = detail.get("input")
    if kind == "sv":
        return detail["msg"]
    if kind == "missing":
        field = path[-1] if path else ""
        hint = _description(root, data, path)
        return f"nyckeln '{field}' saknas" + (f" ({hint})" if hint else "")
    if kind == "extra_forbidden":
        field = str(path[-1])
        allowed = sorted(_allowed_keys(root, data, path[:-1]))
        close = difflib.get_close_matches(field, allowed, n=1, cutoff=0.6)
        if close:
            return f"okänd nyckel '{field}'; menade du '{close[0]}'?"
        return f"okänd nyckel '{field}'; tillåtna nycklar här: {', '.join(allowed)}"
    if kind in {"union_tag_invalid", "literal_error"}:
        expected = _expected(ctx)
        close = difflib.get_close_matches(str(value if kind == "literal_error" else ctx.get("tag")), expected, n=1)
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
    if kind == "too_short":
        return "listan är tom; minst en post behövs"
    return f"ogiltigt värde {_describe(value)} ({detail['msg']})"


def _expected(ctx: dict[str, Any]) -> list[str]:
    raw = str(ctx.get("expected_tags") or ctx.get("expected") or "")
    return [part.strip().strip("'") for part in raw.replace(" or ", ",").split(",") if part.strip()]


def _describe(value: Any) -> str:
    if value is None:
        return "ett tomt värde"
    if isinstance(value, bool):
        return f"ja/nej-värdet {str(value).lower()}"
    if isinstance(value, dict):
        return "en mappning"
    if isinstance(value, list):
        return "en lista"
    return f"'{value}'"


def _model_at(root: type[BaseModel], data: Any, path: KeyPath) -> type[BaseModel] | None:
    """The model that validates the mapping at `path` in `data`."""
    current: Any = root
    node = data
    for part in path:
        model = _pick(current, node)
        if model is not None:
            field = model.model_fields.get(str(part))
            if field is None:
                return None
            current = field.annotation
        else:
            current = _element_type(current)
            if current is None:
                return None
        node = node[part] if isinstance(node, dict | list) and _has(node, part) else None
    return _pick(current, node)


def _has(node: dict[str, Any] | list[Any], part: str | int) -> bool:
    if isinstance(node, dict):
        return part in node
    return isinstance(part, int) and 0 <= part < len(node)


def _options(annotation: Any) -> Iterator[Any]:
    origin = get_origin(annotation)
    if origin is Annotated:
        yield from _options(get_args(annotation)[0])
    elif origin in {Union, types.UnionType}:
        for arg in get_args(annotation):
            yield from _options(arg)
    else:
        yield annotation


def _pick(annotation: Any, node: Any) -> type[BaseModel] | None:
    """The model among `annotation`'s options that fits `node` (by its `typ`, if several)."""
    models = [o for o in _options(annotation) if isinstance(o, type) and issubclass(o, BaseModel)]
    if len(models) == 1:
        return models[0]
    tag = node.get("typ") if isinstance(node, dict) else None
    for model in models:
        typ = model.model_fields.get("typ")
        if typ is not None and tag in get_args(typ.annotation):
            return model
    return None


def _element_type(annotation: Any) -> Any:
    for option in _options(annotation):
        origin = get_origin(option)
        if origin is list:
            return get_args(option)[0]
        if origin is dict:
            return get_args(option)[1]
    return None


def _allowed_keys(root: type[BaseModel], data: Any, path: KeyPath) -> set[str]:
    model = _model_at(root, data, path)
    return set(model.model_fields) if model else set()


def _description(root: type[BaseModel], data: Any, path: KeyPath) -> str | None:
    model = _model_at(root, data, path[:-1])
    if model is None or not path:
        return None
    field = model.model_fields.get(str(path[-1]))
    return field.description if field else None
