"""Layouts as data (issue 15): a pack's pack.yaml arranges its documents, its Word template
carries style only, and nothing a case says is dropped without a warning."""

from __future__ import annotations

import io
import os
import re
import shutil
import zipfile
from html import unescape
from pathlib import Path

import pytest
from click.testing import CliRunner

from arendegen.blocks import markdown
from arendegen.cli import cli
from arendegen.context import document_context
from arendegen.packs import BUILTIN, available, load_pack, template_path
from arendegen.render.docx import Properties, render_docx
from arendegen.results import CaseResult
from arendegen.validate import check_file
from conftest import CASES, SEED_FOLDERS, WriteCase, own_pack, within

BUILTIN_PACKS = sorted(p.name for p in BUILTIN.iterdir() if (p / "pack.yaml").is_file())


def documents(result: CaseResult) -> list[str]:
    """The text of every document of a checked case, rendered in memory."""
    case, pack, computed = result.case, result.pack, result.computed
    assert case is not None and pack is not None and computed is not None
    texts = []
    for index, doc in enumerate(case.handlingar):
        context = document_context(case, computed, pack, index)
        properties = Properties("t", "", "a", None)
        data = render_docx(template_path(pack, doc.typ), context, properties)
        texts.append(docx_text(data))
    return texts


def docx_text(data: bytes) -> str:
    """The text of every paragraph of body, headers and footers, one per line."""
    lines = []
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in sorted(package.namelist()):
            if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", name):
                xml = package.read(name).decode("utf-8")
                for paragraph in re.findall(r"<w:p[ >].*?</w:p>", xml, re.S):
                    words = re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", paragraph)
                    lines.append(unescape("".join(words)))
    return "\n".join(lines).replace("\u00a0", " ")


def in_pack(source: Path, pack: str, path: Path) -> Path:
    """A copy of a case file at `path`, set to be built with `pack`."""
    text = source.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^mall: .*$", f"mall: {pack}", text), encoding="utf-8")
    return path


EXTRACT = """\
mall: kommun
titel: Projektledare för kommunens samverkan
diarienummer: SN 2025/12
datum: 2025-03-01
bakgrund:
  text: Socialnämnden behöver en projektledare.
ekonomi:
  text: Kostnaden är 210 tkr och ryms i budgeten.
förslag_till_beslut:
  organ: Socialnämnden
  att: [anställa en projektledare]
handlingar:
  - typ: protokollsutdrag
    organ: Socialnämnden
    sammanträdesdatum: 2025-03-20
    paragraf: 12
    justering: {justerad: true}
"""


def test_a_section_no_document_shows_is_warned_naming_the_key_and_the_documents(
    write_case: WriteCase,
) -> None:
    """The kommun extract shows bakgrund as its 'Ärendet' and has no block for ekonomi."""
    result = check_file(write_case(EXTRACT))
    warnings = [f"{d.line}: {d.message}" for d in result.warnings]
    assert (
        "8: avsnittet 'ekonomi' visas inte i någon handling: protokollsutdrag (kommun) har "
        "inget block 'ekonomi' för det"
    ) in warnings
    assert not any("'bakgrund'" in w for w in warnings)
    (text,) = documents(result)
    assert "Socialnämnden behöver en projektledare." in text
    assert "210 tkr" not in text


def test_the_warning_goes_once_a_layout_shows_the_section(
    write_case: WriteCase, tmp_path: Path
) -> None:
    layout = """\
layouter:
  protokollsutdrag:
    block: [paragraf, titel, beslut, ärendet, ekonomi, justering]
"""
    templates = own_pack(tmp_path, "egen", layout)
    case = write_case(EXTRACT.replace("mall: kommun", "mall: egen"))
    result = check_file(case, templates=[templates])
    assert not any("visas inte" in d.message for d in result.diagnostics), result.diagnostics
    (text,) = documents(result)
    background = text.index("Socialnämnden behöver en projektledare.")
    assert background < text.index("Kostnaden är 210 tkr och ryms i budgeten.")


def test_a_table_no_shown_section_names_is_warned(write_case: WriteCase) -> None:
    case = write_case(
        EXTRACT.replace(
            "handlingar:",
            "tabeller:\n  kostnad:\n    typ: budget\n    enhet: tkr\n    kolumner: ['2025']\n"
            "    rader:\n      - {rubrik: Lön, belopp: {'2025': 210}}\n"
            "handlingar:",
        )
    )
    result = check_file(case)
    assert (
        "tabeller.kostnad: tabellen 'kostnad' visas inte i någon handling: inget avsnitt som "
        "visas nämner den i sina `tabeller`"
    ) in [f"{d.path}: {d.message}" for d in result.warnings]


def test_a_heading_is_never_printed_over_an_empty_block(write_case: WriteCase) -> None:
    case = write_case(
        EXTRACT.replace("    justering:", "    ärendet: {rubrik: Rubrik utan text}\n    justering:")
    )
    result = check_file(case)
    assert result.errors == [], result.errors
    (text,) = documents(result)
    assert "Rubrik utan text" not in text


def test_a_pack_rearranges_relabels_and_numbers_without_word(
    write_case: WriteCase, tmp_path: Path
) -> None:
    """Order, labels, numbered decision points, a grid header and the page label, all in
    pack.yaml; the Word template is the built-in one, untouched."""
    layout = """\
husregler:
  beslutspunkter: numrerad
  sidnummer: "{sida} ({antal})"
layouter:
  tjänsteskrivelse:
    huvud:
      form: rutnät
      rader:
        - [{etikett: ÄRENDE TILL, fält: mottagare}, {etikett: SAMMANTRÄDESDATUM, fält: sammanträdesdatum}]
        - [{etikett: DOKUMENT-ID, fält: dokumentnummer}, {etikett: VERSION, fält: version}]
        - [{etikett: HANDLÄGGARE, fält: handläggare}]
    block:
      - titel
      - {block: diarienummer, rubrik: Dnr}
      - förslag_till_beslut
      - {block: bakgrund, rubrik: Beskrivning av ärendet}
      - {block: ekonomi, ny_sida: true}
"""
    templates = own_pack(tmp_path, "egen", layout)
    case = write_case(
        """\
        mall: egen
        titel: Återrapportering av uppdrag
        diarienummer: 4468-2017
        datum: 2017-12-01
        mottagare: Regionstyrelsen
        handläggare: Henrik Berg
        förslag_till_beslut:
          organ: Regionstyrelsen
          att: [lägga informationen till handlingarna., godkänna rapporten.]
        bakgrund:
          text: Regiondirektören har fått tre uppdrag.
        ekonomi:
          text: Inga kostnader.
        handlingar:
          - typ: tjänsteskrivelse
            sammanträdesdatum: 2017-12-19
            dokumentnummer: ARBGRP583
            version: "0.1"
        """
    )
    result = check_file(case, templates=[templates])
    assert result.errors == [], result.errors
    (text,) = documents(result)
    lines = text.split("\n")
    for label, value in (
        ("ÄRENDE TILL", "Regionstyrelsen"),
        ("SAMMANTRÄDESDATUM", "2017-12-19"),
        ("DOKUMENT-ID", "ARBGRP583"),
        ("VERSION", "0.1"),
        ("HANDLÄGGARE", "Henrik Berg"),
    ):
        assert lines[lines.index(label) + 1] == value
    order = [
        "Återrapportering av uppdrag",
        "Dnr 4468-2017",
        "Förslag till beslut",
        "Regionstyrelsen beslutar att",
        "lägga informationen till handlingarna.",
        "Beskrivning av ärendet",
        "Regiondirektören har fått tre uppdrag.",
        "Inga kostnader.",
    ]
    positions = [lines.index(x) for x in order]
    assert positions == sorted(positions)
    assert "Sammanfattning" not in lines
    data = render(result)
    body = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert body.count('w:val="ListNumber"') == 2
    assert "<w:pageBreakBefore/>" in body
    footer = "".join(
        zipfile.ZipFile(io.BytesIO(data)).read(n).decode()
        for n in zipfile.ZipFile(io.BytesIO(data)).namelist()
        if n.startswith("word/footer")
    )
    assert re.search(r"PAGE.*?\(.*?NUMPAGES.*?\)", footer, re.S)
    assert "Sida" not in docx_text(data).split("\n")[-1]


def render(result: CaseResult) -> bytes:
    case, pack, computed = result.case, result.pack, result.computed
    assert case is not None and pack is not None and computed is not None
    context = document_context(case, computed, pack, 0)
    return render_docx(
        template_path(pack, case.handlingar[0].typ), context, Properties("t", "", "a", None)
    )


def test_att_per_rad_writes_each_clause_on_its_own_att_line(
    write_case: WriteCase, tmp_path: Path
) -> None:
    templates = own_pack(tmp_path, "egen", "husregler: {beslutspunkter: att_per_rad}\n")
    case = write_case(
        """\
        mall: egen
        titel: Taxa
        datum: 2025-01-01
        förslag_till_beslut:
          organ: Kommunfullmäktige
          att: [anta taxan., upphäva den gamla taxan.]
        beslutsordning:
          - organ: Kommunstyrelsen
          - organ: Kommunfullmäktige
        mottagare: Kommunstyrelsen
        handlingar:
          - typ: tjänsteskrivelse
        """
    )
    result = check_file(case, templates=[templates])
    assert result.errors == [], result.errors
    lines = documents(result)[0].split("\n")
    # organ naming the routing's last step is as if left out: the memo to the styrelse
    start = lines.index("Kommunstyrelsen föreslår kommunfullmäktige besluta")
    assert lines[start + 1 : start + 3] == ["att anta taxan.", "att upphäva den gamla taxan."]


def test_a_mistyped_layout_is_an_error_at_its_line_with_a_suggestion(
    write_case: WriteCase, tmp_path: Path
) -> None:
    templates = own_pack(
        tmp_path,
        "egen",
        "layouter:\n  tjänsteskrivelse:\n    block:\n      - titel\n      - ekonmi\n",
    )
    config = templates / "egen" / "pack.yaml"
    line = config.read_text(encoding="utf-8").split("\n").index("      - ekonmi") + 1
    case = write_case(EXTRACT.replace("mall: kommun", "mall: egen"))
    result = CliRunner().invoke(cli, ["validate", "--templates", str(templates), str(case)])
    assert result.exit_code == 1
    assert f"pack.yaml:{line}:9: fel[AG520]: layouter.tjänsteskrivelse.block[1]" in result.output
    assert "okänt block 'ekonmi'; menade du 'ekonomi'?" in result.output


def test_builtin_word_templates_carry_no_body_logic() -> None:
    """The body of each built-in pack's Word template is the one paragraph {{p innehåll }};
    Jinja stands only in the header and footer, for the values the layout hands them."""
    for name in BUILTIN_PACKS:
        pack, problems = load_pack(name)
        assert pack is not None, problems
        assert pack.config.stilmall, name
        path = pack.folder / pack.config.stilmall
        with zipfile.ZipFile(path) as package:
            body = package.read("word/document.xml").decode("utf-8")
        text = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", body))
        assert text == "{{p innehåll }}", (name, text)
        assert "{%" not in body, name
        assert sorted(package.namelist()) == sorted(set(package.namelist()))


def case_files() -> list[Path]:
    files = sorted(CASES.rglob("*.yaml"))
    assert len(files) >= 14
    assert {f.parent.parent.name for f in files} >= {f.name for f in SEED_FOLDERS}
    return files


@pytest.mark.parametrize("pack_name", BUILTIN_PACKS)
def test_nothing_a_case_says_is_dropped_in_any_builtin_pack(pack_name: str, tmp_path: Path) -> None:
    """Every example and seed case, built in every built-in pack: each filled section's
    first words, each shown table's heading, each yrkande and reservation stand in one of
    its documents, or validate warned about that very key."""
    assert pack_name in available()
    # the same pack without its diarienummer pattern, which only Halland's own cases follow
    templates = tmp_path / "mallar"
    shutil.copytree(BUILTIN / pack_name, templates / pack_name)
    config = templates / pack_name / "pack.yaml"
    lines = config.read_text(encoding="utf-8").split("\n")
    config.write_text("\n".join(x for x in lines if "diarienummer_" not in x), encoding="utf-8")
    checked = 0
    for source in case_files():
        path = in_pack(source, pack_name, tmp_path / source.name)
        result = check_file(path, templates=[templates])
        assert result.case is not None and not result.errors, (source.name, result.errors)
        checked += 1
        warned = {d.path for d in result.warnings if "visas inte" in d.message}
        shown = "\n".join(documents(result))
        case = result.case
        for key, section in _sections(case):
            if section.text and key not in warned:
                plain = markdown(section.text).plain_text().split("\n")[0]
                first = plain.split("[[")[0][:40]  # a mention is written out as a reference
                assert first in shown, f"{source.name} ({pack_name}): {key}: {first!r}"
        for name, table in case.tabeller.items():
            if f"tabeller.{name}" not in warned and table.rubrik:
                assert table.rubrik in shown, f"{source.name} ({pack_name}): tabell {name}"
        for i, doc in enumerate(case.handlingar):
            for j, claim in enumerate(getattr(doc, "yrkanden", [])):
                if f"handlingar[{i}].yrkanden" not in warned:
                    assert claim.members[0].namn in shown, f"{source.name}: yrkande {j}"
    assert checked == len(case_files())


def _sections(case: object) -> list[tuple[str, object]]:
    from arendegen.schema.case import SECTION_KEYS

    found = [(key, getattr(case, key)) for key in SECTION_KEYS if getattr(case, key)]
    found += [(f"fler_avsnitt[{i}]", s) for i, s in enumerate(case.fler_avsnitt)]  # type: ignore[attr-defined]
    return found


def test_a_forked_pack_writes_out_every_layout_and_builds_the_same_documents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    result = runner.invoke(cli, ["pack", "ny", "var-kommun", "--från", "kommun"])
    assert result.exit_code == 0, result.output
    config = (tmp_path / "templates" / "var-kommun" / "pack.yaml").read_text(encoding="utf-8")
    assert "namn: var-kommun" in config
    assert config.count("\nlayouter:") == 1
    again = runner.invoke(cli, ["pack", "ny", "var-kommun", "--från", "kommun"])
    assert again.exit_code == 2
    assert "finns redan" in again.output

    source = CASES / "examples" / "ks-2025-172-vatten-och-avlopp.yaml"
    texts = {}
    for name in ("kommun", "var-kommun"):
        path = in_pack(source, name, tmp_path / f"{name}.yaml")
        result_ = check_file(path, templates=[tmp_path / "templates"])
        assert result_.errors == [] and result_.warnings == [], result_.diagnostics
        texts[name] = documents(result_)
    assert texts["var-kommun"] == texts["kommun"]


def test_pack_visa_says_where_each_part_comes_from() -> None:
    result = CliRunner().invoke(cli, ["pack", "visa", "kommun", "protokollsutdrag"])
    assert result.exit_code == 0, result.output
    lines = result.output.split("\n")
    assert "    huvud:  # standard" in lines
    assert "    block:  # paketet" in lines
    assert lines.count("      - block: reservationer") + lines.count("      - reservationer") == 2
    wrong = CliRunner().invoke(cli, ["pack", "visa", "kommun", "protokollsutdrg"])
    assert wrong.exit_code == 2
    assert "okänd sorts handling 'protokollsutdrg'" in wrong.output


def test_a_text_block_and_the_decision_planning_come_from_the_case(
    write_case: WriteCase, tmp_path: Path
) -> None:
    layout = """\
layouter:
  skrivelse:
    block:
      - titel
      - text: "Föredragande landstingsråd: {föredragande_namn}"
        block: text
      - text: "Ansvarig: {ansvarig_namn}"
        block: text
      - beslutsplanering
"""
    templates = own_pack(tmp_path, "egen", layout)
    case = write_case(
        """\
        mall: egen
        titel: Miljöutmaning
        datum: 2013-03-01
        föredragande: Gustav Andersson, Landstingsråd
        beslutsordning:
          - {organ: Landstingsrådsberedningen, förkortning: LRB, datum: 2013-03-05}
          - {organ: Landstingsstyrelsen, datum: 2013-03-19}
        förslag_till_beslut:
          organ: Landstingsstyrelsen
          att: [godkänna specificeringen.]
        handlingar:
          - typ: skrivelse
        """
    )
    result = check_file(case, templates=[templates])
    assert result.errors == [], result.errors
    lines = documents(result)[0].split("\n")
    assert "Föredragande landstingsråd: Gustav Andersson" in lines
    assert not any(x.startswith("Ansvarig:") for x in lines)
    start = lines.index("Beslutsplanering")
    assert lines[start + 1 : start + 3] == ["LRB 2013-03-05", "Landstingsstyrelsen 2013-03-19"]


def test_seven_or_more_house_styles_each_naming_its_real_source() -> None:
    assert len(BUILTIN_PACKS) >= 7
    for name in BUILTIN_PACKS:
        readme = (BUILTIN / name / "README.md").read_text(encoding="utf-8")
        assert re.search(r"https?://\S+|seeds? \d{3}", readme), name


HOUSE_MARKS = {
    # pack: (document, lines that show the real document's arrangement, in order)
    "region-arende-till": (
        "tjänsteutlåtande",
        [
            "ÄRENDE TILL",
            "Kommunstyrelsen",
            "SAMMANTRÄDESDATUM",
            "2025-04-02",
            "DOKUMENT-ID",
            "Dnr KS 2025/172 51",
            "Förslag till beslut",
            "Kommunstyrelsen föreslår kommunfullmäktige besluta att anta reviderad VA-plan "
            "2025–2035 (bilaga 1).",
            "Sammanfattning",
        ],
    ),
    "landsting-skrivelse": (
        "tjänsteutlåtande",
        [
            "TJÄNSTEUTLÅTANDE",
            "3 mars 2025",
            "Föredragande landstingsråd: Maria Ek",
            "Förslag till beslut",
            "Motivering",
        ],
    ),
    "region-protokollsutdrag": (
        "ks",
        [
            "PROTOKOLL UTDRAG",
            "Kommunstyrelsen",
            "Tid: 2025-04-02",
            "§ 77 Reviderad VA-plan 2025–2035 och utbyggnad av vatten och avlopp i Norrby",
            "Beslut",
            "Beslutet skickas till:",
            "Justeras",
        ],
    ),
    "kommun-sida-av": (
        "tjänsteutlåtande",
        [
            "Handläggare",
            "Karin Lund",
            "Tjänsteutlåtande",
            "Diarienummer",
            "KS 2025/172 51",
            "Kommunstyrelsen",
            "KS 2025/172 51",
            "Förslag till beslut",
        ],
    ),
    "stad-beslutsplanering": (
        "ks",
        [
            "Utdrag ur protokoll fört vid sammanträde med kommunstyrelsen 2025-04-02",
            "§ 77 Reviderad VA-plan 2025–2035 och utbyggnad av vatten och avlopp i Norrby",
            "Ärendet",
            "Beslutsunderlag",
            "Beslut",
            "att anta reviderad VA-plan 2025–2035 (bilaga 1).",
        ],
    ),
}


@pytest.mark.parametrize("pack_name", sorted(HOUSE_MARKS))
def test_each_new_house_arranges_a_case_as_its_source_does(pack_name: str, tmp_path: Path) -> None:
    source = CASES / "examples" / "ks-2025-172-vatten-och-avlopp.yaml"
    path = in_pack(source, pack_name, tmp_path / "case.yaml")
    result = check_file(path)
    assert result.case is not None and result.errors == []
    # a house that prints no ansvarig chef, föredragande, document id or meeting date says
    # so; nothing else
    allowed = {"ansvarig", "föredragande"} | {
        f"handlingar[0].{key}" for key in ("dokumentnummer", "version", "sammanträdesdatum")
    }
    assert {d.path for d in result.warnings} <= allowed, result.warnings
    wanted_id, marks = HOUSE_MARKS[pack_name]
    ids = [doc.id or doc.typ for doc in result.case.handlingar]
    lines = documents(result)[ids.index(wanted_id)].split("\n")
    at = -1
    for mark in marks:
        assert mark in lines[at + 1 :], (mark, lines)
        at = lines.index(mark, at + 1)


def organisation_word_file(path: Path) -> Path:
    """An organisation's finished document: its own margins, font, header and a paragraph of
    text, and (as many Word files) no 'List Bullet' or 'Table Grid' style."""
    import docx
    from docx.shared import Cm, Pt

    document = docx.Document()
    section = document.sections[0]
    section.left_margin = section.right_margin = Cm(3.1)
    section.header.paragraphs[0].text = "Ekby kommun · Kommunledningskontoret"
    document.styles["Normal"].font.name = "Georgia"
    document.styles["Normal"].font.size = Pt(10)
    document.add_paragraph("Ett beslut från i fjol, som inte ska stå kvar.")
    styles = document.styles.element
    for name in ("List Bullet", "Table Grid"):
        styles.remove(document.styles[name].element)
    document.save(str(path))
    return path


def test_a_pack_made_from_the_organisations_word_file_keeps_its_style(
    write_case: WriteCase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import docx

    monkeypatch.chdir(tmp_path)
    word = organisation_word_file(tmp_path / "var-mall.docx")
    result = CliRunner().invoke(
        cli, ["pack", "ny", "ekby", "--från", "kommun", "--från-word", str(word)]
    )
    assert result.exit_code == 0, result.output
    assert "Ekby kommun · Kommunledningskontoret" in result.output  # kept: the user is told
    made = docx.Document(str(tmp_path / "templates" / "ekby" / "husmall.docx"))
    assert [p.text for p in made.paragraphs] == ["{{p innehåll }}"]
    assert round(made.sections[0].left_margin.cm, 1) == 3.1
    assert made.sections[0].header.paragraphs[0].text == "Ekby kommun · Kommunledningskontoret"
    assert made.styles["Normal"].font.name == "Georgia"
    bullet = made.styles["List Bullet"].element.xml
    assert "w:numId" in bullet  # the list keeps its bullets

    case = write_case(
        """\
        mall: ekby
        titel: Ny taxa
        datum: 2025-01-01
        bakgrund:
          text: |
            Taxan omfattar
            - vatten,
            - avlopp.
        förslag_till_beslut:
          organ: Kommunstyrelsen
          att: [anta taxan., upphäva den gamla.]
        handlingar:
          - typ: tjänsteskrivelse
        """
    )
    checked = check_file(case, templates=[tmp_path / "templates"])
    assert checked.errors == [], checked.errors
    (text,) = documents(checked)
    assert "Ett beslut från i fjol" not in text
    assert "Taxan omfattar" in text and "vatten," in text


def test_a_hostile_word_file_is_refused_and_no_pack_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from conftest import zip_members, zip_of

    monkeypatch.chdir(tmp_path)
    word = organisation_word_file(tmp_path / "var-mall.docx")
    members = zip_members(word.read_bytes())
    members["word/_rels/document.xml.rels"] = members["word/_rels/document.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/image" Target="file:///etc/passwd" TargetMode="External"/>'
        b"</Relationships>",
    )
    word.write_bytes(zip_of(members))
    result = CliRunner().invoke(
        cli, ["pack", "ny", "ekby", "--från", "kommun", "--från-word", str(word)]
    )
    assert result.exit_code == 2
    assert "Word-filen kan inte användas" in result.output
    assert not (tmp_path / "templates" / "ekby").exists()
    assert (
        not any((tmp_path / "templates").glob(".*")) if (tmp_path / "templates").exists() else True
    )


def test_a_layout_key_that_would_do_nothing_is_an_error(
    write_case: WriteCase, tmp_path: Path
) -> None:
    """A placeholder that names no field, `nivå` on a block without heading, `text` on a block
    that prints none: each is refused at its line rather than silently ignored."""
    cases = [
        (
            "      - {block: förslag, rubrik: '{förslag_från} förslag'}",
            "'{förslag_från}' är inget fält",
        ),
        ("      - {block: mottagare, nivå: 3}", "blocket 'mottagare' har ingen rubrik"),
        ("      - {block: bakgrund, text: Hej}", "`text` gäller bara block av sorten text"),
        ("      - {block: text, text: 'Till {mottagre}'}", "menade du '{mottagare}'?"),
    ]
    for i, (line, message) in enumerate(cases):
        templates = own_pack(
            tmp_path / str(i), "egen", f"layouter:\n  tjänsteskrivelse:\n    block:\n{line}\n"
        )
        config = (templates / "egen" / "pack.yaml").read_text(encoding="utf-8").split("\n")
        at = config.index(line) + 1
        case = write_case(EXTRACT.replace("mall: kommun", "mall: egen"))
        result = CliRunner().invoke(cli, ["validate", "--templates", str(templates), str(case)])
        assert result.exit_code == 1, line
        assert f"pack.yaml:{at}:" in result.output and message in result.output, result.output


def test_a_house_writes_its_own_paragraph_heading_footer_text_and_dates(
    write_case: WriteCase, tmp_path: Path
) -> None:
    """'KSAU § 2' as the extract's heading, a heading over a block that has none, Markdown
    in a text block, an address in the footer, the attestation line's own words, wider
    columns, and 'den 24 mars 2010' in the beslutsunderlag."""
    layout = """\
husregler:
  sidfot: [organisation, {text: "Box 385, 691 27 Karlskoga"}]
  datumformat_i_text: den_lång
  justeringsrad_text: "Justerare: ________   Utdrag bestyrks: ________"
layouter:
  protokollsutdrag:
    huvud:
      form: två_spalter
      spaltbredd: [45, 55]
      vänster: [organisation]
      höger: [{fält: dokumenttyp, versaler: true, stor: true}]
    block:
      - {block: paragrafrubrik, rubrik: "{organ_förkortning} {paragraf}"}
      - {block: text, text: "Ärendet avser **intern kontroll**."}
      - {block: text, text: "{organ_i_text} har sammanträtt", nivå: 3}
      - beslut
      - {block: förslag, rubrik: "Förslaget"}
      - beslutsunderlag
      - {block: justering, rubrik: Justering}
"""
    templates = own_pack(tmp_path, "egen", layout)
    case = write_case(
        EXTRACT.replace("mall: kommun", "mall: egen").replace(
            "förslag_till_beslut:",
            "beslutsordning:\n  - {organ: Socialnämnden, förkortning: SN}\n"
            "beslutsunderlag:\n  - {titel: Tjänsteskrivelse, datum: 2010-03-24}\n"
            "förslag_till_beslut:",
        )
    )
    result = check_file(case, templates=[templates])
    assert result.errors == [], result.errors
    data = render(result)
    lines = docx_text(data).split("\n")
    assert "SN § 12" in lines
    assert "Ärendet avser intern kontroll." in lines
    assert "socialnämnden har sammanträtt" in lines
    assert "Förslaget" in lines and "Justering" in lines
    assert "Tjänsteskrivelse den 24 mars 2010" in lines
    assert "Regionen · Box 385, 691 27 Karlskoga" in "\n".join(lines)
    assert "Justerare: ________   Utdrag bestyrks: ________" in lines
    body = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert '<w:gridCol w:w="4050"/><w:gridCol w:w="4950"/>' in body
    assert "<w:b/>" in body.split("intern kontroll")[0].rsplit("<w:r>", 1)[-1]


def test_an_extract_with_its_own_decision_still_shows_the_proposal_laid_before_it(
    write_case: WriteCase,
) -> None:
    case = write_case(
        EXTRACT.replace(
            "    justering:",
            "    beslut:\n      organ: Socialnämnden\n      att: [återremittera ärendet.]\n"
            "    justering:",
        )
    )
    result = check_file(case)
    assert not any("förslaget till beslut visas inte" in d.message for d in result.warnings)
    (text,) = documents(result)
    assert "återremittera ärendet." in text and "anställa en projektledare" in text


def test_repeated_bilagor_external_addresses_and_a_closing_table(
    write_case: WriteCase, tmp_path: Path
) -> None:
    """A house that does not repeat its bilagor under the beslutsunderlag; an external
    recipient's e-mail in the distribution list; a document that ends in its signature table
    ends with a paragraph too small to push a page of its own."""
    templates = own_pack(
        tmp_path,
        "egen",
        "husregler: {bilagor_som_beslutsunderlag: false}\n"
        "layouter:\n  tjänsteskrivelse:\n    block: [titel, beslutsunderlag, bilagor, "
        "expedieras_till, underskrifter]\n",
    )
    case = write_case(
        """\
        mall: egen
        titel: Taxa
        datum: 2025-01-01
        beslutsunderlag:
          - titel: Tjänsteskrivelse
          - {titel: Taxebilaga, bilaga: 1}
        bilagor:
          - titel: Taxebilaga
        expedieras_till:
          - {namn: Länsstyrelsen, slag: extern, epost: lansstyrelsen@example.se}
          - Akten
        underskrifter:
          - Anna Ek, Kommundirektör
        förslag_till_beslut:
          organ: Kommunstyrelsen
          att: [anta taxan.]
        handlingar:
          - typ: tjänsteskrivelse
        """
    )
    result = check_file(case, templates=[templates])
    assert result.errors == [], result.errors
    data = render(result)
    lines = docx_text(data).split("\n")
    assert "Bilagor" not in lines
    assert "Bilaga 1. Taxebilaga" in lines
    assert "Länsstyrelsen, lansstyrelsen@example.se" in lines
    body = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    tail = body[body.rindex("</w:tbl>") :]
    assert '<w:sz w:val="2"/>' in tail and "<w:t" not in tail


def test_a_layout_that_would_emit_without_bound_is_stopped_at_the_pack_and_others_build(
    write_case: WriteCase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Composing a document counts what it emits; past the bound the case gets a diagnostic
    at the pack's pack.yaml, and the build goes on with the other cases."""
    from arendegen.layout import compose
    from arendegen.pipeline import Options, build

    monkeypatch.setattr(compose, "MAX_ITEMS", 40)
    layout = "layouter:\n  tjänsteskrivelse:\n    block: [titel, fler_avsnitt, fler_avsnitt]\n"
    templates = own_pack(tmp_path, "egen", layout)
    sections = "".join(f"  - {{rubrik: Del {i}, text: Text {i}.}}\n" for i in range(30))
    proposal = "förslag_till_beslut: {organ: Nämnden, att: [godkänna.]}\n"
    big = write_case(
        "mall: egen\ntitel: Stor\ndiarienummer: X 1\ndatum: 2025-01-01\n"
        + proposal
        + "fler_avsnitt:\n"
        + sections
        + "handlingar:\n  - typ: tjänsteskrivelse\n"
    )
    small = write_case(
        "mall: egen\ntitel: Liten\ndiarienummer: X 2\ndatum: 2025-01-01\n"
        + proposal
        + "handlingar:\n  - typ: tjänsteskrivelse\n"
    )
    report = build(
        [big, small], tmp_path / "ut", templates=[templates], options=Options(formats=("docx",))
    )
    assert [r.file for r in report.failed] == [str(big)]
    (problem,) = report.failed[0].errors
    assert problem.file.endswith("egen/pack.yaml")
    assert "layouten ger mer än 40 stycken" in problem.message
    assert report.written == ["X-2-tjänsteskrivelse.docx"]


def test_every_block_in_every_kind_builds_or_is_refused_with_a_message(
    tmp_path: Path,
) -> None:
    """A layout naming every block a kind may have (twice where allowed) builds every
    example case without a traceback: what does not fit a kind prints nothing."""
    from arendegen.layout.model import BLOCKS, KINDS, MAX_BLOCKS, ONCE, PARAGRAPH_BLOCKS

    lines = ["layouter:"]
    for kind in KINDS:
        names = [b for b in BLOCKS if b not in ("text", "rubrik")]
        again = [b for b in names if b not in ONCE]
        blocks = names + again[: MAX_BLOCKS - len(names)]  # as many as a layout may have
        lines.append(f"  {kind}:")
        lines.append("    block: [" + ", ".join(blocks) + "]")
        if kind == "sammanträdesprotokoll":
            para = sorted(PARAGRAPH_BLOCKS - {"text", "rubrik"})
            lines.append("    paragraf_block: [" + ", ".join(para) + "]")
    templates = own_pack(tmp_path, "allt", "\n".join(lines) + "\n")
    for source in case_files():
        path = in_pack(source, "allt", tmp_path / source.name)
        result = check_file(path, templates=[templates])
        assert result.case is not None, source.name
        assert not [d for d in result.errors if "allt" not in d.file], (source.name, result.errors)
        documents(result)


def test_a_protocol_layout_without_its_paragraphs_or_frame_is_warned(
    tmp_path: Path,
) -> None:
    templates = own_pack(
        tmp_path, "egen", "layouter:\n  sammanträdesprotokoll:\n    block: [titel, sammanträde]\n"
    )
    source = CASES / "examples" / "sn-2025-03-25-protokoll.yaml"
    path = in_pack(source, "egen", tmp_path / "p.yaml")
    warned = {
        d.message.split(" visas inte")[0] for d in check_file(path, templates=[templates]).warnings
    }
    assert {"protokollets paragrafer", "de beslutande", "bevis om anslag"} <= warned
    assert "sekreterarens, ordförandens och justerarnas namn" in warned


def test_a_style_template_that_does_not_print_the_body_is_an_error(
    write_case: WriteCase, tmp_path: Path
) -> None:
    from conftest import zip_members, zip_of

    templates = own_pack(tmp_path, "egen", "")
    template = templates / "egen" / "husmall.docx"
    members = zip_members(template.read_bytes())
    members["word/document.xml"] = members["word/document.xml"].replace(
        "{{p innehåll }}".encode(), "Detta dokument är tomt".encode()
    )
    template.write_bytes(zip_of(members))
    case = write_case(EXTRACT.replace("mall: kommun", "mall: egen"))
    result = check_file(case, templates=[templates])
    assert any(
        "brödtexten skriver inte ut {{p innehåll }}" in d.message
        and d.file.endswith("husmall.docx")
        for d in result.errors
    ), result.diagnostics


def test_pack_ny_copies_no_link_and_leaves_nothing_of_its_own_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    outside = tmp_path / "utanför"
    (outside / ".ssh").mkdir(parents=True)
    (outside / ".ssh" / "id_rsa").write_text("hemligt", encoding="utf-8")
    own_pack(tmp_path / "r", "ond", "")
    base = tmp_path / "r" / "mallar"
    (base / "ond" / "hem").symlink_to(outside)
    runner = CliRunner()
    result = runner.invoke(cli, ["pack", "ny", "kopia", "--från", "ond", "--templates", str(base)])
    assert result.exit_code == 2, result.output
    assert "är en länk" in result.output
    assert not (tmp_path / "templates" / "kopia").exists()
    assert (
        list((tmp_path / "templates").iterdir()) == []
        if (tmp_path / "templates").exists()
        else True
    )

    (base / "ond" / "hem").unlink()
    (base / "ond" / "noll").symlink_to("/dev/zero")
    result = runner.invoke(cli, ["pack", "ny", "kopia", "--från", "ond", "--templates", str(base)])
    assert result.exit_code == 2 and "är en länk" in result.output

    (base / "ond" / "noll").unlink()
    (tmp_path / "templates").mkdir(exist_ok=True)
    mine = tmp_path / "templates" / ".kopia.tmp"
    mine.mkdir()
    (mine / "anteckning.txt").write_text("min", encoding="utf-8")
    result = runner.invoke(cli, ["pack", "ny", "kopia", "--från", "ond", "--templates", str(base)])
    assert result.exit_code == 0, result.output
    assert (mine / "anteckning.txt").read_text(encoding="utf-8") == "min"
    config = (tmp_path / "templates" / "kopia" / "pack.yaml").read_text(encoding="utf-8")
    assert "namn: kopia" in config


def test_pack_ny_does_not_write_through_a_templates_link_out_of_the_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    elsewhere = tmp_path / "annanstans"
    elsewhere.mkdir()
    (repo / "templates").symlink_to(elsewhere)
    monkeypatch.chdir(repo)
    result = CliRunner().invoke(cli, ["pack", "ny", "x", "--från", "kommun"])
    assert result.exit_code == 2
    assert "leder ut ur ärenderepot" in result.output
    assert list(elsewhere.iterdir()) == []


def test_a_layout_text_that_would_grow_past_its_bound_is_refused_before_it_is_made(
    write_case: WriteCase, tmp_path: Path
) -> None:
    """A header cell naming a long field thousands of times is a diagnostic at the pack,
    made in a moment, not gigabytes of text."""
    many = "{mottagare}" * 5000
    layout = (
        "layouter:\n  tjänsteskrivelse:\n    huvud:\n      form: två_spalter\n"
        f"      vänster: [{{text: '{many}'}}]\n    block: [titel]\n"
    )
    templates = own_pack(tmp_path, "egen", layout)
    case = write_case(
        "mall: egen\ntitel: T\ndiarienummer: X 1\ndatum: 2025-01-01\n"
        f"mottagare: {'M' * 50_000}\n"
        "förslag_till_beslut: {organ: Nämnden, att: [godkänna.]}\n"
        "handlingar:\n  - typ: tjänsteskrivelse\n"
    )
    with within(5, "a layout text past its bound"):
        result = check_file(case, templates=[templates])
    assert any(
        "blir" in d.message
        and "tecken med ärendets värden" in d.message
        and d.file.endswith("pack.yaml")
        for d in result.errors
    ), result.diagnostics


def test_entries_that_print_nothing_still_count_against_the_bound(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from arendegen.layout import compose

    monkeypatch.setattr(compose, "MAX_ITEMS", 120)  # the layout prints some 65 items
    empty = ", ".join(["{block: text, text: '{ansvarig}'}"] * 30)
    layout = (
        "layouter:\n  sammanträdesprotokoll:\n    paragraf_block: [paragrafrubrik, beslut, "
        + empty
        + "]\n"
    )
    templates = own_pack(tmp_path, "egen", layout)
    source = CASES / "examples" / "sn-2025-03-25-protokoll.yaml"
    path = in_pack(source, "egen", tmp_path / "p.yaml")
    result = check_file(path, templates=[templates])
    assert any("layouten ger mer än 120 stycken" in d.message for d in result.errors)


def test_values_in_a_text_block_are_text_not_markdown(
    write_case: WriteCase, tmp_path: Path
) -> None:
    templates = own_pack(
        tmp_path,
        "egen",
        "layouter:\n  tjänsteskrivelse:\n    block: [{block: text, text: '**Dnr** {diarienummer}'}, "
        "titel, förslag_till_beslut]\n",
    )
    case = write_case(
        "mall: egen\ntitel: T\ndiarienummer: '2026. 14 *x*'\ndatum: 2025-01-01\n"
        "förslag_till_beslut: {organ: Nämnden, att: [godkänna.]}\n"
        "handlingar:\n  - typ: tjänsteskrivelse\n"
    )
    result = check_file(case, templates=[templates])
    assert result.errors == [], result.errors
    assert "Dnr 2026. 14 *x*" in documents(result)[0].split("\n")


@pytest.mark.parametrize(
    ("addition", "message"),
    [
        (
            "layouter:\n  tjänsteskrivelse:\n    huvud: {form: rad, text: Hej, vänster: [titel]}\n",
            "`vänster` hör inte till form rad",
        ),
        ("husregler:\n  sidhuvud: [{}]\n", "ange antingen `fält` eller `text`"),
        ("husregler:\n  sidnummer: 'Sida {{sida}}'\n", "har en klammer utöver"),
        (
            "layouter:\n  tjänsteskrivelse:\n    paragraf_block: [beslut]\n",
            "`paragraf_block` gäller bara sammanträdesprotokoll",
        ),
        (
            "layouter:\n  tjänsteskrivelse:\n    huvud:\n      form: två_spalter\n"
            "      höger: [{fält: datum, etikett: 'Dnr {diarienumer}'}]\n",
            "'{diarienumer}' är inget fält",
        ),
    ],
)
def test_a_layout_setting_that_would_not_show_is_refused(
    addition: str, message: str, write_case: WriteCase, tmp_path: Path
) -> None:
    templates = own_pack(tmp_path, "egen", addition)
    case = write_case(EXTRACT.replace("mall: kommun", "mall: egen"))
    result = CliRunner().invoke(cli, ["validate", "--templates", str(templates), str(case)])
    assert result.exit_code == 1
    assert message in result.output, result.output


def test_a_paragraph_attested_at_once_or_its_number_cannot_be_left_out_silently(
    tmp_path: Path,
) -> None:
    layout = (
        "layouter:\n  sammanträdesprotokoll:\n    paragraf_block:\n"
        "      - {block: text, text: '{paragraf} {titel}', nivå: 1}\n"
        "      - beslut\n      - reservationer\n      - yrkanden\n      - votering\n"
        "      - särskilda_yttranden\n      - protokollsanteckningar\n      - jäv\n"
        "      - ärendet\n      - förslag\n      - propositionsordning\n      - beslutsgång\n"
        "      - beslutsunderlag\n      - expedieras_till\n"
    )
    templates = own_pack(tmp_path, "egen", layout)
    source = CASES / "examples" / "sn-2025-03-25-protokoll.yaml"
    path = in_pack(source, "egen", tmp_path / "p.yaml")
    messages = [d.message for d in check_file(path, templates=[templates]).warnings]
    assert any(m.startswith("'omedelbart_justerad' i § 30 visas inte") for m in messages), messages
    assert any(m.startswith("'diarienummer' i § 30 visas inte") for m in messages), messages
    assert not any("paragrafernas nummer" in m or "paragrafernas titlar" in m for m in messages)


def test_pack_ny_from_word_takes_a_plain_libreoffice_file_and_a_word_template(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A .docx with no lists (LibreOffice writes no numbering part) and a .dotx (Word's own
    template format) each become a pack whose documents have arendegen's page label and
    attestation line; a damaged file is a message, not a traceback."""
    import subprocess

    import docx

    monkeypatch.chdir(tmp_path)
    plain = tmp_path / "lo.txt"
    plain.write_text("Hej\n", encoding="utf-8")
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "docx", "--outdir", str(tmp_path), str(plain)],
        check=True,
        capture_output=True,
        timeout=120,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    runner = CliRunner()
    result = runner.invoke(cli, ["pack", "ny", "lo", "--från", "kommun", "--från-word", "lo.docx"])
    assert result.exit_code == 0, result.output
    made = docx.Document(str(tmp_path / "templates" / "lo" / "husmall.docx"))
    footer = "\n".join(p.text for p in made.sections[0].footer.paragraphs)
    assert "{{ sida.justeringsrad }}" in footer and "sida.sidnummer_sidfot" in footer

    from conftest import zip_members, zip_of

    word = organisation_word_file(tmp_path / "org.docx")
    members = zip_members(word.read_bytes())
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"document.main+xml", b"template.main+xml"
    )
    (tmp_path / "org.dotx").write_bytes(zip_of(members))
    result = runner.invoke(
        cli, ["pack", "ny", "dotx", "--från", "kommun", "--från-word", "org.dotx"]
    )
    assert result.exit_code == 0, result.output

    members = zip_members(word.read_bytes())
    members["word/document.xml"] = members["word/document.xml"].replace(
        b"<w:sectPr",
        b'<w:sectPr><w:headerReference w:type="default" r:id="rId999"/></w:sectPr><w:sectPr',
        1,
    )
    (tmp_path / "trasig.docx").write_bytes(zip_of(members))
    result = runner.invoke(
        cli, ["pack", "ny", "trasig", "--från", "kommun", "--från-word", "trasig.docx"]
    )
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "arendegen:" in result.output


def test_pack_visa_and_pack_ny_write_column_widths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    layout = (
        "layouter:\n  tjänsteskrivelse:\n    huvud:\n      form: två_spalter\n"
        "      spaltbredd: [55, 45]\n      vänster: [organisation]\n"
    )
    templates = own_pack(tmp_path, "bred", layout)
    shown = CliRunner().invoke(
        cli, ["pack", "visa", "bred", "tjänsteskrivelse", "--templates", str(templates)]
    )
    assert shown.exit_code == 0, shown.output
    assert "spaltbredd" in shown.output
    forked = CliRunner().invoke(
        cli, ["pack", "ny", "bred2", "--från", "bred", "--templates", str(templates)]
    )
    assert forked.exit_code == 0, forked.output
    pack, problems = load_pack("bred2", [tmp_path / "templates"])
    assert pack is not None, problems
    assert pack.config.layouter["tjänsteskrivelse"].huvud.spaltbredd == [55, 45]
