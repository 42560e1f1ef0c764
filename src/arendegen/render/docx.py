"""Context → .docx through a pack's docxtpl template.

`render_docx` renders through the pack's compiled template (render/compiled.py: docxtpl's
per-template work done once); `render_docx_plain` is docxtpl called once per document, the
reference the compiled path's bytes are tested against.

Templates render in a sandboxed Jinja environment with autoescaping and StrictUndefined:
a `&` or `<` in the case comes out as typed, a missing variable is an error naming the
template, and a template cannot reach Python internals. Blocks (prose, lists, tables,
signatures) are written as WordprocessingML in the template's own styles.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from jinja2 import TemplateError
from markupsafe import Markup

from arendegen import codes
from arendegen.blocks import (
    Align,
    Block,
    Blocks,
    Cell,
    Contents,
    Logo,
    Paragraph,
    Picture,
    Run,
    Table,
    described,
)
from arendegen.diagnostics import Rule
from arendegen.errors import ArendegenError
from arendegen.formatting import typeset
from arendegen.render.compiled import CompiledTemplate, PartFailure, Unsupported
from arendegen.render.numbering import restart_lists
from arendegen.render.package import package_problems, rezipped, tidied
from arendegen.render.pdf import document_moment
from arendegen.render.sandbox import (
    Sandbox,
    check_plain,
    deadline,
    describe,
    sandbox,
    source_problems,
)
from arendegen.schema.gaps import GAP_MARK

TEXT_WIDTH = 9000  # twentieths of a point: the generated tables' total width
CONTENTS_INDENT = 360  # twentieths of a point per level of the table of contents
COMPACT_SIZE = 17  # half-points: 8,5 pt type in tables with many columns of figures


class TemplateProblem(ArendegenError):
    """A template could not be rendered; the message names the file, the part and the cause,
    `rule` the rule broken (by default: the template fails with the case's data)."""

    def __init__(self, template: Path, detail: str, rule: Rule = codes.TEMPLATE_FAILED) -> None:
        super().__init__(f"{template}: {detail}")
        self.template = template
        self.detail = detail
        self.rule = rule

    @classmethod
    def from_jinja(cls, *, template: Path, error: BaseException) -> TemplateProblem:
        return cls(template, describe(error))


@dataclass(frozen=True)
class Properties:
    """Document properties: what a file manager, a search index and a screen reader see."""

    title: str
    subject: str
    author: str
    date: dt.date | None
    draft: str | None = None
    """A draft's page mark ('UTKAST – inte en färdig handling'), printed above every page's
    header; None for a finished document."""
    first_page: int = 1
    """The number of the first page: an excerpt numbered as in its whole protocol."""
    keywords: str | None = None
    """The words a search finds it by: the diarienummer, whole (unset: the subject)."""


def environment() -> Sandbox:
    """The only Jinja environment templates ever see (render/sandbox.py)."""
    return sandbox()


class _Xml:
    """Blocks as WordprocessingML that autoescaping leaves alone (docxtpl's `{{p x }}`).

    Written when the template prints it, not before: a document's blocks that its template
    does not print cost nothing, and a picture among them is placed in the part being
    rendered. Made for templates: it has no attribute a template may read (the sandbox
    allows none on it), only its text.
    """

    __slots__ = ("_blocks", "_writer", "_xml")

    def __init__(self, blocks: Blocks, writer: _Writer) -> None:
        self._blocks = blocks
        self._writer = writer
        self._xml: str | None = None

    def __html__(self) -> str:
        if self._xml is None:
            self._xml = self._writer.blocks(self._blocks)
        return self._xml

    def __str__(self) -> str:
        return self.__html__()

    def __bool__(self) -> bool:
        return bool(self._blocks)

    def __len__(self) -> int:
        return len(self.__html__())  # what the sandbox weighs it as


def render_docx(template: Path, context: Mapping[str, Any], properties: Properties) -> bytes:
    """Render one document; the same inputs always give the same bytes.

    The template's package is read, patched and compressed once per process
    (render/compiled.py); the bytes are those of `render_docx_plain`.
    """
    check_plain(dict(context))
    try:
        compiled = _compiled(template)
    except OSError as exc:
        raise TemplateProblem(
            template, f"mallen kunde inte läsas: {exc}", codes.TEMPLATE_UNREADABLE
        ) from None
    try:
        with deadline():
            data = compiled.render(
                context,
                _convert,
                _Writer,
                environment(),
                lambda core: _set_properties(core, properties),
                _stamp(properties.date),
            )
            data = restart_lists(data, compiled.numbered)
            return _marked(_first_page(data, properties), properties)
    except Unsupported as exc:  # what rendering made of the template: the template's problem
        raise TemplateProblem(template, str(exc), codes.TEMPLATE_PACKAGE) from None
    except ArendegenError:
        raise
    except PartFailure as failure:
        where = f"{failure.part}, {_where(failure.source, failure.line)}"
        raise TemplateProblem(template, f"{where}: {describe(failure.cause)}") from None
    except (Exception, RecursionError, MemoryError) as exc:  # whatever a template made fail
        raise TemplateProblem.from_jinja(template=template, error=exc) from None


_COMPILED: dict[bytes, CompiledTemplate | tuple[str, Rule]] = {}


def _compiled(template: Path) -> CompiledTemplate:
    """The compiled template for these exact bytes (a pack edited mid-process is read anew);
    a package that is unsafe or unreadable raises TemplateProblem, before it is inflated."""
    data = template.read_bytes()
    key = hashlib.sha256(data).digest()
    if key not in _COMPILED:
        if len(_COMPILED) >= 64:
            _COMPILED.clear()
        problems = package_problems(data)
        try:
            _COMPILED[key] = (
                ("; ".join(problems), codes.TEMPLATE_PACKAGE)
                if problems
                else CompiledTemplate.compile(tidied(data))
            )
        except Unsupported as exc:
            _COMPILED[key] = (str(exc), codes.TEMPLATE_UNREADABLE)
        except (Exception, RecursionError) as exc:  # lxml, zipfile and python-docx raise many
            _COMPILED[key] = (
                f"filen kan inte läsas som Word-mall: {exc}",
                codes.TEMPLATE_UNREADABLE,
            )
    compiled = _COMPILED[key]
    if isinstance(compiled, tuple):
        raise TemplateProblem(template, *compiled)
    return compiled


def render_docx_plain(template: Path, context: Mapping[str, Any], properties: Properties) -> bytes:
    """One document the plain way: docxtpl's render and save, then `reproducible_zip`.

    The reference the compiled path is tested against, not used to build: it differs from
    docxtpl only in rendering footnotes once (docxtpl renders them again for every section).
    """
    from docx.shared import Mm
    from docxtpl import DocxTemplate, InlineImage

    class Once(DocxTemplate):  # type: ignore[misc]
        def render_footnotes(self, context: Any, jinja_env: Any = None) -> None:
            for part in self.docx.part.package.parts:
                if part.content_type.endswith("wordprocessingml.footnotes+xml"):
                    xml = self.patch_xml(part.blob.decode("utf-8"))
                    part._blob = self.render_xml_part(xml, part, context, jinja_env).encode()

    try:
        tpl = Once(io.BytesIO(tidied(template.read_bytes())))
        tpl.init_docx()
        styles = {style.name: style.style_id for style in tpl.docx.styles}

        class Described(InlineImage):  # type: ignore[misc]
            def _insert_image(self) -> str:
                return described(super()._insert_image(), self.alt)

        def image(logo: Logo) -> Any:
            placed = Described(tpl, io.BytesIO(logo.data), height=Mm(logo.height_mm))
            placed.alt = logo.alt
            return placed

        writer = _Writer(styles, tpl.build_url_id, image)
        tpl.render(_convert(context, writer), jinja_env=environment(), autoescape=True)
        _set_properties(tpl.docx.core_properties, properties)
        buffer = io.BytesIO()
        tpl.save(buffer)
    except TemplateError as exc:
        raise TemplateProblem.from_jinja(template=template, error=exc) from None
    except (OSError, KeyError, ValueError) as exc:
        raise TemplateProblem(template, f"mallen kunde inte läsas eller fyllas i: {exc}") from None
    data = restart_lists(reproducible_zip(buffer.getvalue(), properties.date))
    return _marked(_first_page(data, properties), properties)


_AFTER_PAGE_NUMBERS = re.compile(
    r"<w:(cols|formProt|vAlign|noEndnote|titlePg|textDirection|bidi|rtlGutter|docGrid"
    r"|printerSettings|sectPrChange)\b|</w:sectPr>"
)


def _first_page(data: bytes, properties: Properties) -> bytes:
    """Every section numbered from `first_page` (w:pgNumType w:start, in the schema's place
    in w:sectPr); the same bytes when it is 1."""
    if properties.first_page == 1:
        return data

    def numbered(section: re.Match[str]) -> str:
        xml = re.sub(r"<w:pgNumType\b[^>]*/>", "", section.group(0))
        tag = f'<w:pgNumType w:start="{properties.first_page}"/>'
        at = _AFTER_PAGE_NUMBERS.search(xml)
        assert at is not None  # a section always ends with </w:sectPr>
        return xml[: at.start()] + tag + xml[at.start() :]

    return rezipped(
        data,
        lambda name, xml: (
            re.sub(r"<w:sectPr\b.*?</w:sectPr>", numbered, xml, flags=re.S)
            if name == "word/document.xml"
            else None
        ),
    )


_STORY_START = re.compile(r"<w:(hdr|ftr)\b[^>]*>|<w:body>")


def _marked(data: bytes, properties: Properties) -> bytes:
    """A draft: its mark first in every page header (else every footer, else the body), so
    no page of it passes for a finished document. A finished document as it is."""
    if properties.draft is None:
        return data
    mark = (
        '<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:b/><w:color w:val="C00000"/>'
        f'<w:highlight w:val="yellow"/></w:rPr><w:t xml:space="preserve">{_xml_text(properties.draft)}'
        "</w:t></w:r></w:p>"
    )
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    stories = [n for n in names if re.fullmatch(r"word/header\d*\.xml", n)] or [
        n for n in names if re.fullmatch(r"word/footer\d*\.xml", n)
    ]
    marked = set(stories or ["word/document.xml"])
    return rezipped(
        data,
        lambda name, xml: (
            _STORY_START.sub(lambda m: m.group(0) + mark, xml, count=1) if name in marked else None
        ),
    )


def _convert(value: Any, writer: _Writer) -> Any:
    if isinstance(value, Blocks):
        return _Xml(value, writer)
    if isinstance(value, Logo):
        return writer.image(value)
    if isinstance(value, dict):
        return {k: _convert(v, writer) for k, v in value.items()}
    if isinstance(value, list):
        return [_convert(v, writer) for v in value]
    if isinstance(value, str) and _MARKERS.search(value):
        return Markup(_xml_text(value))
    return value


# docxtpl turns these into template tags in the rendered XML ('{_{' becomes '{{'): in a case's
# text they are written with the underscore as a character reference, which XML reads back as
# '_' and docxtpl's replacement does not see, so the text comes out as typed.
_MARKERS = re.compile(r"\{_[{%]|[}%]_\}")


_FALLBACK_STYLES = {"List Continue": "Normal", "List Continue 2": "Normal"}
"""Styles a template need not have (contract.STYLES are the ones it must): their stand-ins."""

_HIGHLIGHT = '<w:highlight w:val="yellow"/>'


def _run_xml(text: str, props: str, line_break: bool) -> str:
    """One w:r: its properties, then each line of the text, with breaks between."""
    parts = []
    for i, line in enumerate(text.split("\n")):
        if i or line_break:
            parts.append("<w:br/>")
        parts.append(f'<w:t xml:space="preserve">{_xml_text(line)}</w:t>')
    return f"<w:r>{f'<w:rPr>{props}</w:rPr>' if props else ''}{''.join(parts)}</w:r>"


def _look(table: Table) -> str:
    """w:tblLook: a header row for a data table, a heading first column for a data or
    key–value table, neither for a table that only places things (render/tagging.py)."""
    first_row = table.kind == "data"
    first_column = table.kind in ("data", "key_value")
    value = 0x0400 | (0x0020 if first_row else 0) | (0x0080 if first_column else 0)
    return (
        f'<w:tblLook w:val="{value:04X}" w:firstRow="{int(first_row)}" w:lastRow="0" '
        f'w:firstColumn="{int(first_column)}" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>'
    )


BOOKMARKS = 90_000
"""The first number of the headings' bookmarks, clear of any a template's header holds."""


def _page_of(bookmark: int, props: str) -> str:
    """The page a bookmark stands on, as a PAGEREF field. LibreOffice computes it as it lays
    out the pages, so the PDF has the real number; the field is marked dirty, so Word
    computes it too (its stored result is empty: we do not know the page)."""
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return (
        f'<w:r>{rpr}<w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
        f'<w:r>{rpr}<w:instrText xml:space="preserve"> PAGEREF _Toc{bookmark} \\h </w:instrText></w:r>'
        f'<w:r>{rpr}<w:fldChar w:fldCharType="separate"/></w:r>'
        f'<w:r>{rpr}<w:fldChar w:fldCharType="end"/></w:r>'
    )


def _xml_text(text: str) -> str:
    """Text escaped for WordprocessingML, docxtpl's markers left as typed."""
    escaped = escape(text)
    return _MARKERS.sub(lambda m: m.group(0).replace("_", "&#95;"), escaped)


def _set_properties(core: Any, properties: Properties) -> None:
    core.title = f"UTKAST: {properties.title}" if properties.draft else properties.title
    core.subject = properties.subject
    core.author = properties.author
    core.last_modified_by = properties.author
    core.language = "sv-SE"
    core.keywords = properties.subject if properties.keywords is None else properties.keywords
    core.comments = ""
    core.revision = 1
    # the same moment the PDF states: the date, else SOURCE_DATE_EPOCH, else 2000-01-01
    moment = document_moment(properties.date).replace(tzinfo=None)
    core.created = moment
    core.modified = moment
    core.last_printed = moment
    if properties.draft:
        core.content_status = "Utkast"


def _stamp(date: dt.date | None) -> tuple[int, int, int, int, int, int]:
    """Every zip entry's time: the document's date, so equal input gives equal bytes."""
    if date and date.year >= 1980:
        return (date.year, date.month, date.day, 0, 0, 0)
    return (1980, 1, 1, 0, 0, 0)


def reproducible_zip(data: bytes, date: dt.date | None) -> bytes:
    """The same zip with fixed entry times and settings, so equal input gives equal bytes."""
    stamp = _stamp(date)
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            entry.create_system = 3
            target.writestr(entry, source.read(info.filename), compresslevel=6)
    return out.getvalue()


class _Writer:
    """Blocks → WordprocessingML, in the template's styles."""

    def __init__(
        self,
        styles: Mapping[str, str],
        url_id: Callable[[str], str],
        image: Callable[[Logo], Any],
    ) -> None:
        self.styles = styles
        self.url_id = url_id
        self.image = image

    def style(self, name: str) -> str:
        if name not in self.styles and name in _FALLBACK_STYLES:
            name = _FALLBACK_STYLES[name]
        try:
            return self.styles[name]
        except KeyError:
            raise ValueError(f"formatmallen '{name}' saknas i mallen") from None

    def blocks(self, blocks: Blocks) -> str:
        xml = "".join(self.block(b) for b in blocks.items)
        if blocks.items and isinstance(blocks.items[-1], Table):
            # text after the blocks may not follow (a body cannot end in a table): the
            # paragraph after the last table is made too small to push a page of its own
            xml = xml.removesuffix(self._after_table()) + self._after_table(last=True)
        return xml

    def _after_table(self, *, last: bool = False) -> str:
        """The empty paragraph after a table, which keeps two tables from merging in Word."""
        style = f'<w:pStyle w:val="{self.style("Normal")}"/>'
        if last:
            style += '<w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>'
            return f'<w:p><w:pPr>{style}<w:rPr><w:sz w:val="2"/></w:rPr></w:pPr></w:p>'
        return f"<w:p><w:pPr>{style}</w:pPr></w:p>"

    def block(self, block: Block) -> str:
        if isinstance(block, Table):
            return self.table(block)
        if isinstance(block, Contents):  # composing fills it in; a template never sees it
            return ""
        if isinstance(block, Picture):
            # the placed image closes the text run it stands in and opens a new one
            placed = str(self.image(Logo(block.name, block.data, block.height_mm, block.alt)))
            return (
                f'<w:p><w:pPr><w:pStyle w:val="{self.style("Normal")}"/></w:pPr>'
                f'<w:r><w:t xml:space="preserve">{placed}</w:t></w:r></w:p>'
            )
        return self.paragraph(block)

    def paragraph(self, p: Paragraph) -> str:
        props = f'<w:pStyle w:val="{self.style(p.style)}"/>'
        if p.keep_with_next:
            props += "<w:keepNext/>"
        if p.page_break_before:
            props += "<w:pageBreakBefore/>"
        if p.contents_level:
            props += f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{TEXT_WIDTH}"/></w:tabs>'
        if p.tight:
            props += '<w:spacing w:before="0" w:after="0"/>'
        if p.contents_level > 1:
            props += f'<w:ind w:left="{CONTENTS_INDENT * (p.contents_level - 1)}"/>'
        if p.align:
            props += f'<w:jc w:val="{p.align}"/>'
        runs = "".join(self.run(r) for r in p.runs)
        if p.bookmark is not None:
            number = BOOKMARKS + p.bookmark
            runs = (
                f'<w:bookmarkStart w:id="{number}" w:name="_Toc{number}"/>{runs}'
                f'<w:bookmarkEnd w:id="{number}"/>'
            )
        return f"<w:p><w:pPr>{props}</w:pPr>{runs}</w:p>"

    def run(self, run: Run) -> str:
        props = ("<w:b/>" if run.bold else "") + ("<w:i/>" if run.italic else "")
        if run.size:
            props += f'<w:sz w:val="{run.size}"/><w:szCs w:val="{run.size}"/>'
        if run.page_of is not None:
            return _page_of(BOOKMARKS + run.page_of, props)
        if run.text == "\t":
            return "<w:r><w:tab/></w:r>"
        if run.link:
            props += '<w:color w:val="0563C1"/><w:u w:val="single"/>'
            xml = _run_xml(run.text, props, run.line_break)
            return f"<w:hyperlink r:id={quoteattr(self.url_id(run.link))}>{xml}</w:hyperlink>"
        # a draft's marks ('[beslut saknas]') are highlighted, so each gap is seen on the page
        pieces = GAP_MARK.split(typeset(run.text))
        return "".join(
            _run_xml(piece, props + (_HIGHLIGHT if k % 2 else ""), run.line_break and k == 0)
            for k, piece in enumerate(pieces)
            if piece or len(pieces) == 1
        )

    def table(self, table: Table) -> str:
        columns = max(sum(c.span for c in row) for row in table.rows)
        widths = list(table.widths) or [TEXT_WIDTH // columns] * columns
        borders = (
            ""
            if table.borders
            else (
                "<w:tblBorders>"
                + "".join(
                    f'<w:{s} w:val="nil"/>'
                    for s in ("top", "left", "bottom", "right", "insideH", "insideV")
                )
                + "</w:tblBorders>"
            )
        )
        props = (
            f'<w:tblPr><w:tblStyle w:val="{self.style("Table Grid")}"/><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
            f'{borders}<w:tblLayout w:type="fixed"/>{_look(table)}</w:tblPr>'
        )
        grid = "<w:tblGrid>" + "".join(f'<w:gridCol w:w="{w}"/>' for w in widths) + "</w:tblGrid>"
        rows = "".join(
            self.row(row, widths, header=table.header and i == 0, compact=table.compact)
            for i, row in enumerate(table.rows)
        )
        return f"<w:tbl>{props}{grid}{rows}</w:tbl>{self._after_table()}"

    def row(
        self, row: tuple[Cell, ...], widths: list[int], *, header: bool, compact: bool = False
    ) -> str:
        props = (
            "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"
            if header
            else "<w:trPr><w:cantSplit/></w:trPr>"
        )
        cells = []
        column = 0
        for cell in row:
            span = cell.span if cell is not row[-1] else len(widths) - column
            width = sum(widths[column : column + span])
            column += span
            cells.append(self.cell(cell, width, span, COMPACT_SIZE if compact else None))
        return f"<w:tr>{props}{''.join(cells)}</w:tr>"

    def cell(self, cell: Cell, width: int, span: int, size: int | None = None) -> str:
        props = f'<w:tcW w:w="{width}" w:type="dxa"/>' + (
            f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
        )
        lines = cell.text.split("\n") if cell.text else [""]
        align: Align | None = "right" if cell.number else None
        if cell.lines:
            paragraphs = "".join(self.paragraph(p) for p in cell.lines)
            return f"<w:tc><w:tcPr>{props}</w:tcPr>{paragraphs}</w:tc>"
        paragraphs = "".join(
            self.paragraph(
                Paragraph(
                    (Run(line, bold=cell.bold, size=size),) if line else (),
                    "Normal",
                    align,
                    tight=True,
                )
            )
            for line in lines
        )
        return f"<w:tc><w:tcPr>{props}</w:tcPr>{paragraphs}</w:tc>"


def template_problems(
    template: Path, known: frozenset[str], styles: tuple[str, ...], body: tuple[str, ...] = ()
) -> list[tuple[str, Rule]]:
    """What is wrong with a template before anything is rendered, one sentence each, with
    the rule it breaks.

    The package first (size, links out of it, fields that fetch content: render/package.py),
    before anything inflates it; then every part that will be rendered (body, headers,
    footers, footnotes, document properties): its syntax, what the sandbox refuses, the names
    it uses, expressions that fail on their own; and the styles generated text needs.
    """
    from jinja2 import meta

    if not template.is_file():
        return [("mallfilen finns inte", codes.TEMPLATE_MISSING)]
    data = template.read_bytes()
    unsafe = package_problems(data)
    if unsafe:
        return [(message, codes.TEMPLATE_PACKAGE) for message in unsafe]
    try:
        compiled = CompiledTemplate.compile(data)
        sources = compiled.sources()
    except Unsupported as exc:
        return [(str(exc), codes.TEMPLATE_UNREADABLE)]
    except (Exception, RecursionError) as exc:  # a damaged .docx: zipfile, lxml, python-docx
        return [(f"filen kan inte läsas som Word-mall: {exc}", codes.TEMPLATE_UNREADABLE)]
    problems: list[tuple[str, Rule]] = []
    names: set[str] = set()
    around: set[str] = set()
    env = environment()
    for part, source in sources:
        found = source_problems(source)
        problems += [
            (
                f"{part}, {_where(source, line)}: {message}" if line else f"{part}: {message}",
                codes.TEMPLATE_SOURCE,
            )
            for line, message in found
        ]
        if not found:
            used = meta.find_undeclared_variables(env.parse(source))
            names |= used
            if part != compiled.main[1:]:
                around |= used
            else:
                problems += [
                    (
                        f"{part}: brödtexten skriver inte ut {{{{p {name} }}}}, så handlingarna "
                        "blir tomma mellan sidhuvud och sidfot",
                        codes.TEMPLATE_NO_BODY,
                    )
                    for name in body
                    if name not in used
                ]
    problems += [
        (
            f"mallen använder '{name}', som inte finns; tillgängliga namn: "
            f"{', '.join(sorted(known))}",
            codes.TEMPLATE_UNKNOWN_NAME,
        )
        for name in sorted(names - known)
    ]
    if body and "sida" not in around:
        problems.append(
            (
                "sidhuvud och sidfot skriver inte ut {{ sida.… }}: sidnummer, justeringsrad och "
                "husreglernas sidhuvud och sidfot skulle saknas",
                codes.TEMPLATE_NO_PAGE,
            )
        )
    problems += [
        (f"formatmallen '{style}' saknas i mallen", codes.TEMPLATE_STYLE_MISSING)
        for style in styles
        if style not in compiled.styles
    ]
    return problems


def _where(source: str, line: int) -> str:
    """The paragraph a template line is in, with its text: 'stycke 12 ("{{ 1/0 }}")'."""
    lines = source.split("\n")
    if not 1 <= line <= len(lines):
        return "okänd rad"
    text = re.sub(r"<[^>]*>", "", lines[line - 1]).strip()
    shown = text if len(text) <= 60 else text[:57] + "…"
    return f'stycke {line - 1} ("{shown}")' if line > 1 else f'början ("{shown}")'
