"""Two versions of a case → what changed in substance. Pure: no files, no formatting choices
beyond the project's own (money, dates), no printing (that is `review_output`).

Both versions become a tree of the validated model, walked generically: each field is a
branch labelled with its Swedish name, each list is aligned item by item (by name, title,
text …), each value a leaf written as the documents write it. A table's figures come from
what `compute` made of it (cells, row and column sums, totals), so a total that changes
because one row did shows as a changed total, with the difference. A version that does not
validate is compared as the YAML reads, and the diff says so.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from arendegen.diagnostics import KeyPath, format_path
from arendegen.formatting import NBSP, UNIT_LABELS, format_money, format_number
from arendegen.money import Amount, Money, Unit, decimals_of
from arendegen.results import CaseResult
from arendegen.schema.types import DayMonth, Period

Kind = Literal["ändrad", "tillagd", "borttagen", "flyttad", "text"]
Status = Literal["ändrat", "tillagt", "borttaget", "oförändrat"]


@dataclass(frozen=True)
class Change:
    """One change in substance, at a place an official can find."""

    kind: Kind
    where: tuple[str, ...]
    """The place as labels, outermost first: ('Förslag till beslut', 'att-sats 2')."""
    path: str
    """The place as a key path in the case file: förslag_till_beslut.att[1]."""
    old: str | None = None
    new: str | None = None
    difference: str | None = None
    """New minus old for a figure, in the new one's unit: '+150 tkr', '−2,5 mnkr'."""
    added_lines: int = 0
    removed_lines: int = 0
    lines: tuple[str, ...] = ()
    """For prose: a unified diff of its lines (without the file header)."""

    @property
    def section(self) -> str:
        return self.where[0] if self.where else ""

    @property
    def label(self) -> str:
        return " › ".join(self.where[1:])


@dataclass(frozen=True)
class Side:
    """One version of a case file: what checking it gave, and its data as the YAML reads."""

    result: CaseResult
    data: Any = None
    digest: str = ""
    """The file's hash, when known: two versions that cannot be read are the same or not."""


@dataclass(frozen=True)
class CaseDiff:
    """What changed in one case file between two versions."""

    file: str
    status: Status
    title: str | None = None
    diarienummer: str | None = None
    old_errors: int | None = None
    """Errors of the old version; None when there is none (the file is new)."""
    new_errors: int | None = None
    as_written: bool = False
    """A version did not validate: compared as the YAML reads, not as the model."""
    unreadable: bool = False
    """A version could not even be read as YAML: nothing could be compared."""
    changes: list[Change] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.status != "oförändrat"


@dataclass(frozen=True)
class Review:
    """Every case file compared, between two named versions (files, or git revisions)."""

    old: str
    new: str
    cases: list[CaseDiff]
    others: list[str] = field(default_factory=list)
    """Other files that differ between two git revisions, not compared in substance (links,
    attached files, packs, settings): a reviewer should know they changed."""

    @property
    def changed(self) -> list[CaseDiff]:
        return [c for c in self.cases if c.changed]


def diff_sides(file: str, old: Side | None, new: Side | None) -> CaseDiff:
    """Compare two versions of one case file (None: the file is not in that version)."""
    case = (new.result.case if new else None) or (old.result.case if old else None)
    data = next((s.data for s in (new, old) if s and isinstance(s.data, dict)), {})
    written = data.get("titel"), data.get("diarienummer")  # as the YAML reads, if no model
    title = str(case.titel) if case else written[0] if isinstance(written[0], str) else None
    number = str(case.diarienummer) if case and case.diarienummer else None
    if case is None and isinstance(written[1], str):
        number = written[1]
    old_errors = len(old.result.errors) if old else None
    new_errors = len(new.result.errors) if new else None
    if old is None or new is None:
        status: Status = "tillagt" if old is None else "borttaget"
        return CaseDiff(file, status, title, number, old_errors, new_errors)
    models = old.result.case is not None and new.result.case is not None
    before: Node
    after: Node
    if models:
        before, after = case_tree(old.result), case_tree(new.result)
    elif old.data is not None and new.data is not None:
        before, after = tree(old.data), tree(new.data)
    else:  # a version that cannot even be read: its errors say why
        same = bool(old.digest) and old.digest == new.digest
        status = "oförändrat" if same else "ändrat"
        return CaseDiff(file, status, title, number, old_errors, new_errors, unreadable=True)
    changes = list(_diff(before, after, (), ()))
    status = "ändrat" if changes or bool(old_errors) != bool(new_errors) else "oförändrat"
    return CaseDiff(
        file, status, title, number, old_errors, new_errors, as_written=not models, changes=changes
    )


def diff_cases(old: CaseResult | None, new: CaseResult | None) -> CaseDiff:
    """Compare two checked versions of a case (None: not there in that version)."""
    either = new or old
    if either is None:
        raise ValueError("diff_cases needs at least one version of the case")
    return diff_sides(
        either.file, Side(old) if old is not None else None, Side(new) if new is not None else None
    )


# --- The tree both versions become --------------------------------------------------------


@dataclass(frozen=True)
class Leaf:
    """A value as the documents write it, with its number when it has one."""

    text: str
    number: Money | Decimal | None = None
    default: bool = False
    """The field's default value: compared, but left out of an item's summary."""
    suffix: str = ""
    """After a plain number: ' %', ' st'."""
    labels: dict[Unit, str] | None = None


@dataclass(frozen=True)
class Branch:
    """A model's fields, or a mapping's entries: key → (label, node)."""

    entries: dict[str, tuple[str, Node]]
    collection: bool = False
    """A mapping of the case's own ids (tables, references), not a model's fields: an entry
    added or removed is one item, not a field to go into."""
    computed: bool = False
    """A table's figures as computed: their place in the case file is the table's."""


@dataclass(frozen=True)
class Items:
    """A list, in order."""

    word: str | None
    """How its items are named when they have no name of their own: 'att-sats' gives
    'att-sats 2'."""
    items: list[Node]


Node = Leaf | Branch | Items

LABELS = {"att": "att-satser", "epost": "E-post"}
"""Labels that are not just the key with spaces."""

ITEM_WORDS = {"att": "att-sats"}
"""Lists whose items are named by their place, as a document numbers them."""

ITEM_SECTIONS = {"handlingar": "Handling", "tabeller": "Tabell"}
"""Collections of the case whose items are each a section of the diff of their own."""

IDENTITY = (
    "id",
    "paragraf",
    "namn",
    "mottagare",
    "ledamot",
    "kategori",
    "typ",
    "rubrik",
    "titel",
    "organ",
    "år",
    "enhet",
    "text",
)
"""The keys that name an item of a list, in the order they are tried."""

MAX_PAIRING = 2_500
"""Most (old × new) items compared by likeness in one stretch of a list: beyond, they are
listed as removed and added."""


def label(key: str) -> str:
    """A key as an official reads it: förslag_till_beslut → Förslag till beslut."""
    known = LABELS.get(key)
    if known:
        return known
    words = key.replace("_", " ")
    return words[:1].upper() + words[1:]


def case_tree(result: CaseResult) -> Branch:
    """A checked case as a tree, its tables with the figures computed from them."""
    case = result.case
    assert case is not None
    labels = result.pack.config.unit_labels if result.pack else None
    root = tree(case, labels=labels)
    assert isinstance(root, Branch)
    tables = root.entries.get("tabeller")
    if tables is not None and isinstance(tables[1], Branch):
        computed = result.computed.tables if result.computed else {}
        entries = dict(tables[1].entries)
        for key, table in case.tabeller.items():
            figures = _figures(table, computed.get(key), labels) if key in computed else None
            if figures is not None:
                node = tree(table, labels=labels, amounts=False)
                assert isinstance(node, Branch)
                whole = {**node.entries, "_figurer": ("", Branch(figures, computed=True))}
                entries[key] = (entries[key][0], Branch(whole))
        for key, table in case.tabeller.items():
            if table.rubrik:  # 'Tabell kostnader (Kostnader hösten 2020)'
                entries[key] = (f"{key} ({table.rubrik})", entries[key][1])
        root.entries["tabeller"] = (tables[0], Branch(entries, collection=True))
    return root


def tree(
    value: Any, *, labels: dict[Unit, str] | None = None, amounts: bool = True, key: str = ""
) -> Node:
    """Any value of a case (a model, or the YAML as read) as a tree. `amounts`: False leaves
    out the money a table's computed figures show instead."""
    if isinstance(value, BaseModel):
        entries: dict[str, tuple[str, Node]] = {}
        for name, info in type(value).model_fields.items():
            item = getattr(value, name)
            if _empty(item) or (not amounts and _is_money(item)):
                continue
            node = tree(item, labels=labels, amounts=amounts, key=name)
            if isinstance(node, Leaf) and _default(item, info):
                node = replace(node, default=True)
            entries[name] = (label(name), node)
        return Branch(entries)
    if isinstance(value, dict):
        # a mapping of models is the case's own ids (tables, references): named as written
        ids = key in ITEM_SECTIONS or any(isinstance(v, BaseModel) for v in value.values())
        entries = {
            str(k): (
                str(k) if ids else label(str(k)),
                tree(v, labels=labels, amounts=amounts, key=str(k)),
            )
            for k, v in value.items()
            if not _empty(v) and (amounts or not _is_money(v))
        }
        return Branch(entries, collection=ids)
    if isinstance(value, list | tuple) and not _is_range(value):
        return Items(
            ITEM_WORDS.get(key),
            [tree(v, labels=labels, amounts=amounts) for v in value if not _empty(v)],
        )
    return _leaf(value, labels)


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, list | dict | str) and not value)


def _default(value: Any, info: Any) -> bool:
    if info.default is not PydanticUndefined:
        return bool(value == info.default)
    return False


def _is_money(value: Any) -> bool:
    if isinstance(value, dict):
        return bool(value) and all(isinstance(v, Amount) for v in value.values())
    return isinstance(value, Amount)


def _is_range(value: Any) -> bool:
    return isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, int) for v in value)


def _leaf(value: Any, labels: dict[Unit, str] | None) -> Leaf:
    if isinstance(value, bool):
        return Leaf("ja" if value else "nej")
    if isinstance(value, Amount):
        shown = format_number(value.number, decimals_of(value.number))
        if value.unit is None:
            return Leaf(shown, value.number)
        money = value.resolve(None)
        return Leaf(f"{shown}{NBSP}{(labels or UNIT_LABELS)[value.unit]}", money, labels=labels)
    if isinstance(value, Money):
        return Leaf(format_money(value, labels=labels), value, labels=labels)
    if isinstance(value, Decimal):
        return Leaf(format_number(value, decimals_of(value)), value)
    if isinstance(value, dt.date):
        return Leaf(value.isoformat())
    if isinstance(value, DayMonth):
        return Leaf(str(value))
    if isinstance(value, Period):
        return Leaf(value.text)
    if isinstance(value, Unit):
        return Leaf((labels or UNIT_LABELS)[value])
    if isinstance(value, Enum):
        return Leaf(str(value.value))
    if _is_range(value):
        return Leaf(f"§§{NBSP}{value[0]}–{value[1]}")
    return Leaf(str(value))


# --- Figures of the tables -----------------------------------------------------------------


def _figures(
    table: Any, result: Any, labels: dict[Unit, str] | None
) -> dict[str, tuple[str, Node]] | None:
    """Each figure of a computed table under the name its row and column give it, in the
    order the document shows them; None for a kind of table this does not know."""
    from arendegen.review_figures import figures

    named = figures(table, result)
    if named is None:
        return None
    out: dict[str, tuple[str, Node]] = {}
    for name, value, suffix in named:
        while name in out:  # two rows of one name: the second is told apart
            name += " (igen)"
        if suffix is None:
            out[name] = (name, Leaf(format_money(value, labels=labels), value, labels=labels))
        else:
            number = value.kronor / value.unit.factor
            places = max(value.decimals, decimals_of(number.normalize()))
            shown = format_number(number, places) + suffix
            out[name] = (name, Leaf(shown, number, suffix=suffix))
    return out


# --- Comparing two trees -----------------------------------------------------------------


def _diff(old: Node, new: Node, where: tuple[str, ...], path: KeyPath) -> Iterator[Change]:
    if isinstance(old, Leaf) and isinstance(new, Leaf):
        if old.text != new.text:
            yield _changed_leaf(old, new, where, path)
    elif isinstance(old, Branch) and isinstance(new, Branch):
        yield from _diff_branches(old, new, where, path)
    elif isinstance(old, Items) and isinstance(new, Items):
        yield from _diff_items(old, new, where, path)
    else:
        yield Change("ändrad", where, format_path(path), summary(old), summary(new))


def _diff_branches(
    old: Branch, new: Branch, where: tuple[str, ...], path: KeyPath
) -> Iterator[Change]:
    keys = list(dict.fromkeys([*new.entries, *old.entries]))
    collection = new.collection or old.collection
    for key in keys:
        before, after = old.entries.get(key), new.entries.get(key)
        name, node = after or before  # type: ignore[misc]
        here = _place(where, path, key, name, collection)
        at = path if new.computed or key.startswith("_") else (*path, key)
        if before is not None and after is not None:
            yield from _diff(before[1], after[1], here, at)
        elif isinstance(node, Leaf) and node.default:
            continue  # a default, where the whole branch is new or gone
        elif collection:
            kind: Kind = "tillagd" if after else "borttagen"
            yield _whole(kind, node, here, at)
        else:
            yield from _one_sided(
                before[1] if before else None, after[1] if after else None, here, at
            )


def _place(
    where: tuple[str, ...], path: KeyPath, key: str, name: str, collection: bool
) -> tuple[str, ...]:
    """The labels of a branch's entry: a table of the case is a section of its own; a text
    is its branch's content ('Bakgrund', not 'Bakgrund › Text'); the figures have none."""
    if not name or key == "text" or key in ITEM_WORDS:
        return where
    if collection:
        return _item_place(where, path, name)
    return (*where, name)


def _item_place(where: tuple[str, ...], path: KeyPath, name: str) -> tuple[str, ...]:
    """An item of a list or a collection: of the case's documents or tables, a section."""
    if len(path) == 1 and str(path[0]) in ITEM_SECTIONS:
        return (f"{ITEM_SECTIONS[str(path[0])]} {name}",)
    return (*where, name)


def _one_sided(
    old: Node | None, new: Node | None, where: tuple[str, ...], path: KeyPath
) -> Iterator[Change]:
    """A field only one version has: a list or a model is gone into, so that each att-sats
    or recipient shows; a value is one change."""
    node = new if new is not None else old
    if isinstance(node, Items):
        empty: Node = Items(node.word, [])
    elif isinstance(node, Branch):
        empty = Branch({}, node.collection)
    else:
        kind: Kind = "tillagd" if new is not None else "borttagen"
        yield _whole(kind, node, where, path)  # type: ignore[arg-type]
        return
    yield from _diff(old or empty, new or empty, where, path)


def _whole(kind: Kind, node: Node, where: tuple[str, ...], path: KeyPath) -> Change:
    if isinstance(node, Leaf) and "\n" in node.text:  # a text: its lines, as a diff has them
        sign = "+" if kind == "tillagd" else "-"
        lines = tuple(sign + line for line in node.text.splitlines())
        count = len(lines)
        return Change(
            kind,
            where,
            format_path(path),
            added_lines=count if sign == "+" else 0,
            removed_lines=0 if sign == "+" else count,
            lines=lines,
        )
    text = summary(node)
    if kind == "tillagd":
        return Change(kind, where, format_path(path), new=text)
    return Change(kind, where, format_path(path), old=text)


def _changed_leaf(old: Leaf, new: Leaf, where: tuple[str, ...], path: KeyPath) -> Change:
    if "\n" in old.text or "\n" in new.text:
        lines = list(
            difflib.unified_diff(old.text.splitlines(), new.text.splitlines(), lineterm="", n=1)
        )[2:]
        added = sum(1 for line in lines if line.startswith("+"))
        removed = sum(1 for line in lines if line.startswith("-"))
        return Change(
            "text", where, format_path(path), None, None, None, added, removed, tuple(lines)
        )
    return Change("ändrad", where, format_path(path), old.text, new.text, difference(old, new))


def difference(old: Leaf, new: Leaf) -> str | None:
    """New minus old, signed, in the new figure's unit; None when they are no figures or the
    same amount written otherwise."""
    if isinstance(old.number, Money) and isinstance(new.number, Money):
        change = new.number - old.number
        if change.kronor == 0:
            return None
        shown = format_money(change, labels=new.labels)
        return shown if change.kronor < 0 else f"+{shown}"
    if (
        isinstance(old.number, Decimal)
        and isinstance(new.number, Decimal)
        and old.suffix == new.suffix
    ):
        delta = new.number - old.number
        if delta == 0:
            return None
        places = max(decimals_of(old.number.normalize()), decimals_of(new.number.normalize()))
        shown = format_number(delta, places) + new.suffix
        return shown if delta < 0 else f"+{shown}"
    return None


MATCHED_ITEMS = 2000
"""Lists longer than this are compared item by item in place, not matched for moves:
matching is quadratic at worst, and a hostile case can make it so (48 000 items, 4 min)."""


def _opcodes(old: list[str], new: list[str]) -> list[tuple[str, int, int, int, int]]:
    if max(len(old), len(new)) <= MATCHED_ITEMS:
        return list(difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes())
    common = min(len(old), len(new))
    codes = [
        ("equal" if old[i] == new[i] else "replace", i, i + 1, i, i + 1) for i in range(common)
    ]
    if len(old) > common:
        codes.append(("delete", common, len(old), common, common))
    if len(new) > common:
        codes.append(("insert", common, common, common, len(new)))
    return codes


def _diff_items(old: Items, new: Items, where: tuple[str, ...], path: KeyPath) -> Iterator[Change]:
    word = new.word or old.word
    old_ids = [identity(n) for n in old.items]
    new_ids = [identity(n) for n in new.items]
    pairs: list[tuple[int, int]] = []
    gone: list[int] = []
    came: list[int] = []
    for tag, i1, i2, j1, j2 in _opcodes(old_ids, new_ids):
        if tag == "equal":
            pairs += zip(range(i1, i2), range(j1, j2), strict=True)
            continue
        matched = _alike(old, new, range(i1, i2), range(j1, j2), numbered=word is not None)
        pairs += matched
        olds, news = {a for a, _ in matched}, {b for _, b in matched}
        gone += [i for i in range(i1, i2) if i not in olds]
        came += [j for j in range(j1, j2) if j not in news]
    waiting: dict[str, list[int]] = {}
    for j in came:
        waiting.setdefault(new_ids[j], []).append(j)
    moved: list[tuple[int, int]] = []
    for i in gone:
        if waiting.get(old_ids[i]):
            moved.append((i, waiting[old_ids[i]].pop(0)))
    found, placed = {a for a, _ in moved}, {b for _, b in moved}
    gone = [i for i in gone if i not in found]
    came = [j for j in came if j not in placed]
    changes: list[tuple[int, Change]] = []
    for i, j in sorted([*pairs, *moved], key=lambda p: p[1]):
        here = _item_place(where, path, item_name(new.items[j], word, j))
        if (i, j) in moved:
            changes.append(
                (
                    j,
                    Change(
                        "flyttad", here, format_path((*path, j)), f"plats {i + 1}", f"plats {j + 1}"
                    ),
                )
            )
        changes += [(j, c) for c in _diff(old.items[i], new.items[j], here, (*path, j))]
    for i in gone:
        here = _item_place(where, path, item_name(old.items[i], word, i))
        changes.append((_after(i, pairs), _whole("borttagen", old.items[i], here, (*path, i))))
    for j in came:
        here = _item_place(where, path, item_name(new.items[j], word, j))
        changes.append((j, _whole("tillagd", new.items[j], here, (*path, j))))
    yield from (change for _, change in sorted(changes, key=lambda c: c[0]))


def _after(old_index: int, pairs: Sequence[tuple[int, int]]) -> int:
    """Where a removed item is listed among the new ones: after the item that preceded it."""
    before = [j for i, j in pairs if i < old_index]
    return max(before, default=-1)


def _alike(
    old: Items, new: Items, olds: range, news: range, *, numbered: bool
) -> list[tuple[int, int]]:
    """Items of a changed stretch that are alike enough to be one item changed (a name's
    spelling corrected), in order; of items named by their place (att-satser), a stretch
    of as many new as old is each reworded in its place."""
    if len(olds) * len(news) > MAX_PAIRING:
        return []
    pairs: list[tuple[int, int]] = []
    start = news.start
    for i in olds:
        text = summary(old.items[i])
        for j in range(start, news.stop):
            ratio = difflib.SequenceMatcher(None, text, summary(new.items[j])).ratio()
            in_place = numbered and len(olds) == len(news) and i - olds.start == j - news.start
            if ratio >= 0.6 or in_place:
                pairs.append((i, j))
                start = j + 1
                break
    return pairs


def identity(node: Node) -> str:
    """What names an item: its name, title, text … or, for a value, the value."""
    if isinstance(node, Leaf):
        return node.text
    if isinstance(node, Branch):
        for key in IDENTITY:
            entry = node.entries.get(key)
            if entry is not None and isinstance(entry[1], Leaf):
                return entry[1].text
    return summary(node)


def item_name(node: Node, word: str | None, index: int) -> str:
    """How an item is named in the diff: 'att-sats 2', '§ 22', 'Per Karlsson', 'nr 3'."""
    if word:
        return f"{word} {index + 1}"
    if isinstance(node, Branch):
        for key in IDENTITY:
            entry = node.entries.get(key)
            if entry is not None and isinstance(entry[1], Leaf) and key != "text":
                text = entry[1].text
                if key == "paragraf":
                    return f"§{NBSP}{text}"
                if "\n" not in text and len(text) <= 80:
                    return text
    if isinstance(node, Leaf) and "\n" not in node.text and len(node.text) <= 80:
        return node.text
    return f"nr {index + 1}"


MAX_SUMMARY = 160
"""Longest one-line summary of an item added or removed, in characters."""


def summary(node: Node) -> str:
    """An item on one line: 'Per Karlsson, Ekonomidirektör, Regionkontoret'."""
    parts = list(_summary_parts(node))
    text = ", ".join(dict.fromkeys(p for p in parts if p))
    return text if len(text) <= MAX_SUMMARY else text[: MAX_SUMMARY - 1] + "…"


def _summary_parts(node: Node) -> Iterator[str]:
    if isinstance(node, Leaf):
        yield node.text.split("\n", 1)[0]
    elif isinstance(node, Branch):
        for key, (_, child) in node.entries.items():
            if isinstance(child, Leaf) and not child.default and "\n" not in child.text:
                if key == "parti" and key != next(iter(node.entries)):
                    continue  # after the name, as a protocol writes it: 'Per Lind (C)'
                yield child.text + _party(node) if key in ("namn", "ledamot") else child.text
    else:
        yield from (summary(item) for item in node.items[:3])


def _party(node: Branch) -> str:
    entry = node.entries.get("parti")
    return f" ({entry[1].text})" if entry is not None and isinstance(entry[1], Leaf) else ""


def prose_counts(change: Change) -> str:
    """'+3/−1 rader' for a text changed."""
    return f"+{change.added_lines}/\u2212{change.removed_lines} rader"


def on_each(changes: Sequence[Change], key: Callable[[Change], str]) -> dict[str, list[Change]]:
    """Changes grouped by `key`, groups in the order they first come."""
    groups: dict[str, list[Change]] = {}
    for change in changes:
        groups.setdefault(key(change), []).append(change)
    return groups
