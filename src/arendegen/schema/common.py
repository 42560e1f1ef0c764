"""Parts every document shares: people, text sections, att-clauses, annexes, distribution."""

from __future__ import annotations

import re
from typing import Any, ClassVar, Literal

from pydantic import Field, model_validator

from arendegen import codes
from arendegen.schema.types import (
    UNKNOWN,
    Date,
    Flag,
    Integer,
    Line,
    LooseDate,
    Markdown,
    Model,
    Party,
    PositiveInteger,
    PropertyLine,
    fail,
)


def name_and(value: Any, key: str) -> Any:
    """Let `Namn, Något` stand for a mapping with namn and `key`, and `Namn (S), Något` also
    give the party, as a protocol writes an elected member."""
    if isinstance(value, str):
        name, _, rest = value.partition(",")
        found = {"namn": name, key: rest} if rest.strip() else {"namn": name}
        party = _PARTY_AFTER_NAME.fullmatch(name.strip())
        if party:
            found.update(namn=party[1], parti=party[2])
        return found
    return value


_PARTY_AFTER_NAME = re.compile(r"(.+?)\s*\(([A-ZÅÄÖ][A-Za-zÅÄÖåäö/-]{0,11})\)")


def _from_line(value: Any, key: str) -> Any:
    """Let a plain string stand for a mapping with that string under `key`."""
    return {key: value} if isinstance(value, str) else value


class Person(Model):
    """A person and the role they act in. May be written as one line: `Per Karlsson, Ekonomidirektör`."""

    ONE_LINE_FORM: ClassVar[bool] = True

    namn: PropertyLine = Field(description="För- och efternamn.")
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
        return name_and(value, "titel")


class Section(Model):
    """A prose section. May be written as plain Markdown text, or with its own heading and tables."""

    ONE_LINE_FORM: ClassVar[bool] = True

    rubrik: Line | None = Field(
        None, description="Rubrik i stället för mallens, t.ex. 'Resurser och finansiering'."
    )
    utan_rubrik: Flag = Field(
        False, description="true: avsnittet står utan rubrik, som löptext efter det förra."
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

    rubrik: Line | None = Field(
        None, description="Avsnittets rubrik; utelämnas den står avsnittet utan rubrik."
    )

    @model_validator(mode="before")
    @classmethod
    def _plain_text(cls, value: Any) -> Any:
        return value


class Clause(Model):
    """One att-clause. May be written as plain text: `godkänna budgeten`."""

    ONE_LINE_FORM: ClassVar[bool] = True

    text: Line = Field(description="Vad organet beslutar, utan inledande 'att'.")
    organ: Line | None = Field(
        None,
        description="Det organ som till sist beslutar just denna sats, om det inte är förslagets "
        "(t.ex. Kommunfullmäktige för en sats som styrelsen föreslår, när de andra beslutas "
        "'för egen del'). Med `beslutsordning` skrivs verbkedjan fram till det organet.",
    )
    verb: Line | None = Field(
        None,
        description="Egen verbfras för satsen, t.ex. 'föreslår kommunfullmäktige besluta att'; "
        "satser med samma organ och verb samlas under en inledning.",
    )
    bilaga: PositiveInteger | None = Field(
        None,
        description="Numret på den bilaga (under `bilagor`) som satsen hänvisar till, "
        "t.ex. en protokollsbilaga.",
    )

    @model_validator(mode="before")
    @classmethod
    def _plain_text(cls, value: Any) -> Any:
        return _from_line(value, "text")


class Proposal(Model):
    """A proposed or taken decision: a body, a verb phrase and one or more att-clauses. May be
    written `okänd`: not written yet (a draft)."""

    ONE_LINE_FORM: ClassVar[bool] = True

    okänd: Flag = Field(
        False,
        description="true (eller bara `okänd` i stället för mappningen): beslutet eller "
        "förslaget är inte skrivet ännu. Handlingen kan då bara byggas som utkast, med "
        "'[beslut saknas]' där det ska stå.",
    )
    organ: Line | None = Field(
        None,
        description="Det organ som beslutar satserna, t.ex. Regionstyrelsen; utelämnas det "
        "gäller sista steget i ärendets `beslutsordning` (att ange det sista steget är detsamma "
        "som att utelämna det). Med ett `verb` är organet i stället meningens subjekt "
        "('Kommunstyrelsen' + 'beslutar föreslå kommunfullmäktige att'), om inte verbet "
        "föreslår just det organet något.",
    )
    verb: Line | None = Field(
        None,
        description="Verbfrasen efter organet: 'beslutar att', 'föreslås', 'föreslår "
        "regionfullmäktige besluta att', 'beslutar:'. Utelämnas den blir den 'beslutar att', "
        "eller med `beslutsordning` kedjan 'föreslår … besluta att'. Nämner den ett senare "
        "organ i `beslutsordning` är det det organet som beslutar; andra organs "
        "protokollsutdrag skriver sin egen mening och behåller bara slutet ('besluta "
        "följande:').",
    )
    utan_ingress: Flag = Field(
        False,
        description="true: satserna är hela meningar utan 'X beslutar att' före, som protokoll "
        "skriver enkla beslut: 'Dagordningen godkänns.'",
    )
    enligt: Line | None = Field(
        None,
        description="Ett beslut som hänvisar till ett organs förslag: 'Kommunstyrelsen' ger "
        "'Kommunfullmäktige beslutar enligt kommunstyrelsens förslag.' (med att-satser: '… "
        "enligt kommunstyrelsens förslag att …').",
    )
    att: list[Clause] = Field(
        default_factory=list,
        description="Att-satserna i ordning (kan utelämnas när `enligt` anger förslaget).",
    )

    @model_validator(mode="before")
    @classmethod
    def _unknown(cls, value: Any) -> Any:
        if isinstance(value, str):
            if value.strip().lower() != UNKNOWN:
                raise fail(
                    f"skriv beslutet som en mappning med `att` (eller `enligt`), eller "
                    f"'{UNKNOWN}' om det inte är skrivet ännu; fick '{value.strip()[:60]}'",
                    codes.DECISION_NOT_MAPPING,
                )
            return {"okänd": True}
        return value


class Position(Model):
    """A preparatory group's stance on the proposal (Tillstyrker / avstyrker)."""

    organ: Line = Field(description="Den grupp som tagit ställning, t.ex. Central beredningsgrupp.")
    ställning: Literal["tillstyrker", "avstyrker"] = Field(
        description="tillstyrker eller avstyrker."
    )
    text: Markdown | None = Field(None, description="Motivering, om någon.")


MIB = 1024 * 1024
MAX_ATTACHED_MB = 100
"""Most megabytes (MiB) one attached file (`bilagor[].fil`) may have. The heaviest real
attachments are scanned colour documents and plan maps, tens of MB; 100 leaves room for them
while a package stays something a CI runner merges in seconds."""
MAX_ATTACHED_PAGES = 2_000
"""Most pages one attached PDF may have: a year's annual report or a comprehensive plan with
its consultation report runs to a few hundred pages; 2 000 is several times the longest."""
MAX_PACKAGE_MB = 250
"""Most megabytes (MiB) one decision package (`--bundle`) may have, its own documents and
every attachment together: two and a half of the largest attachments."""
MAX_PACKAGE_PAGES = 5_000
"""Most pages of one decision package: a whole council meeting's papers are about a thousand."""


class Annex(Model):
    """A bilaga: a document attached to the case, numbered Bilaga 1, 2 …"""

    ONE_LINE_FORM: ClassVar[bool] = True

    nummer: PositiveInteger | None = Field(
        None, description="Bilagans nummer; utelämnas det numreras bilagorna i ordning från 1."
    )
    titel: Line = Field(description="Bilagans titel.")
    datum: LooseDate | None = Field(
        None, description="Bilagans datum, om det ska visas (utan år: '30 januari', i ett utkast)."
    )
    handling: Line | None = Field(
        None,
        description="Id för den handling i `handlingar` som är bilagan, om arendegen skapar den.",
    )
    fil: Line | None = Field(None, description="Sökväg till en bifogad fil, relativt ärendefilen.")
    slag: Literal["bifogad", "protokollsbilaga", "beslut", "handling"] = Field(
        "bifogad",
        description="bifogad (följer med handlingen), protokollsbilaga (fogas till protokollet, "
        "t.ex. en skriftlig reservation), beslut (ett annat organs beslut: ange `referens`) "
        "eller handling (finns i akten men bifogas inte).",
    )
    referens: Line | None = Field(
        None, description="Id under `referenser` för det beslut eller den handling bilagan är."
    )

    @model_validator(mode="before")
    @classmethod
    def _plain_title(cls, value: Any) -> Any:
        return _from_line(value, "titel")


class Basis(Model):
    """One document in Beslutsunderlag. May be written as its title only."""

    ONE_LINE_FORM: ClassVar[bool] = True

    titel: Line = Field(description="Handlingens titel.")
    datum: LooseDate | None = Field(
        None, description="Handlingens datum (utan år: '30 januari', i ett utkast)."
    )
    bilaga: PositiveInteger | None = Field(
        None, description="Numret på bilagan (under `bilagor`) som handlingen är; ger 'Bilaga N.'."
    )
    referens: Line | None = Field(
        None,
        description="Id under `referenser` för ett tidigare beslut eller en extern handling; "
        "ger t.ex. 'KF 2022-11-28, § 111' efter titeln.",
    )

    @model_validator(mode="before")
    @classmethod
    def _plain_title(cls, value: Any) -> Any:
        return _from_line(value, "titel")


class Recipient(Model):
    """One line of a distribution list. May be written as the name only: `Akten`."""

    ONE_LINE_FORM: ClassVar[bool] = True

    namn: Line = Field(description="Organ, funktion, roll, person, 'Akten' eller myndighet.")
    slag: Literal["organ", "funktion", "roll", "person", "akten", "extern"] | None = Field(
        None, description="Vad mottagaren är; extern för en myndighet utanför organisationen."
    )
    för: Literal["åtgärd", "kännedom"] | None = Field(
        None, description="För åtgärd eller för kännedom; listan delas då upp under två rubriker."
    )
    epost: Line | None = Field(None, description="E-postadress, om beslutet skickas dit.")

    @model_validator(mode="before")
    @classmethod
    def _plain_name(cls, value: Any) -> Any:
        return _from_line(value, "namn")


class Reference(Model):
    """An earlier decision (body, date, paragraph) or an external document (SOU 2016:48).

    Written once under `referenser` and named in text as `[[id]]`, so every mention reads the
    same: 'KF 2022-11-28, § 111', 'SOU 2016:48 Titel'.
    """

    organ: Line | None = Field(None, description="Beslutande organ, t.ex. Kommunfullmäktige.")
    förkortning: Line | None = Field(
        None, description="Organets förkortning i hänvisningar, t.ex. KF, KS, RS."
    )
    datum: LooseDate | None = Field(
        None,
        description="Beslutets eller handlingens datum (utan år: '30 januari', i ett utkast).",
    )
    paragraf: PositiveInteger | None = Field(None, description="Paragrafnumret (111 för § 111).")
    diarienummer: Line | None = Field(None, description="Ärendets diarienummer, om det ska visas.")
    beteckning: Line | None = Field(
        None,
        description="En extern handlings beteckning: SOU 2016:48, Ds 2015:53, prop. 2016/17:180.",
    )
    titel: Line | None = Field(None, description="Titel, t.ex. betänkandets eller planens namn.")
    utgivare: Line | None = Field(None, description="Vem som gett ut handlingen, om det behövs.")


class Step(Model):
    """One body on the way to a decision. May be written as the body's name only."""

    ONE_LINE_FORM: ClassVar[bool] = True

    organ: Line = Field(description="Organet, t.ex. Kommunstyrelsens arbetsutskott.")
    förkortning: Line | None = Field(None, description="Förkortning, t.ex. KSAU.")
    datum: Date | None = Field(None, description="Sammanträdesdatum då organet behandlar ärendet.")
    paragraf: Integer | None = Field(None, description="Paragraf i organets protokoll, om känd.")
    gemensam_för: list[Line] = Field(
        default_factory=list,
        description="För en gemensam nämnd: de kommuner eller regioner den är gemensam för.",
    )

    @model_validator(mode="before")
    @classmethod
    def _plain_name(cls, value: Any) -> Any:
        return _from_line(value, "organ")


class Delegation(Model):
    """A decision taken on delegation from a body, under its delegation rules."""

    beslutsfattare: Person = Field(description="Den som fattar beslutet på delegation.")
    från: Line = Field(description="Det organ som delegerat beslutanderätten, t.ex. Socialnämnden.")
    punkt: Line | None = Field(
        None, description="Punkt i delegationsordningen, t.ex. '3.2' eller 'C 12'."
    )
    lagrum: Line | None = Field(None, description="Lagrum, t.ex. '6 kap. 37 § kommunallagen'.")
    anmäls: Date | None = Field(
        None, description="Det sammanträde där beslutet anmäls till nämnden."
    )


class LaterDecision(Model):
    """A decision written on the same paper afterwards (seed 001: Regiondirektörens beslut)."""

    rubrik: Line = Field(description="Rubrik, t.ex. 'Regiondirektörens beslut'.")
    text: Markdown = Field(description="Beslutet.")
    beslutsfattare: Person | None = Field(None, description="Den som fattar beslutet.")
    datum: Date | None = Field(None, description="Beslutsdatum.")


class Member(Model):
    """An elected member and their party. May be written as one line: `Anna Ek (M)`."""

    ONE_LINE_FORM: ClassVar[bool] = True

    namn: Line = Field(description="För- och efternamn.")
    parti: Party | None = Field(None, description="Partiförkortning, t.ex. M, S, FR.")

    @model_validator(mode="before")
    @classmethod
    def _one_line(cls, value: Any) -> Any:
        if isinstance(value, str) and value.rstrip().endswith(")") and "(" in value:
            name, _, party = value.rstrip()[:-1].rpartition("(")
            return {"namn": name, "parti": party}
        return _from_line(value, "namn")


class Reservation(Model):
    """A reservation against a decision, by one member or several."""

    ledamot: Line | None = Field(
        None, description="Ledamotens namn, när en ledamot reserverar sig."
    )
    parti: Party | None = Field(None, description="Ledamotens partiförkortning, t.ex. M eller FR.")
    ledamöter: list[Member] = Field(
        default_factory=list,
        description="Flera ledamöter som reserverar sig tillsammans: `[Anna Ek (M), Bo Al (M)]`.",
    )
    partier: list[Party] = Field(
        default_factory=list,
        description="Partier vars ledamöter reserverar sig, när protokollet bara anger dem: "
        "`[S, V]` ger 'S och V reserverar sig mot beslutet'.",
    )
    mot: Line = Field(
        "beslutet",
        description="Vad reservationen gäller, efter 'reserverar sig mot': 'beslutet', "
        "'beslutet att äska pengar …'.",
    )
    till_förmån_för_eget_yrkande: Flag = Field(
        False, description="true: reservationen är 'till förmån för eget yrkande'."
    )
    lydelse: Line | None = Field(
        None,
        description="Reservationens egen ordalydelse efter namnen, när protokollet skriver den "
        "själv: 'reserverar sig mot beslutet och lämnar skriftlig reservationsmotivering som "
        "biläggs protokollet'.",
    )
    motivering: Markdown | None = Field(None, description="Skriftlig motivering, om den lämnats.")
    bilaga: PositiveInteger | None = Field(
        None, description="Bilagan (protokollsbilaga) med den skriftliga reservationen."
    )

    @model_validator(mode="after")
    def _someone(self) -> Reservation:
        if self.ledamot is None and not self.ledamöter and not self.partier:
            raise fail(
                "reservationen har ingen ledamot; ange `ledamot` och `parti`, `ledamöter`, "
                "eller `partier`",
                codes.RESERVATION_NOBODY,
            )
        if self.ledamot is not None and self.parti is None:
            raise fail(
                f"ange `parti` för {self.ledamot}, t.ex. parti: M", codes.RESERVATION_NO_PARTY
            )
        return self

    @property
    def members(self) -> list[Member]:
        """Everyone behind the reservation, in order."""
        first = [Member(namn=self.ledamot, parti=self.parti)] if self.ledamot else []
        return first + list(self.ledamöter)


class Pages(Model):
    """Page numbers as in the whole protocol an excerpt is taken from: 'Sida 5 (20)'."""

    första: PositiveInteger = Field(
        1, description="Numret på handlingens första sida i hela protokollet, t.ex. 5."
    )
    antal: PositiveInteger | None = Field(
        None, description="Antalet sidor i hela protokollet, t.ex. 20."
    )

    @model_validator(mode="after")
    def _inside(self) -> Pages:
        if self.antal is not None and self.första > self.antal:
            raise fail(
                f"sida {self.första} finns inte i ett protokoll på {self.antal} sidor",
                codes.PAGE_OUTSIDE,
            )
        return self


class Attestation(Model):
    """How the minutes were attested (justering)."""

    justerad: Flag | None = Field(
        None,
        description="true när protokollet är justerat; utelämnas det räknas det som justerat "
        "när justeringens `datum` står, annars skrivs inget om justeringen.",
    )
    omedelbart: Flag = Field(False, description="true när paragrafen justerades omedelbart.")
    justerare: list[Person] = Field(default_factory=list, description="De som justerat.")
    datum: LooseDate | None = Field(
        None, description="Justeringsdatum (utan år, '6 mars', i ett utkast)."
    )
    ort: Line | None = Field(None, description="Plats för justeringen.")
    intygas_av: Person | None = Field(
        None, description="Den som intygar utdraget ('Rätt utdraget intygar')."
    )

    @property
    def done(self) -> bool:
        """Attested, as the case says: `justerad: true`, or a justering date."""
        return self.justerad if self.justerad is not None else self.datum is not None
