"""A layout and a document's context → the document's body as blocks, and the few values its
Word template's header and footer print.

The Word template of a layout pack holds only `{{p innehåll }}` in its body: everything
between the page header and footer comes from here, in the template's own styles.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from arendegen.blocks import Block, Blocks, Cell, Contents, Paragraph, Picture, Run, Table
from arendegen.errors import ArendegenError
from arendegen.formatting import format_date_as, in_text
from arendegen.layout.model import PROTOCOL_KINDS, Entry, Header, HouseRules, Layout, Running
from arendegen.layout.model import Cell as CellSpec
from arendegen.layout.parts import PARTS, View, heading
from arendegen.schema.case import SECTION_KEYS
from arendegen.schema.documents import REQUEST_QUESTIONS
from arendegen.schema.gaps import GAP_MARK

SMALL = 16  # half-points: 8 pt labels and small header lines
LARGE = 26  # half-points: 13 pt, the document's name in the header
TEXT_WIDTH = 9000


def compose(layout: Layout, context: Mapping[str, Any], rules: HouseRules, kind: str) -> Blocks:
    """The whole body of one document: logo, header block, then the layout's blocks.

    `context` is the template's context with the facts only layouts use (`datum`: the
    dates, `ort`, `bilagetitlar`)."""
    values = fields(context, rules)
    top: list[Block] = []
    logo = context.get("logo")
    if logo is not None:
        top.append(Picture(logo.name, logo.data, logo.height_mm, logo.alt))
    budget = Budget()
    header = header_blocks(layout.huvud, values, rules)
    budget.spend(header)
    top += header
    item = context["protokoll"] if kind == "protokollsutdrag" else None
    view = View(context, rules, item, tuple(layout.paragraf_block or ()), values, budget)
    return Blocks(tuple(top)) + body(layout.block or (), view)


OWN_HEADING = frozenset(
    {
        *SECTION_KEYS,
        "barnchecklista",
        "motion",
        "remiss",
        "synpunkter",
        "delegation",
        "förslag_till_beslut",
        "ställningstaganden",
        "beredningsansvariga",
        "beslutsunderlag",
        "bilagor",
        "expedieras_till",
        "underskrifter",
        "jäv",
        "yrkanden",
        "propositionsordning",
        "beslutsgång",
        "votering",
        "beslut",
        "reservationer",
        "särskilda_yttranden",
        "protokollsanteckningar",
        "ärendet",
        "förslag",
        "justering",
        "sammanträde",
        "beslutande",
        "protokollsunderskrifter",
        "anslag",
        *REQUEST_QUESTIONS,
        "budget",
        "insats",
        "beslutas",
        "beslutsplanering",
        "diarienummer",
        "rubrik",
        "paragraf",
        "paragrafrubrik",
        "text",
        "titel",
        "dokumenttyp",
        "innehållsförteckning",
    }
)
"""Blocks whose part places the entry's `rubrik` itself; above any other block, a `rubrik`
is printed as a heading of its own (when the block shows something)."""


def body(entries: Sequence[Entry], view: View) -> Blocks:
    """The entries' blocks in order; an entry that starts a page breaks before its first."""
    out: list[Block] = []
    names = frozenset(entry.block for entry in entries)
    view = dataclasses.replace(view, names=names)
    for entry in entries:
        if view.budget is not None:  # its own words are read whether or not it prints
            view.budget.charge(1, len(entry.text or "") + len(entry.rubrik or ""))
        if entry.rubrik is not None and "{" in entry.rubrik:
            entry = entry.model_copy(update={"rubrik": fill(entry.rubrik, view.values or {})})
        shown = PARTS[entry.block](view, entry).items
        if entry.rubrik and entry.block not in OWN_HEADING and shown:
            shown = (heading(entry.rubrik, entry.nivå or 2), *shown)
        if entry.ny_sida and shown:
            shown = _break_before(shown)
        if view.budget is not None:
            view.budget.spend(shown)
        out += shown
    return Blocks(tuple(_with_contents(out)))


def _with_contents(items: list[Block]) -> list[Block]:
    """The table of contents filled in: a line for every heading after it (to its depth),
    each heading bookmarked, its page number a field the page layout fills in."""
    where = next((i for i, b in enumerate(items) if isinstance(b, Contents)), None)
    if where is None:
        return items
    marker = items[where]
    assert isinstance(marker, Contents)
    rest: list[Block] = [b for b in items[where + 1 :] if not isinstance(b, Contents)]
    found = [(i, level) for i, b in enumerate(rest) if (level := _heading_level(b, marker.levels))]
    if not found:
        return items[:where] + rest  # nothing to list: no empty table of contents
    top = min(level for _, level in found)
    lines: list[Paragraph] = [marker.heading] if marker.heading else []
    for number, (i, level) in enumerate(found, start=1):
        heading = rest[i]
        assert isinstance(heading, Paragraph)
        rest[i] = dataclasses.replace(heading, bookmark=number)
        text = "".join(run.text for run in heading.runs)
        lines.append(
            Paragraph(
                # the page number is the link (PAGEREF \h): LibreOffice 7.4 tags a text
                # link to a bookmark as a Link with no annotation behind it
                (Run(text), Run("\t"), Run("", page_of=number)),
                contents_level=level - top + 1,
                tight=True,
            )
        )
    if marker.own_page:
        lines[0] = dataclasses.replace(lines[0], page_break_before=True)
        rest = list(_break_before(rest))
    return [*items[:where], *lines, *rest]


def _heading_level(block: Block, deepest: int) -> int:
    """A heading's level when the table of contents lists it (and it has words), else 0."""
    if not isinstance(block, Paragraph) or not block.style.startswith("Heading "):
        return 0
    level = block.style.removeprefix("Heading ")
    shown = "".join(run.text for run in block.runs).strip()
    return int(level) if level.isdigit() and int(level) <= deepest and shown else 0


class LayoutProblem(ArendegenError):
    """A layout that cannot make this case's document; reported at the pack's pack.yaml."""


@dataclasses.dataclass
class Budget:
    """What composing one document may emit: a layout may repeat a block, and a paragraph
    block stands under every paragraph of a protocol, so the work is bounded by what comes
    out, as it comes out, not by the length of the layout."""

    items: int = 0
    characters: int = 0

    def charge(self, items: int, characters: int) -> None:
        self.items += items
        self.characters += characters
        self._check()

    def spend(self, blocks: Sequence[Block]) -> None:
        for block in blocks:
            if isinstance(block, Table):
                self.items += len(block.rows)
                self.characters += sum(
                    len(c.text) + _weight(c.lines) for r in block.rows for c in r
                )
            elif isinstance(block, Paragraph):
                self.items += 1
                self.characters += _weight((block,))
            else:
                self.items += 1
        self._check()

    def _check(self) -> None:
        if self.items > MAX_ITEMS or self.characters > MAX_CHARACTERS:
            raise LayoutProblem(
                f"layouten ger mer än {MAX_ITEMS:,} stycken eller {MAX_CHARACTERS:,} tecken i en "
                "handling (står ett block många gånger?)".replace(",", " ")
            )


def _weight(paragraphs: Sequence[Paragraph]) -> int:
    return sum(len(run.text) for p in paragraphs for run in p.runs)


MAX_ITEMS = 100_000
MAX_CHARACTERS = 20_000_000
"""What one document's composed body may hold: paragraphs and table rows, and characters."""


def _break_before(shown: Sequence[Block]) -> tuple[Block, ...]:
    """The blocks with a page break before the first (an empty paragraph that breaks, when
    the first is a table or a picture)."""
    first = shown[0]
    if isinstance(first, Contents):  # its own page: it breaks before its first line
        return (dataclasses.replace(first, own_page=True), *shown[1:])
    if isinstance(first, Paragraph):
        return (dataclasses.replace(first, page_break_before=True), *shown[1:])
    return (Paragraph((), tight=True, page_break_before=True), *shown)


# --- the header block ---------------------------------------------------------------------


def fields(context: Mapping[str, Any], rules: HouseRules) -> dict[str, str]:
    """Every value a header cell, running header or footer may name, as text."""
    org, doc = context["org"], context["dokument"]
    person = context["handläggare"] or {}
    people = context["personer"] or {}
    meeting = context["protokoll"] or context["sammanträde"] or context["kallelse"] or {}
    dates = context.get("datum") or {}

    def date(key: str, style: str | None = None) -> str:
        value = dates.get(key)
        return format_date_as(value, style or rules.datumformat) if value else ""

    def who(role: str, label: str) -> str:
        p = people.get(role) or {}
        if not p:
            return ""
        return f"{label}: {p['namn']}" + (f", {p['titel']}" if p.get("titel") else "")

    values = {
        "organisation": org["namn"] or "",
        "förvaltning": org["förvaltning"],
        "avdelning": org["avdelning"],
        "beredande_organ": doc["beredande_organ"],
        "gemensam_nämnd": org["gemensam"],
        "organ": meeting.get("organ", ""),
        "organ_i_text": in_text(meeting.get("organ", "")),
        "organ_förkortning": (context.get("förkortningar") or {}).get(meeting.get("organ", ""))
        or meeting.get("organ", ""),
        "ort": context.get("ort") or "",
        "dokumenttyp": doc["typ"],
        "bilaga": doc["bilaga"],
        "datum": date("datum"),
        # a draft's extract that does not know its meeting's date shows the mark
        "sammanträdesdatum": date("sammanträdesdatum") or _mark(meeting.get("sammanträdesdatum")),
        "diarienummer": doc["diarienummer"],
        "dokumentnummer": doc["dokumentnummer"],
        "version": doc["version"],
        "paragraf": meeting.get("paragraf") or meeting.get("paragrafer") or "",
        "mottagare": context["mottagare"] or "",
        "handläggare": person.get("namn", ""),
        "handläggare_titel": person.get("titel", ""),
        "handläggare_telefon": person.get("telefon", ""),
        "handläggare_epost": person.get("epost", ""),
        "ansvarig": who("ansvarig", "Ansvarig"),
        "ansvarig_namn": (people.get("ansvarig") or {}).get("namn", ""),
        "föredragande": who("föredragande", "Föredragande"),
        "föredragande_namn": (people.get("föredragande") or {}).get("namn", ""),
        "titel": doc["titel"],
    }
    values["_dates"] = dates
    return values


def _mark(value: object) -> str:
    """A draft's gap mark ('[datum saknas]') the context put where a value would stand."""
    return value if isinstance(value, str) and GAP_MARK.fullmatch(value) else ""


_FIELD = re.compile(r"\{([^{}]+)\}")


MAX_FILLED = 100_000
"""Longest text a layout's text with its fields filled in may be (a case's longest field)."""


def fill(text: str, values: Mapping[str, Any], escape: Callable[[str], str] | None = None) -> str:
    """'Till {mottagare}' with its fields. The words before a field are printed only with
    the field's value ('{dokumentnummer} version {version}' without a version is the number
    alone), and nothing is printed when every field named is empty. The result is bounded
    before it is built: a text naming a long field many times is refused, not made."""
    names = _FIELD.findall(text)
    if names and not any(values.get(n) for n in names):
        return ""
    size = len(text) + sum(len(str(values.get(n) or "")) for n in names)
    if size > MAX_FILLED:
        raise LayoutProblem(
            f"en text i layouten blir {size:,} tecken med ärendets värden; gränsen är "
            f"{MAX_FILLED:,}".replace(",", " ")
        )
    out, start = [], 0
    for match in _FIELD.finditer(text):
        value = str(values.get(match.group(1)) or "")
        if value:
            out.append(text[start : match.start()] + (escape(value) if escape else value))
        start = match.end()
    out.append(text[start:])
    return "".join(out).strip()


def cell_value(spec: CellSpec, values: Mapping[str, Any], rules: HouseRules) -> str:
    if spec.fält is not None:
        if spec.datumformat and spec.fält in ("datum", "sammanträdesdatum"):
            value = values["_dates"].get(spec.fält)
            text = format_date_as(value, spec.datumformat) if value else values.get(spec.fält, "")
        else:
            text = str(values.get(spec.fält) or "")
    else:
        text = fill(spec.text or "", values)
    return text.upper() if spec.versaler else text


def _lines(spec: CellSpec, values: Mapping[str, Any], rules: HouseRules) -> list[Paragraph]:
    """A cell's paragraphs: its label (small) above its value; nothing when the value is."""
    value = cell_value(spec, values, rules)
    if not value:
        return []
    size = SMALL if spec.liten else LARGE if spec.stor else None
    out = []
    if spec.etikett:
        label = fill(spec.etikett, values) if "{" in spec.etikett else spec.etikett
        out.append(Paragraph((Run(label, size=SMALL),), tight=True))
    out.append(Paragraph((Run(value, bold=spec.fet, size=size),), tight=True))
    return out


def header_blocks(
    header: Header | None, values: Mapping[str, Any], rules: HouseRules
) -> list[Block]:
    """The header block: two columns, a grid of labelled cells, or one line."""
    if header is None or header.form == "ingen":
        return []
    if header.form == "rad":
        text = fill(header.text or "", values)
        return [Paragraph((Run(text),))] if text else []
    if header.form == "två_spalter":
        left = [p for spec in header.vänster for p in _lines(spec, values, rules)]
        right = [p for spec in header.höger for p in _lines(spec, values, rules)]
        if not left and not right:
            return []
        row = (_cell(left), _cell(right))
        return [Table((row,), _widths(header, 2, (60, 40)), borders=False, header=False)]
    rows = []
    for specs in header.rader:
        cells = [_lines(spec, values, rules) for spec in specs]
        if not any(cells):
            continue  # a row with nothing in it is left out, not printed empty
        rows.append(tuple(_cell(c) for c in cells))
    if not rows:
        return []
    columns = max(len(r) for r in rows)
    rows = [r + (_cell([]),) * (columns - len(r)) for r in rows]
    borders = header.ramar if header.ramar is not None else True
    widths = _widths(header, columns, (100 / columns,) * columns)
    return [Table(tuple(rows), widths, borders=borders, header=False)]


def _widths(header: Header, columns: int, default: Sequence[float]) -> tuple[int, ...]:
    """The columns' widths in twentieths of a point: the header's percentages (the last
    columns share what is left when fewer are given), else the default."""
    given = [float(p) for p in (header.spaltbredd or [])][:columns]
    if not given:
        shares = list(default)
    else:
        rest = max(0.0, 100 - sum(given))
        missing = columns - len(given)
        shares = given + [rest / missing] * missing if missing else given
    total = sum(shares) or 1
    return tuple(max(300, round(TEXT_WIDTH * share / total)) for share in shares)


def _cell(lines: list[Paragraph]) -> Cell:
    # a cell must hold a paragraph; an empty one holds one with nothing in it
    return Cell("", lines=tuple(lines) or (Paragraph((), tight=True),))


# --- what the Word template's header and footer print ------------------------------------


def page_values(
    layout: Layout, context: Mapping[str, Any], rules: HouseRules, kind: str
) -> dict[str, Any]:
    """The running header, the footer's left text, the page label's parts, the attestation."""
    values = fields(context, rules)
    before, _, rest = rules.sidnummer.partition("{sida}")
    middle, has_total, after = rest.partition("{antal}")
    attest = layout.justeringsrad if layout.justeringsrad is not None else kind in PROTOCOL_KINDS
    page = {"före": before, "mellan": middle, "efter": after, "antal": bool(has_total)}
    pages = context.get("sidor")
    if pages is not None and pages.antal is not None and has_total:
        # the whole protocol's page count, written out: Word counts only this document's
        page = {
            "före": before,
            "mellan": f"{middle}{pages.antal}{after}",
            "efter": "",
            "antal": False,
        }
    attest_text = fill(rules.justeringsrad_text, values) if attest else ""
    header = layout.sidhuvud if layout.sidhuvud is not None else rules.sidhuvud
    footer = layout.sidfot if layout.sidfot is not None else rules.sidfot

    def running(items: Sequence[Running]) -> str:
        texts = (
            str(values.get(i.fält) or "") if i.fält else fill(i.text or "", values) for i in items
        )
        return " · ".join(t for t in texts if t)

    return {
        "sidhuvud": running(header),
        "sidfot": running(footer),
        "sidnummer_sidfot": page if rules.sidnummer_plats == "sidfot" else None,
        "sidnummer_sidhuvud": page if rules.sidnummer_plats == "sidhuvud" else None,
        "justeringsrad": attest_text,
    }
