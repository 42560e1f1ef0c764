"""What a case may be about beyond its prose: a remiss, a motion, figures against a base,
and the barnkonsekvensanalys checklist."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from arendegen.schema.common import NamedSection, Person
from arendegen.schema.types import Date, Line, Markdown, Model, Money, MoneyUnit


class Consultation(Model):
    """A remiss: who asks for the organisation's view, on what, and by when."""

    avsändare: Line = Field(description="Den remitterande myndigheten, t.ex. Finansdepartementet.")
    beteckning: Line | None = Field(
        None, description="Avsändarens diarienummer, t.ex. Fi2016/03456."
    )
    betänkande: Line = Field(
        description="Det som remitteras, t.ex. 'SOU 2016:48 Regional indelning', eller ett id "
        "under `referenser`."
    )
    inkom: Date | None = Field(None, description="Datum då remissen kom in.")
    svar_senast: Date = Field(description="Sista dag för svar.")
    ställning: Literal[
        "tillstyrker", "tillstyrker delvis", "avstyrker", "synpunkter", "inga synpunkter"
    ] = Field(
        description="Organisationens hållning i stort: tillstyrker, tillstyrker delvis, "
        "avstyrker, synpunkter eller inga synpunkter."
    )
    synpunkter: list[NamedSection] = Field(
        default_factory=list,
        description="Synpunkterna, var och en under betänkandets avsnitt eller en egen rubrik.",
    )


class MotionCase(Model):
    """A motion (by an elected member) or a medborgarförslag (by a resident)."""

    slag: Literal["motion", "medborgarförslag"] = Field(
        description="motion eller medborgarförslag."
    )
    förslagsställare: list[Person] = Field(
        description="Den eller de som lämnat förslaget, med parti för en motion."
    )
    inkom: Date | None = Field(None, description="Datum då förslaget kom in eller väcktes.")
    väckt_i: Line | None = Field(
        None, description="Det organ där motionen väcktes, t.ex. Kommunfullmäktige."
    )
    yrkanden: list[Line] = Field(
        default_factory=list, description="Vad förslagsställaren föreslår, en att-sats per rad."
    )
    svar: Literal["bifall", "delvis bifall", "avslag", "besvarad"] | None = Field(
        None,
        description="Förslaget till svar: bifall, delvis bifall, avslag eller besvarad "
        "('motionen anses besvarad').",
    )


class Comparison(Model):
    """A figure stated against a base: '38 mnkr bättre än budget', 'underskott om 74 mkr'.

    Give the base and the result, or the base and the change; arendegen computes the third
    and checks it when all three are given. Named in text as `[[id]]`.
    """

    bas: Money = Field(description="Det som jämförs mot, t.ex. budgeten.")
    förändring: Money | None = Field(
        None, description="Skillnaden mot basen (resultat − bas), med tecken."
    )
    resultat: Money | None = Field(None, description="Utfallet eller prognosen.")
    enhet: MoneyUnit | None = Field(None, description="Enheten för tal utan enhet.")
    mot: Line = Field("budget", description="Vad basen är, i texten: 'budget', 'föregående år'.")
    högre_är: Literal["bättre", "sämre"] = Field(
        "bättre",
        description="bättre för resultat och intäkter, sämre för kostnader: avgör om en "
        "positiv skillnad är bättre eller sämre.",
    )
    uttryck: Literal["bättre/sämre", "överskott/underskott", "minus"] | None = Field(
        None,
        description="Hur skillnaden skrivs: '38 mnkr bättre än budget', 'underskott om 74 mnkr' "
        "eller '−74 mnkr'; utelämnas det gäller mallens inställning.",
    )


class Question(Model):
    """One question of the barnkonsekvensanalys, answered Ja or Nej with an explanation."""

    fråga: Line = Field(description="Frågan, t.ex. 'Berör beslutet barn direkt eller indirekt?'.")
    svar: Literal["ja", "nej", "okänd"] = Field(
        description="ja eller nej; okänd när frågan inte är besvarad ännu (ett utkast)."
    )
    förklaring: Markdown | None = Field(
        None,
        description="Förklaring till svaret (en varning utan den); okänd när den inte är "
        "skriven ännu.",
    )


class Checklist(Model):
    """Barnkonsekvensanalys as a checklist: numbered questions answered Ja/Nej."""

    ONE_LINE_FORM: ClassVar[bool] = False

    rubrik: Line | None = Field(None, description="Rubrik i stället för mallens.")
    text: Markdown | None = Field(None, description="Text före frågorna.")
    frågor: list[Question] = Field(description="Frågorna i ordning; numreras 1, 2, 3 …")
    slutsats: Markdown | None = Field(None, description="Sammanfattande bedömning.")
