"""Values → Swedish text, the one place that decides how numbers and dates are written.

Conventions (DOMAIN.md): a no-break space between thousands and before the unit,
decimal comma, a true minus sign (U+2212), `10 %`, ISO dates in headers, long dates
in running text, `§ 22`.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Any

from arendegen.money import Money, Unit

LOCALE = "sv_SE"
NBSP = "\u00a0"
MINUS = "\u2212"

UNIT_LABELS: dict[Unit, str] = {
    Unit.KR: "kr",
    Unit.TKR: "tkr",
    Unit.MNKR: "mnkr",
    Unit.MDKR: "mdkr",
}
"""Default unit labels; a template pack may write `mkr` or `Mkr` for miljoner kronor."""


def round_half_up(value: Decimal, decimals: int) -> Decimal:
    """The documented rounding rule: half away from zero, as taught in Swedish schools."""
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


@cache
def _number_pattern(decimals: int) -> tuple[Any, Any]:
    """Babel's pattern and locale, parsed once (format_decimal parses both on every call,
    most of a document's formatting time). Babel is imported on first use: validating a
    case whose sums agree formats nothing."""
    from babel import Locale
    from babel.numbers import parse_pattern

    return parse_pattern("#,##0" + ("." + "0" * decimals if decimals else "")), Locale.parse(LOCALE)


def format_number(value: Decimal, decimals: int = 0) -> str:
    """`18 730 000`, `18,73`, `−2,5`: grouped with no-break spaces, decimal comma."""
    rounded = round_half_up(value, decimals)
    pattern, locale = _number_pattern(decimals)
    text = pattern.apply(abs(rounded), locale)
    text = text.replace("\u202f", NBSP).replace(" ", NBSP)
    return f"{MINUS}{text}" if rounded < 0 else text


def format_money(
    money: Money, *, unit: Unit | None = None, labels: dict[Unit, str] | None = None
) -> str:
    """`18 730 000 kr`, `18,73 mnkr`: in the money's own unit unless one is given."""
    shown = money if unit is None or unit is money.unit else money.as_unit(unit)
    label = (labels or UNIT_LABELS)[shown.unit]
    return f"{format_number(shown.in_unit, shown.decimals)}{NBSP}{label}"


def format_percent(value: Decimal, decimals: int | None = None) -> str:
    """`10 %`, `0,5 %` (value given in percent, not as a fraction)."""
    places = decimals if decimals is not None else max(-value.normalize().as_tuple().exponent, 0)  # type: ignore[operator]
    return f"{format_number(value, places)}{NBSP}%"


def format_iso_date(value: dt.date) -> str:
    """`2025-02-03`, for headers and tables."""
    return value.isoformat()


def format_long_date(value: dt.date) -> str:
    """`3 februari 2025`, for running text."""
    from babel.dates import format_date

    return format_date(value, format="d MMMM y", locale=LOCALE)


def format_weekday_date(value: dt.date) -> str:
    """`tisdag den 20 mars 2012`, as some houses date their headers and protocols."""
    from babel.dates import format_date

    return format_date(value, format="EEEE 'den' d MMMM y", locale=LOCALE)


def format_date_as(value: dt.date | object, style: str) -> str:
    """A date in one of the house styles: iso, lång, den_lång or veckodag. A date without
    its year ('30 januari') is printed as written, with a draft's mark for the year."""
    if not isinstance(value, dt.date):
        written = f"{'den ' if style == 'den_lång' else ''}{value}"
        return f"{written} [år\u00a0saknas]"
    if style == "lång":
        return format_long_date(value)
    if style == "den_lång":
        return "den " + format_long_date(value)
    if style == "veckodag":
        return format_weekday_date(value)
    return format_iso_date(value)


def format_paragraph(number: int | str) -> str:
    """`§ 22`, with a no-break space."""
    return f"§{NBSP}{number}"


def in_text(organ: str) -> str:
    """A body's name in running text: Kommunfullmäktige → kommunfullmäktige, but names that
    begin with a proper noun or an abbreviation stay (Region Halland, KSAU)."""
    first = organ.split(" ", 1)[0]
    if first.isupper() or (" " in organ and organ.split(" ", 1)[1][:1].isupper()):
        return organ
    return organ[:1].lower() + organ[1:]


_NUMBER_LABEL = re.compile(r"(?i)(?:dnr|diarienr|diarienummer)\b")


def without_label(number: str) -> str:
    """'Dnr KS/2018:4' → 'KS/2018:4': the number alone, for a file name."""
    m = _NUMBER_LABEL.match(number)
    return number[m.end() :].lstrip(" .:\u00a0") or number if m else number


def labelled_number(number: str, label: str) -> str:
    """'Dnr KS 2015/200': a diarienummer after its label, once (one typed with it stays)."""
    return number if _NUMBER_LABEL.match(number) else f"{label} {number}"


_MINUS_BEFORE_DIGIT = re.compile(r"(?:^|(?<=[\s(\[=:;]))-(?=\d)")
_UNIT_AFTER_NUMBER = re.compile(
    r"(?<=\d) (?=(?:mdkr|mnkr|mkr|tkr|kr|kronor|miljoner|miljarder|tusen|procent|%|st|timmar|"
    r"tim|h|km|m2|m²|kvm|år|dagar|veckor|månader)\b|%)"
)
_SECTION_SIGN = re.compile(r"(§§?) (?=\d)")
_THOUSANDS = re.compile(r"(?<=\d) (?=\d{3}(?!\d))")
_NAME_HYPHEN = re.compile(r"\b([A-ZÅÄÖÉ][a-zåäöéü]{1,20})-(?=[A-ZÅÄÖÉ][a-zåäöéü])")
NO_BREAK_HYPHEN = "\u2011"


def typeset(text: str) -> str:
    """Running text as the page should hold it, one policy everywhere: a minus sign (U+2212)
    before a negative number, as the tables print it (a screen reader says 'minus', not
    'bindestreck'); a number kept on the line of its unit and '§' of its number (no-break
    space); a double name kept whole (Carl-Olof, with a no-break hyphen). The words are
    unchanged: a search in the PDF finds '−5 900', '38 mnkr' and 'Carl-Olof' as typed."""
    text = _MINUS_BEFORE_DIGIT.sub(MINUS, text)
    text = _THOUSANDS.sub(NBSP, _UNIT_AFTER_NUMBER.sub(NBSP, text))
    text = _SECTION_SIGN.sub(lambda m: m.group(1) + NBSP, text)
    return _NAME_HYPHEN.sub(lambda m: m.group(1) + NO_BREAK_HYPHEN, text)


def genitive(name: str) -> str:
    """Swedish genitive of a body's name: Socialförvaltningen → Socialförvaltningens."""
    stripped = name.rstrip()
    if stripped[-1:].lower() in {"s", "x", "z"}:
        return stripped
    return stripped + "s"
