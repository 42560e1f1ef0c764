"""Computation on small inline cases: sums, tolerance, deviations, hours × rates."""

from __future__ import annotations

from arendegen.compute import DeviationResult, StatementResult
from arendegen.validate import check_file
from conftest import WriteCase

HEAD = """\
titel: T
diarienummer: D 1
datum: 2026-01-01
"""


def messages(write_case: WriteCase, body: str) -> list[str]:
    result = check_file(write_case(HEAD + body))
    return [f"{d.path}: {d.message}".replace("\u00a0", " ") for d in result.errors]


BUDGET = """\
tabeller:
  b:
    typ: budget
    enhet: mnkr
    kolumner: [2025, 2026]
    rader:
      - rubrik: a
        belopp:
          2025: 1,004
          2026: 2
      - rubrik: b
        belopp:
          2025: 1,004
    kolumnsummor:
      2025: {col}
    summa: {total}
handlingar:
  - typ: förfrågan_om_utvecklingsmedel
    insats:
      namn: I
      startdatum: 2025-01-01
      slutdatum: 2025-12-31
      ansvarig_förvaltning: F
      kontaktperson: P
      beräknad_kostnad: {cost}
    budget: b
"""


def test_exact_sums_pass(write_case: WriteCase) -> None:
    assert (
        messages(write_case, BUDGET.format(col="2,008", total="4,008", cost="4 008 000 kr")) == []
    )


def test_every_wrong_declared_sum_is_reported_with_both_figures(write_case: WriteCase) -> None:
    assert messages(write_case, BUDGET.format(col="2,01", total="4,01", cost="4 mnkr")) == [
        "tabeller.b.kolumnsummor.2025: angiven kolumnsumma för 2025 2,01 mnkr, summan av kolumnen är 2,008 mnkr",
        "tabeller.b.summa: angiven total 4,01 mnkr, summan av raderna är 4,008 mnkr",
        "handlingar[0].insats.beräknad_kostnad: angiven beräknad kostnad 4 mnkr, summan av budgeten 'b' är 4,008 mnkr",
    ]


def test_tolerance_admits_figures_rounded_in_print(write_case: WriteCase) -> None:
    body = BUDGET.format(col="2,01", total="4,01", cost="4,01 mnkr").replace(
        "    enhet: mnkr\n", "    enhet: mnkr\n    tolerans: 0,005\n"
    )
    assert messages(write_case, body) == []
    tight = body.replace("tolerans: 0,005", "tolerans: 0,001")
    assert len(messages(write_case, tight)) == 3


def test_difference_below_the_shown_decimals_is_shown_in_kronor(write_case: WriteCase) -> None:
    body = BUDGET.format(col="2,008", total="4", cost="4 008 000 kr")
    assert messages(write_case, body) == [
        "tabeller.b.summa: angiven total 4 mnkr, summan av raderna är 4,008 mnkr",
    ]


def test_time_report_is_hours_times_rate_per_unit(write_case: WriteCase) -> None:
    result = check_file(
        write_case(
            HEAD
            + """\
tabeller:
  s:
    typ: schabloner
    kolumner: [2022, 2023]
    rader:
      - kategori: Vårdpersonal
        belopp: {2022: 430, 2023: 445}
      - kategori: Läkare
        belopp: {2022: 850, 2023: 880}
  t:
    typ: tidrapport
    schabloner: s
    år: 2023
    period: mars 2023
    rader:
      - {enhet: Avd 1, kategori: Vårdpersonal, timmar: "37,5"}
      - {enhet: Avd 1, kategori: Läkare, timmar: 8}
      - {enhet: Avd 2, kategori: Vårdpersonal, timmar: 160}
    summa: 94 927,50 kr
handlingar:
  - typ: ersättningsmodell
    schabloner: s
    tidrapporter: [t]
"""
        )
    )
    assert result.errors == []
    assert result.computed is not None
    statement = result.computed.tables["t"]
    assert isinstance(statement, StatementResult)
    assert [line.amount.kronor for line in statement.lines] == [16687.5, 7040, 71200]
    assert {k: v.kronor for k, v in statement.per_unit.items()} == {
        "Avd 1": 23727.5,
        "Avd 2": 71200,
    }
    assert statement.total.kronor == 94927.5


def test_deviation_is_budget_minus_forecast(write_case: WriteCase) -> None:
    result = check_file(
        write_case(
            HEAD
            + """\
tabeller:
  a:
    typ: budgetavvikelse
    enhet: tkr
    år:
      - {år: 2025, budget: 1 000, prognos: 900}
      - {år: 2026, budget: 1 000, prognos: 1 250}
    reserver:
      - {rubrik: Risk, belopp: 50}
    underskott: {år: 2026, belopp: 300}
handlingar:
  - typ: budgetavvikelse
    avvikelse: a
förslag_till_beslut:
  organ: Nämnden
  att: [godkänna]
"""
        )
    )
    assert result.errors == []
    assert result.computed is not None
    deviation = result.computed.tables["a"]
    assert isinstance(deviation, DeviationResult)
    assert [y.deviation.kronor if y.deviation else None for y in deviation.years] == [
        100_000,
        -250_000,
    ]
    assert deviation.deficits == {"2026": deviation.deficits["2026"]}
    assert deviation.deficits["2026"].kronor == 300_000
