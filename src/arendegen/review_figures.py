"""Each figure of a computed table under the name the document gives it: its row, then its
column ('Summa 2026', 'DN HS', 'Läkare 2022 justerad'), for `review` to compare.

One function per kind of table, chosen by the kind of what `compute` made of it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from arendegen.compute import (
    BudgetResult,
    DeviationResult,
    DistributionResult,
    RateResult,
    StatementResult,
)
from arendegen.compute_figures import FollowUpResult, GridResult, InvestmentResult, resolve
from arendegen.context_tables import KIND_WORDS
from arendegen.money import Money

Figure = tuple[str, Money, str | None]
"""A figure's name, its value, and for a plain number (a count, a share) what follows it
(' st', ' %'); None for money."""


def figures(table: Any, result: Any) -> list[Figure] | None:
    """The table's figures in the order the document shows them; None for an unknown kind."""
    named = _KINDS.get(type(result))
    return list(named(table, result)) if named is not None else None


def _budget(table: Any, result: BudgetResult) -> Iterator[Figure]:
    # with one column, a row's sum is its cell and the total the column's sum: said once
    several = len(table.kolumner) > 1
    for row, cells, row_sum in zip(table.rader, result.cells, result.row_sums, strict=True):
        for column in table.kolumner:
            if column in cells:
                yield f"{row.rubrik} {column}", cells[column], None
        if several:
            yield f"{row.rubrik}, summa", row_sum, None
    for column in table.kolumner:
        if any(column in c for c in result.cells):
            yield f"{table.summarad} {column}", result.column_sums[column], None
    if several:
        yield f"{table.summarad}, totalt", result.total, None


def _distribution(table: Any, result: DistributionResult) -> Iterator[Figure]:
    for number, (group, computed) in enumerate(
        zip(table.grupper, result.groups, strict=True), start=1
    ):
        for item, amount in zip(group.poster, computed.amounts, strict=True):
            yield item.mottagare, amount, None
        subtotal = group.summarad or f"Delsumma {group.rubrik or number}"
        yield subtotal, computed.subtotal, None
    yield table.summarad, result.total, None


def _rates(table: Any, result: RateResult) -> Iterator[Figure]:
    for row in table.rader:
        name = ", ".join(x for x in (row.kategori, row.regi, row.tidsband) if x)
        for column in table.kolumner:
            key = (row.kategori, row.regi, row.tidsband, column)
            rate, adjusted = result.rates.get(key), result.adjusted.get(key)
            if rate is not None:
                yield f"{name} {column}", rate, None
            if adjusted is not None and adjusted != rate:
                yield f"{name} {column} justerad", adjusted, None


def _statement(table: Any, result: StatementResult) -> Iterator[Figure]:
    for line in result.lines:
        yield f"{line.unit_name}, {line.category}", line.amount, None
    for unit, amount in result.per_unit.items():
        yield f"Summa {unit}", amount, None
    yield "Summa ersättning", result.total, None


def _deviation(table: Any, result: DeviationResult) -> Iterator[Figure]:
    for year in result.years:
        yield f"Budget {year.year}", year.budget, None
        if year.forecast is not None:
            yield f"Prognos {year.year}", year.forecast, None
        if year.deviation is not None:
            yield f"Avvikelse {year.year}", year.deviation, None
    yield "Summa budget", result.budget_total, None
    yield "Reserver", result.reserves, None
    for year_name, deficit in result.deficits.items():
        yield f"Underskott {year_name}", deficit, None


def _grid(table: Any, result: GridResult) -> Iterator[Figure]:
    columns = {c.id: c for c in table.kolumner}
    for index, row in enumerate(table.rader):
        for column in table.kolumner:
            value = result.cells.get((index, column.id))
            if value is None or column.värde == "text":
                continue
            suffix = None
            if column.värde == "antal":
                suffix = f" {column.enhet}" if column.enhet else ""
            elif column.värde == "procent":
                suffix = " %"
            yield f"{row.rubrik} {_heading(columns[column.id])}", value, suffix
        for column_id, rest in result.unexplained.get(index, {}).items():
            yield f"{row.rubrik}, ej förklarat {_heading(columns[column_id])}", rest, None


def _heading(column: Any) -> str:
    if column.rubrik:
        return str(column.rubrik)
    words = [KIND_WORDS.get(column.slag, "") if column.slag else "", column.år or ""]
    return " ".join(w for w in words if w) or str(column.id)


def _investment(table: Any, result: InvestmentResult) -> Iterator[Figure]:
    yield "Utgiftsram", result.frame, None
    for year, amount in result.years.items():
        yield f"Utgift {year}", amount, None
    optional: tuple[tuple[str, Money | None], ...] = (
        ("Utgifter totalt", result.spent_total),
        ("Tidigare beslutat", _money(table.tidigare_beslutat, table)),
        ("Begärt", _money(table.begärt, table)),
        ("Kvar av ramen", result.remaining),
        ("Finansiering", result.financing),
    )
    for name, value in optional:
        if value is not None:
            yield name, value, None
    for source in table.finansiering:
        yield f"Finansiering: {source.rubrik}", _money(source.belopp, table), None
    for move in table.flyttat:
        yield f"Flyttat {move.från}–{move.till}", _money(move.belopp, table), None
    for cost, running in zip(table.driftkonsekvenser, result.operating, strict=False):
        if running is not None:
            yield f"{cost.rubrik} per år", running, None


def _follow_up(table: Any, result: FollowUpResult) -> Iterator[Figure]:
    for row, line in zip(table.rader, result.lines, strict=True):
        named: tuple[tuple[str, Money | None], ...] = (
            ("budget", line.budget),
            ("utfall", line.outcome),
            ("prognos", line.forecast),
            ("föregående prognos", line.previous),
            ("avvikelse", line.deviation),
            ("förändring", line.change),
        )
        for name, value in named:
            if value is not None:
                yield f"{row.rubrik}, {name}", value, None
    for group, amount in result.groups.items():
        yield f"Avvikelse {group}", amount, None
    yield "Avvikelse totalt", result.deviation, None
    if result.change is not None:
        yield "Förändring totalt", result.change, None


def _money(amount: Any, table: Any) -> Any:
    return resolve(amount, table) if amount is not None else None


_KINDS: dict[type, Callable[[Any, Any], Iterator[Figure]]] = {
    BudgetResult: _budget,
    DistributionResult: _distribution,
    RateResult: _rates,
    StatementResult: _statement,
    DeviationResult: _deviation,
    GridResult: _grid,
    InvestmentResult: _investment,
    FollowUpResult: _follow_up,
}
