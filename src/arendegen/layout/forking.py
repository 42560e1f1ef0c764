"""`arendegen pack ny` and `arendegen pack visa`: fork a house, and show what a pack's
layouts are, part by part, with where each part comes from."""

from __future__ import annotations

import re
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from arendegen.diagnostics import printable
from arendegen.errors import ArendegenError, InputError
from arendegen.layout.model import KINDS
from arendegen.layout.resolve import PARTS, dump, effective, sources
from arendegen.packs import Pack, load_pack, suggest

PACK_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,62}")


class PackError(ArendegenError, ValueError):
    """A pack to fork from or show cannot be used (exit code 2)."""


def _pack(name: str, search: Sequence[Path]) -> Pack:
    pack, problems = load_pack(name, search)
    if pack is None:
        detail = (
            "; ".join(f"{d.file}:{d.line}:{d.column}: {d.message}" for d in problems)
            if problems
            else suggest(name, search)
        )
        raise PackError(f"mallpaketet '{name}' kan inte användas: {detail}")
    return pack


def fork(name: str, base: str, folder: Path, search: Sequence[Path] = ()) -> Path:
    """Copy pack `base` to `folder/name`, renamed, with every kind's effective layout written
    out in its pack.yaml, ready to edit. Never writes over anything."""
    if not PACK_NAME.fullmatch(name):
        raise PackError(
            f"'{name}' duger inte som paketnamn: använd små bokstäver a–z, siffror, - och _"
        )
    source = _pack(base, search)
    target = folder / name
    if target.exists():
        raise InputError.exists(path=target)
    config_text = (source.folder / "pack.yaml").read_text(encoding="utf-8")
    layouts = {kind: dump(effective(source, kind)) for kind in KINDS}
    text = _renamed(config_text, base, name)
    text = _without_layouts(text)
    text += (
        "\n# Varje sorts handlings layout, utskriven ur "
        f"'{base}' så att den kan ändras här:\n# ordningen på blocken, rubrikerna, huvudet "
        "överst. Se docs/case-format.md, 'Layout för en sorts handling'.\n"
    )
    text += yaml.safe_dump({"layouter": layouts}, allow_unicode=True, sort_keys=False, width=100)
    temporary = folder / f".{name}.tmp"
    if temporary.exists():
        shutil.rmtree(temporary)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copytree(source.folder, temporary, symlinks=False)
        (temporary / "pack.yaml").write_text(text, encoding="utf-8")
        readme = temporary / "README.md"
        if readme.exists():
            readme.unlink()
        temporary.rename(target)
    except OSError as exc:
        shutil.rmtree(temporary, ignore_errors=True)
        raise InputError.unwritable(path=target, reason=str(exc)) from None
    return target


def _renamed(text: str, base: str, name: str) -> str:
    return re.sub(rf"(?m)^namn: *{re.escape(base)} *$", f"namn: {name}", text, count=1)


def _without_layouts(text: str) -> str:
    """The pack.yaml without its top-level `layouter:` block (it is written out anew)."""
    lines = text.split("\n")
    out: list[str] = []
    skipping = False
    for line in lines:
        if re.match(r"^layouter:", line):
            skipping = True
            continue
        if skipping and line and not line.startswith((" ", "#")):
            skipping = False
        if not skipping:
            out.append(line)
    return "\n".join(out).rstrip() + "\n"


def show(name: str, kinds: Sequence[str] = (), search: Sequence[Path] = ()) -> str:
    """Each kind's effective layout as YAML, each part marked with where it comes from."""
    pack = _pack(name, search)
    chosen = list(kinds) or list(KINDS)
    unknown = [k for k in chosen if k not in KINDS]
    if unknown:
        raise PackError(f"okänd sorts handling '{unknown[0]}'; de som finns: {', '.join(KINDS)}")
    lines = [f"# mallpaketet '{pack.name}' i {printable(pack.folder)}"]
    rules = pack.config.husregler
    lines.append(
        "husregler:  # "
        + ("paketet" if "husregler" in pack.config.model_fields_set else "standard")
    )
    lines += _indented(rules.model_dump())
    lines.append("layouter:")
    for kind in chosen:
        layout = dump(effective(pack, kind))
        origin = sources(pack, kind)
        lines.append(f"  {kind}:")
        for part in PARTS:
            if part not in layout:
                continue
            lines.append(f"    {part}:  # {origin[part]}")
            lines += _indented(layout[part], 6)
    return "\n".join(lines) + "\n"


def _indented(value: Any, spaces: int = 2) -> list[str]:
    text = yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=100)
    return [" " * spaces + line for line in text.rstrip("\n").split("\n")]
