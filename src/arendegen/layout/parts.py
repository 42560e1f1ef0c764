"""What each block name of a layout shows: one small function per block, in a registry.

A part reads the document's context (context.py: formatted text and blocks, computed
once) and returns its blocks under its heading. A heading is never printed over an empty
block: a part with nothing to show returns nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from arendegen.blocks import (
    Block,
    Blocks,
    Contents,
    Paragraph,
    Run,
    blocks,
    markdown,
    markdown_escape,
    paragraph,
)
from arendegen.formatting import NBSP, labelled_number
from arendegen.layout.coverage import ITEM_KEYS
from arendegen.layout.model import BLOCKS, Entry, HouseRules
from arendegen.schema.case import SECTION_KEYS
from arendegen.schema.documents import REQUEST_QUESTIONS
from arendegen.schema.gaps import MARKS


@dataclass(frozen=True)
class View:
    """What a part sees: the document's context and, in a protocol, the paragraph at hand."""

    context: Mapping[str, Any]
    rules: HouseRules
    item: Mapping[str, Any] | None = None
    """The paragraph of a protocol (a protokollsutdrag's `protokoll`, or one of a
    sammanträdesprotokoll's `ärenden`)."""
    item_parts: tuple[Entry, ...] = ()
    """The layout of each paragraph, for the `paragrafer` block."""
    values: Mapping[str, Any] | None = None
    """The header fields, for texts that name them."""
    budget: Any = None
    """What composing the document may still emit (compose.Budget)."""
    names: frozenset[str] = frozenset()
    """The blocks of the list being composed (a part may depend on its neighbours)."""

    def heading(self, key: str) -> str:
        return str(self.context["rubriker"].get(key, ""))


Part = Callable[[View, Entry], Blocks]
PARTS: dict[str, Part] = {}


def part(*names: str) -> Callable[[Part], Part]:
    """Register a function as the part for these block names."""

    def register(function: Part) -> Part:
        for name in names:
            assert name in BLOCKS, name
            PARTS[name] = function
        return function

    return register


def headed(label: str | None, body: Blocks, entry: Entry, level: int = 2) -> Blocks:
    """The block under its heading (the entry's own, else `label`, at the entry's level,
    else `level`); nothing at all when the block is empty."""
    title = entry.rubrik if entry.rubrik is not None else label
    if not body and not (entry.visa_tom and title and not entry.utan_rubrik):
        return Blocks()
    if entry.utan_rubrik or not title:
        return body
    return blocks(heading(title, entry.nivå or level)) + body


def heading(text: str, level: int = 2) -> Paragraph:
    return Paragraph((Run(text),), f"Heading {level}", keep_with_next=True)


def line(text: str, *, bold: bool = False) -> Blocks:
    return blocks(paragraph(text, bold=bold)) if text else Blocks()


def _joined(parts: Iterable[Blocks]) -> Blocks:
    """Blocks one after another, gathered once (not added pairwise, which is quadratic)."""
    return Blocks(tuple(item for part in parts for item in part.items))


def _section(section: Mapping[str, Any] | None, entry: Entry) -> Blocks:
    if not section:
        return Blocks()
    text: Blocks = section["text"]
    if section.get("utan_rubrik"):  # the case's own word: no heading, whatever the layout's
        return text
    return headed(section["rubrik"], section["text"], entry)


# --- the top of the document ------------------------------------------------------------


@part("titel")
def _title(view: View, entry: Entry) -> Blocks:
    if view.item is not None and "titel" in view.item:
        return blocks(heading(view.item["titel"], entry.nivå or 1))
    style = f"Heading {entry.nivå}" if entry.nivå else "Title"
    return blocks(Paragraph((Run(view.context["dokument"]["titel"]),), style, keep_with_next=True))


@part("dokumenttyp")
def _kind(view: View, entry: Entry) -> Blocks:
    style = f"Heading {entry.nivå}" if entry.nivå else "Title"
    return blocks(Paragraph((Run(view.context["dokument"]["typ"]),), style, keep_with_next=True))


@part("diarienummer")
def _number(view: View, entry: Entry) -> Blocks:
    item = view.item or {}
    # a protocol's paragraph has its own number, or none; an extract is of the case's
    number = (
        item["diarienummer"] if "diarienummer" in item else view.context["dokument"]["diarienummer"]
    )
    label = (
        "" if entry.utan_rubrik else entry.rubrik if entry.rubrik is not None else "Diarienummer"
    )
    if not number:
        return line("")
    return line(labelled_number(number, label) if label else number)


@part("mottagare")
def _addressee(view: View, entry: Entry) -> Blocks:
    return line(view.context["mottagare"] or "", bold=True)


@part("remissinstans")
def _sender(view: View, entry: Entry) -> Blocks:
    remiss = view.context["remiss"]
    return line(remiss["avsändare"] if remiss else "", bold=True)


@part("mallversion")
def _form_version(view: View, entry: Entry) -> Blocks:
    request = view.context["förfrågan"]
    version = request["mallversion"] if request else ""
    return blocks(paragraph(version, "Normal")) if version else Blocks()


@part("text")
def _text(view: View, entry: Entry) -> Blocks:
    """A house's own words, with the case's fields: Markdown, or a heading with `nivå`."""
    from arendegen.layout.compose import fill

    if entry.nivå:
        text = fill(entry.text or "", view.values or {})
        return blocks(heading(text, entry.nivå)) if text else Blocks()
    # the house's words are Markdown; the case's values in them are text, not Markdown
    text = fill(entry.text or "", view.values or {}, escape=markdown_escape)
    return markdown(text, remember=False) if text else Blocks()


@part("beslutsplanering")
def _planning(view: View, entry: Entry) -> Blocks:
    steps = view.context.get("beslutsplanering") or []
    body = Blocks(tuple(paragraph(step, tight=True) for step in steps))
    return headed("Beslutsplanering", body, entry)


@part("rubrik")
def _heading(view: View, entry: Entry) -> Blocks:
    return blocks(heading(entry.rubrik, entry.nivå or 2)) if entry.rubrik else Blocks()


# --- the case's prose -------------------------------------------------------------------


@part(*SECTION_KEYS, "barnchecklista")
def _prose(view: View, entry: Entry) -> Blocks:
    return _section(view.context["avsnitt"][entry.block], entry)


@part("fler_avsnitt")
def _more(view: View, entry: Entry) -> Blocks:
    inner = entry.model_copy(update={"rubrik": None})
    return _joined(_section(section, inner) for section in view.context["avsnitt"]["fler"])


@part("motion")
def _motion(view: View, entry: Entry) -> Blocks:
    return _section(view.context["motion"], entry)


@part("remiss")
def _consultation(view: View, entry: Entry) -> Blocks:
    remiss = view.context["remiss"]
    return headed(view.heading("remiss"), remiss["fakta"] if remiss else Blocks(), entry)


@part("synpunkter")
def _views(view: View, entry: Entry) -> Blocks:
    remiss = view.context["remiss"]
    if not remiss or not remiss["synpunkter"]:
        return Blocks()
    inner = entry.model_copy(update={"rubrik": None, "nivå": min((entry.nivå or 2) + 1, 3)})
    body = _joined(_section(item, inner) for item in remiss["synpunkter"])
    return headed(view.heading("synpunkter"), body, entry)


@part("delegation")
def _delegation(view: View, entry: Entry) -> Blocks:
    delegation = view.context["delegation"]
    return headed(view.heading("delegation"), delegation["text"] if delegation else Blocks(), entry)


# --- the decision, people, papers -------------------------------------------------------


def _plain(key: str, label: str | None = None) -> Part:
    def show(view: View, entry: Entry) -> Blocks:
        return headed(view.heading(label or key), view.context[key] or Blocks(), entry)

    return show


part("förslag_till_beslut")(_plain("förslag", "förslag_till_beslut"))
for _key in ("ställningstaganden", "beredningsansvariga"):
    part(_key)(_plain(_key))


@part("bilagor")
def _annexes(view: View, entry: Entry) -> Blocks:
    if not view.rules.bilagor_som_beslutsunderlag and _repeats_basis(view):
        return Blocks()
    return _plain("bilagor")(view, entry)


def _repeats_basis(view: View) -> bool:
    """Whether the layout lists the beslutsunderlag and every annex is one of them (by its
    number: a beslutsunderlag with `bilaga: N`)."""
    numbers = view.context.get("bilagenummer") or []
    listed = set(view.context.get("bilagor_i_underlag") or [])
    return "beslutsunderlag" in view.names and bool(numbers) and set(numbers) <= listed


@part("underskrifter")
def _signatures(view: View, entry: Entry) -> Blocks:
    return headed(None, view.context["underskrifter"] or Blocks(), entry)


@part("efterföljande_beslut")
def _later(view: View, entry: Entry) -> Blocks:
    inner = entry.model_copy(update={"rubrik": None})
    out = []
    for decision in view.context["efterföljande_beslut"] or []:
        by = " ".join(x for x in (decision["beslutsfattare"], decision["datum"]) if x)
        out.append(headed(decision["rubrik"], decision["text"] + line(by), inner))
    return _joined(out)


@part("beslutsfattare")
def _delegate(view: View, entry: Entry) -> Blocks:
    delegation = view.context["delegation"]
    person = delegation["beslutsfattare"] if delegation else None
    if not person:
        return Blocks()
    lines = ["", "______________________________", person["namn"], person["titel"]]
    return Blocks(tuple(paragraph(x) for x in lines if x or x == lines[0]))


# --- a protocol's paragraph --------------------------------------------------------------


def _item(key: str, label: str | None = None) -> Part:
    def show(view: View, entry: Entry) -> Blocks:
        item = view.item or {}
        return headed(view.heading(label or key), item.get(key) or Blocks(), entry)

    return show


for _key in (
    "jäv",
    "yrkanden",
    "propositionsordning",
    "beslutsgång",
    "votering",
    "beslut",
    "särskilda_yttranden",
    "protokollsanteckningar",
):
    part(_key)(_item(_key))
part("reservationer")(_item("reservationer", "reservation"))


def _either(paper: Part, meeting: Part) -> Part:
    """In a protocol, the paragraph's own list; elsewhere the case's."""
    return lambda view, entry: (meeting if view.item is not None else paper)(view, entry)


part("beslutsunderlag")(_either(_plain("beslutsunderlag"), _item("beslutsunderlag")))
part("expedieras_till")(
    _either(_plain("expedieras_till"), _item("expedieras_till", "utdrag_expedieras_till"))
)


@part("paragraf", "paragrafrubrik")
def _paragraph_number(view: View, entry: Entry) -> Blocks:
    item = view.item or {}
    number = item.get("paragraf") or ""
    title = item.get("titel") or view.context["dokument"]["titel"]
    if not number and entry.block == "paragraf":
        return Blocks()
    if not number:  # an extract that does not state its number keeps its title
        return blocks(heading(title, entry.nivå or 1))
    # the house's own pattern, its fields already filled ('KSAU {paragraf}'), or the default
    text = entry.rubrik or (f"{number} {title}" if entry.block == "paragrafrubrik" else number)
    return blocks(heading(text, entry.nivå or 1))


@part("ärendet")
def _matter(view: View, entry: Entry) -> Blocks:
    return _section((view.item or {}).get("ärendet"), entry)


@part("förslag")
def _laid_before(view: View, entry: Entry) -> Blocks:
    item = view.item or {}
    return headed(item.get("förslag_rubrik"), item.get("förslag") or Blocks(), entry)


@part("omedelbar_justering")
def _at_once(view: View, entry: Entry) -> Blocks:
    return line((view.item or {}).get("omedelbart_justerad") or "")


@part("justering")
def _attestation(view: View, entry: Entry) -> Blocks:
    item = view.item or {}
    body = item.get("justering") or Blocks()
    return headed(None, blocks(paragraph("")) + body if body else body, entry)


# --- a protocol's frame ------------------------------------------------------------------


@part("sammanträde")
def _meeting(view: View, entry: Entry) -> Blocks:
    from arendegen.blocks import Cell, Table

    meeting = view.context["sammanträde"] or {}
    facts = [
        (view.heading("plats_och_tid"), meeting.get("plats_och_tid", "")),
        (view.heading("ersättare"), meeting.get("ersättare", "")),
        (view.heading("övriga"), meeting.get("övriga", "")),
        (view.heading("frånvarande"), meeting.get("frånvarande", "")),
        (view.heading("justerare"), meeting.get("justerare", "")),
        (view.heading("justeringens_plats_och_tid"), meeting.get("justering", "")),
        (view.heading("paragrafer"), _excerpt(meeting)),
    ]
    rows = tuple((Cell(k, bold=True), Cell(v)) for k, v in facts if v)
    if not rows:
        return Blocks()
    table = Table(rows, (2600, 6400), borders=False, header=False, role="key_value")
    return headed(None, Blocks((table,)), entry)


@part("närvarotabell")
def _presence(view: View, entry: Entry) -> Blocks:
    """Who served at each paragraph, as the house's grid: a row per member or substitute
    serving, a column per paragraph, 'x' where they took part ('–' for an absent member)."""
    from arendegen.blocks import Cell, Table

    meeting = view.context["sammanträde"] or {}
    presence = meeting.get("närvaro") or []
    numbers = meeting.get("paragrafnummer") or []
    if not presence or not numbers:
        return Blocks()
    head = (Cell("", bold=True), *(Cell(f"§{NBSP}{n}", bold=True, number=True) for n in numbers))
    rows = [head] + [
        (
            Cell(person["namn"]),
            *(Cell(_PRESENCE_MARK[person["paragrafer"][n]], number=True) for n in numbers),
        )
        for person in presence
    ]
    first = 3200
    rest = min(max((9000 - first) // len(numbers), 300), 800)  # narrow columns of marks
    table = Table(tuple(rows), (first, *[rest] * len(numbers)), compact=len(numbers) > 6)
    return headed(view.heading("närvaro"), Blocks((table,)), entry, level=3)


_PRESENCE_MARK = {"tjänstgörande": "x", "ej tjänstgörande": "", "frånvarande": "–"}


@part("kallelse")
def _notice(view: View, entry: Entry) -> Blocks:
    from arendegen.blocks import Cell, Table

    notice = view.context["kallelse"] or {}
    facts = [
        (view.heading(key), notice.get(key, ""))
        for key in ("tid", "plats", "kallade", "övriga_kallade", "för_kännedom")
    ]
    rows = tuple((Cell(k, bold=True), Cell(v)) for k, v in facts if v)
    if not rows:
        return Blocks()
    table = Table(rows, (2600, 6400), borders=False, header=False, role="key_value")
    return headed(None, Blocks((table,)), entry)


@part("ärendelista")
def _agenda(view: View, entry: Entry) -> Blocks:
    """Each item: 'N. Titel' as a heading, a line with its number, presenter, time and where
    it goes, then its summary and its proposal."""
    notice = view.context["kallelse"] or {}
    out: list[Block] = []
    for item in notice.get("ärenden", []):
        title = heading(f"{item['nummer']}. {item['titel']}", entry.nivå or 3)
        below = item["rad"] or item["sammanfattning"] or item["förslag"]
        # an item of a title only is not kept with the next, or a list of them moves as one
        out.append(title if below else Paragraph(title.runs, title.style))
        if item["rad"]:
            out.append(paragraph(item["rad"], tight=True))
        out += item["sammanfattning"].items
        out += item["förslag"].items
    return headed(view.heading("ärendelista"), Blocks(tuple(out)), entry)


@part("innehållsförteckning")
def _contents(view: View, entry: Entry) -> Blocks:
    if not view.context.get("innehållsförteckning"):
        return Blocks()
    title = entry.rubrik if entry.rubrik is not None else view.heading("innehållsförteckning")
    top = None if entry.utan_rubrik or not title else heading(title, entry.nivå or 2)
    return blocks(Contents(top))  # `ny_sida` gives it a page of its own (compose.body)


@part("antagen")
def _adopted(view: View, entry: Entry) -> Blocks:
    return line(view.context["antagen"] or "")


@part("delegationslista")
def _delegated(view: View, entry: Entry) -> Blocks:
    report = view.context["delegationsanmälan"] or {}
    return headed(view.heading("delegationslista"), report.get("beslut") or Blocks(), entry)


@part("mottagna_beslut")
def _received(view: View, entry: Entry) -> Blocks:
    report = view.context["delegationsanmälan"] or {}
    return headed(view.heading("mottagna_beslut"), report.get("mottagna") or Blocks(), entry)


@part("beslutande")
def _members(view: View, entry: Entry) -> Blocks:
    meeting = view.context["sammanträde"] or {}
    return headed(view.heading("beslutande"), meeting.get("beslutande") or Blocks(), entry, level=3)


@part("protokollsunderskrifter")
def _protocol_signatures(view: View, entry: Entry) -> Blocks:
    from arendegen.blocks import Cell, Table

    meeting = view.context["sammanträde"]
    if not meeting:
        return Blocks()  # only a protocol has its secretary, chair and justerare
    # each justerare signs on a line of their own, as the secretary and the chair do
    attesters = meeting.get("justerare_var") or [meeting.get("justerare", "")]
    roles = (
        (view.heading("sekreterare"), meeting.get("sekreterare", "")),
        (view.heading("ordförande"), meeting.get("ordförande", "")),
        *((view.heading("justerare"), name) for name in attesters),
    )
    cells = tuple(
        Cell(
            "",
            lines=(
                *((Paragraph((Run(""),), tight=True),) * (2 if index >= 3 else 0)),  # a row below
                Paragraph((Run(role, bold=True),), tight=True),
                Paragraph((Run(""),), tight=True),
                Paragraph((Run("______________________"),), tight=True),
                Paragraph((Run(name),), tight=True),
            ),
        )
        for index, (role, name) in enumerate(roles)
    )
    rows = tuple(cells[i : i + 3] for i in range(0, len(cells), 3))  # three to a row
    rows = tuple(row + tuple(Cell("") for _ in range(3 - len(row))) for row in rows)
    table = Table(rows, (3000, 3000, 3000), borders=False, header=False)
    return headed(None, blocks(paragraph("")) + Blocks((table,)), entry)


@part("anslag")
def _posting(view: View, entry: Entry) -> Blocks:
    """The notice that the minutes are attested, as the facts the case gives (no place or
    wording it does not state): a sentence, then the dates, where the minutes are kept and
    who certifies it."""
    from arendegen.blocks import Cell, Table

    meeting = view.context["sammanträde"] or {}
    posting = meeting.get("anslag")
    if not posting:
        return Blocks()
    facts = [
        ("Organ", meeting.get("organ", "")),
        ("Datum då anslaget sätts upp", posting["uppsatt"]),
        ("Datum då anslaget tas ned", posting["nedtas"]),
        ("Förvaringsplats för protokollet", posting["förvaringsplats"]),
        ("Underskrift", posting["underskrift"]),
    ]
    rows = tuple((Cell(k, bold=True), Cell(v)) for k, v in facts if v)
    # the certificate's sentence only when it is true: attested, and the notice put up
    done = meeting.get("justerad") and posting["uppsatt"] != MARKS["datum"]
    text = "Protokollet är justerat. Justeringen har tillkännagivits genom anslag."
    box = Blocks((Table(rows, (3800, 5200), header=False, role="key_value"),))
    certificate = blocks(Paragraph((Run(text),), keep_with_next=True)) if done else Blocks()
    return headed(view.heading("anslag"), certificate + box, entry)


def _excerpt(meeting: Mapping[str, Any]) -> str:
    """'§ 28–29', or for an excerpt of a longer meeting '§ 28–29 (utdrag ur § 28–45)'."""
    held = str(meeting.get("paragrafer", ""))
    whole = meeting.get("utdrag_ur")
    if whole and held and held != whole:
        return f"{held} (utdrag ur {whole})"
    return held or str(whole or "")


_BODY = (
    "diarienummer",
    "ärendet",
    "förslag",
    "beslut",
    "beslutsunderlag",
    "expedieras_till",
    "omedelbart_justerad",
    *ITEM_KEYS,
)


def _bare(item: Mapping[str, Any]) -> bool:
    """A paragraph with a number and a title and nothing else: listed on one line, not a
    page of its own."""
    return not any(item.get(key) for key in _BODY)


@part("paragrafer")
def _items(view: View, entry: Entry) -> Blocks:
    from arendegen.layout.compose import body

    meeting = view.context["sammanträde"] or {}
    out: list[Block] = []
    for item in meeting.get("ärenden", []):
        if _bare(item):  # a first page listing its paragraphs: '§ 28 Val av justerare'
            out.append(paragraph(f"{item['paragraf']} {item['titel']}", tight=True))
            continue
        own = {"paragraf": item["paragraf"], "titel": item["titel"]}
        values = {**(view.values or {}), **own, "diarienummer": item["diarienummer"]}
        inner = View(view.context, view.rules, item, values=values, budget=view.budget)
        out += body(view.item_parts, inner).items
    return Blocks(tuple(out))


# --- a request for funds and a compensation model ----------------------------------------


def _request(key: str) -> Part:
    def show(view: View, entry: Entry) -> Blocks:
        request = view.context["förfrågan"] or {}
        return headed(view.heading(key), request.get(key) or Blocks(), entry)

    return show


for _key in REQUEST_QUESTIONS:
    part(_key)(_request(_key))


@part("budget")
def _budget(view: View, entry: Entry) -> Blocks:
    request = view.context["förfrågan"] or {}
    body = (request.get("budget") or Blocks()) + (request.get("fördelning") or Blocks())
    return headed(None, body, entry)


@part("insats")
def _effort(view: View, entry: Entry) -> Blocks:
    from arendegen.blocks import Cell, Table

    request = view.context["förfrågan"]
    if not request:
        return Blocks()
    effort = request["insats"]
    facts = [
        ("Insatsens namn", effort["namn"]),
        ("Startdatum", effort["startdatum"]),
        ("Slutdatum", effort["slutdatum"]),
        ("Ansvarig förvaltning/verksamhet", effort["ansvarig_förvaltning"]),
        ("Ansvarig kontaktperson", effort["kontaktperson"]),
        ("Ansvarig ekonom", effort["ekonom"]),
        ("Beräknad kostnad för insatsen", effort["beräknad_kostnad"]),
    ]
    rows = tuple((Cell(k, bold=True), Cell(v)) for k, v in facts)
    return headed(None, Blocks((Table(rows, (3700, 5300), header=False, role="key_value"),)), entry)


@part("schabloner")
def _rates(view: View, entry: Entry) -> Blocks:
    model = view.context["ersättning"] or {}
    return model.get("schabloner") or Blocks() if model.get("schabloner_här") else Blocks()


@part("egna_avsnitt")
def _own_sections(view: View, entry: Entry) -> Blocks:
    inner = entry.model_copy(update={"rubrik": None})
    return _joined(_section(section, inner) for section in view.context["egna_avsnitt"] or [])


@part("ersättningsavsnitt")
def _model_sections(view: View, entry: Entry) -> Blocks:
    model = view.context["ersättning"] or {}
    inner = entry.model_copy(update={"rubrik": None})
    return _joined(_section(section, inner) for section in model.get("avsnitt", []))


@part("tidrapporter")
def _statements(view: View, entry: Entry) -> Blocks:
    model = view.context["ersättning"] or {}
    inner = entry.model_copy(update={"rubrik": None})
    return _joined(headed(r["rubrik"], r["tabell"], inner) for r in model.get("tidrapporter", []))


@part("beslutas")
def _decided_by(view: View, entry: Entry) -> Blocks:
    model = view.context["ersättning"] or {}
    who = model.get("beslutas_av")
    if not who:
        return Blocks()
    items: list[Block] = [
        Paragraph((Run("Beslutas:", bold=True),), keep_with_next=True),
        Paragraph((Run(""),), keep_with_next=True),
        Paragraph((Run("____________\t\t______________________________"),), keep_with_next=True),
        paragraph(f"Datum\t\t\t{who}"),
    ]
    return headed(None, Blocks(tuple(items)), entry)


missing = set(BLOCKS) - set(PARTS)
assert not missing, f"blocks without a part: {sorted(missing)}"
