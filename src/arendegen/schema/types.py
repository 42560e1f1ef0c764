"""Field types of the case format: text, dates, numbers and money as officials type them.

Every value arrives from the loader as the text the user typed (or None/True/False),
and each type here reads that text itself, with a Swedish message when it cannot.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel as _BaseModel
from pydantic import ConfigDict, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from arendegen.money import Amount, Unit, parse_amount, parse_number, parse_unit

MAX_TEXT = 100_000
"""Longest text a single field may hold, in characters."""


class Model(_BaseModel):
    """Base of every case-format model: unknown keys are errors, values never change."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def fail(message: str) -> PydanticCustomError:
    """A validation error whose message is already the Swedish text to show."""
    return PydanticCustomError("sv", message)


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
        raise fail(f"väntade text, men fick ja/nej-värdet {word}; skriv '{word}' inom citattecken")
    if not isinstance(value, str):
        raise fail(f"väntade text, men fick {describe(value)}")
    if len(value) > MAX_TEXT:
        raise fail(f"texten är {len(value)} tecken lång; gränsen är {MAX_TEXT}")
    # Every line break becomes \n, so that a break is a break in Word and in PDF alike.
    return value.replace("\r\n", "\n").translate(_LINE_BREAKS)


def _line(value: Any) -> str:
    text = _text(value).strip()
    if not text:
        raise fail("texten är tom")
    if "\n" in text:
        raise fail("väntade en enda rad, men texten har radbrytningar")
    return text


def _markdown(value: Any) -> str:
    return _text(value).strip("\n")


def _date(value: Any) -> dt.date:
    text = _line(value)
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise fail(f"'{text}' är inget datum i formen ÅÅÅÅ-MM-DD, t.ex. 2025-02-03")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise fail(f"'{text}' är inget giltigt datum (finns dagen?)") from None


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in {"ja", "nej"}:
        return value.strip().lower() == "ja"
    raise fail(f"väntade true eller false (eller ja/nej), men fick {describe(value)}")


def _integer(value: Any) -> int:
    text = _line(value)
    if not re.fullmatch(r"-?\d{1,9}", text):
        raise fail(f"väntade ett heltal, men fick '{text}'")
    return int(text)


def _positive_integer(value: Any) -> int:
    number = _integer(value)
    if number < 1:
        raise fail(f"väntade ett positivt heltal, men fick {number}")
    return number


def _decimal(value: Any) -> Decimal:
    text = _line(value)
    try:
        return parse_number(text)
    except ValueError as exc:
        raise fail(str(exc)) from None


def _amount(value: Any) -> Amount:
    if isinstance(value, Amount):
        return value
    text = _line(value)
    try:
        return parse_amount(text)
    except ValueError as exc:
        raise fail(str(exc)) from None


def _unit(value: Any) -> Unit:
    text = _line(value)
    try:
        return parse_unit(text)
    except ValueError as exc:
        raise fail(str(exc)) from None


def _year(value: Any) -> int:
    number = _integer(value)
    if not 1900 <= number <= 2200:
        raise fail(f"'{number}' är inget rimligt årtal")
    return number


def _party(value: Any) -> str:
    text = _line(value).strip("()")
    if not re.fullmatch(r"[A-ZÅÄÖ][A-Za-zÅÄÖåäö\-/]{0,11}", text):
        raise fail(f"'{text}' ser inte ut som en partiförkortning (t.ex. M, S, FR, KD)")
    return text


# Plain YAML numbers are read as the text typed, so editors may offer numbers too.
Text = Annotated[str, PlainValidator(_text), WithJsonSchema({"type": ["string", "number"]})]
Line = Annotated[str, PlainValidator(_line), WithJsonSchema({"type": ["string", "number"]})]
Markdown = Annotated[
    str,
    PlainValidator(_markdown),
    WithJsonSchema({"type": "string", "contentMediaType": "text/markdown"}),
]
Date = Annotated[
    dt.date,
    PlainValidator(_date),
    WithJsonSchema({"type": "string", "format": "date", "examples": ["2025-02-03"]}),
]
Flag = Annotated[bool, PlainValidator(_flag), WithJsonSchema({"type": "boolean"})]
Integer = Annotated[int, PlainValidator(_integer), WithJsonSchema({"type": "integer"})]
PositiveInteger = Annotated[
    int, PlainValidator(_positive_integer), WithJsonSchema({"type": "integer", "minimum": 1})
]
Year = Annotated[int, PlainValidator(_year), WithJsonSchema({"type": "integer"})]
Number = Annotated[
    Decimal,
    PlainValidator(_decimal),
    WithJsonSchema({"type": ["number", "string"], "examples": [12.5, "12,5"]}),
]
Money = Annotated[
    Amount,
    PlainValidator(_amount),
    WithJsonSchema(
        {"type": ["number", "string"], "examples": ["18,73 mnkr", "6 010 000 kr", "175 tkr", 430]}
    ),
]
MoneyUnit = Annotated[
    Unit,
    PlainValidator(_unit),
    WithJsonSchema({"type": "string", "examples": ["kr", "tkr", "mnkr", "mkr", "mdkr"]}),
]
Party = Annotated[
    str, PlainValidator(_party), WithJsonSchema({"type": "string", "examples": ["M"]})
]
