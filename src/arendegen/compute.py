"""Case → figures: totals, subtotals, deviations, hours × rates. Pure and exact.

Nothing here reads files or formats text. Declared totals are compared with the
computed ones and every disagreement is returned as a `Mismatch`, which `validate`
words for the user. Rules in `schema.rules` run first, so references and units are
known to be sound here.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from arendegen import codes
from arendegen.citations import contradictions
from arendegen.compute_figures import (
    ComparisonResult,
    FollowUpResult,
    GridResult,
    InvestmentResult,
    adjusted_rates,
    adjustment_percent,
    comparison,
    follow_up,
    grid,
    investment,
    parts_against_whole,
)
from arendegen.compute_votes import Disagreement, Tally, disagreements, tally
from arendegen.diagnostics import KeyPath
from arendegen.formatting import format_money, format_number
from arendegen.money import Amount, Money, Unit, decimals_of, total
from arendegen.schema import Case
from arendegen.schema.documents import Extract, FundingRequest, Minutes
from arendegen.schema.meeting import Deliberation
from arendegen.schema.tables import (
    BudgetTable,
    DeviationTable,
    DistributionTable,
    FollowUpTable,
    GridTable,
    InvestmentTable,
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
    plain: bool = False
    """Counts, not money: the message writes the numbers without a unit."""


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


RateKey = tuple[str, str | None, str | None, str]
"""A rate's (kategori, regi, tidsband, kolumn)."""


@dataclass(frozen=True)
class RateResult:
    """Rates by (category, provider form, time band, column), as written and as adjusted."""

    rates: dict[RateKey, Money]
    adjusted: dict[RateKey, Money]


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

    unit: Unit
    years: list[DeviationYearResult]
    budget_total: Money
    reserves: Money
    deficits: dict[str, Money]


TableResult = (
    BudgetResult
    | DistributionResult
    | RateResult
    | StatementResult
    | DeviationResult
    | GridResult
    | InvestmentResult
    | FollowUpResult
)


@dataclass
class Computed:
    """Everything computed for one case."""

    tables: dict[str, TableResult] = field(default_factory=dict)
    comparisons: dict[str, ComparisonResult] = field(default_factory=dict)
    votes: dict[KeyPath, Tally] = field(default_factory=dict)
    """Each votering's count, by the key path of its paragraph (document, or document + item)."""
    mismatches: list[Mismatch] = field(default_factory=list)
    disagreements: list[Disagreement] = field(default_factory=list)

    def checker(self, table: TableBase | None = None) -> Callable[..., None]:
        """A function that records a declared figure that differs from the computed one."""
        tolerance = _tolerance(table) if table is not None else Decimal(0)

        def check(
            path: KeyPath,
            label: str,
            declared: Money,
            basis: str,
            value: Money,
            plain: bool = False,
        ) -> None:
            if abs(declared.kronor - value.kronor) > tolerance:
                self.mismatches.append(Mismatch(path, label, declared, basis, value, plain))

        return check


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
        result = _table(table, ("tabeller", key), out)
        if result is not None:
            out.tables[key] = result
    for key, item in case.jämförelser.items():
        path: KeyPath = ("jämförelser", key)
        if not any(p[: len(path)] == path for p in broken):
            compared = comparison(item, path, out.checker())
            if compared is not None:
                out.comparisons[key] = compared
    _count_votes(case, broken, out)
    for key, table in tables.items():
        if isinstance(table, TimeReport) and table.schabloner in rate_tables:
            known = out.tables.get(table.schabloner)
            rates = (
                known
                if isinstance(known, RateResult)
                else _rates(rate_tables[table.schabloner], ("tabeller", table.schabloner), [])
            )
            out.tables[key] = _statement(table, rates, ("tabeller", key), out.mismatches)
    for index, document in enumerate(case.handlingar):
        if isinstance(document, FundingRequest) and index not in bad_documents:
            if {document.budget, document.fördelning} & bad_tables:
                continue
            _check_request(case, document, ("handlingar", index), out)
    for where, message in contradictions(case, out.tables):
        out.disagreements.append(Disagreement(where, message, codes.CITATION_CONTRADICTS))
    return out


def _table(table: object, path: KeyPath, out: Computed) -> TableResult | None:
    """One table's figures; time reports come later, once their rates are known."""
    if isinstance(table, BudgetTable):
        return _budget(table, path, out.mismatches)
    if isinstance(table, DistributionTable):
        return _distribution(table, path, out.mismatches)
    if isinstance(table, RateTable):
        return _rates(table, path, out.mismatches)
    if isinstance(table, DeviationTable):
        return _deviation(table, path, out.mismatches)
    if isinstance(table, GridTable):
        result = grid(table, path, out.checker(table))
        # a table of unknown unit writes its numbers without one (schema/gaps.py)
        unknown = getattr(table, "_unit_unknown", False)

        def shown(value: Money) -> str:
            return format_number(value.in_unit, value.decimals) if unknown else format_money(value)

        for row, column, whole, parts, exceeds in parts_against_whole(table, result):
            heading = table.rader[row].rubrik
            children = [
                r for r in table.rader if r.roll == "därav" and r.av[:1] == [table.rader[row].id]
            ]
            name = (
                f"därav-raden under '{heading}' är {shown(parts)}"
                if len(children) == 1
                else f"därav-raderna under '{heading}' blir {shown(parts)}"
            )
            rule = codes.PARTS_EXCEED_ROW if exceeds else codes.PARTS_UNEXPLAINED
            if exceeds:
                message = f"{name} i kolumnen {column}, mer än raden själv ({shown(whole)})"
            else:
                message = (
                    f"{name} i kolumnen {column}, men raden är {shown(whole)}: de förklarar "
                    f"den inte, och {shown(whole - parts)} står oförklarat (visas som en "
                    "rad 'Övrigt, ej förklarat' om tabellen inte har en övrigt-rad)"
                )
            out.disagreements.append(Disagreement((*path, "rader", row), message, rule))
        return result
    if isinstance(table, InvestmentTable):
        return investment(table, path, out.checker(table))
    if isinstance(table, FollowUpTable):
        return follow_up(table, path, out.checker(table))
    return None


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


def _count_votes(case: Case, broken: Collection[KeyPath], out: Computed) -> None:
    """Count every votering of every extract and protocol paragraph."""
    places: list[tuple[KeyPath, Deliberation, str | None]] = []
    for i, doc in enumerate(case.handlingar):
        if isinstance(doc, Extract):
            places.append((("handlingar", i), doc, None))
        elif isinstance(doc, Minutes):
            chair = next(
                (s.namn for s in doc.sammanträde.ledamöter if s.roll.lower() == "ordförande"), None
            )
            places += [
                (("handlingar", i, "paragrafer", j), item, chair)
                for j, item in enumerate(doc.paragrafer)
            ]
    for path, deliberation, chair in places:
        division = deliberation.votering
        where = (*path, "votering")
        if division is None or any(p[: len(where)] == where for p in broken):
            continue
        result = tally(division, chair)
        out.votes[path] = result
        out.disagreements += disagreements(division, result, where)


def _rates(table: RateTable, path: KeyPath, issues: list[Mismatch]) -> RateResult:
    """The rates, and each adjusted one: computed, or as the document states it (checked
    against base × (1 + %), to whole kronor when it is stated in whole kronor)."""
    adjusted = adjusted_rates(table)
    for i, row in enumerate(table.rader):
        for col, amount in row.justerat.items():
            key = (row.kategori, row.regi, row.tidsband, col)
            computed = adjusted.get(key)
            stated = money(amount, table, RATE_UNIT)
            if computed is None:  # the document states the rate, not its base: as stated
                adjusted[key] = stated
                continue
            rounding = Decimal("0.5") if decimals_of(amount.number) == 0 else Decimal("0.005")
            percent = adjustment_percent(table, row, col)
            _check(
                issues,
                (*path, "rader", i, "justerat", col),
                f"justerad schablon för '{row.kategori}' i kolumnen {col}",
                stated,
                f"schablonen × (1 + {format_number(percent, decimals_of(percent))} %)",
                computed,
                max(rounding, _tolerance(table)),
            )
            adjusted[key] = stated
    return RateResult(
        {
            (row.kategori, row.regi, row.tidsband, col): money(amount, table, RATE_UNIT)
            for row in table.rader
            for col, amount in row.belopp.items()
        },
        adjusted,
    )


def _statement(
    table: TimeReport, rates: RateResult, path: KeyPath, issues: list[Mismatch]
) -> StatementResult:
    lines = []
    per_unit: dict[str, Money] = {}
    for row in table.rader:
        rate = rates.adjusted[rate_key(rates, row.kategori, row.regi, row.tidsband, table.år)]
        exact = rate.kronor * row.timmar
        amount = Money(exact, Unit.KR, _decimals(exact))
        label = ", ".join(x for x in (row.kategori, row.tidsband) if x)
        lines.append(StatementLine(row.enhet, label, row.timmar, rate, amount))
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
        y.year: -y.deviation.as_unit(unit) + reserves
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
    return DeviationResult(unit, years, budget_total, reserves, deficits)


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


def rate_key(
    rates: RateResult, category: str, form: str | None, band: str | None, column: str
) -> RateKey:
    """The one rate a time report line means: exact match, else the category's only rate."""
    exact = (category, form, band, column)
    if exact in rates.rates:
        return exact
    matches = [
        k
        for k in rates.rates
        if k[0] == category
        and k[3] == column
        and (form is None or k[1] == form)
        and (band is None or k[2] == band)
    ]
    return matches[0] if len(matches) == 1 else exact


def _first_unit(amounts: Iterable[Amount]) -> Unit:
    for amount in amounts:
        if amount.unit is not None:
            return amount.unit
    return Unit.KR


def _decimals(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0
