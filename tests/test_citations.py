"""Figures in the prose (issue 17): a figure a table proves is cited in any text as
`[[tabell.rad.kolumn]]` (or by name: `[[budget.summa]]`, `[[norrby.kvar]]`) and printed in
the house's words and unit, with a no-break space; a citation of what does not exist is an
error at its line."""

from __future__ import annotations

from arendegen.context import document_context
from arendegen.validate import check_file
from conftest import WriteCase

CASE = """\
mall: kommun
titel: Utökad investeringsram
diarienummer: KS 2025/95
datum: 2025-05-05
förslag_till_beslut:
  organ: Kommunstyrelsen
  att: [utöka ramen.]
sammanfattning: |
  Ramen för Norrby förskola är [[ramar.norrby.ram]] och efter beslutet återstår
  [[ramar.norrby.kvar]]. Sammanlagt blir ramarna [[ramar.summa.ny]]. Socialnämnden har
  nått [[mål.sn.andel]] av målet, med [[mål.sn.antal]] mål.
tabeller:
  ramar:
    typ: tabell
    enhet: mnkr
    kolumner:
      - {id: ram, rubrik: Ram, slag: ram}
      - {id: förbrukat, rubrik: Förbrukat, slag: förbrukat}
      - {id: kvar, rubrik: Kvar, skillnad: [ram, förbrukat]}
      - {id: ändring, rubrik: Ändring}
      - {id: ny, rubrik: Ny ram, summa: [ram, ändring]}
    rader:
      - {id: norrby, rubrik: Norrby förskola, belopp: {ram: 73, förbrukat: "21,4", ändring: 12}}
      - {id: ekby, rubrik: Ekby förskola, belopp: {ram: 18, förbrukat: "17,2", ändring: 0}}
      - {id: summa, rubrik: Summa, roll: summa}
  mål:
    typ: tabell
    kolumner:
      - {id: antal, rubrik: Mål, värde: antal, enhet: st}
      - {id: andel, rubrik: Andel, värde: procent}
    rader:
      - {id: sn, rubrik: Socialnämnden, belopp: {antal: 11, andel: "91 %"}}
handlingar:
  - typ: tjänsteskrivelse
"""


def test_cited_figures_are_the_ones_the_tables_prove(write_case: WriteCase) -> None:
    result = check_file(write_case(CASE))
    assert result.diagnostics == [], result.diagnostics  # cited tables count as shown
    assert result.case and result.pack and result.computed
    context = document_context(result.case, result.computed, result.pack, 0)
    text = context["avsnitt"]["sammanfattning"]["text"].plain_text()
    assert text == (
        "Ramen för Norrby förskola är 73\u00a0mkr och efter beslutet återstår 51,6\u00a0mkr. "
        "Sammanlagt blir ramarna 103\u00a0mkr. Socialnämnden har nått 91\u00a0% av målet, "
        "med 11\u00a0st mål."
    )


def test_a_citation_of_what_does_not_exist_is_an_error_with_a_suggestion(
    write_case: WriteCase,
) -> None:
    text = (
        CASE.replace("[[ramar.norrby.kvar]]", "[[ramar.norby.kvar]]")
        .replace("[[mål.sn.andel]]", "[[mål.sn]]")
        .replace("[[ramar.summa.ny]]", "[[ramarna.summa.ny]]")
    )
    result = check_file(write_case(text))
    assert sorted((d.line, d.message) for d in result.errors) == [
        (8, "[[mål.sn]]: ange rad och kolumn, t.ex. [[mål.sn.andel]]"),
        (8, "[[ramar.norby.kvar]]: det finns ingen rad (id) 'norby'; menade du 'norrby'?"),
        (8, "[[ramarna.summa.ny]]: det finns ingen tabell 'ramarna'; menade du 'ramar'?"),
    ]


def test_an_investments_named_figures_are_cited(write_case: WriteCase) -> None:
    """'Av ramen återstod 44 mnkr före detta beslut, som gäller 30 mnkr; därefter återstår
    14 mnkr': frame − already decided = left before, − this decision = left after."""
    text = """\
mall: kommun
titel: Etapp 2 av Ekby skola
diarienummer: KS 2025/70
datum: 2025-04-01
förslag_till_beslut:
  organ: Kommunstyrelsen
  att: [godkänna etapp 2.]
sammanfattning: |
  Av ramen [[skola.ram]] har [[skola.tidigare]] beslutats tidigare. Före detta beslut
  återstod [[skola.kvar_före]]; beslutet gäller [[skola.begärt]], och därefter återstår
  [[skola.kvar]].
tabeller:
  skola:
    typ: investering
    enhet: mnkr
    projekt: Ekby skola
    utgiftsram: 120
    tidigare_beslutat: 76
    kvar_före: 44
    begärt: 30
    kvar: 14
handlingar:
  - typ: tjänsteskrivelse
"""
    result = check_file(write_case(text))
    assert result.errors == [], result.errors
    assert result.case and result.pack and result.computed
    context = document_context(result.case, result.computed, result.pack, 0)
    assert context["avsnitt"]["sammanfattning"]["text"].plain_text().replace("\u00a0", " ") == (
        "Av ramen 120 mkr har 76 mkr beslutats tidigare. Före detta beslut återstod 44 mkr; "
        "beslutet gäller 30 mkr, och därefter återstår 14 mkr."
    )


STALE = """\
mall: kommun
titel: Utökad investeringsram för Norrby förskola
diarienummer: KS 2025/95
datum: 2025-05-05
förslag_till_beslut:
  organ: Kommunstyrelsen
  att:
    - utöka investeringsramen för Norrby förskola med 12 mnkr till 83 mnkr.
sammanfattning: |
  Kommunfullmäktige beslutade 2023 om en investeringsram på 73 mnkr. Förvaltningen
  begär nu 12 mnkr, och ramen blir [[norrby.ram]]. Utgiften för personalkostnader
  blir 2,5 mnkr.

  Av ramen återstår efter beslutet cirka 1 mnkr. I lokalkostnaderna ingår 0,6 mnkr
  för städning; de är sammanlagt [[drift.lokaler.kostnad]].
tabeller:
  norrby:
    typ: investering
    enhet: mnkr
    projekt: Norrby förskola
    utgiftsram: 85
    tidigare_beslutat: 73
    begärt: 12
  drift:
    typ: tabell
    enhet: mnkr
    kolumner:
      - {id: kostnad, rubrik: Kostnad}
    rader:
      - {id: lokaler, rubrik: Lokalkostnader, belopp: {kostnad: "1,9"}}
handlingar:
  - typ: tjänsteskrivelse
"""


def test_an_amount_typed_in_the_prose_that_contradicts_a_cited_figure_is_a_warning(
    write_case: WriteCase,
) -> None:
    """The clause still says 83 mnkr after the frame became 85: the sentence speaks of the
    frame the case cites ([[norrby.ram]]) and no figure of that table is 83 mnkr. The earlier
    frame (73 mnkr, a figure of the table), the sum asked for, an estimate ('cirka 1 mnkr')
    and an amount in a sentence about nothing cited are not read as contradictions."""
    result = check_file(write_case(STALE))
    assert result.errors == [], result.errors
    assert [(d.line, d.message.replace("\u00a0", " ")) for d in result.warnings] == [
        (
            8,
            "texten skriver 83 mnkr om [[norrby.ram]] "
            "(85 mnkr), och inget annat tal i tabellen 'norrby' är 83 mnkr: skriv "
            "[[norrby.ram]] i stället för talet, så följer texten tabellen",
        ),
        (
            9,
            "texten skriver 0,6 mnkr om [[drift.lokaler.kostnad]] (1,9 mnkr), "
            "och inget annat tal i tabellen 'drift' är 0,6 mnkr: skriv [[drift.lokaler.kostnad]] "
            "i stället för talet, så följer texten tabellen",
        ),
    ]


def test_a_typed_amount_that_agrees_with_the_cited_figure_at_its_precision_passes(
    write_case: WriteCase,
) -> None:
    text = STALE.replace("till 83 mnkr", "till 85 000 tkr").replace(
        "I lokalkostnaderna ingår 0,6 mnkr", "Lokalkostnaderna, 2 mnkr, ingår"
    )
    assert check_file(write_case(text)).warnings == []
