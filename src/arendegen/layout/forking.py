"""`arendegen pack ny` and `arendegen pack visa`: fork a house, and show what a pack's
layouts are, part by part, with where each part comes from."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from arendegen.diagnostics import printable
from arendegen.errors import ArendegenError, InputError
from arendegen.layout.model import KINDS
from arendegen.layout.resolve import PARTS, dump, effective, sources
from arendegen.packs import Pack, load_pack, suggest
from arendegen.paths import is_plain_file, resolves_inside, walk_files

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


def repository_templates() -> Path:
    """The case repository's templates/ folder, where a new pack goes unless the command line
    names another: it may not be a link leading out of the repository (a pull request could
    commit one), as pack discovery refuses it too."""
    folder = Path("templates")
    if (folder.is_symlink() or folder.exists()) and not resolves_inside(folder, Path.cwd()):
        raise PackError(
            f"mallmappen {printable(folder)} leder ut ur ärenderepot (till "
            f"{printable(folder.resolve())}); ange --mapp om paketet ska skrivas där"
        )
    return folder


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
    if template is not None:  # the made template is husmall.docx, whatever the base named
        text = re.sub(r"(?m)^[\"']?stilmall[\"']? *:.*\n?", "", text)
        text = text.rstrip("\n") + "\nstilmall: husmall.docx\n"
    text += (
        "\n# Husreglerna och varje sorts handlings layout, utskrivna ur "
        f"'{base}' så att de kan ändras här:\n# ordningen på blocken, rubrikerna, huvudet "
        "överst. Se docs/case-format.md, 'Layout för en sorts handling' och 'Husregler'.\n"
    )
    rules = _rules_data(source)
    if template is not None:  # the organisation's own header stands; arendegen adds none
        rules["sidhuvud"] = []
    text += yaml.safe_dump(
        {"husregler": rules, "layouter": layouts}, allow_unicode=True, sort_keys=False, width=100
    )
    if not _reads_back(text):  # a base written in a way the line edits do not follow
        text = _dumped(source, name, base, rules, layouts)
    files = _plain_files(source.folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        temporary = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=folder))
        umask = os.umask(0)
        os.umask(umask)
        temporary.chmod(0o777 & ~umask)  # a pack folder as any other, not mkdtemp's 0700
    except OSError as exc:
        raise InputError.unwritable(path=target, reason=str(exc)) from None
    try:
        for relative in files:
            (temporary / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source.folder / relative, temporary / relative, follow_symlinks=False)
        (temporary / "pack.yaml").write_text(text, encoding="utf-8")
        if template is not None:
            (temporary / "husmall.docx").write_bytes(template)
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
    # styles the file lacks come from arendegen's own template, never from the base pack's
    # (a repository's pack is untrusted, and its stilmall may name any path)
    made, notes = style_template(data, BUILTIN / "region" / "husmall.docx")
    with tempfile.TemporaryDirectory(prefix="arendegen-word-") as tmp:
        check = Path(tmp) / "husmall.docx"
        check.write_bytes(made)
        problems = template_problems(check, CONTEXT_KEYS, LAYOUT_STYLES)
    if problems:
        raise PackError(
            f"{printable(word)}: mallen som gjordes av filen duger inte: "
            + "; ".join(message for message, _ in problems)
        )
    return made, notes


MAX_FILES, MAX_PACK_BYTES = 1000, 128 * 1024 * 1024


def _plain_files(folder: Path) -> list[Path]:
    """The pack's files to copy, relative to it: plain files only, inside the pack, bounded.

    A pack may come from the repository (untrusted): a link in it could lead to any file on
    the machine, or to /dev/zero, so a pack with a link is not copied at all."""
    files, skipped = walk_files(folder)
    if skipped:
        raise PackError(f"{printable(skipped[0])} kan inte läsas, eller ligger för djupt")
    total = 0
    for path in files:
        if not is_plain_file(path) or not resolves_inside(path, folder):
            raise PackError(
                f"{printable(path)} är en länk; arendegen kopierar inte mallpaket med länkar"
            )
        total += path.stat().st_size
    if len(files) > MAX_FILES or total > MAX_PACK_BYTES:
        raise PackError(f"mallpaketet i {printable(folder)} har för många eller för stora filer")
    links = [p for p in _folders(folder) if p.is_symlink()]
    if links:
        raise PackError(
            f"{printable(links[0])} är en länk; arendegen kopierar inte mallpaket med länkar"
        )
    return [path.relative_to(folder) for path in files]


def _folders(root: Path) -> list[Path]:
    """Every entry below `root` that is a folder or a link to one (not followed)."""
    found, stack = [], [root]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    path = folder / entry.name
                    if entry.is_symlink() and not entry.is_file():
                        found.append(path)
                    elif entry.is_dir(follow_symlinks=False):
                        stack.append(path)
        except OSError:
            continue
    return found


def _renamed(text: str, base: str, name: str) -> str:
    """The fork's own name on the `namn:` line, whatever the base wrote there."""
    return re.sub(r"(?m)^[\"']?namn[\"']? *:.*$", f"namn: {name}", text, count=1)


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


def _reads_back(text: str) -> bool:
    """Whether the written pack.yaml is a valid pack."""
    from pydantic import ValidationError

    from arendegen.loader import load_bytes
    from arendegen.packs import PackConfig

    loaded = load_bytes(text.encode("utf-8"), file="pack.yaml")
    if not loaded.ok:
        return False
    try:
        PackConfig.model_validate(loaded.data)
    except ValidationError:
        return False
    return True


def _dumped(
    source: Pack, name: str, base: str, rules: dict[str, Any], layouts: dict[str, Any]
) -> str:
    """The whole pack.yaml written anew from the base's settings (its comments are lost)."""
    data = source.config.model_dump(mode="json", exclude_defaults=True)
    data.update(namn=name, beskrivning=f"Husstil för {name}, gjord ur '{base}'.")
    data.update(husregler=rules, layouter=layouts)
    head = f"# Mallpaketet {name}, gjort med `arendegen pack ny` ur '{base}'.\n"
    return head + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


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
    rules = pack.config.husregler.model_dump(mode="json", exclude_none=True)
    for key in ("sidhuvud", "sidfot"):
        rules[key] = [item.get("fält") or {"text": item.get("text")} for item in rules[key]]
    return rules


def _indented(value: Any, spaces: int = 2) -> list[str]:
    text = yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=100)
    return [" " * spaces + line for line in text.rstrip("\n").split("\n")]
