"""Field types of the case format: text, dates, numbers and money as officials type them.

Every value arrives from the loader as the text the user typed (or None/True/False),
and each type here reads that text itself, with a Swedish message when it cannot.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel as _BaseModel
from pydantic import (
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    TypeAdapter,
    WithJsonSchema,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, PydanticKnownError, core_schema

from arendegen import codes
from arendegen.diagnostics import Rule
from arendegen.money import Amount, Unit, parse_amount, parse_number, parse_unit

UNKNOWN = "okänd"
"""How a case says a fact is not known yet (a draft): `beslut: okänd`, `svar: okänd`."""

MAX_TEXT = 100_000
"""Longest text a single field may hold, in characters."""
MAX_PROPERTY = 255
"""Longest text that becomes a document property (title, subject, author): Word's limit."""
FIRST_YEAR, LAST_YEAR = 1900, 2099
"""The years a date in a case may fall in: wide for decisions, and inside what every output
can hold (a .docx's zip entries take dates up to 2107, its properties four-digit years)."""


class Model(_BaseModel):
    """Base of every case-format model: unknown keys are errors, values never change."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


@dataclass(frozen=True, eq=False)  # compared and hashed as itself: typing hashes Annotated
class ByKind:
    """Validate a mapping with the model its `typ` names, building only the models a case uses.

    Put it after a discriminated union: `Annotated[A | B, ByKind({"a": A, "b": B})]`. Pydantic
    would build the validator of every kind in the union on the first case it reads (documents
    and tables together, 20–45 ms of a one-case `arendegen validate`); this builds each kind's
    validator on first use. The errors are the union's own, with the same types,
    context and input, so their Swedish messages and places in the file are unchanged.
    """

    kinds: Mapping[str, type[_BaseModel]]

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(self.validate)

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        # Editors and the field reference see the whole union, as pydantic writes it.
        members: Any = functools.reduce(operator.or_, dict.fromkeys(self.kinds.values()))
        union: Any = Annotated[members, Field(discriminator="typ")]
        return handler(TypeAdapter[Any](union).core_schema)

    def validate(self, value: Any) -> _BaseModel:
        if isinstance(value, _BaseModel) and type(value) in self.kinds.values():
            return value
        if not isinstance(value, dict):
            raise PydanticKnownError("model_attributes_type")
        if "typ" not in value:
            raise PydanticKnownError("union_tag_not_found", {"discriminator": "'typ'"})
        tag = value["typ"]
        model = self.kinds.get(tag) if isinstance(tag, str) else None
        if model is None:
            expected = ", ".join(f"'{kind}'" for kind in self.kinds)
            raise PydanticKnownError(
                "union_tag_invalid",
                {"discriminator": "'typ'", "tag": str(tag), "expected_tags": expected},
            )
        return model.model_validate(value)


def fail(message: str, rule: Rule) -> PydanticCustomError:
    """A validation error whose message is already the Swedish text to show; its type is
    the code of the rule broken (schema/messages.py reads it back)."""
    return PydanticCustomError(rule.code, message)


def describe(value: Any) -> str:
    """A value as a message names it: 'text', ett tomt värde, en lista …"""
    if value is None:
        return "ett tomt värde"
    if isinstance(value, bool):
        return f"ja/nej-värdet {str(value).lower()}"
    if isinstance(value, dict):
        return "en mappning (nycklar med kolon)"
    if isinstance(value, list):
        return "en lista"
    return f"'{value}'"


_LINE_BREAKS = str.maketrans(dict.fromkeys("\r\x85\u2028\u2029", "\n"))


def _text(value: Any) -> str:
    if isinstance(value, bool):
        word = str(value).lower()
        raise fail(
            f"väntade text, men fick ja/nej-värdet {word}; skriv '{word}' inom citattecken",
            codes.NOT_TEXT,
        )
    if not isinstance(value, str):
        raise fail(f"väntade text, men fick {describe(value)}", codes.NOT_TEXT)
    if len(value) > MAX_TEXT:
        raise fail(
            f"texten är {len(value)} tecken lång; gränsen är {MAX_TEXT}", codes.TEXT_TOO_LONG
        )
    # Every line break becomes \n, so that a break is a break in Word and in PDF alike.
    # (Looking first is cheaper: translate copies every string, and almost none need it.)
    if "\r" in value or "\x85" in value or "\u2028" in value or "\u2029" in value:
        return value.replace("\r\n", "\n").translate(_LINE_BREAKS)
    return value


def _line(value: Any) -> str:
    text = _text(value).strip()
    if not text:
        raise fail("texten är tom", codes.EMPTY_TEXT)
    if "\n" in text:
        raise fail("väntade en enda rad, men texten har radbrytningar", codes.LINE_BREAK)
    return text


def _property_line(value: Any) -> str:
    text = _line(value)
    if len(text) > MAX_PROPERTY:
        raise fail(
            f"texten är {len(text)} tecken lång ('{text[:30]}…'); gränsen är {MAX_PROPERTY} "
            "tecken, eftersom den också blir dokumentegenskap (titel, ämne eller författare) "
            "i Word-filen",
            codes.TEXT_TOO_LONG,
        )
    return text


def _markdown(value: Any) -> str:
    return _text(value).strip("\n")


MONTHS = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)
"""The months as Swedish text writes them."""


def month_number(word: str) -> int | None:
    """1–12 for a month name or its usual abbreviation (jan, febr., sept), else None."""
    word = word.strip().rstrip(".").lower()
    if len(word) < 3:
        return None
    for number, name in enumerate(MONTHS, start=1):
        if name.startswith(word):
            return number
    return None


_WRITTEN_DATE = re.compile(r"(\d{1,2})\s+([A-Za-zåäöÅÄÖ.]+)\s+(\d{4})")


def _date(value: Any) -> dt.date:
    text = _line(value)
    written = _WRITTEN_DATE.fullmatch(text)
    if written and month_number(written[2]):
        day, month, year = int(written[1]), month_number(written[2]), int(written[3])
    elif re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        year, month, day = (int(part) for part in text.split("-"))
    else:
        raise fail(
            f"'{text}' är inget datum; skriv ÅÅÅÅ-MM-DD (2025-02-03) eller '3 februari 2025'",
            codes.BAD_DATE,
        )
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise fail(_year_out_of_range(text), codes.BAD_YEAR)
    try:
        return dt.date(year, month or 0, day)
    except ValueError:
        raise fail(f"'{text}' är inget giltigt datum (finns dagen?)", codes.BAD_DATE) from None


@dataclass(frozen=True)
class DayMonth:
    """A date written without its year ('30 januari', 'den 12 juni'), kept as written: the
    year is a fact not known yet, so only a draft prints it."""

    day: int
    month: int

    def __str__(self) -> str:
        return f"{self.day} {MONTHS[self.month - 1]}"


_DAY_MONTH = re.compile(r"(?:den\s+)?(\d{1,2})\s+([A-Za-zåäöÅÄÖ.]+)")


def _loose_date(value: Any) -> dt.date | DayMonth:
    """A date, or one written without its year ('30 januari')."""
    text = _line(value)
    written = _DAY_MONTH.fullmatch(text)
    month = month_number(written[2]) if written else None
    if written and month:
        day = int(written[1])
        try:
            dt.date(2000, month, day)  # a leap year: 29 februari is a day
        except ValueError:
            raise fail(f"'{text}' är inget giltigt datum (finns dagen?)", codes.BAD_DATE) from None
        return DayMonth(day, month)
    return _date(value)


def _paragraph_range(value: Any) -> tuple[int, int]:
    """'28–45', '§§ 28–45', '28-45': the first and last paragraph of a meeting."""
    text = _line(value)
    found = re.fullmatch(r"(?:§§?\s*)?(\d{1,6})\s*[–-]\s*(\d{1,6})", text)
    if not found or int(found[1]) > int(found[2]):
        raise fail(
            f"'{text}' är inget paragrafintervall; skriv t.ex. '§§ 28–45'", codes.BAD_PARAGRAPHS
        )
    return int(found[1]), int(found[2])


MAX_PARAGRAPHS = 10_000
"""Most paragraph numbers one list may name (a meeting has at most a few hundred)."""


def _paragraphs(value: Any) -> list[int]:
    """Paragraph numbers as a protocol writes them: `[29, 32]`, `["62–75", 77]`, '62–75, 77'."""
    items = value if isinstance(value, list) else _line(value).split(",")
    numbers: list[int] = []
    for item in items:
        text = _line(item)
        if re.fullmatch(r"(?:§§?\s*)?\d{1,6}\s*[–-]\s*\d{1,6}", text):
            first, last = _paragraph_range(text)
            numbers += range(first, last + 1)
        else:
            numbers.append(_positive_integer(text.lstrip("§ ")))
        if len(numbers) > MAX_PARAGRAPHS:
            raise fail(
                "fler än 10 000 paragrafer i listan; ett sammanträde har några hundra",
                codes.BAD_PARAGRAPHS,
            )
    return numbers


def _year_out_of_range(text: str, what: str = "ett datum") -> str:
    return (
        f"'{text}' ligger utanför åren {FIRST_YEAR}–{LAST_YEAR}; "
        f"{what} i ett ärende ska ligga inom dem"
    )


def _time(value: Any) -> str:
    text = _line(value)
    match = re.fullmatch(r"(\d{1,2})[.:](\d{2})", text)
    if not match or int(match[1]) > 24 or int(match[2]) > 59:
        raise fail(
            f"'{text}' är inget klockslag; skriv t.ex. '13.00' inom citattecken", codes.BAD_TIME
        )
    return f"{int(match[1]):02d}.{match[2]}"


def _percent(value: Any) -> Decimal:
    text = _line(value).removesuffix("%").rstrip(" \u00a0")
    try:
        return parse_number(text)
    except ValueError as exc:
        raise fail(str(exc).replace("tal", "procenttal", 1), codes.BAD_NUMBER) from None


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in {"ja", "nej"}:
        return value.strip().lower() == "ja"
    raise fail(
        f"väntade true eller false (eller ja/nej), men fick {describe(value)}", codes.NOT_BOOLEAN
    )


def _integer(value: Any) -> int:
    text = _line(value)
    if not re.fullmatch(r"-?\d{1,9}", text):
        raise fail(f"väntade ett heltal, men fick '{text}'", codes.BAD_INTEGER)
    return int(text)


def _positive_integer(value: Any) -> int:
    number = _integer(value)
    if number < 1:
        raise fail(f"väntade ett positivt heltal, men fick {number}", codes.BAD_INTEGER)
    return number


def _decimal(value: Any) -> Decimal:
    text = _line(value)
    try:
        return parse_number(text)
    except ValueError as exc:
        raise fail(str(exc), codes.BAD_NUMBER) from None


def _amount(value: Any) -> Amount:
    if isinstance(value, Amount):
        return value
    text = _line(value)
    try:
        return parse_amount(text)
    except ValueError as exc:
        raise fail(str(exc), codes.BAD_AMOUNT) from None


def _grid_number(value: Any) -> Amount:
    """A number in a table column: money ('18,73 mnkr', 12), a count ('12 st') or a share
    ('88 %'): the column says which; the '%' or 'st' after it is left out of the number."""
    if isinstance(value, Amount):
        return value
    text = _line(value)
    for suffix in ("%", "stycken", "st.", "st"):  # not a regex: a long value stays linear
        if text.endswith(suffix) and (suffix == "%" or text[: -len(suffix)].endswith(" ")):
            text = text[: -len(suffix)].rstrip()
            break
    try:
        return parse_amount(text)
    except ValueError as exc:
        raise fail(str(exc), codes.BAD_AMOUNT) from None


def _unit(value: Any) -> Unit:
    text = _line(value)
    try:
        return parse_unit(text)
    except ValueError as exc:
        raise fail(str(exc), codes.BAD_UNIT) from None


def _year(value: Any) -> int:
    number = _integer(value)
    if not 1900 <= number <= 2200:
        raise fail(f"'{number}' är inget rimligt årtal", codes.BAD_YEAR)
    return number


def _party(value: Any) -> str:
    text = _line(value).strip("()")
    if not re.fullmatch(r"[A-ZÅÄÖ][A-Za-zÅÄÖåäö\-/]{0,11}", text):
        raise fail(
            f"'{text}' ser inte ut som en partiförkortning (t.ex. M, S, FR, KD)", codes.BAD_PARTY
        )
    return text


@dataclass(frozen=True)
class Reads:
    """The function that reads a field's value, and nothing else (pydantic's PlainValidator, lean).

    PlainValidator also inspects the function's signature and builds a serializer for the
    type at every use: 321 uses, about a fifth of building the case's validator. Values here
    are plain str, int, date, Decimal and Amount, which pydantic dumps as they are anyway.
    """

    read: Callable[[Any], Any]

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(self.read)


# The JSON Schema that editors check a case with says what the readers above accept, as
# ECMAScript patterns (the `pattern` keyword's dialect). An editor's YAML 1.2 reader sees a
# plain `12` or `13.00` as a number where arendegen reads the text typed, so a field whose
# text may look like a number also takes a number. Patterns allow the spaces `_line` strips.


def _any_case(word: str) -> str:
    return "".join(f"[{c}{c.upper()}]" if c.isalpha() else re.escape(c) for c in word)


def _prefixes(word: str, shortest: int) -> str:
    """`jan(?:u(?:a(?:r(?:i)?)?)?)?`: `word` or any start of it at least `shortest` long."""
    pattern = ""
    for char in reversed(word[shortest:]):
        pattern = f"(?:{_any_case(char)}{pattern})?"
    return _any_case(word[:shortest]) + pattern


def _month(*numbers: int) -> str:
    """The months named as `month_number` reads them: 'feb', 'febr.', 'Februari'."""
    return "(?:" + "|".join(_prefixes(MONTHS[n - 1], 3) for n in numbers) + r")\.*"


def _days(last: int, *, padded: bool) -> str:
    """Day 1 to `last` (28–31), as two digits or, unless `padded`, also one."""
    tens, units = divmod(last, 10)
    top = f"{tens}[0-{units}]" if units else f"{tens}0"
    single = "0[1-9]" if padded else "0?[1-9]"
    between = "[12][0-9]" if tens == 3 else "1[0-9]"
    return f"(?:{single}|{between}|{top})"


_YEARS = f"(?:{FIRST_YEAR // 100}|{LAST_YEAR // 100})[0-9]{{2}}"
_LEAP_YEARS = "(?:19(?:0[48]|[2468][048]|[13579][26])|20(?:[02468][048]|[13579][26]))"
assert (FIRST_YEAR, LAST_YEAR) == (1900, 2099), "_YEARS and _LEAP_YEARS name these centuries"
_LONG, _SHORT = (1, 3, 5, 7, 8, 10, 12), (4, 6, 9, 11)
_ISO_DATE = (
    f"(?:{_YEARS}-(?:(?:0[13578]|1[02])-{_days(31, padded=True)}"
    f"|(?:0[469]|11)-{_days(30, padded=True)}|02-{_days(28, padded=True)})"
    f"|{_LEAP_YEARS}-02-29)"
)


def _written(year: str, *, leap: str) -> str:
    """'3 februari 2025' (or '30 januari' with an empty `year`), real days only."""
    return (
        rf"(?:{_days(31, padded=False)}\s+{_month(*_LONG)}{year}"
        rf"|{_days(30, padded=False)}\s+{_month(*_SHORT)}{year}"
        rf"|{_days(28, padded=False)}\s+{_month(2)}{year}"
        rf"|0?29\s+{_month(2)}{leap})"
    )


_WRITTEN_DATE_PATTERN = _written(r"\s+" + _YEARS, leap=r"\s+" + _LEAP_YEARS)
DATE_PATTERN = rf"^\s*(?:{_ISO_DATE}|{_WRITTEN_DATE_PATTERN})\s*$"
"""What `_date` reads: 2025-02-03 or '3 februari 2025', on a day that exists."""
LOOSE_DATE_PATTERN = (
    rf"^\s*(?:{_ISO_DATE}|{_WRITTEN_DATE_PATTERN}|(?:den\s+)?{_written('', leap='')})\s*$"
)
"""What `_loose_date` reads: a date, or a day of a month without its year ('den 30 januari')."""
TIME_PATTERN = r"^\s*(?:[01]?[0-9]|2[0-4])[.:][0-5][0-9]\s*$"
"""What `_time` reads: '13.00', '9:30'."""
FLAG_PATTERN = rf"^\s*(?:{_any_case('ja')}|{_any_case('nej')})\s*$"
"""The words `_flag` reads as true and false."""
MAX_INTEGER = 999_999_999
INTEGER_PATTERN = r"^\s*-?[0-9]{1,9}\s*$"
"""What `_integer` reads: at most nine digits (MAX_INTEGER)."""
YEAR_PATTERN = r"^\s*0{0,5}(?:19[0-9]{2}|2[01][0-9]{2}|2200)\s*$"
"""What `_year` reads: 1900–2200."""
PARAGRAPH_RANGE_PATTERN = r"^\s*(?:§§?\s*)?[0-9]{1,6}\s*[–-]\s*[0-9]{1,6}\s*$"
"""What `_paragraph_range` reads, but for its first number not passing its last."""
PARTY_PATTERN = r"^\s*\(*[A-ZÅÄÖ][A-Za-zÅÄÖåäö/-]{0,11}\)*\s*$"
"""What `_party` reads: 'M', 'KD', '(FR)'."""
_POSITIVE_INTEGER: JsonSchemaValue = {
    "anyOf": [
        {"type": "integer", "minimum": 1, "maximum": MAX_INTEGER},
        {"type": "string", "pattern": r"^\s*(?=[0-9]{1,9}\s*$)0*[1-9]"},
    ]
}


def _text_or_number(**text: Any) -> JsonSchemaValue:
    """Text (with `text`'s keywords), or a plain YAML number, which arendegen reads as text."""
    examples = text.pop("examples", None)
    schema: JsonSchemaValue = {"anyOf": [{"type": "string", **text}, {"type": "number"}]}
    return {**schema, "examples": examples} if examples else schema


Text = Annotated[str, Reads(_text), WithJsonSchema(_text_or_number())]
Line = Annotated[str, Reads(_line), WithJsonSchema(_text_or_number())]
PropertyLine = Annotated[
    str, Reads(_property_line), WithJsonSchema(_text_or_number(maxLength=MAX_PROPERTY))
]
"""A line that also becomes a document property, so at most MAX_PROPERTY characters."""
Markdown = Annotated[
    str,
    Reads(_markdown),
    WithJsonSchema(_text_or_number(contentMediaType="text/markdown")),
]
Date = Annotated[
    dt.date,
    Reads(_date),
    WithJsonSchema(
        {"type": "string", "pattern": DATE_PATTERN, "examples": ["2025-02-03", "3 februari 2025"]}
    ),
]
LooseDate = Annotated[
    dt.date | DayMonth,
    Reads(_loose_date),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": LOOSE_DATE_PATTERN,
            "examples": ["2025-02-03", "3 februari 2025", "30 januari"],
        }
    ),
]
"""A date that may be written without its year, as a document cites one ('den 30 januari')."""
Paragraphs = Annotated[
    list[int],
    Reads(_paragraphs),
    WithJsonSchema(
        {
            "anyOf": [
                {
                    "type": "array",
                    "items": {"anyOf": [_POSITIVE_INTEGER, {"type": "string"}]},
                },
                {"type": "string"},
                _POSITIVE_INTEGER,
            ],
            "examples": [[29, 32], ["62–75", 77]],
        }
    ),
]
"""Paragraph numbers, ranges allowed: `[29, 32]`, `["62–75", 77]`."""
GridNumber = Annotated[
    Amount,
    Reads(_grid_number),
    WithJsonSchema(_text_or_number(examples=[12, "18,73 mnkr", "88 %", "12 st"])),
]
"""A number in a table: money, a count or a percentage, as its column says."""
ParagraphRange = Annotated[
    tuple[int, int],
    Reads(_paragraph_range),
    WithJsonSchema(
        {"type": "string", "pattern": PARAGRAPH_RANGE_PATTERN, "examples": ["§§ 28–45"]}
    ),
]
Time = Annotated[
    str,
    Reads(_time),
    WithJsonSchema(
        {
            # Unquoted, 13.00 is a number to an editor's YAML reader and text to arendegen's.
            "anyOf": [
                {"type": "string", "pattern": TIME_PATTERN},
                {"type": "number", "minimum": 0, "maximum": 24.59},
            ],
            "examples": ["13.00"],
        }
    ),
]
Percent = Annotated[
    Decimal,
    Reads(_percent),
    WithJsonSchema(_text_or_number(examples=["2,5 %", 6])),
]
Flag = Annotated[
    bool,
    Reads(_flag),
    WithJsonSchema({"anyOf": [{"type": "boolean"}, {"type": "string", "pattern": FLAG_PATTERN}]}),
]
Integer = Annotated[
    int,
    Reads(_integer),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "minimum": -MAX_INTEGER, "maximum": MAX_INTEGER},
                {"type": "string", "pattern": INTEGER_PATTERN},
            ]
        }
    ),
]
PositiveInteger = Annotated[int, Reads(_positive_integer), WithJsonSchema(_POSITIVE_INTEGER)]
Year = Annotated[
    int,
    Reads(_year),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "minimum": 1900, "maximum": 2200},
                {"type": "string", "pattern": YEAR_PATTERN},
            ]
        }
    ),
]
Number = Annotated[
    Decimal, Reads(_decimal), WithJsonSchema(_text_or_number(examples=[12.5, "12,5"]))
]
Money = Annotated[
    Amount,
    Reads(_amount),
    WithJsonSchema(_text_or_number(examples=["18,73 mnkr", "6 010 000 kr", "175 tkr", 430])),
]
MoneyUnit = Annotated[
    Unit,
    Reads(_unit),
    WithJsonSchema({"type": "string", "examples": ["kr", "tkr", "mnkr", "mkr", "mdkr"]}),
]
Party = Annotated[
    str,
    Reads(_party),
    WithJsonSchema({"type": "string", "pattern": PARTY_PATTERN, "examples": ["M"]}),
]


@dataclass(frozen=True)
class Period:
    """A stretch of time as an official writes it: 'jan–juni 2025', 't.o.m. maj 2025'."""

    start: dt.date
    end: dt.date
    text: str

    @property
    def months(self) -> int:
        """Whole or begun months the period covers."""
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1


def _month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


# `till` needs a space on both sides: glued to a month (`jantill…`) the month's letters and
# the word overlap, and `jantilltill…` took quadratic time to refuse.
_DASH = r"(?:\s*(?:–|—|--|-)\s*|\s+till\s+)"
_MONTH = r"([A-Za-zåäöÅÄÖ.]+)"
_YEAR = r"(\d{4})"
_QUARTERS = {"t": 4, "tertial": 4, "k": 3, "q": 3, "kvartal": 3}


def parse_period(text: str) -> Period:
    """Read a period; ValueError in Swedish when the text is not one."""
    t = " ".join(text.split())
    low = t.lower()
    _years_in_range(t)

    def month(word: str) -> int:
        number = month_number(word)
        if number is None:
            raise ValueError(f"'{t}' är ingen period: '{word}' är ingen månad")
        return number

    if m := re.fullmatch(r"(?:helår(?:et)?\s+)?" + _YEAR, low):
        year = int(m[1])
        return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), t)
    if m := re.fullmatch(r"(?:t\.?\s?o\.?\s?m\.?|till och med)\s+" + _MONTH + r"\s+" + _YEAR, low):
        year, last = int(m[2]), month(m[1])
        return Period(dt.date(year, 1, 1), _month_end(year, last), t)
    if m := re.fullmatch(_MONTH + _DASH + _MONTH + r"\s+" + _YEAR, low):
        year, first, last = int(m[3]), month(m[1]), month(m[2])
        return _checked(dt.date(year, first, 1), _month_end(year, last), t)
    if m := re.fullmatch(_MONTH + r"\s+" + _YEAR + _DASH + _MONTH + r"\s+" + _YEAR, low):
        start = dt.date(int(m[2]), month(m[1]), 1)
        return _checked(start, _month_end(int(m[4]), month(m[3])), t)
    if m := re.fullmatch(r"(tertial|kvartal|t|k|q)\s?([1-4])\s+" + _YEAR, low):
        size, number, year = _QUARTERS[m[1]], int(m[2]), int(m[3])
        if number * size > 12:
            raise ValueError(f"'{t}': ett år har bara {12 // size} sådana perioder")
        return Period(dt.date(year, (number - 1) * size + 1, 1), _month_end(year, number * size), t)
    if m := re.fullmatch(_MONTH + r"\s+" + _YEAR, low):
        year, only = int(m[2]), month(m[1])
        return Period(dt.date(year, only, 1), _month_end(year, only), t)
    if m := re.fullmatch(r"(\d{4}-\d{2}-\d{2})" + _DASH + r"(\d{4}-\d{2}-\d{2})", low):
        try:
            start, end = dt.date.fromisoformat(m[1]), dt.date.fromisoformat(m[2])
        except ValueError:
            raise ValueError(f"'{t}' innehåller ett datum som inte finns") from None
        return _checked(start, end, t)
    raise ValueError(
        f"'{t}' är ingen period; skriv t.ex. 'jan–juni 2025', 't.o.m. maj 2025', "
        "'maj 2025', 'T2 2025', '2025' eller '2025-01-01–2025-06-30'"
    )


def _years_in_range(text: str) -> None:
    """Refuse a period whose years (the only four-digit numbers it has) are implausible."""
    if any(not FIRST_YEAR <= int(y) <= LAST_YEAR for y in re.findall(r"\d{4}", text)):
        raise ValueError(_year_out_of_range(text, "en period"))


def _checked(start: dt.date, end: dt.date, text: str) -> Period:
    if end < start:
        raise ValueError(f"'{text}' slutar innan den börjar")
    return Period(start, end, text)


def _period(value: Any) -> Period:
    text = _line(value)
    try:
        return parse_period(text)
    except ValueError as exc:
        raise fail(str(exc), codes.BAD_PERIOD) from None


PeriodText = Annotated[
    Period,
    Reads(_period),
    WithJsonSchema(
        {
            # a plain year is a number to an editor: `period: 2025`
            "anyOf": [
                {"type": "string"},
                {"type": "integer", "minimum": FIRST_YEAR, "maximum": LAST_YEAR},
            ],
            "examples": ["jan–juni 2025", "t.o.m. maj 2025", 2025],
        }
    ),
]
