"""Every printed figure is the computed one: tables of every kind, with cells typed in kr, tkr
and mnkr in one table and with decimals, are rendered, read back from the .docx and each
printed number compared with the exact value this test computes on its own (Decimal)."""

from __future__ import annotations

import re
import textwrap
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import docx
import pytest

from arendegen.pipeline import Options, build
from test_render import text_of

D = Decimal
UNIT = re.compile(r"\d (kr|tkr|mnkr)$")
NUMBER = re.compile(r"[\u2212-]?\d{1,3}(?: \d{3})*(?:,\d+)?(?: (?:kr|tkr|mnkr))?")


def tkr(text: str) -> Decimal:
    """An amount typed in tkr, in the unit of a mnkr table."""
    return D(text) / 1_000


def kr(text: str) -> Decimal:
    """An amount typed in kr, in the unit of a mnkr table."""
    return D(text) / 1_000_000


CASE = """\
    mall: region
    organisation: Region Prov
    diarienummer: RS 2025/1
    datum: 2025-03-03
    titel: Blandade enheter
    handläggare: Eva Ek, Controller
    förslag_till_beslut:
      organ: Regionstyrelsen
      att: [godkänna siffrorna.]
    sammanfattning: Resultatet blir [[jmf]].
    ekonomi:
      text: Tabellerna.
      tabeller: [budget, fördelning, schabloner, tidrapport, avvikelse, tabell, investering,
                 uppföljning]
    jämförelser:
      jmf: {bas: 120 500 tkr, resultat: 121 mnkr}
    tabeller:
      budget:
        typ: budget
        enhet: mnkr
        kolumner: [2025, 2026]
        rader:
          - {rubrik: Alfa, belopp: {2025: 500 tkr, 2026: "1,25"}}
          - {rubrik: Beta, belopp: {2025: 400 tkr, 2026: 4 000 kr}}
        summa: "2,154"
      fördelning:
        typ: fördelning
        enhet: tkr
        grupper:
          - poster:
              - {mottagare: Nord, belopp: "1,5 mnkr"}
              - {mottagare: Syd, belopp: 250}
              - {mottagare: Väst, belopp: 12 500 kr}
            summarad: Summa A
        summa: "1 762,5"
      schabloner:
        typ: schabloner
        kolumner: ["2025"]
        rader:
          - {kategori: Vård, belopp: {"2025": "0,43 tkr"}}
          - {kategori: Läkare, regi: privat, belopp: {"2025": "850,5"}}
        justeringar:
          - {rubrik: Moms, procent: 6, regi: privat}
      tidrapport:
        typ: tidrapport
        schabloner: schabloner
        år: "2025"
        period: mars 2025
        rader:
          - {enhet: Enhet A, kategori: Vård, timmar: "37,5"}
          - {enhet: Enhet A, kategori: Läkare, regi: privat, timmar: "2,25"}
      avvikelse:
        typ: budgetavvikelse
        enhet: mnkr
        år:
          - {år: "2024", budget: 75, prognos: 144 500 tkr}
          - {år: "2025", budget: 75 000 tkr, prognos_över_budget: 250 tkr}
        reserver:
          - {rubrik: Reserv, belopp: 5 000 tkr}
      tabell:
        typ: tabell
        enhet: mnkr
        kolumner:
          - {id: ram, slag: ram}
          - {id: förbr, slag: förbrukat}
          - {id: kvar, rubrik: Kvar, skillnad: [ram, förbr]}
        rader:
          - {rubrik: Norr, belopp: {ram: 73, förbr: 21 400 tkr}}
          - {rubrik: Söder, belopp: {ram: 18 000 tkr, förbr: "17,25"}}
          - {rubrik: Summa, roll: summa}
      investering:
        typ: investering
        enhet: mnkr
        projekt: Skola
        utgiftsram: 85
        år:
          - {år: "2025", belopp: 40 500 tkr}
          - {år: "2026", belopp: "44,5"}
        tidigare_beslutat: 73
        begärt: 11 500 tkr
        finansiering:
          - {rubrik: Egna medel, belopp: 84 750 tkr}
          - {rubrik: Bidrag, belopp: 250 000 kr}
        driftkonsekvenser:
          - {rubrik: Avskrivningar, avskrivningstid: 34}
          - {rubrik: Internränta, ränta: "1,5"}
          - {rubrik: Städning, belopp: 4 000 kr}
      uppföljning:
        typ: uppföljning
        enhet: mnkr
        period: jan–aug 2025
        rader:
          - {rubrik: Nämnd A, budget: 0, prognos: -74 500 tkr, föregående_prognos: -52}
          - {rubrik: Nämnd B, budget: 10, prognos: 10 250 tkr}
    handlingar:
      - typ: tjänsteskrivelse
"""


def _expected() -> dict[str, list[list[object]]]:
    """Each table's rows below its heading, every figure computed here from the case above."""
    alfa, beta = [tkr("500"), D("1.25")], [tkr("400"), kr("4000")]
    budget = [
        ["Alfa", *alfa, sum(alfa)],
        ["Beta", *beta, sum(beta)],
        ["Summa", alfa[0] + beta[0], alfa[1] + beta[1], sum(alfa) + sum(beta)],
    ]
    posts = [D("1500"), D("250"), D("12.5")]  # 1,5 mnkr, 250 tkr, 12 500 kr in tkr
    distribution = [
        ["Nord", posts[0]],
        ["Syd", posts[1]],
        ["Väst", posts[2]],
        ["Summa A", sum(posts)],
        ["Summa", sum(posts)],
    ]
    care, doctor = D("430"), (D("850.5") * D("1.06")).quantize(D("0.01"), ROUND_HALF_UP)
    rates = [["Vård", care, care], ["Läkare, privat", D("850.5"), doctor]]
    lines = [D("37.5") * care, D("2.25") * doctor]
    statement = [
        ["Enhet A", "Vård", D("37.5"), care, lines[0]],
        ["Enhet A", "Läkare", D("2.25"), doctor, lines[1]],
        ["Summa Enhet A", "Summa Enhet A", None, None, sum(lines)],
        ["Summa ersättning", "Summa ersättning", None, None, sum(lines)],
    ]
    forecast = [tkr("144500"), tkr("75000") + tkr("250")]
    budgets = [D(75), tkr("75000")]
    deviations = [b - f for b, f in zip(budgets, forecast, strict=True)]
    reserve = tkr("5000")
    deviation = [
        ["2024", budgets[0], forecast[0], deviations[0]],
        ["2025", budgets[1], forecast[1], deviations[1]],
        ["Summa budget", sum(budgets), None, None],
        ["Reserv", None, None, -reserve],
        ["Underskott 2024", None, None, -deviations[0] + reserve],
        ["Underskott 2025", None, None, -deviations[1] + reserve],
    ]
    north, south = [D(73), tkr("21400")], [tkr("18000"), D("17.25")]
    grid = [
        ["Norr", *north, north[0] - north[1]],
        ["Söder", *south, south[0] - south[1]],
        [
            "Summa",
            north[0] + south[0],
            north[1] + south[1],
            north[0] - north[1] + south[0] - south[1],
        ],
    ]
    frame, years = D(85), [tkr("40500"), D("44.5")]
    facts = [
        ["Investering", "Skola"],
        ["Utgiftsram", frame],
        ["Tidigare beslutat", D(73)],
        ["Detta beslut", tkr("11500")],
        ["Kvar av ramen", frame - D(73) - tkr("11500")],
    ]
    spending = [["2025", years[0]], ["2026", years[1]], ["Summa", sum(years)]]
    sources = [tkr("84750"), kr("250000")]
    financing = [["Egna medel", sources[0]], ["Bidrag", sources[1]], ["Summa", sum(sources)]]
    operating = [
        ["Avskrivningar (34 år)", frame / 34],
        ["Internränta (1,5 %)", frame * D("1.5") / 100],
        ["Städning", kr("4000")],
    ]
    a_dev, b_dev = tkr("-74500") - 0, tkr("10250") - 10  # netto: prognos − budget
    follow_up = [
        ["Nämnd A", D(0), tkr("-74500"), a_dev, tkr("-74500") - D(-52)],
        ["Nämnd B", D(10), tkr("10250"), b_dev, None],
        ["Summa avvikelse", None, None, a_dev + b_dev, tkr("-74500") - D(-52)],
    ]
    return {
        "Kostnadsslag/aktivitet (mnkr)": budget,
        "Mottagare": distribution,
        "Kategori": rates,
        "Enhet": statement,
        "År|Budget": deviation,
        "(mnkr)|Ram": grid,
        "Investering": facts,
        "År|Belopp": spending,
        "Källa": financing,
        "Kostnad": operating,
        "(mnkr)|Budget": follow_up,
    }


def _read(cell: str) -> object:
    """A printed figure as a Decimal (unit dropped), other text as it is, empty as None."""
    text = cell.replace("\u00a0", " ").strip()
    if not text:
        return None
    if NUMBER.fullmatch(text):
        number = text.rsplit(" ", 1)[0] if text[-1].isalpha() else text
        return D(number.replace(" ", "").replace(",", ".").replace("\u2212", "-"))
    return text


def _tables(path: Path) -> dict[str, list[list[object]]]:
    """The tables of the document by their heading (first cell, or first two when shared)."""
    found: dict[str, list[list[object]]] = {}
    for table in docx.Document(str(path)).tables:
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        first, second = rows[0][0], rows[0][1] if len(rows[0]) > 1 else ""
        key = f"{first}|{second}" if first in ("År", "(mnkr)") else first
        body = rows if first == "Investering" else rows[1:]
        found[key] = [[_read(c) for c in row] for row in body]
        labels = {m[1] for row in body for c in row if (m := UNIT.search(c.replace("\xa0", " ")))}
        assert len(labels) <= 1, f"{key}: figures in {labels} in one table"
    return found


@pytest.fixture(scope="module")
def document(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("figures")
    (root / "cases").mkdir()
    (root / "cases" / "blandat.yaml").write_text(textwrap.dedent(CASE), encoding="utf-8")
    report = build([root / "cases"], root / "out", options=Options(formats=("docx",), jobs=1))
    assert report.failed == []
    return next((root / "out").glob("*.docx"))


@pytest.mark.parametrize("heading", list(_expected()))
def test_every_printed_figure_is_the_exact_computed_one(document: Path, heading: str) -> None:
    assert _tables(document)[heading] == _expected()[heading]


def test_a_table_prints_all_its_figures_with_the_decimals_of_its_most_precise_one(
    document: Path,
) -> None:
    budget = docx.Document(str(document)).tables[1]
    figures = [c.text for row in budget.rows[1:] for c in row.cells[1:]]
    # 4 000 kr is 0,004 mnkr: three decimals, shown on every figure, none hidden as 0
    assert figures == [
        *("0,500", "1,250", "1,750"),
        *("0,400", "0,004", "0,404"),
        *("0,900", "1,254", "2,154"),
    ]


def test_a_figure_named_in_text_is_the_computed_one(document: Path) -> None:
    # 121 mnkr − 120 500 tkr: half a million, not '1 mnkr'
    assert "Resultatet blir 0,5 mnkr bättre än budget." in text_of(document)


ISSUE_EXAMPLE = """\
    mall: region
    titel: Budget i mnkr med rader i tkr
    handläggare: Eva Ek, Controller
    förslag_till_beslut:
      organ: Regionstyrelsen
      att: [godkänna budgeten.]
    ekonomi:
      text: Budgeten.
      tabeller: [budget]
    tabeller:
      budget:
        typ: budget
        enhet: mnkr
        kolumner: [2026]
        rader:
          - {rubrik: Första, belopp: {2026: 500 tkr}}
          - {rubrik: Andra, belopp: {2026: 400 tkr}}
        summa: 0,9
    handlingar:
      - typ: tjänsteskrivelse
"""


def test_the_issue_example_prints_its_sums_exactly(tmp_path: Path) -> None:
    """Rows of 500 tkr and 400 tkr in a mnkr table: 0,5 + 0,4 = 0,9, not 1 + 0 = 1."""
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "x.yaml").write_text(textwrap.dedent(ISSUE_EXAMPLE), encoding="utf-8")
    report = build([tmp_path / "cases"], tmp_path / "out", options=Options(formats=("docx",)))
    assert report.failed == []
    table = docx.Document(str(next((tmp_path / "out").glob("*.docx")))).tables[1]
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[1:] == [["Första", "0,5", "0,5"], ["Andra", "0,4", "0,4"], ["Summa", "0,9", "0,9"]]
