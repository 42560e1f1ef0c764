"""What a pack's `pack.yaml` says about layout: per kind of document, the header block and the
ordered body blocks; for the whole house, its writing conventions.

Only the schema lives here (read by `validate` on every pack, so nothing heavy is imported).
What each block name shows is `layout/parts.py`; putting it together is `layout/compose.py`.
"""

from __future__ import annotations

import difflib
import re
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BeforeValidator, Field, WithJsonSchema, field_validator, model_validator

from arendegen import codes
from arendegen.schema.types import Flag, Line, Model, Percent, fail

KINDS = (
    "tjänsteskrivelse",
    "beslutsförslag",
    "budgetavvikelse",
    "protokollsutdrag",
    "förfrågan_om_utvecklingsmedel",
    "ersättningsmodell",
    "tjänsteutlåtande",
    "ärende",
    "skrivelse",
    "remissyttrande",
    "sammanträdesprotokoll",
    "delegationsbeslut",
    "bilaga",
    "styrdokument",
    "kallelse",
    "delegationsanmälan",
)
"""Every kind of document a case can ask for."""

PROTOCOL_KINDS = frozenset({"protokollsutdrag", "sammanträdesprotokoll"})

BLOCKS: dict[str, str] = {
    # the top of the document
    "titel": "Handlingens titel (formatmallen Title, eller Heading 1 i protokoll).",
    "dokumenttyp": "Handlingens namn som rubrik, t.ex. Förfrågan om utvecklingsmedel.",
    "diarienummer": "Raden med diarienumret, t.ex. 'Diarienummer KS 2025/172'.",
    "mottagare": "Vem handlingen ställs till, i fet stil (ärendets `mottagare`).",
    "remissinstans": "Den som skickat remissen, i fet stil, ovanför titeln.",
    "mallversion": "Blankettens versionsrad (förfrågan om utvecklingsmedel).",
    "text": "En text som huset alltid skriver (ange `text`; {fält} fylls i, t.ex. "
    "'Föredragande landstingsråd: {föredragande_namn}'; utan värde skrivs inget).",
    "rubrik": "En fristående rubrik (ange `rubrik`).",
    # the case's prose
    "sammanfattning": "Avsnittet sammanfattning.",
    "bakgrund": "Avsnittet bakgrund.",
    "beredning": "Avsnittet beredning.",
    "överväganden": "Avsnittet överväganden.",
    "konsekvenser": "Avsnittet konsekvenser.",
    "ekonomi": "Avsnittet ekonomi (med en budgetavvikelses tabell).",
    "konsekvensanalys": "Avsnittet konsekvensanalys.",
    "barnkonsekvenser": "Avsnittet barnkonsekvenser.",
    "sociala_konsekvenser": "Avsnittet sociala konsekvenser.",
    "miljökonsekvenser": "Avsnittet miljökonsekvenser.",
    "jämställdhetskonsekvenser": "Avsnittet jämställdhetskonsekvenser.",
    "barnchecklista": "Barnkonsekvensanalysens checklista.",
    "fler_avsnitt": "Ärendets egna avsnitt (`fler_avsnitt`), vart och ett med sin rubrik.",
    "motion": "Motionen eller medborgarförslaget.",
    "remiss": "Remissens uppgifter, som tabell.",
    "synpunkter": "Remissvarets synpunkter, var och en med sin rubrik.",
    "delegation": "Uppgifterna om delegationen.",
    # the decision
    "förslag_till_beslut": "Förslaget till beslut med sina att-satser.",
    "ställningstaganden": "Organens ställningstaganden (tillstyrker, avstyrker).",
    # people, papers and routing
    "beredningsansvariga": "Beredningsansvariga.",
    "beslutsunderlag": "Beslutsunderlagen.",
    "bilagor": "Bilagorna.",
    "underskrifter": "Underskrifterna.",
    "expedieras_till": "Vilka beslutet skickas till.",
    "efterföljande_beslut": "Beslut skrivna på handlingen efteråt.",
    "beslutsplanering": "Organen ärendet går till, med datum: 'KSAU 2019-05-14, Kommunstyrelsen "
    "2019-06-04' (ärendets `beslutsordning`).",
    "beslutsfattare": "Delegatens underskrift (delegationsbeslut).",
    "egna_avsnitt": "En bilagas egna avsnitt (handling av typen bilaga), med sina tabeller.",
    "närvarotabell": "Protokollets närvaro: en rad per ledamot, en kolumn per paragraf.",
    "kallelse": "Kallelsens tid och plats.",
    "innehållsförteckning": "Innehållsförteckningen: varje rubrik som följer (nivå 1–3), "
    "med sitt sidnummer, som LibreOffice räknar fram när sidorna "
    "sätts. Med `ny_sida` står den på en egen sida och texten börjar på nästa. Visas i en "
    "bilaga eller ett styrdokument som har `innehållsförteckning: true`.",
    "antagen": "Raden om beslutet som antog dokumentet: 'Antagen av kommunfullmäktige "
    "2025-06-16, § 88'.",
    "delegationslista": "Anmälda delegationsbeslut: datum, diarienummer, beslutsfattare, "
    "punkt och beslut, i en tabell.",
    "mottagna_beslut": "Beslut från andra myndigheter, i en tabell.",
    "ärendelista": "Föredragningslistan: varje ärende med nummer, rubrik, diarienummer, "
    "föredragande och tid, och dess sammanfattning och förslag.",
    # a protocol's paragraph (protokollsutdrag, and each paragraf of a protocol)
    "paragraf": "Paragrafens nummer, t.ex. '§ 45', som rubrik.",
    "paragrafrubrik": "Paragrafens nummer och titel som en rubrik, t.ex. '§ 45 Budget 2026'.",
    "jäv": "Anmält jäv.",
    "ärendet": "Ärendet, i protokoll (utdragets `ärendet`, annars sammanfattning/bakgrund).",
    "förslag": "Förslaget som lades fram vid sammanträdet.",
    "yrkanden": "Yrkanden.",
    "propositionsordning": "Propositionsordning.",
    "beslutsgång": "Beslutsgång.",
    "votering": "Votering.",
    "beslut": "Beslutet.",
    "reservationer": "Reservationer.",
    "särskilda_yttranden": "Särskilda yttranden.",
    "protokollsanteckningar": "Protokollsanteckningar.",
    "omedelbar_justering": "Raden om att paragrafen är omedelbart justerad.",
    "justering": "Utdragets justering och bestyrkande.",
    # a protocol's frame
    "sammanträde": "Sammanträdets plats och tid, närvarande, justerare (protokoll).",
    "beslutande": "Beslutande ledamöter (protokoll).",
    "protokollsunderskrifter": "Sekreterare, ordförande och justerare (protokoll).",
    "anslag": "Bevis om anslag (protokoll).",
    "paragrafer": "Protokollets paragrafer, var och en enligt `paragraf_block`.",
    # a request and a compensation model
    "insats": "Förfrågans övergripande uppgifter om insatsen, som tabell.",
    "syfte": "Förfrågans syfte.",
    "mål": "Förfrågans mål.",
    "aktiviteter": "Förfrågans aktiviteter.",
    "tidsplan": "Förfrågans tidsplan.",
    "samverkan": "Förfrågans samverkan.",
    "delaktighet": "Förfrågans delaktighet.",
    "uppföljning": "Förfrågans uppföljning.",
    "effekter": "Förfrågans förväntade effekter.",
    "budget": "Förfrågans budget- och fördelningstabell.",
    "långsiktig_finansiering": "Förfrågans långsiktiga finansiering.",
    "övrigt": "Förfrågans övrigt.",
    "ersättningsavsnitt": "Ersättningsmodellens avsnitt.",
    "tidrapporter": "Ersättningsmodellens tidrapporter.",
    "beslutas": "Ersättningsmodellens rad 'Beslutas:' med datum och namn.",
    "schabloner": "Ersättningsmodellens schablontabell (`schabloner`), när inget avsnitt "
    "visar den redan.",
}
"""Every block a layout may name, and what it shows."""

FIELDS: dict[str, str] = {
    "organisation": "Organisationens namn.",
    "förvaltning": "Förvaltningen.",
    "avdelning": "Avdelningen.",
    "beredande_organ": "Det beredande organet.",
    "gemensam_nämnd": "'X, gemensam för A, B och C'.",
    "organ": "Det organ vars protokoll det är (protokoll och protokollsutdrag).",
    "organ_i_text": "Organet som det skrivs inne i en mening: 'kommunstyrelsen'.",
    "organ_förkortning": "Organets förkortning ur ärendets `beslutsordning`, t.ex. KSAU "
    "(annars organets namn).",
    "ort": "Sammanträdets ort (protokollsutdragets justering).",
    "dokumenttyp": "Handlingens namn, t.ex. Tjänsteskrivelse (pack.yaml `dokumentnamn`).",
    "bilaga": "'Bilaga 2', när handlingen är en bilaga.",
    "datum": "Handlingens datum.",
    "sammanträdesdatum": "Sammanträdets datum.",
    "diarienummer": "Diarienumret (med klassificering).",
    "dokumentnummer": "Dokument-id.",
    "version": "Version.",
    "paragraf": "Paragrafen med sitt tecken, '§ 45' (protokollsutdrag och en paragraf i ett "
    "protokoll), eller protokollets paragrafer, '§ 29–31'.",
    "mottagare": "Vem handlingen ställs till.",
    "handläggare": "Handläggarens namn.",
    "handläggare_titel": "Handläggarens titel.",
    "handläggare_telefon": "Handläggarens telefonnummer (skriv t.ex. `text: 'Tfn "
    "{handläggare_telefon}'`).",
    "handläggare_epost": "Handläggarens e-post.",
    "ansvarig": "Ansvarig chef: 'Ansvarig: namn, titel'.",
    "ansvarig_namn": "Ansvarig chefs namn.",
    "föredragande": "Föredragande: 'Föredragande: namn, titel'.",
    "föredragande_namn": "Föredragandes namn.",
    "titel": "Handlingens titel.",
}
"""Every value a header cell, the running header or the footer may show."""

DATE_STYLES = ("iso", "lång", "den_lång", "veckodag")
MAX_BLOCKS = 120
"""Most blocks a layout may list: every block once, with room for headings and texts."""
MAX_CELLS, MAX_COLUMNS = 40, 8
"""Most cells in a header column or rows in its grid, and columns in a grid row."""
UNHEADED = frozenset(
    {
        "mottagare",
        "remissinstans",
        "mallversion",
        "underskrifter",
        "beslutsfattare",
        "omedelbar_justering",
        "justering",
        "sammanträde",
        "protokollsunderskrifter",
        "insats",
        "budget",
        "beslutas",
        "paragrafer",
        "diarienummer",
    }
)
"""Blocks printed without a heading of their own (one is printed when a layout gives
`rubrik`)."""
ONCE = (
    "paragrafer",
    "insats",
    "budget",
    "tidrapporter",
    "ersättningsavsnitt",
    "egna_avsnitt",
    "innehållsförteckning",
    "sammanträde",
)
"""Blocks that may stand once in a layout: each is a document's worth of text."""
MAX_REPEAT = 2
"""How often any other block may stand in one list (a house may repeat its reservations
at the end of an extract); `text` and `rubrik` as often as the list allows."""
PARAGRAPH_BLOCKS = frozenset(
    {
        "paragraf",
        "paragrafrubrik",
        "titel",
        "diarienummer",
        "jäv",
        "ärendet",
        "förslag",
        "yrkanden",
        "propositionsordning",
        "beslutsgång",
        "votering",
        "beslut",
        "reservationer",
        "särskilda_yttranden",
        "protokollsanteckningar",
        "omedelbar_justering",
        "beslutsunderlag",
        "expedieras_till",
        "text",
        "rubrik",
    }
)
"""What a protocol's paragraph can show (`paragraf_block`): its own parts, never the
case's sections, which would stand under every paragraph."""


def _known(table: dict[str, str], what: str) -> Any:
    def check(value: Any) -> Any:
        if isinstance(value, str) and value not in table:
            close = difflib.get_close_matches(value, list(table), n=1)
            hint = f"; menade du '{close[0]}'?" if close else f"; de som finns: {', '.join(table)}"
            raise fail(f"okänt {what} '{value}'{hint}", codes.UNKNOWN_LAYOUT_NAME)
        return value

    return check


BlockName = Annotated[
    str,
    BeforeValidator(_known(BLOCKS, "block")),
    WithJsonSchema({"type": "string", "enum": list(BLOCKS)}),
]
FieldName = Annotated[
    str,
    BeforeValidator(_known(FIELDS, "fält")),
    WithJsonSchema({"type": "string", "enum": list(FIELDS)}),
]
DateStyle = Literal["iso", "lång", "den_lång", "veckodag"]


def _level(value: Any) -> int:
    if str(value).strip() not in ("1", "2", "3"):
        raise fail(f"'{value}' är ingen rubriknivå; skriv 1, 2 eller 3", codes.BAD_HEADING_LEVEL)
    return int(str(value).strip())


Level = Annotated[int, BeforeValidator(_level), WithJsonSchema({"enum": [1, 2, 3]})]


class Entry(Model):
    """One block of the body, with the house's choices for it. May be written as the block's
    name only: `sammanfattning`."""

    ONE_LINE_FORM: ClassVar[bool] = True

    block: BlockName = Field(description="Vilket block: " + ", ".join(BLOCKS) + ".")
    rubrik: Line | None = Field(
        None, description="Rubriken över blocket, om den ska vara en annan än husets standard."
    )
    utan_rubrik: Flag = Field(False, description="true: blocket skrivs utan rubrik.")
    nivå: Level | None = Field(
        None, description="Rubrikens nivå, 1, 2 eller 3, om den ska vara en annan än blockets."
    )
    ny_sida: Flag = Field(False, description="true: blocket börjar på en ny sida.")
    visa_tom: Flag = Field(
        False,
        description="true: rubriken skrivs även när blocket är tomt, som en blanketts fråga "
        "som inte är besvarad (annars skrivs en rubrik aldrig över ett tomt block).",
    )
    text: Line | None = Field(
        None,
        description="Texten i ett block av sorten `text` (Markdown; {fält} fylls i, och utan "
        "värde skrivs inget). Med `nivå` blir texten en rubrik.",
    )

    @field_validator("rubrik", "text")
    @classmethod
    def _fields_known(cls, value: str | None) -> str | None:
        return check_placeholders(value)

    @model_validator(mode="before")
    @classmethod
    def _name_only(cls, value: Any) -> Any:
        return {"block": value} if isinstance(value, str) else value

    @model_validator(mode="after")
    def _fits_block(self) -> Entry:
        if self.block == "text" and not self.text:
            raise fail("ett block av sorten `text` behöver `text`", codes.BLOCK_MISFIT)
        if self.block != "text" and self.text is not None:
            raise fail(
                f"`text` gäller bara block av sorten text, inte '{self.block}'", codes.BLOCK_MISFIT
            )
        if self.block == "rubrik" and not self.rubrik:
            raise fail("ett block av sorten `rubrik` behöver `rubrik`", codes.BLOCK_MISFIT)
        if self.nivå is not None and self.rubrik is None and self.block in UNHEADED:
            raise fail(
                f"blocket '{self.block}' har ingen rubrik, så `nivå` gör inget; ange också "
                "`rubrik` om blocket ska ha en",
                codes.BLOCK_MISFIT,
            )
        return self


PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def check_placeholders(value: str | None) -> str | None:
    """Every {name} in a text names a field (a typo would print as typed)."""
    for name in PLACEHOLDER.findall(value or ""):
        if name not in FIELDS:
            close = difflib.get_close_matches(name, list(FIELDS), n=1)
            hint = f"; menade du '{{{close[0]}}}'?" if close else f"; fälten: {', '.join(FIELDS)}"
            raise fail(f"'{{{name}}}' är inget fält{hint}", codes.UNKNOWN_FIELD)
    return value


class Cell(Model):
    """One value in the header block: a field, its label, how it looks. May be written as
    the field's name only: `datum`; `{}` is an empty cell."""

    ONE_LINE_FORM: ClassVar[bool] = True

    @model_validator(mode="before")
    @classmethod
    def _name_only(cls, value: Any) -> Any:
        return _field_only(value)

    fält: FieldName | None = Field(None, description="Vilket värde: " + ", ".join(FIELDS) + ".")
    text: Line | None = Field(
        None,
        description="En fast text i stället för ett fält; {fält} i texten fylls i, "
        "t.ex. 'Till {mottagare}'.",
    )
    etikett: Line | None = Field(
        None, description="Ledtexten ovanför värdet, t.ex. 'Diarienummer' eller 'ÄRENDE TILL'."
    )
    fet: Flag = Field(False, description="true: värdet i fetstil.")
    liten: Flag = Field(False, description="true: värdet i liten stil (8 punkter).")
    stor: Flag = Field(False, description="true: värdet i stor stil (13 punkter), som ett namn.")
    versaler: Flag = Field(False, description="true: värdet med versaler, t.ex. TJÄNSTESKRIVELSE.")
    datumformat: DateStyle | None = Field(
        None,
        description="För datum: iso (2025-03-20), lång (20 mars 2025), den_lång (den 20 mars "
        "2025) eller veckodag (torsdag den 20 mars 2025).",
    )

    @field_validator("text", "etikett")
    @classmethod
    def _fields_known(cls, value: str | None) -> str | None:
        return check_placeholders(value)

    @model_validator(mode="after")
    def _date_style_for_a_date(self) -> Cell:
        if self.datumformat is not None and self.fält not in ("datum", "sammanträdesdatum"):
            raise fail(
                "`datumformat` gäller fälten datum och sammanträdesdatum", codes.DATE_FORMAT_FIELD
            )
        return self


def _field_only(value: Any) -> Any:
    """A cell or running part written as a field's name only."""
    return {"fält": value} if isinstance(value, str) else value


class Running(Model):
    """One part of the running header or the footer: a field, or a text. May be written as
    the field's name only: `diarienummer`."""

    ONE_LINE_FORM: ClassVar[bool] = True

    @model_validator(mode="before")
    @classmethod
    def _name_only(cls, value: Any) -> Any:
        return _field_only(value)

    fält: FieldName | None = Field(None, description="Ett fält.")
    text: Line | None = Field(
        None, description="En fast text, t.ex. en adress; {fält} i texten fylls i."
    )

    @field_validator("text")
    @classmethod
    def _fields_known(cls, value: str | None) -> str | None:
        return check_placeholders(value)

    @model_validator(mode="after")
    def _one(self) -> Running:
        if (self.fält is None) == (self.text is None):
            raise fail("ange antingen `fält` eller `text`", codes.FIELD_OR_TEXT)
        return self


class Header(Model):
    """The block at the top of the first page."""

    form: Literal["två_spalter", "rutnät", "rad", "ingen"] = Field(
        "två_spalter",
        description="två_spalter (vänster och höger spalt, rad för rad), rutnät (celler med "
        "ledtext och värde, med ramar), rad (en mening, t.ex. 'Utdrag ur protokoll fört vid "
        "sammanträde med {organ}') eller ingen.",
    )
    vänster: list[Cell] = Field(
        default_factory=list, max_length=MAX_CELLS, description="Vänster spalt, uppifrån."
    )
    höger: list[Cell] = Field(
        default_factory=list, max_length=MAX_CELLS, description="Höger spalt, uppifrån."
    )
    rader: list[Annotated[list[Cell], Field(max_length=MAX_COLUMNS)]] = Field(
        default_factory=list,
        max_length=MAX_CELLS,
        description="Rutnätets rader, var och en en lista av celler.",
    )
    text: Line | None = Field(None, description="Raden, för form `rad`; {fält} fylls i.")
    ramar: Flag | None = Field(
        None, description="Rutnätets ramar: true (standard för rutnät) eller false."
    )
    spaltbredd: list[Percent] | None = Field(
        None,
        max_length=MAX_COLUMNS,
        description="Spalternas bredd i procent av textbredden, t.ex. [55, 45] (standard: "
        "60/40 för två spalter, lika breda i ett rutnät). En tom cell i ett rutnät skrivs {}.",
    )

    @field_validator("text")
    @classmethod
    def _fields_known(cls, value: str | None) -> str | None:
        return check_placeholders(value)

    @model_validator(mode="after")
    def _own_form(self) -> Header:
        given = {
            "vänster": bool(self.vänster),
            "höger": bool(self.höger),
            "rader": bool(self.rader),
            "text": self.text is not None,
        }
        used = {"två_spalter": {"vänster", "höger"}, "rutnät": {"rader"}, "rad": {"text"}}
        stray = [k for k, v in given.items() if v and k not in used.get(self.form, set())]
        if stray:
            raise fail(
                f"`{stray[0]}` hör inte till form {self.form} och skulle inte synas", codes.FORM_KEY
            )
        return self


class Layout(Model):
    """How one kind of document is arranged."""

    huvud: Header | None = Field(None, description="Blocket överst på första sidan.")
    block: list[Entry] | None = Field(
        None, max_length=MAX_BLOCKS, description="Brödtextens block i ordning, uppifrån."
    )
    paragraf_block: list[Entry] | None = Field(
        None, max_length=MAX_BLOCKS, description="I protokoll: blocken i varje paragraf, i ordning."
    )
    sidhuvud: list[Running] | None = Field(
        None,
        max_length=MAX_CELLS,
        description="Sidhuvudet för denna sort, om annat än husreglernas.",
    )
    sidfot: list[Running] | None = Field(
        None, max_length=MAX_CELLS, description="Sidfoten för denna sort, om annan än husreglernas."
    )

    @field_validator("block", "paragraf_block")
    @classmethod
    def _once(cls, entries: list[Entry] | None) -> list[Entry] | None:
        names = [entry.block for entry in entries or ()]
        twice = next((n for n in ONCE if names.count(n) > 1), None)
        if twice:
            raise fail(f"blocket '{twice}' får stå en gång", codes.BLOCK_REPEATED)
        often = next(
            (n for n in names if n not in ("text", "rubrik") and names.count(n) > MAX_REPEAT),
            None,
        )
        if often:
            raise fail(f"blocket '{often}' får stå högst {MAX_REPEAT} gånger", codes.BLOCK_REPEATED)
        return entries

    @field_validator("paragraf_block")
    @classmethod
    def _paragraph_parts(cls, entries: list[Entry] | None) -> list[Entry] | None:
        other = next((e.block for e in entries or () if e.block not in PARAGRAPH_BLOCKS), None)
        if other:
            allowed = ", ".join(sorted(PARAGRAPH_BLOCKS))
            raise fail(
                f"blocket '{other}' hör inte till en paragraf; en paragraf kan visa: {allowed}",
                codes.PARAGRAPH_BLOCK,
            )
        return entries

    justeringsrad: Flag | None = Field(
        None,
        description="true: sidfoten har raden 'Justerandes signatur / Utdragsbestyrkande' "
        "(standard i protokoll och protokollsutdrag).",
    )


DecisionStyle = Literal[
    "punktlista", "alltid_punktlista", "numrerad", "numrerade_meningar", "att_per_rad"
]
ListStyle = Literal["punktlista", "numrerad", "rader"]


class HouseRules(Model):
    """How the house writes what recurs in every document."""

    beslutspunkter: DecisionStyle = Field(
        "punktlista",
        description="punktlista (en sats på raden efter ingressen, flera som punktlista), "
        "alltid_punktlista, numrerad (ingressen, sedan 1. 2. 3.), numrerade_meningar (varje "
        "punkt en hel mening: '1. Regionstyrelsen beslutar att …') eller att_per_rad "
        "(ingressen utan 'att', sedan en rad 'att …' per sats).",
    )
    beslutsröst: Literal["beslutar", "föreslås", "slutligt"] = Field(
        "beslutar",
        description="Hur en förvaltnings tjänsteskrivelse skriver förslaget till beslut: "
        "beslutar ('Kommunstyrelsen beslutar att …', 'Kommunstyrelsen föreslår "
        "kommunfullmäktige besluta att …'), föreslås (det organet själv beslutar: "
        "'Kommunstyrelsen föreslås besluta att …'; det som går vidare skrivs som i beslutar) "
        "eller slutligt (varje sats som det organ som slutligt beslutar den: "
        "'Kommunfullmäktige beslutar att …').",
    )
    förslagsform: Literal["föreslår_besluta", "föreslår_att"] = Field(
        "föreslår_besluta",
        description="Hur ett förslag till ett senare organ skrivs: föreslår_besluta "
        "('Kommunstyrelsen föreslår kommunfullmäktige besluta att …') eller föreslår_att "
        "('Kommunstyrelsen föreslår att kommunfullmäktige beslutar att …').",
    )
    egen_del: Literal["för_egen_del", "också", "ingen"] = Field(
        "för_egen_del",
        description="Hur det ett organ beslutar självt skrivs bredvid det det föreslår ett "
        "senare organ: för_egen_del ('Kommunstyrelsen beslutar för egen del att …'), också "
        "('Kommunstyrelsen beslutar också att …' efter förslaget) eller ingen "
        "('Kommunstyrelsen beslutar att …').",
    )
    författare: Literal["handläggare", "organisation"] = Field(
        "handläggare",
        description="Vem dokumentegenskaperna (Word, PDF) anger som författare: handläggare "
        "(ärendets handläggare, annars organisationen) eller organisation.",
    )
    tabellnummer: Flag = Field(
        False,
        description="true: tabellernas rubriker numreras i den ordning handlingen visar dem: "
        "'Tabell 1. Budget 2026'.",
    )
    en_person_per_rad: Flag = Field(
        False,
        description="true: protokollets första sida listar ersättare, övriga närvarande, "
        "frånvarande och justerare en per rad, inte åtskilda med kommatecken.",
    )
    sidnummer: Line = Field(
        "Sida {sida} av {antal}",
        description="Sidnumreringen: 'Sida {sida} av {antal}', '{sida} ({antal})', "
        "'Sida {sida} ({antal})'.",
    )
    sidnummer_plats: Literal["sidfot", "sidhuvud"] = Field(
        "sidfot", description="Var sidnumret står: sidfot eller sidhuvud."
    )
    sidhuvud: list[Running] = Field(
        default_factory=lambda: [Running(fält="organisation")],
        max_length=MAX_CELLS,
        description="Sidhuvudet på varje sida: fält eller {text: …}, åtskilda med ' · '.",
    )
    sidfot: list[Running] = Field(
        default_factory=lambda: [Running(fält="diarienummer"), Running(fält="datum")],
        max_length=MAX_CELLS,
        description="Sidfoten till vänster: fält eller {text: …}, åtskilda med ' · '.",
    )
    datumformat: DateStyle = Field(
        "iso", description="Datum i huvudet och sidfoten: iso, lång, den_lång eller veckodag."
    )
    datumformat_i_text: DateStyle = Field(
        "iso",
        description="Datum i beslutsunderlag, bilagor och hänvisningar ([[id]]): iso, lång, "
        "den_lång ('den 22 februari 2013') eller veckodag.",
    )
    justeringsrad_text: Line = Field(
        "Justerandes signatur ____________    Utdragsbestyrkande ____________",
        description="Justeringsraden i sidfoten på protokoll och protokollsutdrag ({fält} "
        "fylls i).",
    )

    @field_validator("justeringsrad_text")
    @classmethod
    def _attest_fields(cls, value: str) -> str:
        check_placeholders(value)
        return value

    beslutsunderlag_som: ListStyle = Field(
        "punktlista", description="Beslutsunderlagen som punktlista, numrerad lista eller rader."
    )
    bilagor_som_beslutsunderlag: Flag = Field(
        True,
        description="false: bilagelistan skrivs inte när den bara upprepar beslutsunderlagen.",
    )

    @field_validator("sidnummer")
    @classmethod
    def _has_page(cls, value: str) -> str:
        names = PLACEHOLDER.findall(value)
        if names.count("sida") != 1:
            raise fail(
                f"'{value}' ska ha {{sida}} en gång, där sidans nummer står", codes.PAGE_NUMBER_TEXT
            )
        other = next((n for n in names if n not in ("sida", "antal")), None)
        if other is not None or names.count("antal") > 1:
            raise fail(
                f"'{value}' får bara ha {{sida}} och en gång {{antal}}", codes.PAGE_NUMBER_TEXT
            )
        if "antal" in names and names.index("antal") < names.index("sida"):
            raise fail(f"'{value}': {{antal}} ska stå efter {{sida}}", codes.PAGE_NUMBER_TEXT)
        if "{" in PLACEHOLDER.sub("", value) or "}" in PLACEHOLDER.sub("", value):
            raise fail(
                f"'{value}' har en klammer utöver {{sida}} och {{antal}}", codes.PAGE_NUMBER_TEXT
            )
        return value
