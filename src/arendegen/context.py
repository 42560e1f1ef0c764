"""Case + computed figures → what a template sees: formatted text, labels and blocks.

Everything a template may use is a key of the dict `document_context` returns, the same
keys for every kind of document (unused ones are None), so a pack can be checked against
CONTEXT_KEYS before anything is rendered. Numbers are formatted here and nowhere else.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from arendegen import citations
from arendegen.blocks import (
    Block,
    Blocks,
    Cell,
    Logo,
    Paragraph,
    Run,
    Table,
    blocks,
    markdown,
    paragraph,
)
from arendegen.compute import (
    RATE_UNIT,
    BudgetResult,
    Computed,
    DeviationResult,
    DistributionResult,
    RateResult,
    StatementResult,
)
from arendegen.context_meeting import deliberation, frame
from arendegen.context_tables import TableFigures, figure_blocks
from arendegen.contract import CONTEXT_KEYS
from arendegen.formatting import (
    format_date_as,
    format_iso_date,
    format_long_date,
    format_money,
    format_number,
    format_paragraph,
    format_percent,
    genitive,
    in_text,
    labelled_number,
)
from arendegen.mentions import comparison_text, reference_text, with_mentions
from arendegen.money import Amount, Money, Unit, decimals_of
from arendegen.packs import Pack, logo_path
from arendegen.precision import given, precision
from arendegen.schema import Case
from arendegen.schema.case import SECTION_KEYS
from arendegen.schema.common import (
    Annex,
    Basis,
    LaterDecision,
    Person,
    Recipient,
    Reference,
    Section,
)
from arendegen.schema.documents import (
    REQUEST_QUESTIONS,
    AnnexDocument,
    CompensationModel,
    DelegationReport,
    DeviationMemorandum,
    Document,
    DocumentBase,
    Extract,
    FundingRequest,
    Minutes,
    Notice,
)
from arendegen.schema.gaps import MARKS, prose_mark
from arendegen.schema.rules_matters import ANNEX_MENTION, not_yet
from arendegen.schema.tables import (
    BudgetTable,
    DeviationTable,
    DistributionTable,
    FollowUpTable,
    GridTable,
    InvestmentTable,
    RateTable,
    TimeReport,
)
from arendegen.wording import is_office, memo_speaker, reaching, sentences, writer


class Figures:
    """Formats money the way one organisation writes it."""

    def __init__(self, pack: Pack) -> None:
        self.labels = pack.config.unit_labels

    def money(self, value: Money | None) -> str:
        return "" if value is None else format_money(value, labels=self.labels)

    def money_of(self, amount: Amount) -> str:
        """An amount as typed with its unit: '2 mnkr' (a bare number stays a number)."""
        resolved = amount.resolve(None)
        return (
            self.money(resolved)
            if resolved
            else format_number(amount.number, decimals_of(amount.number))
        )

    def table(self, unit: Unit, figures: Iterable[Money | None]) -> TableFigures:
        """How the figures of a table in `unit` whose own figures are `figures` are written."""
        return TableFigures(self.labels, precision(unit, figures))

    def without_unit(self) -> Figures:
        """The same, for a table whose unit is not known: the gap's mark for every unit."""
        other = copy.copy(self)
        other.labels = {unit: MARKS["enhet"] for unit in Unit}
        return other


def document_context(case: Case, computed: Computed, pack: Pack, index: int) -> dict[str, Any]:
    """Everything the template of `case.handlingar[index]` sees."""
    figures = Figures(pack)
    case = with_mentions(case, _mention_text(case, computed, figures, pack))
    doc = case.handlingar[index]
    headings = pack.config.rubriker
    context: dict[str, Any] = {key: None for key in CONTEXT_KEYS}
    context.update(
        org={
            "namn": case.organisation or pack.config.organisation,
            "förvaltning": case.förvaltning or "",
            "avdelning": case.avdelning or "",
            "gemensam": _joint(case),
        },
        dokument=_document(case, doc, pack),
        handläggare=_person(case.handläggare),
        mottagare=case.mottagare or "",
        rubriker=headings.model_dump(),
        förslag=sentences(
            case.förslag_till_beslut,
            pack,
            case,
            speaker=writer(case),
            voice="beslutar" if writer(case) else pack.config.husregler.beslutsröst,
            missing=MARKS["förslag"],
        ),
        avsnitt=_sections(case, computed, figures, doc, headings.model_dump()),
        ställningstaganden=blocks(
            *(p for s in case.ställningstaganden for p in _position(s.organ, s.ställning, s.text))
        ),
        beredningsansvariga=_list(_person_line(p) for p in case.beredningsansvariga),
        underskrifter=_signatures(
            case.underskrifter or pack.config.underskrifter, case.förvaltning
        ),
        beslutsunderlag=_basis(case.beslutsunderlag, case, *_listing(pack)),
        bilagor=_annexes(case, pack.config.husregler.datumformat_i_text),
        expedieras_till=recipients(case.expedieras_till or []),
        efterföljande_beslut=_later(getattr(doc, "efterföljande_beslut", [])),
        personer={
            "ansvarig": _person(case.ansvarig),
            "föredragande": _person(case.föredragande),
        },
        motion=_motion(case, headings.motion),
        remiss=_remiss(case, computed, figures),
        delegation=_delegation(case),
    )
    logo = logo_path(pack)
    if logo is not None:
        context["logo"] = Logo(
            logo.name, logo.read_bytes(), pack.config.logo_höjd_mm, context["org"]["namn"] or ""
        )
    if isinstance(doc, Extract):
        context["protokoll"] = _extract(
            case, doc, pack, _tables_of(case, computed, figures), computed, figures
        )
    if isinstance(doc, Minutes):
        context["sammanträde"] = _minutes(case, doc, index, pack, computed, figures)
    if isinstance(doc, FundingRequest):
        context["förfrågan"] = _request(case, doc, computed, figures)
    if isinstance(doc, CompensationModel):
        context["ersättning"] = _compensation(case, doc, computed, figures)
    if isinstance(doc, Notice):
        context["kallelse"] = _notice(case, doc, pack)
    if isinstance(doc, DelegationReport):
        context["delegationsanmälan"] = _delegation_report(doc)
    if isinstance(doc, AnnexDocument):  # its own body, not the case's
        context["egna_avsnitt"] = [
            _section(s, s.rubrik, _tables(case, computed, figures, s.tabeller)) for s in doc.avsnitt
        ]
        context["antagen"] = _adopted(doc.antagen, pack)
        context["innehållsförteckning"] = doc.innehållsförteckning
    _lay_out(context, case, doc, pack)
    return context


def _lay_out(context: dict[str, Any], case: Case, doc: Document, pack: Pack) -> None:
    """The body as the pack's layout arranges it (`innehåll`), and what the template's
    header and footer print (`sida`)."""
    from arendegen.layout.compose import LayoutProblem, compose, page_values
    from arendegen.layout.resolve import effective

    layout = effective(pack, doc.typ)
    rules = pack.config.husregler
    attestation = getattr(doc, "justering", None)
    facts = {
        "datum": {
            "datum": doc.own_date or case.datum,
            "sammanträdesdatum": getattr(doc, "sammanträdesdatum", None),
        },
        "ort": getattr(attestation, "ort", None) or "",
        "sidor": getattr(doc, "sidor", None),
        "bilagenummer": _annex_numbers(case.bilagor),
        "bilagor_i_underlag": [b.bilaga for b in case.beslutsunderlag if b.bilaga],
        "förkortningar": {s.organ: s.förkortning for s in case.beslutsordning if s.förkortning},
        "beslutsplanering": [
            " ".join(
                x for x in (s.förkortning or s.organ, s.datum and format_iso_date(s.datum)) if x
            )
            for s in case.beslutsordning
        ],
    }
    full = {**context, **facts}
    try:
        context["innehåll"] = compose(layout, full, rules, doc.typ)
    except LayoutProblem:
        raise
    except Exception as exc:  # a layout this case's data does not fit: never a traceback
        raise LayoutProblem(f"layouten för {doc.typ} kunde inte användas: {exc!r}") from exc
    numbered = getattr(doc, "tabellnummer", None)
    if rules.tabellnummer if numbered is None else numbered:  # 'Tabell 1. …', as shown
        context["innehåll"] = _numbered_captions(context["innehåll"])
    context["sida"] = page_values(layout, full, rules, doc.typ)


def _adopted(decision: Reference | None, pack: Pack) -> str:
    """'Antagen av kommunfullmäktige 2025-06-16, § 88': the decision a plan stands on."""
    if decision is None:
        return ""
    dates = pack.config.husregler.datumformat_i_text
    when = format_date_as(decision.datum, dates) if decision.datum else ""
    by = in_text(decision.organ) if decision.organ else ""
    number = format_paragraph(decision.paragraf) if decision.paragraf else ""
    head = " ".join(x for x in ("Antagen av", by, when) if x)
    return f"{head}, {number}" if number else head


def _numbered_captions(body: Blocks) -> Blocks:
    """Each table heading numbered in the order the body shows it: 'Tabell 1. Budget'."""
    items: list[Block] = []
    number = 0
    for item in body.items:
        if isinstance(item, Paragraph) and item.caption and item.runs:
            number += 1
            first = item.runs[0]
            run = Run(f"Tabell {number}. {first.text}", first.bold, first.italic)
            item = dataclasses.replace(item, runs=(run, *item.runs[1:]))
        items.append(item)
    return Blocks(tuple(items))


def _joint(case: Case) -> str:
    """'Gemensam nämnd för Ale, Kungälv och Lilla Edet', for a body serving several."""
    for step in case.beslutsordning:
        if step.gemensam_för:
            names = step.gemensam_för
            listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " och " + names[-1]
            return f"{step.organ}, gemensam för {listed}"
    return ""


def _document(case: Case, doc: Document, pack: Pack) -> dict[str, str]:
    date = doc.own_date or case.datum
    names = pack.config.dokumentnamn.model_dump()
    number = " ".join(x for x in (case.diarienummer, case.klassificering) if x)
    meeting = getattr(doc, "sammanträdesdatum", None)
    return {
        "typ": getattr(doc, "slag", None) or names[doc.typ],
        "titel": doc.titel or case.titel,
        "diarienummer": number,
        "dokumentnummer": doc.dokumentnummer or "",
        "version": doc.version or "",
        "sammanträdesdatum": format_iso_date(meeting) if meeting else "",
        "beredande_organ": case.beredande_organ or "",
        "datum": format_iso_date(date) if date else "",
        "datum_lång": format_long_date(date) if date else "",
        "bilaga": f"Bilaga {doc.bilaga}" if doc.bilaga else "",
    }


def _person(person: Person | None) -> dict[str, str] | None:
    if person is None:
        return None
    return {
        "namn": person.namn,
        "titel": person.titel or "",
        "enhet": person.enhet or "",
        "telefon": person.telefon or "",
        "epost": person.epost or "",
        "parti": person.parti or "",
    }


def _person_line(person: Person) -> str:
    party = f" ({person.parti})" if person.parti else ""
    return f"{person.namn}{party}, {person.titel}" if person.titel else f"{person.namn}{party}"


def _list(lines: Iterable[str]) -> Blocks:
    return Blocks(tuple(paragraph(line, "List Bullet") for line in lines))


def _lines(lines: Iterable[str]) -> Blocks:
    return Blocks(tuple(paragraph(line, tight=True) for line in lines))


def _section(
    section: Section | None, default_heading: str | None, extra: Blocks | None = None
) -> dict[str, Any] | None:
    extra = extra or Blocks()
    if section is None and not extra:
        return None
    heading = section.rubrik if section and section.rubrik else default_heading
    text = markdown(section.text if section else None)
    # unheaded: running text after what comes before (`utan_rubrik`, a free section without one)
    bare = heading is None or bool(section and section.utan_rubrik)
    return {"rubrik": heading or "", "text": text + extra, "utan_rubrik": bare}


def _sections(
    case: Case, computed: Computed, figures: Figures, doc: DocumentBase, headings: dict[str, str]
) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key in SECTION_KEYS:
        section: Section | None = getattr(case, key)
        keys = list(section.tabeller) if section else []
        if key == "ekonomi" and isinstance(doc, DeviationMemorandum) and doc.avvikelse not in keys:
            keys.append(doc.avvikelse)  # the deviation's figures belong under Ekonomi
        result[key] = _section(section, headings[key], _tables(case, computed, figures, keys))
    result["barnchecklista"] = _checklist(case, headings["barnchecklista"])
    result["fler"] = [
        _section(s, s.rubrik, _tables(case, computed, figures, s.tabeller))
        for s in case.fler_avsnitt
    ]
    return result


def _checklist(case: Case, default_heading: str) -> dict[str, Any] | None:
    checklist = case.barnchecklista
    if checklist is None:
        return None
    rows: list[tuple[Cell, ...]] = [
        (
            Cell("Nr", bold=True),
            Cell("Fråga", bold=True),
            Cell("Svar", bold=True),
            Cell("Förklaring", bold=True),
        )
    ]
    for number, q in enumerate(checklist.frågor, start=1):
        rows.append(
            (
                Cell(str(number)),
                Cell(q.fråga),
                Cell(MARKS["svar"] if q.svar == "okänd" else q.svar.capitalize()),
                Cell(
                    MARKS["förklaring"]
                    if (q.förklaring or "").strip().lower() == "okänd"
                    else markdown(q.förklaring).plain_text()
                ),
            )
        )
    text = markdown(checklist.text) + Blocks((Table(tuple(rows), (600, 3300, 1700, 3400)),))
    return {
        "rubrik": checklist.rubrik or default_heading,
        "text": text + markdown(checklist.slutsats),
    }


def _tables(case: Case, computed: Computed, figures: Figures, keys: Sequence[str]) -> Blocks:
    out = Blocks()
    for key in keys:
        out = out + table_blocks(case, computed, figures, key)
    return out


def table_blocks(
    case: Case, computed: Computed, figures: Figures, key: str, *, heading: bool = True
) -> Blocks:
    """The heading, text and table of one of the case's tables."""
    table = case.tabeller[key]
    result = computed.tables.get(key)
    if table.unit_unknown:  # a draft: the mark where the unit would be printed
        figures = figures.without_unit()
    items: list[Block] = []
    if table.rubrik and heading:
        items.append(Paragraph((Run(table.rubrik, bold=True),), keep_with_next=True, caption=True))
    items += markdown(table.text).items
    if isinstance(table, BudgetTable) and isinstance(result, BudgetResult):
        items.append(_budget_table(table, result, figures))
    elif isinstance(table, DistributionTable) and isinstance(result, DistributionResult):
        items.append(_distribution_table(table, result, figures))
    elif isinstance(table, RateTable) and isinstance(result, RateResult):
        items.append(_rate_table(table, result, figures))
        items += _rate_notes(table).items
    elif isinstance(table, GridTable | InvestmentTable | FollowUpTable):
        items += figure_blocks(table, result, figures).items
    elif isinstance(table, DeviationTable) and isinstance(result, DeviationResult):
        items.append(_deviation_table(table, result, figures))
    elif isinstance(table, TimeReport) and isinstance(result, StatementResult):
        items.append(_statement_table(table, result, figures))
    return Blocks(tuple(items))


def _budget_table(table: BudgetTable, result: BudgetResult, figures: Figures) -> Table:
    unit = result.unit
    shown = figures.table(unit, given(table, table.enhet))
    head = (
        Cell(f"{table.radrubrik} ({figures.labels[unit]})", bold=True),
        *(Cell(c, number=True, bold=True) for c in table.kolumner),
        Cell("Summa", number=True, bold=True),
    )
    rows = [head]
    for row, cells, row_sum in zip(table.rader, result.cells, result.row_sums, strict=True):
        rows.append(
            (
                Cell(row.rubrik),
                *(Cell(shown.number(cells.get(c)), number=True) for c in table.kolumner),
                Cell(shown.number(row_sum), number=True),
            )
        )
    rows.append(
        (
            Cell(table.summarad, bold=True),
            *(
                Cell(shown.number(_nonzero(result, c)), number=True, bold=True)
                for c in table.kolumner
            ),
            Cell(shown.number(result.total), number=True, bold=True),
        )
    )
    first = 3000 if len(table.kolumner) > 2 else 4200
    rest = (9000 - first) // (len(table.kolumner) + 1)
    return Table(tuple(rows), (first, *([rest] * (len(table.kolumner) + 1))))


def _nonzero(result: BudgetResult, column: str) -> Money | None:
    """A column's sum, or nothing for a column without a single amount."""
    return result.column_sums[column] if any(column in c for c in result.cells) else None


def _distribution_table(
    table: DistributionTable, result: DistributionResult, figures: Figures
) -> Table:
    money = figures.table(result.unit, given(table, table.enhet)).money
    rows: list[tuple[Cell, ...]] = [
        (Cell("Mottagare", bold=True), Cell("Belopp", number=True, bold=True))
    ]
    for group, computed in zip(table.grupper, result.groups, strict=True):
        if group.rubrik:
            rows.append((Cell(group.rubrik, bold=True, span=2),))
        for item, amount in zip(group.poster, computed.amounts, strict=True):
            rows.append((Cell(item.mottagare), Cell(money(amount), number=True)))
        if group.summarad:
            rows.append(
                (
                    Cell(group.summarad, bold=True),
                    Cell(money(computed.subtotal), number=True, bold=True),
                )
            )
    rows.append(
        (Cell(table.summarad, bold=True), Cell(money(result.total), number=True, bold=True))
    )
    return Table(tuple(rows), (6000, 3000))


PER = {"timme": "h", "besök": "besök", "dygn": "dygn", "månad": "mån"}


def _rate_table(table: RateTable, result: RateResult, figures: Figures) -> Table:
    """Rates per category (and provider form and time band); adjusted columns after them.

    Printed in kronor, the unit the headings name, whatever unit a rate is typed in. An
    adjusted rate is rounded to whole öre by rule, so it counts as one of the table's own
    figures: 530,00 beside 542,72, not 530."""
    own = [*given(table, table.enhet or RATE_UNIT), *result.adjusted.values()]
    number = figures.table(RATE_UNIT, own).number
    single = len(table.kolumner) == 1
    per = PER.get(table.per, table.per)
    # a column of rates as given; beside it, one adjusted for each column an adjustment
    # applies to. A column whose rates are only stated adjusted shows them as its rates.
    based = [c for c in table.kolumner if any(c in row.belopp for row in table.rader)]
    touched = [c for c in based if any(a.kolumn in (None, c) for a in table.justeringar)]
    adjusted = bool(touched)
    heads = [
        table.beloppsrubrik if single and per == "h" else f"{c} (kr/{per})" for c in table.kolumner
    ]
    if adjusted:
        heads += [f"{c} justerad" if not single else "Justerad" for c in touched]
    head = (Cell(table.radrubrik, bold=True), *(Cell(h, number=True, bold=True) for h in heads))
    rows = [head]
    span = len(heads)
    for row in table.rader:
        name = ", ".join(x for x in (row.kategori, row.regi, row.tidsband) if x)
        if row.anmärkning and not row.belopp and not row.justerat:
            rows.append((Cell(name), Cell(row.anmärkning, span=span)))
            continue
        keys = [(row.kategori, row.regi, row.tidsband, c) for c in table.kolumner]
        values = [result.rates.get(k) if k[3] in based else result.adjusted.get(k) for k in keys]
        if adjusted:
            values += [
                result.adjusted.get((row.kategori, row.regi, row.tidsband, c)) for c in touched
            ]
        rows.append(
            (
                Cell(name),
                *(Cell(number(v), number=True) for v in values),
            )
        )
    rest = 3000 // len(table.kolumner) if not single else 3000
    rest = min(rest, 4500 // span) if adjusted else rest
    return Table(tuple(rows), (9000 - rest * span, *([rest] * span)))


def _rate_notes(table: RateTable) -> Blocks:
    """The adjustments and the date the rates apply from, under the table."""
    lines = [
        f"{a.rubrik}: {format_percent(a.procent)}"
        + (
            # in a sentence: 'för privat regi', as the column 'Privat regi' reads in text
            " för "
            + ", ".join(
                in_text(x) if x is a.kolumn or x is a.regi else x
                for x in (a.kategori, a.regi, a.tidsband, a.kolumn)
                if x
            )
            if a.kategori or a.regi or a.tidsband or a.kolumn
            else ""
        )
        for a in table.justeringar
    ]
    if table.gäller_från:
        lines.append(f"Nivåerna gäller från och med {format_long_date(table.gäller_från)}.")
    return _lines(lines)


def _deviation_table(table: DeviationTable, result: DeviationResult, figures: Figures) -> Table:
    money = figures.table(result.unit, given(table, table.enhet)).money
    rows: list[tuple[Cell, ...]] = [
        tuple(
            Cell(h, number=i > 0, bold=True)
            for i, h in enumerate(("År", "Budget", "Prognos", "Avvikelse"))
        )
    ]
    for year in result.years:
        rows.append(
            (
                Cell(year.year),
                Cell(money(year.budget), number=True),
                Cell(money(year.forecast), number=True),
                Cell(money(year.deviation), number=True),
            )
        )
    rows.append(
        (
            Cell("Summa budget", bold=True),
            Cell(money(result.budget_total), number=True, bold=True),
            Cell(""),
            Cell(""),
        )
    )
    for reserve in table.reserver:
        amount = reserve.belopp.resolve(table.enhet)
        rows.append(
            (
                Cell(reserve.rubrik),
                Cell(""),
                Cell(""),
                Cell(money(-amount if amount else None), number=True),
            )
        )
    for year_name, deficit in result.deficits.items():
        rows.append(
            (
                Cell(f"Underskott {year_name}", bold=True),
                Cell(""),
                Cell(""),
                Cell(money(deficit), number=True, bold=True),
            )
        )
    return Table(tuple(rows), (3000, 2000, 2000, 2000))


def _statement_table(table: TimeReport, result: StatementResult, figures: Figures) -> Table:
    rates = [line.rate for line in result.lines]
    money = figures.table(Unit.KR, [*rates, *given(table, table.enhet or Unit.KR)]).money
    head = tuple(
        Cell(h, number=i > 1, bold=True)
        for i, h in enumerate(("Enhet", "Kategori", "Timmar", "Schablon", "Ersättning"))
    )
    rows: list[tuple[Cell, ...]] = [head]
    units = list(dict.fromkeys(line.unit_name for line in result.lines))
    for unit in units:
        for line in (li for li in result.lines if li.unit_name == unit):
            rows.append(
                (
                    Cell(line.unit_name),
                    Cell(line.category),
                    Cell(format_number(line.hours, _places(line.hours)), number=True),
                    Cell(money(line.rate), number=True),
                    Cell(money(line.amount), number=True),
                )
            )
        rows.append(
            (
                Cell(f"Summa {unit}", bold=True, span=2),
                Cell(""),
                Cell(""),
                Cell(money(result.per_unit[unit]), number=True, bold=True),
            )
        )
    rows.append(
        (
            Cell("Summa ersättning", bold=True, span=2),
            Cell(""),
            Cell(""),
            Cell(money(result.total), number=True, bold=True),
        )
    )
    return Table(tuple(rows), (2400, 2100, 1100, 1500, 1900))


def _places(value: Any) -> int:
    exponent = value.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _position(organ: str, stance: str, text: str | None) -> list[Block]:
    return [paragraph(f"{organ} {stance} förslaget."), *markdown(text).items]


def _signatures(people: Sequence[Person], unit: str | None) -> Blocks:
    if not people:
        return Blocks()
    units = {p.enhet for p in people if p.enhet}
    heading = units.pop() if len(units) == 1 else unit
    cells = [
        Cell(p.namn + (f" ({p.parti})" if p.parti else "") + ("\n" + p.titel if p.titel else ""))
        for p in people
    ]
    rows = tuple(tuple(cells[i : i + 2]) for i in range(0, len(cells), 2))
    items: list[Block] = []
    if heading:
        items.append(Paragraph((Run(heading),), keep_with_next=True))
    items.append(Table(rows, (4500, 4500), borders=False, header=False))
    return Blocks(tuple(items))


def _annex_numbers(annexes: Sequence[Annex]) -> list[int]:
    return [a.nummer or i + 1 for i, a in enumerate(annexes)]


def _listing(pack: Pack) -> tuple[str, str]:
    """How the house lists its beslutsunderlag, and dates them."""
    rules = pack.config.husregler
    return rules.beslutsunderlag_som, rules.datumformat_i_text


def _dated(date: Any, style: str) -> str:
    """', 2025-03-03' or ', 3 mars 2025' after a title; ' den 3 mars 2025' runs on."""
    if not date:
        return ""
    text = format_date_as(date, style)
    return f" {text}" if style in ("den_lång", "veckodag") else f", {text}"


def _basis(
    items: Sequence[Basis], case: Case, style: str = "punktlista", dates: str = "iso"
) -> Blocks:
    lines = []
    for item in items:
        label = f"Bilaga {item.bilaga}. " if item.bilaga else ""
        date = _dated(item.datum, dates)
        ref = case.referenser.get(item.referens or "")
        cited = f", {reference_text(ref, dates)}" if ref else ""
        lines.append(f"{label}{item.titel}{date}{cited}")
    if style == "rader":
        return _lines(lines)
    return Blocks(
        tuple(paragraph(x, "List Number" if style == "numrerad" else "List Bullet") for x in lines)
    )


ANNEX_NOTES = {
    "bifogad": "",
    "protokollsbilaga": " (protokollsbilaga)",
    "beslut": "",
    "handling": " (bifogas inte)",
}


def _annexes(case: Case, dates: str = "iso") -> Blocks:
    lines = []
    for number, annex in zip(_annex_numbers(case.bilagor), case.bilagor, strict=True):
        ref = case.referenser.get(annex.referens or "")
        cited = f", {reference_text(ref, dates)}" if ref else ""
        date = _dated(annex.datum, dates)
        lines.append(f"Bilaga {number}. {annex.titel}{date}{cited}{ANNEX_NOTES[annex.slag]}")
    return _lines(lines)


def _later(decisions: Sequence[LaterDecision]) -> list[dict[str, Any]]:
    return [
        {
            "rubrik": d.rubrik,
            "text": markdown(d.text),
            "beslutsfattare": _person_line(d.beslutsfattare) if d.beslutsfattare else "",
            "datum": format_iso_date(d.datum) if d.datum else "",
        }
        for d in decisions
    ]


def _delegation_report(doc: DelegationReport) -> dict[str, Blocks]:
    """The decisions taken on delegation, and those received, each as a table."""

    def table(
        heads: tuple[str, ...],
        rows: Sequence[tuple[str, ...]],
        widths: tuple[int, ...],
        groups: Sequence[str] = (),
        named_by_group: int | None = None,
    ) -> Blocks:
        if not rows:
            return Blocks()
        used = [k for k in range(len(heads)) if any(row[k] for row in rows)]  # no empty column
        if named_by_group is not None and all(groups) and groups:
            # 'Kommundirektörens beslut' over rows of one decision-maker: not again per row
            makers = {(g, row[named_by_group]) for g, row in zip(groups, rows, strict=True)}
            if len(makers) == len(set(groups)):
                used.remove(named_by_group)
        cells = [tuple(Cell(heads[k], bold=True) for k in used)]
        grouped: dict[str, list[tuple[str, ...]]] = {}
        for group, row in zip(groups or [""] * len(rows), rows, strict=True):
            grouped.setdefault(group, []).append(row)
        for group, members in grouped.items():
            if group:  # 'Kommundirektörens beslut', across the table
                cells.append((Cell(group, bold=True, span=len(used)),))
            cells += [tuple(Cell(row[k]) for k in used) for row in members]
        shown = tuple(widths[k] for k in used)
        scale = sum(widths) / sum(shown)
        return Blocks((Table(tuple(cells), tuple(int(w * scale) for w in shown), compact=True),))

    taken = [
        (
            format_iso_date(d.datum) if d.datum else MARKS["datum"],
            d.diarienummer or "",
            _person_line(d.beslutsfattare),
            d.punkt or "",
            d.beslut,
        )
        for d in doc.beslut
    ]
    received = [
        (format_iso_date(d.datum), d.diarienummer or "", d.avsändare, d.beslut)
        for d in doc.mottagna
    ]
    return {
        "beslut": table(
            ("Datum", "Dnr", "Beslutsfattare", "Punkt", "Beslut"),
            taken,
            (1500, 1500, 2000, 900, 3100),
            [d.grupp or "" for d in doc.beslut],
            named_by_group=2,
        ),
        "mottagna": table(("Datum", "Dnr", "Från", "Beslut"), received, (1300, 1500, 2600, 3600)),
    }


def _notice(case: Case, doc: Notice, pack: Pack) -> dict[str, Any]:
    """A kallelse: when and where, and each item of the föredragningslista."""
    when = format_long_date(doc.sammanträdesdatum) + (f", kl. {doc.tid}" if doc.tid else "")
    items = []
    for number, item in enumerate(doc.ärenden, start=1):
        presenter = _person_line(item.föredragande) if item.föredragande else None
        facts = [
            labelled_number(item.diarienummer, "Dnr") if item.diarienummer else None,
            f"Föredragande: {presenter}" if presenter else None,
            f"kl. {item.tid}" if item.tid else None,
            item.till,
            f"sid. {item.sida}" if item.sida else None,
        ]
        items.append(
            {
                "nummer": item.nummer or number,
                "titel": item.titel,
                "rad": " · ".join(f for f in facts if f),
                "sammanfattning": markdown(item.sammanfattning),
                # the meeting's body speaks: 'Kommunstyrelsen föreslår kommunfullmäktige …'
                "förslag": sentences(
                    item.förslag, pack, case, speaker=doc.organ, decider=doc.organ
                ),
            }
        )
    return {
        "organ": doc.organ,
        "tid": when,
        "plats": doc.plats,
        "kallade": "\n".join(f"{m.namn} ({m.parti})" if m.parti else m.namn for m in doc.kallade),
        "övriga_kallade": "\n".join(_person_line(p) for p in doc.övriga_kallade),
        "för_kännedom": "\n".join(doc.för_kännedom),
        "ärenden": items,
    }


def _tables_of(case: Case, computed: Computed, figures: Figures) -> Callable[[Section], Blocks]:
    """The tables a section places after its text."""
    return lambda section: _tables(case, computed, figures, section.tabeller)


def _extract(
    case: Case,
    doc: Extract,
    pack: Pack,
    tables: Callable[[Section], Blocks],
    computed: Computed,
    figures: Figures,
) -> dict[str, Any]:
    headings = pack.config.rubriker
    proposal_source = doc.förslag_från
    steps = [s.organ for s in case.beslutsordning]
    # the case's proposal as far as it reaches this body (a clause decided at an earlier
    # step stopped there), in its memo's words
    reached = reaching(case.förslag_till_beslut, case, doc.organ)
    memo = memo_speaker(case)
    if doc.beslut is not None:  # taken at this meeting, unless a clause names a later body
        decided = sentences(doc.beslut, pack, case, speaker=doc.organ, decider=doc.organ)
    else:
        decided = sentences(reached, pack, case, speaker=doc.organ, author=memo)
    before = steps[steps.index(doc.organ) - 1] if doc.organ in steps[1:] else None
    if proposal_source is None and before is not None:
        proposal_source = before
    # The proposal laid before this body reads as its proposer wrote it: a body on the
    # routing from its own step ('Arbetsutskottet föreslår kommunstyrelsen besluta att'),
    # the förvaltning as its tjänsteskrivelse does (from the body it is addressed to).
    source = doc.förslag_från or before
    deciding = source in steps and not is_office(case, source or "")
    proposed = sentences(
        reached,
        pack,
        case,
        speaker=source if deciding else writer(case),
        voice="beslutar" if deciding or writer(case) else pack.config.husregler.beslutsröst,
        author=memo,
        missing=MARKS["förslag"],
    )
    # the proposer's own extract in the case, with the decision it wrote: its very words
    written = next(
        (
            d.beslut
            for d in case.handlingar
            if isinstance(d, Extract) and d.organ == source and d.beslut
        ),
        None,
    )
    if deciding and written is not None:
        proposed = sentences(written, pack, case, speaker=source, decider=source)
    ärendet = doc.ärendet or case.sammanfattning or case.bakgrund
    attestation = doc.justering
    justering_lines = []
    if attestation.done:
        justering_lines.append(
            headings.justering
            if not attestation.omedelbart
            else "Paragrafen är omedelbart justerad"
        )
    if attestation.justerare:
        justering_lines.append(
            "Justerare: " + ", ".join(_person_line(p) for p in attestation.justerare)
        )
    if attestation.datum or attestation.ort:
        justering_lines.append(
            ", ".join(
                x
                for x in (
                    attestation.ort,
                    format_date_as(attestation.datum, "iso") if attestation.datum else None,
                )
                if x
            )
        )
    if attestation.intygas_av:
        justering_lines.append("Rätt utdraget intygar: " + _person_line(attestation.intygas_av))
    return {
        "organ": doc.organ,
        "paragraf": format_paragraph(doc.paragraf) if doc.paragraf is not None else "",
        "sammanträdesdatum": format_iso_date(doc.sammanträdesdatum)
        if doc.sammanträdesdatum
        else "",
        "beslut": decided,
        **deliberation(
            doc,
            figures.money_of,
            computed.votes.get(("handlingar", case.handlingar.index(doc))),
            doc.organ,
        ),
        "ärendet": _section(ärendet, headings.ärendet, tables(ärendet)) if ärendet else None,
        "förslag_rubrik": f"{genitive(proposal_source)} förslag till beslut"
        if proposal_source
        else headings.förslag_till_beslut,
        "förslag": proposed,
        "beslutsunderlag": _basis(
            doc.beslutsunderlag
            if doc.beslutsunderlag is not None
            else [b for j, b in enumerate(case.beslutsunderlag) if j not in not_yet(case, doc)],
            case,
            *_listing(pack),
        ),
        "expedieras_till": recipients(
            doc.expedieras_till if doc.expedieras_till is not None else case.expedieras_till or []
        ),
        "justering": _lines(justering_lines),
    }


def _request(
    case: Case, doc: FundingRequest, computed: Computed, figures: Figures
) -> dict[str, Any]:
    ins = doc.insats
    cost = ins.beräknad_kostnad.resolve(None)
    return {
        "mallversion": doc.mallversion or "",
        "insats": {
            "namn": ins.namn,
            "startdatum": format_iso_date(ins.startdatum),
            "slutdatum": format_iso_date(ins.slutdatum),
            "ansvarig_förvaltning": ins.ansvarig_förvaltning,
            "kontaktperson": _person_line(ins.kontaktperson),
            "ekonom": _person_line(ins.ekonom) if ins.ekonom else "",
            "beräknad_kostnad": figures.money(cost),
        },
        **{name: markdown(getattr(doc, name)) for name in REQUEST_QUESTIONS},
        "budget": table_blocks(case, computed, figures, doc.budget),
        "fördelning": table_blocks(case, computed, figures, doc.fördelning)
        if doc.fördelning
        else Blocks(),
    }


def _compensation(
    case: Case, doc: CompensationModel, computed: Computed, figures: Figures
) -> dict[str, Any]:
    sections = [
        {
            "rubrik": s.rubrik,
            "text": markdown(s.text) + _tables(case, computed, figures, s.tabeller),
        }
        for s in doc.avsnitt
    ]
    statements = []
    for key in doc.tidrapporter:
        report = case.tabeller[key]
        assert isinstance(report, TimeReport)
        statements.append(
            {
                "rubrik": report.rubrik or f"Ersättning {report.period}",
                "period": report.period,
                "tabell": table_blocks(case, computed, figures, key, heading=False),
            }
        )
    # the rate table stands where a section lists it; else where the layout's block does
    listed = {
        key
        for s in [*doc.avsnitt, *(getattr(case, k) for k in SECTION_KEYS)]
        if s is not None
        for key in getattr(s, "tabeller", ())
    }
    return {
        "avsnitt": sections,
        "schabloner": table_blocks(case, computed, figures, doc.schabloner),
        "schabloner_här": doc.schabloner not in listed,
        "tidrapporter": statements,
        "beslutas_av": _person_line(doc.beslutas_av) if doc.beslutas_av else "",
    }


def recipients(items: Sequence[Recipient]) -> Blocks:
    """The distribution list, one per line; under 'För åtgärd' / 'För kännedom' when given."""
    if not any(r.för for r in items):
        return _lines(_addressed(r) for r in items)
    out: list[Block] = []
    for purpose, label in (("åtgärd", "För åtgärd"), ("kännedom", "För kännedom"), (None, "")):
        group = [r for r in items if r.för == purpose]
        if group:
            if label:
                out.append(Paragraph((Run(label, italic=True),), keep_with_next=True, tight=True))
            out += [paragraph(_addressed(r), tight=True) for r in group]
    return Blocks(tuple(out))


def _addressed(recipient: Recipient) -> str:
    """'Länsstyrelsen, lansstyrelsen@lst.se': an external recipient with where it is sent."""
    return f"{recipient.namn}, {recipient.epost}" if recipient.epost else recipient.namn


def _mention_text(
    case: Case, computed: Computed, figures: Figures, pack: Pack
) -> Callable[[str], str | None]:
    def table_money(key: str, value: Money) -> str:
        table = case.tabeller[key]
        shown = figures.without_unit() if table.unit_unknown else figures
        return shown.money(value)

    def text_of(key: str) -> str | None:
        annex = ANNEX_MENTION.fullmatch(key.strip())
        if annex is not None:  # checked against `bilagor` by validate
            return f"bilaga {int(annex[1])}"
        mark = prose_mark(key)
        if mark is not None:  # a fact not known yet, in a draft's prose
            return mark
        cited = citations.figure(case, computed.tables, key, table_money)
        if cited is not None:  # a figure the table proves, in the house's words
            return cited
        if key in case.referenser:
            return reference_text(case.referenser[key], pack.config.husregler.datumformat_i_text)
        item, result = case.jämförelser.get(key), computed.comparisons.get(key)
        if item is not None and result is not None:
            style = item.uttryck or pack.config.jämförelse_uttryck
            unit = item.enhet or result.change.unit
            shown = figures.table(unit, given(item, item.enhet))
            return comparison_text(item, result, shown.money, style)
        return None

    return text_of


def _motion(case: Case, heading: str) -> dict[str, Any] | None:
    motion = case.motion
    if motion is None:
        return None
    who = ", ".join(_person_line(p) for p in motion.förslagsställare)
    kind = "Motion" if motion.slag == "motion" else "Medborgarförslag"
    lead = f"{kind} från {who}"
    if motion.inkom:
        lead += f", inkommen {format_iso_date(motion.inkom)}"
    if motion.väckt_i:
        lead += f", väckt i {in_text(motion.väckt_i)}"
    items: list[Block] = [paragraph(lead + ".")]
    if motion.yrkanden:
        items.append(paragraph("Förslagsställaren föreslår att"))
        items += [paragraph(y, "List Bullet") for y in motion.yrkanden]
    answers = {
        "bifall": "bifalls",
        "delvis bifall": "bifalls delvis",
        "avslag": "avslås",
        "besvarad": "anses besvarad",
    }
    noun = "motionen" if motion.slag == "motion" else "medborgarförslaget"
    if motion.svar:
        items.append(paragraph(f"Förslaget till svar är att {noun} {answers[motion.svar]}."))
    return {"rubrik": heading, "text": Blocks(tuple(items))}


def _remiss(case: Case, computed: Computed, figures: Figures) -> dict[str, Any] | None:
    remiss = case.remiss
    if remiss is None:
        return None
    facts = [
        ("Remissinstans", remiss.avsändare),
        ("Remiss", remiss.betänkande),
        ("Er beteckning", remiss.beteckning or ""),
        ("Inkom", format_iso_date(remiss.inkom) if remiss.inkom else ""),
        ("Svar senast", format_iso_date(remiss.svar_senast)),
        ("Ställningstagande", remiss.ställning.capitalize()),
    ]
    rows = tuple((Cell(k, bold=True), Cell(v)) for k, v in facts if v)
    return {
        "fakta": Blocks((Table(rows, (3000, 6000), header=False, role="key_value"),)),
        "ställning": remiss.ställning,
        "betänkande": remiss.betänkande,
        "avsändare": remiss.avsändare,
        "svar_senast": format_iso_date(remiss.svar_senast),
        "synpunkter": [
            {
                "rubrik": s.rubrik,
                "text": markdown(s.text) + _tables(case, computed, figures, s.tabeller),
            }
            for s in remiss.synpunkter
        ],
    }


def _delegation(case: Case) -> dict[str, Any] | None:
    d = case.delegation
    if d is None:
        return None
    lines = [
        f"Beslutet är fattat av {_person_line(d.beslutsfattare)} med stöd av delegation "
        f"från {in_text(d.från)}"
        + (f", punkt {d.punkt} i delegationsordningen" if d.punkt else "")
        + (f" ({d.lagrum})" if d.lagrum else "")
        + "."
    ]
    if d.anmäls:
        lines.append(f"Beslutet anmäls till {in_text(d.från)} {format_iso_date(d.anmäls)}.")
    return {
        "text": Blocks(tuple(paragraph(x) for x in lines)),
        "beslutsfattare": _person(d.beslutsfattare),
    }


def _minutes(
    case: Case, doc: Minutes, index: int, pack: Pack, computed: Computed, figures: Figures
) -> dict[str, Any]:
    items = []
    for j, item in enumerate(doc.paragrafer):
        parts = deliberation(
            item,
            figures.money_of,
            computed.votes.get(("handlingar", index, "paragrafer", j)),
            doc.organ,
        )
        ärendet = _section(item.ärendet, pack.config.rubriker.ärendet) if item.ärendet else None
        items.append(
            {
                "paragraf": format_paragraph(item.paragraf),
                "titel": item.titel or "",
                "diarienummer": item.diarienummer or "",
                "ärendet": ärendet,
                "förslag_rubrik": f"{genitive(item.förslag_från)} förslag till beslut"
                if item.förslag_från
                else pack.config.rubriker.förslag_till_beslut,
                # the proposal laid before the meeting, worded as its decision would be
                "förslag": sentences(
                    item.förslag, pack, case, decider=doc.organ, missing=MARKS["förslag"]
                )
                if item.förslag
                else Blocks(),
                "beslut": sentences(item.beslut, pack, case, speaker=doc.organ, decider=doc.organ)
                if item.beslut
                else Blocks(),
                **parts,
                "beslutsunderlag": _basis(item.beslutsunderlag, case, *_listing(pack)),
                "expedieras_till": recipients(item.expedieras_till),
                "omedelbart_justerad": "Paragrafen förklaras omedelbart justerad."
                if item.omedelbart_justerad
                else "",
            }
        )
    return {
        "organ": doc.organ,
        **frame(doc.sammanträde, doc.paragrafer, pack.config.husregler.en_person_per_rad),
        "ärenden": items,
    }
