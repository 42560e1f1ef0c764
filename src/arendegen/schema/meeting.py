"""Meetings: who was there, how each paragraph was deliberated, how the minutes were attested.

A protokollsutdrag holds one paragraph's deliberation; a sammanträdesprotokoll holds the
meeting's frame (place, time, members, justering, anslag) and every paragraph. Votes are
written member by member; arendegen counts them and checks the declared result.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import Field, model_validator

from arendegen import codes
from arendegen.schema.common import (
    Attestation,
    Basis,
    Member,
    Person,
    Proposal,
    Recipient,
    Reservation,
    Section,
    name_and,
)
from arendegen.schema.types import (
    Date,
    Flag,
    Integer,
    Line,
    Markdown,
    Model,
    Money,
    ParagraphRange,
    Paragraphs,
    Party,
    PositiveInteger,
    Time,
    fail,
)

MAX_VOTES = 1_000
"""Most votes one votering may list (kommunfullmäktige has at most a few hundred members)."""


class Claim(Model):
    """A yrkande: what a member, or several together, move during deliberation."""

    ledamot: Line | None = Field(None, description="Den som yrkar.")
    parti: Party | None = Field(None, description="Partiförkortning.")
    ledamöter: list[Member] = Field(
        default_factory=list,
        description="Flera ledamöter som yrkar tillsammans: `[Erik Lövgren (S), Anna Ek (C)]` "
        "ger 'Erik Lövgren (S) och Anna Ek (C) yrkar …'.",
    )
    partier: list[Party] = Field(
        default_factory=list,
        description="Partier som yrkar, när protokollet bara anger dem: `[SD]` ger 'SD yrkar …'.",
    )
    slag: Literal["bifall", "avslag", "tillägg", "ändring", "återremiss", "bordläggning"] | None = (
        Field(
            None,
            description="bifall, avslag, tillägg, ändring, återremiss eller bordläggning; utelämnas "
            "det när protokollet inte säger vad yrkandet gick ut på ('… framställer ett yrkande').",
        )
    )
    text: Markdown | None = Field(
        None,
        description="Yrkandets innehåll, skrivet som fortsättning på 'X yrkar bifall till', "
        "'… avslag på', '… återremiss' osv.: 'arbetsutskottets förslag', 'med motiveringen "
        "att …', 'för att utreda …'. Ett tilläggs- eller ändringsyrkande skrivs efter '… "
        "enligt följande:'.",
    )
    belopp: Money | None = Field(
        None, description="Belopp som ett tilläggs- eller ändringsyrkande gäller, t.ex. 2 mnkr."
    )
    instämmer: list[Member] = Field(
        default_factory=list, description="Ledamöter som instämmer i yrkandet."
    )

    @model_validator(mode="after")
    def _someone(self) -> Claim:
        given = [self.ledamot is not None, bool(self.ledamöter), bool(self.partier)]
        if given.count(True) != 1:
            raise fail(
                "ange vem som yrkar, på ett sätt: `ledamot` (med `parti`), `ledamöter` eller "
                "`partier`",
                codes.CLAIM_WHO,
            )
        return self

    @property
    def members(self) -> list[Member]:
        """Everyone behind the yrkande, in order."""
        first = [Member(namn=self.ledamot, parti=self.parti)] if self.ledamot else []
        return first + list(self.ledamöter)


Choice = Literal["ja", "nej", "avstår"]


class Vote(Model):
    """One member's vote. May be written as one line: `Anna Ek (M): ja`."""

    ONE_LINE_FORM: ClassVar[bool] = True

    ledamot: Line = Field(description="Ledamotens namn.")
    parti: Party | None = Field(None, description="Partiförkortning.")
    röst: Choice = Field(description="ja, nej eller avstår.")

    @model_validator(mode="before")
    @classmethod
    def _one_line(cls, value: Any) -> Any:
        if isinstance(value, str) and ":" in value:
            who, _, choice = value.rpartition(":")
            member = Member.model_validate(who.strip()) if who.strip() else None
            return {
                "ledamot": member.namn if member else who,
                **({"parti": member.parti} if member and member.parti else {}),
                "röst": choice.strip().lower(),
            }
        return value


class VoteCount(Model):
    """The result a protocol states: the number of ja, nej and avstår."""

    ja: Integer = Field(description="Antal ja-röster.")
    nej: Integer = Field(description="Antal nej-röster.")
    avstår: Integer = Field(0, description="Antal som avstod.")


class Division(Model):
    """A votering: what ja and nej stand for, each member's vote, and the stated result."""

    ja: Line = Field(
        description="Vad ja innebär, skrivet som fortsättning på 'Ja-röst för' och 'beslutat "
        "enligt': 'bifall till arbetsutskottets förslag'."
    )
    nej: Line = Field(description="Vad nej innebär, som `ja`: 'bifall till Anna Eks yrkande'.")
    röster: list[Vote] = Field(
        default_factory=list,
        max_length=MAX_VOTES,
        description="Rösterna, en per ledamot: `Anna Ek (M): ja`. Utelämnas de när protokollet "
        "bara anger antalen (`resultat`).",
    )
    resultat: VoteCount | None = Field(
        None,
        description="Resultatet så som protokollet anger det: kontrolleras mot rösterna, eller, "
        "utan röster, mot de tjänstgörande ledamöterna.",
    )
    utfall: Literal["ja", "nej"] | None = Field(
        None, description="Vilket förslag som vann enligt protokollet; kontrolleras."
    )
    ordförande: Line | None = Field(
        None,
        description="Ordföranden, vars röst avgör vid lika röstetal; i ett protokoll hämtas "
        "ordföranden ur närvarolistan.",
    )


class Statement(Model):
    """A särskilt yttrande or a protokollsanteckning: text by one or more members."""

    ledamöter: list[Member] = Field(description="De som lämnar yttrandet: `[Anna Ek (M)]`.")
    text: Markdown | None = Field(None, description="Texten, om den står i protokollet.")
    bilaga: PositiveInteger | None = Field(
        None, description="Protokollsbilagan med texten, om den bifogas."
    )


class Disqualification(Model):
    """Jäv: a member who did not take part in a paragraph. May be written as `Anna Ek (M)`."""

    ONE_LINE_FORM: ClassVar[bool] = True

    ledamot: Line = Field(description="Ledamoten som anmäler jäv.")
    parti: Party | None = Field(None, description="Partiförkortning.")
    anmärkning: Line | None = Field(
        None, description="Varför, om det ska stå, t.ex. 'styrelseledamot i bolaget'."
    )

    @model_validator(mode="before")
    @classmethod
    def _one_line(cls, value: Any) -> Any:
        if isinstance(value, str):
            member = Member.model_validate(value)
            return {"ledamot": member.namn, **({"parti": member.parti} if member.parti else {})}
        return value


class Deliberation(Model):
    """How one paragraph was dealt with: motions, the order of questions, votes, dissent."""

    yrkanden: list[Claim] = Field(default_factory=list, description="Yrkanden, i ordning.")
    propositionsordning: Markdown | None = Field(
        None,
        description="Hur ordföranden ställde förslagen mot varandra, t.ex. 'Ordföranden ställer "
        "proposition på bifall och avslag och finner att nämnden bifaller förslaget.'",
    )
    beslutsgång: Markdown | None = Field(
        None, description="Hur ordföranden ställde frågan och vad organet beslutade."
    )
    votering: Division | None = Field(None, description="Omröstning, om sådan begärdes.")
    reservationer: list[Reservation] = Field(default_factory=list, description="Reservationer.")
    särskilda_yttranden: list[Statement] = Field(
        default_factory=list, description="Särskilda yttranden."
    )
    protokollsanteckningar: list[Statement] = Field(
        default_factory=list, description="Protokollsanteckningar."
    )
    jäv: list[Disqualification] = Field(
        default_factory=list, description="Ledamöter som på grund av jäv inte deltog."
    )


class Item(Deliberation):
    """One paragraph (§) of a sammanträdesprotokoll."""

    paragraf: PositiveInteger = Field(description="Paragrafnumret.")
    ärende: PositiveInteger | None = Field(
        None,
        description="Ärendets nummer på föredragningslistan i ärendets kallelse: titel, "
        "diarienummer och förslag hämtas därifrån när de inte står i paragrafen.",
    )
    titel: Line | None = Field(
        None, description="Ärendets rubrik; utelämnas den hämtas den från kallelsen (`ärende`)."
    )
    diarienummer: Line | None = Field(None, description="Ärendets diarienummer.")
    ärendet: Section | None = Field(None, description="Beskrivning av ärendet.")
    förslag_från: Line | None = Field(
        None, description="Vems förslag till beslut som låg, t.ex. Arbetsutskottet."
    )
    förslag: Proposal | None = Field(None, description="Förslaget till beslut, om det ska stå.")
    beslut: Proposal | None = Field(
        None,
        description="Beslutet. För informationsärenden: `att: [anteckna informationen "
        "till protokollet]`.",
    )
    omedelbart_justerad: Flag = Field(False, description="true: paragrafen justerades omedelbart.")
    beslutsunderlag: list[Basis] = Field(default_factory=list, description="Beslutsunderlag.")
    expedieras_till: list[Recipient] = Field(
        default_factory=list, description="Vart beslutet skickas."
    )


class Seat(Model):
    """A member present at a meeting, with the role they served in."""

    namn: Line = Field(description="För- och efternamn.")
    parti: Party | None = Field(None, description="Partiförkortning.")
    roll: Line = Field(
        "ledamot",
        description="ordförande, vice ordförande, andre vice ordförande, ledamot eller "
        "tjänstgörande ersättare.",
    )
    istf: Line | None = Field(
        None,
        description="För en tjänstgörande ersättare: ledamoten hen ersätter ('istf'); okänd "
        "när det inte är känt ännu (ett utkast).",
    )
    ej_paragrafer: Paragraphs = Field(
        default_factory=list,
        description="Paragrafer där ledamoten inte deltog: `[29, 32]`, eller med intervall "
        "`['62–75', 77]`.",
    )
    endast_paragrafer: Paragraphs = Field(
        default_factory=list,
        description="Om ledamoten bara deltog i vissa paragrafer: `[27, 28]` eller `['62–75']`.",
    )


class Attendee(Model):
    """Someone else present: an official, an auditor, a guest. May be written `Namn, roll`."""

    ONE_LINE_FORM: ClassVar[bool] = True

    namn: Line = Field(description="För- och efternamn.")
    roll: Line | None = Field(None, description="Titel eller roll, t.ex. Socialchef, sekreterare.")
    paragrafer: Paragraphs = Field(
        default_factory=list, description="Paragrafer hen var närvarande vid, om inte alla."
    )

    @model_validator(mode="before")
    @classmethod
    def _one_line(cls, value: Any) -> Any:
        return name_and(value, "roll")


class Adjournment(Model):
    """A break in the meeting."""

    från: Time = Field(description="Klockslag när ajourneringen började, '14.30'.")
    till: Time = Field(description="Klockslag när mötet fortsatte, '14.45'.")
    paragraf: PositiveInteger | None = Field(None, description="Under vilken paragraf.")


class Posting(Model):
    """Anslag/bevis: the notice on the official notice board that the minutes are attested."""

    uppsatt: Date | None = Field(
        None, description="Datum då anslaget sätts upp; utelämnas det är det inte känt ännu."
    )
    nedtas: Date | None = Field(
        None,
        description="Datum då anslaget tas ned (tidigast tre veckor senare); utelämnas det är "
        "det inte känt ännu.",
    )
    förvaringsplats: Line | None = Field(
        None, description="Var protokollet förvaras, t.ex. Kommunkansliet."
    )
    underskrift: Person | None = Field(None, description="Den som intygar anslaget.")


class Frame(Model):
    """Where and when a meeting was held, and who was there."""

    plats: Line = Field(description="Plats, t.ex. 'Kommunhuset, sal Ljungen'.")
    datum: Date = Field(description="Sammanträdets datum.")
    paragrafer: ParagraphRange | None = Field(
        None,
        description="Sammanträdets alla paragrafer, när protokollet är ett utdrag ur det: "
        "'§§ 28–45'. Handlingens `paragrafer` är då de som utdraget har, och närvaro för andra "
        "paragrafer inom intervallet godtas.",
    )
    från: Time | None = Field(
        None,
        description="Klockslag när sammanträdet började, '13.00'; utelämnas det är det inte "
        "känt ännu (ett utkast).",
    )
    till: Time | None = Field(None, description="Klockslag när det slutade, '16.30'.")
    ajourneringar: list[Adjournment] = Field(default_factory=list, description="Ajourneringar.")
    ledamöter: list[Seat] = Field(
        description="Beslutande: ledamöter och tjänstgörande ersättare, med roll."
    )
    ersättare: list[Member] = Field(
        default_factory=list, description="Närvarande ersättare som inte tjänstgjorde."
    )
    övriga: list[Attendee] = Field(default_factory=list, description="Övriga närvarande, med roll.")
    frånvarande: list[Member] = Field(
        default_factory=list,
        description="Ledamöter som inte var där (ersatta eller inte): `[Sara Berg (M)]`.",
    )
    sekreterare: Person = Field(description="Sekreteraren.")
    justering: Attestation = Field(description="Justerare, och när och var protokollet justerades.")
    anslag: Posting | None = Field(None, description="Anslag/bevis om justeringen.")
