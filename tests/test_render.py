"""Word documents: each seed renders, reads back with its headings, people and figures,
rebuilds byte for byte, opens in LibreOffice, and keeps whatever the user typed."""

from __future__ import annotations

import datetime as dt
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from arendegen.output import MANIFEST
from arendegen.pipeline import build
from conftest import CASES, WriteCase, soffice_pdfs

OUT_002 = "region-halland/2025"


def text_of(path: Path) -> str:
    """Every paragraph of the body (tables included), then header and footer, one per line."""
    document = docx.Document(str(path))
    lines = [
        "".join(t.text or "" for t in p.iter(qn("w:t")))
        for p in document.element.body.iter(qn("w:p"))
    ]
    for section in document.sections:
        for part in (section.header, section.footer):
            lines += [p.text for p in part.paragraphs]
    # what a reader sees: a no-break space as a space, a no-break hyphen (Carl-Olof) as a hyphen
    return "\n".join(lines).replace("\u00a0", " ").replace("\u2011", "-")


def rows_of(path: Path) -> list[list[str]]:
    document = docx.Document(str(path))
    return [
        [cell.text.replace("\u00a0", " ") for cell in row.cells]
        for table in document.tables
        for row in table.rows
    ]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, seed_cases: Path) -> Path:
    out = tmp_path_factory.mktemp("output")
    report = build([seed_cases], out)
    assert report.failed == []
    assert len(report.written) == 7
    return out


def test_every_seed_document_is_built(built: Path) -> None:
    names = sorted(p.relative_to(built).as_posix() for p in built.rglob("*.docx"))
    assert names == [
        "bollebygds-kommun/2020/socialnamnden-fvm-projektledare-protokollsutdrag.docx",
        "region-halland/2025/RS250184-beslutsförslag.docx",
        "region-halland/2025/RS250184-förfrågan.docx",
        "region-halland/2025/RS250184-protokollsutdrag.docx",
        "region/2019/fvis-omfordelning-strategiska-medel-tjänsteskrivelse.docx",
        "region/2022/ersattningsmodell-fvis-ersättningsmodell.docx",
        "region/2024/RS-577-2024-budgetavvikelse.docx",
    ]


def expect(text: str, *needles: str) -> None:
    missing = [n for n in needles if n not in text]
    assert missing == []


def test_seed_002_beslutsforslag(built: Path) -> None:
    text = text_of(built / OUT_002 / "RS250184-beslutsförslag.docx")
    expect(
        text,
        "Beslutsförslag",
        "Regionkontoret",
        "Ekonomi",
        "Lan Nghiem",
        "Controller",
        "2025-02-03",
        "RS250184",
        "Regionstyrelsen",
        "Information om utvecklingsmedel för att finansiera uppdrag vid införandet av Cosmic 2025",
        "Förslag till beslut",
        "Regionstyrelsens hälso- och sjukvårdsutskott beslutar att",
        "anteckna att informationen har lämnats till utskottet.",
        "Sammanfattning",
        "Bakgrund",
        "Barnkonsekvens- och jämställdhetsanalys",
        "Inga konsekvenser för kvinnor, män eller barn med anledning av beslutet.",
        "Ekonomiska konsekvenser av beslutet",
        "Per Karlsson\nEkonomidirektör",
        "Emma Phil\nHälso- och sjukvårdsdirektör",
        "Bilaga 1. Förfrågan om utvecklingsmedel – Uppdrag Cosmic 2025",
        "Bilaga 1. Uppdrag Cosmic 2025 - förfrågan om utvecklingsmedel",
        "Styrelsens/nämndens beslut delges",
        "Driftnämnd Ambulans, diagnostik och hälsa",
        "Sida",
    )


def test_seed_002_funding_request_tables(built: Path) -> None:
    path = built / OUT_002 / "RS250184-förfrågan.docx"
    expect(
        text_of(path),
        "Bilaga 1",
        "2024-12-20",
        "Övergripande information",
        "Samverkan och delaktighet",
        "Uppföljning och effekter",
        "Budget (tas fram i samarbete med berörd ekonomiavdelning)",
    )
    rows = rows_of(path)
    assert ["Beräknad kostnad för insatsen", "18,73 mnkr"] in rows
    assert ["Startdatum", "2025-01-01"] in rows
    assert ["Slutdatum", "2025-06-30"] in rows
    assert ["Kostnadsslag/aktivitet (mnkr)", "2023", "2024", "2025", "2026", "Summa"] in rows
    # one precision for the whole table, that of its most precise figure: 10,00 + 2,62 + 6,11
    assert ["Uppdrag - FVIS införandeteam", "", "", "10,00", "", "10,00"] in rows
    assert ["Uppdrag - FVIS Utbildare", "", "", "2,62", "", "2,62"] in rows
    assert ["Summa", "", "", "18,73", "", "18,73"] in rows
    assert ["DN HS", "6 010 000 kr"] in rows
    assert ["Summa vårdförvaltningarna", "18 230 000 kr"] in rows
    assert ["RS Hälso & sjukvård - FO 30 (PVG)", "500 000 kr"] in rows
    assert rows[-1] == ["Summa begäran om utvecklingsmedel", "18 730 000 kr"]


def test_seed_002_extract(built: Path) -> None:
    text = text_of(built / OUT_002 / "RS250184-protokollsutdrag.docx")
    expect(
        text,
        "§ 22",
        "Information om utvecklingsmedel till finansiering av uppdrag vid införandet av Cosmic",
        "Diarienummer RS250184",
        "Beslut",
        "Ärendet",
        "Förslag till beslut",
        "Beslutsunderlag",
        "Expedieras till",
        "Driftnämnd Hallands Sjukhus",
        "Paragrafen är justerad",
    )


def test_seed_000_deviation(built: Path) -> None:
    path = built / "region/2024/RS-577-2024-budgetavvikelse.docx"
    expect(
        text_of(path),
        "RS 577-2024",
        "Regionstyrelsen föreslås godkänna fortsättandet av FVIS-programmet",
        "Resurser och finansiering",
        "Jämställdhet (vid beslut på politisk nivå)",
        "Ingen påverkan",
        "Sara Winqvist, Programägare FVIS",
        "Hanna Swanberg, Controller FVIS",
        "FVIS Prognos 2020–2025",
        "Beslutet expedieras till",
        "Ekonomistaben",
    )
    rows = rows_of(path)
    assert ["2024", "75 mnkr", "144 mnkr", "\u221269 mnkr"] in rows
    assert ["Underskott 2024", "", "", "74 mnkr"] in rows
    assert ["Summa budget", "450 mnkr", "", ""] in rows


def test_seed_001_later_decision(built: Path) -> None:
    text = text_of(built / "region/2019/fvis-omfordelning-strategiska-medel-tjänsteskrivelse.docx")
    expect(
        text,
        # as seed 001 writes it: the sentence on its own line after 'Regionstyrelsen beslutar:'
        "Regionstyrelsen beslutar:\n7 miljoner kronor omfördelas ur strategiska budgetmedel",
        "Tillstyrker / avstyrker",
        "Central beredningsgrupp tillstyrker förslaget.",
        "Regiondirektörens beslut",
        "Färdigställa regional tjänsteplattform",
    )


def test_seed_003_rates(built: Path) -> None:
    path = built / "region/2022/ersattningsmodell-fvis-ersättningsmodell.docx"
    expect(
        text_of(path),
        "Ersättningsmodell för Framtidens vårdinformationsstöd (FVIS)",
        "Generella utgångspunkter",
        "Undantag från ersättningsmodell",
        "Uppdrag till programägare",
        "Bilaga 1. Bilaga 1 - Ersättningsberättigade enheter enligt ersättningsmodell FVIS",
        "Beslutas:",
        "Tommy Svensson, Regiondirektör",
    )
    rows = rows_of(path)
    assert ["Kategori", "Schablon kr/h"] in rows
    assert ["Vårdpersonal", "430"] in rows
    assert ["Läkare", "850"] in rows
    assert ["Privata aktörer", "Samma ersättningsnivåer som inom regionen"] in rows


def test_seed_004_extract_with_reservations(built: Path) -> None:
    path = built / "bollebygds-kommun/2020/socialnamnden-fvm-projektledare-protokollsutdrag.docx"
    text = text_of(path)
    expect(
        text,
        "Bollebygds kommun",
        "Socialnämnden beslutar att av kommunstyrelsen äska extra medel",
        "Gun-Britt Ottosson (M) reserverar sig mot beslutet att äska pengar från kommunstyrelsen",
        "Anneli Lindström (FR) reserverar sig mot beslutet med följande motivering:",
        "Socialförvaltningens förslag till beslut",
        "Beslutsgång",
        "Ordföranden frågar om förslag till beslut kan antas och finner att så sker.",
        "Skickas till",
        "Kommunstyrelsen",
    )
    assert text.count("Reservation\n") == 2  # after Beslut and after Beslutsgång, as in the seed
    assert ["Summa", "210", "210"] in rows_of(path)


def test_markdown_becomes_word_lists_not_asterisks(built: Path) -> None:
    document = docx.Document(str(built / "region/2024/RS-577-2024-budgetavvikelse.docx"))
    bullets = [p for p in document.paragraphs if p.style.name == "List Bullet"]
    assert any(p.text.startswith("Fr. o. m 2022 har arbetet") for p in bullets)
    assert not any("**" in p.text or p.text.startswith("- ") for p in document.paragraphs)


def test_document_properties(built: Path) -> None:
    core = docx.Document(str(built / OUT_002 / "RS250184-beslutsförslag.docx")).core_properties
    assert (
        core.title
        == "Information om utvecklingsmedel för att finansiera uppdrag vid införandet av Cosmic 2025"
    )
    assert core.subject == "RS250184"
    assert core.author == "Lan Nghiem"
    assert core.language == "sv-SE"
    assert core.created == dt.datetime(2025, 2, 3, tzinfo=dt.UTC)
    with zipfile.ZipFile(built / OUT_002 / "RS250184-beslutsförslag.docx") as archive:
        assert {i.date_time for i in archive.infolist()} == {(2025, 2, 3, 0, 0, 0)}


def test_second_build_is_byte_identical(built: Path, tmp_path: Path, seed_cases: Path) -> None:
    again = build([seed_cases], tmp_path)
    assert again.failed == []
    for path in built.rglob("*.docx"):
        assert (tmp_path / path.relative_to(built)).read_bytes() == path.read_bytes(), path.name


def test_rebuild_in_place_writes_nothing(built: Path, seed_cases: Path) -> None:
    stamps = {p: p.stat().st_mtime_ns for p in built.rglob("*.docx")}
    report = build([seed_cases], built)
    assert (report.written, len(report.unchanged)) == ([], 7)
    assert {p: p.stat().st_mtime_ns for p in built.rglob("*.docx")} == stamps


def test_libreoffice_converts_every_document(built: Path, tmp_path: Path) -> None:
    files = sorted(built.rglob("*.docx"))
    soffice_pdfs(files, tmp_path)
    pdfs = {p.stem for p in tmp_path.glob("*.pdf")}
    assert pdfs == {f.stem for f in files}
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "RS250184-förfrågan.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.replace("\u00a0", " ")
    assert "18 730 000 kr" in text
    assert "Summa vårdförvaltningarna" in text


HOSTILE = """\
mall: region
titel: 'Budget & <plan> för "år" 2025 😀 – Åäö'
diarienummer: RS 1-2026
datum: 2026-01-15
förslag_till_beslut:
  organ: Regionstyrelsen
  att:
    - "godkänna {{ 7*7 }} och {% if true %}x{% endif %} samt {{ ''.__class__ }}"
sammanfattning: |
  Text med & och < och > och ]]> och "citat" och 'apostrof'.

  - **fet** och *kursiv* och [länk](https://example.se/?a=1&b=2)
  - ett_mycket_långt_ord_utan_mellanslag_som_inte_får_försvinna_{long}
expedieras_till: ["Kommun & region <AB>"]
handlingar:
  - typ: tjänsteskrivelse
""".replace("{long}", "x" * 300)


def test_user_text_comes_out_as_typed(write_case: WriteCase, tmp_path: Path) -> None:
    case = write_case(HOSTILE)
    report = build([case], tmp_path / "out")
    assert report.failed == [], [d.as_text() for r in report.results for d in r.diagnostics]
    (path,) = (tmp_path / "out").glob("*.docx")
    text = text_of(path)
    expect(
        text,
        'Budget & <plan> för "år" 2025 😀 – Åäö',
        "godkänna {{ 7*7 }} och {% if true %}x{% endif %} samt {{ ''.__class__ }}",
        "Text med & och < och > och ]]> och \"citat\" och 'apostrof'.",
        "fet och kursiv och länk",
        "ett_mycket_långt_ord_utan_mellanslag_som_inte_får_försvinna_" + "x" * 300,
        "Kommun & region <AB>",
    )
    assert "49" not in text
    document = docx.Document(str(path))
    bold = [r.text for p in document.paragraphs for r in p.runs if r.bold]
    assert "fet" in bold
    assert "https://example.se/?a=1&b=2" in {
        r.target_ref for r in document.part.rels.values() if r.is_external
    }


def test_case_with_errors_writes_nothing_and_others_build(
    write_case: WriteCase, tmp_path: Path
) -> None:
    good = write_case(HOSTILE)
    bad = write_case("titel: T\nhandlingar: [{typ: tjänsteskrivelse}]\ntitel: U\n")
    report = build([good, bad], tmp_path / "out")
    assert [r.file for r in report.failed] == [str(bad)]
    assert len(report.written) == 1


def test_a_file_arendegen_did_not_make_is_never_overwritten(
    write_case: WriteCase, tmp_path: Path
) -> None:
    case = write_case(HOSTILE)
    out = tmp_path / "out"
    out.mkdir()
    mine = out / "RS-1-2026-tjänsteskrivelse.docx"
    mine.write_bytes(b"mitt eget dokument")
    report = build([case], out)
    assert mine.read_bytes() == b"mitt eget dokument"
    (failed,) = report.failed
    assert "finns redan och är inte gjord av arendegen" in failed.errors[0].message


def test_own_output_is_replaced_but_not_after_someone_edits_it(
    write_case: WriteCase, tmp_path: Path
) -> None:
    case = write_case(HOSTILE)
    out = tmp_path / "out"
    build([case], out)
    case.write_text(HOSTILE + "konsekvenser: Nytt avsnitt.\n", encoding="utf-8")
    report = build([case], out)
    assert len(report.written) == 1 and report.failed == []
    (path,) = out.glob("*.docx")
    edited = path.read_bytes() + b" "
    path.write_bytes(edited)
    case.write_text(HOSTILE, encoding="utf-8")
    report = build([case], out)
    assert report.written == [] and len(report.failed) == 1
    assert path.read_bytes() == edited
    assert (out / MANIFEST).is_file()


def test_an_edit_that_keeps_the_size_is_noticed_too(write_case: WriteCase, tmp_path: Path) -> None:
    # An unchanged output is recognised by its size and time, not read again; an edit of the
    # same length changes the time, so the file is hashed and found to be someone else's.
    case = write_case(HOSTILE)
    out = tmp_path / "out"
    build([case], out)
    (path,) = out.glob("*.docx")
    original = path.read_bytes()
    path.write_bytes(original[:-1] + bytes([original[-1] ^ 1]))
    case.write_text(HOSTILE + "konsekvenser: Nytt avsnitt.\n", encoding="utf-8")
    report = build([case], out)
    assert report.written == [] and len(report.failed) == 1
    assert len(path.read_bytes()) == len(original) and path.read_bytes() != original


def test_control_character_is_reported_at_its_line_and_nothing_is_written(
    write_case: WriteCase, tmp_path: Path
) -> None:
    pasted = 'sammanfattning: "Text med \\x0c"\nx: |\n  Text med &'
    case = write_case(HOSTILE.replace("sammanfattning: |\n  Text med &", pasted))
    report = build([case], tmp_path / "out")
    (failed,) = report.failed
    assert [(d.line, d.path) for d in failed.errors][:1] == [(9, "sammanfattning")]
    assert "U+000C är ett styrtecken" in failed.errors[0].message
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").rglob("*.docx"))


def test_compiled_template_cache_gives_the_same_bytes(tmp_path: Path) -> None:
    from arendegen.render import docx as render

    first = build([CASES / "region-halland"], tmp_path / "a")
    render.environment().compiled.clear()  # type: ignore[attr-defined]
    second = build([CASES / "region-halland"], tmp_path / "b")
    assert first.written == second.written and len(first.written) == 3
    for name in first.written:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
