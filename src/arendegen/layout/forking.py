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


MAX_WORD_BYTES = 128 * 1024 * 1024


def fork(
    name: str,
    base: str,
    folder: Path,
    search: Sequence[Path] = (),
    word: Path | None = None,
) -> tuple[Path, list[str]]:
    """Copy pack `base` to `folder/name`, renamed, with every kind's effective layout written
    out in its pack.yaml, ready to edit; with `word`, its Word template is made from that
    file (layout/wordimport.py). Never writes over anything. Returns the folder and what the
    user should look at."""
    if not PACK_NAME.fullmatch(name):
        raise PackError(
            f"'{name}' duger inte som paketnamn: använd små bokstäver a–z, siffror, - och _"
        )
    source = _pack(base, search)
    target = folder / name
    if target.exists() or target.is_symlink():
        raise InputError.exists(path=target)
    template, notes = _from_word(word, source) if word is not None else (None, [])
    config_text = (source.folder / "pack.yaml").read_text(encoding="utf-8")
    layouts = {kind: dump(effective(source, kind)) for kind in KINDS}
    text = _renamed(config_text, base, name)
    text = _without(_without(text, "layouter"), "husregler")
    text = _own_description(text, name, base)
    if template is not None and not source.config.stilmall:
        text = text.rstrip("\n") + "\nstilmall: husmall.docx\n"
    text += (
        "\n# Husreglerna och varje sorts handlings layout, utskrivna ur "
        f"'{base}' så att de kan ändras här:\n# ordningen på blocken, rubrikerna, huvudet "
        "överst. Se docs/case-format.md, 'Layout för en sorts handling' och 'Husregler'.\n"
    )
    rules = _rules_data(source)
    text += yaml.safe_dump(
        {"husregler": rules, "layouter": layouts}, allow_unicode=True, sort_keys=False, width=100
    )
    temporary = folder / f".{name}.tmp"
    if temporary.exists():
        shutil.rmtree(temporary)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copytree(source.folder, temporary, symlinks=False)
        (temporary / "pack.yaml").write_text(text, encoding="utf-8")
        if template is not None:
            (temporary / (source.config.stilmall or "husmall.docx")).write_bytes(template)
        readme = temporary / "README.md"
        if readme.exists():
            readme.unlink()
        temporary.rename(target)
    except OSError as exc:
        shutil.rmtree(temporary, ignore_errors=True)
        raise InputError.unwritable(path=target, reason=str(exc)) from None
    return target, notes


def _from_word(word: Path, source: Pack) -> tuple[bytes, list[str]]:
    """The pack's Word template made from the organisation's file, checked as every
    template is; and the header and footer texts kept from it."""
    from arendegen.contract import CONTEXT_KEYS
    from arendegen.layout.wordimport import LAYOUT_STYLES, style_template
    from arendegen.packs import BUILTIN
    from arendegen.render.docx import template_problems

    try:
        if word.stat().st_size > MAX_WORD_BYTES:
            raise PackError(f"{printable(word)} är större än 128 MB")
        data = word.read_bytes()
    except OSError as exc:
        raise InputError.unreadable(path=word, reason=str(exc)) from None
    base = source.folder / source.config.stilmall if source.config.stilmall else None
    if base is None or not base.is_file():
        base = BUILTIN / "region" / "husmall.docx"
    made, notes = style_template(data, base)
    import tempfile

    with tempfile.TemporaryDirectory(prefix="arendegen-word-") as tmp:
        check = Path(tmp) / "husmall.docx"
        check.write_bytes(made)
        problems = template_problems(check, CONTEXT_KEYS, LAYOUT_STYLES)
    if problems:
        raise PackError(
            f"{printable(word)}: mallen som gjordes av filen duger inte: " + "; ".join(problems)
        )
    return made, notes


def _renamed(text: str, base: str, name: str) -> str:
    return re.sub(rf"(?m)^namn: *{re.escape(base)} *$", f"namn: {name}", text, count=1)


def _without(text: str, key: str) -> str:
    """The pack.yaml without one top-level block (`layouter`, `husregler`): written anew."""
    out: list[str] = []
    skipping = False
    for line in text.split("\n"):
        if re.match(rf"^{key}:", line):
            skipping = True
            continue
        if skipping and line and not line.startswith((" ", "#")):
            skipping = False
        if not skipping:
            out.append(line)
    return "\n".join(out).rstrip() + "\n"


def _own_description(text: str, name: str, base: str) -> str:
    """The fork's own first comment and description, not those of the house it came from."""
    lines = text.split("\n")
    while lines and lines[0].startswith("#"):
        lines.pop(0)
    text = "\n".join(lines)
    text = re.sub(
        r"(?ms)^beskrivning:.*?(?=^\S)",
        f"beskrivning: Husstil för {name}, gjord ur '{base}'.\n",
        text,
        count=1,
    )
    return f"# Mallpaketet {name}, gjort med `arendegen pack ny` ur '{base}'.\n" + text


def show(name: str, kinds: Sequence[str] = (), search: Sequence[Path] = ()) -> str:
    """Each kind's effective layout as YAML, each part marked with where it comes from."""
    pack = _pack(name, search)
    chosen = list(kinds) or list(KINDS)
    unknown = [k for k in chosen if k not in KINDS]
    if unknown:
        raise PackError(f"okänd sorts handling '{unknown[0]}'; de som finns: {', '.join(KINDS)}")
    lines = [f"# mallpaketet '{pack.name}' i {printable(pack.folder)}"]
    lines.append(
        "husregler:  # "
        + ("paketet" if "husregler" in pack.config.model_fields_set else "standard")
    )
    lines += _indented(_rules_data(pack))
    lines.append("layouter:")
    for kind in chosen:
        layout = dump(effective(pack, kind))
        origin = sources(pack, kind)
        lines.append(f"  {kind}:")
        for part in PARTS:
            if part not in layout:
                continue
            value = layout[part]
            if isinstance(value, dict | list):
                lines.append(f"    {part}:  # {origin[part]}")
                lines += _indented(value, 6)
            else:
                scalar = "true" if value is True else "false" if value is False else str(value)
                lines.append(f"    {part}: {scalar}  # {origin[part]}")
    return "\n".join(lines) + "\n"


def _rules_data(pack: Pack) -> dict[str, Any]:
    """The pack's house rules as a pack.yaml writes them (a field by its name)."""
    rules = pack.config.husregler.model_dump(exclude_none=True)
    for key in ("sidhuvud", "sidfot"):
        rules[key] = [item.get("fält") or {"text": item["text"]} for item in rules[key]]
    return rules


def _indented(value: Any, spaces: int = 2) -> list[str]:
    text = yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=100)
    return [" " * spaces + line for line in text.rstrip("\n").split("\n")]
