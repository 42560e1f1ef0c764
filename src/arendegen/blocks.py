"""A small document model between the case and Word: paragraphs, runs, lists and tables.

`context.py` builds these from the case; `render/docx.py` writes them as WordprocessingML
in the template's own styles. Markdown prose is parsed here, with markdown-it-py.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from markdown_it import MarkdownIt
from markdown_it.token import Token

Align = Literal["left", "right", "center"]


@dataclass(frozen=True)
class Run:
    """A stretch of text with one formatting."""

    text: str
    bold: bool = False
    italic: bool = False
    link: str | None = None
    line_break: bool = False
    size: int | None = None
    """Font size in half-points, when smaller than the style's (wide tables)."""
    page_of: int | None = None
    """The page number of the heading with this bookmark: a field that LibreOffice fills in
    as it lays out the pages (and Word when it updates fields), never a guess of ours."""


@dataclass(frozen=True)
class Paragraph:
    """A paragraph in a named template style (`Normal`, `List Bullet`, `Heading 2` …)."""

    runs: tuple[Run, ...]
    style: str = "Normal"
    align: Align | None = None
    keep_with_next: bool = False
    tight: bool = False
    page_break_before: bool = False
    caption: bool = False
    """A table's heading: numbered 'Tabell 1.' where the house numbers its tables."""
    bookmark: int | None = None
    """A heading the table of contents points to."""
    contents_level: int = 0
    """A line of the table of contents, at this depth: the page number at the right margin,
    after a dotted leader."""


@dataclass(frozen=True)
class Cell:
    """A table cell: its text, whether it is a figure (right-aligned) and bold.

    A cell with `lines` shows those paragraphs instead of its text (a header cell: a small
    label above its value)."""

    text: str
    number: bool = False
    bold: bool = False
    span: int = 1
    lines: tuple[Paragraph, ...] = ()


@dataclass(frozen=True)
class Table:
    """A table; the first row is the header, repeated on each page."""

    rows: tuple[tuple[Cell, ...], ...]
    widths: tuple[int, ...] = ()
    borders: bool = True
    header: bool = True
    compact: bool = False
    """Smaller type, for tables with many columns of figures."""
    role: Literal["data", "key_value", "layout"] | None = None
    """What the table is to a reader: figures under a header row (data), labels each
    heading its row (key_value), or only a way to place things side by side (layout).
    Unset: data with a header row, else layout. Word's tblLook says it in the file, and
    the PDF's tags follow it (render/tagging.py)."""

    @property
    def kind(self) -> str:
        return self.role or ("data" if self.header else "layout")


@dataclass(frozen=True)
class Picture:
    """An image in a paragraph of its own (the house's logo): its bytes, never a path."""

    name: str
    data: bytes
    height_mm: int
    alt: str = ""
    """What the picture shows, for those who cannot see it (the house's name for its logo)."""


@dataclass(frozen=True)
class Contents:
    """Where the table of contents goes; composing the body fills it in with every heading
    that follows (layout/compose.py), so nothing else ever sees it."""

    heading: Paragraph | None
    levels: int = 3
    own_page: bool = False
    """The table of contents has a page of its own: it starts one, and what follows it
    starts the next."""


Block = Paragraph | Table | Picture | Contents


@dataclass(frozen=True)
class Logo:
    """An image the renderer places where a template says `{{ logo }}`: its bytes, not its
    path (nothing a template sees leads to the file system)."""

    name: str
    data: bytes
    height_mm: int
    alt: str = ""
    """What the picture shows, for those who cannot see it (the house's name for its logo)."""


def described(drawing: str, alt: str) -> str:
    """A placed picture's XML with its alternative text (`descr` of its wp:docPr)."""
    if not alt:
        return drawing
    from xml.sax.saxutils import quoteattr

    return drawing.replace("<wp:docPr ", f"<wp:docPr descr={quoteattr(alt)} ", 1)


@dataclass(frozen=True)
class Blocks:
    """A sequence of blocks that a template places with `{{p name }}`."""

    items: tuple[Block, ...] = field(default_factory=tuple)

    def __bool__(self) -> bool:
        return bool(self.items)

    def __add__(self, other: Blocks) -> Blocks:
        return Blocks(self.items + other.items)

    def plain_text(self) -> str:
        """The text of every paragraph and cell, one per line (for tests and search)."""
        lines: list[str] = []
        for item in self.items:
            if isinstance(item, Paragraph):
                lines.append("".join(r.text for r in item.runs))
            elif isinstance(item, Table):
                lines += [" | ".join(_cell_text(c) for c in row) for row in item.rows]
        return "\n".join(lines)


def _cell_text(cell: Cell) -> str:
    if not cell.lines:
        return cell.text
    return " ".join("".join(r.text for r in p.runs) for p in cell.lines)


def paragraph(
    text: str,
    style: str = "Normal",
    *,
    bold: bool = False,
    align: Align | None = None,
    tight: bool = False,
) -> Paragraph:
    """A paragraph of plain text; `tight` drops the space between lines of a list."""
    return Paragraph((Run(text, bold=bold),), style, align, tight=tight)


def blocks(*items: Block) -> Blocks:
    """Blocks from the given items."""
    return Blocks(tuple(items))


_MARKDOWN = (
    MarkdownIt("commonmark", {"html": False, "linkify": False})
    .enable("table")
    .disable(["image", "html_inline", "html_block"])
)
LIST_STYLES = {
    "bullet": ("List Bullet", "List Bullet 2"),
    "ordered": ("List Number", "List Number 2"),
}
CONTINUE_STYLES = ("List Continue", "List Continue 2")
"""A list item's later paragraphs: indented with the item, without a bullet or number (a
template without these styles writes them as Normal)."""


def markdown(text: str | None, *, remember: bool = True) -> Blocks:
    """Markdown prose (paragraphs, lists, bold, italic, links, headings) as blocks.

    `remember=False` for a text made for one document only (a layout's text with a case's
    values in it): it is not kept for the next case."""
    if not text:
        return Blocks()
    return _markdown_blocks(text) if remember else _markdown_blocks.__wrapped__(text)


_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def markdown_escape(value: str) -> str:
    """A value as literal Markdown text: every ASCII punctuation mark escaped, so '2026. 14'
    stays itself rather than becoming a numbered list."""
    return _PUNCTUATION.sub(r"\\\1", value)


@functools.lru_cache(maxsize=1024)
def _markdown_blocks(text: str) -> Blocks:
    """Parsed once per text: a case's sections appear in several of its documents, and
    parsing was a third of building a document's context. Blocks are immutable."""
    tokens = iter(_MARKDOWN.parse(text))
    items: list[Block] = []
    lists: list[str] = []
    started: list[bool] = []  # per open list item: has its first paragraph been written
    style = "Normal"
    for token in tokens:
        if token.type in {"bullet_list_open", "ordered_list_open"}:
            lists.append("bullet" if token.type.startswith("bullet") else "ordered")
        elif token.type in {"bullet_list_close", "ordered_list_close"}:
            lists.pop()
        elif token.type == "list_item_open":
            started.append(False)
        elif token.type == "list_item_close":
            started.pop()
        elif token.type == "heading_open":
            style = "Heading 3"
        elif token.type == "table_open":
            items.append(_table(tokens))
        elif token.type == "inline":
            current = style if style.startswith("Heading") else _list_style(lists, started)
            items.append(Paragraph(tuple(_inline(token)), current))
            style = "Normal"
        elif token.type in {"code_block", "fence"}:
            items += [paragraph(line) for line in token.content.rstrip("\n").split("\n")]
    return Blocks(tuple(items))


def _list_style(lists: list[str], started: list[bool]) -> str:
    """A paragraph's style in the lists it stands in: the item's bullet or number for its
    first paragraph, the list's indent without one for the paragraphs that continue it."""
    if not lists:
        return "Normal"
    depth = min(len(lists), 2) - 1
    if started and started[-1]:
        return CONTINUE_STYLES[depth]
    if started:
        started[-1] = True
    return LIST_STYLES[lists[-1]][depth]


def _table(tokens: Iterator[Token]) -> Table:
    """A Markdown table, read up to its end, as a Word table: the header row bold,
    right-aligned columns as figures, the width shared out evenly."""
    rows: list[list[Cell]] = []
    header = right = False
    for token in tokens:
        if token.type == "table_close":
            break
        if token.type == "tr_open":
            rows.append([])
        elif token.type in {"th_open", "td_open"}:
            header = token.type == "th_open"
            right = "right" in str(token.attrs.get("style", ""))
        elif token.type == "inline" and rows:
            text = "".join(r.text for r in _inline(token))
            rows[-1].append(Cell(text, number=right, bold=header))
    columns = max((len(row) for row in rows), default=1)
    full = tuple(tuple(row + [Cell("")] * (columns - len(row))) for row in rows)
    return Table(full, (9000 // columns,) * columns, compact=columns > 4)


def _inline(token: Token) -> list[Run]:
    runs: list[Run] = []
    bold = italic = False
    link: str | None = None
    pending_break = False
    for child in token.children or []:
        kind = child.type
        if kind == "strong_open":
            bold = True
        elif kind == "strong_close":
            bold = False
        elif kind == "em_open":
            italic = True
        elif kind == "em_close":
            italic = False
        elif kind == "link_open":
            link = str(child.attrs.get("href", "")) or None
        elif kind == "link_close":
            link = None
        elif kind == "softbreak":
            runs.append(Run(" ", bold, italic, link))
        elif kind == "hardbreak":
            pending_break = True
        elif kind in {"text", "code_inline", "html_inline"}:
            runs.append(Run(child.content, bold, italic, link, line_break=pending_break))
            pending_break = False
    return _merge(runs)


def _merge(runs: list[Run]) -> list[Run]:
    """Join neighbouring runs of the same formatting, so the XML stays small."""
    merged: list[Run] = []
    for run in runs:
        last = merged[-1] if merged else None
        if (
            last is not None
            and not run.line_break
            and (last.bold, last.italic, last.link) == (run.bold, run.italic, run.link)
        ):
            merged[-1] = Run(
                last.text + run.text, last.bold, last.italic, last.link, last.line_break
            )
        else:
            merged.append(run)
    return merged
