"""Votes counted from the members' own votes: ja, nej, avstår, and who won. Pure.

The protocol's stated result is compared with the count; at a tie the chair's vote decides
(kommunallagen 5 kap. 57 § and 6 kap. 33 §: 'Vid lika röstetal har ordföranden utslagsröst').
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from arendegen import codes
from arendegen.diagnostics import KeyPath, Rule
from arendegen.schema.meeting import Division

Outcome = Literal["ja", "nej"]


@dataclass(frozen=True)
class Tally:
    """The count of one votering and its outcome."""

    ja: int
    nej: int
    avstår: int
    outcome: Outcome | None
    casting_vote: bool
    """True when the chair's vote decided a tie."""


@dataclass(frozen=True)
class Disagreement:
    """A stated figure that is not what the votes add up to, already worded."""

    path: KeyPath
    message: str
    rule: Rule
    """Its severity says whether the figure is wrong or may be right but needs a look."""


def tally(division: Division, chair: str | None = None) -> Tally:
    """Count the votes; at a tie the chair's own ja or nej decides. A vote recorded only as
    counts (`resultat`) is those counts; at a tie its stated `utfall` decides."""
    stated = division.resultat
    if not division.röster and stated is not None:
        ja, nej = stated.ja, stated.nej
        won: Outcome | None = "ja" if ja > nej else "nej" if nej > ja else division.utfall
        return Tally(ja, nej, stated.avstår, won, ja == nej and won is not None)
    counts = {"ja": 0, "nej": 0, "avstår": 0}
    for vote in division.röster:
        counts[vote.röst] += 1
    ja, nej = counts["ja"], counts["nej"]
    outcome: Outcome | None = "ja" if ja > nej else "nej" if nej > ja else None
    casting = False
    chair = division.ordförande or chair
    if outcome is None and chair is not None:
        own = next((v.röst for v in division.röster if v.ledamot == chair), None)
        if own in ("ja", "nej"):
            outcome, casting = own, True
    return Tally(ja, nej, counts["avstår"], outcome, casting)


def disagreements(division: Division, result: Tally, path: KeyPath) -> Iterable[Disagreement]:
    """Where the stated result differs from the count."""
    stated = division.resultat
    if stated is not None and division.röster:
        for name in ("ja", "nej", "avstår"):
            declared, counted = getattr(stated, name), getattr(result, name)
            if declared != counted:
                yield Disagreement(
                    (*path, "resultat", name),
                    f"angivet antal {name} är {declared}, men rösterna ger {counted}",
                    codes.VOTE_COUNT,
                )
    if division.utfall is not None and result.outcome not in (None, division.utfall):
        how = " (ordförandens utslagsröst)" if result.casting_vote else ""
        yield Disagreement(
            (*path, "utfall"),
            f"angivet utfall är {division.utfall}, men rösterna ({result.ja} ja, "
            f"{result.nej} nej) ger {result.outcome}{how}",
            codes.VOTE_OUTCOME,
        )
