"""Domain rules the field types cannot express: references, dates, units, required parts.

Each rule yields `Finding`s: a key path, a Swedish message and the rule's code and
severity (arendegen.codes). They run on a case that has passed the schema, before anything
is computed.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Mapping
from typing import get_args

from arendegen import codes
from arendegen.diagnostics import KeyPath
from arendegen.money import Amount
from arendegen.patterns import full_match
from arendegen.schema.case import SECTION_KEYS, Case
from arendegen.schema.common import Section
from arendegen.schema.documents import (
    CompensationModel,
    DeviationMemorandum,
    Extract,
    FundingRequest,
    Memorandum,
    Minutes,
    Notice,
    a_kind,
)
from arendegen.schema.findings import (
    Finding,
    amounts_need_unit,
    duplicates,
    no_unit,
    unknown,
)
from arendegen.schema.gaps import findings as gap_findings
from arendegen.schema.rules_matters import (
    follow_up_rules,
    grid_rules,
    investment_rules,
    matters,
)
from arendegen.schema.rules_meeting import deliberation, minutes
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
        *matters(case),
        *gap_findings(case),
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
                    codes.REQUIRED_SECTION,
                )


def _header(case: Case, pattern: str | None, examples: list[str]) -> Iterator[Finding]:
    # a protocol or a kallelse covers many matters, not one with a diarienummer
    only_minutes = bool(case.handlingar) and all(
        isinstance(d, Minutes | Notice) for d in case.handlingar
    )
    if case.diarienummer is None:
        if not only_minutes:
            yield Finding(("titel",), "ärendet har inget diarienummer", codes.NO_DIARIENUMMER)
    elif pattern and not full_match(pattern, case.diarienummer):
        shown = f", t.ex. {', '.join(examples)}" if examples else ""
        yield Finding(
            ("diarienummer",),
            f"'{case.diarienummer}' följer inte mallens mönster för diarienummer ({pattern}){shown}",
            codes.DIARIENUMMER_PATTERN,
        )
    if case.datum is None and any(d.own_date is None for d in case.handlingar):
        # a document dated by itself (an extract, a protocol: the meeting) needs no case date
        yield Finding(("titel",), "ärendet har inget datum", codes.NO_DATE)
    proposal = case.förslag_till_beslut
    if proposal is not None and not proposal.att and not proposal.enligt and not proposal.okänd:
        yield Finding(
            ("förslag_till_beslut", "att"), "förslaget till beslut har ingen att-sats", codes.NO_ATT
        )
    if case.expedieras_till == []:
        yield Finding(
            ("expedieras_till",),
            "sändlistan är tom; ta bort nyckeln eller fyll i mottagare",
            codes.EMPTY_DISTRIBUTION,
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
                codes.DOCUMENT_TWICE,
            )
        seen.setdefault(ident, i)
        if isinstance(doc, Memorandum | DeviationMemorandum) and case.förslag_till_beslut is None:
            yield Finding(
                path,
                f"{a_kind(doc.typ)} behöver ärendets förslag_till_beslut",
                codes.NEEDS_PROPOSAL,
            )
        if isinstance(doc, DeviationMemorandum):
            yield from _reference(case, (*path, "avvikelse"), doc.avvikelse, DeviationTable)
        if isinstance(doc, Extract):
            yield from _extract(case, doc, path)
        if isinstance(doc, FundingRequest):
            yield from _funding(case, doc, path)
        if isinstance(doc, Minutes):
            yield from minutes(doc.sammanträde, doc.paragrafer, path, _annex_set(case))
            yield from _agenda_items(case, doc, path)
        if isinstance(doc, CompensationModel):
            yield from _reference(case, (*path, "schabloner"), doc.schabloner, RateTable)
            for j, key in enumerate(doc.tidrapporter):
                yield from _reference(case, (*path, "tidrapporter", j), key, TimeReport)


def _agenda_items(case: Case, doc: Minutes, path: KeyPath) -> Iterator[Finding]:
    """Each paragraph's `ärende` is an item on the case's one kallelse."""
    for i, paragraph in enumerate(doc.paragrafer):
        if paragraph.titel is None and paragraph.ärende is None:
            yield Finding(
                (*path, "paragrafer", i),
                "paragrafen har ingen rubrik: ange `titel`, eller `ärende` med dess nummer på "
                "kallelsens föredragningslista",
                codes.ITEM_WITHOUT_HEADING,
            )
    named = [(i, p.ärende) for i, p in enumerate(doc.paragrafer) if p.ärende is not None]
    if not named:
        return
    notices = [d for d in case.handlingar if isinstance(d, Notice)]
    if len(notices) != 1:
        where = (*path, "paragrafer", named[0][0], "ärende")
        yield Finding(
            where,
            "`ärende` hämtar från ärendets kallelse, men ärendet har "
            + ("ingen kallelse" if not notices else f"{len(notices)} kallelser"),
            codes.AGENDA_NO_NOTICE,
        )
        return
    numbers = [item.nummer or n for n, item in enumerate(notices[0].ärenden, start=1)]
    for i, number in named:
        if number not in numbers:
            span = f"{min(numbers)}–{max(numbers)}" if numbers else "inga"
            yield Finding(
                (*path, "paragrafer", i, "ärende"),
                f"kallelsens föredragningslista har inget ärende {number} (den har {span})",
                codes.AGENDA_NO_ITEM,
            )


def _extract(case: Case, doc: Extract, path: KeyPath) -> Iterator[Finding]:
    decision = doc.beslut or case.förslag_till_beslut
    if decision is None:  # an information item's extract records no decision
        yield Finding(
            path,
            "protokollsutdraget har inget beslut, och inget skrivs; är det inte ett "
            "informationsärende, ange `beslut` (eller `beslut: okänd`) eller ärendets "
            "förslag_till_beslut",
            codes.EXTRACT_NO_DECISION,
        )
    elif not decision.att and not decision.enligt and not decision.okänd:
        yield Finding((*path, "beslut", "att"), "beslutet har ingen att-sats", codes.NO_ATT)
    yield from deliberation(doc, path, _annex_set(case), None)
    # a real extract may not state its number or date (the seeds): a warning, not a gap
    if doc.paragraf is None:
        yield Finding(
            (*path, "paragraf"), "paragrafnumret är inte angivet", codes.NO_PARAGRAPH_NUMBER
        )
    elif doc.paragraf < 1:
        yield Finding(
            (*path, "paragraf"),
            f"paragrafnumret måste vara positivt, inte {doc.paragraf}",
            codes.PARAGRAPH_NOT_POSITIVE,
        )
    if doc.justering.justerad is False:
        yield Finding(
            (*path, "justering", "justerad"),
            "utdraget är ur ett ojusterat protokoll",
            codes.NOT_ATTESTED,
        )
    elif not doc.justering.done:
        yield Finding(
            (*path, "justering"),
            "utdraget säger inte att protokollet är justerat, så inget skrivs om det; ange "
            "justeringens `datum` eller `justerad: true`",
            codes.ATTESTATION_UNSTATED,
        )
    if doc.sammanträdesdatum is None:
        yield Finding(
            (*path, "organ"),
            "protokollsutdraget har inget sammanträdesdatum",
            codes.EXTRACT_NO_MEETING_DATE,
        )
    if doc.expedieras_till == []:
        yield Finding((*path, "expedieras_till"), "sändlistan är tom", codes.EMPTY_DISTRIBUTION)
    if doc.expedieras_till is None and not case.expedieras_till:
        yield Finding(
            (*path, "typ"),
            "protokollsutdraget har ingen sändlista (expedieras_till)",
            codes.EXTRACT_NO_DISTRIBUTION,
        )


def _annex_set(case: Case) -> set[int]:
    return {a.nummer or i + 1 for i, a in enumerate(case.bilagor)}


def _funding(case: Case, doc: FundingRequest, path: KeyPath) -> Iterator[Finding]:
    ins = doc.insats
    if ins.startdatum > ins.slutdatum:
        yield Finding(
            (*path, "insats", "slutdatum"),
            f"slutdatum {ins.slutdatum.isoformat()} ligger före startdatum {ins.startdatum.isoformat()}",
            codes.END_BEFORE_START,
        )
    if ins.beräknad_kostnad.unit is None:
        yield no_unit((*path, "insats", "beräknad_kostnad"), ins.beräknad_kostnad, in_table=False)
    yield from _reference(case, (*path, "budget"), doc.budget, BudgetTable)
    if doc.fördelning is not None:
        yield from _reference(case, (*path, "fördelning"), doc.fördelning, DistributionTable)


def _reference(case: Case, path: KeyPath, key: str, kind: type[TableBase]) -> Iterator[Finding]:
    table = case.tabeller.get(key)
    expected = " eller ".join(get_args(kind.model_fields["typ"].annotation))
    if table is None:
        yield Finding(path, unknown("tabell", key, case.tabeller), codes.UNKNOWN_TABLE)
    elif not isinstance(table, kind):
        yield Finding(
            path,
            f"tabellen '{key}' är av typen {table.typ}, men här behövs typen {expected}",
            codes.WRONG_TABLE_KIND,
        )


def _annexes(case: Case) -> Iterator[Finding]:
    numbers: dict[int, int] = {}
    for i, annex in enumerate(case.bilagor):
        number = annex.nummer or i + 1
        if number in numbers:
            yield Finding(
                ("bilagor", i, "nummer"),
                f"två bilagor har nummer {number}",
                codes.ANNEX_NUMBER_TWICE,
            )
        numbers[number] = i
        if annex.handling is not None:
            idents = {d.id or d.typ for d in case.handlingar}
            if annex.handling not in idents:
                yield Finding(
                    ("bilagor", i, "handling"),
                    unknown("handling", annex.handling, idents),
                    codes.UNKNOWN_DOCUMENT,
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
            yield Finding(
                path, f"det finns ingen Bilaga {number} under `bilagor`", codes.UNKNOWN_ANNEX
            )


def _sections(case: Case) -> Iterator[Finding]:
    named: list[tuple[KeyPath, Section | None]] = [
        ((name,), getattr(case, name)) for name in SECTION_KEYS
    ]
    for i, doc in enumerate(case.handlingar):
        if isinstance(doc, Extract):
            named.append((("handlingar", i, "ärendet"), doc.ärendet))
        if isinstance(doc, CompensationModel):
            named += [(("handlingar", i, "avsnitt", j), s) for j, s in enumerate(doc.avsnitt)]
    shown = 0
    sizes: dict[str, int] = {}
    for path, section in named:
        if section is None:
            continue
        seen: dict[str, int] = {}
        for j, key in enumerate(section.tabeller):
            where = (*path, "tabeller", j)
            if key not in case.tabeller:
                yield Finding(where, unknown("tabell", key, case.tabeller), codes.UNKNOWN_TABLE)
                continue
            if key in seen:
                yield Finding(
                    where,
                    f"tabellen '{key}' står redan i avsnittet (tabeller[{seen[key]}])",
                    codes.TABLE_TWICE_IN_SECTION,
                )
                continue
            seen[key] = j
            if key not in sizes:
                sizes[key] = _figures_in(case.tabeller[key])
            shown += sizes[key]
            if shown > MAX_SHOWN_FIGURES:
                yield Finding(
                    where,
                    f"avsnitten visar tabeller med mer än {MAX_SHOWN_FIGURES:,} uppgifter i allt; "
                    "dela ärendet eller visa färre tabeller".replace(",", " "),
                    codes.TOO_MANY_SHOWN_FIGURES,
                )
                return


MAX_SHOWN_FIGURES = 60_000
"""Values of all the tables the sections show, together: a table named in many sections is
printed in each, and a large table named thousands of times would make a document of
gigabytes from a file of kilobytes. Real beslutsunderlag show a few thousand; a table of
42 500 cells takes 2.5 s to render here, well inside a document's 10 s."""


def _figures_in(table: object) -> int:
    """How many values a table holds (what printing it costs)."""
    from pydantic import BaseModel

    stack: list[object] = [table]
    count = 0
    while stack:
        item = stack.pop()
        if isinstance(item, BaseModel):
            stack.extend(getattr(item, name) for name in type(item).model_fields)
        elif isinstance(item, list | tuple):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif item is not None:
            count += 1
    return count


def _table(case: Case, key: str, table: object) -> Iterator[Finding]:
    path: KeyPath = ("tabeller", key)
    if isinstance(table, BudgetTable):
        yield from _budget(table, path)
    elif isinstance(table, DistributionTable):
        yield from _distribution(table, path)
    elif isinstance(table, RateTable):
        yield from _rates(table, path)
    elif isinstance(table, TimeReport):
        yield from _time_report(case, table, path)
    elif isinstance(table, DeviationTable):
        yield from _deviation(table, path)
    elif isinstance(table, GridTable):
        yield from grid_rules(table, path)
    elif isinstance(table, InvestmentTable):
        yield from investment_rules(table, path)
    elif isinstance(table, FollowUpTable):
        yield from follow_up_rules(table, path)
    if (
        isinstance(table, TableBase)
        and table.tolerans is not None
        and table.tolerans.unit is None
        and not table.enhet
    ):
        yield no_unit((*path, "tolerans"), table.tolerans)


def _distribution(table: DistributionTable, path: KeyPath) -> Iterator[Finding]:
    items = [
        ((*path, "grupper", i, "poster", j, "belopp"), p.belopp)
        for i, g in enumerate(table.grupper)
        for j, p in enumerate(g.poster)
    ]
    items += [
        ((*path, "grupper", i, "summa"), g.summa) for i, g in enumerate(table.grupper) if g.summa
    ]
    if table.summa:
        items.append(((*path, "summa"), table.summa))
    yield from amounts_need_unit(table, items)
    if not table.grupper:
        yield Finding((*path, "grupper"), "fördelningen har inga grupper", codes.NO_GROUPS)
    for i, group in enumerate(table.grupper):
        if not group.poster:
            yield Finding(
                (*path, "grupper", i, "poster"), "gruppen har inga poster", codes.EMPTY_GROUP
            )


def _budget(table: BudgetTable, path: KeyPath) -> Iterator[Finding]:
    if not table.kolumner:
        yield Finding((*path, "kolumner"), "tabellen har inga kolumner", codes.NO_COLUMNS)
    if not table.rader:
        yield Finding((*path, "rader"), "tabellen har inga rader", codes.NO_ROWS)
    yield from duplicates(table.kolumner, (*path, "kolumner"), "kolumnen", codes.COLUMN_TWICE)
    items: list[tuple[KeyPath, Amount]] = []
    for i, row in enumerate(table.rader):
        for col, amount in row.belopp.items():
            items.append(((*path, "rader", i, "belopp", col), amount))
            if col not in table.kolumner:
                yield Finding(
                    (*path, "rader", i, "belopp", col),
                    unknown("kolumn", col, table.kolumner),
                    codes.UNKNOWN_COLUMN,
                )
        if row.summa:
            items.append(((*path, "rader", i, "summa"), row.summa))
    for col, amount in table.kolumnsummor.items():
        items.append(((*path, "kolumnsummor", col), amount))
        if col not in table.kolumner:
            yield Finding(
                (*path, "kolumnsummor", col),
                unknown("kolumn", col, table.kolumner),
                codes.UNKNOWN_COLUMN,
            )
    if table.summa:
        items.append(((*path, "summa"), table.summa))
    yield from amounts_need_unit(table, items)
    if table.rader and not any(row.belopp for row in table.rader):
        yield Finding((*path, "rader"), "tabellen har inga belopp", codes.NO_AMOUNTS)


def _rates(table: RateTable, path: KeyPath) -> Iterator[Finding]:
    yield from duplicates(table.kolumner, (*path, "kolumner"), "kolumnen", codes.COLUMN_TWICE)
    yield from duplicates(
        [" · ".join(x for x in (r.kategori, r.regi, r.tidsband) if x) for r in table.rader],
        (*path, "rader"),
        "kategorin",
        codes.CATEGORY_TWICE,
    )
    for i, row in enumerate(table.rader):
        for col, amount in row.belopp.items():
            if col not in table.kolumner:
                yield Finding(
                    (*path, "rader", i, "belopp", col),
                    unknown("kolumn", col, table.kolumner),
                    codes.UNKNOWN_COLUMN,
                )
            if amount.number < 0:
                yield Finding(
                    (*path, "rader", i, "belopp", col),
                    "en schablon kan inte vara negativ",
                    codes.NEGATIVE_RATE,
                )
        if not row.belopp and not row.justerat and row.anmärkning is None:
            yield Finding(
                (*path, "rader", i),
                "kategorin har varken belopp eller anmärkning",
                codes.EMPTY_CATEGORY,
            )
        for col in row.justerat:
            if col not in table.kolumner:
                yield Finding(
                    (*path, "rader", i, "justerat", col),
                    unknown("kolumn", col, table.kolumner),
                    codes.UNKNOWN_COLUMN,
                )
    for i, adjustment in enumerate(table.justeringar):
        if adjustment.kolumn is not None and adjustment.kolumn not in table.kolumner:
            yield Finding(
                (*path, "justeringar", i, "kolumn"),
                unknown("kolumn", adjustment.kolumn, table.kolumner),
                codes.UNKNOWN_COLUMN,
            )


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
            codes.RATE_YEAR_MISSING,
        )
        return
    categories = {r.kategori for r in rates.rader}
    for i, row in enumerate(table.rader):
        fits = [
            r
            for r in rates.rader
            if r.kategori == row.kategori
            and (row.regi is None or r.regi == row.regi)
            and (row.tidsband is None or r.tidsband == row.tidsband)
            and table.år in r.belopp
        ]
        if row.kategori not in categories:
            yield Finding(
                (*path, "rader", i, "kategori"),
                unknown("kategori", row.kategori, categories),
                codes.UNKNOWN_CATEGORY,
            )
        elif not fits:
            yield Finding(
                (*path, "rader", i, "kategori"),
                f"kategorin '{row.kategori}' har ingen schablon för {table.år} i "
                f"'{table.schabloner}' som passar raden",
                codes.NO_MATCHING_RATE,
            )
        elif len(fits) > 1:
            yield Finding(
                (*path, "rader", i, "kategori"),
                f"kategorin '{row.kategori}' har flera schabloner för {table.år} (per regi "
                "eller tidsband); ange radens `regi` och `tidsband`",
                codes.AMBIGUOUS_RATE,
            )
        if row.timmar < 0:
            yield Finding(
                (*path, "rader", i, "timmar"),
                "antalet timmar kan inte vara negativt",
                codes.NEGATIVE_HOURS,
            )


def _deviation(table: DeviationTable, path: KeyPath) -> Iterator[Finding]:
    items: list[tuple[KeyPath, Amount]] = []
    for i, year in enumerate(table.år):
        items.append(((*path, "år", i, "budget"), year.budget))
        if year.prognos is not None and year.prognos_över_budget is not None:
            yield Finding(
                (*path, "år", i),
                "ange antingen prognos eller prognos_över_budget, inte båda",
                codes.FORECAST_TWICE,
            )
        for name in ("prognos", "prognos_över_budget"):
            amount = getattr(year, name)
            if amount is not None:
                items.append(((*path, "år", i, name), amount))
    yield from duplicates([y.år for y in table.år], (*path, "år"), "året", codes.YEAR_TWICE)
    items += [((*path, "reserver", i, "belopp"), r.belopp) for i, r in enumerate(table.reserver)]
    if table.underskott is not None:
        items.append(((*path, "underskott", "belopp"), table.underskott.belopp))
        known = {y.år: y for y in table.år}
        declared = known.get(table.underskott.år)
        if declared is None:
            yield Finding(
                (*path, "underskott", "år"),
                unknown("år", table.underskott.år, known),
                codes.UNKNOWN_YEAR,
            )
        elif declared.prognos is None and declared.prognos_över_budget is None:
            yield Finding(
                (*path, "underskott", "år"),
                f"året {declared.år} har ingen prognos att räkna underskottet från",
                codes.DEFICIT_NO_FORECAST,
            )
    yield from amounts_need_unit(table, items)
