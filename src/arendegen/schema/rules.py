"""Domain rules the field types cannot express: references, dates, units, required parts.

Each rule yields `Finding`s: a key path, a Swedish message and a severity. They run on
a case that has passed the schema, before anything is computed.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import get_args

from arendegen.diagnostics import KeyPath, Severity
from arendegen.formatting import format_number
from arendegen.money import Amount, decimals_of
from arendegen.schema.case import SECTION_KEYS, Case
from arendegen.schema.common import Section
from arendegen.schema.documents import (
    CompensationModel,
    DeviationMemorandum,
    Extract,
    FundingRequest,
    Memorandum,
)
from arendegen.schema.tables import (
    BudgetTable,
    DeviationTable,
    DistributionTable,
    RateTable,
    TableBase,
    TimeReport,
)

WARNING = Severity.WARNING


@dataclass(frozen=True)
class Finding:
    """One broken rule, at a key path."""

    path: KeyPath
    message: str
    severity: Severity = Severity.ERROR


def check(
    case: Case,
    *,
    diarienummer_pattern: str | None = None,
    examples: Iterable[str] = (),
    required: Mapping[str, Iterable[str]] | None = None,
    pack_name: str = "",
) -> list[Finding]:
    """Every rule, over the whole case; `required` names the sections each kind must have."""
    findings = [
        *_required_sections(case, required or {}, pack_name),
        *_header(case, diarienummer_pattern, list(examples)),
        *_documents(case),
        *_annexes(case),
        *_sections(case),
    ]
    for key, table in case.tabeller.items():
        findings.extend(_table(case, key, table))
    return findings


def _required_sections(
    case: Case, required: Mapping[str, Iterable[str]], pack: str
) -> Iterator[Finding]:
    for i, doc in enumerate(case.handlingar):
        for name in required.get(doc.typ, ()):
            if getattr(case, name, None) is None:
                yield Finding(
                    ("handlingar", i, "typ"),
                    f"mallen '{pack}' kräver avsnittet `{name}` i en handling av typen {doc.typ}",
                )


def _header(case: Case, pattern: str | None, examples: list[str]) -> Iterator[Finding]:
    if case.diarienummer is None:
        yield Finding(("titel",), "ärendet har inget diarienummer", WARNING)
    elif pattern and not re.fullmatch(pattern, case.diarienummer):
        shown = f", t.ex. {', '.join(examples)}" if examples else ""
        yield Finding(
            ("diarienummer",),
            f"'{case.diarienummer}' följer inte mallens mönster för diarienummer ({pattern}){shown}",
        )
    if case.datum is None:
        yield Finding(("titel",), "ärendet har inget datum", WARNING)
    if case.förslag_till_beslut is not None and not case.förslag_till_beslut.att:
        yield Finding(("förslag_till_beslut", "att"), "förslaget till beslut har ingen att-sats")
    if case.expedieras_till == []:
        yield Finding(
            ("expedieras_till",), "sändlistan är tom; ta bort nyckeln eller fyll i mottagare"
        )


def _documents(case: Case) -> Iterator[Finding]:
    seen: dict[str, int] = {}
    for i, doc in enumerate(case.handlingar):
        path: KeyPath = ("handlingar", i)
        ident = doc.id or doc.typ
        if ident in seen:
            yield Finding(
                (*path, "id" if doc.id else "typ"),
                f"två handlingar heter '{ident}' (även handlingar[{seen[ident]}]); "
                "ge den ena ett eget `id`",
            )
        seen.setdefault(ident, i)
        if isinstance(doc, Memorandum | DeviationMemorandum) and case.förslag_till_beslut is None:
            yield Finding(path, f"en {doc.typ} behöver ärendets förslag_till_beslut")
        if isinstance(doc, DeviationMemorandum):
            yield from _reference(case, (*path, "avvikelse"), doc.avvikelse, DeviationTable)
        if isinstance(doc, Extract):
            yield from _extract(case, doc, path)
        if isinstance(doc, FundingRequest):
            yield from _funding(case, doc, path)
        if isinstance(doc, CompensationModel):
            yield from _reference(case, (*path, "schabloner"), doc.schabloner, RateTable)
            for j, key in enumerate(doc.tidrapporter):
                yield from _reference(case, (*path, "tidrapporter", j), key, TimeReport)


def _extract(case: Case, doc: Extract, path: KeyPath) -> Iterator[Finding]:
    decision = doc.beslut or case.förslag_till_beslut
    if decision is None:
        yield Finding(
            path,
            "protokollsutdraget har inget beslut: ange `beslut` eller ärendets förslag_till_beslut",
        )
    elif not decision.att:
        yield Finding((*path, "beslut", "att"), "beslutet har ingen att-sats")
    if doc.paragraf is None:
        yield Finding((*path, "paragraf"), "paragrafnumret är inte angivet", WARNING)
    elif doc.paragraf < 1:
        yield Finding(
            (*path, "paragraf"), f"paragrafnumret måste vara positivt, inte {doc.paragraf}"
        )
    if not doc.justering.justerad:
        yield Finding(
            (*path, "justering", "justerad"), "utdraget är ur ett ojusterat protokoll", WARNING
        )
    if doc.sammanträdesdatum is None:
        yield Finding((*path, "organ"), "protokollsutdraget har inget sammanträdesdatum", WARNING)
    if doc.expedieras_till == []:
        yield Finding((*path, "expedieras_till"), "sändlistan är tom")
    if doc.expedieras_till is None and not case.expedieras_till:
        yield Finding(
            (*path, "typ"), "protokollsutdraget har ingen sändlista (expedieras_till)", WARNING
        )


def _funding(case: Case, doc: FundingRequest, path: KeyPath) -> Iterator[Finding]:
    ins = doc.insats
    if ins.startdatum > ins.slutdatum:
        yield Finding(
            (*path, "insats", "slutdatum"),
            f"slutdatum {ins.slutdatum.isoformat()} ligger före startdatum {ins.startdatum.isoformat()}",
        )
    if ins.beräknad_kostnad.unit is None:
        yield _no_unit((*path, "insats", "beräknad_kostnad"), ins.beräknad_kostnad, in_table=False)
    yield from _reference(case, (*path, "budget"), doc.budget, BudgetTable)
    if doc.fördelning is not None:
        yield from _reference(case, (*path, "fördelning"), doc.fördelning, DistributionTable)


def _reference(case: Case, path: KeyPath, key: str, kind: type[TableBase]) -> Iterator[Finding]:
    table = case.tabeller.get(key)
    expected = " eller ".join(get_args(kind.model_fields["typ"].annotation))
    if table is None:
        yield Finding(path, _unknown("tabell", key, case.tabeller))
    elif not isinstance(table, kind):
        yield Finding(
            path, f"tabellen '{key}' är av typen {table.typ}, men här behövs typen {expected}"
        )


def _unknown(what: str, key: str, known: Iterable[str]) -> str:
    names = sorted(known)
    close = difflib.get_close_matches(key, names, n=1)
    if close:
        return f"det finns ingen {what} '{key}'; menade du '{close[0]}'?"
    listed = ", ".join(names) if names else "inga"
    return f"det finns ingen {what} '{key}' (det finns: {listed})"


def _annexes(case: Case) -> Iterator[Finding]:
    numbers: dict[int, int] = {}
    for i, annex in enumerate(case.bilagor):
        number = annex.nummer or i + 1
        if number in numbers:
            yield Finding(("bilagor", i, "nummer"), f"två bilagor har nummer {number}")
        numbers[number] = i
        if annex.handling is not None:
            idents = {d.id or d.typ for d in case.handlingar}
            if annex.handling not in idents:
                yield Finding(
                    ("bilagor", i, "handling"), _unknown("handling", annex.handling, idents)
                )
    refs: list[tuple[KeyPath, int]] = [
        (("beslutsunderlag", i, "bilaga"), b.bilaga)
        for i, b in enumerate(case.beslutsunderlag)
        if b.bilaga
    ]
    refs += [
        (("handlingar", i, "bilaga"), d.bilaga) for i, d in enumerate(case.handlingar) if d.bilaga
    ]
    if case.förslag_till_beslut:
        refs += [
            (("förslag_till_beslut", "att", i, "bilaga"), c.bilaga)
            for i, c in enumerate(case.förslag_till_beslut.att)
            if c.bilaga
        ]
    for path, number in refs:
        if number not in numbers:
            yield Finding(path, f"det finns ingen Bilaga {number} under `bilagor`")


def _sections(case: Case) -> Iterator[Finding]:
    named: list[tuple[KeyPath, Section | None]] = [
        ((name,), getattr(case, name)) for name in SECTION_KEYS
    ]
    for i, doc in enumerate(case.handlingar):
        if isinstance(doc, Extract):
            named.append((("handlingar", i, "ärendet"), doc.ärendet))
        if isinstance(doc, CompensationModel):
            named += [(("handlingar", i, "avsnitt", j), s) for j, s in enumerate(doc.avsnitt)]
    for path, section in named:
        if section is None:
            continue
        for j, key in enumerate(section.tabeller):
            if key not in case.tabeller:
                yield Finding((*path, "tabeller", j), _unknown("tabell", key, case.tabeller))


def _no_unit(path: KeyPath, amount: Amount, *, in_table: bool = True) -> Finding:
    typed = format_number(amount.number, decimals_of(amount.number)).replace("\u00a0", " ")
    where = ", eller ange tabellens `enhet`" if in_table else ""
    return Finding(path, f"'{typed}' saknar enhet; skriv t.ex. '{typed} kr'{where}")


def _amounts_need_unit(
    table: TableBase, items: Iterable[tuple[KeyPath, Amount]]
) -> Iterator[Finding]:
    if table.enhet is not None:
        return
    for path, amount in items:
        if amount.unit is None:
            yield _no_unit(path, amount)


def _table(case: Case, key: str, table: object) -> Iterator[Finding]:
    path: KeyPath = ("tabeller", key)
    if isinstance(table, BudgetTable):
        yield from _budget(table, path)
    elif isinstance(table, DistributionTable):
        items = [
            ((*path, "grupper", i, "poster", j, "belopp"), p.belopp)
            for i, g in enumerate(table.grupper)
            for j, p in enumerate(g.poster)
        ]
        items += [
            ((*path, "grupper", i, "summa"), g.summa)
            for i, g in enumerate(table.grupper)
            if g.summa
        ]
        if table.summa:
            items.append(((*path, "summa"), table.summa))
        yield from _amounts_need_unit(table, items)
        if not table.grupper:
            yield Finding((*path, "grupper"), "fördelningen har inga grupper")
        for i, group in enumerate(table.grupper):
            if not group.poster:
                yield Finding((*path, "grupper", i, "poster"), "gruppen har inga poster")
    elif isinstance(table, RateTable):
        yield from _rates(table, path)
    elif isinstance(table, TimeReport):
        yield from _time_report(case, table, path)
    elif isinstance(table, DeviationTable):
        yield from _deviation(table, path)
    if (
        isinstance(table, TableBase)
        and table.tolerans is not None
        and table.tolerans.unit is None
        and not table.enhet
    ):
        yield _no_unit((*path, "tolerans"), table.tolerans)


def _budget(table: BudgetTable, path: KeyPath) -> Iterator[Finding]:
    if not table.kolumner:
        yield Finding((*path, "kolumner"), "tabellen har inga kolumner")
    if not table.rader:
        yield Finding((*path, "rader"), "tabellen har inga rader")
    yield from _duplicates(table.kolumner, (*path, "kolumner"), "kolumnen")
    items: list[tuple[KeyPath, Amount]] = []
    for i, row in enumerate(table.rader):
        for col, amount in row.belopp.items():
            items.append(((*path, "rader", i, "belopp", col), amount))
            if col not in table.kolumner:
                yield Finding(
                    (*path, "rader", i, "belopp", col), _unknown("kolumn", col, table.kolumner)
                )
        if row.summa:
            items.append(((*path, "rader", i, "summa"), row.summa))
    for col, amount in table.kolumnsummor.items():
        items.append(((*path, "kolumnsummor", col), amount))
        if col not in table.kolumner:
            yield Finding((*path, "kolumnsummor", col), _unknown("kolumn", col, table.kolumner))
    if table.summa:
        items.append(((*path, "summa"), table.summa))
    yield from _amounts_need_unit(table, items)
    if table.rader and not any(row.belopp for row in table.rader):
        yield Finding((*path, "rader"), "tabellen har inga belopp", WARNING)


def _duplicates(values: list[str], path: KeyPath, what: str) -> Iterator[Finding]:
    seen: set[str] = set()
    for i, value in enumerate(values):
        if value in seen:
            yield Finding((*path, i), f"{what} '{value}' finns två gånger")
        seen.add(value)


def _rates(table: RateTable, path: KeyPath) -> Iterator[Finding]:
    yield from _duplicates(table.kolumner, (*path, "kolumner"), "kolumnen")
    yield from _duplicates([r.kategori for r in table.rader], (*path, "rader"), "kategorin")
    for i, row in enumerate(table.rader):
        for col, amount in row.belopp.items():
            if col not in table.kolumner:
                yield Finding(
                    (*path, "rader", i, "belopp", col), _unknown("kolumn", col, table.kolumner)
                )
            if amount.number < 0:
                yield Finding(
                    (*path, "rader", i, "belopp", col), "en schablon kan inte vara negativ"
                )
        if not row.belopp and row.anmärkning is None:
            yield Finding((*path, "rader", i), "kategorin har varken belopp eller anmärkning")


def _time_report(case: Case, table: TimeReport, path: KeyPath) -> Iterator[Finding]:
    rates = case.tabeller.get(table.schabloner)
    if not isinstance(rates, RateTable):
        yield from _reference(case, (*path, "schabloner"), table.schabloner, RateTable)
        return
    if table.år not in rates.kolumner:
        close = difflib.get_close_matches(table.år, rates.kolumner, n=1)
        hint = f"; menade du '{close[0]}'?" if close else ""
        yield Finding(
            (*path, "år"),
            f"schablontabellen '{table.schabloner}' har ingen kolumn '{table.år}'{hint}",
        )
        return
    by_category = {r.kategori: r for r in rates.rader}
    for i, row in enumerate(table.rader):
        rate_row = by_category.get(row.kategori)
        if rate_row is None:
            yield Finding(
                (*path, "rader", i, "kategori"), _unknown("kategori", row.kategori, by_category)
            )
        elif table.år not in rate_row.belopp:
            yield Finding(
                (*path, "rader", i, "kategori"),
                f"kategorin '{row.kategori}' har ingen schablon för {table.år} i '{table.schabloner}'",
            )
        if row.timmar < 0:
            yield Finding((*path, "rader", i, "timmar"), "antalet timmar kan inte vara negativt")


def _deviation(table: DeviationTable, path: KeyPath) -> Iterator[Finding]:
    items: list[tuple[KeyPath, Amount]] = []
    for i, year in enumerate(table.år):
        items.append(((*path, "år", i, "budget"), year.budget))
        if year.prognos is not None and year.prognos_över_budget is not None:
            yield Finding(
                (*path, "år", i), "ange antingen prognos eller prognos_över_budget, inte båda"
            )
        for name in ("prognos", "prognos_över_budget"):
            amount = getattr(year, name)
            if amount is not None:
                items.append(((*path, "år", i, name), amount))
    yield from _duplicates([y.år for y in table.år], (*path, "år"), "året")
    items += [((*path, "reserver", i, "belopp"), r.belopp) for i, r in enumerate(table.reserver)]
    if table.underskott is not None:
        items.append(((*path, "underskott", "belopp"), table.underskott.belopp))
        known = {y.år: y for y in table.år}
        declared = known.get(table.underskott.år)
        if declared is None:
            yield Finding((*path, "underskott", "år"), _unknown("år", table.underskott.år, known))
        elif declared.prognos is None and declared.prognos_över_budget is None:
            yield Finding(
                (*path, "underskott", "år"),
                f"året {declared.år} har ingen prognos att räkna underskottet från",
            )
    yield from _amounts_need_unit(table, items)
