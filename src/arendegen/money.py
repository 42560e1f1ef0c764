"""Exact money: amounts as officials type them, in kr, tkr, mnkr and mdkr.

Everything is `decimal.Decimal` taken from the text in the case file; no value ever
passes through a binary float.
"""

from __future__ import annotations

import decimal
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

# Money is exact. An amount has at most 15 integer digits and 6 decimals, and in kronor up to
# 9 more (mdkr); hours × rate multiplies two of them. Python's default precision of 28
# significant digits would round such a product without a word, so every thread computes
# with 100 (new threads take DefaultContext's).
decimal.getcontext().prec = decimal.DefaultContext.prec = 100

MAX_INTEGER_DIGITS = 15
MAX_FRACTION_DIGITS = 6


class Unit(Enum):
    """A money unit; its value is the number of kronor it stands for."""

    KR = Decimal(1)
    TKR = Decimal(1_000)
    MNKR = Decimal(1_000_000)
    MDKR = Decimal(1_000_000_000)

    @property
    def factor(self) -> Decimal:
        return self.value


UNIT_SPELLINGS: dict[str, Unit] = {
    "kr": Unit.KR,
    "kronor": Unit.KR,
    "sek": Unit.KR,
    "tkr": Unit.TKR,
    "tusen kronor": Unit.TKR,
    "tsek": Unit.TKR,
    "mnkr": Unit.MNKR,
    "mkr": Unit.MNKR,
    "msek": Unit.MNKR,
    "miljoner kronor": Unit.MNKR,
    "miljon kronor": Unit.MNKR,
    "mdkr": Unit.MDKR,
    "mdr kr": Unit.MDKR,
    "miljarder kronor": Unit.MDKR,
    "miljard kronor": Unit.MDKR,
}
"""Unit spellings accepted in case files, compared in lower case (so Mkr is mnkr)."""

_SPACES = " \u00a0\u202f\u2009"
_AMOUNT = re.compile(
    rf"""(?P<sign>[-+\u2212\u2013])?[{_SPACES}]*
         (?P<int>\d{{1,3}}(?:[{_SPACES}]\d{{3}})+|\d+)
         (?:(?P<sep>[.,])(?P<frac>\d+))?
         [{_SPACES}]*(?P<unit>[^\d{_SPACES}].*)?""",
    re.VERBOSE,
)


def parse_unit(text: str) -> Unit:
    """Read a unit spelling (`mnkr`, `Mkr`, `tkr` …); ValueError in Swedish otherwise."""
    unit = UNIT_SPELLINGS.get(" ".join(text.split()).lower())
    if unit is None:
        known = ", ".join(sorted({k for k in UNIT_SPELLINGS if " " not in k}))
        raise ValueError(f"okänd enhet '{text}'; använd någon av {known}")
    return unit


def parse_number(text: str, *, what: str = "tal") -> Decimal:
    """Read a plain number in Swedish or YAML notation: `18,73`, `6 010 000`, `-2.5`."""
    amount = parse_amount(text, what=what)
    if amount.unit is not None:
        raise ValueError(f"'{text}' ska vara ett tal utan enhet")
    return amount.number


@dataclass(frozen=True)
class Amount:
    """A number as typed, with the unit typed beside it (None: the table's unit applies)."""

    number: Decimal
    unit: Unit | None

    def resolve(self, default: Unit | None) -> Money | None:
        """The exact money this stands for, or None when no unit is known."""
        unit = self.unit or default
        if unit is None:
            return None
        return Money(self.number * unit.factor, unit, decimals_of(self.number))


def parse_amount(text: str, *, what: str = "belopp") -> Amount:
    """Read `18,73 mnkr`, `6 010 000 kr`, `175tkr`, `-2,5 mkr`, `1,2 mdkr` or a plain number."""
    raw = text.strip()
    match = _AMOUNT.fullmatch(raw)
    if not match:
        raise ValueError(
            f"'{text}' är inget {what} som går att läsa; skriv t.ex. 18,73 mnkr eller 6 010 000 kr"
        )
    int_part = re.sub(f"[{_SPACES}]", "", match["int"])
    frac = match["frac"] or ""
    if match["sep"] == "." and len(frac) == 3 and len(match["int"]) <= 3:
        raise ValueError(
            f"'{text}' är tvetydigt: skriv {match['int']} {frac} om det är tusental, "
            f"eller {match['int']},{frac} om det är decimaler"
        )
    if len(int_part.lstrip("0")) > MAX_INTEGER_DIGITS:
        raise ValueError(f"'{text}' har fler än {MAX_INTEGER_DIGITS} siffror före decimaltecknet")
    if len(frac) > MAX_FRACTION_DIGITS:
        raise ValueError(f"'{text}' har fler än {MAX_FRACTION_DIGITS} decimaler")
    number = Decimal(f"{int_part}.{frac}" if frac else int_part)
    if match["sign"] and match["sign"] != "+":
        number = -number
    if match["unit"] and re.fullmatch(r"[eE][-+]?\d+.*", match["unit"]):
        raise ValueError(f"'{text}' är skrivet med exponent; skriv ut talet, t.ex. 100 000")
    unit = parse_unit(match["unit"]) if match["unit"] else None
    return Amount(number, unit)


def decimals_of(number: Decimal) -> int:
    """How many decimals a number was written with (`10,0` has one)."""
    exponent = number.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


@dataclass(frozen=True)
class Money:
    """An exact amount in kronor, with the unit and decimals it is shown in.

    `decimals` always counts in `unit`: arithmetic converts the other operand's decimals
    into this unit first, so 0 mnkr + 500 tkr is 0,5 mnkr with one decimal, never 1 mnkr.
    `exact` is False only for a quotient that does not end (frame ÷ years).
    """

    kronor: Decimal
    unit: Unit = Unit.KR
    decimals: int = 0
    exact: bool = True

    def __str__(self) -> str:
        """'85 mnkr' as the documents write it (Swedish digits, the unit's short name)."""
        from arendegen.formatting import format_money

        return format_money(self)

    @property
    def in_unit(self) -> Decimal:
        """The amount expressed in its display unit, exactly."""
        return self.kronor / self.unit.factor

    def decimals_in(self, unit: Unit) -> int:
        """How many decimals this figure needs in `unit` to be shown as it is.

        In its own unit: as typed (10,0 has one). In a larger unit: what the exact value
        needs (500 tkr is 0,5 mnkr: one). In a smaller unit: what the exact value needs, or
        the typed decimals moved by the change of unit, whichever is more.
        """
        if unit is self.unit:
            return self.decimals
        needed = decimals_of((self.kronor / unit.factor).normalize())
        if unit.factor < self.unit.factor:
            shift = decimals_of((unit.factor / self.unit.factor).normalize())
            return max(needed, self.decimals - shift)
        return needed

    def __add__(self, other: Money) -> Money:
        return Money(
            self.kronor + other.kronor,
            self.unit,
            max(self.decimals, other.decimals_in(self.unit)),
            self.exact and other.exact,
        )

    def __sub__(self, other: Money) -> Money:
        return self + -other

    def __neg__(self) -> Money:
        return Money(-self.kronor, self.unit, self.decimals, self.exact)

    def times(self, factor: Decimal, decimals: int | None = None) -> Money:
        """This amount multiplied exactly (hours × rate)."""
        return Money(
            self.kronor * factor,
            self.unit,
            self.decimals if decimals is None else decimals,
            self.exact,
        )

    def as_unit(self, unit: Unit) -> Money:
        """The same amount shown in another unit, with enough decimals to stay exact."""
        return Money(self.kronor, unit, self.decimals_in(unit), self.exact)


def total(amounts: Iterable[Money], *, unit: Unit, decimals: int = 0) -> Money:
    """Sum exactly; the sum is shown with as many decimals as its most precise part."""
    result = Money(Decimal(0), unit, decimals)
    for amount in amounts:
        result = result + amount
    return result
