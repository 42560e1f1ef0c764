"""The field reference (docs/case-format.md), generated from the schema's descriptions."""

from __future__ import annotations

import types as types_
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from arendegen import packs
from arendegen.layout import model as layout
from arendegen.schema import common, documents, matters, meeting, tables, types
from arendegen.schema.case import Case
from arendegen.schema.introspect import options

SECTIONS: list[tuple[str, type[BaseModel]]] = [
    ("Ärendet (filens översta nivå)", Case),
    (
        "Handling: tjänsteskrivelse / beslutsförslag / tjänsteutlåtande / ärende / skrivelse",
        documents.Memorandum,
    ),
    ("Handling: budgetavvikelse", documents.DeviationMemorandum),
    ("Handling: protokollsutdrag", documents.Extract),
    ("Handling: förfrågan om utvecklingsmedel", documents.FundingRequest),
    ("Övergripande information om en insats (`insats`)", documents.Initiative),
    ("Handling: ersättningsmodell", documents.CompensationModel),
    ("Handling: remissyttrande", documents.ConsultationResponse),
    ("Handling: sammanträdesprotokoll", documents.Minutes),
    ("Handling: delegationsbeslut", documents.DelegationDecision),
    ("Handling: bilaga med egen text", documents.AnnexDocument),
    ("Handling: styrdokument", documents.PolicyDocument),
    ("Handling: kallelse med föredragningslista", documents.Notice),
    ("Ärende på föredragningslistan", documents.AgendaItem),
    ("Handling: anmälan av delegationsbeslut", documents.DelegationReport),
    ("Anmält delegationsbeslut", documents.DelegatedDecision),
    ("Beslut från en annan myndighet", documents.ReceivedDecision),
    ("Sammanträde (ram för ett protokoll)", meeting.Frame),
    ("Tjänstgörande ledamot", meeting.Seat),
    ("Övrig närvarande", meeting.Attendee),
    ("Ajournering", meeting.Adjournment),
    ("Anslag", meeting.Posting),
    ("Paragraf i ett protokoll", meeting.Item),
    ("Yrkande", meeting.Claim),
    ("Votering", meeting.Division),
    ("Röst", meeting.Vote),
    ("Angivet röstresultat", meeting.VoteCount),
    ("Särskilt yttrande / protokollsanteckning", meeting.Statement),
    ("Jäv", meeting.Disqualification),
    ("Ledamot", common.Member),
    ("Steg i beslutsordningen", common.Step),
    ("Delegation", common.Delegation),
    ("Referens (beslut eller extern handling)", common.Reference),
    ("Sidnumrering som i hela protokollet", common.Pages),
    ("Mottagare i en sändlista", common.Recipient),
    ("Remiss", matters.Consultation),
    ("Motion / medborgarförslag", matters.MotionCase),
    ("Jämförelse mot en bas", matters.Comparison),
    ("Barnkonsekvensanalys som checklista", matters.Checklist),
    ("Fråga i checklistan", matters.Question),
    ("Tabell: budget", tables.BudgetTable),
    ("Budgetrad", tables.BudgetRow),
    ("Tabell: fördelning", tables.DistributionTable),
    ("Fördelningsgrupp", tables.DistributionGroup),
    ("Fördelningspost", tables.DistributionItem),
    ("Tabell: schabloner", tables.RateTable),
    ("Schablonrad", tables.RateRow),
    ("Tabell: tidrapport", tables.TimeReport),
    ("Tidrapportrad", tables.TimeReportRow),
    ("Tabell: budgetavvikelse", tables.DeviationTable),
    ("År i en budgetavvikelse", tables.DeviationYear),
    ("Reserv", tables.Reserve),
    ("Angivet underskott", tables.DeclaredDeficit),
    ("Justering av schabloner", tables.Adjustment),
    ("Tabell: tabell (rader med roller, beräknade kolumner)", tables.GridTable),
    ("Kolumn i en tabell", tables.GridColumn),
    ("Rad i en tabell", tables.GridRow),
    ("Tabell: investering", tables.InvestmentTable),
    ("Belopp för ett år", tables.YearAmount),
    ("Flytt mellan år", tables.Move),
    ("Finansieringskälla", tables.Source),
    ("Driftkonsekvens", tables.OperatingCost),
    ("Tabell: uppföljning", tables.FollowUpTable),
    ("Rad i en uppföljning", tables.FollowUpLine),
    ("Person", common.Person),
    ("Textavsnitt", common.Section),
    ("Avsnitt med egen rubrik", common.NamedSection),
    ("Förslag till beslut / beslut", common.Proposal),
    ("Att-sats", common.Clause),
    ("Ställningstagande (tillstyrker/avstyrker)", common.Position),
    ("Bilaga", common.Annex),
    ("Beslutsunderlag", common.Basis),
    ("Efterföljande beslut", common.LaterDecision),
    ("Reservation", common.Reservation),
    ("Justering", common.Attestation),
    ("Paketinställningar (pack.yaml)", packs.PackConfig),
    ("Rubriker i ett mallpaket", packs.Headings),
    ("Dokumentnamn i ett mallpaket", packs.DocumentNames),
    ("Layout för en sorts handling", layout.Layout),
    ("Huvudet överst på första sidan", layout.Header),
    ("Cell i huvudet", layout.Cell),
    ("Block i brödtexten", layout.Entry),
    ("Husregler", layout.HouseRules),
    ("Del av sidhuvud eller sidfot", layout.Running),
]

_NAMES = {model: title for title, model in SECTIONS}
_SCALARS = {
    types._line: "text",
    types._property_line: "text (högst 255 tecken)",
    types._text: "text",
    types._markdown: "Markdown",
    types._date: "datum",
    types._integer: "heltal",
    types._positive_integer: "heltal ≥ 1",
    types._flag: "true/false",
    types._decimal: "tal",
    types._amount: "belopp",
    types._unit: "enhet",
    types._party: "partiförkortning",
    types._time: "klockslag",
    types._percent: "procent",
    types._period: "period",
}


def field_reference() -> str:
    """The whole reference as Markdown."""
    out = [
        "# Ärendeformatet: alla nycklar",
        "",
        "Genererad ur schemat (`arendegen schema --markdown`); ändra beskrivningarna i "
        "`src/arendegen/schema/`, inte här.",
        "",
        "Typer: *text* (en rad, högst 100 000 tecken; högst 255 där texten också blir "
        "dokumentegenskap i Word-filen: titlar, diarienummer, handläggarens namn, organisation), "
        "*Markdown* (stycken, listor, **fetstil**, länkar), *datum* "
        "(ÅÅÅÅ-MM-DD eller utskrivet: `3 februari 2025`; åren 1900–2099), *period* "
        "(`jan–juni 2025`, `t.o.m. maj 2025`, `maj 2025`, `T2 2025`, `kvartal 3 2025`, `2025`, "
        "`2025-01-01–2025-06-30`; åren 1900–2099), *klockslag* (`'13.00'`, inom citattecken), *procent* "
        "(`6`, `'2,5 %'`), *belopp* (`18,73 mnkr`, `6 010 000 kr`, `175 tkr`, eller ett tal i "
        "tabellens enhet), *enhet* (kr, tkr, mnkr, mkr, Mkr, mdkr). Poster markerade "
        "*text eller mappning* kan skrivas på en rad (`Per Karlsson, Ekonomidirektör`, "
        "`Anna Ek (M)`, `Anna Ek (M): ja`).",
        "",
        "Text kan nämna en referens eller en jämförelse med `[[id]]` (id under `referenser` "
        "eller `jämförelser`); den skrivs då ut likadant överallt: `KF 2022-11-28, § 111`, "
        "`38 mnkr bättre än budget`.",
        "",
    ]
    for title, model in SECTIONS:
        out += [f"## {title}", ""]
        if getattr(model, "ONE_LINE_FORM", False):
            out += ["Kan skrivas som *text eller mappning*.", ""]
        out += ["| nyckel | typ | krävs | beskrivning |", "|---|---|---|---|"]
        for name, field in model.model_fields.items():
            out.append(
                f"| `{name}` | {_type(field)} | {_required(field)} | {field.description or ''} |"
            )
        out.append("")
    return "\n".join(out)


def _required(field: FieldInfo) -> str:
    if not field.is_required():
        return "nej"
    return "ja (får vara null)" if type(None) in set(options(field.annotation)) else "ja"


def _type(field: FieldInfo) -> str:
    names = _names(field.annotation, field.metadata)
    return " eller ".join(dict.fromkeys(n for n in names if n))


def _names(annotation: Any, metadata: list[Any]) -> list[str]:
    """Readable names of the alternatives of a type, keeping Annotated metadata in view."""
    origin = get_origin(annotation)
    if origin is Annotated:
        inner, *meta = get_args(annotation)
        return _names(inner, meta)
    if origin in {Union, types_.UnionType}:
        return [n for arg in get_args(annotation) for n in _names(arg, metadata)]
    if annotation is type(None):
        return []
    if origin is Literal:
        return [" / ".join(f"`{a}`" for a in get_args(annotation))]
    if origin is list:
        return ["lista av " + " eller ".join(_names(get_args(annotation)[0], []))]
    if origin is dict:
        return ["mappning id → " + " eller ".join(_names(get_args(annotation)[1], []))]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        title = _NAMES.get(annotation, annotation.__name__)
        return [f"[{title}](#{_slug(title)})"]
    for meta in metadata:
        if isinstance(meta, types.Reads) and meta.read in _SCALARS:
            return [_SCALARS[meta.read]]
    return ["text"]


def _slug(title: str) -> str:
    """GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens."""
    keep = "".join(c for c in title.lower() if c.isalnum() or c in " -_")
    return keep.replace(" ", "-")
