"""Rules for meetings: presence, paragraphs, jäv, votes, reservations, justering and anslag."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from arendegen import codes
from arendegen.diagnostics import KeyPath
from arendegen.schema.findings import Finding, duplicates
from arendegen.schema.meeting import Deliberation, Division, Frame, Item, VoteCount
from arendegen.schema.types import UNKNOWN

_TELLS_VOTE = re.compile(r"\b(?:votering\w*|omröstning\w*|ja-röst\w*|nej-röst\w*)", re.IGNORECASE)
"""Words of a beslutsgång that tell the votering the protocol writes out from `votering`."""

POSTING_DAYS = 21
"""An anslag stays up at least three weeks (kommunallagen 8 kap. 12 §)."""


def deliberation(
    item: Deliberation, path: KeyPath, annexes: set[int], present: set[str] | None
) -> Iterator[Finding]:
    """One paragraph's motions, votes and dissent; `present` is who may vote, when known."""
    disqualified = {j.ledamot for j in item.jäv}
    yield from _claims(item, path, disqualified, present)
    if item.votering is not None:
        yield from _votes(item, (*path, "votering"), disqualified, present)
        if item.beslutsgång and _TELLS_VOTE.search(item.beslutsgång):
            yield Finding(
                (*path, "beslutsgång"),
                "beslutsgången berättar om voteringen, som protokollet skriver ut själv ur "
                "`votering` ('Votering begärs och verkställs', ja- och nej-röst, resultatet); "
                "stryk det ur beslutsgången, annars står det två gånger",
                codes.VOTE_TOLD_TWICE,
            )
    yield from _reservations(item, path, annexes, disqualified, present)
    yield from _statements(item, path, annexes)


def _claims(
    item: Deliberation, path: KeyPath, disqualified: set[str], present: set[str] | None
) -> Iterator[Finding]:
    for i, claim in enumerate(item.yrkanden):
        where = (*path, "yrkanden", i)
        if claim.belopp is not None and claim.slag not in ("tillägg", "ändring", None):
            yield Finding(
                (*where, "belopp"),
                f"ett {claim.slag}syrkande har inget belopp; belopp hör till tilläggs- "
                "och ändringsyrkanden",
                codes.CLAIM_AMOUNT,
            )
        key = "ledamot" if claim.ledamot else "ledamöter"
        for person in claim.members:
            if person.namn in disqualified:
                yield Finding(
                    (*where, key),
                    f"{person.namn} har anmält jäv i paragrafen och kan inte yrka",
                    codes.CLAIM_BY_DISQUALIFIED,
                )
            if present is not None and person.namn not in present:
                yield Finding(
                    (*where, key),
                    f"{person.namn} tjänstgör inte vid paragrafen enligt närvarolistan",
                    codes.CLAIM_BY_ABSENT,
                )


def _reservations(
    item: Deliberation,
    path: KeyPath,
    annexes: set[int],
    disqualified: set[str],
    present: set[str] | None,
) -> Iterator[Finding]:
    movers = {m.namn for c in item.yrkanden for m in c.members}
    for i, reservation in enumerate(item.reservationer):
        where = (*path, "reservationer", i)
        members = reservation.members
        if not members and not reservation.partier:
            yield Finding(
                where,
                "reservationen har ingen ledamot; ange `ledamot`, `ledamöter` eller `partier`",
                codes.RESERVATION_NOBODY,
            )
        if reservation.ledamot is not None and reservation.parti is None:
            yield Finding(
                (*where, "parti"),
                f"ange partiet för {reservation.ledamot}",
                codes.RESERVATION_NO_PARTY,
            )
        for member in members:
            if member.namn in disqualified:
                yield Finding(
                    where,
                    f"{member.namn} har anmält jäv och kan inte reservera sig",
                    codes.RESERVATION_BY_DISQUALIFIED,
                )
            if present is not None and member.namn not in present:
                yield Finding(
                    where,
                    f"{member.namn} tjänstgör inte vid paragrafen och kan inte reservera sig",
                    codes.RESERVATION_BY_ABSENT,
                )
        parties = {p for c in item.yrkanden for p in c.partier}
        own = any(m.namn in movers for m in members) or bool(parties & set(reservation.partier))
        if reservation.till_förmån_för_eget_yrkande and not own:
            yield Finding(
                (*where, "till_förmån_för_eget_yrkande"),
                "reservationen är till förmån för eget yrkande, men ingen av ledamöterna "
                "har ett yrkande under `yrkanden`",
                codes.RESERVATION_OWN_CLAIM,
            )
        if reservation.bilaga is not None and reservation.bilaga not in annexes:
            yield Finding(
                (*where, "bilaga"),
                f"det finns ingen Bilaga {reservation.bilaga}",
                codes.UNKNOWN_ANNEX,
            )


def _statements(item: Deliberation, path: KeyPath, annexes: set[int]) -> Iterator[Finding]:
    for key in ("särskilda_yttranden", "protokollsanteckningar"):
        for i, statement in enumerate(getattr(item, key)):
            if not statement.ledamöter:
                yield Finding(
                    (*path, key, i, "ledamöter"),
                    "ange vem som lämnar texten",
                    codes.STATEMENT_NOBODY,
                )
            if statement.text is None and statement.bilaga is None:
                yield Finding((*path, key, i), "ange `text` eller `bilaga`", codes.STATEMENT_EMPTY)
            if statement.bilaga is not None and statement.bilaga not in annexes:
                yield Finding(
                    (*path, key, i, "bilaga"),
                    f"det finns ingen Bilaga {statement.bilaga}",
                    codes.UNKNOWN_ANNEX,
                )


def _votes(
    item: Deliberation, path: KeyPath, disqualified: set[str], present: set[str] | None
) -> Iterator[Finding]:
    division = item.votering
    assert division is not None
    stated = division.resultat
    if not division.röster and stated is None:
        yield Finding(
            (*path, "röster"),
            "voteringen har inga röster; ange rösterna, eller antalen under `resultat` när "
            "protokollet bara anger dem",
            codes.DIVISION_NO_VOTES,
        )
    if not division.röster and stated is not None:
        yield from _counts(division, stated, path, disqualified, present)
        return
    names = [v.ledamot for v in division.röster]
    yield from duplicates(names, (*path, "röster"), "ledamoten", codes.VOTER_TWICE)
    for i, vote in enumerate(division.röster):
        if vote.ledamot in disqualified:
            yield Finding(
                (*path, "röster", i),
                f"{vote.ledamot} har anmält jäv i paragrafen och får inte rösta",
                codes.VOTE_BY_DISQUALIFIED,
            )
        elif present is not None and vote.ledamot not in present:
            yield Finding(
                (*path, "röster", i),
                f"{vote.ledamot} tjänstgör inte vid paragrafen enligt närvarolistan",
                codes.VOTE_BY_ABSENT,
            )
    if present is not None:
        silent = sorted(present - set(names) - disqualified)
        if silent:
            yield Finding(
                (*path, "röster"),
                f"tjänstgörande ledamöter saknar röst: {', '.join(silent)}; ange 'avstår' "
                "för den som inte röstade",
                codes.MISSING_VOTES,
            )


def _counts(
    division: Division,
    stated: VoteCount,
    path: KeyPath,
    disqualified: set[str],
    present: set[str] | None,
) -> Iterator[Finding]:
    """A vote recorded only as counts: no more votes than members serving, and a tie that
    says how it was decided."""
    given = stated.ja + stated.nej + stated.avstår
    if present is not None and given > len(present - disqualified):
        yield Finding(
            (*path, "resultat"),
            f"{given} röster ({stated.ja} ja, {stated.nej} nej, {stated.avstår} avstår), men "
            f"{len(present - disqualified)} ledamöter tjänstgör vid paragrafen",
            codes.VOTES_NOT_PRESENT,
        )
    if stated.ja == stated.nej and division.utfall is None:
        yield Finding(
            (*path, "utfall"),
            f"lika röstetal ({stated.ja}–{stated.nej}): ange `utfall`, det förslag "
            "ordförandens utslagsröst gav",
            codes.TIE_NO_OUTCOME,
        )
    if division.utfall is not None and stated.ja != stated.nej:
        counted = "ja" if stated.ja > stated.nej else "nej"
        if counted != division.utfall:
            yield Finding(
                (*path, "utfall"),
                f"angivet utfall är {division.utfall}, men {stated.ja} ja mot {stated.nej} nej "
                f"ger {counted}",
                codes.VOTE_OUTCOME,
            )


def serving(frame: Frame, paragraph: int) -> set[str]:
    """The members and serving substitutes who take part in one paragraph."""
    return {
        seat.namn
        for seat in frame.ledamöter
        if paragraph not in seat.ej_paragrafer
        and (not seat.endast_paragrafer or paragraph in seat.endast_paragrafer)
    }


def minutes(frame: Frame, items: list[Item], path: KeyPath, annexes: set[int]) -> Iterator[Finding]:
    """The protocol's frame against its paragraphs, then each paragraph."""
    where = (*path, "sammanträde")
    numbers = [item.paragraf for item in items]
    yield from duplicates(
        [str(n) for n in numbers], (*path, "paragrafer"), "paragrafen", codes.PARAGRAPH_TWICE
    )
    if not items and frame.paragrafer is None:  # a first page names the meeting's range
        yield Finding(
            (*path, "paragrafer"),
            "protokollet har inga paragrafer; är det en första sida, ange sammanträdets "
            "paragrafer under `sammanträde.paragrafer` ('§§ 62–77')",
            codes.MINUTES_NO_ITEMS,
        )
    for i in range(1, len(numbers)):
        if numbers[i] < numbers[i - 1]:
            yield Finding(
                (*path, "paragrafer", i, "paragraf"),
                f"§ {numbers[i]} står efter § {numbers[i - 1]}; paragraferna ska komma i ordning",
                codes.ITEMS_OUT_OF_ORDER,
            )
        elif numbers[i] > numbers[i - 1] + 1 and frame.paragrafer is None:  # an excerpt skips
            yield Finding(
                (*path, "paragrafer", i, "paragraf"),
                f"§ {numbers[i - 1] + 1}–{numbers[i] - 1} saknas mellan § {numbers[i - 1]} "
                f"och § {numbers[i]}; är protokollet ett utdrag, ange sammanträdets alla "
                "paragrafer under `sammanträde.paragrafer` ('§§ 28–45')",
                codes.ITEMS_MISSING,
            )
    known = set(numbers)
    if frame.paragrafer is not None:  # an excerpt: the meeting's other paragraphs exist too
        first, last = frame.paragrafer
        known |= set(range(first, last + 1))
        for i, number in enumerate(numbers):
            if not first <= number <= last:
                yield Finding(
                    (*path, "paragrafer", i, "paragraf"),
                    f"§ {number} ligger utanför sammanträdets paragrafer (§§ {first}–{last})",
                    codes.ITEM_OUTSIDE_MEETING,
                )
    yield from _seats(frame, where, known)
    yield from _times(frame, where)
    yield from _attestation(frame, where)
    for i, item in enumerate(items):
        yield from deliberation(
            item, (*path, "paragrafer", i), annexes, serving(frame, item.paragraf)
        )
        # a paragraph without a decision is an information item; one with yrkanden, a vote
        # or reservations had a decision, which must be written (or be `okänd`)
        debated = item.yrkanden or item.votering or item.reservationer
        if item.beslut is None and debated:
            yield Finding(
                (*path, "paragrafer", i),
                f"§ {item.paragraf} har yrkanden men inget beslut; skriv beslutet, eller "
                "`beslut: okänd` om det inte är skrivet ännu",
                codes.CLAIMS_NO_DECISION,
            )


def _seats(frame: Frame, path: KeyPath, known: set[int]) -> Iterator[Finding]:
    yield from _members(frame, path, known)
    yield from _others(frame, path, known)


def _absent(frame: Frame, path: KeyPath, serving: set[str]) -> Iterator[Finding]:
    for i, absent in enumerate(frame.frånvarande):
        if absent.namn in serving:
            yield Finding(
                (*path, "frånvarande", i),
                f"{absent.namn} står både bland de tjänstgörande och de frånvarande",
                codes.PRESENT_AND_ABSENT,
            )


def _members(frame: Frame, path: KeyPath, known: set[int]) -> Iterator[Finding]:
    names = [s.namn for s in frame.ledamöter]
    yield from duplicates(names, (*path, "ledamöter"), "ledamoten", codes.MEMBER_TWICE)
    chairs = [i for i, s in enumerate(frame.ledamöter) if s.roll.lower() == "ordförande"]
    if not chairs:
        yield Finding((*path, "ledamöter"), "ingen ledamot har rollen ordförande", codes.NO_CHAIR)
    for i in chairs[1:]:
        yield Finding(
            (*path, "ledamöter", i, "roll"), "två ledamöter har rollen ordförande", codes.TWO_CHAIRS
        )
    for i, seat in enumerate(frame.ledamöter):
        at = (*path, "ledamöter", i)
        if seat.istf is not None and seat.istf in names and seat.istf != UNKNOWN:
            yield Finding(
                (*at, "istf"),
                f"{seat.namn} ersätter {seat.istf}, som själv står bland de tjänstgörande",
                codes.SUBSTITUTE_FOR_PRESENT,
            )
        if "ersättare" in seat.roll.lower() and seat.istf is None:
            yield Finding(
                (*at, "istf"),
                f"ange vem {seat.namn} tjänstgör i stället för",
                codes.SUBSTITUTE_FOR_WHOM,
            )
        for key in ("ej_paragrafer", "endast_paragrafer"):
            for j, number in enumerate(getattr(seat, key)):
                if number not in known:
                    yield Finding(
                        (*at, key, j), f"protokollet har ingen § {number}", codes.NO_SUCH_PARAGRAPH
                    )
    yield from _absent(frame, path, set(names))
    for i, person in enumerate(frame.justering.justerare):
        # 'Jonas Erlandsson (S)' is the member Jonas Erlandsson of party S
        if person.namn not in names and _without_party(person.namn) not in names:
            yield Finding(
                (*path, "justering", "justerare", i),
                f"justeraren {person.namn} står inte bland de tjänstgörande ledamöterna",
                codes.ADJUSTER_ABSENT,
            )


def _without_party(name: str) -> str:
    return re.sub(r"\s*\([^()]*\)\s*$", "", name)


def _others(frame: Frame, path: KeyPath, known: set[int]) -> Iterator[Finding]:
    for i, other in enumerate(frame.övriga):
        for j, number in enumerate(other.paragrafer):
            if number not in known:
                yield Finding(
                    (*path, "övriga", i, "paragrafer", j),
                    f"protokollet har ingen § {number}",
                    codes.NO_SUCH_PARAGRAPH,
                )
    for i, adjournment in enumerate(frame.ajourneringar):
        if adjournment.paragraf is not None and adjournment.paragraf not in known:
            yield Finding(
                (*path, "ajourneringar", i, "paragraf"),
                f"protokollet har ingen § {adjournment.paragraf}",
                codes.NO_SUCH_PARAGRAPH,
            )
        if adjournment.till <= adjournment.från:
            yield Finding(
                (*path, "ajourneringar", i, "till"),
                f"ajourneringen slutar {adjournment.till}, före eller när den börjar {adjournment.från}",
                codes.ADJOURNMENT_ENDS_EARLY,
            )


def _times(frame: Frame, path: KeyPath) -> Iterator[Finding]:
    start = frame.från
    if frame.till is not None and start is not None and frame.till <= start:
        yield Finding(
            (*path, "till"),
            f"sammanträdet slutar {frame.till}, före eller när det börjar {start}",
            codes.MEETING_ENDS_EARLY,
        )
    for i, adjournment in enumerate(frame.ajourneringar):
        early = start is not None and adjournment.från < start
        if early or (frame.till and adjournment.till > frame.till):
            yield Finding(
                (*path, "ajourneringar", i),
                f"ajourneringen {adjournment.från}–{adjournment.till} ligger utanför sammanträdet",
                codes.ADJOURNMENT_OUTSIDE,
            )


def _attestation(frame: Frame, path: KeyPath) -> Iterator[Finding]:
    given = frame.justering.datum
    attested = given if isinstance(given, dt.date) else None  # '6 mars' cannot be compared
    if not frame.justering.justerare:
        yield Finding(
            (*path, "justering", "justerare"), "protokollet har ingen justerare", codes.NO_ADJUSTER
        )
    if attested is not None and attested < frame.datum:
        yield Finding(
            (*path, "justering", "datum"),
            f"protokollet justeras {attested.isoformat()}, före sammanträdet {frame.datum.isoformat()}",
            codes.ATTESTED_BEFORE_MEETING,
        )
    posting = frame.anslag
    if posting is None:
        return
    first_day = attested or frame.datum
    if posting.uppsatt is None or posting.nedtas is None:
        return  # not known yet: a gap (schema/gaps.py)
    if posting.uppsatt < first_day:
        yield Finding(
            (*path, "anslag", "uppsatt"),
            f"anslaget sätts upp {posting.uppsatt.isoformat()}, före justeringen "
            f"{first_day.isoformat()}",
            codes.POSTED_BEFORE_ATTESTATION,
        )
    if posting.nedtas - posting.uppsatt < dt.timedelta(days=POSTING_DAYS):
        yield Finding(
            (*path, "anslag", "nedtas"),
            f"anslaget sitter {(posting.nedtas - posting.uppsatt).days} dagar; det ska sitta "
            f"minst tre veckor, till {(posting.uppsatt + dt.timedelta(days=POSTING_DAYS)).isoformat()}",
            codes.POSTING_TOO_SHORT,
        )
