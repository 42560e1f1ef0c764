"""Edits to a case file that keep it as the person wrote it.

An editor (the browser form of `arendegen serve`, a script) changes one value at a time. The
file is not loaded and dumped again, which would lose comments, key order, quoting and blank
lines: the value's own characters are found from the parser's marks and replaced, and nothing
else of the text is touched. So a file saved without a change is the same bytes, and one
changed field is a one-line diff (or the lines of a multi-line text).

Saving is atomic, and refuses to overwrite a file that changed on disk since it was read
(another editor, a `git pull`): the caller shows both and the person chooses.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml

from arendegen.diagnostics import KeyPath, format_path
from arendegen.errors import ArendegenError
from arendegen.loader import _Loader
from arendegen.output import write_atomic


class EditError(ArendegenError):
    """The edit cannot be made in place; the message says why, in Swedish."""


class ChangedOnDisk(ArendegenError):
    """The file was changed by someone else since it was read."""


Value = str | list["Value"] | dict[str, "Value"]
"""What an edit writes: a value as typed, or a list or mapping of them (a new table row, a
new document), written in block style under the place it goes."""

Edit = TypeVar("Edit", bound=Callable[..., str])


def _verified(edit: Edit) -> Edit:
    """An edit whose result is checked to be YAML still: a text it would break (a case the
    splicing does not foresee) is refused, and the file stays as it was."""

    @functools.wraps(edit)
    def checked(text: str, *args: Any, **options: Any) -> str:
        changed = edit(text, *args, **options)
        if changed != text:
            try:
                yaml.compose(changed, Loader=_Loader)
            except yaml.YAMLError:
                raise EditError(
                    f"{format_path(args[0])}: ändringen går inte att göra här utan att filen "
                    "blir ogiltig; gör den i YAML-vyn"
                ) from None
        return changed

    return checked  # type: ignore[return-value]


_PLAIN_SAFE = re.compile(r"[\wÅÄÖåäöÉéÜü(][^\n#]*")
_NOT_PLAIN = re.compile(r": |\s#|^[-?:,\[\]{}#&*!|>'\"%@`]|\s$|:$")
_TRAPS = frozenset({"yes", "no", "on", "off", "y", "n", "true", "false", "null", "~"})


@_verified
def set_value(text: str, path: KeyPath, value: str) -> str:
    """`text` with the value at `path` (a text, number or date as written) replaced by
    `value`, in the same style where it can be (plain, quoted, a block of lines)."""
    node, indent = _find(text, path)
    if node.value == value:
        return text  # unchanged: the file stays as written, however it wrote the value
    start, end = node.start_mark.index, node.end_mark.index
    old = text[start:end]
    # an empty value ('""', as a form writes a field it adds) has no style worth keeping
    written = _written(value, node.style if node.value else None, indent, old)
    if written.startswith("|") and not old.startswith(("|", ">")):
        # a value on one line becomes lines of its own: what followed it on its line (a
        # comment) moves to the line of the block's indicator, where YAML allows it
        line_end = text.find("\n", end)
        line_end = len(text) if line_end < 0 else line_end
        header, _, body = written.partition("\n")
        return text[:start] + header + text[end:line_end] + "\n" + body + text[line_end:]
    return text[:start] + written + text[end:]


def digest(text: str) -> str:
    """What a file's text is compared by, to notice a change made by someone else."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Opened:
    """A case file as read for editing: its text and the digest it was read with."""

    path: Path
    text: str
    digest: str


def open_case(path: Path) -> Opened:
    text = path.read_bytes().decode("utf-8")
    return Opened(path, text, digest(text))


def save(opened: Opened, text: str) -> Opened:
    """Write `text` over the file atomically, unless the file no longer holds what was read."""
    try:
        now = opened.path.read_bytes().decode("utf-8", "replace")
    except FileNotFoundError:
        now = None
    if now is not None and digest(now) != opened.digest:
        raise ChangedOnDisk(
            f"{opened.path} har ändrats av någon annan sedan den öppnades; välj vilken "
            "version som ska gälla"
        )
    write_atomic(opened.path, text.encode("utf-8"))
    return Opened(opened.path, text, digest(text))


def _node(text: str, path: KeyPath) -> yaml.Node:
    return _walk(text, path)[0]


def _find(text: str, path: KeyPath) -> tuple[yaml.ScalarNode, int]:
    """The scalar node at `path`, and the indentation a block of lines under it takes."""
    node, indent = _walk(text, path)
    if not isinstance(node, yaml.ScalarNode):
        raise EditError(f"{format_path(path)}: är en lista eller mappning, inte ett värde")
    return node, indent


def _walk(text: str, path: KeyPath) -> tuple[yaml.Node, int]:
    """The node at `path`, and the indentation a block of lines under it takes."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise EditError(f"filen är inte giltig YAML och kan inte ändras här: {exc}") from None
    if node is None:
        raise EditError("filen är tom")
    anchors = _anchored(text)
    indent = 0
    for step, part in enumerate(path):
        where = format_path(path[: step + 1])
        if isinstance(part, str) and isinstance(node, yaml.MappingNode):
            pairs = [(k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)]
            if any(k.value == "<<" for k, _ in pairs):
                raise EditError(f"{where}: mappningen slås ihop med en annan (<<); ändra i YAML")
            found = [(k, v) for k, v in pairs if k.value == part]
            if not found:
                raise EditError(f"{where}: nyckeln finns inte")
            key, node = found[-1]
            indent = key.start_mark.column + 2
        elif isinstance(part, int) and isinstance(node, yaml.SequenceNode):
            if not 0 <= part < len(node.value):
                raise EditError(f"{where}: listan har inte så många poster")
            node = node.value[part]
            indent = node.start_mark.column + 2
        else:
            raise EditError(f"{where}: finns inte i filen")
        if node.start_mark.index in anchors:
            raise EditError(f"{where}: värdet delas med andra via ett ankare (&); ändra i YAML")
    return node, indent


def _anchored(text: str) -> set[int]:
    """Where the values that are anchored or aliased begin (an edit there would change every
    place that shares them, or none)."""
    places = set()
    for event in yaml.parse(text, Loader=_Loader):
        shared = isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None)
        if shared and event.start_mark is not None:
            places.add(event.start_mark.index)
    return places


def _written(value: str, style: str | None, indent: int, old: str) -> str:
    if "\n" in value.rstrip("\n") or style in {"|", ">"}:
        return _block(value, indent, old)
    if "\n" in value:
        value = value.rstrip("\n")
    if style == "'" and "\n" not in value:
        return "'" + value.replace("'", "''") + "'"
    if not style and _plain(value):
        return value
    return json.dumps(value, ensure_ascii=False)


def _plain(value: str) -> bool:
    return (
        bool(_PLAIN_SAFE.fullmatch(value))
        and not _NOT_PLAIN.search(value)
        and value.lower() not in _TRAPS
    )


def _block(value: str, indent: int, old: str) -> str:
    """A literal block (`|`) of the value's lines, under the indentation the old value had
    (a block's own lines), or `indent`; ending as the old one did, before what follows."""
    lines = value.rstrip("\n").split("\n")
    found = re.search(r"\n( +)\S", old)
    pad = " " * (len(found.group(1)) if found else indent)
    chomp = "" if value.endswith("\n") else "-"
    body = "\n".join(pad + line if line else "" for line in lines)
    # a block's span ends with its line break and the blank lines after it, which stay; after
    # a plain or quoted value the line break is the file's own, outside the span
    trailing = re.search(r"\n[\n ]*$", old) if old.startswith(("|", ">")) else None
    return f"|{chomp}\n{body}" + (trailing.group(0) if trailing else "")


@_verified
def insert_item(text: str, path: KeyPath, index: int, value: Value) -> str:
    """`text` with `value` as item `index` of the block list at `path` (an att-sats added,
    a recipient): a line of its own, indented as its neighbours are; nothing else touched."""
    node, indent = _walk(text, path)
    if isinstance(node, yaml.SequenceNode) and not node.value and index == 0:
        return _fill_empty(text, node, indent, [value])  # `[]`: the first item
    items, prefixes = _block_list(text, path)
    if not 0 <= index <= len(items):
        raise EditError(f"{format_path((*path, index))}: listan har inte så många poster")
    column = len(prefixes[0]) - len(prefixes[0].lstrip(" "))
    line = prefixes[0] + _item(value, column + 2) + "\n"
    if index < len(items):
        at = _line_start(text, items[index].start_mark.index)
    else:
        at = _line_after(text, _last_end(items[-1]))
    return text[:at] + line + text[at:]


@_verified
def remove_item(text: str, path: KeyPath, index: int) -> str:
    """`text` without item `index` of the block list at `path`: its lines go, the comments and
    blank lines around it stay."""
    items, _ = _block_list(text, path)
    if not 0 <= index < len(items):
        raise EditError(f"{format_path((*path, index))}: listan har inte så många poster")
    if len(items) == 1:
        raise EditError(f"{format_path(path)}: listans sista post tas bort i YAML-vyn")
    start = _line_start(text, items[index].start_mark.index)
    end = _line_after(text, _last_end(items[index]))
    return text[:start] + text[end:]


def _block_list(text: str, path: KeyPath) -> tuple[list[yaml.Node], list[str]]:
    """The items of the block list at `path`, and the text before each item on its line
    ('      - ')."""
    node = _node(text, path)
    if not isinstance(node, yaml.SequenceNode) or node.flow_style or not node.value:
        raise EditError(
            f"{format_path(path)}: är ingen lista med en post per rad; ändra i YAML-vyn"
        )
    prefixes = []
    for item in node.value:
        start = _line_start(text, item.start_mark.index)
        prefix = text[start : item.start_mark.index]
        if prefix.strip(" ") != "-":
            raise EditError(f"{format_path(path)}: posterna står inte en per rad; ändra i YAML-vyn")
        prefixes.append(prefix)
    return list(node.value), prefixes


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _line_after(text: str, index: int) -> int:
    """Where the line after the one holding `index - 1` starts (a block value's span already
    ends past its line break)."""
    if index > 0 and text[index - 1] == "\n":
        return index
    end = text.find("\n", index)
    return len(text) if end < 0 else end + 1


@_verified
def add_key(text: str, path: KeyPath, key: str, value: Value, after: str | None = None) -> str:
    """`text` with `key: value` added to the block mapping at `path` (a field the form fills
    that the file did not have), indented as the mapping's other keys: right after the entry
    of key `after` when the mapping has it (where the case format puts the field), else last."""
    node, indent = _walk(text, path)
    if isinstance(node, yaml.MappingNode) and not node.value:
        return _fill_empty(text, node, indent, {key: value})  # `{}`: the first key
    if not isinstance(node, yaml.MappingNode) or node.flow_style or not node.value:
        raise EditError(f"{format_path(path)}: är ingen mappning med en nyckel per rad")
    if any(isinstance(k, yaml.ScalarNode) and k.value == key for k, _ in node.value):
        raise EditError(f"{format_path((*path, key))}: nyckeln finns redan; ändra dess värde")
    if not _plain(key):
        raise EditError(f"'{key}' kan inte vara en nyckel")
    column: int = node.value[0][0].start_mark.column
    before = [v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == after]
    at = _line_after(text, _last_end((before or [node.value[-1][1]])[-1]))
    return text[:at] + " " * column + _entry(key, value, column) + "\n" + text[at:]


@_verified
def replace_value(text: str, path: KeyPath, value: Value) -> str:
    """`text` with the value at `path` replaced by a list or mapping, written as a block
    under its key (a section written as one text becomes `text:` and `tabeller:`)."""
    if isinstance(value, str):
        return set_value(text, path, value)
    if not path:
        raise EditError("hela filen byts i YAML-vyn")
    node, indent = _walk(text, path)
    return _fill_empty(text, node, indent, value)


def _fill_empty(text: str, node: yaml.Node, indent: int, value: Value) -> str:
    """`node` (a scalar, `[]` or `{}` after its key) replaced by `value` as a block."""
    start = node.start_mark.index
    end = _last_end(node)
    old = text[start:end]
    trailing = re.search(r"\n[\n ]*$", old)
    while start > 0 and text[start - 1] == " ":
        start -= 1
    if isinstance(value, str):
        block = " " + _written(value, None, indent, "")
    elif not value:
        block = " " + ("[]" if isinstance(value, list) else "{}")
    else:
        block = "\n" + _lines(value, indent)
    return text[:start] + block + (trailing.group(0) if trailing else "") + text[end:]


def _last_end(node: yaml.Node) -> int:
    """Where the last value written inside `node` ends (a collection's own end is where the
    next token begins, past the comments and blank lines that follow it)."""
    while isinstance(node, yaml.MappingNode | yaml.SequenceNode) and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(node, yaml.MappingNode) else last
    return node.end_mark.index


def _entry(key: str, value: Value, column: int) -> str:
    """`key: value` for a mapping whose keys stand at `column`; a list or mapping as a block
    under it."""
    if not _plain(key) and not key.isdigit():
        raise EditError(f"'{key}' kan inte vara en nyckel")
    if isinstance(value, str):
        return f"{key}: {_written(value, None, column + 2, '')}"
    if not value:
        return f"{key}: {'[]' if isinstance(value, list) else '{}'}"
    inner = column + 2
    return f"{key}:\n" + _lines(value, inner)


def _item(value: Value, column: int) -> str:
    """An item's text after its '- ', when its own keys or items stand at `column`."""
    if isinstance(value, str):
        return _written(value, None, column, "")
    if not value:
        return "[]" if isinstance(value, list) else "{}"
    return _lines(value, column)[column:]  # the first line goes after the '- '


def _lines(value: list[Value] | dict[str, Value], column: int) -> str:
    """A list or mapping written as a block, each line indented by `column`."""
    pad = " " * column
    if isinstance(value, dict):
        return "\n".join(pad + _entry(str(k), v, column) for k, v in value.items())
    return "\n".join(pad + "- " + _item(v, column + 2) for v in value)


@_verified
def remove_key(text: str, path: KeyPath) -> str:
    """`text` without the key at `path` and its value (a field the form empties): its lines
    go, the comments and blank lines around them stay. The last key of a mapping stays."""
    if not path or not isinstance(path[-1], str):
        raise EditError(f"{format_path(path)}: är ingen nyckel")
    node = _node(text, path[:-1])
    if not isinstance(node, yaml.MappingNode) or node.flow_style:
        raise EditError(f"{format_path(path[:-1])}: är ingen mappning med en nyckel per rad")
    pairs = [(k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)]
    found = [(k, v) for k, v in pairs if k.value == path[-1]]
    if not found:
        raise EditError(f"{format_path(path)}: nyckeln finns inte")
    if len(node.value) == 1:
        raise EditError(f"{format_path(path)}: mappningens sista nyckel tas bort i YAML-vyn")
    key, value = found[-1]
    start = _line_start(text, key.start_mark.index)
    if text[start : key.start_mark.index].strip(" "):
        raise EditError(f"{format_path(path)}: står inte på en egen rad; ändra i YAML-vyn")
    end = _line_after(text, _last_end(value))
    return text[: _comments_above(text, start, key.start_mark.column)] + text[end:]


def _comments_above(text: str, start: int, column: int) -> int:
    """Where the comment lines that stand right above the line at `start`, at its
    indentation and with no blank line between, begin: they describe that key, and go with
    it (a skeleton's help for a field removed)."""
    while start > 0:
        above = _line_start(text, start - 1)
        line = text[above : start - 1]
        if not (line.startswith(" " * column + "#") and line[:column].strip() == ""):
            break
        start = above
    return start


@_verified
def set_flag(text: str, path: KeyPath, flag: bool) -> str:
    """`text` with the value at `path` written as YAML's `true` or `false` (a yes/no field:
    `set_value` would quote the word, which is then text, not a truth value)."""
    node, _ = _find(text, path)
    word = "true" if flag else "false"
    if node.value == word and node.style is None:
        return text
    return text[: node.start_mark.index] + word + text[node.end_mark.index :]


@_verified
def move_item(text: str, path: KeyPath, index: int, to: int) -> str:
    """`text` with item `index` of the block list at `path` moved to place `to` (counted in
    the list as it is before the move): its lines move whole, the others stay as written."""
    items, _ = _block_list(text, path)
    if not (0 <= index < len(items) and 0 <= to < len(items)):
        raise EditError(f"{format_path((*path, index))}: listan har inte så många poster")
    if index == to:
        return text
    spans = [
        (_line_start(text, item.start_mark.index), _line_after(text, _last_end(item)))
        for item in items
    ]
    start, end = spans[index]
    moved = text[start:end]
    if not moved.endswith("\n"):
        moved += "\n"
    rest = text[:start] + text[end:]
    at = spans[to][0] if to < index else spans[to][1] - (end - start)
    if at > len(rest) or (at == len(rest) and rest and not rest.endswith("\n")):
        rest += "\n"
        at = len(rest)
    return rest[:at] + moved + rest[at:]
