"""Facts not known yet: what a draft may leave open, and what it prints in their place.

Officials draft with facts missing: the decision is not written, the anslag has no dates.
A case says so with `okänd` where leaving a key out would mean something else (an extract
without `beslut` takes the proposal as its decision), or by leaving out a key that may be
left out. Nothing is invented in its place: `validate` warns at each gap; `build` makes the
case only as a draft (`--utkast`, or `utkast: true` in the case), with a highlighted mark
('[beslut saknas]') where the fact would stand and UTKAST on every page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from pydantic import BaseModel

from arendegen import codes
from arendegen.diagnostics import KeyPath, Rule
from arendegen.money import Amount, Unit
from arendegen.schema.case import Case
from arendegen.schema.common import Proposal
from arendegen.schema.documents import DelegationReport, Document, Extract, Minutes
from arendegen.schema.findings import Finding
from arendegen.schema.meeting import Frame
from arendegen.schema.tables import GridTable, RateTable, TimeReport
from arendegen.schema.types import UNKNOWN, DayMonth

DRAFT_MARK = "UTKAST – inte en färdig handling"
"""What every page of a draft says, above the house's own header."""


@dataclass(frozen=True)
class Gap:
    """One fact a finished document needs and the case does not know yet."""

    path: KeyPath
    what: str
    """The fact, as a message names it: 'beslutet'."""
    mark: str
    """What a draft prints where the fact would stand: '[beslut saknas]'."""
    known: str = "känt"
    """'känt' or 'känd', as the message's noun wants: 'beslutet är inte känt ännu'."""
    message: str | None = None
    """A message of its own, for what a draft may have and a finished document not (a
    figure in an implausible unit)."""
    rule: Rule = codes.NOT_KNOWN_YET


MARKS = {
    "beslut": "[beslut\u00a0saknas]",
    "förslag": "[förslag\u00a0till\u00a0beslut\u00a0saknas]",
    "svar": "[svar\u00a0saknas]",
    "datum": "[datum\u00a0saknas]",
    "tid": "[tid\u00a0saknas]",
    "förvaringsplats": "[förvaringsplats\u00a0saknas]",
    "namn": "[namn\u00a0saknas]",
    "år": "[år\u00a0saknas]",
    "enhet": "[enhet\u00a0saknas]",
    "förklaring": "[förklaring\u00a0saknas]",
    "uppgift": "[uppgift\u00a0saknas]",
}
"""The marks a draft prints, by what is missing: kept on one line (no-break spaces)."""

GAP_MARK = re.compile("(\\[[^\\[\\]\\n]{1,40}[ \u00a0]saknas\\])")
"""A mark in any text: the renderer highlights each one."""


def gaps(case: Case) -> list[Gap]:
    """Every gap of the case, in file order."""
    return list(_gaps(case))


def documents_with_gaps(case: Case) -> set[int]:
    """The documents a gap shows in: its own, or every one for a gap of the whole case."""
    found: set[int] = set()
    for gap in gaps(case):
        if gap.path[0] == "handlingar" and isinstance(gap.path[1], int):
            found.add(gap.path[1])
        else:
            return set(range(len(case.handlingar)))
    return found


def with_unknown_units(case: Case) -> Case:
    """The case with each table whose plain numbers have no unit, and no `enhet`, counted
    in kronor and marked as of unknown unit: its sums are checked as usual, and it prints no
    unit but the mark. A table mixing numbers with and without units stays as it is (the
    rules name each number)."""
    changed = {}
    for key, table in case.tabeller.items():
        if table.enhet is not None or isinstance(table, RateTable | TimeReport):
            continue  # rates are kronor per unit of time unless they say otherwise
        amounts = (
            [a for r in table.rader for c, a in r.belopp.items() if c in table.money_columns]
            if isinstance(table, GridTable)
            else list(_amounts(table))
        )
        if amounts and all(a.unit is None for a in amounts):
            nominal = table.model_copy(update={"enhet": Unit.KR})
            nominal._unit_unknown = True
            changed[key] = nominal
    if not changed:
        return case
    return case.model_copy(update={"tabeller": {**case.tabeller, **changed}})


def _amounts(value: object, depth: int = 0) -> Iterator[Amount]:
    """Every amount in a table, however deep (a table's models are a few levels)."""
    if isinstance(value, Amount):
        yield value
    elif depth > 8:
        return
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _amounts(getattr(value, name), depth + 1)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _amounts(item, depth + 1)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _amounts(item, depth + 1)


def _gaps(case: Case) -> Iterator[Gap]:
    yield from _proposal(case.förslag_till_beslut, ("förslag_till_beslut",), "förslag")
    for key, table in case.tabeller.items():
        if table.unit_unknown:
            name = f"'{table.rubrik}'" if table.rubrik else f"'{key}'"
            yield Gap(("tabeller", key), f"enheten i tabellen {name}", MARKS["enhet"], "känd")
    yield from _years(case)
    yield from _implausible_units(case)
    yield from _checklist(case)
    yield from _in_prose(case)
    for i, doc in enumerate(case.handlingar):
        yield from _document(doc, ("handlingar", i))


def _document(doc: Document, path: KeyPath) -> Iterator[Gap]:
    if isinstance(doc, DelegationReport):
        for i, decision in enumerate(doc.beslut):
            if decision.datum is None:
                what = f"datumet för delegationsbeslutet '{decision.beslut}'"
                yield Gap((*path, "beslut", i), what, MARKS["datum"], "känt")
    if isinstance(doc, Extract):
        yield from _proposal(doc.beslut, (*path, "beslut"), "beslut")
    if isinstance(doc, Minutes):
        yield from _meeting(doc.sammanträde, (*path, "sammanträde"))
        for j, item in enumerate(doc.paragrafer):
            at = (*path, "paragrafer", j)
            yield from _proposal(item.förslag, (*at, "förslag"), "förslag")
            yield from _proposal(item.beslut, (*at, "beslut"), "beslut")


def _checklist(case: Case) -> Iterator[Gap]:
    if case.barnchecklista is None:
        return
    for i, question in enumerate(case.barnchecklista.frågor):
        at: KeyPath = ("barnchecklista", "frågor", i)
        if question.svar == UNKNOWN:
            yield Gap((*at, "svar"), f"svaret på fråga {i + 1}", MARKS["svar"])
        if (question.förklaring or "").strip().lower() == UNKNOWN:
            yield Gap(
                (*at, "förklaring"), f"förklaringen till fråga {i + 1}", MARKS["förklaring"], "känd"
            )


PROSE_GAP = re.compile(r"okänd(?:(?:\s*:\s*|\s+)([^\[\]\n:]{1,30}))?", re.IGNORECASE)
"""A fact not known yet inside running text: `[[okänd]]`, `[[okänd år]]`, `[[okänd:
belopp]]` (the colon needs quotes in YAML); a draft prints '[år saknas]'."""


def prose_mark(mention: str) -> str | None:
    """The mark a `[[okänd: …]]` mention prints, or None for any other mention."""
    found = PROSE_GAP.fullmatch(mention.strip())
    if found is None:
        return None
    what = (found[1] or "uppgift").strip()
    return "[" + what.replace(" ", "\u00a0") + "\u00a0saknas]"


def _in_prose(case: Case) -> Iterator[Gap]:
    from arendegen.schema.rules_matters import MENTION, case_texts

    for path, text in case_texts(case):
        if "[[" not in text:
            continue
        for mention in MENTION.findall(text):
            mark = prose_mark(mention)
            if mark is not None:
                yield Gap(path, f"en uppgift i texten ([[{mention.strip()}]])", mark, "känd")


def _meeting(frame: Frame, path: KeyPath) -> Iterator[Gap]:
    if frame.från is None:
        yield Gap(path, "sammanträdets starttid (`från`)", MARKS["tid"], "känd")
    if frame.justering.datum is None:
        yield Gap((*path, "justering"), "justeringens datum", MARKS["datum"])
    elif isinstance(frame.justering.datum, DayMonth):
        yield Gap((*path, "justering", "datum"), "året i justeringens datum", MARKS["år"])
    for i, seat in enumerate(frame.ledamöter):
        if seat.istf is not None and seat.istf.lower() == UNKNOWN:
            at: KeyPath = (*path, "ledamöter", i, "istf")
            yield Gap(at, f"vem {seat.namn} ersätter", MARKS["namn"])
    posting = frame.anslag
    if posting is None:
        return
    for key, what, mark in (
        ("uppsatt", "dagen anslaget sätts upp", "datum"),
        ("nedtas", "dagen anslaget tas ned", "datum"),
        ("förvaringsplats", "protokollets förvaringsplats", "förvaringsplats"),
    ):
        if getattr(posting, key) is None:
            yield Gap((*path, "anslag"), what, MARKS[mark], "känd")


def _implausible_units(case: Case) -> Iterator[Gap]:
    """A figure of a few kronor in a table of millions, whose other figures are whole
    units of it: '−60,3 kr' in a table of mnkr was meant as −60,3 mnkr. Only a draft may
    print it as typed."""
    for key, table in case.tabeller.items():
        unit = table.enhet
        if unit is None or unit.factor < 1_000_000 or not isinstance(table, GridTable):
            continue
        cells = [
            (("tabeller", key, "rader", i, "belopp", col), amount)
            for i, row in enumerate(table.rader)
            for col, amount in row.belopp.items()
            if col in table.money_columns
        ]
        plain = [abs(a.number) for _, a in cells if a.unit is None]
        if not plain or max(plain) < 1:
            continue
        for path, amount in cells:
            own = amount.unit
            if own is None or own.factor * 1_000_000 > unit.factor:
                continue
            if abs(amount.number) < 1000:  # '6 010 000 kr' is meant as typed
                typed = f"{amount.number} {own.name.lower()}".replace(".", ",")
                meant = f"{amount.number} {unit.name.lower()}".replace(".", ",")
                yield Gap(
                    path,
                    f"'{typed}'",
                    MARKS["enhet"],
                    "känd",
                    message=f"'{typed}' i en tabell i {unit.name.lower()} ser ut att ha fel "
                    f"enhet; menade du {meant}? Ett färdigt dokument kan inte ha det, så "
                    "ärendet byggs bara som utkast (--utkast) tills enheten är rättad",
                    rule=codes.IMPLAUSIBLE_UNIT,
                )


def _years(case: Case) -> Iterator[Gap]:
    """Dates written without their year ('30 januari')."""
    dated: list[tuple[KeyPath, object]] = [
        (("referenser", key, "datum"), ref.datum) for key, ref in case.referenser.items()
    ]
    dated += [
        (("beslutsunderlag", i, "datum"), b.datum) for i, b in enumerate(case.beslutsunderlag)
    ]
    dated += [(("bilagor", i, "datum"), a.datum) for i, a in enumerate(case.bilagor)]
    for path, value in dated:
        if isinstance(value, DayMonth):
            yield Gap(path, f"året i datumet '{value}'", MARKS["år"])


def _proposal(proposal: Proposal | None, path: KeyPath, kind: str) -> Iterator[Gap]:
    if proposal is not None and proposal.okänd:
        what = "beslutet" if kind == "beslut" else "förslaget till beslut"
        yield Gap(path, what, MARKS[kind])


def findings(case: Case) -> Iterator[Finding]:
    """A warning at each gap: what is missing, and how the case can still be built."""
    for gap in gaps(case):
        if gap.message is not None:
            yield Finding(gap.path, gap.message, gap.rule)
            continue
        yield Finding(
            gap.path,
            f"{gap.what} är inte {gap.known} ännu; en färdig handling behöver det, så "
            f"ärendet byggs bara som utkast (--utkast eller `utkast: true`), med "
            f"'{gap.mark}' där det ska stå",
            gap.rule,
        )
