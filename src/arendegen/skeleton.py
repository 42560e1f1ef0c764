"""`arendegen new`: a commented skeleton of a case, its comments drawn from the schema.

The example values live in `skeletons/*.yaml`; every key is written with the
description of its field above it, so the skeleton explains itself.
"""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path
from typing import Any

from arendegen.diagnostics import KeyPath
from arendegen.errors import UsageError, reason
from arendegen.loader import load_bytes
from arendegen.schema import DOCUMENT_KINDS, Case
from arendegen.schema.introspect import description_at

SKELETONS = Path(__file__).parent / "skeletons"
FILES = {
    "tjänsteskrivelse": "tjansteskrivelse.yaml",
    "beslutsförslag": "tjansteskrivelse.yaml",
    "budgetavvikelse": "budgetavvikelse.yaml",
    "protokollsutdrag": "protokollsutdrag.yaml",
    "förfrågan_om_utvecklingsmedel": "utvecklingsmedel.yaml",
    "ersättningsmodell": "ersattningsmodell.yaml",
    "tjänsteutlåtande": "tjansteskrivelse.yaml",
    "ärende": "tjansteskrivelse.yaml",
    "skrivelse": "tjansteskrivelse.yaml",
    "remissyttrande": "remissyttrande.yaml",
    "sammanträdesprotokoll": "sammantradesprotokoll.yaml",
    "delegationsbeslut": "delegationsbeslut.yaml",
    "bilaga": "bilaga.yaml",
    "styrdokument": "styrdokument.yaml",
    "kallelse": "kallelse.yaml",
    "delegationsanmälan": "delegationsanmalan.yaml",
}
assert set(FILES) == set(DOCUMENT_KINDS)

WIDTH = 92
_PLAIN = re.compile(r"[\wÅÄÖåäöÉé][^:#\n]*")
_YAML_NUMBER = re.compile(r"[-+]?(?:\d[\d_]*)?\.?\d+(?:[eE][-+]?\d+)?")


def skeleton(kind: str, *, schema: str | None = None, pack: str | None = None) -> str:
    """The commented YAML skeleton of a case that yields a document of `kind`; with
    `schema`, a first line telling yaml-language-server (VS Code and others) where the
    case format's JSON Schema is, relative to the file."""
    if kind not in FILES:
        raise UsageError(f"okänd sorts handling '{kind}'; välj bland {', '.join(FILES)}")
    raw = (SKELETONS / FILES[kind]).read_bytes()
    data = load_bytes(raw, file=FILES[kind]).data
    if FILES[kind] == "tjansteskrivelse.yaml":
        data["handlingar"][0]["typ"] = kind
    if pack is not None:  # the repository's pack (arendegen.yaml `mall`), not the example's
        data["mall"] = pack
        if _municipal(pack):
            data = _in_words(data, _MUNICIPAL)
    header = (
        (f"# yaml-language-server: $schema={schema}\n" if schema else "")
        + f"# Ett ärende som ger handlingen {kind}, skapat av `arendegen new`.\n"
        "# Byt ut exemplen mot ärendets uppgifter; kontrollera med `arendegen validate`.\n"
        "# Text i Markdown: tom rad mellan stycken, '- ' för punktlistor, **fetstil**.\n"
    )
    return header + "\n".join(_mapping(data, data, (), 0)) + "\n"


_MUNICIPAL = (
    ("Region Exempel", "Exempels kommun"),
    ("Regionkontoret", "Kommunledningskontoret"),
    ("Regionstyrelsen", "Kommunstyrelsen"),
    ("Regionfullmäktige", "Kommunfullmäktige"),
    ("Regiondirektör", "Kommundirektör"),
)
"""The region skeletons' example names as a municipality writes them (a kommun repository's
new tjänsteskrivelse began 'Region Exempel … Regionstyrelsen', found by two new-user trials)."""


def _municipal(pack: str) -> bool:
    """Whether the pack is a municipality's: its organisation or name says kommun or stad."""
    from arendegen.packs import load_pack

    try:
        found, _ = load_pack(pack)
    except (OSError, ValueError):
        return False
    said = f"{pack} {found.config.organisation if found else ''}".lower()
    return "kommun" in said or "stad" in said


def _in_words(value: Any, words: tuple[tuple[str, str], ...]) -> Any:
    """`value` with each text's example names replaced, and a region's diarienummer
    ('RS 123-2026') written as a kommun's ('KS 2026/123')."""
    if isinstance(value, dict):
        return {k: _in_words(v, words) for k, v in value.items()}
    if isinstance(value, list):
        return [_in_words(v, words) for v in value]
    if isinstance(value, str):
        for old, new in words:
            value = value.replace(old, new)
        return re.sub(r"^RS (\d+)-(\d{4})$", r"KS \2/\1", value)
    return value


def write_skeleton(kind: str, path: Path, pack: str | None = None) -> None:
    """Write the skeleton to `path`, never over an existing file; folders that do not exist
    yet are made. Inside a case repository with the schema file, the skeleton names it."""
    from arendegen.errors import InputError

    schema = _schema_for(path)
    text = skeleton(kind, schema=schema, pack=pack)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        raise InputError.exists(path=path) from None
    except OSError as exc:
        raise InputError.unreadable(path=path, reason=reason(exc)) from None


def _schema_for(path: Path) -> str | None:
    """The repository's schema file relative to `path`'s folder, when a folder above it (up
    to the working folder) has one."""
    import os

    from arendegen.repo import SCHEMA

    here = Path.cwd().resolve()
    folder = path.absolute().parent
    for candidate in (folder, *folder.parents):
        if (candidate / SCHEMA).is_file():
            return Path(os.path.relpath(candidate / SCHEMA, folder)).as_posix()
        if candidate == here or not candidate.is_relative_to(here):
            break
    return None


def _comment(root: Any, path: KeyPath, indent: int) -> list[str]:
    description = description_at(Case, root, path)
    if not description:
        return []
    pad = " " * indent
    return [pad + "# " + line for line in textwrap.wrap(description, WIDTH - indent - 2)]


def _mapping(value: dict[str, Any], root: Any, path: KeyPath, indent: int) -> list[str]:
    lines: list[str] = []
    pad = " " * indent
    for key, item in value.items():
        child = (*path, key)
        if indent == 0 and lines:
            lines.append("")
        lines += _comment(root, child, indent)
        lines += _entry(f"{pad}{key}:", item, root, child, indent)
    return lines


def _entry(prefix: str, item: Any, root: Any, path: KeyPath, indent: int) -> list[str]:
    if isinstance(item, dict):
        return [prefix, *_mapping(item, root, path, indent + 2)]
    if isinstance(item, list):
        lines = [prefix]
        for i, element in enumerate(item):
            lines += _list_item(element, root, (*path, i), indent + 2)
        return lines
    if isinstance(item, str) and "\n" in item:
        body = textwrap.indent(item.rstrip("\n"), " " * (indent + 2))
        return [f"{prefix} |", body]
    return [f"{prefix} {_scalar(item)}"]


def _list_item(element: Any, root: Any, path: KeyPath, indent: int) -> list[str]:
    pad = " " * indent
    if not isinstance(element, dict):
        return _entry(f"{pad}-", element, root, path, indent)
    inner = _mapping(element, root, path, indent + 2)
    first = next(i for i, line in enumerate(inner) if not line.lstrip().startswith("#"))
    inner[first] = f"{pad}- " + inner[first].lstrip()
    return inner


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if isinstance(value, str) and _YAML_NUMBER.fullmatch(text) and not text.isdigit():
        # a text that other YAML readers take for a decimal number: '13.00' is a time (a
        # whole number, a paragraph's 22 or a year, is the same to every reader)
        return json.dumps(text)
    if (
        _PLAIN.fullmatch(text)
        and text == text.strip()
        and text.lower() not in {"yes", "no", "on", "off", "null", "true", "false"}
    ):
        return text
    if re.fullmatch(r"[\d ,.\-]+( ?[a-zA-Z]+)?", text):
        return text
    return json.dumps(text, ensure_ascii=False)
