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
    """The pack template made from `source` (a .docx), with the styles it lacks from `base`;
    and what the user should look at in Word (text kept in headers and footers)."""
    from docx import Document
    from docx.oxml.ns import qn

    from arendegen.render.package import package_problems

    problems = package_problems(source)
    if problems:
        raise WordImportError("Word-filen kan inte användas: " + "; ".join(problems))
    try:
        document = Document(io.BytesIO(source))
    except Exception as exc:  # a damaged or non-Word file: python-docx and lxml raise many
        raise WordImportError(f"filen kan inte läsas som Word-fil: {exc}") from None
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    paragraph = document.add_paragraph()
    paragraph.add_run("{{p innehåll }}")
    _add_missing_styles(document, Document(str(base)))
    notes = _kept_texts(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue(), notes


def _add_missing_styles(document: Any, base: Any) -> None:
    """Copy each style the generated text needs from `base`, with the list numbering its
    paragraphs refer to, renumbered so it cannot collide with the file's own lists."""
    from docx.oxml.ns import qn

    have = {style.name for style in document.styles}
    wanted = [name for name in LAYOUT_STYLES if name not in have]
    if not wanted:
        return
    numbering = document.part.numbering_part.element
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
