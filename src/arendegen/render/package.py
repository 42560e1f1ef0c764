"""A Word template's package checked before anything reads it: size, contents, links out.

A template pack is untrusted. Its .docx is a zip, so it can inflate to far more than it
weighs; and LibreOffice, making the PDF, follows more than a document's text: a picture
linked to `file:///…`, a document embedded with `altChunk` (with links of its own), an SVG
picture that refers to another file, an OLE object, fields that fetch content
(`INCLUDEPICTURE`, `INCLUDETEXT`, `LINK`, `DDE`). So a template may hold only what a house
style needs, and everything else is refused here, naming the part, before python-docx or
docxtpl inflate anything:

- parts: XML (every one parsed, no DTD, no SVG), and pictures of the kinds sniffed from
  their bytes: PNG, JPEG, GIF, BMP, TIFF, EMF, WMF; at most 10 000 pixels a side and 40
  million in all (LibreOffice spends seconds and gigabytes on larger ones); no embedded
  fonts (their bytes are scrambled by design, so nothing can tell one from an SVG);
- relationships: the kinds a document, its styles, headers, footers, notes, pictures,
  numbering, settings, theme, fonts and properties use; out of the package only http, https
  and mailto hyperlinks;
- elements: no `altChunk`, `subDoc`, OLE or ActiveX object, wherever they stand and
  whatever prefix names their namespace; no linked picture (`r:link`, VML `src`), and a
  picture's `r:embed` must name a picture in the package (LibreOffice reads whatever it
  names as one); Transitional and Strict namespaces alike; no field that fetches content.
"""

from __future__ import annotations

import io
import posixpath
import re
import struct
import zipfile
from collections.abc import Callable, Iterator
from xml.etree import ElementTree

MAX_MEMBERS = 1_000
MAX_PART_BYTES = 32 * 1024 * 1024
"""Uncompressed bytes of one part (Word's own styles.xml is about 0.3 MB)."""
MAX_TOTAL_BYTES = 128 * 1024 * 1024
MAX_RATIO = 200
"""Uncompressed / compressed for parts over 1 MB: XML compresses 5–20 times, a bomb 1000."""
MAX_SIDE = 10_000
MAX_PIXELS = 40_000_000

_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships/"
_ALLOWED_RELATIONSHIPS = (
    {
        _RELS + kind
        for kind in [
            "officeDocument",
            "styles",
            "stylesWithEffects",
            "settings",
            "webSettings",
            "fontTable",
            "theme",
            "numbering",
            "header",
            "footer",
            "footnotes",
            "endnotes",
            "comments",
            "commentsExtended",
            "commentsIds",
            "commentsExtensible",
            "people",
            "image",
            "hyperlink",
            "customXml",
            "customXmlProps",
            "glossaryDocument",
            "extended-properties",
            "customProperties",
            "extendedProperties",
            "printerSettings",
            "diagramData",
            "diagramLayout",
            "diagramQuickStyle",
            "diagramColors",
            "diagramDrawing",
            "chart",
            "chartUserShapes",
            "themeOverride",
        ]
    }
    | {
        _PACKAGE_RELS + kind
        for kind in ("metadata/core-properties", "metadata/thumbnail", "digital-signature/origin")
    }
    | {
        # LibreOffice writes the core properties' relationship under this name
        "http://schemas.openxmlformats.org/officedocument/2006/relationships/metadata/core-properties",
        "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
        "http://schemas.microsoft.com/office/2011/relationships/people",
        "http://schemas.microsoft.com/office/2011/relationships/commentsExtended",
        "http://schemas.microsoft.com/office/2016/09/relationships/commentsIds",
        "http://schemas.microsoft.com/office/2018/08/relationships/commentsExtensible",
        "http://schemas.microsoft.com/office/2007/relationships/hdphoto",
        "http://schemas.microsoft.com/office/2007/relationships/diagramDrawing",
        "http://schemas.microsoft.com/office/2011/relationships/chartStyle",
        "http://schemas.microsoft.com/office/2011/relationships/chartColorStyle",
    }
)
"""Relationship types a house style's template uses. Not among them: aFChunk (a document
embedded whole), oleObject, package, subDocument, control (ActiveX), vbaProject (macros),
attachedTemplate, frame, audio and video."""
_SAFE_SCHEMES = ("http://", "https://", "mailto:")
_HYPERLINK = _RELS + "hyperlink"
_FORBIDDEN_ELEMENTS = {
    "altChunk": "tar in ett annat dokument (altChunk)",
    "subDoc": "tar in ett underdokument (subDoc)",
    "object": "bäddar in ett objekt (OLE)",
    "OLEObject": "bäddar in ett objekt (OLE)",
    "control": "bäddar in en kontroll (ActiveX)",
    "objectEmbed": "bäddar in ett objekt (OLE)",
    "objectLink": "länkar till ett objekt (OLE)",
}
_PULLING_FIELDS = re.compile(
    r"\b(INCLUDEPICTURE|INCLUDETEXT|INCLUDE|LINK|DDEAUTO|DDE|IMPORT|DATABASE|AUTOTEXTLIST)\b",
    re.IGNORECASE,
)
_FILE_LINK = re.compile(r"\bHYPERLINK\s+\"?\s*file:", re.IGNORECASE)


def rezipped(data: bytes, change: Callable[[str, str], str | None]) -> bytes:
    """The package with the XML parts `change` returns new text for; the others as they are,
    written as reproducibly as the rest."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename.endswith(".xml"):
                changed = change(info.filename, content.decode("utf-8"))
                content = changed.encode("utf-8") if changed is not None else content
            entry = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            entry.create_system = 3
            target.writestr(entry, content, compresslevel=6)
    return out.getvalue()


_LEFTOVERS = ("word/stylesWithEffects.xml", "docProps/thumbnail.jpeg", "docProps/thumbnail.wmf")
"""Parts of the template that would lie in every document: Word 2010's copy of the styles
(which no longer matches styles.xml once a pack edits them) and the template's picture."""

_APP = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>arendegen</Application></Properties>"
)
"""The application properties: what made the file, and no counts of pages or words that
would be the template's (Word and LibreOffice count them again when they open it)."""

_COMPATIBILITY = re.compile(r'(w:name="compatibilityMode"[^>]*?w:val=")\d+(")')
_SYMBOL_BULLET = re.compile(
    r"<w:lvl\b(?:(?!</w:lvl>).)*?w:lvlText w:val=\"\uf0b7\".*?</w:lvl>", re.S
)


def _plain_bullets(numbering: str) -> str:
    """Bullets drawn with the Symbol font's private-use glyph (U+F0B7, Word's default) as
    the bullet character itself (U+2022) in the text's own font: the PDF's text then reads
    '•', not a character no screen reader or search knows."""

    def plain(level: re.Match[str]) -> str:
        xml = level.group(0).replace('w:lvlText w:val="\uf0b7"', 'w:lvlText w:val="\u2022"')
        return re.sub(r'<w:rFonts w:ascii="Symbol" w:hAnsi="Symbol"[^>]*/>', "", xml)

    return _SYMBOL_BULLET.sub(plain, numbering)


def tidied(data: bytes) -> bytes:
    """A template's package as the documents made from it should carry it: the leftover
    parts above and their relationships gone, `app.xml` naming arendegen, Word's
    compatibility mode current (15: Word 2013 and later) instead of the template's, and
    Symbol-font bullets as real bullet characters."""
    source = zipfile.ZipFile(io.BytesIO(data))
    names = set(source.namelist())
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if info.filename in _LEFTOVERS:
                continue
            content = source.read(info.filename)
            if info.filename.endswith(".rels") or info.filename == "[Content_Types].xml":
                text = content.decode("utf-8")
                for gone in _LEFTOVERS:
                    if gone in names:
                        leaf = re.escape(gone.rsplit("/", 1)[1])
                        text = re.sub(rf"<(Relationship|Override)\b[^>]*{leaf}\"[^>]*/>", "", text)
                content = text.encode("utf-8")
            elif info.filename == "docProps/app.xml":
                content = _APP.encode("utf-8")
            elif info.filename == "word/numbering.xml":
                content = _plain_bullets(content.decode("utf-8")).encode("utf-8")
            elif info.filename == "word/settings.xml":
                content = _COMPATIBILITY.sub(r"\g<1>15\2", content.decode("utf-8")).encode("utf-8")
            entry = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            target.writestr(entry, content)
    return out.getvalue()


def package_problems(data: bytes) -> list[str]:
    """What makes this .docx unsafe or unreadable as a template, one sentence each."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        return [f"filen kan inte läsas som Word-mall (ingen giltig zip-fil: {exc})"]
    problems = _size_problems(members)
    if problems:
        return problems
    kinds: dict[str, str] = {}
    pictures: list[tuple[str, str]] = []
    relationships: dict[str, dict[str, str | None]] = {}
    embeds: list[tuple[str, str]] = []
    for info in members:
        name = info.filename
        if name.endswith("/"):
            continue
        try:
            blob = archive.read(info)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
            # NotImplementedError: zipfile's answer to a compression method it does not know
            return [f"{name}: delen kan inte läsas ({exc})"]
        kinds[name] = _media_kind(name, blob) or "xml"
        problems += _part_problems(name, blob)
        if name.endswith(".rels"):
            pictures += _picture_targets(name, blob)
            relationships[name] = _relationship_kinds(name, blob)
        elif name.endswith(".xml"):
            embeds += [(name, rid) for rid in _embedded_ids(name, blob)]
    for name, rid in embeds:
        folder, base = posixpath.split(name)
        kind = relationships.get(posixpath.join(folder, "_rels", base + ".rels"), {}).get(rid)
        if kind not in _PICTURE_RELATIONSHIPS:
            problems.append(
                f"{name}: en bild (r:embed) hänvisar till '{rid}', som inte är en bild i "
                "paketet; LibreOffice läser det den hänvisar till som en bild"
            )
    for rels, target in pictures:
        if kinds.get(target, "xml") == "xml":
            problems.append(
                f"{rels}: bilden '{target}' är ingen bild (PNG, JPEG, GIF, BMP, TIFF, EMF, WMF)"
            )
    return problems


_PICTURE_RELATIONSHIPS = {
    _RELS + "image",
    _PACKAGE_RELS + "metadata/thumbnail",
    "http://schemas.microsoft.com/office/2007/relationships/hdphoto",
}


def _relationship_kinds(rels: str, blob: bytes) -> dict[str, str | None]:
    """Each relationship's id and kind; an external one has no kind here (it is no picture)."""
    root = _parse(rels, blob)
    if isinstance(root, str):
        return {}
    return {
        element.attrib.get("Id", ""): (
            None
            if element.attrib.get("TargetMode", "").strip().lower() == "external"
            else element.attrib.get("Type")
        )
        for element in root
    }


_VML = ("{urn:schemas-microsoft-com:vml}", "{urn:schemas-microsoft-com:office:office}")
_RELID = "{urn:schemas-microsoft-com:office:office}relid"


def _embedded_ids(name: str, blob: bytes) -> list[str]:
    """The relationship ids a part draws as pictures: `r:embed` (Transitional or Strict), and
    any relationship an element of VML names (`v:imagedata r:id`, `v:fill r:id`, `o:relid`)."""
    if b"embed" not in blob and b"urn:schemas-microsoft-com:" not in blob:
        return []
    root = _parse(name, blob)
    if isinstance(root, str):
        return []
    found = []
    for element in root.iter():
        vml = isinstance(element.tag, str) and element.tag.startswith(_VML)
        for key, value in element.attrib.items():
            relationship = key.startswith(_RS)
            if (relationship and _local(key) == "embed") or (
                vml and (relationship or key == _RELID)
            ):
                found.append(value)
    return found


def _picture_targets(rels: str, blob: bytes) -> list[tuple[str, str]]:
    """The parts that relationships in `rels` name as pictures (LibreOffice reads a part
    named as a picture by its contents: an SVG named evil.xml is still an SVG)."""
    root = _parse(rels, blob)
    if isinstance(root, str):
        return []
    folder = posixpath.dirname(posixpath.dirname(rels))  # word/_rels/x.rels → word
    found = []
    for element in root:
        attributes = element.attrib
        if attributes.get("Type") not in _PICTURE_RELATIONSHIPS:
            continue
        if attributes.get("TargetMode", "").strip().lower() == "external":
            continue  # refused as a link out of the package
        target = attributes.get("Target", "")
        member = target[1:] if target.startswith("/") else posixpath.join(folder, target)
        found.append((rels, posixpath.normpath(member)))
    return found


def _part_problems(name: str, blob: bytes) -> list[str]:
    if name.endswith(".xml") or name.endswith(".rels"):
        root = _parse(name, blob)
        if isinstance(root, str):
            return [root]
        if name.endswith(".rels"):
            return _link_problems(name, root)
        return _element_problems(name, root)
    media = _media_kind(name, blob)
    if media is None:
        return [
            f"{name}: delen är ingen bild (PNG, JPEG, GIF, BMP, TIFF, EMF, WMF); en mall får "
            "inte bära andra filer (inbäddade dokument eller typsnitt, SVG, makron)"
        ]
    return _picture_problems(name, media, blob)


def _parse(name: str, blob: bytes) -> ElementTree.Element | str:
    if b"<!DOCTYPE" in blob or b"<!ENTITY" in blob:
        return f"{name}: delen har en DTD (<!DOCTYPE>), som Word aldrig skriver"
    try:
        return ElementTree.fromstring(blob)
    except (ElementTree.ParseError, RecursionError) as exc:
        return f"{name}: delen kan inte läsas som XML ({exc})"


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _size_problems(members: list[zipfile.ZipInfo]) -> list[str]:
    if len(members) > MAX_MEMBERS:
        return [f"mallen har {len(members)} delar; gränsen är {MAX_MEMBERS}"]
    problems = []
    total = 0
    for info in members:
        total += info.file_size
        if info.file_size > MAX_PART_BYTES:
            problems.append(
                f"{info.filename}: delen är {info.file_size // 1_048_576} MB uppackad; "
                f"gränsen är {MAX_PART_BYTES // 1_048_576} MB"
            )
        elif info.file_size > 1_048_576 and info.file_size > MAX_RATIO * max(1, info.compress_size):
            problems.append(
                f"{info.filename}: delen packas upp {info.file_size // max(1, info.compress_size)} "
                f"gånger större än den väger (gränsen är {MAX_RATIO}): den ser ut som en zip-bomb"
            )
    if total > MAX_TOTAL_BYTES and not problems:
        problems.append(
            f"mallen är {total // 1_048_576} MB uppackad; gränsen är "
            f"{MAX_TOTAL_BYTES // 1_048_576} MB"
        )
    return problems


def _link_problems(name: str, root: ElementTree.Element) -> list[str]:
    """Only the relationship kinds a template needs; out of the package only web and mail."""
    problems = []
    for element in root:
        attributes = element.attrib
        kind = attributes.get("Type", "")
        target = attributes.get("Target", "")
        short = kind.rsplit("/", 1)[-1]
        external = attributes.get("TargetMode", "").strip().lower() == "external"
        if external and not (kind == _HYPERLINK and target.lower().startswith(_SAFE_SCHEMES)):
            problems.append(
                f"{name}: länken ut ur paketet till '{target[:200]}' ({short}) är inte tillåten; "
                "bilder och andra delar ska ligga i mallen, och länkar vara http, https eller mailto"
            )
        elif not external and (":" in target or "\\" in target):
            problems.append(
                f"{name}: målet '{target[:200]}' är ingen sökväg inom paketet (':' eller '\\'); "
                "LibreOffice kan då inte läsa dokumentet"
            )
        elif kind not in _ALLOWED_RELATIONSHIPS:
            problems.append(
                f"{name}: en relation av sorten '{short}' (till '{target[:200]}') är inte tillåten "
                "i en mall"
            )
    return problems


def _element_problems(name: str, root: ElementTree.Element) -> list[str]:
    """Elements that embed or fetch content, and fields that fetch it, in any XML part."""
    problems = set()
    instructions: list[str] = []
    if any(_local(element.tag) == "svg" for element in root.iter()):
        problems.add(f"{name}: delen har en SVG-bild, som kan hämta filer utifrån")
    for element in root.iter():
        local = _local(element.tag)
        if local in _FORBIDDEN_ELEMENTS:
            problems.add(f"{name}: delen {_FORBIDDEN_ELEMENTS[local]}, vilket inte är tillåtet")
        elif local in ("instrText", "delInstrText"):
            instructions.append(element.text or "")
        elif local == "fldChar":
            instructions.append(" ")  # one field's pieces join; two fields' do not
        for key, value in element.attrib.items():
            problem = _attribute_problem(element.tag, key, value)
            if problem:
                problems.add(f"{name}: {problem}")
            if _local(key) == "instr":
                instructions.append(" " + value + " ")
    problems.update(_field_problems(name, "".join(instructions)))
    return sorted(problems)


_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_R_STRICT = "{http://purl.oclc.org/ooxml/officeDocument/relationships}"
_RS = (_R, _R_STRICT)  # LibreOffice reads both
_LINKING_NAMESPACES = (
    "{urn:schemas-microsoft-com:vml}",
    "{urn:schemas-microsoft-com:office:office}",
)


def _attribute_problem(tag: str, key: str, value: str) -> str | None:
    """An attribute that makes LibreOffice fetch something, or names a relationship through
    a template tag (rendered, it could name a hyperlink's web address as a picture)."""
    if key.startswith(_RS) and _local(key) in ("link", "href"):
        return "en länkad bild (r:link) hämtar innehåll utifrån, vilket inte är tillåtet"
    if key.startswith(_RS) and ("{{" in value or "{%" in value):
        return f"en relation anges med en malltagg ('{value[:60]}'), vilket inte är tillåtet"
    vml = isinstance(tag, str) and tag.startswith(_LINKING_NAMESPACES)
    linking = key.startswith(_LINKING_NAMESPACES) or (vml and "}" not in key)
    if linking and _local(key) in ("href", "src") and value.strip():
        return f"en länk till '{value[:200]}' hämtar innehåll utifrån, vilket inte är tillåtet"
    return None


def _field_problems(name: str, text: str) -> list[str]:
    problems = [
        f"{name}: fältet {match.group(1).upper()} hämtar innehåll utifrån och är inte tillåtet"
        for match in _PULLING_FIELDS.finditer(text)
    ]
    if _FILE_LINK.search(text):
        problems.append(
            f"{name}: ett HYPERLINK-fält pekar på en fil (file:), vilket inte är tillåtet"
        )
    return sorted(set(problems))


def rendered_problems(name: str, xml: bytes) -> list[str]:
    """The element and field checks on a rendered part: what the template made of the data
    (an instruction built from pieces that the check of its source could not see)."""
    root = _parse(name, xml)
    if isinstance(root, str):
        return [root]
    return _element_problems(name, root)


# ---------------------------------------------------------------------------------------------
# Media


def _media_kind(name: str, blob: bytes) -> str | None:
    """The kind of a media part by its first bytes (the name and content type are the
    template's word, the bytes are what LibreOffice will read). A part with an SVG element
    near its start is none: LibreOffice, failing to read it as what its header says, looks
    for `<svg` and draws it, following its links to files."""
    if b"<svg" in blob[:65536].lower():
        return None
    head = blob[:64]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head.startswith(b"BM"):
        return "bmp"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "tiff"
    if head.startswith(b"\x01\x00\x00\x00") and head[40:44] == b" EMF":
        return "emf"
    if head.startswith((b"\xd7\xcd\xc6\x9a", b"\x01\x00\x09\x00", b"\x02\x00\x09\x00")):
        return "wmf"
    return None  # embedded fonts included: their bytes are scrambled, so nothing can tell them


def image_problems(name: str, blob: bytes, *, kinds: tuple[str, ...]) -> list[str]:
    """A picture of one of `kinds` within the bounds on pixels, or why not."""
    kind = _media_kind(name, blob)
    if kind not in kinds:
        return [f"{name}: bilden är ingen {', '.join(k.upper() for k in kinds)}"]
    return _picture_problems(name, kind, blob)


def _picture_problems(name: str, kind: str, blob: bytes) -> list[str]:
    size = next(_dimensions(kind, blob), None)
    if size is None:
        return []
    width, height = size
    if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
        return [
            f"{name}: bilden är {width} × {height} bildpunkter; gränsen är {MAX_SIDE} per sida "
            f"och {MAX_PIXELS // 1_000_000} miljoner i allt"
        ]
    return []


def _dimensions(kind: str, blob: bytes) -> Iterator[tuple[int, int]]:
    """A picture's width and height from its header, where the format states them early."""
    if kind == "png" and len(blob) >= 24:
        yield struct.unpack(">II", blob[16:24])
    elif kind == "gif" and len(blob) >= 10:
        yield struct.unpack("<HH", blob[6:10])
    elif kind == "bmp" and len(blob) >= 26:
        width, height = struct.unpack("<ii", blob[18:26])
        yield abs(width), abs(height)
    elif kind == "jpeg":
        yield from _jpeg_dimensions(blob)


def _jpeg_dimensions(blob: bytes) -> Iterator[tuple[int, int]]:
    """Walk the JPEG's segments to its frame header (SOF), which holds the size."""
    at = 2
    while at + 9 < len(blob):
        if blob[at] != 0xFF:
            return
        marker = blob[at + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            at += 2
            continue
        length = struct.unpack(">H", blob[at + 2 : at + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", blob[at + 5 : at + 9])
            yield width, height
            return
        at += 2 + length
