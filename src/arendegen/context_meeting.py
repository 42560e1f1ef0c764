"""Meetings as templates see them: the deliberation of a paragraph and a protocol's frame."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from arendegen.blocks import Block, Blocks, Cell, Table, markdown, paragraph
from arendegen.compute_votes import Tally
from arendegen.formatting import format_date_as, format_iso_date, format_paragraph
from arendegen.schema.common import Member
from arendegen.schema.gaps import MARKS
from arendegen.schema.meeting import Deliberation, Frame, Item, Statement
from arendegen.schema.types import UNKNOWN

CLAIM_WORDS = {
    "bifall": "yrkar bifall till",
    "avslag": "yrkar avslag på",
    "tillägg": "yrkar tillägg",
    "ändring": "yrkar ändring",
    "återremiss": "yrkar återremiss",
    "bordläggning": "yrkar bordläggning",
}


def member(m: Member) -> str:
    """'Anna Ek (M)'."""
    return f"{m.namn} ({m.parti})" if m.parti else m.namn


def names(members: Sequence[Member], parties: Sequence[str] = ()) -> str:
    """'Anna Ek (M)', 'Anna Ek (M) och Bo Al (M)', 'A, B och C'; parties as the protocol
    names them: 'S och V'."""
    shown = [member(m) for m in members] + list(parties)
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " och " + shown[-1]


def deliberation(
    item: Deliberation, money: Any, votes: Tally | None, body: str
) -> dict[str, Blocks]:
    """Yrkanden, propositionsordning, beslutsgång, votering, reservationer and the rest."""
    return {
        "jäv": Blocks(
            tuple(
                paragraph(
                    f"{member(Member(namn=j.ledamot, parti=j.parti))} anmäler jäv och deltar inte "
                    "i handläggningen" + (f" ({j.anmärkning})." if j.anmärkning else ".")
                )
                for j in item.jäv
            )
        ),
        "yrkanden": _claims(item, money),
        "propositionsordning": markdown(item.propositionsordning),
        "beslutsgång": markdown(item.beslutsgång),
        "votering": _division(item, votes, body),
        "reservationer": _reservations(item),
        "särskilda_yttranden": _statements(
            item.särskilda_yttranden, "lämnar ett särskilt yttrande"
        ),
        "protokollsanteckningar": _statements(
            item.protokollsanteckningar, "lämnar en protokollsanteckning"
        ),
    }


def _claims(item: Deliberation, money: Any) -> Blocks:
    items: list[Block] = []
    for claim in item.yrkanden:
        who = names(claim.members, claim.partier)
        backers = f", med instämmande av {names(claim.instämmer)}," if claim.instämmer else ""
        if claim.slag is None:  # 'X yrkar att …', or only that a yrkande was made
            said = (
                f"yrkar {claim.text.strip().rstrip('.')}"
                if claim.text
                else "framställer ett yrkande"
            )
            items.append(paragraph(f"{who}{backers} {said}."))
            continue
        words = CLAIM_WORDS[claim.slag]
        amount = f" om {money(claim.belopp)}" if claim.belopp is not None else ""
        text = claim.text or ""
        if text and claim.slag in ("tillägg", "ändring"):
            items.append(paragraph(f"{who}{backers} {words}{amount} enligt följande:"))
            items += markdown(text).items
        else:
            lead = f"{who}{backers} {words}{amount}"
            items.append(paragraph(f"{lead} {text}".rstrip().rstrip(".") + "."))
    return Blocks(tuple(items))


def _division(item: Deliberation, votes: Tally | None, body: str) -> Blocks:
    division = item.votering
    if division is None or votes is None:
        return Blocks()
    items: list[Block] = [
        paragraph("Votering begärs och verkställs."),
        paragraph(f"Ja-röst för {division.ja}."),
        paragraph(f"Nej-röst för {division.nej}."),
    ]
    rows: list[tuple[Cell, ...]] = [
        (
            Cell("Ledamot", bold=True),
            Cell("Ja", bold=True),
            Cell("Nej", bold=True),
            Cell("Avstår", bold=True),
        )
    ]
    for vote in division.röster:
        who = member(Member(namn=vote.ledamot, parti=vote.parti))
        rows.append(
            (Cell(who), *(Cell("X" if vote.röst == c else "") for c in ("ja", "nej", "avstår")))
        )
    rows.append(
        (
            Cell("Summa", bold=True),
            Cell(str(votes.ja), bold=True),
            Cell(str(votes.nej), bold=True),
            Cell(str(votes.avstår), bold=True),
        )
    )
    if division.röster:  # a vote recorded only as counts has no table of names
        items.append(Table(tuple(rows), (5400, 1200, 1200, 1200)))
    counts = f"{_votes(votes.ja, 'ja')} mot {_votes(votes.nej, 'nej')}"
    if votes.avstår:
        counts += f" och {votes.avstår} som avstår från att rösta"
    if votes.outcome is None:
        items.append(paragraph(f"Omröstningen ger {counts}."))
    else:
        winner = division.ja if votes.outcome == "ja" else division.nej
        casting = " genom ordförandens utslagsröst" if votes.casting_vote else ""
        decided = _decided_for(winner, votes.outcome or "ja")
        items.append(
            paragraph(
                f"Med {counts} har {body[:1].lower() + body[1:]} beslutat{casting} {decided}."
            )
        )
    return Blocks(tuple(items))


def _decided_for(winner: str, side: str) -> str:
    """What the body decided, from what the winning side voted for ('bifall till
    kommunstyrelsens förslag'): 'enligt kommunstyrelsens förslag', 'att avslå motionen'."""
    for prefix, words in (("bifall till ", "enligt"), ("avslag på ", "att avslå")):
        if winner.lower().startswith(prefix):
            return f"{words} {winner[len(prefix) :]}"
    return f"i enlighet med {side}-sidans förslag: {winner}"


def _votes(count: int, kind: str) -> str:
    """'1 nej-röst', '3 ja-röster'."""
    return f"{count} {kind}-röst" + ("" if count == 1 else "er")


def _reservations(item: Deliberation) -> Blocks:
    items: list[Block] = []
    for r in item.reservationer:
        who = names(r.members, r.partier)
        if r.lydelse:  # the protocol's own words, with the annex it names
            annex = f" (bilaga {r.bilaga})" if r.bilaga and f"{r.bilaga}" not in r.lydelse else ""
            items.append(paragraph(f"{who} {r.lydelse.rstrip('.')}{annex}."))
            items += markdown(r.motivering).items
            continue
        text = f"{who} reserverar sig mot {r.mot}"
        if r.till_förmån_för_eget_yrkande:
            text += " till förmån för eget yrkande"
        if r.bilaga:
            text += f" med en skriftlig reservation, bilaga {r.bilaga}"
        if r.motivering:
            items.append(paragraph(f"{text} med följande motivering:"))
            items += markdown(r.motivering).items
        else:
            items.append(paragraph(text.rstrip(".") + "."))
    return Blocks(tuple(items))


def _statements(statements: Sequence[Statement], words: str) -> Blocks:
    items: list[Block] = []
    for s in statements:
        lead = f"{names(s.ledamöter)} {words}"
        if s.bilaga:
            lead += f", bilaga {s.bilaga}"
        if s.text:
            items.append(paragraph(lead + ":"))
            items += markdown(s.text).items
        else:
            items.append(paragraph(lead + "."))
    return Blocks(tuple(items))


def _presence(frame: Frame, items: Sequence[Item]) -> list[dict[str, Any]]:
    """Per member and serving substitute, then per absent member: their status at each
    paragraph (tjänstgörande, ej tjänstgörande, frånvarande), by paragraph number ('11')."""
    numbers = [i.paragraf for i in items]
    rows = []
    for seat in frame.ledamöter:
        status = {
            str(n): "ej tjänstgörande"
            if n in seat.ej_paragrafer
            or (seat.endast_paragrafer and n not in seat.endast_paragrafer)
            else "tjänstgörande"
            for n in numbers
        }
        rows.append(
            {
                "namn": member(Member(namn=seat.namn, parti=seat.parti)),
                "roll": seat.roll,
                "paragrafer": status,
            }
        )
    for absent in frame.frånvarande:
        rows.append(
            {
                "namn": member(absent),
                "roll": "",
                "paragrafer": dict.fromkeys((str(n) for n in numbers), "frånvarande"),
            }
        )
    return rows


def paragraph_range(items: Sequence[Item]) -> str:
    """'§ 27–35', '§ 27' or '§§ 27, 29'."""
    return paragraphs([i.paragraf for i in items])


def paragraphs(numbers: Sequence[int]) -> str:
    """Paragraph numbers as a protocol writes them, runs compressed: '§ 27', '§ 27–35',
    '§§ 12–18, 20, 22–24' (not '§ 12, § 13, …')."""
    ordered = sorted(set(numbers))
    if not ordered:
        return ""
    runs: list[tuple[int, int]] = []
    for n in ordered:
        if runs and n == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    written = [f"{a}–{b}" if b > a else str(a) for a, b in runs]
    if len(written) == 1:
        return format_paragraph(written[0])
    return "§§\u00a0" + ", ".join(written)


def frame(frame: Frame, items: Sequence[Item], per_line: bool = False) -> dict[str, Any]:
    """Place, time, who was there and the attestation, as the protocol's first page shows;
    `per_line`: the house lists people one per line."""
    joined = "\n".join if per_line else ", ".join
    time = (frame.från or MARKS["tid"]) + (f"–{frame.till}" if frame.till else "")
    breaks = [
        f"ajournering {a.från}–{a.till}"
        + (f" under {format_paragraph(a.paragraf)}" if a.paragraf else "")
        for a in frame.ajourneringar
    ]
    seats = []
    for seat in frame.ledamöter:
        role = seat.roll if seat.roll.lower() != "ledamot" else ""
        if seat.istf:
            replaced = MARKS["namn"] if seat.istf.lower() == UNKNOWN else seat.istf
            role = f"{role or 'tjänstgörande ersättare'}, istf {replaced}"
        absent = "ej " + paragraphs(seat.ej_paragrafer) if seat.ej_paragrafer else ""
        only = "endast " + paragraphs(seat.endast_paragrafer) if seat.endast_paragrafer else ""
        seats.append(
            (
                Cell(member(Member(namn=seat.namn, parti=seat.parti))),
                Cell(", ".join(x for x in (role, absent, only) if x)),
            )
        )
    attest = frame.justering
    posting = frame.anslag
    return {
        "plats_och_tid": f"{frame.plats}, {format_iso_date(frame.datum)}, kl. {time}"
        + (f" ({', '.join(breaks)})" if breaks else ""),
        "paragrafer": paragraph_range(items)
        or (f"§§\u00a0{frame.paragrafer[0]}–{frame.paragrafer[1]}" if frame.paragrafer else ""),
        "utdrag_ur": f"§§\u00a0{frame.paragrafer[0]}–{frame.paragrafer[1]}"
        if frame.paragrafer
        else "",
        "beslutande": Blocks((Table(tuple(seats), (5000, 4000), borders=False, header=False),))
        if seats
        else Blocks(),
        "ordförande": next(
            (
                member(Member(namn=s.namn, parti=s.parti))
                for s in frame.ledamöter
                if s.roll.lower() == "ordförande"
            ),
            "",
        ),
        "ersättare": joined(member(m) for m in frame.ersättare),
        "övriga": joined(
            o.namn
            + (f", {o.roll}" if o.roll else "")
            + (f" ({paragraphs(o.paragrafer)})" if o.paragrafer else "")
            for o in frame.övriga
        ),
        "frånvarande": joined(member(m) for m in frame.frånvarande),
        "paragrafnummer": [str(i.paragraf) for i in items],
        # who served at each paragraph, for a house that prints its presence grid
        "närvaro": _presence(frame, items),
        "sekreterare": frame.sekreterare.namn,
        "justerare": joined(p.namn for p in attest.justerare),
        "justerare_var": [p.namn for p in attest.justerare],  # each signs on a line of their own
        "justerad": attest.done,
        "justering": ", ".join(
            x
            for x in (
                attest.ort,
                format_date_as(attest.datum, "iso") if attest.datum else MARKS["datum"],
            )
            if x
        ),
        "anslag": {
            "uppsatt": format_iso_date(posting.uppsatt) if posting.uppsatt else MARKS["datum"],
            "nedtas": format_iso_date(posting.nedtas) if posting.nedtas else MARKS["datum"],
            "förvaringsplats": posting.förvaringsplats or MARKS["förvaringsplats"],
            "underskrift": posting.underskrift.namn if posting.underskrift else "",
        }
        if posting
        else None,
    }
