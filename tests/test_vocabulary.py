"""The vocabulary of Swedish decision documents: every example case validates, renders in every
built-in pack and reads back; every invariant it carries fails with a clear message when its
figures are wrong; votes and sums are counted, never copied."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from arendegen.pipeline import Options, build
from arendegen.schema import DOCUMENT_KINDS
from arendegen.schema.types import parse_period
from arendegen.validate import check_file
from conftest import CASES, EXAMPLES, WriteCase
from test_render import text_of

PACKS = ("kommun", "region", "region-halland")
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))

STRUCTURES: dict[str, tuple[str, list[str]]] = {
    # structure of the issue → (example file, what its documents must say)
    "17 a kallelse with its föredragningslista": (
        "ks-2025-10-14-kallelse",
        [
            "2. Delårsrapport augusti 2025",
            "Kallade",
            "Karin Ström, Kommundirektör",
            "Föredragande: Lena Ås, Ekonomichef · kl. 13.10 · till kommunfullmäktige",
            "Kommunstyrelsen föreslår kommunfullmäktige besluta att godkänna delårsrapporten",
        ],
    ),
    "17 a report of delegated decisions": (
        "sn-2025-09-delegationsanmalan",
        [
            "Anmälan av delegationsbeslut",
            "Maria Holm, Enhetschef",
            "Inspektionen för vård och omsorg",
        ],
    ),
    "17 rates with the provider form as columns, stated adjusted rates": (
        "an-2025-ersattning-lov",
        ["Privat regi justerad", "560", "643", "459", "Momskompensation: 6 % för privat regi"],
    ),
    "17 figures cited in the prose": (
        "kf-2025-investering-forskola",
        ["Utgiftsramen blir 85 mkr", "ramen 103 mkr (se bilaga 1)"],
    ),
    "17 a budget document: cover, table of contents, numbered tables, one därav": (
        "kf-2025-investeringsbudget",
        [
            "Budget",
            "Antagen av kommunfullmäktige 2025-06-16, § 93",
            "Innehåll",
            "Tabell 1. Investeringar per nämnd 2026–2028",
            "Tabell 2. Ekby skola, etapp 2",
            "uppgår sammanlagt till 89 100 tkr, varav 5 900 tkr",
            "före detta beslut återstod 44 mkr",
        ],
    ),
    "17 a table of text, counts, shares and money": (
        "ks-2025-maluppfoljning",
        ["Mål (st)", "88 %", "Nettokostnad (mkr)", "1 623,3"],
    ),
    "1 document types and header blocks": (
        "ks-2025-172-vatten-och-avlopp",
        ["Tjänsteutlåtande", "Dok.id 48211 version 2.0", "Sammanträdesdatum", "VA-enheten"],
    ),
    "2 diarienummer with classification code": (
        "ks-2025-172-vatten-och-avlopp",
        ["KS 2025/172 51"],
    ),
    "3 people and roles": (
        "ks-2025-172-vatten-och-avlopp",
        [
            "Tfn 0300-83 41 20",
            "karin.lund@ekby.se",
            "Ansvarig: Olof Berg, Samhällsbyggnadschef",
            "Föredragande: Maria Ek, Kommunstyrelsens ordförande",
            "Rätt utdraget intygar: Eva Sund, Nämndsekreterare",
        ],
    ),
    "4 decision routing": (
        "ks-2025-172-vatten-och-avlopp",
        [
            "Kommunstyrelsens arbetsutskott föreslår kommunstyrelsen föreslå kommunfullmäktige "
            "besluta att",
            "Kommunstyrelsen föreslår kommunfullmäktige besluta att",
        ],
    ),
    "4 delegated decision": (
        "sn-2025-delegationsbeslut",
        ["med stöd av delegation från socialnämnden, punkt 1.4 i delegationsordningen"],
    ),
    "4 joint committee": (
        "ofn-2025-gemensam-namnd",
        ["Överförmyndarnämnden, gemensam för Ekby kommun, Norrby kommun och Åsa kommun"],
    ),
    "5 att-clauses with body, verb, annex": (
        "ks-2025-172-vatten-och-avlopp",
        [
            "Kommunstyrelsen beslutar för egen del att",
            "anta reviderad VA-plan 2025–2035 (bilaga 1).",
        ],
    ),
    "6 headings per organisation": (
        "ks-2025-172-vatten-och-avlopp",
        ["Beskrivning av ärendet", "Ärendets beredning", "Miljökonsekvenser", "Bedömning"],
    ),
    "7 beslutsunderlag and bilagor": (
        "ks-2025-172-vatten-och-avlopp",
        [
            "Bilaga 2. Kommunstyrelsens arbetsutskotts protokollsutdrag, KSAU 2025-03-17, § 41",
            "Bilaga 3. Karta över omvandlingsområden (bifogas inte)",
        ],
    ),
    "8 distribution": ("ks-2025-172-vatten-och-avlopp", ["För åtgärd", "För kännedom", "Akten"]),
    "9 protocol frame": (
        "sn-2025-03-25-protokoll",
        [
            "kl. 13.00–16.10 (ajournering 14.40–14.55 under § 31)",
            "ej § 30",
            "tjänstgörande ersättare, istf Sara Berg",
            "§ 29–31",
            "Datum då anslaget sätts upp",
            "2025-03-28",
            "2025-04-19",
            "Paragrafen förklaras omedelbart justerad.",
        ],
    ),
    "10 deliberation": (
        "sn-2025-03-25-protokoll",
        [
            "Johan Ek (M) yrkar tillägg om 1,5 mkr enligt följande:",
            "Maja Strand (V) yrkar återremiss",
            "genom ordförandens utslagsröst",
            "Johan Ek (M) och Eva Nord (M) reserverar sig mot beslutet att avslå "
            "tilläggsyrkandet till förmån för eget yrkande",
            "Ali Demir (S) anmäler jäv",
            "Maja Strand (V) lämnar ett särskilt yttrande, bilaga 2.",
            "Per Lind (C) lämnar en protokollsanteckning:",
        ],
    ),
    "11 references": (
        "ks-2025-172-vatten-och-avlopp",
        ["KF 2019-05-23, § 88", "SOU 2018:4 Att säkra vattenförsörjningen"],
    ),
    "12 remiss": (
        "ks-2025-061-remissyttrande",
        ["Remissyttrande", "Svar senast", "2025-05-15", "Tillstyrker delvis", "Fi2024/01188"],
    ),
    "12 motion": (
        "kf-2025-motion-gang-och-cykelvag",
        ["Motion från Erik Sand (C), Ulla Björk (C), inkommen 2024-10-21", "anses besvarad"],
    ),
    "13 tables as data": (
        "rs-2025-delarsrapport-augusti",
        ["övriga kostnader (ej specificerade)", "Summa 2026–2027", "Avvikelse 2025"],
    ),
    "14 figures against a base": (
        "rs-2025-delarsrapport-augusti",
        ["38 mnkr bättre än budget", "underskott om 74 mnkr"],
    ),
    "15 investment": (
        "kf-2025-investering-forskola",
        ["Kvar av ramen", "Avskrivningar (33 år)", "5 mkr flyttas från 2025 till 2026"],
    ),
    "15 budget follow-up": (
        "rs-2025-delarsrapport-augusti",
        ["Förändring sedan april", "Föreslagna åtgärder", "Utfall jan–aug 2025"],
    ),
    "15 compensation model": (
        "aon-2025-ersattning-hemtjanst",
        ["Omvårdnad, privat regi, dag", "542,72", "Nivåerna gäller från och med 1 januari 2025."],
    ),
    "15 barnkonsekvensanalys checklist": (
        "ks-2025-172-vatten-och-avlopp",
        ["Berör beslutet barn direkt eller indirekt?", "Beslutet bedöms vara till barnens bästa."],
    ),
    "16 dates and periods": ("ks-2025-172-vatten-och-avlopp", ["2025-03-03"]),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The examples built in their own pack: each case's documents' text, by case file stem."""
    out = tmp_path_factory.mktemp("examples")
    report = build([EXAMPLES], out, options=Options(formats=("docx",), jobs=1))
    assert report.failed == []
    texts: dict[str, str] = {}
    for path in EXAMPLE_FILES:
        result = check_file(path)
        assert result.case is not None
        stem = result.case.diarienummer or path.stem
        prefix = re.sub(r"[^\w\-]+", "-", stem).strip("-")
        docs = sorted(out.glob(f"{prefix}-*.docx")) or sorted(out.glob(f"{path.stem}-*.docx"))
        assert docs, path.name
        texts[path.stem] = "\n".join(text_of(d) for d in docs)
    return texts


@pytest.mark.parametrize("case", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_example_validates_without_a_single_remark(case: Path) -> None:
    assert check_file(case).diagnostics == []


@pytest.mark.parametrize("structure", sorted(STRUCTURES))
def test_each_structure_has_an_example_whose_documents_show_it(
    structure: str, built: dict[str, str]
) -> None:
    stem, needles = STRUCTURES[structure]
    text = built[stem]
    assert [n for n in needles if n not in text] == []


def test_every_example_is_used_for_some_structure() -> None:
    assert {p.stem for p in EXAMPLE_FILES} == {stem for stem, _ in STRUCTURES.values()}


def in_pack(case: Path, pack: str, number: int = 0) -> str:
    """The case's text with its pack replaced (and a diarienummer Region Halland accepts)."""
    text = re.sub(r"(?m)^mall: .*$", f"mall: {pack}", case.read_text(encoding="utf-8"))
    if pack == "region-halland":
        text = re.sub(r"(?m)^diarienummer: .*$", f"diarienummer: RS25{number:04d}", text)
    return text


ALL_CASES = sorted(CASES.rglob("*.yaml"))


def test_the_cases_yield_every_kind_of_document() -> None:
    kinds = {d.typ for c in ALL_CASES for d in check_file(c).case.handlingar}  # type: ignore[union-attr]
    assert kinds == set(DOCUMENT_KINDS)


@pytest.mark.parametrize("pack", PACKS)
def test_every_kind_renders_in_every_builtin_pack(pack: str, tmp_path: Path) -> None:
    cases = tmp_path / "cases"
    cases.mkdir()
    for number, case in enumerate(ALL_CASES):
        (cases / case.name).write_text(in_pack(case, pack, number), encoding="utf-8")
    report = build([cases], tmp_path / "out", options=Options(formats=("docx",), jobs=1))
    assert report.failed == []
    written = sorted((tmp_path / "out").glob("*.docx"))
    expected = sum(len(check_file(c).case.handlingar) for c in ALL_CASES)  # type: ignore[union-attr]
    assert len(written) == expected
    protocol = next(p for p in written if "sammanträdesprotokoll" in p.name)
    assert "Johan Ek (M) och Eva Nord (M) reserverar sig" in text_of(protocol)
    remiss = next(p for p in written if "remissyttrande" in p.name)
    assert "Ökad insyn i välfärdsföretag" in text_of(remiss)


def test_headings_come_from_the_pack(tmp_path: Path) -> None:
    case = EXAMPLES / "sn-2025-delegationsbeslut.yaml"
    texts = {}
    for pack in ("kommun", "region"):
        folder = tmp_path / pack
        folder.mkdir()
        (folder / case.name).write_text(in_pack(case, pack), encoding="utf-8")
        build([folder], tmp_path / f"out-{pack}", options=Options(formats=("docx",), jobs=1))
        texts[pack] = text_of(next((tmp_path / f"out-{pack}").glob("*.docx")))
    assert "\nEkonomiska konsekvenser\n" in texts["kommun"]
    assert "\nResurser och finansiering\n" in texts["region"]


# --- Invariants: each fails with a clear message when the figures are wrong -------------


def errors_after(case: str, old: str, new: str, tmp_path: Path) -> list[str]:
    """Validate the example with one piece of text replaced; its errors as 'path: message'."""
    source = (EXAMPLES / f"{case}.yaml").read_text(encoding="utf-8")
    assert source.count(old) == 1, old
    path = tmp_path / f"{case}.yaml"
    path.write_text(source.replace(old, new), encoding="utf-8")
    return [f"{d.path}: {d.message}".replace("\u00a0", " ") for d in check_file(path).errors]


INVARIANTS = [
    (
        "row sum",
        "rs-2025-delarsrapport-augusti",
        "belopp: {bu2025: 120, p2025: 158, avv: 38}",
        "belopp: {bu2025: 120, p2025: 160, avv: 38}",
        "tabeller.resultat-över-år.rader[7].belopp.p2025: angiven summa för 'Årets resultat' i "
        "kolumnen p2025 160 mnkr, summan av delarna är 158 mnkr",
    ),
    (
        "column difference",
        "rs-2025-delarsrapport-augusti",
        "belopp: {bu2025: 120, p2025: 158, avv: 38}",
        "belopp: {bu2025: 120, p2025: 158, avv: 40}",
        "tabeller.resultat-över-år.rader[7].belopp.avv: angiven skillnad för 'Årets resultat' i "
        "kolumnen avv 40 mnkr, det som räknas fram ur kolumnerna är 38 mnkr",
    ),
    (
        "därav larger than its row",
        "rs-2025-delarsrapport-augusti",
        "p2025: -8 410,",
        "p2025: -18 410,",
        "tabeller.resultat-över-år.rader[1]: därav-raderna under 'Verksamhetens kostnader' blir "
        "−20 560 mnkr i kolumnen p2025, mer än raden själv (−16 522 mnkr)",
    ),
    (
        "remainder line",
        "rs-2025-delarsrapport-augusti",
        "        roll: övrigt\n        av: [kostnader]\n",
        "        roll: övrigt\n        av: [kostnader]\n        belopp: {b2024: -5 900}\n",
        "tabeller.resultat-över-år.rader[4].belopp.b2024: angiven rest för 'övriga kostnader (ej "
        "specificerade)' i kolumnen b2024 −5 900 mnkr, raden minus därav-raderna är −5 910 mnkr",
    ),
    (
        "frame − used = remaining",
        "kf-2025-investering-forskola",
        'kvar: "0,8"',
        'kvar: "1,8"',
        "tabeller.ramar.rader[1].belopp.kvar: angiven skillnad för 'Ekby förskola, tillbyggnad' i "
        "kolumnen kvar 1,8 mkr, det som räknas fram ur kolumnerna är 0,8 mkr",
    ),
    (
        "base + change = value",
        "kf-2025-investering-forskola",
        "ändring: 12, ny: 85}",
        "ändring: 12, ny: 86}",
        "tabeller.ramar.rader[0].belopp.ny: angiven summa för 'Norrby förskola' i kolumnen ny "
        "86 mkr, det som räknas fram ur kolumnerna är 85 mkr",
    ),
    (
        "column total",
        "kf-2025-investering-forskola",
        "belopp: {ram: 91, ny: 103}",
        "belopp: {ram: 92, ny: 103}",
        "tabeller.ramar.rader[2].belopp.ram: angiven summa för 'Summa' i kolumnen ram 92 mkr, "
        "summan av raderna ovanför är 91 mkr",
    ),
    (
        "investment years against the frame",
        "kf-2025-investering-forskola",
        '- {år: "2026", belopp: 37}',
        '- {år: "2026", belopp: 38}',
        "tabeller.norrby.utgiftsram: angiven utgiftsram 85 mkr, summan av åren är 86 mkr",
    ),
    (
        "investment remaining",
        "kf-2025-investering-forskola",
        "    kvar: 0\n",
        "    kvar: 2\n",
        "tabeller.norrby.kvar: angiven återstod 2 mkr, ramen minus tidigare beslutat och begärt "
        "är 0 mkr",
    ),
    (
        "investment financing",
        "kf-2025-investering-forskola",
        "{rubrik: Egna medel, belopp: 79}",
        "{rubrik: Egna medel, belopp: 80}",
        "tabeller.norrby.utgiftsram: angiven utgiftsram 85 mkr, summan av finansieringen är 86 mkr",
    ),
    (
        "depreciation",
        "kf-2025-investering-forskola",
        'avskrivningstid: 33, belopp: "2,6"',
        'avskrivningstid: 33, belopp: "2,8"',
        "tabeller.norrby.driftkonsekvenser[0].belopp: angiven avskrivningar 2,8 mkr, "
        "beräkningen ur utgiftsramen, avrundad, är 2,6 mkr",
    ),
    (
        "follow-up deviation",
        "rs-2025-delarsrapport-augusti",
        "    avvikelse: 38\n",
        "    avvikelse: 40\n",
        "tabeller.prognos.avvikelse: angiven total avvikelse 40 mnkr, summan av radernas "
        "avvikelser är 38 mnkr",
    ),
    (
        "figure against a base",
        "rs-2025-delarsrapport-augusti",
        "    resultat: 158 mnkr\n",
        "    förändring: 40 mnkr\n    resultat: 158 mnkr\n",
        "jämförelser.resultat.resultat: angiven resultat 158 mnkr, basen plus förändringen är "
        "160 mnkr",
    ),
    (
        "vote count",
        "sn-2025-03-25-protokoll",
        "resultat: {ja: 3, nej: 3, avstår: 1}",
        "resultat: {ja: 4, nej: 3, avstår: 1}",
        "handlingar[0].paragrafer[2].votering.resultat.ja: angivet antal ja är 4, men rösterna ger 3",
    ),
    (
        "vote outcome",
        "sn-2025-03-25-protokoll",
        "utfall: ja",
        "utfall: nej",
        "handlingar[0].paragrafer[2].votering.utfall: angivet utfall är nej, men rösterna (3 ja, "
        "3 nej) ger ja (ordförandens utslagsröst)",
    ),
    (
        "a voter absent from the paragraph",
        "sn-2025-03-25-protokoll",
        "ej_paragrafer: [30]",
        "ej_paragrafer: [31]",
        "handlingar[0].paragrafer[2].votering.röster[3]: Ali Demir tjänstgör inte vid paragrafen "
        "enligt närvarolistan",
    ),
    (
        "anslag shorter than three weeks",
        "sn-2025-03-25-protokoll",
        "nedtas: 2025-04-19",
        "nedtas: 2025-04-10",
        "handlingar[0].sammanträde.anslag.nedtas: anslaget sitter 13 dagar; det ska sitta minst "
        "tre veckor, till 2025-04-18",
    ),
    (
        "absence from a paragraph that is not in the protocol",
        "sn-2025-03-25-protokoll",
        "ej_paragrafer: [30]",
        "ej_paragrafer: [33]",
        "handlingar[0].sammanträde.ledamöter[3].ej_paragrafer[0]: protokollet har ingen § 33",
    ),
    # a checklist answer without its explanation is a warning since issue 17 (real forms)
    (
        "unknown reference in text",
        "ks-2025-172-vatten-och-avlopp",
        "antog den nuvarande VA-planen [[kf-2019-88]]",
        "antog den nuvarande VA-planen [[kf-2019-89]]",
        "bakgrund.text: det finns ingen referens eller jämförelse 'kf-2019-89'; menade du "
        "'kf-2019-88'?",
    ),
    (
        "clause decided by a body off the routing",
        "ks-2025-172-vatten-och-avlopp",
        "      organ: Kommunstyrelsen\n",
        "      organ: Regionstyrelsen\n",
        "förslag_till_beslut.att[1].organ: det finns inget organ 'Regionstyrelsen' i "
        "beslutsordningen; menade du 'Kommunstyrelsen'?",
    ),
    (
        "statement total",
        "aon-2025-ersattning-hemtjanst",
        "summa: 1 385 625,80 kr",
        "summa: 1 385 625 kr",
        "tabeller.mars.summa: angiven total ersättning 1 385 625,00 kr, summan av timmar × "
        "schablon är 1 385 625,80 kr",
    ),
    (
        "a time report line that fits two rates",
        "aon-2025-ersattning-hemtjanst",
        "kategori: Omvårdnad, regi: privat regi, tidsband: dag, timmar: 860}",
        "kategori: Omvårdnad, regi: privat regi, timmar: 860}",
        "tabeller.mars.rader[2].kategori: kategorin 'Omvårdnad' har flera schabloner för 2025 "
        "(per regi eller tidsband); ange radens `regi` och `tidsband`",
    ),
    (
        "a motion without party",
        "kf-2025-motion-gang-och-cykelvag",
        "    - namn: Ulla Björk\n      parti: C\n",
        "    - namn: Ulla Björk\n",
        "motion.förslagsställare[1]: en motion lämnas av förtroendevalda; ange partiet för "
        "Ulla Björk",
    ),
]


@pytest.mark.parametrize(
    ("case", "old", "new", "expected"),
    [row[1:] for row in INVARIANTS],
    ids=[row[0] for row in INVARIANTS],
)
def test_each_invariant_fails_with_a_clear_message(
    case: str, old: str, new: str, expected: str, tmp_path: Path
) -> None:
    assert expected in errors_after(case, old, new, tmp_path)


def test_a_disqualified_member_may_not_vote_or_move(tmp_path: Path) -> None:
    errors = errors_after(
        "sn-2025-03-25-protokoll",
        "        titel: Budget 2025, fördelning av nämndens reserv\n",
        "        titel: Budget 2025, fördelning av nämndens reserv\n"
        "        jäv: [Anna Svensson (S)]\n",
        tmp_path,
    )
    assert (
        "handlingar[0].paragrafer[2].votering.röster[0]: Anna Svensson har anmält jäv i "
        "paragrafen och får inte rösta" in errors
    )
    assert (
        "handlingar[0].paragrafer[2].yrkanden[0].ledamot: Anna Svensson har anmält jäv i "
        "paragrafen och kan inte yrka" in errors
    )


# --- Counted, not copied -------------------------------------------------------------------


def test_vote_counts_are_counted_from_the_votes(tmp_path: Path) -> None:
    source = (EXAMPLES / "sn-2025-03-25-protokoll.yaml").read_text(encoding="utf-8")
    changed = source.replace('"Maja Strand (V): avstår"', '"Maja Strand (V): nej"').replace(
        "          resultat: {ja: 3, nej: 3, avstår: 1}\n          utfall: ja\n", ""
    )
    folder = tmp_path / "cases"
    folder.mkdir()
    (folder / "p.yaml").write_text(changed, encoding="utf-8")
    report = build([folder], tmp_path / "out", options=Options(formats=("docx",), jobs=1))
    assert report.failed == []
    text = text_of(next((tmp_path / "out").glob("*.docx")))
    assert "Summa\n3\n4\n0" in text
    assert (
        # 'bifall till tilläggsyrkandet' won: the body decided according to it
        "Med 3 ja-röster mot 4 nej-röster har socialnämnden beslutat enligt tilläggsyrkandet."
        in text
    )


def test_sums_are_computed_not_copied(tmp_path: Path) -> None:
    source = (EXAMPLES / "rs-2025-delarsrapport-augusti.yaml").read_text(encoding="utf-8")
    changed = source.replace("        belopp: {bu2025: 120, p2025: 158, avv: 38}\n", "")
    changed = changed.replace("p2025: 2 515,", "p2025: 2 525,").replace("    avvikelse: 38\n", "")
    folder = tmp_path / "cases"
    folder.mkdir()
    (folder / "r.yaml").write_text(changed, encoding="utf-8")
    report = build([folder], tmp_path / "out", options=Options(formats=("docx",), jobs=1))
    assert report.failed == []
    text = text_of(next((tmp_path / "out").glob("*.docx")))
    # Årets resultat: 55 (bokslut), 120 (budget), 168 = 158 + 10 (prognos), 48 (avvikelse)
    assert "Årets resultat\n55\n120\n168\n48\n120\n120\n240" in text


# --- Dates and periods -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("jan–juni 2025", "2025-01-01", "2025-06-30"),
        ("t.o.m. maj 2025", "2025-01-01", "2025-05-31"),
        ("maj 2025", "2025-05-01", "2025-05-31"),
        ("T2 2025", "2025-05-01", "2025-08-31"),
        ("kvartal 4 2024", "2024-10-01", "2024-12-31"),
        ("helår 2024", "2024-01-01", "2024-12-31"),
        ("januari 2025–mars 2026", "2025-01-01", "2026-03-31"),
        ("2025-01-01–2025-06-30", "2025-01-01", "2025-06-30"),
        ("feb–feb 2024", "2024-02-01", "2024-02-29"),
    ],
)
def test_periods_as_officials_write_them(text: str, first: str, last: str) -> None:
    period = parse_period(text)
    assert (period.start.isoformat(), period.end.isoformat()) == (first, last)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("juni–jan 2025", "'juni–jan 2025' slutar innan den börjar"),
        ("T4 2025", "'T4 2025': ett år har bara 3 sådana perioder"),
        ("våren 2025", "'våren 2025' är ingen period"),
    ],
)
def test_a_period_that_is_not_one_is_refused(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_period(text)


def test_dates_written_out_are_read_and_impossible_ones_refused(tmp_path: Path) -> None:
    assert errors_after(
        "sn-2025-delegationsbeslut", "datum: 14 april 2025", "datum: 31 april 2025", tmp_path
    ) == ["datum: '31 april 2025' är inget giltigt datum (finns dagen?)"]
    assert errors_after(
        "sn-2025-delegationsbeslut", "datum: 14 april 2025", "datum: 14 aprill 2025", tmp_path
    ) == [
        "datum: '14 aprill 2025' är inget datum; skriv ÅÅÅÅ-MM-DD (2025-02-03) eller '3 februari 2025'"
    ]


def test_a_table_cannot_be_shown_thousands_of_times(write_case: WriteCase) -> None:
    """A 74 kB case naming one table 3 000 times made the build run for minutes while
    validate passed: a table is shown once per section, and all shown tables together hold
    at most 60 000 values."""
    from arendegen.validate import check_file

    rows = "".join(f"      - {{rubrik: R{i}, belopp: {{2025: {i}}}}}\n" for i in range(30))
    head = (
        "titel: T\ndiarienummer: D 1\ndatum: 2026-01-15\n"
        "förslag_till_beslut: {organ: N, att: [a]}\nhandlingar:\n  - typ: tjänsteskrivelse\n"
        f"tabeller:\n  t:\n    typ: budget\n    enhet: tkr\n    kolumner: [2025]\n    rader:\n{rows}"
    )
    twice = check_file(write_case(head + "ekonomi:\n  text: x\n  tabeller: [t, t]\n"))
    assert [d.message for d in twice.errors] == [
        "tabellen 't' står redan i avsnittet (tabeller[0])"
    ]
    big = "".join(
        f"      - {{rubrik: R{i}, belopp: {{2025: {i}, 2026: {i}}}}}\n" for i in range(2_000)
    )
    many = head.replace(rows, big).replace("[2025]", "[2025, 2026]") + "".join(
        f"{name}:\n  text: x\n  tabeller: [t]\n"
        for name in (
            "bakgrund",
            "ekonomi",
            "överväganden",
            "konsekvenser",
            "beredning",
            "sammanfattning",
            "barnkonsekvenser",
            "miljökonsekvenser",
            "sociala_konsekvenser",
            "jämställdhetskonsekvenser",
            "konsekvensanalys",
        )
    )
    result = check_file(write_case(many))
    assert any("mer än 60 000 uppgifter i allt" in d.message for d in result.errors), [
        d.message for d in result.diagnostics
    ]
