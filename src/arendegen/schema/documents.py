"""The documents one case yields, each chosen by its `typ`.

A document holds only what is its own; the case's shared facts (diarienummer, title,
proposal, people, distribution) are written once at the top of the case file.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import Field

from arendegen.schema.common import (
    Attestation,
    Basis,
    LaterDecision,
    Member,
    NamedSection,
    Pages,
    Person,
    Proposal,
    Recipient,
    Reference,
    Section,
)
from arendegen.schema.meeting import Deliberation, Frame, Item
from arendegen.schema.types import (
    ByKind,
    Date,
    Flag,
    Integer,
    Line,
    Markdown,
    Model,
    Money,
    PositiveInteger,
    PropertyLine,
    Time,
)


class DocumentBase(Model):
    """What every document may set for itself."""

    id: Line | None = Field(
        None,
        description="Namn på handlingen inom ärendet, för hänvisningar och filnamn; "
        "utelämnas det används `typ`.",
    )
    titel: PropertyLine | None = Field(None, description="Titel, om den skiljer sig från ärendets.")
    datum: Date | None = Field(None, description="Datum, om det skiljer sig från ärendets.")
    bilaga: PositiveInteger | None = Field(
        None,
        description="Numret under `bilagor` när handlingen är en bilaga till ärendet; den bär "
        "då ärendets diarienummer och 'Bilaga N'.",
    )
    dokumentnummer: Line | None = Field(
        None, description="Handlingens egen identitet i diariet, t.ex. 'Dok.id 123456'."
    )
    version: Line | None = Field(None, description="Handlingens version, t.ex. '2.0'.")

    @property
    def own_date(self) -> dt.date | None:
        """The document's date when it has one of its own (an extract: its meeting's)."""
        return self.datum


NEUTER_KINDS = frozenset(
    {
        "beslutsförslag",
        "delegationsbeslut",
        "protokollsutdrag",
        "remissyttrande",
        "sammanträdesprotokoll",
        "tjänsteutlåtande",
        "ärende",
    }
)
"""The kinds Swedish takes 'ett' with: 'ett tjänsteutlåtande', 'en tjänsteskrivelse'."""


def a_kind(kind: str) -> str:
    """The kind with its article, as a message writes it: 'ett ärende', 'en skrivelse'."""
    written = kind.replace("_", " ")
    return f"{'ett' if kind in NEUTER_KINDS else 'en'} {written}"


MEMORANDUM_KINDS = ("tjänsteskrivelse", "beslutsförslag", "tjänsteutlåtande", "ärende", "skrivelse")
"""The kinds of proposal that share one layout."""


class Memorandum(DocumentBase):
    """Tjänsteskrivelse, beslutsförslag, tjänsteutlåtande, ärende till ett organ, skrivelse."""

    typ: Literal[
        "tjänsteskrivelse", "beslutsförslag", "tjänsteutlåtande", "ärende", "skrivelse"
    ] = Field(
        description="tjänsteskrivelse, beslutsförslag, tjänsteutlåtande, ärende (Ärende "
        "till ett organ) eller skrivelse: det ord som står överst i dokumentet."
    )
    sammanträdesdatum: Date | None = Field(
        None, description="Datum för det sammanträde handlingen ställs till."
    )
    efterföljande_beslut: list[LaterDecision] = Field(
        default_factory=list,
        description="Beslut som skrivs på samma handling efteråt, t.ex. Regiondirektörens beslut.",
    )


class DeviationMemorandum(DocumentBase):
    """A tjänsteskrivelse asking to approve a budget deviation, with its figures."""

    typ: Literal["budgetavvikelse"] = Field(description="Sorts handling: budgetavvikelse.")
    avvikelse: Line = Field(description="Id för tabellen (typ budgetavvikelse) med siffrorna.")
    efterföljande_beslut: list[LaterDecision] = Field(
        default_factory=list, description="Beslut som skrivs på samma handling efteråt."
    )


class Extract(DocumentBase, Deliberation):
    """Protokollsutdrag: one paragraph of a body's minutes."""

    typ: Literal["protokollsutdrag"] = Field(description="Sorts handling: protokollsutdrag.")
    organ: Line = Field(description="Det organ vars protokoll utdraget är ur, t.ex. Socialnämnden.")
    sammanträdesdatum: Date | None = Field(None, description="Sammanträdets datum.")
    sidor: Pages | None = Field(
        None,
        description="Sidnumrering som i hela protokollet utdraget är ur: `{första: 5, antal: "
        "20}` ger 'Sida 5 (20)' i husets mönster.",
    )

    paragraf: Integer | None = Field(
        description="Paragrafnumret (22 för § 22). Skriv `paragraf: null` om det inte är känt ännu."
    )
    beslut: Proposal | None = Field(
        None, description="Det fattade beslutet; utelämnas det gäller ärendets förslag till beslut."
    )
    ärendet: Section | None = Field(
        None,
        description="Texten under Ärendet; utelämnas den används ärendets sammanfattning, "
        "eller dess bakgrund om sammanfattning saknas.",
    )
    förslag_från: Line | None = Field(
        None,
        description="Vems förslag till beslut som låg, t.ex. Socialförvaltningen "
        "(ger rubriken 'Socialförvaltningens förslag till beslut').",
    )
    beslutsunderlag: list[Basis] | None = Field(
        None, description="Beslutsunderlag, om det skiljer sig från ärendets."
    )
    expedieras_till: list[Recipient] | None = Field(
        None, description="Sändlista för utdraget, om den skiljer sig från ärendets."
    )
    justering: Attestation = Field(
        default_factory=Attestation,
        description="Hur paragrafen justerats; utelämnas den skrivs inget om justering.",
    )

    @property
    def own_date(self) -> dt.date | None:
        """Its own date, else the meeting's: an extract is dated by its meeting."""
        return self.datum or self.sammanträdesdatum


class Initiative(Model):
    """Övergripande information about the initiative a funding request is for."""

    namn: Line = Field(description="Insatsens namn.")
    startdatum: Date = Field(description="Insatsens första dag.")
    slutdatum: Date = Field(description="Insatsens sista dag.")
    ansvarig_förvaltning: Line = Field(description="Ansvarig förvaltning/verksamhet.")
    kontaktperson: Person = Field(description="Ansvarig kontaktperson.")
    ekonom: Person | None = Field(None, description="Ansvarig ekonom.")
    beräknad_kostnad: Money = Field(
        description="Beräknad kostnad för insatsen; kontrolleras mot budget och fördelning."
    )


REQUEST_QUESTIONS = (
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
"""The questions of a request for development funds, in the form's order."""


class FundingRequest(DocumentBase):
    """Förfrågan om utvecklingsmedel: a form with purpose, plan, budget and distribution."""

    typ: Literal["förfrågan_om_utvecklingsmedel"] = Field(
        description="Sorts handling: förfrågan_om_utvecklingsmedel."
    )
    mallversion: Line | None = Field(
        None, description="Blankettens version, t.ex. 'Version 230929'."
    )
    insats: Initiative = Field(description="Övergripande information.")
    syfte: Markdown | None = Field(None, description="Syfte.")
    mål: Markdown | None = Field(None, description="Mål.")
    aktiviteter: Markdown | None = Field(None, description="Vilka aktiviteter som ska genomföras.")
    tidsplan: Markdown | None = Field(None, description="Tidsplan för insatsen.")
    samverkan: Markdown | None = Field(
        None, description="Om insatsen genomförs i samverkan med annan verksamhet, och hur."
    )
    delaktighet: Markdown | None = Field(
        None, description="Om patienter, brukare eller närstående involveras, och hur."
    )
    uppföljning: Markdown | None = Field(None, description="Hur insatsen ska följas upp.")
    effekter: Markdown | None = Field(
        None, description="Förväntade effekter på kort och lång sikt."
    )
    budget: Line = Field(description="Id för budgettabellen (typ budget).")
    fördelning: Line | None = Field(
        None, description="Id för fördelningstabellen (typ fördelning)."
    )
    långsiktig_finansiering: Markdown | None = Field(
        None, description="Plan för långsiktig finansiering, tillfällig puckelkostnad."
    )
    övrigt: Markdown | None = Field(None, description="Behov av stöd från Regionkontoret m.m.")


class CompensationModel(DocumentBase):
    """Ersättningsmodell: rules and hourly rates for compensating units for their time."""

    typ: Literal["ersättningsmodell"] = Field(description="Sorts handling: ersättningsmodell.")
    avsnitt: list[NamedSection] = Field(
        default_factory=list,
        description="Modellens avsnitt efter Bakgrund, i ordning, var och ett med rubrik och text.",
    )
    schabloner: Line = Field(description="Id för schablontabellen (typ schabloner).")
    tidrapporter: list[Line] = Field(
        default_factory=list,
        description="Id för tidrapporter (typ tidrapport) att räkna fram månadsersättning för.",
    )
    beslutas_av: Person | None = Field(
        None, description="Den som fattar beslutet; ger raden 'Beslutas:' med datum och namn."
    )


class ConsultationResponse(DocumentBase):
    """Remissyttrande: the organisation's answer to a remiss (the case's `remiss`)."""

    typ: Literal["remissyttrande"] = Field(description="Sorts handling: remissyttrande.")


class Minutes(DocumentBase):
    """Sammanträdesprotokoll: a whole meeting, its frame and every paragraph."""

    typ: Literal["sammanträdesprotokoll"] = Field(
        description="Sorts handling: sammanträdesprotokoll."
    )
    organ: Line = Field(description="Det organ som sammanträder, t.ex. Socialnämnden.")
    sammanträde: Frame = Field(description="Plats, tid, närvaro, justering och anslag.")
    sidor: Pages | None = Field(
        None,
        description="Sidnumrering som i hela protokollet, när handlingen är ett utdrag ur det: "
        "`{första: 1, antal: 20}` ger '1 (20)' i husets mönster.",
    )
    paragrafer: list[Item] = Field(
        description="Protokollets paragrafer i ordning. Tom (`[]`) för ett protokolls första "
        "sida som bara anger sammanträdets paragrafer (`sammanträde.paragrafer`)."
    )

    @property
    def own_date(self) -> dt.date | None:
        """Its own date, else the meeting's."""
        return self.datum or self.sammanträde.datum


class DelegationDecision(DocumentBase):
    """Delegationsbeslut: a decision taken on delegation (the case's `delegation`)."""

    typ: Literal["delegationsbeslut"] = Field(description="Sorts handling: delegationsbeslut.")


class AgendaItem(Model):
    """One item of a föredragningslista: what the meeting takes up, and who presents it."""

    nummer: PositiveInteger | None = Field(
        None, description="Ärendets nummer på listan; utelämnas det numreras de i ordning."
    )
    titel: Line = Field(description="Ärendets rubrik.")
    diarienummer: Line | None = Field(None, description="Ärendets diarienummer.")
    föredragande: Person | None = Field(None, description="Den som föredrar ärendet.")
    tid: Time | None = Field(None, description="Klockslag då ärendet tas upp, '13.15'.")
    till: Line | None = Field(
        None, description="Vart beslutet går vidare, t.ex. 'till kommunfullmäktige'."
    )
    sida: Line | None = Field(None, description="Sidhänvisning i handlingarna, t.ex. '12–18'.")
    sammanfattning: Markdown | None = Field(None, description="En kort sammanfattning.")
    förslag: Proposal | None = Field(None, description="Förslaget till beslut, om det ska stå.")


class Notice(DocumentBase):
    """Kallelse med föredragningslista: when and where a body meets, and what it takes up."""

    typ: Literal["kallelse"] = Field(description="Sorts handling: kallelse.")
    organ: Line = Field(description="Det organ som kallas, t.ex. Kommunstyrelsen.")
    plats: Line = Field(description="Var sammanträdet hålls.")
    sammanträdesdatum: Date = Field(description="Sammanträdets datum.")
    tid: Time | None = Field(None, description="Klockslag då sammanträdet börjar, '13.00'.")
    kallade: list[Member] = Field(
        default_factory=list, description="Kallade ledamöter och ersättare: `[Anna Ek (S)]`."
    )
    övriga_kallade: list[Person] = Field(
        default_factory=list, description="Övriga kallade, med roll: `Karin Ström, Socialchef`."
    )
    för_kännedom: list[Line] = Field(
        default_factory=list, description="Vilka som får kallelsen för kännedom."
    )
    ärenden: list[AgendaItem] = Field(description="Föredragningslistan i ordning.")

    @property
    def own_date(self) -> dt.date | None:
        """Its own date, else its meeting's."""
        return self.datum or self.sammanträdesdatum


class DelegatedDecision(Model):
    """One decision taken on delegation, as a report to the body lists it."""

    datum: Date | None = Field(
        None, description="Beslutsdatum; utelämnat är det inte känt ännu (ett utkast)."
    )
    diarienummer: Line | None = Field(None, description="Beslutets diarienummer.")
    beslutsfattare: Person = Field(description="Den som beslutade: `Namn, titel`.")
    punkt: Line | None = Field(None, description="Punkt i delegationsordningen, t.ex. '3.2'.")
    beslut: Line = Field(description="Vad beslutet gäller, kort.")
    grupp: Line | None = Field(
        None,
        description="Rubrik att samla beslutet under, t.ex. 'Kommundirektörens beslut'; "
        "grupperna står i den ordning de först förekommer.",
    )


class ReceivedDecision(Model):
    """A decision from another authority, reported to the body for its knowledge."""

    avsändare: Line = Field(description="Myndigheten, t.ex. Länsstyrelsen i Hallands län.")
    datum: Date = Field(description="Beslutsdatum.")
    diarienummer: Line | None = Field(None, description="Diarienummer, om det ska visas.")
    beslut: Line = Field(description="Vad beslutet gäller, kort.")


class DelegationReport(DocumentBase):
    """Anmälan av delegationsbeslut: the decisions taken on the body's delegation since its
    last meeting, and decisions received from other authorities."""

    typ: Literal["delegationsanmälan"] = Field(description="Sorts handling: delegationsanmälan.")
    organ: Line = Field(description="Det organ besluten anmäls till, t.ex. Socialnämnden.")
    sammanträdesdatum: Date | None = Field(None, description="Sammanträdet de anmäls vid.")
    beslut: list[DelegatedDecision] = Field(
        default_factory=list, description="Delegationsbesluten i ordning."
    )
    mottagna: list[ReceivedDecision] = Field(
        default_factory=list, description="Beslut från andra myndigheter, för kännedom."
    )

    @property
    def own_date(self) -> dt.date | None:
        """Its own date, else its meeting's."""
        return self.datum or self.sammanträdesdatum


class AnnexDocument(DocumentBase):
    """A bilaga the case makes, with a body of its own (an analysis, a plan, a table of
    figures) under the case's diarienummer, instead of a copy of the case's proposal."""

    typ: Literal["bilaga"] = Field(description="Sorts handling: bilaga.")
    bilaga: PositiveInteger = Field(
        description="Numret under ärendets `bilagor`; handlingen bär 'Bilaga N'."
    )
    avsnitt: list[NamedSection] = Field(
        default_factory=list,
        description="Bilagans avsnitt i ordning: rubrik (kan utelämnas), text och tabeller.",
    )
    antagen: Reference | None = Field(
        None,
        description="Beslutet som antog dokumentet (en plan, en policy, en budget): "
        "`{organ: Kommunfullmäktige, datum: 2025-06-16, paragraf: 88}` ger raden 'Antagen av "
        "kommunfullmäktige 2025-06-16, § 88' under titeln.",
    )
    innehållsförteckning: Flag = Field(
        False,
        description="true: en innehållsförteckning med sidnummer efter titeln, på en egen "
        "sida, och texten börjar på nästa sida (ett försättsblad med titel och antagen).",
    )
    tabellnummer: Flag | None = Field(
        None,
        description="true: tabellernas rubriker numreras i denna handling, 'Tabell 1. …' "
        "(false: inte); utan värde gäller packens husregel `tabellnummer`.",
    )


class PolicyDocument(AnnexDocument):
    """A plan, policy, programme, guideline or budget as a document of its own: a cover with
    its title and the decision that adopted it, a table of contents, its sections."""

    typ: Literal["styrdokument"] = Field(description="Sorts handling: styrdokument.")  # type: ignore[assignment]
    bilaga: PositiveInteger | None = Field(  # type: ignore[assignment]
        None,
        description="Numret under ärendets `bilagor`, när styrdokumentet också är en bilaga "
        "till ärendet (då bär det 'Bilaga N').",
    )
    slag: Line | None = Field(
        None,
        description="Vad dokumentet är, överst i stället för packens namn på styrdokument: "
        "Plan, Policy, Program, Riktlinjer, Strategi, Budget …",
    )


SHARED = ("titel", "diarienummer", "förslag")
"""What a protocol's paragraph takes from its item on the kallelse's föredragningslista."""


def from_agenda(data: Any) -> Any:
    """The case as written, with each protocol paragraph that names its item on the
    kallelse (`ärende: 3`) given that item's title, diarienummer and proposal where it
    states none of its own. Runs on the data before validation, so whatever is taken is
    checked where the paragraph is; a missing kallelse or item is a rule's finding."""
    documents = data.get("handlingar") if isinstance(data, dict) else None
    if not isinstance(documents, list):
        return data
    notices = [d for d in documents if isinstance(d, dict) and d.get("typ") == "kallelse"]
    items = notices[0].get("ärenden") if len(notices) == 1 else None
    if not isinstance(items, list):
        return data
    agenda = {
        str(item.get("nummer") or number): item
        for number, item in enumerate(items, start=1)
        if isinstance(item, dict)
    }
    changed = []
    for document in documents:
        paragraphs = document.get("paragrafer") if isinstance(document, dict) else None
        if document is notices[0] or not isinstance(paragraphs, list):
            changed.append(document)
            continue
        taken = [
            {**{k: agenda[key][k] for k in SHARED if k in agenda[key]}, **paragraph}
            if isinstance(paragraph, dict) and (key := str(paragraph.get("ärende"))) in agenda
            else paragraph
            for paragraph in paragraphs
        ]
        changed.append({**document, "paragrafer": taken})
    return {**data, "handlingar": changed}


DOCUMENT_KINDS: dict[str, type[DocumentBase]] = {
    **dict.fromkeys(MEMORANDUM_KINDS, Memorandum),
    "budgetavvikelse": DeviationMemorandum,
    "protokollsutdrag": Extract,
    "förfrågan_om_utvecklingsmedel": FundingRequest,
    "ersättningsmodell": CompensationModel,
    "remissyttrande": ConsultationResponse,
    "sammanträdesprotokoll": Minutes,
    "delegationsbeslut": DelegationDecision,
    "bilaga": AnnexDocument,
    "styrdokument": PolicyDocument,
    "kallelse": Notice,
    "delegationsanmälan": DelegationReport,
}
"""Each value of `typ`, and the model it selects."""

Document = Annotated[
    Memorandum
    | DeviationMemorandum
    | Extract
    | FundingRequest
    | CompensationModel
    | ConsultationResponse
    | Minutes
    | DelegationDecision
    | AnnexDocument
    | PolicyDocument
    | Notice
    | DelegationReport,
    ByKind(DOCUMENT_KINDS),
]
"""A handling: the model its `typ` selects."""
