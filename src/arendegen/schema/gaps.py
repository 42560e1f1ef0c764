"""Facts not known yet: what a draft may leave open, and what it prints in their place.

Officials draft with facts missing: the decision is not written, the anslag has no dates.
A case says so with `okänd` where leaving a key out would mean something else (an extract
without `beslut` takes the proposal as its decision), or by leaving out a key that may be
left out. Nothing is invented in its place: `validate` warns at each gap; `build` makes the
case only as a draft (`--utkast`, or `utkast: true` in the case), with a highlighted mark
('[beslut saknas]') where the fact would stand and UTKAST on every page.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from arendegen.diagnostics import KeyPath
from arendegen.schema.case import Case
from arendegen.schema.common import Proposal
from arendegen.schema.documents import Extract, Minutes
from arendegen.schema.findings import WARNING, Finding

DRAFT_MARK = "UTKAST – inte en färdig handling"
"""What every page of a draft says, above the house's own header."""


@dataclass(frozen=True)
class Gap:
    """One fact a finished document needs and the case does not know yet."""

    path: KeyPath
    what: str
    """The fact, as a message names it: 'beslutet'."""
    mark: str
    """What a draft prints where the fact would stand: '[beslut saknas]'."""


MARKS = {
    "beslut": "[beslut saknas]",
    "förslag": "[förslag till beslut saknas]",
}
"""The marks a draft prints, by what is missing."""


def gaps(case: Case) -> list[Gap]:
    """Every gap of the case, in file order."""
    return list(_gaps(case))


def documents_with_gaps(case: Case) -> set[int]:
    """The documents a gap shows in: its own, or every one for a gap of the whole case."""
    found: set[int] = set()
    for gap in gaps(case):
        if gap.path[0] == "handlingar" and isinstance(gap.path[1], int):
            found.add(gap.path[1])
        else:
            return set(range(len(case.handlingar)))
    return found


def _gaps(case: Case) -> Iterator[Gap]:
    yield from _proposal(case.förslag_till_beslut, ("förslag_till_beslut",), "förslag")
    for i, doc in enumerate(case.handlingar):
        path: KeyPath = ("handlingar", i)
        if isinstance(doc, Extract):
            yield from _proposal(doc.beslut, (*path, "beslut"), "beslut")
        if isinstance(doc, Minutes):
            for j, item in enumerate(doc.paragrafer):
                at = (*path, "paragrafer", j)
                yield from _proposal(item.förslag, (*at, "förslag"), "förslag")
                yield from _proposal(item.beslut, (*at, "beslut"), "beslut")


def _proposal(proposal: Proposal | None, path: KeyPath, kind: str) -> Iterator[Gap]:
    if proposal is not None and proposal.okänd:
        what = "beslutet" if kind == "beslut" else "förslaget till beslut"
        yield Gap(path, what, MARKS[kind])


def findings(case: Case) -> Iterator[Finding]:
    """A warning at each gap: what is missing, and how the case can still be built."""
    for gap in gaps(case):
        yield Finding(
            gap.path,
            f"{gap.what} är inte känt ännu; en färdig handling behöver det, så "
            f"ärendet byggs bara som utkast (--utkast eller `utkast: true`), med "
            f"'{gap.mark}' där det ska stå",
            WARNING,
        )
