"""Figures cited in running text: `[[tabell.rad.kolumn]]`, `[[budget.summa]]`,
`[[norrby.kvar]]`. The text prints the computed figure in the house's words and unit
('44 mnkr', with a no-break space), so a figure in the prose is the one the table proves.

What each table offers:

    tabell (typ: tabell)        [[id.rad.kolumn]]   a cell, given or computed (rad: a row's id)
    budget, fördelning          [[id.summa]]        the total
    investering                 [[id.ram]], [[id.tidigare]], [[id.kvar_före]],
                                [[id.begärt]], [[id.kvar]], [[id.finansiering]]
    budgetavvikelse             [[id.budget]]       the budget over the years
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal

from arendegen import codes
from arendegen.diagnostics import KeyPath, Rule
from arendegen.money import Money
from arendegen.schema.case import Case
from arendegen.schema.tables import (
    BudgetTable,
    DeviationTable,
    DistributionTable,
    GridTable,
    InvestmentTable,
)

CITATION = re.compile(r"([\w\-åäöÅÄÖ]{1,60})\.([\w\-åäöÅÄÖ]{1,60})(?:\.([\w\-åäöÅÄÖ]{1,60}))?")
"""A mention that cites a figure: table id, then a row id and column id, or a name."""

NAMED = {
    BudgetTable: ("summa",),
    DistributionTable: ("summa",),
    InvestmentTable: ("ram", "tidigare", "kvar_före", "begärt", "kvar", "finansiering"),
    DeviationTable: ("budget",),
}
"""The figures other tables offer by name."""


def problems(case: Case, mention: str) -> Iterator[tuple[str, Rule]]:
    """What is wrong with a citation of a figure, in Swedish, and the rule it breaks;
    nothing when it is right."""
    from arendegen.schema.findings import unknown

    found = CITATION.fullmatch(mention)
    if found is None:
        return
    key, first, second = found[1], found[2], found[3]
    table = case.tabeller.get(key)
    if table is None:
        yield (
            f"[[{mention}]]: " + unknown("tabell", key, set(case.tabeller)),
            codes.CITATION_UNKNOWN_TABLE,
        )
        return
    if isinstance(table, GridTable):
        rows = {r.id for r in table.rader if r.id}
        columns = {c.id for c in table.kolumner if c.värde != "text"}
        if second is None:
            row = min(rows, default="rad")
            column = min(columns, default="kolumn")
            yield (
                f"[[{mention}]]: ange rad och kolumn, t.ex. [[{key}.{row}.{column}]]",
                codes.CITATION_NEEDS_CELL,
            )
        elif first not in rows:
            yield f"[[{mention}]]: " + unknown("rad (id)", first, rows), codes.CITATION_UNKNOWN_ROW
        elif second not in columns:
            yield (
                f"[[{mention}]]: " + unknown("kolumn med tal", second, columns),
                codes.CITATION_UNKNOWN_COLUMN,
            )
        return
    names = NAMED.get(type(table), ())
    if second is not None or first not in names:
        offered = ", ".join(f"[[{key}.{n}]]" for n in names) or "inga"
        yield (
            f"[[{mention}]]: tabellen '{key}' har inget tal '{first}' (den har: {offered})",
            codes.CITATION_UNKNOWN_FIGURE,
        )


def figure(
    case: Case, results: Mapping[str, object], mention: str, money: Callable[[str, Money], str]
) -> str | None:
    """The cited figure as the text prints it, or None when `mention` cites none.
    `money(table, value)` writes an amount as the house does, in that table's unit."""
    found = CITATION.fullmatch(mention)
    if found is None or found[1] not in case.tabeller:
        return None
    key, first, second = found[1], found[2], found[3]
    table, result = case.tabeller[key], results.get(key)
    value: Money | None = None
    if isinstance(table, GridTable) and second is not None:
        index = next((i for i, r in enumerate(table.rader) if r.id == first), None)
        cells = getattr(result, "cells", {})
        value = cells.get((index, second)) if index is not None else None
        column = next((c for c in table.kolumner if c.id == second), None)
        if value is not None and column is not None and column.värde != "belopp":
            return _plain(value, column.värde, column.enhet, result)
    elif first == "summa":
        value = getattr(result, "total", None)
    elif first in ("ram", "kvar", "finansiering"):
        value = getattr(result, {"ram": "frame", "kvar": "remaining"}.get(first, first), None)
    elif first in ("tidigare", "kvar_före", "begärt") and isinstance(table, InvestmentTable):
        # stated figures, each checked where the investment is computed
        stated = {
            "tidigare": table.tidigare_beslutat,
            "kvar_före": table.kvar_före,
            "begärt": table.begärt,
        }[first]
        value = stated.resolve(table.enhet) if stated is not None else None
    elif first == "budget":
        value = getattr(result, "budget_total", None)
    return money(key, value) if isinstance(value, Money) else None


def _plain(value: Money, kind: str, unit_word: str | None, result: object) -> str:
    """A count ('12 st') or a share ('88 %') cited from a table."""
    from arendegen.formatting import NBSP, format_number
    from arendegen.money import decimals_of

    unit = getattr(result, "unit", None)
    number = value.kronor / unit.factor if unit is not None else value.kronor
    text = format_number(number, decimals_of(number.normalize()))
    if kind == "procent":
        return f"{text}{NBSP}%"
    return f"{text}{NBSP}{unit_word}" if unit_word else text


# --- figures typed in the prose that contradict a cited one --------------------------------

CUES = {
    "summa": r"total|sammanlag|sammantag|summa",
    "ram": r"(?:investerings|budget|utgifts|kostnads|total)?ram(?:en|ar|arna|s)?\b",
    "tidigare": r"tidigare",
    "kvar_före": r"kvar|återstå|resterande",
    "kvar": r"kvar|återstå|resterande",
    "begärt": r"begär|söker|ansök|äska|utök",
    "finansiering": r"finansier",
    "budget": r"budget",
}
"""The words by which a sentence speaks of a named figure (matched at a word's start)."""

TYPED = re.compile(
    r"(?<![\w,.\u2212-])(?P<int>\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:,(?P<frac>\d{1,6}))?"
    r"[ \u00a0\u202f]?(?P<unit>miljarder kronor|miljard kronor|miljoner kronor|miljon kronor"
    r"|tusen kronor|mdkr|mnkr|mkr|msek|tkr|tsek|kronor|kr|sek)\b",
    re.IGNORECASE,
)
"""An amount of money typed in running text: '73 mnkr', '1,5 miljoner kronor', '6 010 tkr'."""

ROUGHLY = re.compile(
    r"\b(?:ca|cirka|omkring|runt|drygt|knappt|nästan|över|under|mer än|mindre än|upp till"
    r"|högst|minst|närmare|uppemot|ungefär)\.?\s*$",
    re.IGNORECASE,
)
"""Words that make a typed amount an estimate, not a statement of the figure."""

SENTENCE = re.compile(r"(?<=[.!?:])\s+(?=[A-ZÅÄÖ0-9\[])|\n\s*\n|\n\s*(?:[-*]|\d+\.)\s")


def contradictions(case: Case, results: Mapping[str, object]) -> Iterator[tuple[KeyPath, str]]:
    """Amounts typed in the prose that no figure of a table agrees with, in a sentence that
    speaks of a figure the case cites elsewhere ('begär 10 mnkr' while [[norrby.begärt]] is
    12 mnkr). A typed amount that is any figure of that table (the earlier frame, a year's
    spending) is taken as meant; one written as an estimate ('cirka 12 mnkr') is not read."""
    from arendegen.formatting import format_money
    from arendegen.schema.rules_matters import MENTION, case_texts

    texts = [(p, t) for p, t in case_texts(case) if not p or p[0] not in _NOT_PROSE]
    cited: dict[str, dict[str, re.Pattern[str]]] = {}  # table → mention → its cue
    for _, text in texts:
        for mention in MENTION.findall(text):
            found = CITATION.fullmatch(mention.strip())
            if found is None or found[1] not in results:
                continue
            cue = _cue(case.tabeller[found[1]], found[2], found[3])
            if cue is not None:
                cited.setdefault(found[1], {})[mention.strip()] = cue
    if not cited:
        return
    figures = {key: _figures(case.tabeller[key], results[key]) for key in cited}
    for path, text in texts:
        for sentence in SENTENCE.split(MENTION.sub(" ", text)):
            spoken = [
                (key, mention)
                for key, cues in cited.items()
                for mention, cue in cues.items()
                if cue.search(sentence)
            ]
            if not spoken:
                continue
            for typed in TYPED.finditer(sentence):
                if ROUGHLY.search(sentence[: typed.start()]):
                    continue
                kronor, tolerance = _typed(typed)
                tables = {key for key, _ in spoken}
                if any(abs(kronor - abs(f)) <= tolerance for key in tables for f in figures[key]):
                    continue
                said = " ".join(typed[0].split())
                named = " eller ".join(
                    f"[[{m}]] ({figure(case, results, m, lambda _, v: format_money(v))})"
                    for _, m in spoken
                )
                yield (
                    path,
                    (
                        f"texten skriver {said} om {named}, och inget annat tal i tabellen "
                        f"{', '.join(repr(t) for t in sorted(tables))} är {said}: skriv "
                        f"[[{spoken[0][1]}]] i stället för talet, så följer texten tabellen"
                    ),
                )


_NOT_PROSE = {"tabeller", "referenser", "jämförelser", "personer", "expediering"}


def _cue(table: object, first: str, second: str | None) -> re.Pattern[str] | None:
    """How a sentence names the cited figure: its name's words, or its row's heading."""
    if isinstance(table, GridTable) and second is not None:
        row = next((r for r in table.rader if r.id == first), None)
        words = [w for w in re.findall(r"\w+", (row.rubrik if row else "") or "") if len(w) > 3]
        if not words:
            return None
        longest = max(words, key=len).lower()
        return re.compile(rf"\b{re.escape(longest[: max(4, len(longest) - 2)])}", re.IGNORECASE)
    pattern = CUES.get(first)
    return re.compile(rf"\b(?:{pattern})", re.IGNORECASE) if pattern else None


def _figures(table: object, result: object) -> set[Decimal]:
    """Every figure a table gives, stated or computed, in kronor and without sign."""
    from pydantic import BaseModel

    from arendegen.money import Amount

    found: set[Decimal] = set()

    def walk(value: object) -> None:
        if isinstance(value, Money):
            found.add(abs(value.kronor))
        elif isinstance(value, Amount):
            resolved = value.resolve(getattr(table, "enhet", None))
            if resolved is not None:
                found.add(abs(resolved.kronor))
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list | tuple | set | frozenset):
            for item in value:
                walk(item)
        elif hasattr(value, "__dataclass_fields__") or isinstance(value, BaseModel):
            for item in vars(value).values():
                walk(item)

    walk(result)
    walk(table)
    return found


def _typed(found: re.Match[str]) -> tuple[Decimal, Decimal]:
    """A typed amount in kronor, and half its last typed digit (the rounding it allows)."""
    from arendegen.money import parse_unit

    digits = re.sub(r"\D", "", found["int"])
    fraction = found["frac"] or ""
    unit = parse_unit(found["unit"]).factor
    number = Decimal(f"{digits}.{fraction}" if fraction else digits)
    return number * unit, Decimal(5).scaleb(-len(fraction) - 1) * unit
