"""Figures: budget tables, distributions, hourly rates, time reports, budget deviations.

Tables are written once under the case's `tabeller`, each under an id of its own, and
documents and sections refer to them by that id. Declared sums are optional; when given,
arendegen proves them against the parts.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, PrivateAttr, model_validator

from arendegen.schema.types import (
    UNKNOWN,
    ByKind,
    Date,
    GridNumber,
    Line,
    Markdown,
    Model,
    Money,
    MoneyUnit,
    Number,
    Percent,
    PeriodText,
    PositiveInteger,
)

MAX_ROWS = 2_000
"""Most rows (or groups, or recipients) one table may have."""


class TableBase(Model):
    """What every table has: a heading, a text above it and the unit of its plain numbers."""

    rubrik: Line | None = Field(None, description="Tabellens rubrik.")
    text: Markdown | None = Field(None, description="Text som står före tabellen.")
    enhet: MoneyUnit | None = Field(
        None,
        description="Enheten för tal utan enhet i tabellen: kr, tkr, mnkr (mkr, Mkr) eller mdkr. "
        "Är den inte känd (handlingen anger den inte) utelämnas den, eller skrivs okänd: "
        "tabellen räknas då som vanligt men skrivs utan enhet, och bara i ett utkast.",
    )
    tolerans: Money | None = Field(
        None,
        description="Största tillåtna skillnad mellan en angiven summa och den beräknade, "
        "för tabeller vars tal är avrundade i tryck (t.ex. 0,01 mnkr). Utan den måste summor "
        "stämma exakt.",
    )
    _unit_unknown: bool = PrivateAttr(False)

    @property
    def unit_unknown(self) -> bool:
        """Its plain numbers are in a unit the document does not state (schema/gaps.py)."""
        return self._unit_unknown

    @model_validator(mode="before")
    @classmethod
    def _unknown_unit(cls, value: Any) -> Any:
        if isinstance(value, dict) and str(value.get("enhet", "")).strip().lower() == UNKNOWN:
            return {k: v for k, v in value.items() if k != "enhet"}
        return value


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
    regi: Line | None = Field(
        None, description="Driftform, om nivån skiljer sig: 'kommunal regi', 'privat regi'."
    )
    tidsband: Line | None = Field(
        None,
        description="Tid på dygnet eller veckan, om nivån skiljer sig: dag, kväll, natt, helg.",
    )
    belopp: dict[str, Money] = Field(
        default_factory=dict, description="Schablon per kolumn (år) i kronor per `per`."
    )
    justerat: dict[str, Money] = Field(
        default_factory=dict,
        description="Schablonen med justeringarna redan inräknade, så som handlingen anger den "
        "(per kolumn); kontrolleras mot belopp × (1 + procent), med avrundning till hela "
        "kronor när den anges i hela kronor, och skrivs som den står. Utan belopp i kolumnen "
        "(handlingen anger inte schablonen före justeringen) skrivs den som kolumnens belopp.",
    )
    anmärkning: Line | None = Field(
        None,
        description="Text i stället för belopp, t.ex. 'Samma ersättningsnivåer som inom regionen'.",
    )


class Adjustment(Model):
    """A percentage added to (or taken from) the rates of the rows it applies to."""

    rubrik: Line = Field(description="Vad justeringen är, t.ex. 'Momskompensation 6 %'.")
    procent: Percent = Field(description="Procentsatsen, t.ex. 6 eller '-2,5 %'.")
    regi: Line | None = Field(None, description="Gäller bara rader med denna regi.")
    kategori: Line | None = Field(None, description="Gäller bara denna kategori.")
    tidsband: Line | None = Field(None, description="Gäller bara detta tidsband.")
    kolumn: Line | None = Field(
        None,
        description="Gäller bara denna kolumn, när regin (eller något annat) är kolumner: "
        "`kolumner: [Kommunal regi, Privat regi]`, `kolumn: Privat regi`.",
    )


class RateTable(TableBase):
    """Hourly rates (schablon kr/h) per staff category and year."""

    typ: Literal["schabloner"] = Field(description="Sorts tabell: schabloner.")
    radrubrik: Line = Field("Kategori", description="Rubriken över kategorierna.")
    beloppsrubrik: Line = Field("Schablon kr/h", description="Rubriken över beloppen.")
    kolumner: list[Line] = Field(
        description="Kolumnerna i ordning: åren, eller t.ex. regiformerna (Kommunal regi, "
        "Privat regi)."
    )
    rader: list[RateRow] = Field(max_length=MAX_ROWS, description="Kategorierna i ordning.")
    per: Line = Field("timme", description="Vad beloppen gäller per: timme, besök, dygn, månad.")
    justeringar: list[Adjustment] = Field(
        default_factory=list,
        description="Procentuella påslag eller avdrag, t.ex. momskompensation för privat regi.",
    )
    gäller_från: Date | None = Field(None, description="Datum då nivåerna börjar gälla.")


class TimeReportRow(Model):
    """Hours a unit reported for one staff category."""

    enhet: Line = Field(description="Den enhet som ersätts.")
    kategori: Line = Field(description="Personalkategori; ska finnas i schablontabellen.")
    regi: Line | None = Field(None, description="Regi, när schablonen skiljer sig per regi.")
    tidsband: Line | None = Field(None, description="Tidsband, när schablonen skiljer sig.")
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


class GridColumn(Model):
    """A column of a table: a year's bokslut, budget, prognos or plan, or a computed column."""

    id: Line = Field(description="Kolumnens id, som raderna använder under `belopp`.")
    rubrik: Line | None = Field(None, description="Rubriken; utelämnas den byggs av slag och år.")
    slag: (
        Literal[
            "bokslut", "budget", "prognos", "plan", "utfall", "ram", "förbrukat", "kvar", "övrigt"
        ]
        | None
    ) = Field(None, description="Vad kolumnen visar: bokslut, budget, prognos, plan …")
    år: Line | None = Field(None, description="Året kolumnen gäller.")
    värde: Literal["belopp", "antal", "procent", "text"] = Field(
        "belopp",
        description="Vad kolumnen har: belopp (pengar, i tabellens `enhet`), antal (t.ex. "
        "stycken: räknas och summeras, utan valuta), procent ('88 %', t.ex. av ett mål; "
        "summeras inte) eller text (t.ex. Nr '1.1', under radens `text`).",
    )
    enhet: Line | None = Field(
        None, description="Antalets enhet i kolumnrubriken, t.ex. st eller personer."
    )
    summa: list[Line] = Field(
        default_factory=list,
        description="Kolumnen är summan av dessa kolumner (periodsumma, bas + förändring).",
    )
    skillnad: list[Line] = Field(
        default_factory=list,
        description="Kolumnen är den första minus den andra: `[ram, förbrukat]` ger kvar, "
        "`[prognos, budget]` ger avvikelse.",
        max_length=2,
    )


class GridRow(Model):
    """A row of a table, with its role: a post, a 'därav', a remainder or a sum."""

    id: Line | None = Field(None, description="Radens id, för `av` i andra rader.")
    rubrik: Line = Field(description="Radens text.")
    roll: Literal["post", "rubrik", "därav", "övrigt", "summa", "skillnad"] = Field(
        "post",
        description="post (en vanlig rad), rubrik (mellanrubrik utan belopp, t.ex. en nämnd "
        "eller 'Privat regi'), därav (en del av raden `av`), övrigt (det som återstår av "
        "raden `av` när därav-raderna dragits bort: gör en ofullständig uppdelning synlig), "
        "summa (summan av raderna i `av`, eller av posterna sedan föregående summa), "
        "skillnad (första raden i `av` minus den andra).",
    )
    av: list[Line] = Field(
        default_factory=list,
        description="Id för de rader raden bygger på: föräldraraden för därav och övrigt, "
        "delarna för summa, två rader för skillnad.",
    )
    belopp: dict[str, GridNumber] = Field(
        default_factory=dict,
        description="Tal per kolumn-id: belopp, antal eller procent ('88 %'); för beräknade "
        "rader och kolumner kontrolleras de.",
    )
    text: dict[str, Line] = Field(
        default_factory=dict, description="Text per kolumn-id, för kolumner med `värde: text`."
    )


class GridTable(TableBase):
    """A table of figures with named columns and rows with roles; every sum is computed."""

    typ: Literal["tabell"] = Field(description="Sorts tabell: tabell.")
    radrubrik: Line = Field("", description="Rubriken över radernas text.")
    kolumner: list[GridColumn] = Field(max_length=100, description="Kolumnerna i ordning.")
    rader: list[GridRow] = Field(max_length=MAX_ROWS, description="Raderna i ordning.")

    @property
    def money_columns(self) -> set[str]:
        """The columns of money, whose numbers take the table's `enhet`."""
        return {c.id for c in self.kolumner if c.värde == "belopp"}


class YearAmount(Model):
    """An amount for one year."""

    år: Line = Field(description="Året.")
    belopp: Money = Field(description="Beloppet.")


class Move(Model):
    """Money moved from one year to another within an investment's frame."""

    från: Line = Field(description="Året pengarna flyttas från.")
    till: Line = Field(description="Året de flyttas till.")
    belopp: Money = Field(description="Beloppet.")


class Source(Model):
    """One source of financing."""

    rubrik: Line = Field(description="T.ex. Egna medel, Statsbidrag, Lån.")
    belopp: Money = Field(description="Beloppet.")


class OperatingCost(Model):
    """A yearly operating consequence of an investment: depreciation, interest, running costs."""

    rubrik: Line = Field(description="T.ex. Avskrivningar, Internränta, Drift och underhåll.")
    belopp: Money | None = Field(None, description="Kostnad per år; för avskrivning beräknas den.")
    avskrivningstid: PositiveInteger | None = Field(
        None, description="Avskrivningstid i år: kostnaden blir utgiften delad med tiden (linjärt)."
    )
    ränta: Percent | None = Field(
        None, description="Internränta i procent av utgiften, t.ex. 1,5: kostnaden beräknas."
    )


class InvestmentTable(TableBase):
    """An investment: its frame, spending per year, decisions so far, financing, running costs."""

    typ: Literal["investering"] = Field(description="Sorts tabell: investering.")
    projekt: Line = Field(description="Investeringens namn.")
    utgiftsram: Money = Field(description="Den totala utgiftsramen.")
    ramår: Line | None = Field(None, description="Året ramen beslutades eller dess prisnivå.")
    år: list[YearAmount] = Field(
        default_factory=list,
        description="Planerade utgifter per år; summan kontrolleras mot ramen.",
    )
    flyttat: list[Move] = Field(default_factory=list, description="Belopp flyttade mellan år.")
    tidigare_beslutat: Money | None = Field(
        None, description="Det som redan beslutats (tidigare etapper eller anslag)."
    )
    begärt: Money | None = Field(None, description="Det som detta beslut gäller.")
    kvar: Money | None = Field(
        None, description="Angiven återstod av ramen; kontrolleras: ram − tidigare − begärt."
    )
    kvar_före: Money | None = Field(
        None,
        description="Vad som återstod av ramen före detta beslut, så som handlingen anger det; "
        "kontrolleras: ram − tidigare beslutat.",
    )
    finansiering: list[Source] = Field(
        default_factory=list, description="Finansieringen; summan kontrolleras mot ramen."
    )
    driftkonsekvenser: list[OperatingCost] = Field(
        default_factory=list, description="Årliga driftkonsekvenser."
    )


class FollowUpLine(Model):
    """One line of a budget follow-up: budget, outcome so far, forecast, and why."""

    rubrik: Line = Field(description="Nämnd, verksamhet, intäkter eller kostnader.")
    slag: Literal["intäkt", "kostnad", "netto"] = Field(
        "netto",
        description="intäkt, kostnad eller netto: avgör om en högre prognos är bättre "
        "(intäkt, netto) eller sämre (kostnad).",
    )
    grupp: Line | None = Field(None, description="Rubrik att samla raden under, t.ex. en nämnd.")
    budget: Money = Field(description="Årets budget.")
    utfall: Money | None = Field(None, description="Utfall för perioden.")
    prognos: Money = Field(description="Helårsprognos.")
    föregående_prognos: Money | None = Field(
        None, description="Föregående prognos; förändringen beräknas."
    )
    avvikelse: Money | None = Field(
        None, description="Angiven avvikelse (positiv = bättre än budget); kontrolleras."
    )
    förklaring: Markdown | None = Field(None, description="Förklaring till avvikelsen.")


class FollowUpTable(TableBase):
    """Budget follow-up: per line budget, outcome, forecast and deviation, with totals."""

    typ: Literal["uppföljning"] = Field(description="Sorts tabell: uppföljning.")
    period: PeriodText = Field(description="Perioden utfallet gäller: 'jan–aug 2025'.")
    föregående: Line | None = Field(
        None, description="Vilken prognos som jämförs med, t.ex. 'april'; ger kolumnrubriken."
    )
    rader: list[FollowUpLine] = Field(max_length=MAX_ROWS, description="Raderna i ordning.")
    avvikelse: Money | None = Field(
        None, description="Angiven total avvikelse (netto, positiv = bättre); kontrolleras."
    )
    åtgärder: Markdown | None = Field(None, description="Föreslagna åtgärder.")


TABLE_KINDS: dict[str, type[TableBase]] = {
    "budget": BudgetTable,
    "fördelning": DistributionTable,
    "schabloner": RateTable,
    "tidrapport": TimeReport,
    "budgetavvikelse": DeviationTable,
    "tabell": GridTable,
    "investering": InvestmentTable,
    "uppföljning": FollowUpTable,
}
"""Each value of `typ`, and the table model it selects."""

Table = Annotated[
    BudgetTable
    | DistributionTable
    | RateTable
    | TimeReport
    | DeviationTable
    | GridTable
    | InvestmentTable
    | FollowUpTable,
    ByKind(TABLE_KINDS),
]
