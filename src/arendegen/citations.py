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


def problems(case: Case, mention: str) -> Iterator[str]:
    """What is wrong with a citation of a figure, in Swedish; nothing when it is right."""
    from arendegen.schema.findings import unknown

    found = CITATION.fullmatch(mention)
    if found is None:
        return
    key, first, second = found[1], found[2], found[3]
    table = case.tabeller.get(key)
    if table is None:
        yield f"[[{mention}]]: " + unknown("tabell", key, set(case.tabeller))
        return
    if isinstance(table, GridTable):
        rows = {r.id for r in table.rader if r.id}
        columns = {c.id for c in table.kolumner if c.värde != "text"}
        if second is None:
            row = min(rows, default="rad")
            column = min(columns, default="kolumn")
            yield f"[[{mention}]]: ange rad och kolumn, t.ex. [[{key}.{row}.{column}]]"
        elif first not in rows:
            yield f"[[{mention}]]: " + unknown("rad (id)", first, rows)
        elif second not in columns:
            yield f"[[{mention}]]: " + unknown("kolumn med tal", second, columns)
        return
    names = NAMED.get(type(table), ())
    if second is not None or first not in names:
        offered = ", ".join(f"[[{key}.{n}]]" for n in names) or "inga"
        yield f"[[{mention}]]: tabellen '{key}' har inget tal '{first}' (den har: {offered})"


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
