"""Write the built-in packs' Word templates (src/arendegen/templates/<pack>/*.docx).

The templates are ordinary .docx files: open one in Word or LibreOffice, restyle it (fonts,
margins, header, logo), keep the {{ … }} and {%p … %} tags, and save. This script is only
the starting point that made them; run it again only to start over:

    .venv/bin/python scripts/make_templates.py
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import _Cell

from arendegen.schema.case import SECTION_KEYS

PACKS = Path(__file__).resolve().parent.parent / "src" / "arendegen" / "templates"


@dataclass
class House:
    """What differs between the built-in packs."""

    name: str
    body_font: str
    heading_font: str
    size: int
    memo_sections: list[str]
    repeat_reservations: bool = False
    footer_attest: bool = False
    request_intro: list[str] = field(default_factory=list)
    request_questions: dict[str, str] = field(default_factory=dict)


GENERIC_QUESTIONS = {
    "syfte": "Syfte",
    "mål": "Mål",
    "aktiviteter": "Aktiviteter",
    "tidsplan": "Tidsplan",
    "samverkan": "Samverkan",
    "delaktighet": "Delaktighet för patienter, brukare och närstående",
    "uppföljning": "Uppföljning",
    "effekter": "Förväntade effekter",
    "långsiktig_finansiering": "Långsiktig finansiering",
    "övrigt": "Övrigt",
}

HALLAND_QUESTIONS = {
    "syfte": "Syfte",
    "mål": "Mål",
    "aktiviteter": "Beskriv vilka aktiviteter som ska genomföras",
    "tidsplan": "Ange tidsplan för insatsen (det finns möjlighet att planera för insatser som löper över mer än ett år)",
    "samverkan": "Kommer insatsen genomföras i samverkan med annan verksamhet och/eller förvaltning? Om ja, beskriv på vilket sätt.",
    "delaktighet": "Ange om patienter, brukare eller närstående kommer att involveras och i så fall på vilket sätt. För information och stöd se vårdgivarwebben.",
    "uppföljning": "Beskriv hur insatsen ska följas upp",
    "effekter": "Beskriv förväntade effekter av insatsen på kort och lång sikt. Inkludera effekter för verksamheten, för patienten och ev. ekonomiska effekter.",
    "långsiktig_finansiering": "Beskriv vid behov plan för långsiktig finansiering samt om insatsen är avsedd för att hantera en tillfällig puckelkostnad av något slag.",
    "övrigt": "Övrigt",
}

CONSEQUENCES = [
    "barnkonsekvenser",
    "barnchecklista",
    "sociala_konsekvenser",
    "miljökonsekvenser",
    "jämställdhetskonsekvenser",
    "fler",
]
"""Sections most cases leave out; each appears only when the case has it."""

REGION_ORDER = [
    "sammanfattning",
    "förslag",
    "delegation",
    "motion",
    "remiss",
    "bakgrund",
    "beredning",
    "överväganden",
    "konsekvenser",
    "ekonomi",
    "konsekvensanalys",
    *CONSEQUENCES,
    "ställningstaganden",
    "beredningsansvariga",
    "beslutsunderlag",
    "underskrifter",
    "bilagor",
    "expedieras_till",
    "efterföljande_beslut",
]
HALLAND_ORDER = [
    "förslag",
    "delegation",
    "sammanfattning",
    "motion",
    "remiss",
    "bakgrund",
    "beredning",
    "överväganden",
    "konsekvenser",
    "konsekvensanalys",
    *CONSEQUENCES,
    "ekonomi",
    "ställningstaganden",
    "beredningsansvariga",
    "underskrifter",
    "bilagor",
    "beslutsunderlag",
    "expedieras_till",
    "efterföljande_beslut",
]
KOMMUN_ORDER = [
    "sammanfattning",
    "förslag",
    "delegation",
    "motion",
    "remiss",
    "bakgrund",
    "beredning",
    "överväganden",
    "ekonomi",
    "konsekvenser",
    "konsekvensanalys",
    *CONSEQUENCES,
    "ställningstaganden",
    "beslutsunderlag",
    "bilagor",
    "underskrifter",
    "expedieras_till",
    "beredningsansvariga",
    "efterföljande_beslut",
]

HOUSES = [
    House("region", "Calibri", "Calibri", 11, REGION_ORDER, request_questions=GENERIC_QUESTIONS),
    House(
        "region-halland",
        "Arial",
        "Arial",
        11,
        HALLAND_ORDER,
        request_intro=[
            "Förfrågan om utvecklingsmedel ska skickas via ansvarig förvaltningschef till "
            "Regionkontoret, RK Post Hälso- och sjukvård.",
            "Utvecklingsmedel ska användas till insatser för att höja en förmåga eller kompetens "
            "som saknas alternativt behöver höjas inom verksamheten. Medel som efterfrågas för "
            "insatsen ska användas under en avgränsad period. Om det kvarstår behov av permanent "
            "finansiering efter insatsens avslut behöver detta omhändertas inom befintlig budget "
            "alternativt behöver långsiktig ekonomisk hantering lösas under ansökningsförfarandet. "
            "Detta ska beskrivas i förfrågningsunderlaget.",
        ],
        request_questions=HALLAND_QUESTIONS,
    ),
    House(
        "kommun",
        "Times New Roman",
        "Arial",
        12,
        KOMMUN_ORDER,
        repeat_reservations=True,
        footer_attest=True,
        request_questions=GENERIC_QUESTIONS,
    ),
]

FOOTER = "{{ dokument.diarienummer }}{% if dokument.diarienummer and dokument.datum %} · {% endif %}{{ dokument.datum }}"


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


def tag(container, text: str):
    """A paragraph that holds only a docxtpl tag ({%p … %} or {{p … }})."""
    return para(container, text)


def borderless(table) -> None:
    tbl_pr = table._tbl.tblPr
    tbl_pr.append(
        parse_xml(
            f"<w:tblBorders {nsdecls('w')}>"
            + "".join(
                f'<w:{side} w:val="nil"/>'
                for side in ("top", "left", "bottom", "right", "insideH", "insideV")
            )
            + "</w:tblBorders>"
        )
    )


def cell_lines(cell: _Cell, lines: list[tuple[str, bool, int | None]]) -> None:
    """Lines in a header cell; a line whose only tag is {{ x }} is left out when x is empty."""
    first = cell.paragraphs[0]
    count = 0

    def add(text: str, bold: bool = False, size: int | None = None) -> None:
        nonlocal count
        paragraph = first if count == 0 else cell.add_paragraph()
        count += 1
        paragraph.paragraph_format.space_after = Pt(0)
        run = paragraph.add_run(text)
        run.bold = bold or None
        if size:
            run.font.size = Pt(size)

    for i, (text, bold, size) in enumerate(lines):
        condition = text[3:-3].strip() if text.startswith("{{ ") and text.endswith(" }}") else None
        if condition and i > 0:
            add(f"{{%p if {condition} %}}")
            add(text, bold, size)
            add("{%p endif %}")
        else:
            add(text, bold, size)


def header_block(
    doc: DocumentType,
    left: list[tuple[str, bool, int | None]],
    right: list[tuple[str, bool, int | None]],
) -> None:
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    borderless(table)
    table.columns[0].width = Cm(9.5)
    table.columns[1].width = Cm(6.5)
    cell_lines(table.cell(0, 0), left)
    cell_lines(table.cell(0, 1), right)


def page_footer(doc: DocumentType, house: House, left: str) -> None:
    footer = doc.sections[0].footer
    if house.footer_attest:
        attest = footer.paragraphs[0]
        attest.add_run(
            "Justerandes signatur ____________    Utdragsbestyrkande ____________"
        ).font.size = Pt(8)
        paragraph = footer.add_paragraph()
    else:
        paragraph = footer.paragraphs[0]
    paragraph.paragraph_format.tab_stops.add_tab_stop(Cm(16), WD_TAB_ALIGNMENT.RIGHT)
    run = paragraph.add_run(left + "\t\tSida ")
    run.font.size = Pt(8)
    for instr, default in (("PAGE", "1"), ("NUMPAGES", "1")):
        paragraph._p.append(
            parse_xml(
                f'<w:fldSimple {nsdecls("w")} w:instr="{instr}"><w:r><w:rPr><w:sz w:val="16"/></w:rPr><w:t>{default}</w:t></w:r></w:fldSimple>'
            )
        )
        if instr == "PAGE":
            paragraph.add_run(" av ").font.size = Pt(8)


def page_header(doc: DocumentType, text: str) -> None:
    header = doc.sections[0].header.paragraphs[0]
    run = header.add_run(text)
    run.font.size = Pt(8)
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def heading_block(doc: DocumentType, condition: str, heading: str, body: str) -> None:
    tag(doc, f"{{%p if {condition} %}}")
    para(doc, heading, "Heading 2")
    tag(doc, f"{{{{p {body} }}}}")
    tag(doc, "{%p endif %}")


def memo_part(doc: DocumentType, part: str) -> None:
    if part in SECTION_KEYS or part == "barnchecklista":
        heading_block(
            doc, f"avsnitt.{part}", f"{{{{ avsnitt.{part}.rubrik }}}}", f"avsnitt.{part}.text"
        )
    elif part == "förslag":
        heading_block(doc, "förslag", "{{ rubriker.förslag_till_beslut }}", "förslag")
    elif part in {
        "ställningstaganden",
        "beredningsansvariga",
        "beslutsunderlag",
        "bilagor",
        "expedieras_till",
    }:
        heading_block(doc, part, f"{{{{ rubriker.{part} }}}}", part)
    elif part == "fler":
        tag(doc, "{%p for del in avsnitt.fler %}")
        para(doc, "{{ del.rubrik }}", "Heading 2")
        tag(doc, "{{p del.text }}")
        tag(doc, "{%p endfor %}")
    elif part == "motion":
        heading_block(doc, "motion", "{{ motion.rubrik }}", "motion.text")
    elif part == "remiss":
        heading_block(doc, "remiss", "{{ rubriker.remiss }}", "remiss.fakta")
    elif part == "delegation":
        heading_block(doc, "delegation", "{{ rubriker.delegation }}", "delegation.text")
    elif part == "underskrifter":
        tag(doc, "{{p underskrifter }}")
    elif part == "efterföljande_beslut":
        tag(doc, "{%p for beslut in efterföljande_beslut %}")
        para(doc, "{{ beslut.rubrik }}", "Heading 2")
        tag(doc, "{{p beslut.text }}")
        tag(doc, "{%p if beslut.beslutsfattare or beslut.datum %}")
        para(doc, "{{ beslut.beslutsfattare }} {{ beslut.datum }}")
        tag(doc, "{%p endif %}")
        tag(doc, "{%p endfor %}")


def logo(doc: DocumentType) -> None:
    tag(doc, "{%p if logo %}")
    para(doc, "{{ logo }}")
    tag(doc, "{%p endif %}")


def memo_header(doc: DocumentType) -> None:
    logo(doc)
    header_block(
        doc,
        [
            ("{{ org.namn }}", True, None),
            ("{{ org.förvaltning }}", False, None),
            ("{{ org.avdelning }}", False, None),
            ("{{ dokument.beredande_organ }}", False, None),
            ("{{ org.gemensam }}", False, 8),
            ("{% if handläggare %}{{ handläggare.namn }}{% endif %}", False, None),
            (
                "{% if handläggare and handläggare.titel %}{{ handläggare.titel }}{% endif %}",
                False,
                None,
            ),
            (
                "{% if handläggare and handläggare.telefon %}Tfn {{ handläggare.telefon }}{% endif %}",
                False,
                8,
            ),
            ("{% if handläggare and handläggare.epost %}{{ handläggare.epost }}{% endif %}", False, 8),
            (
                "{% if personer.ansvarig %}Ansvarig: {{ personer.ansvarig.namn }}"
                "{% if personer.ansvarig.titel %}, {{ personer.ansvarig.titel }}{% endif %}"
                "{% endif %}",
                False,
                8,
            ),
            (
                "{% if personer.föredragande %}Föredragande: {{ personer.föredragande.namn }}"
                "{% if personer.föredragande.titel %}, {{ personer.föredragande.titel }}"
                "{% endif %}{% endif %}",
                False,
                8,
            ),
        ],
        [
            ("{{ dokument.typ }}", True, 13),
            ("{{ dokument.bilaga }}", False, None),
            ("{% if dokument.datum %}Datum{% endif %}", False, 8),
            ("{{ dokument.datum }}", False, None),
            ("{% if dokument.diarienummer %}Diarienummer{% endif %}", False, 8),
            ("{{ dokument.diarienummer }}", False, None),
            ("{% if dokument.sammanträdesdatum %}Sammanträdesdatum{% endif %}", False, 8),
            ("{{ dokument.sammanträdesdatum }}", False, None),
            (
                "{% if dokument.dokumentnummer %}{{ dokument.dokumentnummer }}{% endif %}"
                "{% if dokument.version %} version {{ dokument.version }}{% endif %}",
                False,
                8,
            ),
        ],
    )


def memorandum(house: House) -> DocumentType:
    doc = new_document(house)
    page_header(doc, "{{ org.namn }}")
    page_footer(doc, house, FOOTER)
    memo_header(doc)
    tag(doc, "{%p if mottagare %}")
    para(doc, "{{ mottagare }}", bold=True)
    tag(doc, "{%p endif %}")
    para(doc, "{{ dokument.titel }}", "Title")
    for part in house.memo_sections:
        memo_part(doc, part)
    return doc


def extract(house: House) -> DocumentType:
    doc = new_document(house)
    page_header(doc, "{{ org.namn }} · {{ protokoll.organ }}")
    page_footer(doc, house, FOOTER)
    logo(doc)
    header_block(
        doc,
        [("{{ org.namn }}", True, None), ("{{ protokoll.organ }}", False, None)],
        [
            ("{{ dokument.typ }}", True, 13),
            ("{% if protokoll.sammanträdesdatum %}Sammanträdesdatum{% endif %}", False, 8),
            ("{{ protokoll.sammanträdesdatum }}", False, None),
        ],
    )
    tag(doc, "{%p if protokoll.paragraf %}")
    para(doc, "{{ protokoll.paragraf }}", "Heading 1")
    tag(doc, "{%p endif %}")
    para(doc, "{{ dokument.titel }}", "Heading 1")
    tag(doc, "{%p if dokument.diarienummer %}")
    para(doc, "Diarienummer {{ dokument.diarienummer }}")
    tag(doc, "{%p endif %}")
    heading_block(doc, "protokoll.jäv", "{{ rubriker.jäv }}", "protokoll.jäv")
    heading_block(doc, "protokoll.beslut", "{{ rubriker.beslut }}", "protokoll.beslut")
    heading_block(
        doc, "protokoll.reservationer", "{{ rubriker.reservation }}", "protokoll.reservationer"
    )
    heading_block(
        doc, "protokoll.ärendet", "{{ protokoll.ärendet.rubrik }}", "protokoll.ärendet.text"
    )
    heading_block(doc, "protokoll.förslag", "{{ protokoll.förslag_rubrik }}", "protokoll.förslag")
    deliberation_blocks(doc, "protokoll")
    if house.repeat_reservations:
        heading_block(
            doc, "protokoll.reservationer", "{{ rubriker.reservation }}", "protokoll.reservationer"
        )
    heading_block(
        doc,
        "protokoll.beslutsunderlag",
        "{{ rubriker.beslutsunderlag }}",
        "protokoll.beslutsunderlag",
    )
    heading_block(
        doc,
        "protokoll.expedieras_till",
        "{{ rubriker.utdrag_expedieras_till }}",
        "protokoll.expedieras_till",
    )
    para(doc, "")
    tag(doc, "{{p protokoll.justering }}")
    return doc


def deliberation_blocks(doc: DocumentType, name: str) -> None:
    """Yrkanden, propositionsordning, beslutsgång, votering and the members' own texts."""
    for key in ("yrkanden", "propositionsordning", "beslutsgång", "votering"):
        heading_block(doc, f"{name}.{key}", f"{{{{ rubriker.{key} }}}}", f"{name}.{key}")
    for key in ("särskilda_yttranden", "protokollsanteckningar"):
        heading_block(doc, f"{name}.{key}", f"{{{{ rubriker.{key} }}}}", f"{name}.{key}")


def minutes(house: House) -> DocumentType:
    doc = new_document(house)
    page_header(doc, "{{ org.namn }} · {{ sammanträde.organ }} · {{ dokument.datum }}")
    page_footer(doc, house, FOOTER)
    logo(doc)
    header_block(
        doc,
        [("{{ org.namn }}", True, None), ("{{ sammanträde.organ }}", False, None)],
        [
            ("{{ dokument.typ }}", True, 13),
            ("Sammanträdesdatum", False, 8),
            ("{{ dokument.datum }}", False, None),
            ("{{ sammanträde.paragrafer }}", False, None),
        ],
    )
    para(doc, "{{ dokument.titel }}", "Title")
    facts = [
        ("Plats och tid", "{{ sammanträde.plats_och_tid }}"),
        ("Ersättare", "{{ sammanträde.ersättare }}"),
        ("Övriga närvarande", "{{ sammanträde.övriga }}"),
        ("Justerare", "{{ sammanträde.justerare }}"),
        ("Justeringens plats och tid", "{{ sammanträde.justering }}"),
        ("Paragrafer", "{{ sammanträde.paragrafer }}"),
    ]
    table = doc.add_table(rows=len(facts), cols=2)
    borderless(table)
    for i, (label, value) in enumerate(facts):
        table.cell(i, 0).width = Cm(4.5)
        table.cell(i, 1).width = Cm(11.5)
        table.cell(i, 0).paragraphs[0].add_run(label).bold = True
        table.cell(i, 1).paragraphs[0].add_run(value)
    para(doc, "Beslutande", "Heading 3")
    tag(doc, "{{p sammanträde.beslutande }}")
    para(doc, "")
    signatures = doc.add_table(rows=2, cols=3)
    borderless(signatures)
    for i, (role, name) in enumerate(
        (
            ("Sekreterare", "{{ sammanträde.sekreterare }}"),
            ("Ordförande", "{{ sammanträde.ordförande }}"),
            ("Justerare", "{{ sammanträde.justerare }}"),
        )
    ):
        top = signatures.cell(0, i).paragraphs[0]
        top.add_run(role).bold = True
        signatures.cell(1, i).paragraphs[0].add_run("\n______________________\n" + name)
    tag(doc, "{%p if sammanträde.anslag %}")
    para(doc, "Bevis om anslag", "Heading 2")
    para(
        doc,
        "Protokollet är justerat. Justeringen har tillkännagivits genom anslag på kommunens "
        "anslagstavla {{ sammanträde.anslag.uppsatt }}–{{ sammanträde.anslag.nedtas }}. "
        "Protokollet förvaras hos {{ sammanträde.anslag.förvaringsplats }}.",
    )
    tag(doc, "{%p endif %}")
    tag(doc, "{%p for ä in sammanträde.ärenden %}")
    heading = para(doc, "{{ ä.paragraf }} {{ ä.titel }}", "Heading 1")
    heading.paragraph_format.page_break_before = True
    tag(doc, "{%p if ä.diarienummer %}")
    para(doc, "Diarienummer {{ ä.diarienummer }}")
    tag(doc, "{%p endif %}")
    heading_block(doc, "ä.jäv", "{{ rubriker.jäv }}", "ä.jäv")
    heading_block(doc, "ä.ärendet", "{{ ä.ärendet.rubrik }}", "ä.ärendet.text")
    heading_block(doc, "ä.förslag", "{{ ä.förslag_rubrik }}", "ä.förslag")
    deliberation_blocks(doc, "ä")
    heading_block(doc, "ä.beslut", "{{ rubriker.beslut }}", "ä.beslut")
    heading_block(doc, "ä.reservationer", "{{ rubriker.reservation }}", "ä.reservationer")
    tag(doc, "{%p if ä.omedelbart_justerad %}")
    para(doc, "{{ ä.omedelbart_justerad }}")
    tag(doc, "{%p endif %}")
    heading_block(doc, "ä.beslutsunderlag", "{{ rubriker.beslutsunderlag }}", "ä.beslutsunderlag")
    heading_block(
        doc, "ä.expedieras_till", "{{ rubriker.utdrag_expedieras_till }}", "ä.expedieras_till"
    )
    tag(doc, "{%p endfor %}")
    return doc


def consultation(house: House) -> DocumentType:
    doc = new_document(house)
    page_header(doc, "{{ org.namn }}")
    page_footer(doc, house, FOOTER)
    memo_header(doc)
    para(doc, "{{ remiss.avsändare }}", bold=True)
    para(doc, "{{ dokument.titel }}", "Title")
    heading_block(doc, "remiss", "{{ rubriker.remiss }}", "remiss.fakta")
    heading_block(
        doc, "avsnitt.sammanfattning", "{{ avsnitt.sammanfattning.rubrik }}",
        "avsnitt.sammanfattning.text",
    )
    tag(doc, "{%p if remiss.synpunkter %}")
    para(doc, "{{ rubriker.synpunkter }}", "Heading 2")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p for del in remiss.synpunkter %}")
    para(doc, "{{ del.rubrik }}", "Heading 3")
    tag(doc, "{{p del.text }}")
    tag(doc, "{%p endfor %}")
    for part in ("bakgrund", "överväganden", "ekonomi", "fler"):
        memo_part(doc, part)
    tag(doc, "{{p underskrifter }}")
    heading_block(doc, "expedieras_till", "{{ rubriker.expedieras_till }}", "expedieras_till")
    return doc


def delegation(house: House) -> DocumentType:
    doc = new_document(house)
    page_header(doc, "{{ org.namn }}")
    page_footer(doc, house, FOOTER)
    memo_header(doc)
    para(doc, "{{ dokument.titel }}", "Title")
    heading_block(doc, "förslag", "{{ rubriker.beslut }}", "förslag")
    heading_block(doc, "delegation", "{{ rubriker.delegation }}", "delegation.text")
    for part in ("bakgrund", "överväganden", "ekonomi", "konsekvensanalys", *CONSEQUENCES):
        memo_part(doc, part)
    heading_block(doc, "beslutsunderlag", "{{ rubriker.beslutsunderlag }}", "beslutsunderlag")
    tag(doc, "{%p if delegation.beslutsfattare %}")
    para(doc, "")
    para(doc, "______________________________")
    para(doc, "{{ delegation.beslutsfattare.namn }}")
    para(doc, "{{ delegation.beslutsfattare.titel }}")
    tag(doc, "{%p endif %}")
    heading_block(doc, "expedieras_till", "{{ rubriker.expedieras_till }}", "expedieras_till")
    return doc


def info_table(doc: DocumentType) -> None:
    rows = [
        ("Insatsens namn", "{{ förfrågan.insats.namn }}"),
        ("Startdatum", "{{ förfrågan.insats.startdatum }}"),
        ("Slutdatum", "{{ förfrågan.insats.slutdatum }}"),
        ("Ansvarig förvaltning/verksamhet", "{{ förfrågan.insats.ansvarig_förvaltning }}"),
        ("Ansvarig kontaktperson", "{{ förfrågan.insats.kontaktperson }}"),
        ("Ansvarig ekonom", "{{ förfrågan.insats.ekonom }}"),
        ("Beräknad kostnad för insatsen", "{{ förfrågan.insats.beräknad_kostnad }}"),
    ]
    table = doc.add_table(rows=len(rows), cols=2)
    table.style = doc.styles["Table Grid"]
    for i, (label, value) in enumerate(rows):
        table.cell(i, 0).width = Cm(6.5)
        table.cell(i, 1).width = Cm(9.5)
        table.cell(i, 0).paragraphs[0].add_run(label).bold = True
        table.cell(i, 1).paragraphs[0].add_run(value)


def request(house: House) -> DocumentType:
    doc = new_document(house)
    page_header(doc, "{{ org.namn }}")
    page_footer(doc, house, FOOTER)
    memo_header(doc)
    tag(doc, "{%p if förfrågan.mallversion %}")
    para(doc, "{{ förfrågan.mallversion }}", size=8)
    tag(doc, "{%p endif %}")
    para(doc, "{{ dokument.typ }}", "Title")
    for text in house.request_intro:
        para(doc, text)
    para(doc, "Övergripande information", "Heading 2")
    info_table(doc)
    para(doc, "Beskrivning av insatsen", "Heading 2")
    for key in ("syfte", "mål", "aktiviteter", "tidsplan"):
        para(doc, house.request_questions[key], "Heading 3")
        tag(doc, f"{{{{p förfrågan.{key} }}}}")
    para(doc, "Samverkan och delaktighet", "Heading 2")
    for key in ("samverkan", "delaktighet"):
        para(doc, house.request_questions[key], "Heading 3")
        tag(doc, f"{{{{p förfrågan.{key} }}}}")
    para(doc, "Uppföljning och effekter", "Heading 2")
    for key in ("uppföljning", "effekter"):
        para(doc, house.request_questions[key], "Heading 3")
        tag(doc, f"{{{{p förfrågan.{key} }}}}")
    para(doc, "Budget (tas fram i samarbete med berörd ekonomiavdelning)", "Heading 2")
    tag(doc, "{{p förfrågan.budget }}")
    tag(doc, "{{p förfrågan.fördelning }}")
    para(doc, house.request_questions["långsiktig_finansiering"], "Heading 3")
    tag(doc, "{{p förfrågan.långsiktig_finansiering }}")
    para(doc, house.request_questions["övrigt"], "Heading 2")
    tag(doc, "{{p förfrågan.övrigt }}")
    return doc


def compensation(house: House) -> DocumentType:
    doc = new_document(house)
    page_header(doc, "{{ org.namn }}")
    page_footer(doc, house, FOOTER)
    memo_header(doc)
    para(doc, "{{ dokument.titel }}", "Title")
    heading_block(doc, "avsnitt.bakgrund", "{{ avsnitt.bakgrund.rubrik }}", "avsnitt.bakgrund.text")
    tag(doc, "{%p for del in ersättning.avsnitt %}")
    para(doc, "{{ del.rubrik }}", "Heading 2")
    tag(doc, "{{p del.text }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p for rapport in ersättning.tidrapporter %}")
    para(doc, "{{ rapport.rubrik }}", "Heading 2")
    tag(doc, "{{p rapport.tabell }}")
    tag(doc, "{%p endfor %}")
    heading_block(doc, "bilagor", "{{ rubriker.bilagor }}", "bilagor")
    tag(doc, "{%p if ersättning.beslutas_av %}")
    signature = [
        para(doc, "Beslutas:", bold=True),
        para(doc, ""),
        para(doc, "____________\t\t______________________________"),
    ]
    for paragraph in signature:  # the signature block is never split across pages
        paragraph.paragraph_format.keep_with_next = True
    para(doc, "Datum\t\t\t{{ ersättning.beslutas_av }}")
    tag(doc, "{%p endif %}")
    return doc


def main() -> None:
    makers = {
        "tjansteskrivelse.docx": memorandum,
        "budgetavvikelse.docx": memorandum,
        "protokollsutdrag.docx": extract,
        "utvecklingsmedel.docx": request,
        "ersattningsmodell.docx": compensation,
        "sammantradesprotokoll.docx": minutes,
        "remissyttrande.docx": consultation,
        "delegationsbeslut.docx": delegation,
    }
    for house in HOUSES:
        for filename, make in makers.items():
            doc = make(house)
            doc.core_properties.title = "{{ dokument.titel }}"
            doc.core_properties.author = "arendegen"
            doc.save(PACKS / house.name / filename)
            print(f"wrote {house.name}/{filename}")


if __name__ == "__main__":
    main()
