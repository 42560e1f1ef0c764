"""Parts every document shares: people, text sections, att-clauses, annexes, distribution."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import Field, model_validator

from arendegen.schema.types import Date, Flag, Line, Markdown, Model, Party, PositiveInteger


def _from_line(value: Any, key: str) -> Any:
    """Let a plain string stand for a mapping with that string under `key`."""
    return {key: value} if isinstance(value, str) else value


class Person(Model):
    """A person and the role they act in. May be written as one line: `Per Karlsson, Ekonomidirektör`."""

    ONE_LINE_FORM: ClassVar[bool] = True

    namn: Line = Field(description="För- och efternamn.")
    titel: Line | None = Field(
        None, description="Titel eller roll, t.ex. Controller, Ekonomidirektör."
    )
    enhet: Line | None = Field(
        None, description="Förvaltning, avdelning eller enhet personen hör till."
    )
    parti: Party | None = Field(
        None, description="Partiförkortning för förtroendevalda, t.ex. M, S, FR."
    )
    telefon: Line | None = Field(
        None, description="Telefonnummer, inom citattecken: '035-13 48 00'."
    )
    epost: Line | None = Field(None, description="E-postadress.")

    @model_validator(mode="before")
    @classmethod
    def _one_line(cls, value: Any) -> Any:
        if isinstance(value, str):
            name, _, title = value.partition(",")
            return {"namn": name, "titel": title} if title.strip() else {"namn": name}
        return value


class Section(Model):
    """A prose section. May be written as plain Markdown text, or with its own heading and tables."""

    ONE_LINE_FORM: ClassVar[bool] = True

    rubrik: Line | None = Field(
        None, description="Rubrik i stället för mallens, t.ex. 'Resurser och finansiering'."
    )
    text: Markdown | None = Field(
        None, description="Avsnittets text i Markdown: stycken, punktlistor, **fetstil**, länkar."
    )
    tabeller: list[Line] = Field(
        default_factory=list,
        description="Tabeller (nycklar under `tabeller`) som visas efter texten, i denna ordning.",
    )

    @model_validator(mode="before")
    @classmethod
    def _plain_text(cls, value: Any) -> Any:
        return _from_line(value, "text")


class NamedSection(Section):
    """A section with a heading of its own, for the free sections of a document."""

    ONE_LINE_FORM: ClassVar[bool] = False

    rubrik: Line = Field(description="Avsnittets rubrik.")

    @model_validator(mode="before")
    @classmethod
    def _plain_text(cls, value: Any) -> Any:
        return value


class Clause(Model):
    """One att-clause. May be written as plain text: `godkänna budgeten`."""

    ONE_LINE_FORM: ClassVar[bool] = True

    text: Line = Field(description="Vad organet beslutar, utan inledande 'att'.")
    bilaga: PositiveInteger | None = Field(
        None, description="Numret på den bilaga (under `bilagor`) som satsen hänvisar till."
    )

    @model_validator(mode="before")
    @classmethod
    def _plain_text(cls, value: Any) -> Any:
        return _from_line(value, "text")


class Proposal(Model):
    """A proposed or taken decision: a body, a verb phrase and one or more att-clauses."""

    organ: Line = Field(
        description="Det organ som beslutar eller föreslås besluta, t.ex. Regionstyrelsen."
    )
    verb: Line = Field(
        "beslutar att",
        description="Verbfrasen efter organet: 'beslutar att', 'föreslås', 'föreslår "
        "regionfullmäktige besluta att', 'beslutar:'.",
    )
    att: list[Clause] = Field(description="Att-satserna i ordning.")


class Position(Model):
    """A preparatory group's stance on the proposal (Tillstyrker / avstyrker)."""

    organ: Line = Field(description="Den grupp som tagit ställning, t.ex. Central beredningsgrupp.")
    ställning: Literal["tillstyrker", "avstyrker"] = Field(
        description="tillstyrker eller avstyrker."
    )
    text: Markdown | None = Field(None, description="Motivering, om någon.")


class Annex(Model):
    """A bilaga: a document attached to the case, numbered Bilaga 1, 2 …"""

    ONE_LINE_FORM: ClassVar[bool] = True

    nummer: PositiveInteger | None = Field(
        None, description="Bilagans nummer; utelämnas det numreras bilagorna i ordning från 1."
    )
    titel: Line = Field(description="Bilagans titel.")
    datum: Date | None = Field(None, description="Bilagans datum, om det ska visas.")
    handling: Line | None = Field(
        None,
        description="Id för den handling i `handlingar` som är bilagan, om arendegen skapar den.",
    )
    fil: Line | None = Field(None, description="Sökväg till en bifogad fil, relativt ärendefilen.")

    @model_validator(mode="before")
    @classmethod
    def _plain_title(cls, value: Any) -> Any:
        return _from_line(value, "titel")


class Basis(Model):
    """One document in Beslutsunderlag. May be written as its title only."""

    ONE_LINE_FORM: ClassVar[bool] = True

    titel: Line = Field(description="Handlingens titel.")
    datum: Date | None = Field(None, description="Handlingens datum.")
    bilaga: PositiveInteger | None = Field(
        None, description="Numret på bilagan (under `bilagor`) som handlingen är; ger 'Bilaga N.'."
    )

    @model_validator(mode="before")
    @classmethod
    def _plain_title(cls, value: Any) -> Any:
        return _from_line(value, "titel")


class LaterDecision(Model):
    """A decision written on the same paper afterwards (seed 001: Regiondirektörens beslut)."""

    rubrik: Line = Field(description="Rubrik, t.ex. 'Regiondirektörens beslut'.")
    text: Markdown = Field(description="Beslutet.")
    beslutsfattare: Person | None = Field(None, description="Den som fattar beslutet.")
    datum: Date | None = Field(None, description="Beslutsdatum.")


class Reservation(Model):
    """A member's reservation against a decision."""

    ledamot: Line = Field(description="Ledamotens namn.")
    parti: Party = Field(description="Partiförkortning, t.ex. M eller FR.")
    mot: Line = Field(
        "beslutet",
        description="Vad reservationen gäller, efter 'reserverar sig mot': 'beslutet', "
        "'beslutet att äska pengar …'.",
    )
    motivering: Markdown | None = Field(None, description="Skriftlig motivering, om den lämnats.")


class Attestation(Model):
    """How the minutes were attested (justering)."""

    justerad: Flag = Field(True, description="true när paragrafen är justerad.")
    omedelbart: Flag = Field(False, description="true när paragrafen justerades omedelbart.")
    justerare: list[Person] = Field(default_factory=list, description="De som justerat.")
    datum: Date | None = Field(None, description="Justeringsdatum.")
    ort: Line | None = Field(None, description="Plats för justeringen.")
    intygas_av: Person | None = Field(
        None, description="Den som intygar utdraget ('Rätt utdraget intygar')."
    )
