"""The case (ärende): its shared facts, its prose, its figures and the documents it yields."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field, model_validator

from arendegen.schema.common import (
    Annex,
    Basis,
    Delegation,
    NamedSection,
    Person,
    Position,
    Proposal,
    Recipient,
    Reference,
    Section,
    Step,
)
from arendegen.schema.documents import Document, from_agenda
from arendegen.schema.matters import Checklist, Comparison, Consultation, MotionCase
from arendegen.schema.tables import Table
from arendegen.schema.types import Date, Flag, Line, Model, PropertyLine

SECTION_KEYS = (
    "sammanfattning",
    "bakgrund",
    "beredning",
    "överväganden",
    "konsekvenser",
    "ekonomi",
    "konsekvensanalys",
    "barnkonsekvenser",
    "sociala_konsekvenser",
    "miljökonsekvenser",
    "jämställdhetskonsekvenser",
)
"""The case's prose sections, in the order a generic house writes them."""

MAX_DOCUMENTS = 50
"""Most documents one case may yield."""
MAX_TABLES = 200
"""Most tables one case may hold."""


class Case(Model):
    """One ärende: every fact written once, reused by each document it yields."""

    def date_of(self, document: Document) -> dt.date | None:
        """The date a document says it was made: its own (an extract's, a protocol's
        meeting), else the case's, else the first meeting the case names (a document of
        the case, or a step of its routing); None when nothing is dated."""
        dates = [document.own_date, self.datum]
        dates += [d.own_date for d in self.handlingar]
        dates += [step.datum for step in self.beslutsordning]
        return next((d for d in dates if d is not None), None)

    @model_validator(mode="before")
    @classmethod
    def _paragraphs_from_the_agenda(cls, data: Any) -> Any:
        return from_agenda(data)

    mall: Line = Field(
        "region",
        description="Mallpaketet (husstilen) dokumenten görs i, t.ex. region, region-halland, kommun.",
    )
    organisation: PropertyLine | None = Field(
        None, description="Organisationen, t.ex. Region Halland; utelämnas den används mallens."
    )
    förvaltning: Line | None = Field(
        None, description="Förvaltning eller kontor, t.ex. Regionkontoret."
    )
    avdelning: Line | None = Field(None, description="Avdelning eller enhet, t.ex. Ekonomi.")
    beredande_organ: Line | None = Field(
        None,
        description="Beredning eller utskott som står i sidhuvudet, t.ex. "
        "Beredningen för hälsa och sjukvård.",
    )
    diarienummer: PropertyLine | None = Field(
        None,
        description="Diarienumret så som organisationen skriver det: RS250184, RS 577-2024, "
        "KS 2012/172, SMN-2017/4, Dnr KS/2018:4. Mallen kan kräva ett mönster.",
    )
    klassificering: Line | None = Field(
        None,
        description="Klassificeringskod enligt informationshanteringsplanen, skrivs efter "
        "diarienumret: '51' ger 'KS 2012/172 51'.",
    )
    utkast: Flag = Field(
        False,
        description="true: ärendet är ett utkast och byggs alltid som utkast (UTKAST på varje "
        "sida, luckor markerade, ingen PDF/A), även utan --utkast.",
    )
    datum: Date | None = Field(None, description="Handlingens datum, ÅÅÅÅ-MM-DD.")
    titel: PropertyLine = Field(description="Ärendets titel så som den står överst i handlingen.")
    handläggare: Person | None = Field(
        None, description="Handläggaren: namn, titel, telefon, e-post."
    )
    ansvarig: Person | None = Field(
        None, description="Ansvarig chef, t.ex. förvaltningschefen, med titel."
    )
    föredragande: Person | None = Field(
        None, description="Den som föredrar ärendet, t.ex. ordföranden eller ett kommunalråd."
    )
    mottagare: Line | None = Field(
        None, description="Det organ handlingen ställs till, t.ex. Regionstyrelsen."
    )
    beslutsordning: list[Step] = Field(
        default_factory=list,
        description="Vägen till beslut, i ordning: förvaltning → utskott → styrelse/nämnd → "
        "fullmäktige. Varje steg utom det sista föreslår nästa; det sista beslutar.",
    )
    delegation: Delegation | None = Field(
        None, description="När beslutet fattas på delegation: av vem, från vilket organ, punkt."
    )
    förslag_till_beslut: Proposal | None = Field(
        None, description="Förslag till beslut: organ, verb och att-satser."
    )
    sammanfattning: Section | None = Field(None, description="Sammanfattning.")
    bakgrund: Section | None = Field(
        None,
        description="Bakgrund / Ärendet / Beskrivning av ärendet (rubriken kommer från mallen).",
    )
    överväganden: Section | None = Field(None, description="Överväganden / Motivering / Bedömning.")
    konsekvenser: Section | None = Field(None, description="Bedömda resultat och konsekvenser.")
    ekonomi: Section | None = Field(
        None, description="Resurser och finansiering / Ekonomiska konsekvenser av beslutet."
    )
    konsekvensanalys: Section | None = Field(
        None, description="Barnkonsekvens- och jämställdhetsanalys; kan vara 'Ingen påverkan'."
    )
    beredning: Section | None = Field(
        None, description="Ärendets beredning: hur och av vem ärendet beretts."
    )
    barnkonsekvenser: Section | None = Field(None, description="Barnkonsekvensanalys i löptext.")
    sociala_konsekvenser: Section | None = Field(None, description="Sociala konsekvenser.")
    miljökonsekvenser: Section | None = Field(None, description="Miljökonsekvenser.")
    jämställdhetskonsekvenser: Section | None = Field(
        None, description="Konsekvenser för jämställdhet."
    )
    barnchecklista: Checklist | None = Field(
        None,
        description="Barnkonsekvensanalys som checklista: numrerade frågor med svar ja/nej "
        "och förklaring.",
    )
    fler_avsnitt: list[NamedSection] = Field(
        default_factory=list,
        description="Avsnitt som mallen inte har, var och ett med egen rubrik, efter konsekvenserna.",
    )
    remiss: Consultation | None = Field(
        None, description="Remissen ärendet svarar på (för remissyttrande)."
    )
    motion: MotionCase | None = Field(
        None, description="Motionen eller medborgarförslaget ärendet besvarar."
    )
    referenser: dict[str, Reference] = Field(
        default_factory=dict,
        description="Tidigare beslut och externa handlingar under ett id; nämns i text som "
        "`[[id]]` och skrivs då lika överallt: 'KF 2022-11-28, § 111'.",
    )
    jämförelser: dict[str, Comparison] = Field(
        default_factory=dict,
        description="Belopp i förhållande till en bas under ett id; nämns i text som `[[id]]`: "
        "'38 mnkr bättre än budget'.",
    )
    ställningstaganden: list[Position] = Field(
        default_factory=list, description="Tillstyrker / avstyrker: beredande gruppers ställning."
    )
    beredningsansvariga: list[Person] = Field(
        default_factory=list, description="Beredningsansvariga: namn och roll."
    )
    underskrifter: list[Person] = Field(
        default_factory=list, description="De som undertecknar handlingen, en eller flera."
    )
    beslutsunderlag: list[Basis] = Field(
        default_factory=list, description="Handlingar som beslutet grundar sig på, i ordning."
    )
    bilagor: list[Annex] = Field(default_factory=list, description="Bilagor, i ordning.")
    expedieras_till: list[Recipient] | None = Field(
        None,
        description="Beslutet expedieras till / delges: organ och enheter, en per rad.",
    )
    tabeller: dict[str, Table] = Field(
        default_factory=dict,
        max_length=MAX_TABLES,
        description="Ärendets tabeller, var och en under ett id.",
    )
    handlingar: list[Document] = Field(
        max_length=MAX_DOCUMENTS, description="Handlingarna ärendet ger, i ordning."
    )
