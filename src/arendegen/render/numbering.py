"""Numbered lists that start at 1: each list in a document counts on its own.

A Word style such as List Number carries one numbering instance, so every paragraph in that
style counts on from the last: a decision's points 1–2 and, below them, the proposal's
points 3–4. Here each run of adjacent paragraphs in a numbered list style gets an instance
of its own that starts again at 1, as Word does when a user restarts numbering.
"""

from __future__ import annotations

import io
import re
import zipfile

from lxml import etree  # type: ignore[import-untyped]  # python-docx's; no stubs

from arendegen.render.package import rezipped

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
"""A pack's XML is refused with a DTD (render/package.py); this reads it as data regardless."""
_NS = {"w": W}


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def restart_lists(data: bytes, numbered: dict[str, str] | None = None) -> bytes:
    """The package with each numbered list restarted; the same bytes when there is none.
    `numbered` is the template's numbered list styles (`numbered_styles`), read once per
    template by the caller: reading styles.xml for every document cost 5 ms."""
    source = zipfile.ZipFile(io.BytesIO(data))
    names = set(source.namelist())
    if not {"word/styles.xml", "word/numbering.xml", "word/document.xml"} <= names:
        return data
    if numbered is None:
        numbered = numbered_styles(source.read("word/styles.xml"))
    if not numbered:
        return data
    body = source.read("word/document.xml")
    if not numbered or not any(f'w:val="{s}"'.encode() in body for s in numbered):
        return data
    numbering = etree.fromstring(source.read("word/numbering.xml"), _PARSER)
    abstract = {
        num.get(_w("numId")): num.find("w:abstractNumId", _NS).get(_w("val"))
        for num in numbering.findall("w:num", _NS)
        if num.find("w:abstractNumId", _NS) is not None
    }
    document = etree.fromstring(body, _PARSER)
    next_id = max((int(n) for n in abstract if n and n.isdigit()), default=0) + 1
    added: list[tuple[str, str]] = []
    current: dict[str, str] = {}
    for paragraph in document.iter(_w("p")):
        style = _style_of(paragraph)
        if style not in numbered or numbered[style] not in abstract:
            continue
        if _starts_list(paragraph, style, numbered):
            current[style] = str(next_id)
            added.append((str(next_id), abstract[numbered[style]]))
            next_id += 1
        _number(paragraph, current[style])
    if not added:
        return data
    # after the template's own instances: the schema orders w:num after every w:abstractNum
    # and before w:numIdMacAtCleanup
    at = numbering.index(numbering.findall("w:num", _NS)[-1]) + 1
    for offset, (num_id, abstract_id) in enumerate(added):
        num = etree.Element(_w("num"), {_w("numId"): num_id})
        numbering.insert(at + offset, num)
        etree.SubElement(num, _w("abstractNumId"), {_w("val"): abstract_id})
        override = etree.SubElement(num, _w("lvlOverride"), {_w("ilvl"): "0"})
        etree.SubElement(override, _w("startOverride"), {_w("val"): "1"})
    changed = {
        "word/document.xml": _xml(document).decode("utf-8"),
        "word/numbering.xml": _xml(numbering).decode("utf-8"),
    }
    return rezipped(data, lambda name, _: changed.get(name))


def numbered_styles(styles_xml: bytes) -> dict[str, str]:
    """Paragraph styles of numbered lists ('List Number', 'List Number 2' …): id → numId."""
    styles = etree.fromstring(styles_xml, _PARSER)
    found = {}
    for style in styles.findall("w:style", _NS):
        name = style.find("w:name", _NS)
        num = style.find("w:pPr/w:numPr/w:numId", _NS)
        if name is None or num is None:
            continue
        if re.fullmatch(r"List Number( \d)?", name.get(_w("val")) or ""):
            found[style.get(_w("styleId"))] = num.get(_w("val"))
    return found


def _starts_list(paragraph: etree._Element, style: str, numbered: dict[str, str]) -> bool:
    """True unless an earlier paragraph in the same style is reached through adjacent
    numbered paragraphs (a nested 'List Number 2' item between them does not end a list)."""
    before = paragraph.getprevious()
    while before is not None and before.tag == _w("p") and _style_of(before) in numbered:
        if _style_of(before) == style:
            return False
        before = before.getprevious()
    return True


def _style_of(paragraph: etree._Element) -> str | None:
    style = paragraph.find("w:pPr/w:pStyle", _NS)
    return style.get(_w("val")) if style is not None else None


_BEFORE_NUMPR = {"pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl"}
"""The elements of w:pPr that come before w:numPr in the schema's order."""


def _number(paragraph: etree._Element, num_id: str) -> None:
    """Give the paragraph its list's numbering instance, at level 0, in schema order."""
    props = paragraph.find("w:pPr", _NS)
    if props is None or props.find("w:numPr", _NS) is not None:
        return
    at = 0
    for i, child in enumerate(props):
        if etree.QName(child).localname in _BEFORE_NUMPR:
            at = i + 1
    numpr = etree.Element(_w("numPr"))
    etree.SubElement(numpr, _w("ilvl"), {_w("val"): "0"})
    etree.SubElement(numpr, _w("numId"), {_w("val"): num_id})
    props.insert(at, numpr)


def _xml(element: etree._Element) -> bytes:
    return bytes(etree.tostring(element, xml_declaration=True, encoding="UTF-8", standalone=True))


def etree_bytes(element: etree._Element) -> bytes:
    """An lxml element (a python-docx part's) as XML bytes."""
    return bytes(etree.tostring(element))
