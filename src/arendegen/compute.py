"""Case → figures: totals, subtotals, deviations, hours × rates. Pure and exact.

Nothing here reads files or formats text. Declared totals are compared with the
computed ones and every disagreement is returned as a `Mismatch`, which `validate`
words for the user. Rules in `schema.rules` run first, so references and units are
known to be sound here.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from arendegen.diagnostics import KeyPath
from arendegen.money import Amount, Money, Unit, total
from arendegen.schema import Case
from arendegen.schema.documents import FundingRequest
from arendegen.schema.tables import (
    BudgetTable,
    DeviationTable,
    DistributionTable,
    RateTable,
    TableBase,
    TimeReport,
)

RATE_UNIT = Unit.KR


@dataclass(frozen=True)
class Mismatch:
    """A declared figure that differs from the one computed from its parts."""

    path: KeyPath
    label: str
    declared: Money
    basis: str
    computed: Money


@dataclass(frozen=True)
class BudgetResult:
    """A budget table's cells, row sums, column sums and grand total."""

    unit: Unit
    cells: list[dict[str, Money]]
    row_sums: list[Money]
    column_sums: dict[str, Money]
    total: Money


@dataclass(frozen=True)
class GroupResult:
    """One distribution group's amounts and subtotal."""

    amounts: list[Money]
    subtotal: Money


@dataclass(frozen=True)
class DistributionResult:
    """A distribution table's groups and grand total."""

    unit: Unit
    groups: list[GroupResult]
    total: Money


@dataclass(frozen=True)
class RateResult:
    """Hourly rates by (category, column)."""

    rates: dict[tuple[str, str], Money]


@dataclass(frozen=True)
class StatementLine:
    """One time report line: hours × rate = amount."""

    unit_name: str
    category: str
    hours: Decimal
    rate: Money
    amount: Money


@dataclass(frozen=True)
class StatementResult:
    """A monthly compensation statement: lines, a sum per unit and the total."""

    lines: list[StatementLine]
    per_unit: dict[str, Money]
    total: Money


@dataclass(frozen=True)
class DeviationYearResult:
    """Budget, forecast and deviation (budget − forecast) for one year."""

    year: str
    budget: Money
    forecast: Money | None
    deviation: Money | None


@dataclass(frozen=True)
class DeviationResult:
    """Budget against forecast over the years, with reserves and the resulting deficits."""

    years: list[DeviationYearResult]
    budget_total: Money
    reserves: Money
    deficits: dict[str, Money]


TableResult = BudgetResult | DistributionResult | RateResult | StatementResult | DeviationResult


@dataclass
class Computed:
    """Everything computed for one case."""

    tables: dict[str, TableResult] = field(default_factory=dict)
    mismatches: list[Mismatch] = field(default_factory=list)


def compute(case: Case, *, broken: Collection[KeyPath] = ()) -> Computed:
    """Compute every table of the case and check every declared figure.

    Tables and documents at the paths in `broken` (those a rule found wrong) are left out,
    and so is anything that depends on them, so the rest is still checked.
    """
    out = Computed()
    bad_tables = {p[1] for p in broken if p[:1] == ("tabeller",) and len(p) > 1}
    bad_documents = {p[1] for p in broken if p[:1] == ("handlingar",) and len(p) > 1}
    tables = {k: t for k, t in case.tabeller.items() if k not in bad_tables}
    rate_tables = {k: t for k, t in tables.items() if isinstance(t, RateTable)}
    for key, table in tables.items():
        path: KeyPath = ("tabeller", key)
        if isinstance(table, BudgetTable):
            out.tables[key] = _budget(table, path, out.mismatches)
        elif isinstance(table, DistributionTable):
            out.tables[key] = _distribution(table, path, out.mismatches)
        elif isinstance(table, RateTable):
            out.tables[key] = _rates(table)
        elif isinstance(table, DeviationTable):
            out.tables[key] = _deviation(table, path, out.mismatches)
    for key, table in tables.items():
        if isinstance(table, TimeReport) and table.schabloner in rate_tables:
            rates = _rates(rate_tables[table.schabloner])
            out.tables[key] = _statement(table, rates, ("tabeller", key), out.mismatches)
    for index, document in enumerate(case.handlingar):
        if isinstance(document, FundingRequest) and index not in bad_documents:
            if {document.budget, document.fördelning} & bad_tables:
                continue
            _check_request(case, document, ("handlingar", index), out)
    return out


def money(amount: Amount, table: TableBase | None = None, default: Unit | None = None) -> Money:
    """The exact money an amount stands for, in its own unit or the table's."""
    unit = (table.enhet if table else None) or default
    resolved = amount.resolve(unit)
    if resolved is None:  # schema.rules reports this before compute runs
        raise ValueError("amount without a unit")
    return resolved


def _tolerance(*tables: TableBase) -> Decimal:
    amounts = [money(t.tolerans, t).kronor for t in tables if t.tolerans is not None]
    return max(amounts, default=Decimal(0))


def _check(
    issues: list[Mismatch],
    path: KeyPath,
    label: str,
    declared: Money,
    basis: str,
    computed: Money,
    tolerance: Decimal,
) -> None:
    if abs(declared.kronor - computed.kronor) > tolerance:
        issues.append(Mismatch(path, label, declared, basis, computed))


def _budget(table: BudgetTable, path: KeyPath, issues: list[Mismatch]) -> BudgetResult:
    unit = table.enhet or _first_unit(a for row in table.rader for a in row.belopp.values())
    tol = _tolerance(table)
    cells = [{col: money(a, table) for col, a in row.belopp.items()} for row in table.rader]
    row_sums = []
    for i, (row, row_cells) in enumerate(zip(table.rader, cells, strict=True)):
        row_sum = total(row_cells.values(), unit=unit)
        row_sums.append(row_sum)
        if row.summa is not None:
            _check(
                issues,
                (*path, "rader", i, "summa"),
                "radsumma",
                money(row.summa, table),
                "summan av radens belopp",
                row_sum,
                tol,
            )
    column_sums = {
        col: total((c[col] for c in cells if col in c), unit=unit) for col in table.kolumner
    }
    grand = total(row_sums, unit=unit)
    for col, declared in table.kolumnsummor.items():
        _check(
            issues,
            (*path, "kolumnsummor", col),
            f"kolumnsumma för {col}",
            money(declared, table),
            "summan av kolumnen",
            column_sums[col],
            tol,
        )
    if table.summa is not None:
        _check(
            issues,
            (*path, "summa"),
            "total",
            money(table.summa, table),
            "summan av raderna",
            grand,
            tol,
        )
    return BudgetResult(unit, cells, row_sums, column_sums, grand)


def _distribution(
    table: DistributionTable, path: KeyPath, issues: list[Mismatch]
) -> DistributionResult:
    unit = table.enhet or _first_unit(p.belopp for g in table.grupper for p in g.poster)
    tol = _tolerance(table)
    groups = []
    for i, group in enumerate(table.grupper):
        amounts = [money(p.belopp, table) for p in group.poster]
        subtotal = total(amounts, unit=unit)
        groups.append(GroupResult(amounts, subtotal))
        if group.summa is not None:
            _check(
                issues,
                (*path, "grupper", i, "summa"),
                "delsumma",
                money(group.summa, table),
                "summan av posterna",
                subtotal,
                tol,
            )
    grand = total((g.subtotal for g in groups), unit=unit)
    if table.summa is not None:
        _check(
            issues,
            (*path, "summa"),
            "total",
            money(table.summa, table),
            "summan av grupperna",
            grand,
            tol,
        )
    return DistributionResult(unit, groups, grand)


def _rates(table: RateTable) -> RateResult:
    return RateResult(
        {
            (row.kategori, col): money(amount, table, RATE_UNIT)
            for row in table.rader
            for col, amount in row.belopp.items()
        }
    )


def _statement(
    table: TimeReport, rates: RateResult, path: KeyPath, issues: list[Mismatch]
) -> StatementResult:
    lines = []
    per_unit: dict[str, Money] = {}
    for row in table.rader:
        rate = rates.rates[(row.kategori, table.år)]
        exact = rate.kronor * row.timmar
        amount = Money(exact, Unit.KR, _decimals(exact))
        lines.append(StatementLine(row.enhet, row.kategori, row.timmar, rate, amount))
        per_unit[row.enhet] = per_unit.get(row.enhet, Money(Decimal(0))) + amount
    grand = total(per_unit.values(), unit=Unit.KR)
    if table.summa is not None:
        _check(
            issues,
            (*path, "summa"),
            "total ersättning",
            money(table.summa, table, Unit.KR),
            "summan av timmar × schablon",
            grand,
            _tolerance(table),
        )
    return StatementResult(lines, per_unit, grand)


def _deviation(table: DeviationTable, path: KeyPath, issues: list[Mismatch]) -> DeviationResult:
    unit = table.enhet or _first_unit(y.budget for y in table.år)
    years = []
    for year in table.år:
        budget = money(year.budget, table)
        forecast = None
        if year.prognos is not None:
            forecast = money(year.prognos, table)
        elif year.prognos_över_budget is not None:
            forecast = budget + money(year.prognos_över_budget, table)
        deviation = budget - forecast if forecast is not None else None
        years.append(DeviationYearResult(year.år, budget, forecast, deviation))
    reserves = total((money(r.belopp, table) for r in table.reserver), unit=unit)
    deficits = {
        y.year: Money(-y.deviation.kronor, unit, y.deviation.decimals) + reserves
        for y in years
        if y.deviation is not None and y.deviation.kronor < 0
    }
    declared = table.underskott
    if declared is not None:
        computed = deficits.get(declared.år, reserves)
        _check(
            issues,
            (*path, "underskott", "belopp"),
            f"underskott för {declared.år}",
            money(declared.belopp, table),
            "överskridandet plus reserverna",
            computed,
            _tolerance(table),
        )
    budget_total = total((y.budget for y in years), unit=unit)
    return DeviationResult(years, budget_total, reserves, deficits)


def _check_request(case: Case, document: FundingRequest, path: KeyPath, out: Computed) -> None:
    declared = money(document.insats.beräknad_kostnad)
    budget_table = case.tabeller[document.budget]
    budget = out.tables[document.budget]
    assert isinstance(budget, BudgetResult)
    cost_path = (*path, "insats", "beräknad_kostnad")
    _check(
        out.mismatches,
        cost_path,
        "beräknad kostnad",
        declared,
        f"summan av budgeten '{document.budget}'",
        budget.total,
        _tolerance(budget_table),
    )
    if document.fördelning is not None:
        dist = out.tables[document.fördelning]
        assert isinstance(dist, DistributionResult)
        _check(
            out.mismatches,
            cost_path,
            "beräknad kostnad",
            declared,
            f"summan av fördelningen '{document.fördelning}'",
            dist.total,
            _tolerance(budget_table, case.tabeller[document.fördelning]),
        )


def _first_unit(amounts: Iterable[Amount]) -> Unit:
    for amount in amounts:
        if amount.unit is not None:
            return amount.unit
    return Unit.KR


def _decimals(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0
