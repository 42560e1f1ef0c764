"""Tables of other quantities (issue 17): a text column (Nr), counts (st), shares of a
target (%) and money in one table, each with its own checks, and no money unit printed over
a column that is not money."""

from __future__ import annotations

from pathlib import Path

from arendegen.context import document_context
from arendegen.validate import check_file
from conftest import WriteCase, own_pack

GOALS = """\
mall: kommun
titel: Uppföljning av verksamhetsplan 2025
diarienummer: KS 2025/40
datum: 2025-09-10
förslag_till_beslut:
  organ: Kommunstyrelsen
  att: [lägga uppföljningen till handlingarna.]
sammanfattning:
  text: De flesta av nämndernas mål är uppfyllda.
  tabeller: [mål]
tabeller:
  mål:
    typ: tabell
    rubrik: Måluppfyllelse per nämnd
    enhet: mnkr
    radrubrik: Nämnd
    kolumner:
      - {id: nr, rubrik: Nr, värde: text}
      - {id: mål, rubrik: Mål, värde: antal, enhet: st}
      - {id: uppfyllda, rubrik: Uppfyllda, värde: antal, enhet: st}
      - {id: andel, rubrik: Andel av målet, värde: procent}
      - {id: netto, rubrik: Nettokostnad}
    rader:
      - id: bun
        rubrik: Barn- och utbildningsnämnden
        text: {nr: "1"}
        belopp: {mål: 8, uppfyllda: 7, andel: "88 %", netto: "812,4"}
      - id: sn
        rubrik: Socialnämnden
        text: {nr: "2"}
        belopp: {mål: 11, uppfyllda: 10, andel: "91 %", netto: "655,0"}
      - {rubrik: Summa, roll: summa, belopp: {mål: {total}, netto: "1 467,4"}}
handlingar:
  - typ: tjänsteskrivelse
"""


def table_rows(write_case: WriteCase, text: str) -> list[str]:
    result = check_file(write_case(text))
    assert result.errors == [], result.errors
    assert result.case and result.pack and result.computed
    body = document_context(result.case, result.computed, result.pack, 0)["innehåll"]
    lines = body.plain_text().replace("\u00a0", " ").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("Nämnd |"))
    return lines[start : start + 4]


def test_text_counts_shares_and_money_in_one_table(write_case: WriteCase) -> None:
    assert table_rows(write_case, GOALS.replace("{total}", "19")) == [
        "Nämnd | Nr | Mål (st) | Uppfyllda (st) | Andel av målet | Nettokostnad (mkr)",
        "Barn- och utbildningsnämnden | 1 | 8 | 7 | 88 % | 812,4",
        "Socialnämnden | 2 | 11 | 10 | 91 % | 655,0",
        # counts and money are added up; a share is not
        "Summa |  | 19 | 17 |  | 1 467,4",
    ]


def test_each_kind_of_column_has_its_own_checks(write_case: WriteCase) -> None:
    wrong_total = check_file(write_case(GOALS.replace("{total}", "20")))
    assert [(d.path, d.message) for d in wrong_total.errors] == [
        (
            "tabeller.mål.rader[2].belopp.mål",
            "angiven summa för 'Summa' i kolumnen mål 20, summan av raderna ovanför är 19",
        )
    ]
    kronor_in_counts = check_file(
        write_case(GOALS.replace("{total}", "19").replace("mål: 8,", "mål: 8 tkr,"))
    )
    assert [d.message for d in kronor_in_counts.errors] == [
        "kolumnen 'mål' har antal, inte kronor; skriv talet utan enhet"
    ]
    text_as_number = check_file(
        write_case(GOALS.replace("{total}", "19").replace('text: {nr: "1"}', "text: {mål: åtta}"))
    )
    assert [d.message for d in text_as_number.errors] == [
        "kolumnen 'mål' har antal; skriv talet under radens `belopp`, eller ge kolumnen "
        "`värde: text`"
    ]


def test_a_table_of_counts_only_needs_no_money_unit(write_case: WriteCase) -> None:
    """Before: a table of counts could only be built as a draft ('enheten … är inte känd')."""
    text = (
        GOALS.replace("{total}", "19")
        .replace("    enhet: mnkr\n", "")
        .replace("      - {id: netto, rubrik: Nettokostnad}\n", "")
        .replace(', netto: "812,4"', "")
        .replace(', netto: "655,0"', "")
        .replace(', netto: "1 467,4"', "")
    )
    result = check_file(write_case(text))
    assert result.diagnostics == [], result.diagnostics
    rows = table_rows(write_case, text)
    assert rows[0] == "Nämnd | Nr | Mål (st) | Uppfyllda (st) | Andel av målet"


def test_a_rounded_total_within_the_tolerance_is_printed_as_stated(write_case: WriteCase) -> None:
    """A trial on Hallsberg's annual report (2019): the balanskravsresultat is stated as 28
    though its rounded parts add up to 29; with `tolerans: 1 mnkr` the check passes, and the
    page printed 29 instead of the report's 28."""
    text = """\
mall: kommun
titel: Balanskravsutredning 2018
diarienummer: KS 2019/20
datum: 2019-03-01
förslag_till_beslut:
  organ: Kommunstyrelsen
  att: [godkänna utredningen.]
ekonomi:
  text: Balanskravsutredningen.
  tabeller: [bk]
tabeller:
  bk:
    typ: tabell
    enhet: mnkr
    tolerans: 1 mnkr
    radrubrik: Post
    kolumner: [{id: u2018, rubrik: Utfall 2018}]
    rader:
      - {rubrik: Årets resultat, belopp: {u2018: "28,6"}}
      - {rubrik: Realisationsvinster, belopp: {u2018: "0,4"}}
      - {rubrik: Årets resultat efter balanskravsjusteringar, roll: summa, belopp: {u2018: 28}}
handlingar:
  - typ: tjänsteskrivelse
"""
    result = check_file(write_case(text))
    assert result.errors == [], result.errors
    assert result.case and result.pack and result.computed
    body = document_context(result.case, result.computed, result.pack, 0)["innehåll"]
    lines = body.plain_text().replace("\u00a0", " ").split("\n")
    assert "Årets resultat efter balanskravsjusteringar | 28,0" in lines


RATES = """\
mall: kommun
titel: Ersättning i hemtjänst 2025
diarienummer: ÄN 2025/3
datum: 2025-01-10
förslag_till_beslut:
  organ: Äldrenämnden
  att: [fastställa ersättningen.]
ekonomi:
  text: Ersättningen per timme.
  tabeller: [nivåer]
tabeller:
  nivåer:
    typ: schabloner
    rubrik: Ersättning per utförd timme 2025
    radrubrik: Insats
    kolumner: [Kommunal regi, Privat regi]
    rader:
      - kategori: Omvårdnad dag
        belopp: {Kommunal regi: 512, Privat regi: 512}
        justerat: {Privat regi: 543}
      - kategori: Service
        belopp: {Kommunal regi: 420, Privat regi: 420}
        justerat: {Privat regi: {stated}}
    justeringar:
      - {rubrik: Momskompensation, procent: 6, kolumn: Privat regi}
handlingar:
  - typ: tjänsteskrivelse
"""


def test_rates_with_the_regiform_as_columns_and_stated_adjusted_rates(
    write_case: WriteCase,
) -> None:
    """Regiform as a column (Kommunal regi | Privat regi), and rates that already include
    the momskompensation as the document states them: checked against 512 × 1,06 = 542,72
    to whole kronor, printed as stated (543), never adjusted a second time."""
    rows = check_file(write_case(RATES.replace("{stated}", "445")))
    assert rows.errors == [], rows.errors
    assert rows.case and rows.pack and rows.computed
    body = document_context(rows.case, rows.computed, rows.pack, 0)["innehåll"]
    lines = body.plain_text().replace("\u00a0", " ").split("\n")
    start = lines.index("Insats | Kommunal regi (kr/h) | Privat regi (kr/h) | Privat regi justerad")
    assert lines[start + 1 : start + 3] == [
        "Omvårdnad dag | 512 | 512 | 543",
        "Service | 420 | 420 | 445",
    ]
    assert "Momskompensation: 6 % för privat regi" in lines
    wrong = check_file(write_case(RATES.replace("{stated}", "450")))
    assert [(d.path, d.message.replace("\u00a0", " ")) for d in wrong.errors] == [
        (
            "tabeller.nivåer.rader[1].justerat.Privat regi",
            "angiven justerad schablon för 'Service' i kolumnen Privat regi 450,00 kr, "
            "schablonen × (1 + 6 %) är 445,20 kr",
        )
    ]


def test_an_investment_states_what_was_left_before_this_decision(write_case: WriteCase) -> None:
    text = """\
mall: kommun
titel: Etapp 2 av Ekby skola
diarienummer: KS 2025/70
datum: 2025-04-01
förslag_till_beslut:
  organ: Kommunstyrelsen
  att: [godkänna etapp 2.]
ekonomi:
  text: Investeringen.
  tabeller: [skola]
tabeller:
  skola:
    typ: investering
    enhet: mnkr
    projekt: Ekby skola
    utgiftsram: 120
    år: [{år: "2025", belopp: 50}, {år: "2026", belopp: 70}]
    tidigare_beslutat: 76
    kvar_före: {left}
    begärt: 30
    kvar: 14
handlingar:
  - typ: tjänsteskrivelse
"""
    result = check_file(write_case(text.replace("{left}", "44")))
    assert result.errors == [], result.errors
    assert result.case and result.pack and result.computed
    body = document_context(result.case, result.computed, result.pack, 0)["innehåll"]
    lines = body.plain_text().replace("\u00a0", " ").split("\n")
    start = lines.index("Tidigare beslutat | 76 mkr")
    assert lines[start : start + 4] == [
        "Tidigare beslutat | 76 mkr",
        "Kvar före detta beslut | 44 mkr",
        "Detta beslut | 30 mkr",
        "Kvar av ramen | 14 mkr",
    ]
    wrong = check_file(write_case(text.replace("{left}", "40")))
    assert [d.path for d in wrong.errors] == ["tabeller.skola.kvar_före"]


def test_a_house_that_numbers_its_tables(write_case: WriteCase, tmp_path: Path) -> None:
    """A budget or plan document numbers its tables 'Tabell 1.', 'Tabell 2.' in the order
    the document shows them."""

    from conftest import CASES

    templates = own_pack(tmp_path, "numrerat", "\nhusregler: {tabellnummer: true}\n", base="kommun")
    source = (CASES / "examples" / "rs-2025-delarsrapport-augusti.yaml").read_text("utf-8")
    text = source.replace("mall: region\n", "mall: numrerat\n", 1)
    assert text != source
    result = check_file(write_case(text), templates=[templates])
    assert result.errors == [], result.errors
    assert result.case and result.pack and result.computed
    body = document_context(result.case, result.computed, result.pack, 0)["innehåll"]
    captions = [line for line in body.plain_text().split("\n") if line.startswith("Tabell ")]
    assert [c.split(".")[0] for c in captions] == [
        f"Tabell {n}" for n in range(1, len(captions) + 1)
    ]
    assert len(captions) >= 2
    assert captions[0] == "Tabell 1. Prognos per nämnd och för regionen"


def test_delegated_decisions_grouped_under_their_delegate(write_case: WriteCase) -> None:
    from conftest import CASES

    source = (CASES / "examples" / "sn-2025-09-delegationsanmalan.yaml").read_text("utf-8")
    text = (
        source.replace(
            "        beslut: Beviljat bistånd i form av hemtjänst, 40 timmar per månad.\n",
            "        beslut: Beviljat bistånd i form av hemtjänst, 40 timmar per månad.\n"
            "        grupp: Enhetschefens beslut\n",
        )
        .replace(
            "        beslut: Avtal om köp av platser på HVB-hem, förlängning till 2026-06-30.\n",
            "        beslut: Avtal om köp av platser på HVB-hem, förlängning till 2026-06-30.\n"
            "        grupp: Socialchefens beslut\n",
        )
        .replace(
            "        beslut: Avslag på ansökan om ledsagarservice.\n",
            "        beslut: Avslag på ansökan om ledsagarservice.\n        grupp: Enhetschefens beslut\n",
        )
    )
    result = check_file(write_case(text))
    assert result.errors == [], result.errors
    assert result.case and result.pack and result.computed
    body = document_context(result.case, result.computed, result.pack, 0)["innehåll"]
    lines = body.plain_text().replace("\u00a0", " ").split("\n")
    start = lines.index("Enhetschefens beslut")
    assert [line.split(" | ")[0] for line in lines[start : start + 5]] == [
        "Enhetschefens beslut",
        "2025-08-04",
        "2025-08-28",
        "Socialchefens beslut",
        "2025-08-12",
    ]


STATED = """\
mall: kommun
organisation: Tyresö kommun
titel: Ersättning
diarienummer: SN 2021/12
datum: 2021-02-01
bakgrund:
  utan_rubrik: true
  text: Från och med 1 februari 2021 gäller följande ersättningsbelopp.
tabeller:
  ersättning:
    typ: schabloner
    rubrik: Ersättning för utförare år 2021
    radrubrik: Kategori/tjänst
    kolumner: [Kommunal regi, Privat regi]
    rader:
      - kategori: Hemtjänst, omvårdnad och service
        justerat: {Kommunal regi: 377, Privat regi: 388}
      - kategori: Larm
        justerat: {Kommunal regi: 274, Privat regi: 282}
    justeringar:
      - {rubrik: Momskompensation, procent: "1,5", kolumn: Privat regi}
      - {rubrik: Avdrag för overhead, procent: "-1,5", kolumn: Kommunal regi}
handlingar:
  - typ: ersättningsmodell
    schabloner: ersättning
"""


def test_rates_stated_with_their_adjustment_and_no_base_print_as_stated(
    write_case: WriteCase,
) -> None:
    """A rate list that gives only the rates with the adjustment in them (Tyresö 2021: 377
    kommunal regi after −1,5 %, 388 privat regi after +1,5 %): nothing to check them
    against, nothing invented, two columns as the document has them. The ersättningsmodell
    shows its rate table though no section lists it."""
    result = check_file(write_case(STATED))
    assert result.diagnostics == [], result.diagnostics
    assert result.case and result.pack and result.computed
    body = document_context(result.case, result.computed, result.pack, 0)["innehåll"]
    lines = body.plain_text().replace("\u00a0", " ").split("\n")
    start = lines.index("Kategori/tjänst | Kommunal regi (kr/h) | Privat regi (kr/h)")
    assert lines[start + 1 : start + 3] == [
        "Hemtjänst, omvårdnad och service | 377 | 388",
        "Larm | 274 | 282",
    ]
    assert "Momskompensation: 1,5 % för privat regi" in lines
    assert "Avdrag för overhead: −1,5 % för kommunal regi" in lines


def test_a_table_of_text_only_prints_no_money_unit(write_case: WriteCase) -> None:
    """A table of decision levels (all text) printed 'Styrdokument (kr)' over its rows in a
    new-user trial: a table with no amounts has no unit."""
    text = """\
mall: kommun
titel: Riktlinjer för styrdokument
diarienummer: KS 2011/1912
datum: 2012-02-09
förslag_till_beslut:
  organ: Kommunfullmäktige
  att: [anta riktlinjerna.]
sammanfattning:
  text: Vem som beslutar om vilka styrdokument.
  tabeller: [nivåer]
tabeller:
  nivåer:
    typ: tabell
    radrubrik: Styrdokument
    kolumner:
      - {id: beslutar, rubrik: Beslutar, värde: text}
    rader:
      - {rubrik: Policy, text: {beslutar: Kommunfullmäktige}}
      - {rubrik: Riktlinjer, text: {beslutar: Kommunstyrelsen eller nämnd}}
handlingar:
  - typ: tjänsteskrivelse
"""
    result = check_file(write_case(text))
    assert result.diagnostics == [], result.diagnostics
    assert result.case and result.pack and result.computed
    body = document_context(result.case, result.computed, result.pack, 0)["innehåll"]
    lines = body.plain_text().split("\n")
    start = lines.index("Styrdokument | Beslutar")
    assert lines[start + 1] == "Policy | Kommunfullmäktige"
