"""The decision sentence: who speaks, who proposes, who decides.

A document speaks as one body at one step of the routing (`beslutsordning`): a förvaltning's
memo as the body it is addressed to, a beredning's or an utskott's memo as itself, an extract
or a protocol paragraph as the meeting's body. Each clause is decided at one step: its own
`organ`, else the proposal's, else the routing's last step. The words in front of a group of
clauses follow from the two, and from the house's rules (`husregler`):

    speaker decides the clause       Kommunstyrelsen beslutar att …
    a later step decides it          Kommunstyrelsen föreslår kommunfullmäktige besluta att …
      (förslagsform: föreslår_att)   Kommunstyrelsen föreslår att kommunfullmäktige beslutar att …
    two steps later                  Arbetsutskottet föreslår kommunstyrelsen föreslå
                                     kommunfullmäktige besluta att …
    own clauses beside a proposal    Kommunstyrelsen beslutar för egen del att … (egen_del)
    voice föreslås (memo)            Kommunstyrelsen föreslås besluta att …
    voice slutligt (memo)            Kommunfullmäktige beslutar att … (each clause by its decider)

The README's section "The decision sentence" draws the routing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from arendegen.blocks import Block, Blocks, blocks, paragraph
from arendegen.formatting import genitive, in_text
from arendegen.layout.model import HouseRules
from arendegen.packs import Pack
from arendegen.schema import Case
from arendegen.schema.common import Proposal
from arendegen.schema.gaps import MARKS
from arendegen.schema.rules_matters import INFINITIVES


def writer(case: Case) -> str | None:
    """The body whose document a memorandum is, when it is a step of the routing (a
    beredning or an utskott writing to the styrelse): it proposes, from its own step. A
    förvaltning's memo is worded from the body it is addressed to."""
    steps = [s.organ for s in case.beslutsordning]
    body = case.beredande_organ
    return body if body in steps and body and not is_office(case, body) else None


def is_office(case: Case, name: str) -> bool:
    """A förvaltning or a kontor on the routing (Koncernkontoret, Socialförvaltningen): it
    prepares and proposes in its tjänsteskrivelse, worded from the body it writes to; it is
    not a body that decides or proposes along the chain."""
    return name == case.förvaltning or bool(_OFFICE.search(name.lower()))


_OFFICE = re.compile(r"(förvaltning|kontor|kansli)(en|et)?\b")


def memo_speaker(case: Case) -> str:
    """The body the case's proposal (`förslag_till_beslut`) speaks as in its memo, whose
    words its `verb` is: the body a verb is given with, the writer on the routing, the
    addressee on the routing, or the body that decides."""
    proposal = case.förslag_till_beslut
    if proposal is None:
        return ""
    steps = [s.organ for s in case.beslutsordning]
    addressee = case.mottagare if case.mottagare in steps else None
    return subject(proposal) or writer(case) or addressee or decided_by(proposal, case)


def subject(proposal: Proposal) -> str | None:
    """The body a proposal names as its sentence's subject: `organ` given with a `verb`
    ('Kommunstyrelsen' + 'beslutar föreslå kommunfullmäktige att'), unless the verb names it
    as the body it proposes to ('Kommunfullmäktige' + 'föreslår … kommunfullmäktige besluta
    följande:'), which makes it the decider. Without a verb `organ` is the decider."""
    organ, verb = proposal.organ, proposal.verb
    if not organ or not verb:
        return None
    named = re.search(rf"\b{re.escape(in_text(organ).lower())}\b", verb.lower())
    return None if named else organ


def sentences(
    proposal: Proposal | None,
    pack: Pack,
    case: Case,
    speaker: str | None = None,
    decider: str | None = None,
    voice: str = "beslutar",
    author: str | None = None,
    missing: str = MARKS["beslut"],
) -> Blocks:
    """The att-clauses under their leads, grouped wherever consecutive clauses share one.

    The speaker is the given body (an extract's), else the proposal's body, else the
    addressee when it is on the routing, else the routing's last body. A clause is decided
    by its own body, else the proposal's, else `decider` (the meeting a decision was taken
    at), else the routing's last body. The proposal's `verb` is the words of `author` (by
    default the body it speaks as): spoken by another body, only its ending ('besluta
    följande:') is kept. A proposal not written yet (`okänd`) is the draft's mark,
    `missing`."""
    if proposal is None:
        return Blocks()
    if proposal.okänd:
        return blocks(paragraph(missing))
    rules = pack.config.husregler
    steps = [s.organ for s in case.beslutsordning]
    final = decided_by(proposal, case, decider)
    if proposal.utan_ingress:  # whole sentences, as a protocol writes 'Dagordningen godkänns.'
        return Blocks(
            tuple(paragraph(_sentence(_with_annex(c.text, c.bilaga))) for c in proposal.att)
        )
    addressee = case.mottagare if case.mottagare in steps else None
    # `organ` given with a `verb` may be the sentence's subject, as the case writes it
    named = subject(proposal)
    if author is None:  # the document's own words
        body = named or speaker or addressee or final
    else:
        body = speaker or named or addressee or final
    author = author or body
    if proposal.enligt:  # a decision that refers to a proposal: 'beslutar enligt …s förslag'
        verb = proposal.verb if body == author else None
        lead = f"{body} {verb or 'beslutar'} enligt {genitive(in_text(proposal.enligt))} förslag"
        if not proposal.att:
            return blocks(paragraph(lead + "."))
        referring = {f"{lead} att": [_with_annex(c.text, c.bilaga) for c in proposal.att]}
        return _points(referring, rules, pack.config.att_som_lista)
    ending = _ending(proposal.verb) if proposal.verb and body != author else None
    deciders = {clause.organ or final for clause in proposal.att}
    own_part = len(deciders) > 1 and body in deciders
    groups: dict[str, list[str]] = {}
    for clause in proposal.att:
        decides = clause.organ or final
        # the memo's final voice writes each clause as its decider will: 'Kommunfullmäktige
        # beslutar att …' in a memo to the styrelse
        who = decides if voice == "slutligt" else body
        verb = clause.verb or (proposal.verb if who == author else None)
        carried = ending
        if clause.verb and decides != who and "föresl" not in clause.verb.lower():
            # the decider's own verb ('fastställer'): the speaker proposes it ('… besluta
            # att fastställa …'), and never says it decides
            verb, carried = None, _ending(clause.verb)
        lead = _lead(who, decides, verb, steps, rules, carried)
        if own_part and decides == who and not verb and voice != "slutligt":
            lead = _own_part(who, rules, first=not groups)
        if voice == "föreslås" and not verb:  # the memo's house voice: 'X föreslås besluta att'
            lead = _passive(who, lead)
        groups.setdefault(lead, []).append(_with_annex(clause.text, clause.bilaga))
    return _points(groups, rules, pack.config.att_som_lista)


def decided_by(proposal: Proposal, case: Case, default: str | None = None) -> str:
    """The body that decides the proposal's clauses that name none: the later step its verb
    addresses ('Kommunstyrelsen' + 'föreslår kommunfullmäktige besluta att' → Kommunfullmäktige),
    else its `organ`, else `default` (the meeting's body), else the routing's last step."""
    steps = [s.organ for s in case.beslutsordning]
    organ = proposal.organ
    if organ in steps and proposal.verb:
        verb = proposal.verb.lower()
        later = case.beslutsordning[steps.index(organ) + 1 :]
        named = [
            s.organ
            for s in later
            if any(
                re.search(rf"\b{re.escape(name.lower())}\b", verb)
                for name in (in_text(s.organ), s.förkortning)
                if name
            )
        ]
        if named:
            return named[-1]
    return organ or default or (steps[-1] if steps else "")


def reaching(proposal: Proposal | None, case: Case, body: str) -> Proposal | None:
    """The proposal's clauses that come before `body`: those decided at its step or later.
    A clause decided at an earlier step ('för egen del') stopped there."""
    steps = [s.organ for s in case.beslutsordning]
    if proposal is None or body not in steps:
        return proposal
    final = decided_by(proposal, case)
    here = steps.index(body)
    kept = [
        c
        for c in proposal.att
        if (c.organ or final) not in steps or steps.index(c.organ or final) >= here
    ]
    return proposal.model_copy(update={"att": kept}) if len(kept) < len(proposal.att) else proposal


def chain(body: str, decider: str, steps: Sequence[str]) -> list[str]:
    """The bodies `body` addresses on the way to `decider`, in order, `decider` last: every
    step between. A nämnd's proposal to fullmäktige goes through the styrelse too (Tyresö:
    'Kultur- och fritidsnämndens förslag till kommunstyrelsen för förslag till
    kommunfullmäktige'); a house whose nämnder address fullmäktige directly leaves the
    styrelse out of `beslutsordning`."""
    if body not in steps or decider not in steps or decider == body:
        return []
    return list(steps[steps.index(body) + 1 : steps.index(decider) + 1])


def unspoken_verb(case: Case, body: str) -> str | None:
    """The lead `body` writes instead when the case's proposal speaks as it without its
    `verb` (another body's words with no ending, such as 'besluta följande:', to carry on);
    None when the verb is used."""
    proposal = case.förslag_till_beslut
    if proposal is None or not proposal.verb or body == memo_speaker(case):
        return None
    if _ending(proposal.verb) is not None:
        return None
    steps = [s.organ for s in case.beslutsordning]
    return _lead(body, decided_by(proposal, case, body), None, steps, HouseRules())


_DECIDING = re.compile(r"\bbesluta(?:r)?\b\s*(.*)$")


def _ending(verb: str) -> str | None:
    """What another body's sentence keeps of a verb phrase: what follows 'besluta(r)'
    ('att', 'följande:', ':'), or for a decision verb of its own its infinitive after 'att'
    ('fastställer' → 'att fastställa': '… föreslår kommunfullmäktige besluta att fastställa
    …'); None for a verb it cannot say ('föreslås')."""
    found = _DECIDING.search(verb.strip())
    if found:
        return found.group(1).strip() or None
    infinitive = _infinitive(verb.strip().lower())
    return f"att {infinitive}" if infinitive else None


def _infinitive(present: str) -> str | None:
    """'fastställer' → 'fastställa', 'beviljar' → 'bevilja', 'avslår' → 'avslå': the
    infinitive of a known decision verb in the present tense, else None."""
    candidates = (present[:-1], present[:-2] + "a") if present.endswith("r") else ()
    return next((c for c in candidates if c in INFINITIVES), None)


def _lead(
    body: str,
    decider: str,
    verb: str | None,
    steps: Sequence[str],
    rules: HouseRules,
    ending: str | None = None,
) -> str:
    """'X beslutar att', or along the routing 'X föreslår Y föreslå Z besluta att' (or, as
    the house writes it, 'X föreslår att Y föreslår att Z beslutar att')."""
    if verb:
        return f"{body} {verb}"
    tail = ending or "att"
    join = "" if tail.startswith(":") else " "
    addressed = [in_text(organ) for organ in chain(body, decider, steps)]
    if not addressed and decider and decider != body:
        # a body never decides for another: without a routing that names the steps between,
        # it proposes to the decider directly ('Kommunstyrelsen föreslår kommunfullmäktige
        # besluta att'), never 'Kommunstyrelsen beslutar att' a decision that is fullmäktige's
        addressed = [in_text(decider)]
    if not addressed:
        return f"{body} beslutar{join}{tail}"
    if rules.förslagsform == "föreslår_att":
        middle = "".join(f"att {organ} föreslår " for organ in addressed[:-1])
        return f"{body} föreslår {middle}att {addressed[-1]} beslutar{join}{tail}"
    middle = "".join(f"{organ} föreslå " for organ in addressed[:-1])
    return f"{body} föreslår {middle}{addressed[-1]} besluta{join}{tail}"


def _own_part(body: str, rules: HouseRules, first: bool) -> str:
    """The lead of what a body decides itself beside what it proposes: 'beslutar för egen
    del att', 'beslutar också att' (after its proposal), or 'beslutar att'."""
    if rules.egen_del == "för_egen_del":
        return f"{body} beslutar för egen del att"
    if rules.egen_del == "också" and not first:
        return f"{body} beslutar också att"
    return f"{body} beslutar att"


def _passive(body: str, lead: str) -> str:
    """'X beslutar att' → 'X föreslås besluta att': a förvaltning's memo proposing what the
    body should decide itself (Malmö's tjänsteskrivelser). What goes on to a later body keeps
    'X föreslår Y besluta att': 'föreslås föreslå' was found in no real document."""
    rest = lead.removeprefix(body + " ")
    for marker in ("för egen del ", "också "):
        if rest.startswith(f"beslutar {marker}"):
            return f"{body} föreslås {marker}besluta {rest.removeprefix(f'beslutar {marker}')}"
    if rest.startswith("beslutar"):
        return f"{body} föreslås besluta{rest.removeprefix('beslutar')}"
    return lead


def _points(groups: dict[str, list[str]], rules: HouseRules, as_list: bool) -> Blocks:
    """Each lead with its clauses, as the house writes decision points."""
    style = rules.beslutspunkter
    if as_list and style == "punktlista":
        style = "alltid_punktlista"
    items: list[Block] = []
    for lead, clauses in groups.items():
        if style == "numrerade_meningar":
            items += [paragraph(f"{lead} {c}", "List Number") for c in clauses]
        elif style == "att_per_rad" and lead.endswith(" att"):
            items.append(paragraph(lead[: -len(" att")]))
            items += [paragraph(f"att {c}") for c in clauses]
        elif len(clauses) == 1 and style == "punktlista" and lead.endswith(":"):
            items += [paragraph(lead), paragraph(clauses[0])]  # 'beslutar:' and its sentence
        elif len(clauses) == 1 and style == "punktlista":
            items.append(paragraph(f"{lead} {clauses[0]}"))
        else:
            list_style = "List Number" if style == "numrerad" else "List Bullet"
            items += [paragraph(lead), *(paragraph(c, list_style) for c in clauses)]
    return Blocks(tuple(items))


def _with_annex(text: str, annex: int | None) -> str:
    """'anta planen (bilaga 1).': the pointer goes before the clause's closing mark."""
    if annex is None:
        return text
    body, end = (text[:-1], text[-1]) if text[-1:] in ".;," else (text, "")
    return f"{body} (bilaga {annex}){end}"


def _sentence(text: str) -> str:
    """A clause as a sentence of its own: a capital first letter and a closing mark."""
    text = text[:1].upper() + text[1:]
    return text if text[-1:] in ".!?:" else text + "."
