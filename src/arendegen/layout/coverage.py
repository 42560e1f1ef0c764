"""Nothing a case says is dropped: every filled key is shown by one of its documents, or
`validate` warns, naming the key and the documents that leave it out.

What each block shows is declared here, beside the layouts, so that `validate` can answer
without building anything: a key is shown when one of the case's documents has, in its
pack's layout, a block that prints it. A kind whose pack gives it a hand-written Word
template (pack.yaml `mallar`) arranges itself; it is trusted to show what it names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from arendegen.diagnostics import KeyPath, Severity
from arendegen.layout.model import Layout
from arendegen.schema import Case
from arendegen.schema.case import SECTION_KEYS
from arendegen.schema.documents import (
    CompensationModel,
    DeviationMemorandum,
    Document,
    Extract,
    FundingRequest,
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

REQUEST_KEYS = (
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


@dataclass
class Shown:
    """What one document shows: case keys, tables, and its own keys left out."""

    keys: set[str] = field(default_factory=set)
    tables: set[str] = field(default_factory=set)
    missing: list[tuple[KeyPath, str, str]] = field(default_factory=list)
    """The document's own filled keys its layout has no block for: path, what, block."""


def findings(case: Case, layouts: list[tuple[str, Layout | None]]) -> list[Finding]:
    """A warning for each filled key of the case that none of its documents shows.

    `layouts` has, per document, a label ('protokollsutdrag (kommun)') and the layout it is
    built with (None: a hand-written template, which shows what it shows)."""
    if any(layout is None for _, layout in layouts):
        return []
    shown = [
        _shown(case, doc, layout)
        for doc, (_, layout) in zip(case.handlingar, layouts, strict=True)
        if layout
    ]
    keys = set().union(*(s.keys for s in shown))
    tables = set().union(*(s.tables for s in shown))
    labels = ", ".join(dict.fromkeys(label for label, _ in layouts))
    out = []
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
    for name in case.tabeller:
        if name not in tables:
            out.append(
                Finding(
                    ("tabeller", name),
                    f"tabellen '{name}' visas inte i någon handling: inget avsnitt som visas "
                    "nämner den i sina `tabeller`",
                    Severity.WARNING,
                )
            )
    for (label, _), one in zip(layouts, shown, strict=True):
        for path, what, block in one.missing:
            out.append(
                Finding(
                    path,
                    f"{what} visas inte: {label} har inget block '{block}' för det",
                    Severity.WARNING,
                )
            )
    return out


def _warning(path: KeyPath, what: str, labels: str, block: str) -> Finding:
    return Finding(
        path,
        f"{what} visas inte i någon handling: {labels} har inget block '{block}' för det",
        Severity.WARNING,
    )


def _names(entries: object) -> set[str]:
    return {entry.block for entry in entries or ()}  # type: ignore[attr-defined]


def _shown(case: Case, doc: Document, layout: Layout) -> Shown:
    index = case.handlingar.index(doc)
    blocks = _names(layout.block)
    out = Shown()
    out.keys = {key for key, (block, _) in CASE_BLOCKS.items() if block in blocks}
    sections: list[Any] = [getattr(case, key) for key in SECTION_KEYS if key in out.keys]
    if "fler_avsnitt" in blocks:
        sections += case.fler_avsnitt
    if "synpunkter" in blocks and case.remiss is not None:
        sections += case.remiss.synpunkter
    path: KeyPath = ("handlingar", index)
    if isinstance(doc, Extract):
        _extract(case, doc, index, blocks, out, sections)
    elif isinstance(doc, Minutes) and "paragrafer" in blocks:
        _minutes(doc, path, _names(layout.paragraf_block), out)
    elif isinstance(doc, DeviationMemorandum) and "ekonomi" in blocks:
        out.tables.add(doc.avvikelse)
    elif isinstance(doc, FundingRequest):
        _request(doc, path, blocks, out)
    elif isinstance(doc, CompensationModel):
        _compensation(doc, path, blocks, out, sections)
    for section in sections:
        if section is not None:
            out.tables |= set(section.tabeller)
    return out


def _minutes(doc: Minutes, path: KeyPath, items: set[str], out: Shown) -> None:
    for j, item in enumerate(doc.paragrafer):
        at: KeyPath = (*path, "paragrafer", j)
        _item_keys(item, at, items, out)
        for key in ("ärendet", "förslag", "beslut", "beslutsunderlag", "expedieras_till"):
            if getattr(item, key) and key not in items:
                out.missing.append(((*at, key), f"'{key}' i § {item.paragraf}", key))


def _request(doc: FundingRequest, path: KeyPath, blocks: set[str], out: Shown) -> None:
    if "budget" in blocks:
        out.tables |= {doc.budget, *([doc.fördelning] if doc.fördelning else [])}
    for key in REQUEST_KEYS:
        if getattr(doc, key) and key not in blocks:
            out.missing.append(((*path, key), f"förfrågans '{key}'", key))


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


def _extract(
    case: Case, doc: Extract, index: int, blocks: set[str], out: Shown, sections: list[Any]
) -> None:
    path: KeyPath = ("handlingar", index)
    _item_keys(doc, path, blocks, out)
    if "ärendet" in blocks:
        if doc.ärendet is not None:
            sections.append(doc.ärendet)
        elif case.sammanfattning is not None:
            out.keys.add("sammanfattning")
            sections.append(case.sammanfattning)
        elif case.bakgrund is not None:
            out.keys.add("bakgrund")
            sections.append(case.bakgrund)
    elif doc.ärendet is not None:
        out.missing.append(((*path, "ärendet"), "utdragets 'ärendet'", "ärendet"))
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


def _item_keys(item: object, path: KeyPath, blocks: set[str], out: Shown) -> None:
    for key in ITEM_KEYS:
        if getattr(item, key, None) and key not in blocks:
            out.missing.append(((*path, key), f"'{key}'", key))
