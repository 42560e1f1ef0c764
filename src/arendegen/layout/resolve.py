"""The effective layout of a kind of document in a pack: the pack's own, else arendegen's
standard (standard.yaml), each part (`huvud`, `block`, `paragraf_block`, `sidhuvud`,
`sidfot`, `justeringsrad`) taken separately."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any

from arendegen.layout.model import KINDS, Layout

if TYPE_CHECKING:
    from arendegen.packs import Pack

STANDARD = Path(__file__).with_name("standard.yaml")
PARTS = ("huvud", "block", "paragraf_block", "sidhuvud", "sidfot", "justeringsrad")


@functools.cache
def standard() -> dict[str, Layout]:
    """arendegen's own layout of every kind (a file of the package: trusted, read once)."""
    from arendegen.loader import load_file

    loaded = load_file(STANDARD)
    assert loaded.ok and isinstance(loaded.data, dict), loaded.diagnostics
    layouts = {
        kind: Layout.model_validate(value) for kind, value in loaded.data["layouter"].items()
    }
    assert set(layouts) == set(KINDS), set(KINDS) ^ set(layouts)
    return layouts


def effective(pack: Pack, kind: str) -> Layout:
    """The layout `kind` gets in `pack`."""
    own = pack.config.layouter.get(kind)
    base = standard()[kind]
    if own is None:
        return base
    given = own.model_fields_set
    return base.model_copy(update={name: getattr(own, name) for name in PARTS if name in given})


def sources(pack: Pack, kind: str) -> dict[str, str]:
    """Where each part of the effective layout comes from: the pack or the standard."""
    own = pack.config.layouter.get(kind)
    given: set[str] = set(own.model_fields_set) if own is not None else set()
    return {name: ("paketet" if name in given else "standard") for name in PARTS}


def dump(layout: Layout) -> dict[str, Any]:
    """A layout as plain data, as a pack.yaml would write it: a block or a header cell
    with nothing but its name is written as the name."""
    data = layout.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    for key in ("block", "paragraf_block"):
        if key in data:
            data[key] = [_short(entry, "block") for entry in data[key]]
    if layout.huvud is None:
        data["huvud"] = {"form": "ingen"}  # written out: left out, the standard's would come
    else:
        header = {"form": layout.huvud.form, **data.get("huvud", {})}
        for side in ("vänster", "höger"):
            if side in header:
                header[side] = [_short(cell, "fält") for cell in header[side]]
        if "rader" in header:
            header["rader"] = [[_short(c, "fält") for c in row] for row in header["rader"]]
        data["huvud"] = header
    return data


def _short(value: dict[str, Any], key: str) -> Any:
    return value[key] if set(value) == {key} else value
