"""Find the model behind a place in the data: for messages, skeletons and docs."""

from __future__ import annotations

import types
from collections.abc import Iterator
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel

from arendegen.diagnostics import KeyPath


def options(annotation: Any) -> Iterator[Any]:
    """The alternatives of a type: `A | B | None` gives A, B and NoneType."""
    origin = get_origin(annotation)
    if origin is Annotated:
        yield from options(get_args(annotation)[0])
    elif origin in {Union, types.UnionType}:
        for arg in get_args(annotation):
            yield from options(arg)
    else:
        yield annotation


def pick(annotation: Any, node: Any) -> type[BaseModel] | None:
    """The model among `annotation`'s options that fits `node` (by its `typ`, if several)."""
    models = [o for o in options(annotation) if isinstance(o, type) and issubclass(o, BaseModel)]
    if len(models) == 1:
        return models[0]
    tag = node.get("typ") if isinstance(node, dict) else None
    for model in models:
        typ = model.model_fields.get("typ")
        if typ is not None and tag in get_args(typ.annotation):
            return model
    return None


def element_type(annotation: Any) -> Any:
    """The type of a list's items or a dict's values, or None for anything else."""
    for option in options(annotation):
        origin = get_origin(option)
        if origin is list:
            return get_args(option)[0]
        if origin is dict:
            return get_args(option)[1]
    return None


def annotation_at(root: type[BaseModel], data: Any, path: KeyPath) -> Any:
    """The declared type of the value at `path` in `data`, or None if no field is there."""
    current: Any = root
    node = data
    for part in path:
        model = pick(current, node)
        if model is not None:
            field = model.model_fields.get(str(part))
            if field is None:
                return None
            current = field.annotation
        else:
            current = element_type(current)
            if current is None:
                return None
        node = _child(node, part)
    return current


def model_at(root: type[BaseModel], data: Any, path: KeyPath) -> type[BaseModel] | None:
    """The model that validates the mapping at `path` in `data`."""
    annotation = annotation_at(root, data, path)
    return None if annotation is None else pick(annotation, _node(data, path))


def description_at(root: type[BaseModel], data: Any, path: KeyPath) -> str | None:
    """The description of the field at `path`, if there is one."""
    if not path:
        return None
    model = model_at(root, data, path[:-1])
    field = model.model_fields.get(str(path[-1])) if model else None
    return field.description if field else None


def _child(node: Any, part: str | int) -> Any:
    if isinstance(node, dict):
        return node.get(part)
    if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
        return node[part]
    return None


def _node(data: Any, path: KeyPath) -> Any:
    for part in path:
        data = _child(data, part)
    return data
