"""Figures: budget tables, distributions, hourly rates, time reports, budget deviations.

Tables are written once under the case's `tabeller`, each under an id of its own, and
documents and sections refer to them by that id. Declared sums are optional; when given,
arendegen proves them against the parts.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from arendegen.schema.types import Line, Markdown, Model, Money, MoneyUnit, Number

MAX_ROWS = 2_000
"""Most rows (or groups, or recipients) one table may have."""


class TableBase(Model):
    """What every table has: a heading, a text above it and the unit of its plain numbers."""

    rubrik: Line | None = Field(None, description="Tabellens rubrik.")
    text: Markdown | None = Field(None, description="Text som står före tabellen.")
    enhet: MoneyUnit | None = Field(
        None,
        description="Enheten för tal utan enhet i tabellen: kr, tkr, mnkr (mkr, Mkr) eller mdkr.",
    )
    tolerans: Money | None = Field(
        None,
        description="Största tillåtna skillnad mellan en angiven summa och den beräknade, "
        "för tabeller vars tal är avrundade i tryck (t.ex. 0,01 mnkr). Utan den måste summor "
        "stämma exakt.",
    )


class BudgetRow(Model):
    """One cost type (kostnadsslag/aktivitet) and its amount per column."""

    rubrik: Line = Field(description="Kostnadsslag eller aktivitet.")
    belopp: dict[str, Money] = Field(
        default_factory=dict,
        description="Belopp per kolumn, t.ex. `2025: 10,0`; tomma kolumner utelämnas.",
    )
    summa: Money | None = Field(None, description="Angiven radsumma, kontrolleras mot beloppen.")


class BudgetTable(TableBase):
    """A budget: cost types × columns (usually years), with row, column and grand totals."""

    typ: Literal["budget"] = Field(description="Sorts tabell: budget.")
    radrubrik: Line = Field("Kostnadsslag/aktivitet", description="Rubriken över radernas namn.")
    kolumner: list[Line] = Field(
        max_length=100, description="Kolumnerna i ordning, oftast år: [2023, 2024, 2025]."
    )
    rader: list[BudgetRow] = Field(max_length=MAX_ROWS, description="Raderna i ordning.")
    summarad: Line = Field("Summa", description="Texten på summaraden.")
    kolumnsummor: dict[str, Money] = Field(
        default_factory=dict, description="Angivna kolumnsummor, kontrolleras mot raderna."
    )
    summa: Money | None = Field(None, description="Angiven totalsumma, kontrolleras mot raderna.")


class DistributionItem(Model):
    """One recipient and its amount."""

    mottagare: Line = Field(description="Mottagaren, t.ex. 'DN HS' eller en förvaltning.")
    belopp: Money = Field(description="Beloppet, t.ex. 6 010 000 kr.")


class DistributionGroup(Model):
    """A group of recipients, with an optional subtotal line."""

    rubrik: Line | None = Field(None, description="Rubrik över gruppen.")
    poster: list[DistributionItem] = Field(max_length=MAX_ROWS, description="Mottagarna i ordning.")
    summarad: Line | None = Field(
        None, description="Text på gruppens delsummerad, t.ex. 'Summa vårdförvaltningarna'."
    )
    summa: Money | None = Field(None, description="Angiven delsumma, kontrolleras mot posterna.")


class DistributionTable(TableBase):
    """A distribution: amounts per recipient, in groups with subtotals, and a grand total."""

    typ: Literal["fördelning"] = Field(description="Sorts tabell: fördelning.")
    grupper: list[DistributionGroup] = Field(
        max_length=MAX_ROWS, description="Grupperna i ordning."
    )
    summarad: Line = Field("Summa", description="Texten på totalraden.")
    summa: Money | None = Field(None, description="Angiven totalsumma, kontrolleras mot grupperna.")


class RateRow(Model):
    """One staff category and its rate per column (year)."""

    kategori: Line = Field(description="Personalkategori, t.ex. Vårdpersonal.")
    belopp: dict[str, Money] = Field(
        default_factory=dict, description="Schablon per kolumn (år) i kronor per timme."
    )
    anmärkning: Line | None = Field(
        None,
        description="Text i stället för belopp, t.ex. 'Samma ersättningsnivåer som inom regionen'.",
    )


class RateTable(TableBase):
    """Hourly rates (schablon kr/h) per staff category and year."""

    typ: Literal["schabloner"] = Field(description="Sorts tabell: schabloner.")
    radrubrik: Line = Field("Kategori", description="Rubriken över kategorierna.")
    beloppsrubrik: Line = Field("Schablon kr/h", description="Rubriken över beloppen.")
    kolumner: list[Line] = Field(description="Åren (kolumnerna) i ordning.")
    rader: list[RateRow] = Field(max_length=MAX_ROWS, description="Kategorierna i ordning.")


class TimeReportRow(Model):
    """Hours a unit reported for one staff category."""

    enhet: Line = Field(description="Den enhet som ersätts.")
    kategori: Line = Field(description="Personalkategori; ska finnas i schablontabellen.")
    timmar: Number = Field(description="Redovisade timmar, t.ex. 120 eller 37,5.")


class TimeReport(TableBase):
    """A monthly compensation statement: reported hours × the rate of their category."""

    typ: Literal["tidrapport"] = Field(description="Sorts tabell: tidrapport.")
    schabloner: Line = Field(description="Id för schablontabellen vars belopp används.")
    år: Line = Field(description="Den kolumn (det år) i schablontabellen som gäller.")
    period: Line = Field(description="Perioden som redovisas, t.ex. 'mars 2022' eller 2022-03.")
    rader: list[TimeReportRow] = Field(max_length=MAX_ROWS, description="Tidrapporterna.")
    summa: Money | None = Field(None, description="Angiven total ersättning, kontrolleras.")


class DeviationYear(Model):
    """Budget and forecast for one year; give the forecast or how far it is over budget."""

    år: Line = Field(description="Året.")
    budget: Money = Field(description="Tilldelad budget för året.")
    prognos: Money | None = Field(None, description="Prognosen för året.")
    prognos_över_budget: Money | None = Field(
        None, description="Hur mycket prognosen överstiger budgeten (negativt om den är lägre)."
    )


class Reserve(Model):
    """An amount reserved on top of the forecast, e.g. for unforeseen costs."""

    rubrik: Line = Field(description="Vad reserven avser.")
    belopp: Money = Field(description="Beloppet.")


class DeclaredDeficit(Model):
    """The deficit a document states for a year, checked against forecast and reserves."""

    år: Line = Field(description="Året underskottet gäller.")
    belopp: Money = Field(description="Angivet underskott (positivt tal).")


class DeviationTable(TableBase):
    """Budget against forecast per year; deviation = budget − prognos (negative is a deficit)."""

    typ: Literal["budgetavvikelse"] = Field(description="Sorts tabell: budgetavvikelse.")
    år: list[DeviationYear] = Field(max_length=MAX_ROWS, description="Åren i ordning.")
    reserver: list[Reserve] = Field(default_factory=list, description="Reserver utöver prognosen.")
    underskott: DeclaredDeficit | None = Field(
        None, description="Angivet underskott för ett år: överskridandet plus reserverna."
    )


Table = Annotated[
    BudgetTable | DistributionTable | RateTable | TimeReport | DeviationTable,
    Field(discriminator="typ"),
]
