"""The case (ärende): its shared facts, its prose, its figures and the documents it yields."""

from __future__ import annotations

from pydantic import Field

from arendegen.schema.common import Annex, Basis, Person, Position, Proposal, Section
from arendegen.schema.documents import Document
from arendegen.schema.tables import Table
from arendegen.schema.types import Date, Line, Model

SECTION_KEYS = (
    "sammanfattning",
    "bakgrund",
    "överväganden",
    "konsekvenser",
    "ekonomi",
    "konsekvensanalys",
)
"""The case's prose sections, in the order a generic house writes them."""

MAX_DOCUMENTS = 50
"""Most documents one case may yield."""
MAX_TABLES = 200
"""Most tables one case may hold."""


class Case(Model):
    """One ärende: every fact written once, reused by each document it yields."""

    mall: Line = Field(
        "region",
        description="Mallpaketet (husstilen) dokumenten görs i, t.ex. region, region-halland, kommun.",
    )
    organisation: Line | None = Field(
        None, description="Organisationen, t.ex. Region Halland; utelämnas den används mallens."
    )
    förvaltning: Line | None = Field(
        None, description="Förvaltning eller kontor, t.ex. Regionkontoret."
    )
    avdelning: Line | None = Field(None, description="Avdelning eller enhet, t.ex. Ekonomi.")
    diarienummer: Line | None = Field(
        None, description="Diarienumret så som organisationen skriver det: RS250184, RS 577-2024."
    )
    datum: Date | None = Field(None, description="Handlingens datum, ÅÅÅÅ-MM-DD.")
    titel: Line = Field(description="Ärendets titel så som den står överst i handlingen.")
    handläggare: Person | None = Field(
        None, description="Handläggaren: namn, titel, telefon, e-post."
    )
    mottagare: Line | None = Field(
        None, description="Det organ handlingen ställs till, t.ex. Regionstyrelsen."
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
    expedieras_till: list[Line] | None = Field(
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
