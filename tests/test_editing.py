"""Edits that keep a case file as the person wrote it (the ground `arendegen serve` saves on):
an unchanged value saved is the same bytes, one changed field is one changed line, and a file
changed on disk by someone else is never overwritten."""

from __future__ import annotations

import copy
import difflib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from arendegen.diagnostics import KeyPath
from arendegen.editing import (
    ChangedOnDisk,
    EditError,
    add_key,
    insert_item,
    move_item,
    open_case,
    remove_item,
    remove_key,
    replace_value,
    save,
    set_value,
)
from arendegen.loader import load_bytes
from conftest import CASES

FILES = sorted(CASES.rglob("*.yaml"))


def _leaves(data: Any, path: KeyPath = ()) -> Iterator[tuple[KeyPath, str]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _leaves(value, (*path, index))
    elif isinstance(data, str) and "\n" not in data:
        yield path, data


def _at(data: Any, path: KeyPath) -> Any:
    for part in path:
        data = data[part]
    return data


def _data(text: str) -> Any:
    loaded = load_bytes(text.encode("utf-8"), file="x.yaml")
    assert loaded.ok, loaded.diagnostics
    return loaded.data


def _sample(text: str) -> list[tuple[KeyPath, str]]:
    leaves = list(_leaves(_data(text)))
    return leaves[:: max(1, len(leaves) // 30)]


@pytest.mark.parametrize("file", FILES, ids=lambda p: p.name)
def test_each_value_saved_unchanged_is_the_same_bytes(file: Path) -> None:
    text = file.read_text(encoding="utf-8")
    for path, value in _sample(text):
        try:
            again = set_value(text, path, value)
        except EditError:
            continue  # shared through an anchor: the form leaves it to the YAML view
        assert again == text, path


@pytest.mark.parametrize("file", FILES, ids=lambda p: p.name)
def test_one_changed_field_is_one_changed_line(file: Path) -> None:
    text = file.read_text(encoding="utf-8")
    before = _data(text)
    edited = 0
    for path, _ in _sample(text):
        try:
            changed = set_value(text, path, "Ändrad: text # som behöver citattecken")
        except EditError:
            continue
        edited += 1
        diff = list(difflib.unified_diff(text.splitlines(), changed.splitlines(), n=0))
        hunks = [line for line in diff if line.startswith("@@")]
        added = [line for line in diff if line.startswith("+") and not line.startswith("+++")]
        # one place, one new line (the old value may have been wrapped over lines)
        assert (len(hunks), len(added)) == (1, 1), (path, diff)
        expected = copy.deepcopy(before)
        parent = _at(expected, path[:-1])
        parent[path[-1]] = "Ändrad: text # som behöver citattecken"
        assert _data(changed) == expected, path
    assert edited >= 1


def test_styles_are_kept_and_values_that_need_quotes_get_them() -> None:
    text = (
        "# kommentar\n"
        "titel: Budget 2026   # rubriken\n"
        'diarienummer: "KS 2026/1"\n'
        "bakgrund: |\n  Rad ett.\n\n  Rad två.\n\n"
        "handlingar:\n  - typ: tjänsteskrivelse\n    att:\n      - 'godkänna planen'\n"
    )
    assert set_value(text, ("titel",), "Budget 2027").splitlines()[1] == (
        "titel: Budget 2027   # rubriken"
    )
    assert 'titel: "yes"' in set_value(text, ("titel",), "yes")  # never a YAML 1.1 flag
    assert 'diarienummer: "KS 2026/2"' in set_value(text, ("diarienummer",), "KS 2026/2")
    path = ("handlingar", 0, "att", 0)
    assert "      - 'godkänna ''planen'''\n" in set_value(text, path, "godkänna 'planen'")
    block = set_value(text, ("bakgrund",), "Första.\n\nAndra.\n")
    assert "bakgrund: |\n  Första.\n\n  Andra.\n\nhandlingar:" in block
    lines = set_value(text, ("titel",), "rad ett\nrad två")
    assert _data(lines)["titel"] == "rad ett\nrad två"
    assert lines.startswith("# kommentar\ntitel: |-   # rubriken\n  rad ett\n  rad två\n")


def test_what_cannot_be_edited_in_place_is_refused_in_swedish() -> None:
    text = "a: &x gemensam\nb: *x\nc:\n  <<: {d: 1}\n  e: 2\nf: [1, 2]\n"
    for path, said in (
        (("a",), "ankare"),
        (("b",), "ankare"),
        (("c", "e"), "slås ihop"),
        (("f",), "lista eller mappning"),
        (("g",), "nyckeln finns inte"),
        (("f", 5), "inte så många poster"),
    ):
        with pytest.raises(EditError, match=said):
            set_value(text, path, "x")


def test_a_file_changed_on_disk_is_not_overwritten(tmp_path: Path) -> None:
    case = tmp_path / "ärende.yaml"
    case.write_text("titel: A  # kvar\n", encoding="utf-8")
    opened = open_case(case)
    saved = save(opened, set_value(opened.text, ("titel",), "B"))
    assert case.read_text(encoding="utf-8") == "titel: B  # kvar\n"
    case.write_text("titel: C\n", encoding="utf-8")  # a git pull, another editor
    with pytest.raises(ChangedOnDisk, match="ändrats av någon annan"):
        save(saved, "titel: D\n")
    assert case.read_text(encoding="utf-8") == "titel: C\n"
    assert [p.name for p in tmp_path.iterdir()] == ["ärende.yaml"]  # no temporary left


def _lists(data: Any, path: KeyPath = ()) -> Iterator[tuple[KeyPath, list[Any]]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _lists(value, (*path, key))
    elif isinstance(data, list):
        if data and all(isinstance(v, str) for v in data):
            yield path, data
        for index, value in enumerate(data):
            yield from _lists(value, (*path, index))


@pytest.mark.parametrize("file", FILES, ids=lambda p: p.name)
def test_items_added_and_removed_change_only_their_list(file: Path) -> None:
    """An att-sats or a recipient added first or last, or removed: the list changes by that
    item, and every other value, comment and line of the file stays."""
    text = file.read_text(encoding="utf-8")
    before = _data(text)
    for path, items in list(_lists(before))[:6]:
        try:
            insert_item(text, path, 0, "x")
        except EditError:
            continue  # a list written [a, b] on one line: the YAML view's
        for index in (0, len(items)):
            added = insert_item(text, path, index, "ny post: med kolon")
            expected = copy.deepcopy(before)
            _at(expected, path).insert(index, "ny post: med kolon")
            assert _data(added) == expected, (path, index)
            diff = list(difflib.unified_diff(text.splitlines(), added.splitlines(), n=0))
            assert [
                line for line in diff if line.startswith("-") and not line.startswith("---")
            ] == []
        if len(items) > 1:
            removed = remove_item(text, path, 0)
            expected = copy.deepcopy(before)
            del _at(expected, path)[0]
            assert _data(removed) == expected, path
            assert removed.count("\n#") == text.count("\n#")  # comments stay


def test_lists_that_are_not_one_item_a_line_are_left_to_the_yaml_view() -> None:
    text = "a: [x, y]\nb:\n  - ensam\n"
    with pytest.raises(EditError, match="en post per rad"):
        insert_item(text, ("a",), 0, "z")
    with pytest.raises(EditError, match="sista post"):
        remove_item(text, ("b",), 0)
    assert insert_item(text, ("b",), 1, "två") == "a: [x, y]\nb:\n  - ensam\n  - två\n"


@pytest.mark.parametrize("file", FILES, ids=lambda p: p.name)
def test_a_key_added_is_one_new_line_and_nothing_else(file: Path) -> None:
    """A field the file did not have (the case's, its first document's): added last to its
    mapping, after whatever the last value holds, as one line."""
    text = file.read_text(encoding="utf-8")
    before = _data(text)
    for path in [(), ("handlingar", 0)]:
        try:
            added = add_key(text, path, "ny_uppgift", "värde: med kolon")
        except EditError:
            continue  # the mapping is written on one line
        expected = copy.deepcopy(before)
        _at(expected, path)["ny_uppgift"] = "värde: med kolon"
        assert _data(added) == expected, path
        diff = list(difflib.unified_diff(text.splitlines(), added.splitlines(), n=0))
        changed = [line for line in diff if line[:1] in "+-" and line[:3] not in {"+++", "---"}]
        assert len(changed) == 1 and changed[0].startswith("+"), changed
    with pytest.raises(EditError, match="finns redan"):
        add_key(text, (), "titel", "x")


def test_a_new_item_or_key_of_several_lines_is_a_block_under_it() -> None:
    text = "a:\n  att:\n    - x\nb: 1\n"
    item = insert_item(text, ("a", "att"), 1, "rad ett\nrad två")
    assert item == "a:\n  att:\n    - x\n    - |-\n      rad ett\n      rad två\nb: 1\n"
    key = add_key(text, ("a",), "k", "rad ett\nrad två")
    assert key == "a:\n  att:\n    - x\n  k: |-\n    rad ett\n    rad två\nb: 1\n"


@pytest.mark.parametrize("file", FILES, ids=lambda p: p.name)
def test_an_item_moved_and_moved_back_is_the_file_as_written(file: Path) -> None:
    """Reordering att-satser in the form: the first item moved last gives the list in its new
    order and nothing else changed; moved back, the file is the same bytes again."""
    text = file.read_text(encoding="utf-8")
    before = _data(text)
    for path, items in list(_lists(before))[:8]:
        if len(items) < 2:
            continue
        try:
            moved = move_item(text, path, 0, len(items) - 1)
        except EditError:
            continue  # a list written [a, b] on one line: the YAML view's
        expected = copy.deepcopy(before)
        _at(expected, path).append(_at(expected, path).pop(0))
        assert _data(moved) == expected, path
        assert move_item(moved, path, len(items) - 1, 0) == text, path


@pytest.mark.parametrize("file", FILES, ids=lambda p: p.name)
def test_a_key_removed_takes_its_lines_and_nothing_else(file: Path) -> None:
    """A field the form empties: the key, its value and the comment lines right above it (its
    help, in a skeleton) go; every other value and comment stays."""
    text = file.read_text(encoding="utf-8")
    before = _data(text)
    for key in list(before)[1:6]:
        removed = remove_key(text, (key,))
        expected = copy.deepcopy(before)
        del expected[key]
        assert _data(removed) == expected, key
        gone = [
            line
            for line in difflib.ndiff(text.splitlines(), removed.splitlines())
            if line.startswith("- ") and line[2:].strip()
        ]  # a blank line may pair either way
        own = [line for line in gone if not line[2:].startswith("#")]
        assert own and own[0][2:].startswith(f"{key}:"), gone  # its lines, then its help
        comments = [line for line in gone if line[2:].startswith("#")]
        assert all(gone.index(c) < gone.index(own[0]) for c in comments), gone


def test_a_removed_keys_help_goes_with_it_and_other_comments_stay() -> None:
    text = "# filens rubrik\n\n# Titeln.\ntitel: X\n# Datumet,\n# skrivet så.\ndatum: 2026-01-01\nslut: 1\n"
    assert remove_key(text, ("datum",)) == "# filens rubrik\n\n# Titeln.\ntitel: X\nslut: 1\n"
    assert remove_key(text, ("titel",)) == (
        "# filens rubrik\n\n# Datumet,\n# skrivet så.\ndatum: 2026-01-01\nslut: 1\n"
    )


def test_a_new_row_or_table_is_written_as_a_block_the_loader_reads_back() -> None:
    text = "titel: X\ntabeller:\n  a:\n    typ: budget\n    rader:\n      - rubrik: Lön\n"
    row = {"rubrik": "Hyra: lokaler", "belopp": {"2026": "1 200"}}
    added = insert_item(text, ("tabeller", "a", "rader"), 1, row)
    assert added.endswith(
        '      - rubrik: Lön\n      - rubrik: "Hyra: lokaler"\n        belopp:\n'
        "          2026: 1 200\n"
    )
    assert _data(added)["tabeller"]["a"]["rader"][1] == {
        "rubrik": "Hyra: lokaler",
        "belopp": {"2026": "1 200"},
    }
    table = add_key(text, ("tabeller",), "b", {"typ": "budget", "kolumner": ["2026"], "rader": []})
    assert _data(table)["tabeller"]["b"] == {"typ": "budget", "kolumner": ["2026"], "rader": []}
    with pytest.raises(EditError, match="sista nyckel"):
        remove_key("a:\n  b: 1\n", ("a", "b"))


def test_an_empty_list_or_mapping_gets_its_first_entry_as_a_block() -> None:
    text = "tabeller: {}\nlista: []   # ännu ingen\nslut: 1\n"
    added = add_key(text, ("tabeller",), "budget", {"typ": "budget", "kolumner": ["2026"]})
    assert added.startswith("tabeller:\n  budget:\n    typ: budget\n    kolumner:\n      - 2026\n")
    item = insert_item(text, ("lista",), 0, "första")
    assert "lista:\n  - första   # ännu ingen\nslut: 1\n" in item
    assert _data(item)["lista"] == ["första"]


def test_a_section_written_as_one_text_becomes_text_and_tables() -> None:
    """Showing a table under a section that is one text: the text moves under `text:`,
    written as it was, and the blank lines after it stay."""
    text = "ekonomi: |\n  Rad ett.\n\n  Rad två.\n\nslut: 1\n"
    value = {"text": "Rad ett.\n\nRad två.\n", "tabeller": ["budget"]}
    changed = replace_value(text, ("ekonomi",), value)
    assert changed == (
        "ekonomi:\n  text: |\n    Rad ett.\n\n    Rad två.\n  tabeller:\n    - budget\n\nslut: 1\n"
    )
    assert _data(changed)["ekonomi"] == value


def test_rows_of_several_lines_are_added_and_removed_whole_before_the_next_key() -> None:
    """A table's rows are mappings of several lines, and a key of the table follows them: a
    row added last goes after the last row's last line, not after that key."""
    text = "t:\n  rader:\n    - rubrik: A\n      belopp:\n        2026: 120\n  enhet: tkr\n"
    added = insert_item(text, ("t", "rader"), 1, {"rubrik": "B"})
    assert added == text.replace("  enhet", "    - rubrik: B\n  enhet")
    two = "t:\n  rader:\n    - rubrik: A\n      x: 1\n    - rubrik: B\n      x: 2\n  enhet: tkr\n"
    assert (
        remove_item(two, ("t", "rader"), 0)
        == "t:\n  rader:\n    - rubrik: B\n      x: 2\n  enhet: tkr\n"
    )
    assert (
        remove_item(two, ("t", "rader"), 1)
        == "t:\n  rader:\n    - rubrik: A\n      x: 1\n  enhet: tkr\n"
    )


def test_a_key_added_after_its_neighbour_in_the_formats_order() -> None:
    """A field the form adds goes where the case format puts it (after the key before it),
    not last in the file."""
    text = "titel: X\n# Hur ärendet går.\nmottagare: KS\nhandlingar:\n  - typ: ärende\n"
    added = add_key(
        text, (), "beslutsordning", ["Kommunstyrelsen", "Kommunfullmäktige"], after="mottagare"
    )
    assert added == (
        "titel: X\n# Hur ärendet går.\nmottagare: KS\nbeslutsordning:\n  - Kommunstyrelsen\n"
        "  - Kommunfullmäktige\nhandlingar:\n  - typ: ärende\n"
    )
    assert add_key(text, (), "datum", "2026-01-01", after="finns_inte").endswith(
        "datum: 2026-01-01\n"
    )
