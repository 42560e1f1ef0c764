"""Tables with roles, investments, budget follow-ups and figures against a base. Pure, exact.

Called by `compute.compute`; every declared figure is compared with the one computed from
its parts and a disagreement becomes a `Mismatch`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, Inexact, localcontext
from typing import Any, Protocol

from arendegen.diagnostics import KeyPath
from arendegen.formatting import round_half_up
from arendegen.money import Amount, Money, Unit, decimals_of, total
from arendegen.schema.matters import Comparison
from arendegen.schema.tables import (
    FollowUpTable,
    GridColumn,
    GridRow,
    GridTable,
    InvestmentTable,
    RateTable,
    TableBase,
)


class Check(Protocol):
    """Records a declared figure that differs from the computed one (`plain`: a count)."""

    def __call__(
        self,
        path: KeyPath,
        label: str,
        declared: Money,
        basis: str,
        value: Money,
        plain: bool = False,
    ) -> None: ...


"""Records a declared figure against the computed one: path, label, declared, basis, computed."""


def resolve(amount: Amount, table: TableBase | None, unit: Unit | None = None) -> Money:
    """The exact money an amount stands for, in its own unit or the table's."""
    resolved = amount.resolve((table.enhet if table else None) or unit)
    if resolved is None:  # schema.rules reports amounts without a unit before compute runs
        raise ValueError("amount without a unit")
    return resolved


def _first_unit(amounts: list[Amount], fallback: Unit = Unit.KR) -> Unit:
    return next((a.unit for a in amounts if a.unit is not None), fallback)


# --- Tables with roles ------------------------------------------------------------------


@dataclass(frozen=True)
class GridResult:
    """Every cell of a table with roles, given or computed, by (row index, column id)."""

    unit: Unit
    cells: dict[tuple[int, str], Money]
    computed: frozenset[tuple[int, str]]
    """The cells arendegen computed (sums, remainders, differences)."""
    unexplained: dict[int, dict[str, Money]] = field(default_factory=dict)
    """Per row whose därav-rows go the other way than the row itself, and that has no
    övrigt-row: what the parts leave unexplained, per column, shown as a row of its own."""


def grid(table: GridTable, path: KeyPath, check: Check) -> GridResult:
    """Fill in every computed row and column and check what the table declares."""
    money = table.money_columns
    unit = table.enhet or _first_unit(
        [a for r in table.rader for c, a in r.belopp.items() if c in money]
    )
    # counts and shares are plain numbers: held as money in the table's unit, to be
    # added and compared the same way, and printed without one
    given = {
        (i, col): resolve(a, table, None if col in money else unit)
        for i, row in enumerate(table.rader)
        for col, a in row.belopp.items()
    }
    computed_columns = {c.id for c in table.kolumner if c.summa or c.skillnad}
    cells, made = _row_cells(table, given, computed_columns)
    _column_cells(table, unit, cells, made)
    tolerance = resolve(table.tolerans, table).kronor if table.tolerans else Decimal(0)
    rounded = {}
    for (i, col), value in cells.items():
        declared = given.get((i, col))
        if (i, col) in made and declared is not None and declared != value:
            # a stated figure within the table's tolerance is the one printed: the report
            # rounds its parts (28, not the 29 its rounded parts add up to)
            rounded[(i, col)] = declared
        if (
            (i, col) in made
            and declared is not None
            and abs(declared.kronor - value.kronor) > tolerance
        ):
            row = table.rader[i]
            column = next(c for c in table.kolumner if c.id == col)
            check(
                (*path, "rader", i, "belopp", col),
                f"{_kind(row, column)} för '{row.rubrik}' i kolumnen {col}",
                declared,
                _basis(row, col in computed_columns),
                value,
                plain=col not in money,
            )
    cells.update(rounded)
    result = GridResult(unit, cells, frozenset(made))
    for index, column_id, whole, parts, exceeds in parts_against_whole(table, result):
        if not exceeds and not _has_rest(table, index):
            result.unexplained.setdefault(index, {})[column_id] = whole - parts
    return result


def _has_rest(table: GridTable, row: int) -> bool:
    """The row has an övrigt-row that shows what its därav-rows leave."""
    own = table.rader[row].id
    return any(r.roll == "övrigt" and r.av[:1] == [own] for r in table.rader)


def _row_cells(
    table: GridTable, given: dict[tuple[int, str], Money], computed_columns: set[str]
) -> tuple[dict[tuple[int, str], Money], set[tuple[int, str]]]:
    """Every row's value in the columns that are not computed; sums and remainders filled in."""
    ids = {row.id: i for i, row in enumerate(table.rader) if row.id}
    cells: dict[tuple[int, str], Money] = {}
    made: set[tuple[int, str]] = set()
    for column in table.kolumner:
        if column.id in computed_columns or column.värde == "text":
            continue
        for i, row in enumerate(table.rader):
            if column.värde == "procent" and row.roll not in ("post", "därav"):
                continue  # a share is not added up (nor a sum row's share made)
            value = _row_value(table, ids, given, cells, i, column.id)
            if value is None:
                continue
            cells[(i, column.id)] = value
            if row.roll not in ("post", "därav", "rubrik"):
                made.add((i, column.id))
    return cells, made


def _column_cells(
    table: GridTable, unit: Unit, cells: dict[tuple[int, str], Money], made: set[tuple[int, str]]
) -> None:
    """Computed columns, in order, so a later column may use an earlier one."""
    for column in table.kolumner:
        if not (column.summa or column.skillnad):
            continue
        for i, row in enumerate(table.rader):
            parts = [cells.get((i, c)) for c in (column.summa or column.skillnad)]
            known = [p for p in parts if p is not None]
            if row.roll == "rubrik" or not known:
                continue
            if column.summa:
                value = total(known, unit=unit)
            elif len(known) == 2:
                value = known[0] - known[1]
            else:
                continue
            cells[(i, column.id)] = value
            made.add((i, column.id))


def _kind(row: GridRow, column: GridColumn) -> str:
    if column.summa:
        return "summa"
    if column.skillnad:
        return "skillnad"
    return {"övrigt": "rest", "skillnad": "skillnad"}.get(row.roll, "summa")


def _basis(row: GridRow, column_computed: bool) -> str:
    if column_computed:
        return "det som räknas fram ur kolumnerna"
    if row.roll == "summa" and not row.av:
        return "summan av raderna ovanför"
    return {
        "summa": "summan av delarna",
        "övrigt": "raden minus därav-raderna",
        "skillnad": "skillnaden mellan raderna",
    }.get(row.roll, "det beräknade")


def _row_value(
    table: GridTable,
    ids: dict[str, int],
    given: dict[tuple[int, str], Money],
    cells: dict[tuple[int, str], Money],
    index: int,
    col: str,
    depth: int = 0,
) -> Money | None:
    """The value of one row in one plain column; sums and remainders are computed."""
    if (index, col) in cells:
        return cells[(index, col)]
    row = table.rader[index]
    if row.roll in ("post", "därav") or depth > len(table.rader):
        return given.get((index, col))
    if row.roll == "rubrik":
        return None

    def value(i: int) -> Money | None:
        found = _row_value(table, ids, given, cells, i, col, depth + 1)
        if found is not None:
            cells[(i, col)] = found
        return found

    if row.roll == "summa":
        members = [ids[r] for r in row.av if r in ids] if row.av else _since_last_sum(table, index)
        parts = [v for v in (value(i) for i in members) if v is not None]
        return total(parts, unit=parts[0].unit) if parts else None
    if row.roll == "skillnad" and len(row.av) == 2 and all(r in ids for r in row.av):
        first, second = value(ids[row.av[0]]), value(ids[row.av[1]])
        return first - second if first is not None and second is not None else None
    if row.roll == "övrigt" and row.av and row.av[0] in ids:
        parent = value(ids[row.av[0]])
        if parent is None:
            return None
        parts = [
            v
            for i, r in enumerate(table.rader)
            if r.roll == "därav" and r.av[:1] == row.av[:1]
            for v in [value(i)]
            if v is not None
        ]
        return parent - total(parts, unit=parent.unit) if parts else parent
    return None


def _since_last_sum(table: GridTable, index: int) -> list[int]:
    """The post rows between the previous summa row and this one."""
    members: list[int] = []
    for i in range(index - 1, -1, -1):
        role = table.rader[i].roll
        if role == "summa":
            break
        if role == "post":
            members.append(i)
    return members[::-1]


def parts_against_whole(
    table: GridTable, result: GridResult
) -> list[tuple[int, str, Money, Money, bool]]:
    """Rows whose därav-rows do not explain them: (row, column, row value, parts, exceeds).
    `exceeds`: the parts are larger than the row, whichever their sign. Else two or more
    parts go the other way (an income change of −20 'explained' by −30 + 9 + 6 + 18 = +3).
    One part alone only says 'of which' ('därav självfinansierade objekt −5 900' under a
    gross investment): it never claims to explain its row, whatever its sign."""
    ids = {row.id: i for i, row in enumerate(table.rader) if row.id}
    found = []
    for parent_id, parent in ids.items():
        children = [
            i for i, r in enumerate(table.rader) if r.roll == "därav" and r.av[:1] == [parent_id]
        ]
        if not children:
            continue
        for column in table.kolumner:
            if column.summa or column.skillnad or column.värde in ("procent", "text"):
                continue  # the parts of a difference may well be larger than the difference
            whole = result.cells.get((parent, column.id))
            parts = [
                result.cells[(i, column.id)] for i in children if (i, column.id) in result.cells
            ]
            if whole is None or not parts:
                continue
            summed = total(parts, unit=whole.unit)
            opposite = summed.kronor * whole.kronor < 0
            if abs(summed.kronor) > abs(whole.kronor) and (not opposite or len(parts) == 1):
                found.append((parent, column.id, whole, summed, True))
            elif opposite and len(parts) > 1:
                found.append((parent, column.id, whole, summed, False))
    return found


# --- Investments ------------------------------------------------------------------------


@dataclass(frozen=True)
class InvestmentResult:
    """An investment's spending per year after moves, what remains, financing, running costs."""

    unit: Unit
    frame: Money
    years: dict[str, Money]
    spent_total: Money | None
    remaining: Money | None
    financing: Money | None
    operating: list[Money | None] = field(default_factory=list)


def investment(table: InvestmentTable, path: KeyPath, check: Check) -> InvestmentResult:
    """Years after moves, the remaining frame, financing and yearly running costs, checked."""
    unit = table.enhet or _first_unit([table.utgiftsram])
    frame = resolve(table.utgiftsram, table)
    years = {y.år: resolve(y.belopp, table) for y in table.år}
    for move in table.flyttat:
        amount = resolve(move.belopp, table)
        if move.från in years:
            years[move.från] = years[move.från] - amount
        years[move.till] = years.get(move.till, Money(Decimal(0), unit)) + amount
    spent = total(years.values(), unit=unit) if years else None
    if spent is not None:
        check((*path, "utgiftsram"), "utgiftsram", frame, "summan av åren", spent)
    if table.kvar_före is not None and table.tidigare_beslutat is not None:
        check(
            (*path, "kvar_före"),
            "återstod före beslutet",
            resolve(table.kvar_före, table),
            "ramen minus tidigare beslutat",
            frame - resolve(table.tidigare_beslutat, table),
        )
    remaining = None
    if table.tidigare_beslutat is not None or table.begärt is not None:
        used = [resolve(a, table) for a in (table.tidigare_beslutat, table.begärt) if a is not None]
        remaining = frame - total(used, unit=unit)
        if table.kvar is not None:
            check(
                (*path, "kvar"),
                "återstod",
                resolve(table.kvar, table),
                "ramen minus tidigare beslutat och begärt",
                remaining,
            )
    financing = None
    if table.finansiering:
        financing = total((resolve(s.belopp, table) for s in table.finansiering), unit=unit)
        check((*path, "utgiftsram"), "utgiftsram", frame, "summan av finansieringen", financing)
    operating = []
    for i, cost in enumerate(table.driftkonsekvenser):
        value = _operating(cost.avskrivningstid, cost.ränta, frame)
        declared = resolve(cost.belopp, table) if cost.belopp is not None else None
        if value is not None and declared is not None:
            shown = round_half_up(value.kronor / declared.unit.factor, declared.decimals)
            if shown != declared.in_unit:
                rounded = Money(shown * declared.unit.factor, declared.unit, declared.decimals)
                check(
                    (*path, "driftkonsekvenser", i, "belopp"),
                    cost.rubrik.lower(),
                    declared,
                    "beräkningen ur utgiftsramen, avrundad,",
                    rounded,
                )
        operating.append(declared if declared is not None else value)
    return InvestmentResult(unit, frame, years, spent, remaining, financing, operating)


def _operating(years: int | None, rate: Decimal | None, frame: Money) -> Money | None:
    """A yearly running cost: the frame over its years (linear), or its interest."""
    if years is not None:
        with localcontext() as context:
            context.clear_flags()
            value = frame.kronor / years
            ends = not context.flags[Inexact]  # 85 mnkr / 33 years never ends: it is rounded
        places = decimals_of((value / frame.unit.factor).normalize()) if ends else 1
        return Money(value, frame.unit, places, ends)
    if rate is not None:
        value = frame.kronor * rate / 100
        return Money(value, frame.unit, decimals_of((value / frame.unit.factor).normalize()))
    return None


# --- Budget follow-up ----------------------------------------------------------------


@dataclass(frozen=True)
class FollowUpLineResult:
    """One line: its figures, deviation (positive is better) and change since last forecast."""

    budget: Money
    outcome: Money | None
    forecast: Money
    previous: Money | None
    deviation: Money
    change: Money | None


@dataclass(frozen=True)
class FollowUpResult:
    """Every line, the deviation per group and the total deviation."""

    unit: Unit
    lines: list[FollowUpLineResult]
    groups: dict[str, Money]
    deviation: Money
    change: Money | None


def follow_up(table: FollowUpTable, path: KeyPath, check: Check) -> FollowUpResult:
    """Deviation = prognos − budget for income and net lines, budget − prognos for costs."""
    unit = table.enhet or _first_unit([r.budget for r in table.rader])
    lines = []
    groups: dict[str, Money] = {}
    for i, row in enumerate(table.rader):
        sign = Decimal(-1) if row.slag == "kostnad" else Decimal(1)
        budget, forecast = resolve(row.budget, table), resolve(row.prognos, table)
        deviation = (forecast - budget).times(sign)
        previous = resolve(row.föregående_prognos, table) if row.föregående_prognos else None
        change = (forecast - previous).times(sign) if previous is not None else None
        outcome = resolve(row.utfall, table) if row.utfall is not None else None
        if row.avvikelse is not None:
            check(
                (*path, "rader", i, "avvikelse"),
                "avvikelse",
                resolve(row.avvikelse, table),
                "prognos mot budget",
                deviation,
            )
        lines.append(FollowUpLineResult(budget, outcome, forecast, previous, deviation, change))
        if row.grupp:
            groups[row.grupp] = groups.get(row.grupp, Money(Decimal(0), unit)) + deviation
    whole = total((line.deviation for line in lines), unit=unit)
    changes = [line.change for line in lines if line.change is not None]
    if table.avvikelse is not None:
        check(
            (*path, "avvikelse"),
            "total avvikelse",
            resolve(table.avvikelse, table),
            "summan av radernas avvikelser",
            whole,
        )
    return FollowUpResult(
        unit, lines, groups, whole, total(changes, unit=unit) if changes else None
    )


# --- Figures against a base ----------------------------------------------------------


@dataclass(frozen=True)
class ComparisonResult:
    """Base, change and result, all three known."""

    base: Money
    change: Money
    result: Money


def comparison(item: Comparison, path: KeyPath, check: Check) -> ComparisonResult | None:
    """Compute the missing one of change and result; check them when both are given."""
    unit = item.enhet
    base = item.bas.resolve(unit)
    change = item.förändring.resolve(unit) if item.förändring else None
    result = item.resultat.resolve(unit) if item.resultat else None
    if base is None:
        return None
    if change is not None and result is not None:
        check((*path, "resultat"), "resultat", result, "basen plus förändringen", base + change)
        return ComparisonResult(base, change, result)
    if change is not None:
        return ComparisonResult(base, change, base + change)
    if result is not None:
        return ComparisonResult(base, result - base, result)
    return None


# --- Rates with adjustments ------------------------------------------------------------


def adjustment_percent(table: RateTable, row: Any, column: str) -> Decimal:
    """The percentages of the adjustments that apply to a row's rate in one column, summed."""
    return sum(
        (
            a.procent
            for a in table.justeringar
            if (a.regi is None or a.regi == row.regi)
            and (a.kategori is None or a.kategori == row.kategori)
            and (a.tidsband is None or a.tidsband == row.tidsband)
            and (a.kolumn is None or a.kolumn == column)
        ),
        Decimal(0),
    )


def adjusted_rates(table: RateTable) -> dict[tuple[str, str | None, str | None, str], Money]:
    """Each rate after the percentage adjustments that apply to its row, by
    (kategori, regi, tidsband, kolumn); rounded to whole öre."""
    rates = {}
    for row in table.rader:
        for col, amount in row.belopp.items():
            percent = adjustment_percent(table, row, col)
            base = resolve(amount, table, Unit.KR)
            if percent:
                exact = round_half_up(base.kronor * (100 + percent) / 100, 2)
                places = 2 if exact != exact.to_integral_value() else base.decimals_in(Unit.KR)
                rates[(row.kategori, row.regi, row.tidsband, col)] = Money(exact, Unit.KR, places)
            else:
                rates[(row.kategori, row.regi, row.tidsband, col)] = base
    return rates
