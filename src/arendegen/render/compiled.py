"""docxtpl's per-template work, done once per template instead of once per document.

Called once per document, docxtpl opens the template package with python-docx, patches the
XML of every part for Jinja, compiles it, renders it, and python-docx serialises and zips the
whole package again (styles.xml alone is 350 kB in Word's templates). A `CompiledTemplate`
reads the package, patches the parts and compresses the members that never change once;
per document it renders the body, headers, footers and footnotes with docxtpl's own
functions, adds the relationships links and images need, and writes the zip.

The bytes are exactly those of the plain path (docxtpl's `render` and `save`, then
`reproducible_zip`): tests/test_compiled_docx.py proves it for every document kind in every
pack, with links and a logo. A template this module does not understand (no core properties,
one header part used twice) is refused with `Unsupported`: saving it again in Word or
LibreOffice gives one it understands.

Every part is rendered once. (docxtpl renders the footnotes once per section, each time from
the last result, so template syntax in a case's text would run in the second pass.)
"""

from __future__ import annotations

import copy
import hashlib
import io
import re
import struct
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from arendegen.blocks import Logo, described
from arendegen.errors import ArendegenError
from arendegen.render.numbering import etree_bytes, numbered_styles
from arendegen.render.package import rendered_problems

# docxtpl's part types and relationship types (the package's own constants)
_IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
_HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
_CORE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
_PARAGRAPH = re.compile(r"<w:p([ >])")
# docxtpl renders author, comments, language, subject and title too, but arendegen sets those
# itself afterwards; rendered (and escaped: a quote becomes &#34;) a 255-character title could
# pass python-docx's 255-character limit and stop a build that validation had accepted.
_RENDERED_PROPERTIES = ("identifier",)


class Unsupported(ArendegenError):
    """A template package this module cannot render exactly; the message says how to fix it."""


class PartFailure(Exception):
    """A part of a template failed to render: which part, its source, and the line it was at."""

    def __init__(self, part: str, source: str, cause: BaseException) -> None:
        super().__init__(part)
        self.part = part
        self.source = source
        self.cause = cause
        self.line = _template_line(cause)


def _template_line(error: BaseException) -> int:
    """The template line an error was raised at: Jinja's own, or its rewritten traceback's."""
    line = getattr(error, "lineno", None)
    trace = error.__traceback__
    while trace is not None:
        if trace.tb_frame.f_code.co_filename == "<template>":
            line = trace.tb_lineno
        trace = trace.tb_next
    return int(line or 0)


@dataclass(frozen=True)
class Rel:
    """One relationship of a part, as python-docx writes it."""

    rid: str
    reltype: str
    target_ref: str
    external: bool
    target: str | None  # partname of an internal target


@dataclass(frozen=True)
class Member:
    """A zip member compressed once: raw deflate data, its CRC and uncompressed size."""

    name: str
    data: bytes
    crc: int
    size: int

    @classmethod
    def of(cls, name: str, blob: bytes) -> Member:
        packer = zlib.compressobj(6, zlib.DEFLATED, -15)
        return cls(name, packer.compress(blob) + packer.flush(), zlib.crc32(blob), len(blob))


@dataclass
class PartInfo:
    """One part of the template's package as python-docx would write it."""

    partname: Any  # docx.opc.packuri.PackURI
    content_type: str
    rels: list[Rel]
    blob: bytes
    next_id: int = 1  # the next free shape id in this part's XML (python-docx's next_id)


@dataclass
class _Image:
    """A logo ready to place: its python-docx Image, read once per file."""

    image: Any
    sha1: str


class CompiledTemplate:
    """One template's package, patched and compressed once; `render` makes one document."""

    def __init__(self, tpl: Any) -> None:
        self.tpl = tpl
        docx = tpl.docx
        self.styles = {style.name: style.style_id for style in docx.styles}
        self.numbered = numbered_styles(etree_bytes(docx.styles.element))
        """The template's numbered list styles, for restarting each list (render/numbering.py)."""
        package = docx.part.package
        self.main = str(docx.part.partname)
        self.parts: dict[str, PartInfo] = {}
        for part in package.iter_parts():
            self.parts[str(part.partname)] = PartInfo(
                part.partname, part.content_type, _rels_of(part), part.blob
            )
        self.package_rels = _rels_of(package)
        self.package_rels_xml = package.rels.xml
        # python-docx's image parts: the targets of image relationships, in the order found
        self.image_parts = list(
            dict.fromkeys(
                (rel.target, hashlib.sha1(self.parts[rel.target].blob).hexdigest())
                for rel in _all_rels(self)
                if rel.reltype == _IMAGE and rel.target is not None
            )
        )

        document = docx.part._element
        self.parts[self.main].next_id = docx.part.next_id
        self.body_source = tpl.patch_xml(tpl.get_xml())
        # The document element without its body; each rendered body takes the body's place.
        self.shell = copy.deepcopy(document)
        self.body_index = list(self.shell).index(self.shell.body)

        self.stories: list[tuple[str, str]] = []  # (partname, patched source): headers, footers
        for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
            for _, part in tpl.get_headers_footers(uri):
                self.parts[str(part.partname)].next_id = part.next_id
                self.stories.append((str(part.partname), tpl.patch_xml(tpl.get_part_xml(part))))
        self.footnotes = [
            name for name, info in self.parts.items() if info.content_type == _FOOTNOTES
        ]
        self.sections = len(docx.sections)
        self.core = copy.deepcopy(package.core_properties._element)
        self.core_name = str(package._core_properties_part.partname)

        changing = {self.main, self.core_name, *self.footnotes, *(n for n, _ in self.stories)}
        self.fixed = {
            name: Member.of(name[1:], info.blob)
            for name, info in self.parts.items()
            if name not in changing
        }
        self.rels_members: dict[str, Member] = {
            name: Member.of(info.partname.rels_uri.membername, _rels_xml(info.rels))
            for name, info in self.parts.items()
            if info.rels
        }
        self.package_rels_member = Member.of("_rels/.rels", self.package_rels_xml)
        self.logos: dict[tuple[str, bytes], _Image] = {}
        self.plain_layout = self._layout(self.parts, {})

    @classmethod
    def compile(cls, template: bytes) -> CompiledTemplate:
        """The compiled template; Unsupported for a package it cannot render exactly."""
        tpl = _template_class()(io.BytesIO(template))
        tpl.init_docx()
        package = tpl.docx.part.package
        if not any(rel.reltype == _CORE for rel in package.rels.values()):
            # python-docx would add default properties with today's date
            raise Unsupported(
                "mallen saknar dokumentegenskaper (docProps/core.xml); "
                "spara den igen i Word eller LibreOffice"
            )
        stories = [
            str(rel.target_part.partname)
            for rel in tpl.docx.part.rels.values()
            if rel.reltype in (tpl.HEADER_URI, tpl.FOOTER_URI) and not rel.is_external
        ]
        if len(stories) != len(set(stories)):
            raise Unsupported(
                "samma sidhuvud eller sidfot används på flera ställen i mallen; "
                "spara den igen i Word eller LibreOffice"
            )
        return cls(tpl)

    def sources(self) -> list[tuple[str, str]]:
        """Every text this template renders, as (part, Jinja source): the body, headers,
        footers and footnotes (one paragraph a line, as rendering has them) and the
        document properties."""
        from docx.opc.coreprops import CoreProperties

        tpl = self.tpl
        found = [(self.main, self.body_source), *self.stories]
        found += [
            (name, tpl.patch_xml(self.parts[name].blob.decode("utf-8"))) for name in self.footnotes
        ]
        found = [(name[1:], _PARAGRAPH.sub(r"\n<w:p\1", source)) for name, source in found]
        properties = CoreProperties(copy.deepcopy(self.core))
        found += [
            (f"{self.core_name[1:]} ({prop})", getattr(properties, prop) or "")
            for prop in _RENDERED_PROPERTIES
        ]
        return found

    def render(
        self,
        context: Mapping[str, Any],
        convert: Callable[[Mapping[str, Any], Any], Mapping[str, Any]],
        writer_for: Callable[[Mapping[str, str], Callable[[str], str], Callable[[Logo], Any]], Any],
        environment: Any,
        set_properties: Callable[[Any], None],
        stamp: tuple[int, int, int, int, int, int],
    ) -> bytes:
        """One document: the same bytes docxtpl's render and save give after reproducible_zip."""
        from docx.opc.coreprops import CoreProperties
        from docx.opc.oxml import serialize_part_xml
        from docx.oxml.parser import parse_xml

        tpl = self.tpl
        state = _Document(self)
        writer = writer_for(self.styles, state.hyperlink, state.image)
        values = convert(context, writer)

        tpl.docx_ids_index = 1000

        def render_part(name: str, source: str) -> str:
            try:
                return str(tpl.render_xml_part(source, name, values, environment))
            except Exception as exc:  # whatever the template made fail: named with its part
                raise PartFailure(name[1:], _PARAGRAPH.sub(r"\n<w:p\1", source), exc) from exc

        xml = render_part(self.main, self.body_source)
        tree = tpl.fix_tables(xml)
        tpl.fix_docpr_ids(tree)
        self.shell.replace(self.shell[self.body_index], tree)
        blobs = {self.main: serialize_part_xml(self.shell)}
        for name, source in self.stories:
            rendered = render_part(name, source)
            blobs[name] = serialize_part_xml(parse_xml(rendered.encode("utf-8")))

        core = copy.deepcopy(self.core)
        properties = CoreProperties(core)
        self._render_properties(properties, values, environment)
        for name in self.footnotes:
            patched = tpl.patch_xml(self.parts[name].blob.decode("utf-8"))
            blobs[name] = render_part(name, patched).encode("utf-8")
        _check_fields(blobs)
        set_properties(properties)
        blobs[self.core_name] = serialize_part_xml(core)

        if state.rels:
            parts = {**self.parts, **state.new_parts}
            layout = self._layout(parts, state.rels)
        else:
            parts, layout = self.parts, self.plain_layout
        members = []
        for entry in layout:
            if isinstance(entry, Member):
                members.append(entry)
            elif entry in blobs:
                members.append(Member.of(entry[1:], blobs[entry]))
            elif entry in self.fixed:
                members.append(self.fixed[entry])
            elif entry.startswith("rels:"):
                name = entry[5:]
                members.append(
                    Member.of(parts[name].partname.rels_uri.membername, _rels_xml(state.rels[name]))
                )
            else:
                members.append(Member.of(entry[1:], parts[entry].blob))
        return write_zip(members, stamp)

    def _render_properties(self, properties: Any, values: Any, environment: Any) -> None:
        """The document properties docxtpl renders as templates (title, subject …)."""
        for prop in _RENDERED_PROPERTIES:
            initial = getattr(properties, prop)
            try:
                setattr(properties, prop, environment.from_string(initial).render(values))
            except Exception as exc:
                raise PartFailure(f"{self.core_name[1:]} ({prop})", initial, exc) from exc

    def _layout(
        self, parts: Mapping[str, PartInfo], extra: Mapping[str, list[Rel]]
    ) -> list[Member | str]:
        """The members in python-docx's order: content types, package rels, then each part
        (depth first along the relationships) followed by its rels.

        Changing parts appear as their partname; the rels of a part with new relationships
        as 'rels:' + partname.
        """
        from docx.opc.pkgwriter import _ContentTypesItem

        order: list[str] = []

        def walk(rels: list[Rel]) -> None:
            for rel in rels:
                if rel.external or rel.target is None or rel.target in order:
                    continue
                order.append(rel.target)
                walk(extra.get(rel.target, parts[rel.target].rels))

        walk(self.package_rels)
        types = _ContentTypesItem.from_parts(  # type: ignore[no-untyped-call]
            [_TypedPart(parts[name].partname, parts[name].content_type) for name in order]
        )
        layout: list[Member | str] = [
            Member.of("[Content_Types].xml", types.blob),
            self.package_rels_member,
        ]
        for name in order:
            layout.append(name)
            if name in extra:
                layout.append("rels:" + name)
            elif name in self.rels_members:
                layout.append(self.rels_members[name])
        return layout


def _check_fields(blobs: Mapping[str, bytes]) -> None:
    """Refuse a rendered part with a field that fetches content (the template may have built
    its instruction from pieces that the check of its source could not see). Elements cannot
    be made by rendering (autoescaping), so only field instructions are looked at again."""
    for name, blob in blobs.items():
        if b"instr" in blob:
            problems = rendered_problems(name[1:], blob)
            if problems:
                raise Unsupported(problems[0])


def _template_class() -> Any:
    from docxtpl import DocxTemplate

    class Template(DocxTemplate):  # type: ignore[misc]
        def resolve_listing(self, xml: str) -> str:
            """docxtpl's, skipped when it has nothing to do.

            It turns tab, newline, bell and form feed in text into Word's own elements, with
            three nested regular expressions over every paragraph (a third of a document's
            time); without any of those characters it returns the text unchanged.
            """
            if "\t" in xml or "\n" in xml or "\a" in xml or "\f" in xml:
                return str(super().resolve_listing(xml))
            return xml

    return Template


@dataclass(frozen=True)
class _TypedPart:
    partname: Any
    content_type: str


@dataclass
class _Document:
    """What one document adds to its template's package: relationships and image parts."""

    template: CompiledTemplate
    rels: dict[str, list[Rel]] = field(default_factory=dict)
    new_parts: dict[str, PartInfo] = field(default_factory=dict)
    images: list[tuple[str, str]] = field(default_factory=list)

    def relate(self, source: str, reltype: str, target: str, *, external: bool) -> str:
        """python-docx's relate_to: an equal relationship is reused, else the first free rId."""
        rels = self.rels.get(source)
        if rels is None:
            rels = self.rels[source] = list(self.template.parts[source].rels)
        for rel in rels:
            same = (rel.target_ref if external else rel.target) == target
            if rel.reltype == reltype and rel.external == external and same:
                return rel.rid
        used = {rel.rid for rel in rels}
        rid = next(f"rId{n}" for n in range(1, len(rels) + 2) if f"rId{n}" not in used)
        if external:
            rels.append(Rel(rid, reltype, target, True, None))
        else:
            partname = self._partname(target)
            ref = partname.relative_ref(self.template.parts[source].partname.baseURI)
            rels.append(Rel(rid, reltype, ref, False, target))
        return rid

    def hyperlink(self, url: str) -> str:
        """docxtpl's build_url_id: links always belong to the document part."""
        return self.relate(self.template.main, _HYPERLINK, url, external=True)

    def image(self, logo: Logo) -> _PlacedImage:
        return _PlacedImage(self, logo)

    def place(self, logo: Logo) -> str:
        """docxtpl's InlineImage in the part being rendered, as python-docx would add it."""
        from docx.image.image import Image
        from docx.opc.packuri import PackURI
        from docx.oxml.shape import CT_Inline
        from docx.shared import Mm

        source = self.template.tpl.current_rendering_part
        key = (logo.name, logo.data)
        loaded = self.template.logos.get(key)
        if loaded is None:
            image = Image.from_blob(logo.data)
            loaded = self.template.logos[key] = _Image(image, image.sha1)
        known = self.template.image_parts + self.images
        target = next((name for name, sha1 in known if sha1 == loaded.sha1), None)
        image = loaded.image
        if target is None:
            used = [self._partname(name).idx for name, _ in known]
            number = next((n for n in range(1, len(known) + 1) if n not in used), len(known) + 1)
            target = f"/word/media/image{number}.{image.ext}"
            self.new_parts[target] = PartInfo(PackURI(target), image.content_type, [], image.blob)
            self.images.append((target, loaded.sha1))
        elif target in self.template.parts:
            # python-docx reads a picture already in the template from its bytes, which
            # names it 'image.png' in the document
            image = Image.from_blob(self.template.parts[target].blob)
        rid = self.relate(source, _IMAGE, target, external=False)
        cx, cy = image.scaled_dimensions(None, Mm(logo.height_mm))
        shape_id = self.template.parts[source].next_id
        pic = described(
            CT_Inline.new_pic_inline(shape_id, rid, image.filename, cx, cy).xml, logo.alt
        )
        # docxtpl's InlineImage closes the text run, places the drawing, reopens a run
        return f'</w:t></w:r><w:r><w:drawing>{pic}</w:drawing></w:r><w:r><w:t xml:space="preserve">'

    def _partname(self, name: str) -> Any:
        info = self.template.parts.get(name) or self.new_parts[name]
        return info.partname


class _PlacedImage:
    """`{{ logo }}`: placed when the template renders it, in the part being rendered.

    Made for templates: no attribute a template may read (the sandbox allows none on it).
    """

    __slots__ = ("_document", "_logo")

    def __init__(self, document: _Document, logo: Logo) -> None:
        self._document = document
        self._logo = logo

    def __html__(self) -> str:
        return self._document.place(self._logo)

    __str__ = __html__


def _rels_of(source: Any) -> list[Rel]:
    return [
        Rel(
            rel.rId,
            rel.reltype,
            rel.target_ref,
            rel.is_external,
            None if rel.is_external else str(rel.target_part.partname),
        )
        for rel in source.rels.values()
    ]


def _all_rels(template: CompiledTemplate) -> list[Rel]:
    """Every relationship, depth first from the package (python-docx's iter_rels)."""
    found: list[Rel] = []
    visited: list[str] = []

    def walk(rels: list[Rel]) -> None:
        for rel in rels:
            found.append(rel)
            if rel.external or rel.target is None or rel.target in visited:
                continue
            visited.append(rel.target)
            walk(template.parts[rel.target].rels)

    walk(template.package_rels)
    return found


def _rels_xml(rels: list[Rel]) -> bytes:
    from docx.opc.oxml import CT_Relationships

    element = CT_Relationships.new()
    for rel in rels:
        element.add_rel(rel.rid, rel.reltype, rel.target_ref, rel.external)
    blob: bytes = element.xml
    return blob


# The zip container, written as zipfile writes it (fixed times, deflate level 6, mode 644).
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")


def write_zip(members: list[Member], stamp: tuple[int, int, int, int, int, int]) -> bytes:
    """The zip of these members, byte for byte what zipfile writes for them."""
    year, month, day, hour, minute, second = stamp
    dosdate = (year - 1980) << 9 | month << 5 | day
    dostime = hour << 11 | minute << 5 | second // 2
    out = bytearray()
    central = bytearray()
    for member in members:
        name = member.name.encode("utf-8")
        flags = 0 if member.name.isascii() else 0x800
        offset = len(out)
        out += _LOCAL.pack(
            b"PK\x03\x04", 20, 0, flags, 8, dostime, dosdate, member.crc,
            len(member.data), member.size, len(name), 0,
        )  # fmt: skip
        out += name
        out += member.data
        central += _CENTRAL.pack(
            b"PK\x01\x02", 20, 3, 20, 0, flags, 8, dostime, dosdate, member.crc,
            len(member.data), member.size, len(name), 0, 0, 0, 0, 0o644 << 16, offset,
        )  # fmt: skip
        central += name
    start = len(out)
    out += central
    out += _END.pack(b"PK\x05\x06", 0, 0, len(members), len(members), len(central), start, 0)
    return bytes(out)
