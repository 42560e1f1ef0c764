"""Rules for routing, references, remiss, motions, checklists and the tables with roles."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Iterator
from typing import Any

from pydantic import BaseModel

from arendegen import codes
from arendegen.diagnostics import KeyPath
from arendegen.formatting import genitive
from arendegen.money import Amount
from arendegen.schema.case import Case
from arendegen.schema.common import Proposal
from arendegen.schema.documents import (
    ConsultationResponse,
    DelegationDecision,
    Extract,
    Minutes,
)
from arendegen.schema.findings import (
    Finding,
    amounts_need_unit,
    duplicates,
    no_unit,
    unknown,
)
from arendegen.schema.tables import FollowUpTable, GridTable, InvestmentTable

MENTION = re.compile(r"\[\[([^\[\]\n]{1,100})\]\]")
"""How text names a reference or a comparison: `[[kf-2022-111]]`."""

ANNEX_MENTION = re.compile(r"bilaga:\s*(\d{1,4})", re.IGNORECASE)
"""How text names one of the case's bilagor: `[[bilaga:3]]` reads 'bilaga 3'."""


def matters(case: Case) -> Iterator[Finding]:
    """Every rule of this module, over the whole case."""
    yield from _routing(case)
    yield from _clauses(case)
    yield from _verb_spoken_by_others(case)
    yield from _extract_basis(case)
    yield from _mentions(case)
    yield from _references(case)
    yield from _annex_kinds(case)
    yield from _checklist(case)
    yield from _motion(case)
    yield from _documents_need(case)
    for key, item in case.jämförelser.items():
        path: KeyPath = ("jämförelser", key)
        if item.enhet is None:
            for name in ("bas", "förändring", "resultat"):
                amount = getattr(item, name)
                if amount is not None and amount.unit is None:
                    yield no_unit((*path, name), amount, in_table=False)
        if item.förändring is None and item.resultat is None:
            yield Finding(
                path, "ange `förändring` eller `resultat` utöver `bas`", codes.COMPARISON_NO_CHANGE
            )


def _proposals(case: Case) -> Iterator[tuple[KeyPath, Proposal]]:
    """Every proposal and decision the case writes, at its key path."""
    if case.förslag_till_beslut is not None:
        yield ("förslag_till_beslut",), case.förslag_till_beslut
    for i, doc in enumerate(case.handlingar):
        if isinstance(doc, Extract) and doc.beslut is not None:
            yield ("handlingar", i, "beslut"), doc.beslut
        if isinstance(doc, Minutes):
            for j, item in enumerate(doc.paragrafer):
                for key in ("förslag", "beslut"):
                    value = getattr(item, key)
                    if value is not None:
                        yield ("handlingar", i, "paragrafer", j, key), value


INFINITIVES = frozenset(
    """acceptera anmäla anta anteckna anvisa avge avsluta avslå avstyrka avsätta avveckla
    besluta besvara bevilja bifalla bordlägga delegera entlediga erbjuda fastställa
    finansiera förklara förlänga förvärva föreslå ge genomföra godkänna godta hemställa
    hänskjuta inrätta justera lägga lämna minska notera omfördela revidera rekommendera
    sälja teckna ta tilldela tillstyrka tillsätta uppdra upphandla upphäva utse uttala välja
    yttra återremittera återställa ändra öka överlämna överföra""".split()  # noqa: SIM905
)
"""Verbs a clause begins with ('godkänna …'): written capitalised after 'att', a slip."""

_CLAUSE_WORDS = INFINITIVES | frozenset(
    """alla beslutet budgeten dagordningen de den denna dessa det detta en ett för
    förslaget förvaltningen i informationen kommunen medborgarförslaget motionen nuvarande
    planen protokollet regionen samtliga styrelsen tidigare under uppdraget yttrandet
    ärendet""".split()  # noqa: SIM905
)
"""Words a clause after 'att' may begin with that are no names: capitalised, a slip."""

_DECIDES = re.compile(r"\b(beslutar|besluta|beslutade|beslöt)$", re.IGNORECASE)


def _clauses(case: Case) -> Iterator[Finding]:
    """A clause is its object ('godkänna …'): the tool writes 'att'. A verb that ends in
    'beslutar' needs its 'att' (or a colon), or the clauses read 'beslutar godkänna'."""
    for path, proposal in _proposals(case):
        if proposal.okänd and (proposal.att or proposal.enligt or proposal.verb):
            yield Finding(
                (*path, "okänd"),
                "ett beslut som inte är skrivet ännu (okänd) har inga satser; ta bort `okänd` "
                "eller satserna",
                codes.UNKNOWN_DECISION_WITH_CLAUSES,
            )
        if not proposal.att and not proposal.enligt and not proposal.okänd and "paragrafer" in path:
            yield Finding(
                path,
                "har ingen att-sats; ange `att`, eller `enligt` för ett beslut enligt ett förslag",
                codes.NO_ATT,
            )
        verbs = [((*path, "verb"), proposal.verb)] + [
            ((*path, "att", i, "verb"), c.verb) for i, c in enumerate(proposal.att)
        ]
        for at, verb in verbs:
            if verb and _DECIDES.search(verb.strip()):
                yield Finding(
                    at,
                    f"verbet '{verb}' slutar utan 'att': skriv '{verb.strip()} att' (eller "
                    "ett kolon, om satserna står som en lista efter det)",
                    codes.VERB_WITHOUT_ATT,
                )
        for i, clause in enumerate(proposal.att):
            first = clause.text.split(maxsplit=1)
            if first and first[0].lower() == "att":
                rest = first[1] if len(first) > 1 else ""
                yield Finding(
                    (*path, "att", i),
                    f"satsen börjar med 'att'; skriv den utan: '{rest}' (arendegen skriver "
                    "'att' där huset vill ha det)",
                    codes.CLAUSE_STARTS_WITH_ATT,
                )
            verb = clause.verb or proposal.verb or "att"
            after_att = not proposal.utan_ingress and verb.strip().endswith("att")
            if after_att and first and first[0][:1].isupper() and first[0].lower() in _CLAUSE_WORDS:
                yield Finding(
                    (*path, "att", i),
                    f"satsen följer på 'att' men börjar med stor bokstav ('{first[0]}'); skriv "
                    f"'{first[0].lower()} …' (eller, är satserna hela meningar, "
                    "`utan_ingress: true`)",
                    codes.CLAUSE_CAPITAL,
                )


def _verb_spoken_by_others(case: Case) -> Iterator[Finding]:
    """The proposal's `verb` is its memo's words. An extract of another body speaks its own
    ('Kommunstyrelsens arbetsutskott föreslår kommunstyrelsen …') and keeps only the
    verb's ending ('besluta följande:'); a verb with no ending is not printed there."""
    from arendegen.wording import memo_speaker, reaching, unspoken_verb

    proposal = case.förslag_till_beslut
    if proposal is None or not proposal.verb:
        return
    for doc in case.handlingar:
        if not isinstance(doc, Extract) or doc.beslut is not None:
            continue
        reached = reaching(proposal, case, doc.organ)
        instead = unspoken_verb(case, doc.organ)
        if reached is None or not reached.att or instead is None:
            continue
        yield Finding(
            ("förslag_till_beslut", "verb"),
            f"verbet '{proposal.verb}' är {genitive(memo_speaker(case))} ordval; utdraget ur "
            f"{genitive(doc.organ)} protokoll skriver i stället '{instead} …'; ange utdragets "
            "`beslut` om det ska lyda annorlunda",
            codes.VERB_OF_OTHER_BODY,
        )


def not_yet(case: Case, doc: Extract) -> list[int]:
    """The case's beslutsunderlag an extract cannot have had before it: dated after its
    meeting, or the extract's own decision (a body decides on its underlag, not on itself).
    An extract with beslutsunderlag of its own lists those, and nothing is taken away."""
    meeting = doc.sammanträdesdatum
    if doc.beslutsunderlag is not None:
        return []
    later = []
    for i, item in enumerate(case.beslutsunderlag):
        ref = case.referenser.get(item.referens or "")
        date = item.datum or (ref.datum if ref else None)
        own = (
            ref is not None
            and ref.organ == doc.organ
            and (
                (ref.paragraf is not None and ref.paragraf == doc.paragraf)
                or (meeting is not None and ref.datum == meeting)
            )
        )
        # a date without its year cannot be compared
        later_than = isinstance(date, dt.date) and meeting is not None and date > meeting
        if own or later_than:
            later.append(i)
    return later


def _extract_basis(case: Case) -> Iterator[Finding]:
    for i, doc in enumerate(case.handlingar):
        if not isinstance(doc, Extract):
            continue
        later = not_yet(case, doc)
        if later:
            titles = ", ".join(f"'{case.beslutsunderlag[j].titel}'" for j in later)
            yield Finding(
                ("handlingar", i, "organ"),
                f"utdraget ur {genitive(doc.organ)} protokoll listar inte {titles}: det fanns inte vid "
                "sammanträdet (senare, eller utdragets eget beslut); ange utdragets egna "
                "`beslutsunderlag` om det ska stå annat",
                codes.EXTRACT_LACKS_DOCUMENTS,
            )


def _false_decider(proposal: Proposal, case: Case) -> Iterator[Finding]:
    """`organ` names who decides. An earlier step of the routing with no verb of its own
    would read 'Beredningen beslutar att' in a document that only proposes."""
    from arendegen.wording import decided_by

    steps = [s.organ for s in case.beslutsordning]
    organ = proposal.organ
    if organ is None or organ not in steps[:-1]:
        return
    if proposal.verb and decided_by(proposal, case) != organ:
        return  # its verb names the later body ('föreslår landstingsstyrelsen besluta att')
    if proposal.verb and not _DECIDES.search(proposal.verb.strip().removesuffix(" att")):
        return  # a verb of its own ('föreslås') says it
    if all(clause.organ is not None and clause.organ != organ for clause in proposal.att):
        return  # every clause names the body that decides it
    later = " → ".join(steps[steps.index(organ) :])
    yield Finding(
        ("förslag_till_beslut", "organ"),
        f"{organ} beslutar inte själv här: det kommer före {steps[-1]} i beslutsordningen "
        f"({later}), och satserna skulle läsas '{organ} beslutar att …'. Ange det organ som "
        f"beslutar ({steps[-1]}), eller ta bort `organ`; skrivs handlingen av {organ}, ange "
        "det som `beredande_organ`, så blir meningen '… föreslår … besluta att'",
        codes.BODY_DECIDES_NOT,
    )


def _routing(case: Case) -> Iterator[Finding]:
    steps = [s.organ for s in case.beslutsordning]
    yield from duplicates(steps, ("beslutsordning",), "organet", codes.BODY_TWICE)
    proposal = case.förslag_till_beslut
    if proposal is None:
        return
    if proposal.organ is None and not steps and not proposal.okänd:
        yield Finding(
            ("förslag_till_beslut",), "ange `organ` eller ärendets `beslutsordning`", codes.NO_BODY
        )
    if proposal.organ is not None and steps and proposal.organ not in steps:
        yield Finding(
            ("förslag_till_beslut", "organ"),
            f"{proposal.organ} finns inte i beslutsordningen ({' → '.join(steps)})",
            codes.BODY_NOT_IN_ORDER,
        )
    yield from _false_decider(proposal, case)
    for i, clause in enumerate(proposal.att):
        if clause.organ is not None and steps and clause.organ not in steps:
            close = difflib.get_close_matches(clause.organ, steps, n=1)
            hint = f"; menade du '{close[0]}'?" if close else f" ({' → '.join(steps)})"
            yield Finding(
                ("förslag_till_beslut", "att", i, "organ"),
                f"det finns inget organ '{clause.organ}' i beslutsordningen{hint}",
                codes.BODY_NOT_IN_ORDER,
            )
        if clause.organ is not None and clause.verb is None and not steps:
            yield Finding(
                ("förslag_till_beslut", "att", i, "verb"),
                "ange satsens `verb` ('föreslår kommunfullmäktige besluta att'), eller "
                "ärendets `beslutsordning` så skrivs det fram",
                codes.CLAUSE_NO_VERB,
            )
    for i, doc in enumerate(case.handlingar):
        if isinstance(doc, Extract) and steps and doc.beslut is None and doc.organ not in steps:
            yield Finding(
                ("handlingar", i, "organ"),
                f"{doc.organ} finns inte i beslutsordningen; ange utdragets `beslut`, eller "
                "lägg till organet i `beslutsordning`",
                codes.BODY_NOT_IN_ORDER,
            )


def case_texts(case: Case) -> list[tuple[KeyPath, str]]:
    """Every text of the case with its key path, walked once per case object: the rules,
    the gaps, coverage and the mentions all read them (a case is immutable)."""
    known = _TEXTS.get(id(case))
    if known is not None and known[0] is case:
        return known[1]
    found = list(texts(case, ()))
    if len(_TEXTS) >= 16:
        _TEXTS.clear()
    _TEXTS[id(case)] = (case, found)
    return found


_TEXTS: dict[int, tuple[Case, list[tuple[KeyPath, str]]]] = {}


def texts(value: Any, path: KeyPath) -> Iterator[tuple[KeyPath, str]]:
    """Every piece of text in a model, with its key path (numbers, dates and None skipped
    without a call: a case has thousands of them)."""
    if isinstance(value, str):
        yield path, value
        return
    items: Iterable[tuple[str | int, Any]]
    if isinstance(value, BaseModel):
        items = vars(value).items()  # a model's fields, in their declared order
    elif isinstance(value, list | tuple):
        items = enumerate(value)
    elif isinstance(value, dict):
        items = value.items()
    else:
        return
    for key, item in items:
        if isinstance(item, str):
            yield (*path, key), item
        elif isinstance(item, BaseModel | list | tuple | dict):
            yield from texts(item, (*path, key))


def _mentions(case: Case) -> Iterator[Finding]:
    from arendegen.citations import CITATION
    from arendegen.citations import problems as citation_problems
    from arendegen.schema.gaps import PROSE_GAP

    named = {*case.referenser, *case.jämförelser}
    for key in set(case.referenser) & set(case.jämförelser):
        yield Finding(
            ("jämförelser", key), f"'{key}' är redan ett id under `referenser`", codes.ID_TWICE
        )
    annexes = {a.nummer or i + 1 for i, a in enumerate(case.bilagor)}
    for path, text in case_texts(case):
        for mention in MENTION.findall(text):
            annex = ANNEX_MENTION.fullmatch(mention.strip())
            if PROSE_GAP.fullmatch(mention.strip()):
                continue  # a fact not known yet: schema/gaps.py
            if CITATION.fullmatch(mention.strip()) and mention.strip() not in named:
                for problem, rule in citation_problems(case, mention.strip()):
                    yield Finding(path, problem, rule)
                continue
            if annex is not None:
                if int(annex[1]) not in annexes:
                    yield Finding(
                        path,
                        f"[[{mention.strip()}]]: det finns ingen Bilaga {annex[1]} under `bilagor`",
                        codes.UNKNOWN_ANNEX,
                    )
            elif mention.strip() not in named:
                yield Finding(
                    path,
                    unknown("referens eller jämförelse", mention.strip(), named),
                    codes.UNKNOWN_MENTION,
                )


def _references(case: Case) -> Iterator[Finding]:
    for key, ref in case.referenser.items():
        decision = (ref.organ or ref.förkortning) and (ref.datum or ref.paragraf)
        if not decision and not ref.beteckning and not ref.titel and not ref.diarienummer:
            yield Finding(
                ("referenser", key),
                "en referens är ett beslut (organ eller förkortning, och datum eller paragraf), "
                "ett ärende (diarienummer) eller en handling (beteckning eller titel)",
                codes.REFERENCE_INCOMPLETE,
            )
    refs: list[tuple[KeyPath, str | None]] = [
        (("bilagor", i, "referens"), a.referens) for i, a in enumerate(case.bilagor)
    ]
    refs += [
        (("beslutsunderlag", i, "referens"), b.referens) for i, b in enumerate(case.beslutsunderlag)
    ]
    for path, named in refs:
        if named is not None and named not in case.referenser:
            yield Finding(
                path, unknown("referens", named, case.referenser), codes.UNKNOWN_REFERENCE
            )


def _annex_kinds(case: Case) -> Iterator[Finding]:
    for i, annex in enumerate(case.bilagor):
        if annex.slag == "beslut" and annex.referens is None:
            yield Finding(
                ("bilagor", i, "referens"),
                "en bilaga av slaget beslut behöver `referens` till beslutet (organ, datum, paragraf)",
                codes.ANNEX_NEEDS_REFERENCE,
            )


def _checklist(case: Case) -> Iterator[Finding]:
    checklist = case.barnchecklista
    if checklist is None:
        return
    if not checklist.frågor:
        yield Finding(
            ("barnchecklista", "frågor"), "checklistan har inga frågor", codes.CHECKLIST_EMPTY
        )
    for i, question in enumerate(checklist.frågor):
        if question.svar != "okänd" and not (question.förklaring or "").strip():
            yield Finding(
                ("barnchecklista", "frågor", i, "förklaring"),
                f"fråga {i + 1} ('{question.fråga}') besvaras med {question.svar} men saknar "
                "förklaring; skriv den, eller `förklaring: okänd` om den inte är skriven ännu",
                codes.CHECKLIST_NO_EXPLANATION,
            )


def _motion(case: Case) -> Iterator[Finding]:
    motion = case.motion
    if motion is None:
        return
    if not motion.förslagsställare:
        yield Finding(
            ("motion", "förslagsställare"),
            "ange vem som lämnat förslaget",
            codes.MOTION_NO_PROPOSER,
        )
    if motion.slag == "motion":
        for i, person in enumerate(motion.förslagsställare):
            if person.parti is None:
                yield Finding(
                    ("motion", "förslagsställare", i),
                    f"en motion lämnas av förtroendevalda; ange partiet för {person.namn}",
                    codes.MOTION_NO_PARTY,
                )
    if motion.svar is not None and case.förslag_till_beslut is None:
        yield Finding(
            ("motion", "svar"),
            "svaret på förslaget behöver ett förslag_till_beslut",
            codes.MOTION_ANSWER_NO_PROPOSAL,
        )


def _documents_need(case: Case) -> Iterator[Finding]:
    for i, doc in enumerate(case.handlingar):
        path: KeyPath = ("handlingar", i, "typ")
        if isinstance(doc, ConsultationResponse):
            remiss = case.remiss
            if remiss is None:
                yield Finding(
                    path, "ett remissyttrande behöver ärendets `remiss`", codes.CONSULTATION_MISSING
                )
            else:
                date = doc.datum or case.datum
                if date is not None and date > remiss.svar_senast:
                    yield Finding(
                        ("remiss", "svar_senast"),
                        f"yttrandet är daterat {date.isoformat()}, efter sista svarsdag "
                        f"{remiss.svar_senast.isoformat()}",
                        codes.REPLY_AFTER_DEADLINE,
                    )
        if isinstance(doc, DelegationDecision) and case.delegation is None:
            yield Finding(
                path,
                "ett delegationsbeslut behöver ärendets `delegation`",
                codes.DELEGATION_MISSING,
            )
    remiss = case.remiss
    if remiss is not None and remiss.inkom is not None and remiss.inkom > remiss.svar_senast:
        yield Finding(
            ("remiss", "inkom"), "remissen kom in efter sista svarsdag", codes.CONSULTATION_LATE
        )


def grid_rules(table: GridTable, path: KeyPath) -> Iterator[Finding]:
    """Columns and rows refer to what exists, in an order that can be computed."""
    yield from _grid_columns(table, path)
    yield from _grid_rows(table, path)
    yield from _row_cycles(table, path)


def _grid_columns(table: GridTable, path: KeyPath) -> Iterator[Finding]:
    ids = [c.id for c in table.kolumner]
    yield from duplicates(ids, (*path, "kolumner"), "kolumnen", codes.COLUMN_TWICE)
    if not table.kolumner:
        yield Finding((*path, "kolumner"), "tabellen har inga kolumner", codes.NO_COLUMNS)
    earlier: set[str] = set()
    plain = {c.id for c in table.kolumner if not (c.summa or c.skillnad)}
    for i, column in enumerate(table.kolumner):
        where = (*path, "kolumner", i)
        if column.summa and column.skillnad:
            yield Finding(
                where,
                "en kolumn är antingen `summa` eller `skillnad`, inte båda",
                codes.SUM_AND_DIFFERENCE,
            )
        if column.skillnad and len(column.skillnad) != 2:
            yield Finding(
                (*where, "skillnad"),
                "`skillnad` behöver två kolumner: [från, minus]",
                codes.DIFFERENCE_NEEDS_TWO,
            )
        yield from _computed_kind(table, column, where)
        for key in ("summa", "skillnad"):
            for j, ref in enumerate(getattr(column, key)):
                if ref == column.id:
                    yield Finding(
                        (*where, key, j),
                        f"kolumnen '{ref}' kan inte bygga på sig själv",
                        codes.COLUMN_ON_ITSELF,
                    )
                elif ref not in ids:
                    yield Finding(
                        (*where, key, j), unknown("kolumn", ref, set(ids)), codes.UNKNOWN_COLUMN
                    )
                elif ref not in plain and ref not in earlier:
                    yield Finding(
                        (*where, key, j),
                        f"kolumnen '{ref}' står efter denna; en beräknad kolumn bygger bara på "
                        "kolumner med belopp och beräknade kolumner före sig",
                        codes.COLUMN_AFTER,
                    )
        earlier.add(column.id)


def _computed_kind(table: GridTable, column: Any, where: KeyPath) -> Iterator[Finding]:
    """A computed column adds or subtracts columns of its own kind; a share is never summed,
    text never computed."""
    parts = column.summa or column.skillnad
    if not parts:
        return
    if column.värde == "text" or (column.värde == "procent" and column.summa):
        how = "summeras" if column.värde == "procent" else "beräknas"
        yield Finding(where, f"en kolumn med {column.värde} {how} inte", codes.COLUMN_NOT_COMPUTED)
        return
    kinds = {c.id: c.värde for c in table.kolumner}
    other = [p for p in parts if p in kinds and kinds[p] != column.värde]
    if other:
        yield Finding(
            where,
            f"kolumnen '{column.id}' har {column.värde} men bygger på '{other[0]}', som har "
            f"{kinds[other[0]]}; ge kolumnerna samma `värde`",
            codes.COLUMN_KINDS_DIFFER,
        )


def _cells(
    table: GridTable, row: Any, where: KeyPath, money: list[tuple[KeyPath, Amount]]
) -> Iterator[Finding]:
    """A row's numbers and texts, each in a column of its kind; money collected for the
    table's unit check."""
    kinds = {c.id: c.värde for c in table.kolumner}
    for col, amount in row.belopp.items():
        at = (*where, "belopp", col)
        if col not in kinds:
            yield Finding(at, unknown("kolumn", col, set(kinds)), codes.UNKNOWN_COLUMN)
        elif kinds[col] == "belopp":
            money.append((at, amount))
        elif kinds[col] == "text":
            yield Finding(
                at,
                f"kolumnen '{col}' har text; skriv den under radens `text`",
                codes.TEXT_UNDER_AMOUNTS,
            )
        elif amount.unit is not None:
            yield Finding(
                at,
                f"kolumnen '{col}' har {kinds[col]}, inte kronor; skriv talet utan enhet",
                codes.NUMBER_WITH_UNIT,
            )
    for col in row.text:
        if col not in kinds:
            yield Finding(
                (*where, "text", col), unknown("kolumn", col, set(kinds)), codes.UNKNOWN_COLUMN
            )
        elif kinds[col] != "text":
            yield Finding(
                (*where, "text", col),
                f"kolumnen '{col}' har {kinds[col]}; skriv talet under radens `belopp`, eller "
                "ge kolumnen `värde: text`",
                codes.NUMBER_UNDER_TEXT,
            )


def _grid_rows(table: GridTable, path: KeyPath) -> Iterator[Finding]:
    row_ids = [r.id for r in table.rader if r.id]
    yield from duplicates(row_ids, (*path, "rader"), "rad-id:t", codes.ROW_ID_TWICE)
    items: list[tuple[KeyPath, Amount]] = []
    for i, row in enumerate(table.rader):
        where = (*path, "rader", i)
        yield from _cells(table, row, where, items)
        if row.roll == "rubrik" and row.belopp:
            yield Finding(
                (*where, "belopp"), "en rubrikrad har inga belopp", codes.HEADING_ROW_AMOUNTS
            )
        needs = {"därav": 1, "övrigt": 1, "skillnad": 2}.get(row.roll)
        if needs is not None and len(row.av) != needs:
            what = "en rad" if needs == 1 else "två rader"
            yield Finding(
                (*where, "av"),
                f"en rad med roll {row.roll} behöver `av`: {what}",
                codes.ROW_NEEDS_PARENT,
            )
        for j, ref in enumerate(row.av):
            if ref not in row_ids:
                yield Finding((*where, "av", j), unknown("rad", ref, row_ids), codes.UNKNOWN_ROW)
            elif ref == row.id:
                yield Finding(
                    (*where, "av", j), "raden kan inte bygga på sig själv", codes.ROW_ON_ITSELF
                )
        if row.av and row.roll in ("post", "rubrik"):
            yield Finding(
                (*where, "av"),
                f"en rad med roll {row.roll} bygger inte på andra rader",
                codes.ROW_NEEDS_NO_PARENT,
            )
    yield from amounts_need_unit(table, items)


def _row_cycles(table: GridTable, path: KeyPath) -> Iterator[Finding]:
    graph = {r.id: r.av for r in table.rader if r.id}
    for i, row in enumerate(table.rader):
        if row.id is None or row.roll in ("post", "därav", "rubrik"):
            continue
        seen, todo = set(), list(row.av)
        while todo:
            current = todo.pop()
            if current == row.id:
                yield Finding(
                    (*path, "rader", i, "av"),
                    f"raden '{row.id}' bygger på sig själv i en cirkel",
                    codes.ROW_CYCLE,
                )
                break
            if current not in seen:
                seen.add(current)
                todo += graph.get(current, [])


def investment_rules(table: InvestmentTable, path: KeyPath) -> Iterator[Finding]:
    """Years named once, moves between known years, every amount with a unit."""
    years = [y.år for y in table.år]
    yield from duplicates(years, (*path, "år"), "året", codes.YEAR_TWICE)
    for i, move in enumerate(table.flyttat):
        if years and move.från not in years:
            yield Finding(
                (*path, "flyttat", i, "från"), unknown("år", move.från, years), codes.UNKNOWN_YEAR
            )
        if move.från == move.till:
            yield Finding(
                (*path, "flyttat", i), "pengarna flyttas till samma år", codes.MOVE_SAME_YEAR
            )
    items: list[tuple[KeyPath, Amount]] = [((*path, "utgiftsram"), table.utgiftsram)]
    items += [((*path, "år", i, "belopp"), y.belopp) for i, y in enumerate(table.år)]
    items += [((*path, "flyttat", i, "belopp"), m.belopp) for i, m in enumerate(table.flyttat)]
    items += [
        ((*path, "finansiering", i, "belopp"), s.belopp) for i, s in enumerate(table.finansiering)
    ]
    for name in ("tidigare_beslutat", "begärt", "kvar"):
        amount = getattr(table, name)
        if amount is not None:
            items.append(((*path, name), amount))
    for i, cost in enumerate(table.driftkonsekvenser):
        if cost.belopp is not None:
            items.append(((*path, "driftkonsekvenser", i, "belopp"), cost.belopp))
        if cost.belopp is None and cost.avskrivningstid is None and cost.ränta is None:
            yield Finding(
                (*path, "driftkonsekvenser", i),
                "ange `belopp`, eller `avskrivningstid` eller `ränta` så räknas det fram",
                codes.OPERATING_COST_MISSING,
            )
        if cost.avskrivningstid is not None and cost.ränta is not None:
            yield Finding(
                (*path, "driftkonsekvenser", i),
                "ange avskrivningstid eller ränta, inte båda",
                codes.DEPRECIATION_AND_INTEREST,
            )
    yield from amounts_need_unit(table, items)


def follow_up_rules(table: FollowUpTable, path: KeyPath) -> Iterator[Finding]:
    """Every amount with a unit, and at least one line."""
    if not table.rader:
        yield Finding((*path, "rader"), "uppföljningen har inga rader", codes.NO_ROWS)
    items: list[tuple[KeyPath, Amount]] = []
    for i, row in enumerate(table.rader):
        for name in ("budget", "utfall", "prognos", "föregående_prognos", "avvikelse"):
            amount = getattr(row, name)
            if amount is not None:
                items.append(((*path, "rader", i, name), amount))
    if table.avvikelse is not None:
        items.append(((*path, "avvikelse"), table.avvikelse))
    yield from amounts_need_unit(table, items)
