"""Write the built-in packs' Word templates (src/arendegen/templates/<pack>/husmall.docx).

A pack's Word template carries its house style only: fonts, sizes and spacing of the named
styles, page size and margins, the running header and the footer. Its body is one paragraph,
`{{p innehåll }}`, where arendegen places the document as the pack's layout arranges it
(pack.yaml `layouter`). Open one in Word or LibreOffice, restyle it, and save; run this
script again only to start over:

    .venv/bin/python scripts/make_templates.py
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

from arendegen.render.package import tidied

PACKS = Path(__file__).resolve().parent.parent / "src" / "arendegen" / "templates"


@dataclass
class House:
    """What differs between the built-in packs' Word templates."""

    name: str
    body_font: str
    heading_font: str
    size: int


HOUSES = [
    House("region", "Calibri", "Calibri", 11),
    House("region-halland", "Arial", "Arial", 11),
    House("kommun", "Times New Roman", "Arial", 12),
    House("region-arende-till", "Arial", "Arial", 11),
    House("landsting-skrivelse", "Times New Roman", "Arial", 12),
    House("region-protokollsutdrag", "Arial", "Arial", 11),
    House("kommun-sida-av", "Times New Roman", "Times New Roman", 12),
    House("stad-beslutsplanering", "Arial", "Arial", 11),
]


def new_document(house: House) -> DocumentType:
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin, section.bottom_margin = Cm(2.2), Cm(2.2)
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name = house.body_font
    normal.font.size = Pt(house.size)
    normal.paragraph_format.space_after = Pt(6)
    for name, size in (("Title", 18), ("Heading 1", 16), ("Heading 2", 13), ("Heading 3", 11)):
        style = styles[name]
        style.font.name = house.heading_font
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.paragraph_format.space_before = Pt(12 if name != "Title" else 0)
        style.paragraph_format.space_after = Pt(4)
        rpr = style.element.get_or_add_rPr()
        for child in rpr.findall(qn("w:rFonts")):
            rpr.remove(child)
        rpr.insert(
            0,
            parse_xml(
                f'<w:rFonts {nsdecls("w")} w:ascii="{house.heading_font}" w:hAnsi="{house.heading_font}" w:cs="{house.heading_font}"/>'
            ),
        )
    title_ppr = styles["Title"].element.get_or_add_pPr()
    for border in title_ppr.findall(qn("w:pBdr")):
        title_ppr.remove(border)
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for lang in rpr.findall(qn("w:lang")):
        rpr.remove(lang)
    rpr.append(
        parse_xml(f'<w:lang {nsdecls("w")} w:val="sv-SE" w:eastAsia="sv-SE" w:bidi="ar-SA"/>')
    )
    return doc


def para(
    container,
    text: str = "",
    style: str = "Normal",
    *,
    bold: bool = False,
    size: int | None = None,
    align=None,
):
    paragraph = container.add_paragraph(style=style)
    if text:
        run = paragraph.add_run(text)
        run.bold = bold or None
        if size:
            run.font.size = Pt(size)
    if align is not None:
        paragraph.alignment = align
    return paragraph


def _field(paragraph, instr: str) -> None:
    paragraph._p.append(
        parse_xml(
            f'<w:fldSimple {nsdecls("w")} w:instr="{instr}"><w:r><w:rPr><w:sz w:val="16"/>'
            "</w:rPr><w:t>1</w:t></w:r></w:fldSimple>"
        )
    )


def _small(paragraph, text: str) -> None:
    paragraph.add_run(text).font.size = Pt(8)


def page_label(paragraph, where: str) -> None:
    """'Sida 1 av 3', '1 (3)' …: the house's words (pack.yaml `husregler.sidnummer`) around
    Word's page fields, printed where the house puts them."""
    value = f"sida.sidnummer_{where}"
    _small(paragraph, f"{{% if {value} %}}{{{{ {value}.före }}}}")
    _field(paragraph, "PAGE")
    _small(paragraph, f"{{{{ {value}.mellan }}}}{{% if {value}.antal %}}")
    _field(paragraph, "NUMPAGES")
    _small(paragraph, f"{{% endif %}}{{{{ {value}.efter }}}}{{% endif %}}")


def page_header(doc: DocumentType) -> None:
    header = doc.sections[0].header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _small(
        header, "{{ sida.sidhuvud }}{% if sida.sidhuvud and sida.sidnummer_sidhuvud %}  {% endif %}"
    )
    page_label(header, "sidhuvud")


def page_footer(doc: DocumentType) -> None:
    footer = doc.sections[0].footer
    first = footer.paragraphs[0]
    _small(first, "{%p if sida.justeringsrad %}")
    attest = footer.add_paragraph(style="Footer")
    _small(attest, "{{ sida.justeringsrad }}")
    _small(footer.add_paragraph(style="Footer"), "{%p endif %}")
    paragraph = footer.add_paragraph(style="Footer")
    paragraph.paragraph_format.tab_stops.add_tab_stop(Cm(16), WD_TAB_ALIGNMENT.RIGHT)
    _small(paragraph, "{{ sida.sidfot }}\t\t")
    page_label(paragraph, "sidfot")


def house_template(house: House) -> DocumentType:
    doc = new_document(house)
    page_header(doc)
    page_footer(doc)
    para(doc, "{{p innehåll }}")
    return doc


def main() -> None:
    for house in HOUSES:
        for old in (PACKS / house.name).glob("*.docx"):
            old.unlink()
        doc = house_template(house)
        doc.core_properties.title = "{{ dokument.titel }}"
        doc.core_properties.author = "arendegen"
        buffer = io.BytesIO()
        doc.save(buffer)
        # without python-docx's Word 2010 leftovers, as every rendered document is
        (PACKS / house.name / "husmall.docx").write_bytes(tidied(buffer.getvalue()))
        print(f"wrote {house.name}/husmall.docx")


if __name__ == "__main__":
    main()
