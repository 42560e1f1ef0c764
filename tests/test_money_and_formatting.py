"""Money as officials type it, and Swedish text as the documents print it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from arendegen.formatting import (
    format_long_date,
    format_money,
    format_number,
    format_paragraph,
    format_percent,
    genitive,
)
from arendegen.money import Money, Unit, parse_amount

NB = "\u00a0"


@pytest.mark.parametrize(
    ("typed", "kronor"),
    [
        ("18,73 mnkr", "18730000"),
        ("6 010 000 kr", "6010000"),
        ("6\u00a0010\u00a0000 kr", "6010000"),
        ("175 tkr", "175000"),
        ("175tkr", "175000"),
        ("-2,5 mkr", "-2500000"),
        ("−2,5 Mkr", "-2500000"),
        ("1,2 mdkr", "1200000000"),
        ("7 miljoner kronor", "7000000"),
        ("10.0 mnkr", "10000000"),
    ],
)
def test_parse_amount_in_swedish_notation(typed: str, kronor: str) -> None:
    money = parse_amount(typed).resolve(None)
    assert money is not None
    assert money.kronor == Decimal(kronor)


def test_plain_number_takes_the_table_unit_and_keeps_its_decimals() -> None:
    amount = parse_amount("10,0")
    assert amount.unit is None
    assert amount.resolve(None) is None
    assert amount.resolve(Unit.MNKR) == Money(Decimal("10000000.0"), Unit.MNKR, 1)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            "1.000",
            "'1.000' är tvetydigt: skriv 1 000 om det är tusental, eller 1,000 om det är decimaler",
        ),
        ("1e999999", "'1e999999' är skrivet med exponent; skriv ut talet, t.ex. 100 000"),
        ("1" * 200, f"'{'1' * 200}' har fler än 15 siffror före decimaltecknet"),
        ("0," + "1" * 200, f"'0,{'1' * 200}' har fler än 6 decimaler"),
        (
            "5 dollar",
            "okänd enhet 'dollar'; använd någon av kr, kronor, mdkr, mkr, mnkr, msek, sek, tkr, tsek",
        ),
        (
            "Infinity",
            "'Infinity' är inget belopp som går att läsa; skriv t.ex. 18,73 mnkr eller 6 010 000 kr",
        ),
        (
            "1 00 kr",
            "'1 00 kr' är inget belopp som går att läsa; skriv t.ex. 18,73 mnkr eller 6 010 000 kr",
        ),
    ],
)
def test_unreadable_amounts_are_refused_with_a_reason(typed: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_amount(typed)
    assert str(caught.value) == message


def test_money_is_printed_with_no_break_spaces_and_decimal_comma() -> None:
    assert format_money(Money(Decimal(18730000))) == f"18{NB}730{NB}000{NB}kr"
    assert format_money(Money(Decimal("18730000.00"), Unit.MNKR, 2)) == f"18,73{NB}mnkr"
    assert format_money(Money(Decimal("10000000.0"), Unit.MNKR, 1)) == f"10,0{NB}mnkr"
    assert format_money(Money(Decimal(175000), Unit.TKR)) == f"175{NB}tkr"


def test_money_converts_between_units_exactly() -> None:
    distributed = Money(Decimal(18730000))
    assert format_money(distributed, unit=Unit.MNKR) == f"18,73{NB}mnkr"
    assert (
        format_money(Money(Decimal("18730000.00"), Unit.MNKR, 2), unit=Unit.KR)
        == f"18{NB}730{NB}000{NB}kr"
    )


def test_organisation_may_write_mkr() -> None:
    labels = {Unit.KR: "kr", Unit.TKR: "tkr", Unit.MNKR: "mkr", Unit.MDKR: "mdkr"}
    assert format_money(Money(Decimal(74000000), Unit.MNKR), labels=labels) == f"74{NB}mkr"


def test_negative_numbers_use_a_true_minus_sign() -> None:
    assert format_money(Money(Decimal(-2500000), Unit.MNKR, 1)) == f"\u22122,5{NB}mnkr"
    assert format_number(Decimal("-1234.5"), 1) == f"\u22121{NB}234,5"


def test_rounding_is_half_up() -> None:
    assert format_number(Decimal("2.625"), 2) == "2,63"
    assert format_number(Decimal("-2.625"), 2) == "\u22122,63"
    assert format_number(Decimal("0.5"), 0) == "1"


def test_percent_dates_and_paragraphs() -> None:
    assert format_percent(Decimal(10)) == f"10{NB}%"
    assert format_percent(Decimal("0.5")) == f"0,5{NB}%"
    assert format_long_date(dt.date(2025, 2, 3)) == "3 februari 2025"
    assert format_paragraph(22) == f"§{NB}22"


def test_genitive_of_body_names() -> None:
    assert genitive("Socialförvaltningen") == "Socialförvaltningens"
    assert genitive("Regionstyrelsen") == "Regionstyrelsens"
    assert genitive("Kommunstyrelsens arbetsutskott") == "Kommunstyrelsens arbetsutskotts"
    assert (
        genitive("Hälso- och sjukvårdens ledningsgrupp för s")
        == "Hälso- och sjukvårdens ledningsgrupp för s"
    )


def test_products_of_the_largest_amounts_stay_exact() -> None:
    """Hours × rate of two amounts at the bounds (15 integer digits, 6 decimals) is exact:
    with Python's default 28 digits it would be rounded silently."""
    rate = Money(Decimal("999999999999999.999999"), Unit.KR, 6)
    product = rate.times(Decimal("123456789012345.678901"))
    assert str(product.kronor) == "123456789012345678900876543210.987654321099"


def test_a_table_at_the_bounds_of_digits_and_units_builds_and_prints_its_exact_sum(
    tmp_path: Path,
) -> None:
    """999 999 999 999 999 mdkr + 0,000001 kr validated and then stopped the build in the
    rounding (Python's 28 digits); now the sum is built and printed exactly."""
    import docx

    from arendegen.pipeline import build

    case = tmp_path / "n.yaml"
    case.write_text(
        "titel: Sifferprov\ndiarienummer: RS 1-2026\ndatum: 2026-01-15\n"
        "förslag_till_beslut: {organ: Regionstyrelsen, att: [godkänna]}\n"
        "ekonomi:\n  text: Se tabellen.\n  tabeller: [t]\n"
        "tabeller:\n  t:\n    typ: budget\n    enhet: mdkr\n    kolumner: [2025]\n    rader:\n"
        "      - {rubrik: A, belopp: {2025: 999 999 999 999 999}}\n"
        "      - {rubrik: B, belopp: {2025: '0,000001 kr'}}\n"
        "handlingar:\n  - typ: tjänsteskrivelse\n",
        encoding="utf-8",
    )
    report = build([case], tmp_path / "out")
    assert report.failed == [], [d.message for r in report.results for d in r.diagnostics]
    document = docx.Document(str(tmp_path / "out" / "RS-1-2026-tjänsteskrivelse.docx"))
    cells = [
        c.text.replace("\u00a0", " ") for t in document.tables for r in t.rows for c in r.cells
    ]
    assert "999 999 999 999 999,000000000000001" in cells
