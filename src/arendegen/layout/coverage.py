"""Nothing a case says is dropped: every filled key is shown by one of its documents, or
`validate` warns, naming the key and the documents that leave it out.

What each block shows is declared here, beside the layouts, so that `validate` can answer
without building anything: a key is shown when one of the case's documents has, in its
pack's layout, a block that prints it. A kind whose pack gives it a hand-written Word
template (pack.yaml `mallar`) arranges itself; it is trusted to show what it names.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from arendegen import codes
from arendegen.diagnostics import KeyPath
from arendegen.layout.model import PLACEHOLDER, HouseRules, Layout
from arendegen.schema import Case
from arendegen.schema.case import SECTION_KEYS
from arendegen.schema.documents import (
    REQUEST_QUESTIONS,
    AnnexDocument,
    CompensationModel,
    DeviationMemorandum,
    Document,
    Extract,
    FundingRequest,
    Memorandum,
    Minutes,
)
from arendegen.schema.findings import Finding

CASE_BLOCKS = {
    **{key: (key, "avsnittet") for key in SECTION_KEYS},
    "barnchecklista": ("barnchecklista", "barnchecklistan"),
    "fler_avsnitt": ("fler_avsnitt", "avsnittet"),
    "förslag_till_beslut": ("förslag_till_beslut", "förslaget till beslut"),
    "motion": ("motion", "motionen"),
    "remiss": ("remiss", "remissen"),
    "delegation": ("delegation", "delegationen"),
    "ställningstaganden": ("ställningstaganden", "ställningstagandena"),
    "beredningsansvariga": ("beredningsansvariga", "beredningsansvariga"),
    "beslutsunderlag": ("beslutsunderlag", "beslutsunderlagen"),
    "bilagor": ("bilagor", "bilagorna"),
    "expedieras_till": ("expedieras_till", "sändlistan"),
    "underskrifter": ("underskrifter", "underskrifterna"),
}
"""A case-level key, the block that shows it, and how a message names it."""

ITEM_KEYS = (
    "jäv",
    "yrkanden",
    "propositionsordning",
    "beslutsgång",
    "votering",
    "reservationer",
    "särskilda_yttranden",
    "protokollsanteckningar",
)
"""A protocol paragraph's keys, each shown by the block of the same name."""

REQUEST_KEYS = REQUEST_QUESTIONS


@dataclass
class Shown:
    """What one document shows: case keys, tables, and its own keys left out."""

    keys: set[str] = field(default_factory=set)
    tables: set[str] = field(default_factory=set)
    missing: list[tuple[KeyPath, str, str]] = field(default_factory=list)
    """The document's own filled keys its layout has no block for: path, what, block."""


HEADER_KEYS: dict[str, tuple[str, frozenset[str], frozenset[str]]] = {
    # case key: (how a message names it, blocks that show it, fields that show it)
    "titel": ("titeln", frozenset({"titel"}), frozenset({"titel"})),
    "diarienummer": ("diarienumret", frozenset({"diarienummer"}), frozenset({"diarienummer"})),
    "mottagare": ("mottagaren", frozenset({"mottagare"}), frozenset({"mottagare"})),
    "ansvarig": ("den ansvarige", frozenset(), frozenset({"ansvarig", "ansvarig_namn"})),
    "föredragande": (
        "föredraganden",
        frozenset(),
        frozenset({"föredragande", "föredragande_namn"}),
    ),
}
"""Facts of the case printed in the header, the running header or footer, or a text. Who
writes (organisation, förvaltning, avdelning), the date and the handläggare are the house's
to print or not, and always stand in the document's properties: not checked."""


def findings(case: Case, layouts: Sequence[tuple[str, Layout | None, HouseRules]]) -> list[Finding]:
    """A warning for each filled key of the case that none of its documents shows.

    `layouts` has, per document, a label ('protokollsutdrag (kommun)'), the layout it is
    built with (None: a hand-written template, which shows what it names) and the house
    rules. With a hand-written template among the documents, only each laid-out document's
    own keys are checked: the case's may stand in the hand-written one."""
    laid_out = [
        (label, doc, layout, rules)
        for doc, (label, layout, rules) in zip(case.handlingar, layouts, strict=True)
        if layout is not None
    ]
    shown = [_shown(case, doc, layout, rules) for _, doc, layout, rules in laid_out]
    out = []
    for (label, _, _, _), one in zip(laid_out, shown, strict=True):
        for path, what, block in one.missing:
            kind, name = ("fält", block[5:]) if block.startswith("fält ") else ("block", block)
            out.append(
                Finding(
                    path,
                    f"{what} visas inte: {label} har inget {kind} '{name}' för det",
                    codes.NOT_SHOWN_BY_LAYOUT,
                )
            )
    if len(laid_out) < len(layouts):
        return out
    return out + _case_level(case, shown, ", ".join(dict.fromkeys(x[0] for x in layouts)))


def _cited_tables(case: Case) -> set[str]:
    """The tables any text of the case cites a figure of (`[[tabell.rad.kolumn]]`)."""
    from arendegen.citations import CITATION
    from arendegen.schema.rules_matters import MENTION, case_texts

    cited = set()
    for _, text in case_texts(case):
        if "[[" in text:
            for mention in MENTION.findall(text):
                found = CITATION.fullmatch(mention.strip())
                if found is not None and found[1] in case.tabeller:
                    cited.add(found[1])
    return cited


def _case_level(case: Case, shown: Sequence[Shown], labels: str) -> list[Finding]:
    """The case's own keys that no document shows."""
    out: list[Finding] = []
    keys = set().union(*(s.keys for s in shown))
    tables = set().union(*(s.tables for s in shown))
    for key, (block, what) in CASE_BLOCKS.items():
        value = getattr(case, key)
        if key == "fler_avsnitt":
            for i, section in enumerate(value):
                if key not in keys:
                    out.append(
                        _warning(("fler_avsnitt", i), f"{what} '{section.rubrik}'", labels, block)
                    )
            continue
        if value and key not in keys:
            name = f"{what} '{key}'" if what == "avsnittet" else what
            out.append(_warning((key,), name, labels, block))
    if case.remiss is not None and case.remiss.synpunkter and "remiss.synpunkter" not in keys:
        out.append(
            _warning(("remiss", "synpunkter"), "remissvarets synpunkter", labels, "synpunkter")
        )
    for key, (what, _, fields) in HEADER_KEYS.items():
        if getattr(case, key, None) and key not in keys:
            out.append(
                Finding(
                    (key,),
                    f"{what} visas inte i någon handling: {labels} har varken block eller fält "
                    f"för det ({', '.join(sorted(fields))})",
                    codes.NOT_SHOWN_ANYWHERE,
                )
            )
    tables |= _cited_tables(case)  # a table whose figures the text cites is shown there
    for name in case.tabeller:
        if name not in tables:
            out.append(
                Finding(
                    ("tabeller", name),
                    f"tabellen '{name}' visas inte i någon handling: inget avsnitt som visas "
                    "nämner den i sina `tabeller`",
                    codes.TABLE_NOT_SHOWN,
                )
            )
    return out


def _warning(path: KeyPath, what: str, labels: str, block: str) -> Finding:
    return Finding(
        path,
        f"{what} visas inte i någon handling: {labels} har inget block '{block}' för det",
        codes.NOT_SHOWN_ANYWHERE,
    )


def fields_used(layout: Layout, rules: HouseRules) -> set[str]:
    """Every field of the document the layout prints: header cells, running header and
    footer, and the placeholders of its text blocks. Not a heading's (it stands only over a
    block that shows something), nor a protocol paragraph's (those are the paragraph's)."""
    found: set[str] = set()
    texts: list[str | None] = []
    header = layout.huvud
    if header is not None and header.form != "ingen":
        cells = [*header.vänster, *header.höger, *(c for row in header.rader for c in row)]
        found |= {c.fält for c in cells if c.fält}
        texts += [c.text for c in cells] + [header.text if header.form == "rad" else None]
    for items in (
        layout.sidhuvud if layout.sidhuvud is not None else rules.sidhuvud,
        layout.sidfot if layout.sidfot is not None else rules.sidfot,
    ):
        found |= {i.fält for i in items if i.fält}
        texts += [i.text for i in items]
    texts += [entry.text for entry in layout.block or ()]
    for text in texts:
        found |= set(PLACEHOLDER.findall(text or ""))
    return found


def paragraph_fields(layout: Layout) -> set[str]:
    """The fields a protocol paragraph's text blocks print ({paragraf}, {titel} …)."""
    found: set[str] = set()
    for entry in layout.paragraf_block or ():
        found |= set(PLACEHOLDER.findall(entry.text or ""))
    return found


def _names(entries: object) -> set[str]:
    return {entry.block for entry in entries or ()}  # type: ignore[attr-defined]


def _shown(case: Case, doc: Document, layout: Layout, rules: HouseRules) -> Shown:
    index = case.handlingar.index(doc)
    blocks = _names(layout.block)
    out = Shown()
    out.keys = {key for key, (block, _) in CASE_BLOCKS.items() if block in blocks}
    out.keys |= _header_keys(blocks, fields_used(layout, rules))
    path: KeyPath = ("handlingar", index)
    _own_facts(doc, path, blocks, fields_used(layout, rules), out)
    sections: list[Any] = [getattr(case, key) for key in SECTION_KEYS if key in out.keys]
    if "fler_avsnitt" in blocks:
        sections += case.fler_avsnitt
    if "synpunkter" in blocks and case.remiss is not None:
        sections += case.remiss.synpunkter
    if isinstance(doc, Extract):
        _extract(case, doc, index, blocks, out, sections, fields_used(layout, rules))
    elif isinstance(doc, Minutes):
        out.keys.add("titel")  # a protocol's title names the meeting in its properties
        _minutes(doc, path, blocks, _names(layout.paragraf_block), out, paragraph_fields(layout))
    elif isinstance(doc, DeviationMemorandum) and "ekonomi" in blocks:
        out.tables.add(doc.avvikelse)
    elif isinstance(doc, FundingRequest):
        _request(doc, path, blocks, out)
    elif isinstance(doc, CompensationModel | AnnexDocument):
        _own_sections(doc, path, blocks, out, sections)
    for section in sections:
        if section is not None:
            out.tables |= set(section.tabeller)
    return out


def _own_facts(
    doc: Document, path: KeyPath, blocks: set[str], fields: set[str], out: Shown
) -> None:
    """A document's own number, version and later decisions."""
    for key in ("dokumentnummer", "version", "bilaga"):
        if getattr(doc, key) and key not in fields:
            out.missing.append(((*path, key), f"handlingens {key}", f"fält {key}"))
    if isinstance(doc, Memorandum) and doc.sammanträdesdatum and "sammanträdesdatum" not in fields:
        out.missing.append(
            ((*path, "sammanträdesdatum"), "sammanträdets datum", "fält sammanträdesdatum")
        )
    if getattr(doc, "efterföljande_beslut", None) and "efterföljande_beslut" not in blocks:
        out.missing.append(
            ((*path, "efterföljande_beslut"), "'efterföljande_beslut'", "efterföljande_beslut")
        )


def _header_keys(blocks: set[str], fields: set[str]) -> set[str]:
    """The header facts (and the remiss's views) a document with these blocks and fields shows."""
    keys = {
        key
        for key, (_, by_block, by_field) in HEADER_KEYS.items()
        if by_block & blocks or by_field & fields
    }
    return keys | ({"remiss.synpunkter"} if "synpunkter" in blocks else set())


ITEM_OWN = (
    ("ärendet", "ärendet"),
    ("förslag", "förslag"),
    ("beslut", "beslut"),
    ("beslutsunderlag", "beslutsunderlag"),
    ("expedieras_till", "expedieras_till"),
    ("diarienummer", "diarienummer"),
    ("omedelbart_justerad", "omedelbar_justering"),
)
"""A protocol paragraph's own keys and the block that shows each."""


def _minutes(
    doc: Minutes, path: KeyPath, blocks: set[str], items: set[str], out: Shown, fields: set[str]
) -> None:
    frame = doc.sammanträde
    for present, block, what in (
        (bool(doc.paragrafer), "paragrafer", "protokollets paragrafer"),
        (True, "sammanträde", "sammanträdets plats, tid och närvarande"),
        (bool(frame.ledamöter), "beslutande", "de beslutande"),
        (True, "protokollsunderskrifter", "sekreterarens, ordförandens och justerarnas namn"),
        (frame.anslag is not None, "anslag", "bevis om anslag"),
    ):
        if present and block not in blocks:
            out.missing.append(
                ((*path, "sammanträde" if block != "paragrafer" else block), what, block)
            )
    if "paragrafer" not in blocks:
        return
    shown = items | {f"{{{name}}}" for name in fields}
    if not {"paragraf", "paragrafrubrik", "{paragraf}"} & shown:
        out.missing.append(((*path, "paragrafer"), "paragrafernas nummer", "paragrafrubrik"))
    if not {"titel", "paragrafrubrik", "{titel}"} & shown:
        out.missing.append(((*path, "paragrafer"), "paragrafernas titlar", "paragrafrubrik"))
    for j, item in enumerate(doc.paragrafer):
        at: KeyPath = (*path, "paragrafer", j)
        _item_keys(item, at, items, out)
        for key, block in ITEM_OWN:
            if getattr(item, key) and not {block, f"{{{key}}}"} & shown:
                out.missing.append(((*at, key), f"'{key}' i § {item.paragraf}", block))


def _request(doc: FundingRequest, path: KeyPath, blocks: set[str], out: Shown) -> None:
    if "insats" in blocks:
        out.keys.add("titel")  # a request form names its effort, not the case's title
    else:
        out.missing.append(((*path, "insats"), "förfrågans uppgifter om insatsen", "insats"))
    if "budget" in blocks:
        out.tables |= {doc.budget, *([doc.fördelning] if doc.fördelning else [])}
    for key in REQUEST_KEYS:
        if getattr(doc, key) and key not in blocks:
            out.missing.append(((*path, key), f"förfrågans '{key}'", key))


def _own_sections(
    doc: CompensationModel | AnnexDocument,
    path: KeyPath,
    blocks: set[str],
    out: Shown,
    sections: list[Any],
) -> None:
    """A document with sections of its own: a bilaga's, or a compensation model's."""
    if isinstance(doc, CompensationModel):
        _compensation(doc, path, blocks, out, sections)
    else:
        if "egna_avsnitt" in blocks:
            sections += doc.avsnitt
        elif doc.avsnitt:
            out.missing.append(((*path, "avsnitt"), "bilagans avsnitt", "egna_avsnitt"))
        if doc.antagen is not None and "antagen" not in blocks:
            out.missing.append(((*path, "antagen"), "beslutet som antog dokumentet", "antagen"))
        if doc.innehållsförteckning and "innehållsförteckning" not in blocks:
            out.missing.append(
                ((*path, "innehållsförteckning"), "innehållsförteckningen", "innehållsförteckning")
            )


def _compensation(
    doc: CompensationModel, path: KeyPath, blocks: set[str], out: Shown, sections: list[Any]
) -> None:
    if "ersättningsavsnitt" in blocks:
        sections += doc.avsnitt
    elif doc.avsnitt:
        out.missing.append(
            ((*path, "avsnitt"), "ersättningsmodellens avsnitt", "ersättningsavsnitt")
        )
    if "tidrapporter" in blocks:
        out.tables |= set(doc.tidrapporter)
    if "schabloner" in blocks:  # shown there unless a section shows it already
        out.tables.add(doc.schabloner)
    if doc.beslutas_av is not None and "beslutas" not in blocks:
        out.missing.append(((*path, "beslutas_av"), "vem som beslutar modellen", "beslutas"))


def _extract(
    case: Case,
    doc: Extract,
    index: int,
    blocks: set[str],
    out: Shown,
    sections: list[Any],
    fields: set[str],
) -> None:
    path: KeyPath = ("handlingar", index)
    _item_keys(doc, path, blocks, out)
    if (
        doc.paragraf is not None
        and not {"paragraf", "paragrafrubrik"} & blocks
        and ("paragraf" not in fields)
    ):
        out.missing.append(((*path, "paragraf"), "paragrafens nummer", "paragraf"))
    if "paragrafrubrik" in blocks:
        out.keys.add("titel")  # '§ 45 Title': the extract's title with its number
    if doc.sammanträdesdatum is not None and "sammanträdesdatum" not in fields:
        out.missing.append(
            ((*path, "sammanträdesdatum"), "sammanträdets datum", "fält sammanträdesdatum")
        )
    if not {"organ", "organ_i_text", "organ_förkortning"} & fields:
        out.missing.append(((*path, "organ"), "organet vars protokoll det är", "fält organ"))
    if "justering" not in blocks:
        out.missing.append(((*path, "justering"), "utdragets justering", "justering"))
    _matter(case, doc, path, blocks, out, sections)
    # the proposal laid before the body is always the case's; its decision is the case's
    # proposal too unless the extract says what was decided
    if "förslag" in blocks or (doc.beslut is None and "beslut" in blocks):
        out.keys.add("förslag_till_beslut")
    if doc.beslut is not None and "beslut" not in blocks:
        out.missing.append(((*path, "beslut"), "utdragets 'beslut'", "beslut"))
    for key in ("beslutsunderlag", "expedieras_till"):
        own = getattr(doc, key)
        if own is None and key in blocks:
            out.keys.add(key)
        elif own and key not in blocks:
            out.missing.append(((*path, key), f"utdragets '{key}'", key))


def _matter(
    case: Case, doc: Extract, path: KeyPath, blocks: set[str], out: Shown, sections: list[Any]
) -> None:
    """An extract's 'Ärendet': its own, else the case's sammanfattning, else its bakgrund."""
    if "ärendet" not in blocks:
        if doc.ärendet is not None:
            out.missing.append(((*path, "ärendet"), "utdragets 'ärendet'", "ärendet"))
        return
    for key, section in (
        ("", doc.ärendet),
        ("sammanfattning", case.sammanfattning),
        ("bakgrund", case.bakgrund),
    ):
        if section is not None:
            if key:
                out.keys.add(key)
            sections.append(section)
            return


def _item_keys(item: object, path: KeyPath, blocks: set[str], out: Shown) -> None:
    for key in ITEM_KEYS:
        if getattr(item, key, None) and key not in blocks:
            out.missing.append(((*path, key), f"'{key}'", key))
