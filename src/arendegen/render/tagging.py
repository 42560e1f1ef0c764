"""The PDF's structure made to say what the document is, for a screen reader and a PDF/UA
check: LibreOffice tags what Word's styles say, and that is not enough.

- **Headings** begin at H1 and never skip a level. The document's title (the style Title,
  which LibreOffice tags /Title and maps to a plain paragraph) is the H1; the headings under
  it move down one level, and none is deeper than one below the heading before it.
- **Tables** say which cells are headers. The .docx says what each table of its body is, in
  Word's own terms (`w:tblLook`, the table style's conditional formats): a first row that
  is a header row (`firstRow`, or rows repeated on each page), a first column that labels
  its row (`firstColumn`), or neither, which makes it a table for layout only (a header
  block, signatures). Header cells become TH with their /Scope; a layout table becomes
  plain groups (/Div), since it has no rows and columns to announce.
- A **figure** keeps the alternative text its .docx gives it (the logo: the house's name).

What remains wrong afterwards is returned, and a document with any such problem does not
claim PDF/UA (render/pdf.py).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

LAYOUT, KEY_VALUE, DATA = "layout", "key_value", "data"


@dataclass(frozen=True)
class TableKind:
    """What one table of the .docx body is: its kind, and how many rows head it."""

    kind: str
    header_rows: int = 0
    row_headers: bool = False


_TABLE_TAG = re.compile(r"<(/?)w:tbl>|<w:tblLook\b[^>]*>|<w:tr\b[^>]*>|<w:tblHeader\b[^>]*>")


def table_kinds(docx: bytes) -> list[TableKind]:
    """Each top-level table of the document's body, in order, as its .docx describes it."""
    try:
        xml = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode("utf-8")
    except (KeyError, zipfile.BadZipFile, OSError, UnicodeDecodeError):
        return []
    kinds: list[TableKind] = []
    depth = 0
    look = ""
    rows: list[bool] = []  # per row of the current top-level table: a header row?
    for match in _TABLE_TAG.finditer(xml):
        tag = match.group(0)
        if tag == "<w:tbl>":
            depth += 1
            if depth == 1:
                look, rows = "", []
        elif tag == "</w:tbl>":
            if depth == 1:
                kinds.append(_kind(look, rows))
            depth -= 1
        elif depth == 1 and tag.startswith("<w:tblLook"):
            look = tag
        elif depth == 1 and tag.startswith("<w:tr"):
            rows.append(False)
        elif depth == 1 and tag.startswith("<w:tblHeader") and rows:
            rows[-1] = 'w:val="0"' not in tag and 'w:val="false"' not in tag
    return kinds


def _kind(look: str, rows: list[bool]) -> TableKind:
    first_row = _flag(look, "firstRow", 0x0020)
    first_column = _flag(look, "firstColumn", 0x0080)
    repeated = 0
    while repeated < len(rows) and rows[repeated]:
        repeated += 1
    if repeated or (first_row and len(rows) > 1):
        return TableKind(DATA, max(repeated, 1), row_headers=first_column)
    if first_column:
        return TableKind(KEY_VALUE, 0, row_headers=True)
    return TableKind(LAYOUT)


def _flag(look: str, name: str, bit: int) -> bool:
    """A flag of w:tblLook: its attribute (Word 2010 and later), else its bit in w:val."""
    found = re.search(rf'w:{name}="(\w+)"', look)
    if found is not None:
        return found.group(1) in ("1", "true", "on")
    value = re.search(r'w:val="([0-9A-Fa-f]{1,4})"', look)
    return bool(value and int(value.group(1), 16) & bit)


def retag(pdf: Any, docx: bytes) -> list[str]:
    """Headings, tables and figures of the PDF's structure tree as the module docstring
    says; what is still wrong afterwards, in Swedish (nothing when it passes)."""
    import pikepdf

    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return ["PDF:en saknar strukturträd (taggar)"]
    elements = list(_walk(root))
    _headings(elements, pikepdf)
    tables = [e for e in elements if e.get("/S") == pikepdf.Name.Table]
    kinds = table_kinds(docx)
    if len(kinds) == len(tables):
        for table, kind in zip(tables, kinds, strict=True):
            _table(table, kind, pikepdf)
    return problems(pdf)


MAX_ELEMENTS = 200_000
"""Most structure elements read in one PDF: a long protocol has a few thousand; an attached
file's tree that shares its elements over and over is cut short, not walked for hours."""


def _walk(element: Any, budget: list[int] | None = None) -> Iterator[Any]:
    """Every structure element under `element` once, in the order a reader meets them
    (depth first), at most MAX_ELEMENTS of them, and no more than `budget[0]` over all the
    walks that share that budget."""
    import pikepdf

    seen: set[tuple[int, int]] = set()
    stack = [element]
    count = 0
    budget = budget if budget is not None else [MAX_ELEMENTS]
    while stack and count < MAX_ELEMENTS and budget[0] > 0:
        current = stack.pop()
        if current is not element:
            yield current
            count += 1
            budget[0] -= 1
        found = []
        for kid in _listed(current.get("/K")):
            if not isinstance(kid, pikepdf.Dictionary) or "/S" not in kid:
                continue
            if kid.is_indirect:
                if kid.objgen in seen:
                    continue  # an element shared or in a loop is read once
                seen.add(kid.objgen)
            found.append(kid)
        stack.extend(reversed(found))


_HEADING = re.compile(r"/H([1-6])")


def _headings(elements: list[Any], pikepdf: Any) -> None:
    """The title as H1, and each heading under it at its depth in the outline the Word
    styles make: a heading is a level below the nearest heading before it whose style is a
    higher one, and a sibling of those of its own style. So a protocol's 'Beslutande'
    (Heading 3) and 'Bevis om anslag' (Heading 2), both under the title, are both H2, and a
    paragraph's sections sit one below its '§ 12' heading; no level is ever skipped."""
    named = [(e, str(e.get("/S"))) for e in elements]
    offset = 1 if any(n == "/Title" for _, n in named) else 0
    open_levels: list[int] = []  # the styles' levels of the headings still open
    for element, name in named:
        if name == "/Title":
            element.S = pikepdf.Name.H1
            open_levels = []
            continue
        found = _HEADING.fullmatch(name)
        if found is None:
            continue
        level = int(found.group(1))
        while open_levels and open_levels[-1] >= level:
            open_levels.pop()
        open_levels.append(level)
        element.S = pikepdf.Name(f"/H{min(6, len(open_levels) + offset)}")


def _table(table: Any, kind: TableKind, pikepdf: Any) -> None:
    rows = [e for e in _children(table, pikepdf) if e.get("/S") == pikepdf.Name.TR]
    # LibreOffice may group rows under THead/TBody/TFoot
    for group in _children(table, pikepdf):
        if group.get("/S") in (pikepdf.Name.THead, pikepdf.Name.TBody, pikepdf.Name.TFoot):
            rows += [e for e in _children(group, pikepdf) if e.get("/S") == pikepdf.Name.TR]
    if kind.kind == LAYOUT:
        table.S = pikepdf.Name.Div
        for row in rows:
            row.S = pikepdf.Name.Div
            for cell in _children(row, pikepdf):
                cell.S = pikepdf.Name.Div
        return
    for index, row in enumerate(rows):
        cells = [
            c for c in _children(row, pikepdf) if c.get("/S") in (pikepdf.Name.TD, pikepdf.Name.TH)
        ]
        for position, cell in enumerate(cells):
            if index < kind.header_rows:
                _header(cell, "/Column", pikepdf)
            elif position == 0 and kind.row_headers:
                _header(cell, "/Row", pikepdf)


def _listed(value: Any) -> list[Any]:
    """A /K or /A value as a list: PDF writes one item bare and several as an array."""
    import pikepdf

    return list(value) if isinstance(value, pikepdf.Array) else [] if value is None else [value]


def _children(element: Any, pikepdf: Any) -> list[Any]:
    return [
        k for k in _listed(element.get("/K")) if isinstance(k, pikepdf.Dictionary) and "/S" in k
    ]


def _table_attributes(cell: Any) -> Any:
    """The cell's attribute dictionary owned by Table (/ColSpan, /RowSpan, /Scope), if any."""
    import pikepdf

    return next(
        (
            a
            for a in _listed(cell.get("/A"))
            if isinstance(a, pikepdf.Dictionary) and a.get("/O") == pikepdf.Name.Table
        ),
        None,
    )


def _header(cell: Any, scope: str, pikepdf: Any) -> None:
    """A header cell with its scope, added to the table attributes LibreOffice gave it (its
    /ColSpan and /RowSpan stay: a reader needs them to name the right header)."""
    cell.S = pikepdf.Name.TH
    table = _table_attributes(cell)
    if table is not None:
        table.Scope = pikepdf.Name(scope)
        return
    scoped = pikepdf.Dictionary(O=pikepdf.Name.Table, Scope=pikepdf.Name(scope))
    owned = _listed(cell.get("/A"))
    cell.A = pikepdf.Array([*owned, scoped]) if owned else scoped


def problems(pdf: Any) -> list[str]:
    """What keeps this PDF's structure from PDF/UA, as far as arendegen checks it: the
    heading order, header cells of each table, alternative text of each figure."""
    import pikepdf

    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return ["PDF:en saknar strukturträd (taggar)"]
    found: list[str] = []
    previous = 0
    budget = [CHECK_BUDGET]  # every walk below draws on it: a hostile tree is cut short
    for element in _walk(root, budget):
        name = str(element.get("/S"))
        heading = _HEADING.fullmatch(name)
        if heading is not None:
            level = int(heading.group(1))
            if level > previous + 1:
                found.append(
                    f"rubriknivå H{level} efter H{previous}"
                    if previous
                    else f"första rubriken är H{level}, inte H1"
                )
            previous = level
            if not _marks_content(element, budget):
                found.append(f"en tom rubrik ({name[1:]})")
        if name == "/Table":
            inside = list(_walk(element, budget))
            if not any(e.get("/S") == pikepdf.Name.TH for e in inside):
                found.append("en tabell utan rubrikceller (TH)")
            widths = {_width(row) for row in inside if row.get("/S") == pikepdf.Name.TR}
            if len(widths) > 1 and None not in widths:
                shown = sorted(w for w in widths if w is not None)
                found.append(f"en tabell vars rader är olika breda ({shown} kolumner)")
        if name == "/Figure" and "/Alt" not in element:
            found.append("en bild utan alternativtext")
        if name == "/Link" and not _has_annotation(element):
            found.append("en länk utan länkannotering (OBJR)")
    if budget[0] <= 0:
        found.append("strukturträdet är för stort för att kontrolleras")
    return found


def _has_annotation(link: Any) -> bool:
    import pikepdf

    return any(
        isinstance(k, pikepdf.Dictionary) and k.get("/Type") == pikepdf.Name.OBJR
        for k in _listed(link.get("/K"))
    )


def _width(row: Any) -> int | None:
    """How many columns a row spans (its cells' /ColSpan), or None when a cell spans rows
    (then the rows are not comparable one by one)."""
    import pikepdf

    total = 0
    for cell in _children(row, pikepdf):
        table = _table_attributes(cell)
        if table is not None and int(table.get("/RowSpan", 1)) != 1:
            return None
        total += int(table.get("/ColSpan", 1)) if table is not None else 1
    return total


CHECK_BUDGET = 1_000_000
"""Elements the checks read in all, over the whole tree and each heading's and table's part
of it (a real document reads a few thousand)."""


def _marks_content(element: Any, budget: list[int]) -> bool:
    """Whether an element reaches marked content on a page (an MCID, or a reference to
    one): an element without any is empty to a reader."""
    import pikepdf

    for each in (element, *_walk(element, budget)):
        for kid in _listed(each.get("/K")):
            if isinstance(kid, int) or (
                isinstance(kid, pikepdf.Object) and kid._type_code == pikepdf.ObjectType.integer
            ):
                return True
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") in (
                pikepdf.Name.MCR,
                pikepdf.Name.OBJR,
            ):
                return True
    return False
