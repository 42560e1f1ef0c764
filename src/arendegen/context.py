"""Case + computed figures → what a template sees: formatted text, labels and blocks.

Everything a template may use is a key of the dict `document_context` returns, the same
keys for every kind of document (unused ones are None), so a pack can be checked against
CONTEXT_KEYS before anything is rendered. Numbers are formatted here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from arendegen.blocks import Block, Blocks, Cell, Paragraph, Run, Table, blocks, markdown, paragraph
from arendegen.compute import (
    BudgetResult,
    Computed,
    DeviationResult,
    DistributionResult,
    RateResult,
    StatementResult,
)
from arendegen.formatting import (
    format_iso_date,
    format_long_date,
    format_money,
    format_number,
    format_paragraph,
    genitive,
)
from arendegen.money import Money, Unit
from arendegen.packs import Pack, logo_path
from arendegen.schema import Case
from arendegen.schema.case import SECTION_KEYS
from arendegen.schema.common import Annex, Basis, LaterDecision, Person, Proposal, Section
from arendegen.schema.documents import (
    CompensationModel,
    DeviationMemorandum,
    Document,
    DocumentBase,
    Extract,
    FundingRequest,
)
from arendegen.schema.tables import (
    BudgetTable,
    DeviationTable,
    DistributionTable,
    RateTable,
    TimeReport,
)

CONTEXT_KEYS = frozenset(
    {
        "org",
        "dokument",
        "handläggare",
        "mottagare",
        "rubriker",
        "förslag",
        "avsnitt",
        "ställningstaganden",
        "beredningsansvariga",
        "underskrifter",
        "beslutsunderlag",
        "bilagor",
        "expedieras_till",
        "efterföljande_beslut",
        "protokoll",
        "förfrågan",
        "ersättning",
        "logo",
    }
)
"""The top-level names a template may use."""

STYLES = (
    "Normal",
    "Heading 2",
    "Heading 3",
    "List Bullet",
    "List Bullet 2",
    "List Number",
    "List Number 2",
    "Table Grid",
)
"""Paragraph and table styles the generated blocks use; every template must define them."""


@dataclass(frozen=True)
class Logo:
    """An image the renderer places where the template says `{{ logo }}`."""

    path: Path
    height_mm: int


class Figures:
    """Formats money the way one organisation writes it."""

    def __init__(self, pack: Pack) -> None:
        self.labels = pack.config.unit_labels

    def money(self, value: Money | None) -> str:
        return "" if value is None else format_money(value, labels=self.labels)

    def number(self, value: Money | None, unit: Unit) -> str:
        """The amount in `unit`, without the unit (for tables that name it in the header)."""
        if value is None:
            return ""
        shown = value if value.unit is unit else value.as_unit(unit)
        return format_number(shown.in_unit, shown.decimals)


def document_context(case: Case, computed: Computed, pack: Pack, index: int) -> dict[str, Any]:
    """Everything the template of `case.handlingar[index]` sees."""
    doc = case.handlingar[index]
    figures = Figures(pack)
    headings = pack.config.rubriker
    context: dict[str, Any] = {key: None for key in CONTEXT_KEYS}
    context.update(
        org={
            "namn": case.organisation or pack.config.organisation,
            "förvaltning": case.förvaltning or "",
            "avdelning": case.avdelning or "",
        },
        dokument=_document(case, doc, pack),
        handläggare=_person(case.handläggare),
        mottagare=case.mottagare or "",
        rubriker=headings.model_dump(),
        förslag=_proposal(case.förslag_till_beslut, pack),
        avsnitt=_sections(case, computed, figures, doc, headings.model_dump()),
        ställningstaganden=blocks(
            *(p for s in case.ställningstaganden for p in _position(s.organ, s.ställning, s.text))
        ),
        beredningsansvariga=_list(_person_line(p) for p in case.beredningsansvariga),
        underskrifter=_signatures(
            case.underskrifter or pack.config.underskrifter, case.förvaltning
        ),
        beslutsunderlag=_basis(case.beslutsunderlag, case.bilagor),
        bilagor=_annexes(case.bilagor),
        expedieras_till=_lines(case.expedieras_till or []),
        efterföljande_beslut=_later(getattr(doc, "efterföljande_beslut", [])),
    )
    logo = logo_path(pack)
    if logo is not None:
        context["logo"] = Logo(logo, pack.config.logo_höjd_mm)
    if isinstance(doc, Extract):
        context["protokoll"] = _extract(case, doc, pack, _tables_of(case, computed, figures))
    if isinstance(doc, FundingRequest):
        context["förfrågan"] = _request(case, doc, computed, figures)
    if isinstance(doc, CompensationModel):
        context["ersättning"] = _compensation(case, doc, computed, figures)
    return context


def _document(case: Case, doc: Document, pack: Pack) -> dict[str, str]:
    date = doc.datum or case.datum
    names = pack.config.dokumentnamn.model_dump()
    return {
        "typ": names[doc.typ],
        "titel": doc.titel or case.titel,
        "diarienummer": case.diarienummer or "",
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


def _proposal(proposal: Proposal | None, pack: Pack) -> Blocks:
    if proposal is None:
        return Blocks()
    lead = f"{proposal.organ} {proposal.verb}"
    clauses = [c.text + (f" (bilaga {c.bilaga})" if c.bilaga else "") for c in proposal.att]
    if len(clauses) == 1 and not pack.config.att_som_lista:
        return blocks(paragraph(f"{lead} {clauses[0]}"))
    return blocks(paragraph(lead), *(paragraph(c, "List Bullet") for c in clauses))


def _section(
    section: Section | None, default_heading: str, extra: Blocks | None = None
) -> dict[str, Any] | None:
    extra = extra or Blocks()
    if section is None and not extra:
        return None
    heading = section.rubrik if section and section.rubrik else default_heading
    text = markdown(section.text if section else None)
    return {"rubrik": heading, "text": text + extra}


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
    return result


def _tables(case: Case, computed: Computed, figures: Figures, keys: Sequence[str]) -> Blocks:
    out = Blocks()
    for key in keys:
        out = out + table_blocks(case, computed, figures, key)
    return out


def table_blocks(case: Case, computed: Computed, figures: Figures, key: str) -> Blocks:
    """The heading, text and table of one of the case's tables."""
    table = case.tabeller[key]
    result = computed.tables.get(key)
    items: list[Block] = []
    if table.rubrik:
        items.append(Paragraph((Run(table.rubrik, bold=True),), keep_with_next=True))
    items += markdown(table.text).items
    if isinstance(table, BudgetTable) and isinstance(result, BudgetResult):
        items.append(_budget_table(table, result, figures))
    elif isinstance(table, DistributionTable) and isinstance(result, DistributionResult):
        items.append(_distribution_table(table, result, figures))
    elif isinstance(table, RateTable) and isinstance(result, RateResult):
        items.append(_rate_table(table, result))
    elif isinstance(table, DeviationTable) and isinstance(result, DeviationResult):
        items.append(_deviation_table(table, result, figures))
    elif isinstance(table, TimeReport) and isinstance(result, StatementResult):
        items.append(_statement_table(table, result, figures))
    return Blocks(tuple(items))


def _budget_table(table: BudgetTable, result: BudgetResult, figures: Figures) -> Table:
    unit = result.unit
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
                *(Cell(figures.number(cells.get(c), unit), number=True) for c in table.kolumner),
                Cell(figures.number(row_sum, unit), number=True),
            )
        )
    rows.append(
        (
            Cell(table.summarad, bold=True),
            *(
                Cell(figures.number(_nonzero(result, c), unit), number=True, bold=True)
                for c in table.kolumner
            ),
            Cell(figures.number(result.total, unit), number=True, bold=True),
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
    rows: list[tuple[Cell, ...]] = [
        (Cell("Mottagare", bold=True), Cell("Belopp", number=True, bold=True))
    ]
    for group, computed in zip(table.grupper, result.groups, strict=True):
        if group.rubrik:
            rows.append((Cell(group.rubrik, bold=True, span=2),))
        for item, amount in zip(group.poster, computed.amounts, strict=True):
            rows.append((Cell(item.mottagare), Cell(figures.money(amount), number=True)))
        if group.summarad:
            rows.append(
                (
                    Cell(group.summarad, bold=True),
                    Cell(figures.money(computed.subtotal), number=True, bold=True),
                )
            )
    rows.append(
        (Cell(table.summarad, bold=True), Cell(figures.money(result.total), number=True, bold=True))
    )
    return Table(tuple(rows), (6000, 3000))


def _rate_table(table: RateTable, result: RateResult) -> Table:
    single = len(table.kolumner) == 1
    head = (
        Cell(table.radrubrik, bold=True),
        *(
            Cell(table.beloppsrubrik if single else f"{c} (kr/h)", number=True, bold=True)
            for c in table.kolumner
        ),
    )
    rows = [head]
    for row in table.rader:
        if row.anmärkning and not row.belopp:
            rows.append((Cell(row.kategori), Cell(row.anmärkning, span=len(table.kolumner))))
            continue
        values = [result.rates.get((row.kategori, c)) for c in table.kolumner]
        rows.append(
            (
                Cell(row.kategori),
                *(
                    Cell(format_number(v.in_unit, v.decimals) if v else "", number=True)
                    for v in values
                ),
            )
        )
    rest = 3000 // len(table.kolumner) if not single else 3000
    return Table(tuple(rows), (6000, *([rest] * len(table.kolumner))))


def _deviation_table(table: DeviationTable, result: DeviationResult, figures: Figures) -> Table:
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
                Cell(figures.money(year.budget), number=True),
                Cell(figures.money(year.forecast), number=True),
                Cell(figures.money(year.deviation), number=True),
            )
        )
    rows.append(
        (
            Cell("Summa budget", bold=True),
            Cell(figures.money(result.budget_total), number=True, bold=True),
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
                Cell(figures.money(-amount if amount else None), number=True),
            )
        )
    for year_name, deficit in result.deficits.items():
        rows.append(
            (
                Cell(f"Underskott {year_name}", bold=True),
                Cell(""),
                Cell(""),
                Cell(figures.money(deficit), number=True, bold=True),
            )
        )
    return Table(tuple(rows), (3000, 2000, 2000, 2000))


def _statement_table(table: TimeReport, result: StatementResult, figures: Figures) -> Table:
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
                    Cell(figures.money(line.rate), number=True),
                    Cell(figures.money(_kr(line.amount)), number=True),
                )
            )
        rows.append(
            (
                Cell(f"Summa {unit}", bold=True),
                Cell(""),
                Cell(""),
                Cell(""),
                Cell(figures.money(_kr(result.per_unit[unit])), number=True, bold=True),
            )
        )
    rows.append(
        (
            Cell("Summa ersättning", bold=True),
            Cell(""),
            Cell(""),
            Cell(""),
            Cell(figures.money(_kr(result.total)), number=True, bold=True),
        )
    )
    return Table(tuple(rows), (2600, 2200, 1200, 1400, 1600))


def _kr(value: Money) -> Money:
    """Kronor with öre when there are any: 16 687,50 kr."""
    return Money(
        value.kronor, Unit.KR, 2 if value.kronor != value.kronor.to_integral_value() else 0
    )


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


def _basis(items: Sequence[Basis], annexes: Sequence[Annex]) -> Blocks:
    lines = []
    for item in items:
        label = f"Bilaga {item.bilaga}. " if item.bilaga else ""
        date = f", {format_iso_date(item.datum)}" if item.datum else ""
        lines.append(f"{label}{item.titel}{date}")
    return _list(lines)


def _annexes(annexes: Sequence[Annex]) -> Blocks:
    return _lines(
        f"Bilaga {n}. {a.titel}" for n, a in zip(_annex_numbers(annexes), annexes, strict=True)
    )


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


def _tables_of(case: Case, computed: Computed, figures: Figures) -> Callable[[Section], Blocks]:
    """The tables a section places after its text."""
    return lambda section: _tables(case, computed, figures, section.tabeller)


def _extract(
    case: Case, doc: Extract, pack: Pack, tables: Callable[[Section], Blocks]
) -> dict[str, Any]:
    decision = doc.beslut or case.förslag_till_beslut
    headings = pack.config.rubriker
    proposal_source = doc.förslag_från
    reservations: list[Block] = []
    for r in doc.reservationer:
        text = f"{r.ledamot} ({r.parti}) reserverar sig mot {r.mot}"
        if r.motivering:
            reservations.append(paragraph(f"{text} med följande motivering:"))
            reservations += markdown(r.motivering).items
        else:
            reservations.append(paragraph(text.rstrip(".") + "."))
    ärendet = doc.ärendet or case.sammanfattning or case.bakgrund
    attestation = doc.justering
    justering_lines = []
    if attestation.justerad:
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
                    format_iso_date(attestation.datum) if attestation.datum else None,
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
        "beslut": _proposal(decision, pack),
        "reservationer": Blocks(tuple(reservations)),
        "ärendet": _section(ärendet, headings.ärendet, tables(ärendet)) if ärendet else None,
        "förslag_rubrik": f"{genitive(proposal_source)} förslag till beslut"
        if proposal_source
        else headings.förslag_till_beslut,
        "förslag": _proposal(case.förslag_till_beslut, pack),
        "beslutsgång": markdown(doc.beslutsgång),
        "beslutsunderlag": _basis(
            doc.beslutsunderlag if doc.beslutsunderlag is not None else case.beslutsunderlag,
            case.bilagor,
        ),
        "expedieras_till": _lines(
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
        **{
            name: markdown(getattr(doc, name))
            for name in (
                "syfte",
                "mål",
                "aktiviteter",
                "tidsplan",
                "samverkan",
                "delaktighet",
                "uppföljning",
                "effekter",
                "långsiktig_finansiering",
                "övrigt",
            )
        },
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
                "tabell": table_blocks(case, computed, figures, key),
            }
        )
    return {
        "avsnitt": sections,
        "schabloner": table_blocks(case, computed, figures, doc.schabloner),
        "tidrapporter": statements,
        "beslutas_av": _person_line(doc.beslutas_av) if doc.beslutas_av else "",
    }
