"""A pack's Word template made from an organisation's own Word file (`pack ny --från-word`).

The organisation's template or a finished document keeps what is house style: page size and
margins, headers and footers (with the logo in them), first-page differences, the fonts and
spacing of its styles. Its body is replaced by the one paragraph `{{p innehåll }}`. Styles the
generated text needs and the file lacks (`List Bullet`, `Table Grid` …) are taken from the
pack it was forked from, list numbering included.

The file is untrusted like any template: it is checked (render/package.py) before it is
opened, and the template made from it is checked again as every template is.
"""

from __future__ import annotations

import copy
import io
from pathlib import Path
from typing import Any

from arendegen.contract import STYLES
from arendegen.errors import ArendegenError

LAYOUT_STYLES = ("Title", "Heading 1", *STYLES)
"""The styles a layout's blocks are written in."""


class WordImportError(ArendegenError, ValueError):
    """The Word file cannot be made a template (exit code 2)."""


def style_template(source: bytes, base: Path) -> tuple[bytes, list[str]]:
    """The pack template made from `source` (a .docx or .dotx), with the styles it lacks from
    `base` (arendegen's own template), and arendegen's running header and footer added to
    the file's own; and what the user should look at in Word (text kept from the file)."""
    from arendegen.render.package import package_problems

    problems = package_problems(source)
    if problems:
        raise WordImportError("Word-filen kan inte användas: " + "; ".join(problems))
    try:
        return _made(_as_document(source), base)
    except WordImportError:
        raise
    except Exception as exc:  # a damaged or unusual file: python-docx and lxml raise many
        raise WordImportError(f"Word-filen kan inte göras till en mall: {_reason(exc)}") from None


def _reason(exc: Exception) -> str:
    text = str(exc)
    if "is not a Word file" in text:
        return "filen är ingen Word-fil (.docx eller .dotx)"
    return f"{type(exc).__name__}: {text}"[:300]


TEMPLATE_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
DOCUMENT_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


LIBREOFFICE_CORE = (
    b"http://schemas.openxmlformats.org/officedocument/2006/relationships/metadata/core-properties"
)
PACKAGE_CORE = (
    b"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
)


def _as_document(source: bytes) -> bytes:
    """The file as a Word document python-docx reads whole: a Word template (.dotx) is a
    document with another content type, and LibreOffice names the core properties'
    relationship in a way python-docx does not look for (it would then write none)."""
    import zipfile

    changes = {
        "[Content_Types].xml": (TEMPLATE_TYPE, DOCUMENT_TYPE),
        "_rels/.rels": (LIBREOFFICE_CORE, PACKAGE_CORE),
    }
    with zipfile.ZipFile(io.BytesIO(source)) as package:
        names = set(package.namelist())
        if not any(
            name in names and old in package.read(name) for name, (old, _) in changes.items()
        ):
            return source
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in package.infolist():
                data = package.read(info.filename)
                if info.filename in changes:
                    old, new = changes[info.filename]
                    data = data.replace(old, new)
                target.writestr(info, data)
        return out.getvalue()


def _made(source: bytes, base: Path) -> tuple[bytes, list[str]]:
    from docx import Document
    from docx.oxml.ns import qn

    document = Document(io.BytesIO(source))
    notes = _kept_texts(document)
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    paragraph = document.add_paragraph()
    paragraph.add_run("{{p innehåll }}")
    _add_missing_styles(document, Document(str(base)))
    _add_running_parts(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue(), notes


def _add_running_parts(document: Any) -> None:
    """arendegen's running header and footer (the layout's sidhuvud and sidfot, the page
    label, a protocol's attestation line) after the file's own, on every page; a house that
    does not want them empties them in pack.yaml (`husregler`), or removes them in Word."""
    from docx.shared import Pt

    def small(paragraph: Any, text: str) -> None:
        paragraph.add_run(text).font.size = Pt(8)

    section = document.sections[0]
    header = section.header
    small(header.add_paragraph(), "{{ sida.sidhuvud }}")
    label = header.add_paragraph()
    _page_label(label, "sidhuvud", small)
    footer = section.footer
    small(footer.add_paragraph(), "{%p if sida.justeringsrad %}")
    small(footer.add_paragraph(), "{{ sida.justeringsrad }}")
    small(footer.add_paragraph(), "{%p endif %}")
    line = footer.add_paragraph()
    small(line, "{{ sida.sidfot }} ")
    _page_label(line, "sidfot", small)


def _page_label(paragraph: Any, where: str, small: Any) -> None:
    """'Sida 1 av 3' with Word's page fields, printed where the house puts its page label."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    value = f"sida.sidnummer_{where}"

    def field(instr: str) -> None:
        paragraph._p.append(
            parse_xml(
                f'<w:fldSimple {nsdecls("w")} w:instr="{instr}"><w:r><w:rPr><w:sz w:val="16"/>'
                "</w:rPr><w:t>1</w:t></w:r></w:fldSimple>"
            )
        )

    small(paragraph, f"{{% if {value} %}}{{{{ {value}.före }}}}")
    field("PAGE")
    small(paragraph, f"{{{{ {value}.mellan }}}}{{% if {value}.antal %}}")
    field("NUMPAGES")
    small(paragraph, f"{{% endif %}}{{{{ {value}.efter }}}}{{% endif %}}")


def _add_missing_styles(document: Any, base: Any) -> None:
    """Copy each style the generated text needs from `base`, with the list numbering its
    paragraphs refer to, renumbered so it cannot collide with the file's own lists."""
    from docx.oxml.ns import qn

    have = {style.name for style in document.styles}
    wanted = [name for name in LAYOUT_STYLES if name not in have]
    if not wanted:
        return
    numbering = _numbering(document)
    base_numbering = base.part.numbering_part.element
    used_abstract = {
        int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))
    }
    used_num = {int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))}
    styles = document.styles.element
    for name in wanted:
        source = base.styles[name].element
        style = copy.deepcopy(source)
        for num in style.iter(qn("w:numId")):
            new_id = _copy_list(
                num.get(qn("w:val")), base_numbering, numbering, used_abstract, used_num
            )
            num.set(qn("w:val"), str(new_id))
        styles.append(style)


def _number(text: str | None) -> int:
    """A list's id as a number; one that is none takes no number away from the new lists."""
    try:
        return int(text or "")
    except ValueError:
        return -1


def _numbering(document: Any) -> Any:
    """The file's list numbering, made when it has none (a file with no lists)."""
    from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from docx.parts.numbering import NumberingPart

    try:
        return document.part.numbering_part.element
    except (NotImplementedError, KeyError):
        element = parse_xml(f"<w:numbering {nsdecls('w')}/>")
        part = NumberingPart(
            PackURI("/word/numbering.xml"),
            CONTENT_TYPE.WML_NUMBERING,
            element,
            document.part.package,
        )
        document.part.relate_to(part, RELATIONSHIP_TYPE.NUMBERING)
        return element


def _copy_list(
    num_id: str | None, source: Any, target: Any, abstracts: set[int], nums: set[int]
) -> int:
    from docx.oxml.ns import qn

    num = next(n for n in source.findall(qn("w:num")) if n.get(qn("w:numId")) == num_id)
    abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
    abstract = next(
        a
        for a in source.findall(qn("w:abstractNum"))
        if a.get(qn("w:abstractNumId")) == abstract_id
    )
    new_abstract = max(abstracts, default=-1) + 1
    new_num = max(nums, default=0) + 1
    abstracts.add(new_abstract)
    nums.add(new_num)
    copied = copy.deepcopy(abstract)
    copied.set(qn("w:abstractNumId"), str(new_abstract))
    for unique in copied.findall(qn("w:nsid")) + copied.findall(qn("w:tmpl")):
        copied.remove(unique)
    first_num = target.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(copied)  # every abstractNum comes before the first num
    else:
        target.append(copied)
    instance = copy.deepcopy(num)
    instance.set(qn("w:numId"), str(new_num))
    instance.find(qn("w:abstractNumId")).set(qn("w:val"), str(new_abstract))
    target.append(instance)
    return new_num


def _kept_texts(document: Any) -> list[str]:
    """The text of each header and footer kept from the file (a finished document's header
    may name that document: the user removes it in Word)."""
    seen: list[str] = []
    for section in document.sections:
        for part in (
            section.header,
            section.first_page_header,
            section.footer,
            section.first_page_footer,
        ):
            if part.is_linked_to_previous:
                continue
            text = " ".join(p.text for p in part.paragraphs if p.text.strip())
            if text and text not in seen:
                seen.append(text)
    return seen
