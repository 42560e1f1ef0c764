"""A Word template's package checked before anything reads it: size, links out, fields.

A template pack is untrusted. Its .docx is a zip, so it can inflate to far more than it
weighs; its relationships can point outside the package (`TargetMode="External"`), and
LibreOffice follows some of them when it makes the PDF (a linked picture `file:///…` is
embedded); its fields can pull in other files (`INCLUDEPICTURE`, `INCLUDETEXT`, `LINK`,
`DDE`). All of these are refused here, naming the part and the target, before python-docx
or docxtpl inflate anything.
"""

from __future__ import annotations

import io
import re
import zipfile
from xml.etree import ElementTree

MAX_MEMBERS = 1_000
MAX_PART_BYTES = 32 * 1024 * 1024
"""Uncompressed bytes of one part (Word's own styles.xml is about 0.3 MB)."""
MAX_TOTAL_BYTES = 128 * 1024 * 1024
MAX_RATIO = 200
"""Uncompressed / compressed for parts over 1 MB: XML compresses 5–20 times, a bomb 1000."""

_HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
_SAFE_SCHEMES = ("http://", "https://", "mailto:")
_INSTR_TEXT = re.compile(rb"<w:instrText\b[^>]*>([^<]*)</w:instrText>")
_FLD_SIMPLE = re.compile(rb'<w:fldSimple\b[^>]*\bw:instr="([^"]*)"')
_PULLING_FIELDS = re.compile(
    r"\b(INCLUDEPICTURE|INCLUDETEXT|INCLUDE|LINK|DDEAUTO|DDE|IMPORT)\b", re.IGNORECASE
)
_FILE_LINK = re.compile(r"\bHYPERLINK\s+\"?\s*file:", re.IGNORECASE)
_STORY = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml")


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
    for info in members:
        name = info.filename
        if not (name.endswith(".xml") or name.endswith(".rels")):
            continue
        try:
            blob = archive.read(info)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            return [f"{name}: delen kan inte läsas ({exc})"]
        if b"<!DOCTYPE" in blob or b"<!ENTITY" in blob:
            problems.append(f"{name}: delen har en DTD (<!DOCTYPE>), som Word aldrig skriver")
        if b"<!DOCTYPE" in blob or b"<!ENTITY" in blob:
            continue
        if name.endswith(".rels"):
            problems += _link_problems(name, blob)
        elif _STORY.fullmatch(name):
            problems += _field_problems(name, blob)
            if b"<w:altChunk" in blob:
                problems.append(
                    f"{name}: delen tar in ett annat dokument (w:altChunk), vilket inte är tillåtet"
                )
    return problems


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


def _link_problems(name: str, blob: bytes) -> list[str]:
    """External relationships: only web and mail hyperlinks may point out of the package."""
    try:
        root = ElementTree.fromstring(blob)  # no DTD: refused before this is called
    except ElementTree.ParseError as exc:
        return [f"{name}: delen kan inte läsas som XML ({exc})"]
    problems = []
    for element in root:
        attributes = element.attrib
        if attributes.get("TargetMode", "").lower() != "external":
            continue
        target = attributes.get("Target", "")
        kind = attributes.get("Type", "").rsplit("/", 1)[-1]
        if attributes.get("Type") == _HYPERLINK and target.lower().startswith(_SAFE_SCHEMES):
            continue
        problems.append(
            f"{name}: länken ut ur paketet till '{target[:200]}' ({kind}) är inte tillåten; "
            "bilder och andra delar ska ligga i mallen, och länkar vara http, https eller mailto"
        )
    return problems


def _field_problems(name: str, blob: bytes) -> list[str]:
    """Fields that fetch content from elsewhere when the document is opened or converted."""
    instructions = b"".join(_INSTR_TEXT.findall(blob)) + b" " + b" ".join(_FLD_SIMPLE.findall(blob))
    text = instructions.decode("utf-8", "replace")
    problems = [
        f"{name}: fältet {match.group(1).upper()} hämtar innehåll utifrån och är inte tillåtet"
        for match in _PULLING_FIELDS.finditer(text)
    ]
    if _FILE_LINK.search(text):
        problems.append(
            f"{name}: ett HYPERLINK-fält pekar på en fil (file:), vilket inte är tillåtet"
        )
    return sorted(set(problems))


def rendered_problems(xml: str) -> list[str]:
    """The same field check on a rendered part: what the template made from the case's data."""
    return _field_problems("dokumentet", xml.encode("utf-8"))
