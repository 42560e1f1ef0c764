"""Tables with roles, investments and budget follow-ups as Word tables: every figure
formatted here, computed cells in the places the document shows them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from arendegen.blocks import Block, Blocks, Cell, Paragraph, Run, Table, markdown, paragraph
from arendegen.compute_figures import FollowUpResult, GridResult, InvestmentResult
from arendegen.formatting import NBSP, format_number, format_percent
from arendegen.money import Money, Unit, decimals_of
from arendegen.precision import Precision, given
from arendegen.schema.tables import FollowUpTable, GridTable, InvestmentTable

WIDTH = 9000
"""Usable table width in twentieths of a point (A4 with 2,5 cm margins, rounded down)."""

KIND_WORDS = {
    "bokslut": "Bokslut",
    "budget": "Budget",
    "prognos": "Prognos",
    "plan": "Plan",
    "utfall": "Utfall",
    "ram": "Ram",
    "förbrukat": "Förbrukat",
    "kvar": "Kvar",
    "övrigt": "Övrigt",
}


@dataclass(frozen=True)
class TableFigures:
    """Writes the figures of one table: in its unit, at its precision (`precision.py`)."""

    labels: dict[Unit, str]
    precision: Precision

    @property
    def unit(self) -> Unit:
        return self.precision.unit

    def number(self, value: Money | None) -> str:
        """The figure without its unit, for tables that name the unit in the header."""
        if value is None:
            return ""
        shown = self.precision.shown(value)
        return format_number(shown.in_unit, shown.decimals)

    def money(self, value: Money | None) -> str:
        """The figure with the pack's label of the table's unit: '18,73 mnkr'."""
        if value is None:
            return ""
        return f"{self.number(value)}{NBSP}{self.labels[self.unit]}"


class Formats(Protocol):
    """What the tables need of the pack's way of writing money."""

    labels: dict[Unit, str]

    def table(self, unit: Unit, figures: Iterable[Money | None]) -> TableFigures: ...


def figure_blocks(table: Any, result: Any, figures: Formats) -> Blocks:
    """The Word table (and notes) for one of the tables this module knows."""
    if isinstance(table, GridTable) and isinstance(result, GridResult):
        return Blocks((_grid(table, result, figures),))
    if isinstance(table, InvestmentTable) and isinstance(result, InvestmentResult):
        return _investment(table, result, figures)
    if isinstance(table, FollowUpTable) and isinstance(result, FollowUpResult):
        return _follow_up(table, result, figures)
    return Blocks()


def _column_heading(column: Any, money_label: str | None = None) -> str:
    """The column's heading; with `money_label`, the unit after a column of money (a table
    that mixes money with counts or text), and a count's own unit after it."""
    if column.rubrik:
        heading = str(column.rubrik)
    else:
        words = [KIND_WORDS.get(column.slag, "") if column.slag else "", column.år or ""]
        heading = " ".join(w for w in words if w) or str(column.id)
    if column.värde == "antal" and column.enhet:
        return f"{heading} ({column.enhet})"
    if money_label and column.värde == "belopp":
        return f"{heading} ({money_label})"
    return heading


def _grid(table: GridTable, result: GridResult, figures: Formats) -> Table:
    unit = result.unit
    money = table.money_columns
    shown = figures.table(unit, given(_only_money(table), table.enhet))
    # the unit above the row headings when every figure is money; over each column of
    # money when the table also has counts, shares or text
    mixed = any(c.värde in ("antal", "procent") for c in table.kolumner)
    # a table of text only has no unit at all
    label = "" if mixed or not money else f"({figures.labels[unit]})"
    head = (
        Cell(f"{table.radrubrik} {label}".strip(), bold=True),
        *(
            Cell(
                _column_heading(c, figures.labels[unit] if mixed else None),
                number=c.värde != "text",
                bold=True,
            )
            for c in table.kolumner
        ),
    )
    places = _places(table)

    def cell(i: int, column: Any, strong: bool) -> Cell:
        if column.värde == "text":
            return Cell(table.rader[i].text.get(column.id, ""), bold=strong)
        value = result.cells.get((i, column.id))
        if column.id in money or value is None:
            return Cell(shown.number(value), number=True, bold=strong)
        number = value.kronor / unit.factor
        text = format_number(number, places.get(column.id, 0))
        return Cell(
            f"{text}{NBSP}%" if column.värde == "procent" else text, number=True, bold=strong
        )

    rows = [head]
    ids = {row.id: i for i, row in enumerate(table.rader) if row.id}
    for i, row in enumerate(table.rader):
        if row.roll == "rubrik":
            rows.append((Cell(row.rubrik, bold=True, span=len(table.kolumner) + 1),))
            continue
        strong = row.roll in ("summa", "skillnad")
        name = f"   {row.rubrik}" if row.roll in ("därav", "övrigt") else row.rubrik
        rows.append((Cell(name, bold=strong), *(cell(i, c, strong) for c in table.kolumner)))
        parent = ids.get(row.av[0]) if row.roll == "därav" and row.av else None
        following = table.rader[i + 1] if i + 1 < len(table.rader) else None
        last_part = following is None or following.roll != "därav" or following.av[:1] != row.av[:1]
        if parent in result.unexplained and last_part:  # what the parts leave, made visible
            left = result.unexplained[parent]
            rows.append(
                (
                    Cell("   Övrigt, ej förklarat"),
                    *(Cell(shown.number(left.get(c.id)), number=True) for c in table.kolumner),
                )
            )
    columns = len(table.kolumner)
    wide = columns > 4
    first = 2800 if wide else 3600 if columns > 3 else 4500
    rest = (WIDTH - first) // max(columns, 1)
    return Table(tuple(rows), (first, *([rest] * columns)), compact=wide)


def _only_money(table: GridTable) -> GridTable:
    """The table with its counts and shares left out: they do not set its money's precision."""
    money = table.money_columns
    if len(money) == len(table.kolumner):
        return table
    rows = [
        r.model_copy(update={"belopp": {c: a for c, a in r.belopp.items() if c in money}})
        for r in table.rader
    ]
    return table.model_copy(update={"rader": rows})


def _places(table: GridTable) -> dict[str, int]:
    """Decimals of each column of counts or shares, as its numbers were written."""
    places: dict[str, int] = {}
    for row in table.rader:
        for column, amount in row.belopp.items():
            places[column] = max(places.get(column, 0), decimals_of(amount.number))
    return places


def _investment(table: InvestmentTable, result: InvestmentResult, figures: Formats) -> Blocks:
    unit = result.unit
    frame, earlier, asked, left = (
        _resolved(a, table) if a is not None else None
        for a in (table.utgiftsram, table.tidigare_beslutat, table.begärt, table.kvar)
    )
    money = figures.table(unit, (frame, earlier, asked, left)).money
    before = _resolved(table.kvar_före, table) if table.kvar_före is not None else None
    facts: list[tuple[str, str]] = [
        ("Investering", table.projekt),
        ("Utgiftsram" + (f" ({table.ramår})" if table.ramår else ""), money(result.frame)),
    ]
    # before this decision: as stated, and checked against frame − earlier
    for label, value in (
        ("Tidigare beslutat", earlier),
        ("Kvar före detta beslut", before),
        ("Detta beslut", asked),
        ("Kvar av ramen", result.remaining),
    ):
        if value is not None:
            facts.append((label, money(value)))
    items: list[Block] = [
        Table(
            tuple((Cell(k, bold=True), Cell(v, number=True)) for k, v in facts),
            (5500, 3500),
            header=False,
            role="key_value",
        )
    ]
    if result.years:
        money = figures.table(unit, given((table.år, table.flyttat), table.enhet)).money
        items.append(_heading("Utgifter per år"))
        rows = [(Cell("År", bold=True), Cell("Belopp", number=True, bold=True))]
        rows += [
            (Cell(year), Cell(money(amount), number=True)) for year, amount in result.years.items()
        ]
        if result.spent_total is not None:
            rows.append(
                (Cell("Summa", bold=True), Cell(money(result.spent_total), number=True, bold=True))
            )
        items.append(Table(tuple(rows), (5500, 3500)))
        for move in table.flyttat:
            items.append(
                paragraph(
                    f"{money(_resolved(move.belopp, table))} flyttas från {move.från} till {move.till}."
                )
            )
    if table.finansiering:
        money = figures.table(unit, given(table.finansiering, table.enhet)).money
        items.append(_heading("Finansiering"))
        rows = [(Cell("Källa", bold=True), Cell("Belopp", number=True, bold=True))]
        rows += [
            (Cell(s.rubrik), Cell(money(_resolved(s.belopp, table)), number=True))
            for s in table.finansiering
        ]
        if result.financing is not None:
            rows.append(
                (Cell("Summa", bold=True), Cell(money(result.financing), number=True, bold=True))
            )
        items.append(Table(tuple(rows), (5500, 3500)))
    if table.driftkonsekvenser:
        money = figures.table(unit, given(table.driftkonsekvenser, table.enhet)).money
        items.append(_heading("Driftkonsekvenser per år"))
        rows = [(Cell("Kostnad", bold=True), Cell("Per år", number=True, bold=True))]
        for cost, amount in zip(table.driftkonsekvenser, result.operating, strict=True):
            how = f" ({cost.avskrivningstid} år)" if cost.avskrivningstid else ""
            if cost.ränta is not None:
                how = f" ({format_percent(cost.ränta)})"  # 1,25 %, not 1,3 %
            rows.append((Cell(cost.rubrik + how), Cell(money(amount), number=True)))
        items.append(Table(tuple(rows), (5500, 3500)))
    return Blocks(tuple(items))


def _follow_up(table: FollowUpTable, result: FollowUpResult, figures: Formats) -> Blocks:
    unit = result.unit
    shown = figures.table(unit, given(table, table.enhet))
    has_outcome = any(line.outcome is not None for line in result.lines)
    has_previous = any(line.previous is not None for line in result.lines)
    heads = ["Budget"]
    if has_outcome:
        heads.append(f"Utfall {table.period.text}")
    heads += ["Prognos", "Avvikelse"]
    if has_previous:
        heads.append(f"Förändring sedan {table.föregående}" if table.föregående else "Förändring")
    head = (
        Cell(f"({figures.labels[unit]})", bold=True),
        *(Cell(h, number=True, bold=True) for h in heads),
    )
    rows = [head]
    group = None
    for row, line in zip(table.rader, result.lines, strict=True):
        if row.grupp and row.grupp != group:
            group = row.grupp
            rows.append((Cell(group, bold=True, span=len(heads) + 1),))
        values: list[Money | None] = [line.budget]
        if has_outcome:
            values.append(line.outcome)
        values += [line.forecast, line.deviation]
        if has_previous:
            values.append(line.change)
        rows.append((Cell(row.rubrik), *(Cell(shown.number(v), number=True) for v in values)))
    blanks = [Cell("")] * heads.index("Avvikelse")
    total_row = [
        Cell("Summa avvikelse", bold=True),
        *blanks,
        Cell(shown.number(result.deviation), number=True, bold=True),
    ]
    if has_previous:
        total_row.append(Cell(shown.number(result.change), number=True, bold=True))
    rows.append(tuple(total_row))
    wide = len(heads) > 4
    first = 2800 if wide else 3600
    rest = (WIDTH - first) // len(heads)
    items: list[Block] = [Table(tuple(rows), (first, *([rest] * len(heads))), compact=wide)]
    items.append(
        paragraph("Avvikelse: positivt belopp är bättre än budget, negativt sämre.", tight=True)
    )
    explained = [(r.rubrik, r.förklaring) for r in table.rader if r.förklaring]
    for name, text in explained:
        items.append(Paragraph((Run(name, bold=True),), keep_with_next=True))
        items += markdown(text).items
    if table.åtgärder:
        items.append(_heading("Föreslagna åtgärder"))
        items += markdown(table.åtgärder).items
    return Blocks(tuple(items))


def _heading(text: str) -> Paragraph:
    return Paragraph((Run(text, bold=True),), keep_with_next=True)


def _resolved(amount: Any, table: Any) -> Money:
    value = amount.resolve(table.enhet)
    assert value is not None  # rules report amounts without units
    return value  # type: ignore[no-any-return]
