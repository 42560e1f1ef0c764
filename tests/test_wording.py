"""The decision sentence (issue 16): who speaks, who proposes, who decides.

Each expected sentence was written by hand from Swedish practice: an arbetsutskott decides
what it may decide itself ('Kommunstyrelsens arbetsutskott beslutar att …') and proposes
what the styrelse decides ('… föreslår kommunstyrelsen besluta att …'); a protocol
paragraph's decision is the meeting body's.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from arendegen.cli import cli
from arendegen.context import document_context
from arendegen.results import CaseResult
from arendegen.validate import check_file
from conftest import CASES, WriteCase, own_pack

UTSKOTT = """\
mall: kommun
titel: Taxa för bygglov
diarienummer: KS 2025/3
datum: 2025-02-01
beslutsordning:
  - Kommunstyrelsens arbetsutskott
  - Kommunstyrelsen
förslag_till_beslut:
  att: [anta taxan för bygglov.]
handlingar:
  - typ: protokollsutdrag
    id: ksau
    organ: Kommunstyrelsens arbetsutskott
    sammanträdesdatum: 2025-02-10
    paragraf: 12
    justering: {justerad: true}
    beslut:
{beslut}
"""


def decision(write_case: WriteCase, text: str) -> list[str]:
    result = check_file(write_case(text))
    assert result.case is not None and result.errors == [], result.diagnostics
    assert result.pack is not None and result.computed is not None
    context = document_context(result.case, result.computed, result.pack, 0)
    return context["protokoll"]["beslut"].plain_text().split("\n")


def test_an_utskott_decides_its_own_decision_and_proposes_the_styrelses(
    write_case: WriteCase,
) -> None:
    """Before: both printed 'Kommunstyrelsen beslutar att …', a decision the utskott never
    took and the styrelse had not yet taken."""
    own = decision(write_case, UTSKOTT.replace("{beslut}", "      att: [återremittera ärendet.]"))
    assert own == ["Kommunstyrelsens arbetsutskott beslutar att återremittera ärendet."]
    onward = decision(
        write_case,
        UTSKOTT.replace(
            "{beslut}", "      organ: Kommunstyrelsen\n      att: [anta taxan för bygglov.]"
        ),
    )
    assert onward == [
        "Kommunstyrelsens arbetsutskott föreslår kommunstyrelsen besluta att anta taxan för "
        "bygglov."
    ]
    clause = decision(
        write_case,
        UTSKOTT.replace(
            "{beslut}",
            "      att:\n        - {text: anta taxan för bygglov., organ: Kommunstyrelsen}",
        ),
    )
    assert clause == onward


def _paragraph_decision(write_case: WriteCase, organ: str, beslut: str) -> str:
    """The decision sentence of a one-paragraph protocol of `organ`, whose `beslut` is the
    YAML given (its keys, one a line)."""
    lines = "\n".join(" " * 18 + line for line in beslut.splitlines())
    path = write_case(
        f"""\
        mall: kommun
        titel: Sammanträde
        datum: 2025-03-25
        handlingar:
          - typ: sammanträdesprotokoll
            organ: {organ}
            sammanträde:
              plats: Kommunhuset
              datum: 2025-03-25
              från: "13.00"
              sekreterare: Eva Sund
              ledamöter:
                - {{namn: Anna Svensson, parti: S, roll: ordförande}}
              justering: {{justerare: [Anna Svensson]}}
            paragrafer:
              - paragraf: 1
                titel: Ärendet
                beslut:
{lines}
        """
    )
    result = check_file(path)
    assert result.case is not None and result.errors == [], result.diagnostics
    assert result.pack is not None and result.computed is not None
    context = document_context(result.case, result.computed, result.pack, 0)
    (item,) = context["sammanträde"]["ärenden"]
    return str(item["beslut"].plain_text())


def test_a_protocol_paragraphs_decision_without_a_body_is_the_meetings(
    write_case: WriteCase,
) -> None:
    """Before: ' beslutar att …', with no subject and a leading space."""
    decision = _paragraph_decision(
        write_case, "Socialnämnden", "att: [utse Anna Svensson att justera protokollet.]"
    )
    assert decision == "Socialnämnden beslutar att utse Anna Svensson att justera protokollet."


def test_a_paragraph_decided_by_another_body_is_proposed_to_it_without_a_routing(
    write_case: WriteCase,
) -> None:
    """A new-user trial: a kommunstyrelse's paragraph whose decision is fullmäktige's
    (`beslut.organ`), in a case with no `beslutsordning`, printed 'Kommunstyrelsen beslutar
    att avslå motionen', a decision the styrelse cannot take. It proposes it."""
    decision = _paragraph_decision(
        write_case, "Kommunstyrelsen", "organ: Kommunfullmäktige\natt: [avslå motionen.]"
    )
    assert decision == "Kommunstyrelsen föreslår kommunfullmäktige besluta att avslå motionen."


def test_a_clause_that_begins_with_att_or_a_verb_without_att_is_an_error_with_the_fix(
    write_case: WriteCase,
) -> None:
    path = write_case(
        UTSKOTT.replace(
            "{beslut}",
            "      verb: beslutar\n      att:\n        - att återremittera ärendet.\n"
            "        - godkänna tidplanen.",
        )
    )
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1
    assert (
        ":18:13: fel[AG318]: handlingar[0].beslut.verb: verbet 'beslutar' slutar utan 'att': skriv "
        "'beslutar att'"
    ) in result.output
    assert (
        ":20:11: fel[AG319]: handlingar[0].beslut.att[0]: satsen börjar med 'att'; skriv den utan: "
        "'återremittera ärendet.'"
    ) in result.output


ROUTED = """\
mall: kommun
titel: Motion om cykelväg
diarienummer: KS 2025/9
datum: 2025-02-01
förvaltning: Samhällsbyggnadsförvaltningen
mottagare: Kommunstyrelsen
beslutsordning:
  - Samhällsbyggnadsförvaltningen
  - {organ: Kommunstyrelsens arbetsutskott, förkortning: KSAU}
  - Kommunstyrelsen
  - Kommunfullmäktige
referenser:
  ksau-12:
    organ: Kommunstyrelsens arbetsutskott
    förkortning: KSAU
    datum: 2025-02-10
    paragraf: 12
beslutsunderlag:
  - {titel: Tjänsteskrivelse, datum: 2025-02-01}
  - {titel: Kommunstyrelsens arbetsutskotts beslut, referens: ksau-12}
förslag_till_beslut:
  att: [avslå motionen.]
handlingar:
  - typ: tjänsteskrivelse
  - typ: protokollsutdrag
    id: ksau
    organ: Kommunstyrelsens arbetsutskott
    sammanträdesdatum: 2025-02-10
    paragraf: 12
    justering: {justerad: true}
  - typ: protokollsutdrag
    id: ks
    organ: Kommunstyrelsen
    sammanträdesdatum: 2025-03-03
    paragraf: 30
    justering: {justerad: true}
"""


def test_the_proposal_laid_before_a_body_is_its_proposers_never_its_own_or_the_final_words(
    write_case: WriteCase,
) -> None:
    """Before: the styrelse's extract printed 'Kommunstyrelsens arbetsutskotts förslag till
    beslut' in the styrelse's own words, and the utskott's printed the fullmäktige's
    ('Kommunfullmäktige beslutar att avslå motionen')."""
    result = check_file(write_case(ROUTED))
    assert result.case is not None and result.errors == [], result.diagnostics
    assert result.pack is not None and result.computed is not None

    def extract(index: int) -> dict[str, object]:
        context = document_context(result.case, result.computed, result.pack, index)
        return context["protokoll"]

    memo = document_context(result.case, result.computed, result.pack, 0)["förslag"]
    assert (
        memo.plain_text()
        == "Kommunstyrelsen föreslår kommunfullmäktige besluta att avslå motionen."
    )
    ksau, ks = extract(1), extract(2)
    assert ksau["förslag_rubrik"] == "Samhällsbyggnadsförvaltningens förslag till beslut"
    assert ksau["förslag"].plain_text() == memo.plain_text()  # as the förvaltning wrote it
    assert ksau["beslut"].plain_text() == (
        "Kommunstyrelsens arbetsutskott föreslår kommunstyrelsen föreslå kommunfullmäktige "
        "besluta att avslå motionen."
    )
    assert ks["förslag_rubrik"] == "Kommunstyrelsens arbetsutskotts förslag till beslut"
    assert ks["förslag"].plain_text() == ksau["beslut"].plain_text()  # the utskott's words
    assert ks["beslut"].plain_text() == (
        "Kommunstyrelsen föreslår kommunfullmäktige besluta att avslå motionen."
    )


def test_an_extract_lists_no_underlag_it_could_not_have_had(write_case: WriteCase) -> None:
    """The utskott's extract does not list its own decision among its beslutsunderlag, and
    says so; the styrelse's lists it."""
    result = check_file(write_case(ROUTED))
    assert result.case is not None and result.pack is not None and result.computed is not None
    warned = [d.message for d in result.warnings if "listar inte" in d.message]
    assert warned == [
        "utdraget ur Kommunstyrelsens arbetsutskotts protokoll listar inte 'Kommunstyrelsens "
        "arbetsutskotts beslut': det fanns inte vid sammanträdet (senare, eller utdragets eget "
        "beslut); ange utdragets egna `beslutsunderlag` om det ska stå annat"
    ]
    ksau = document_context(result.case, result.computed, result.pack, 1)["protokoll"]
    ks = document_context(result.case, result.computed, result.pack, 2)["protokoll"]
    assert "arbetsutskotts beslut" not in ksau["beslutsunderlag"].plain_text()
    assert "Kommunstyrelsens arbetsutskotts beslut, KSAU 2025-02-10, §\u00a012" in (
        ks["beslutsunderlag"].plain_text()
    )


SKRIVELSE = """\
mall: landsting-skrivelse
organisation: Stockholms läns landsting
beredande_organ: Landstingsrådsberedningen
mottagare: Landstingsstyrelsen
titel: Specificering av målen i Miljöutmaning 2016
diarienummer: LS 1202-0260
datum: 2013-03-05
föredragande: Gustav Andersson, Landstingsråd
beslutsordning:
  - Landstingsrådsberedningen
  - Landstingsstyrelsen
förslag_till_beslut:
{organ}  att:
    - godkänna förslag till specificering av målen i Miljöutmaning 2016.
handlingar:
  - typ: skrivelse
"""


def test_a_skrivelse_from_a_beredning_proposes_and_never_says_the_beredning_decides(
    write_case: WriteCase,
) -> None:
    """Stockholms läns landsting's landstingsrådsberedning writes 'Landstingsrådsberedningen
    föreslår landstingsstyrelsen besluta att godkänna …' (its SKRIVELSE, 2013). Before:
    'Landstingsstyrelsen beslutar att' without `organ`, and with `organ:
    Landstingsrådsberedningen` the false 'Landstingsrådsberedningen beslutar att'."""
    result = check_file(write_case(SKRIVELSE.replace("{organ}", "")))
    assert result.case is not None and result.errors == [], result.diagnostics
    assert result.pack is not None and result.computed is not None
    context = document_context(result.case, result.computed, result.pack, 0)
    assert context["förslag"].plain_text() == (
        "Landstingsrådsberedningen föreslår landstingsstyrelsen besluta att godkänna förslag "
        "till specificering av målen i Miljöutmaning 2016."
    )
    wrong = write_case(SKRIVELSE.replace("{organ}", "  organ: Landstingsrådsberedningen\n"))
    output = CliRunner().invoke(cli, ["validate", str(wrong)]).output
    assert (
        ":13:10: fel[AG323]: förslag_till_beslut.organ: Landstingsrådsberedningen beslutar inte själv "
        "här: det kommer före Landstingsstyrelsen i beslutsordningen"
    ) in output, output


def test_a_decision_that_refers_to_a_proposal_and_a_joint_yrkande(
    write_case: WriteCase,
) -> None:
    """'Kommunfullmäktige beslutar enligt kommunstyrelsens förslag.' and 'Erik Lövgren (S)
    och Anna Ek (C) yrkar bifall till kommunstyrelsens förslag.': both could not be written
    before (att-clauses were required; a yrkande had one member)."""
    path = write_case(
        """\
        mall: kommun
        titel: Kommunfullmäktiges sammanträde
        datum: 2025-04-22
        handlingar:
          - typ: sammanträdesprotokoll
            organ: Kommunfullmäktige
            sammanträde:
              plats: Kommunhuset
              datum: 2025-04-22
              från: "18.00"
              sekreterare: Eva Sund
              ledamöter:
                - {namn: Erik Lövgren, parti: S, roll: ordförande}
                - {namn: Anna Ek, parti: C}
              justering: {justerare: [Anna Ek]}
            paragrafer:
              - paragraf: 12
                titel: Taxa för bygglov
                yrkanden:
                  - ledamöter: [Erik Lövgren (S), Anna Ek (C)]
                    slag: bifall
                    text: kommunstyrelsens förslag
                beslut:
                  enligt: Kommunstyrelsen
        """
    )
    result = check_file(path)
    assert result.case is not None and result.errors == [], result.diagnostics
    assert result.pack is not None and result.computed is not None
    context = document_context(result.case, result.computed, result.pack, 0)
    (item,) = context["sammanträde"]["ärenden"]
    assert (
        item["beslut"].plain_text() == "Kommunfullmäktige beslutar enligt kommunstyrelsens förslag."
    )
    assert item["yrkanden"].plain_text() == (
        "Erik Lövgren (S) och Anna Ek (C) yrkar bifall till kommunstyrelsens förslag."
    )


def _case(
    steps: list[str],
    mottagare: str,
    clauses: str,
    voice: str = "beslutar",
    kind: str = "tjänsteskrivelse",
) -> str:
    routing = "".join(f"  - {s}\n" for s in steps)
    extracts = "".join(
        f"  - {{typ: protokollsutdrag, id: e{i}, organ: {s}, paragraf: {i + 1}, "
        "justering: {justerad: true}}\n"
        for i, s in enumerate(steps)
        if s != "Samhällsbyggnadsförvaltningen"
    )
    return (
        "mall: kommun\ntitel: Plan\ndiarienummer: KS 2025/1\ndatum: 2025-01-10\n"
        f"förvaltning: Samhällsbyggnadsförvaltningen\nmottagare: {mottagare}\n"
        f"beslutsordning:\n{routing}förslag_till_beslut:\n  att:\n{clauses}"
        f"handlingar:\n  - typ: {kind}\n"
        + (
            "    avvikelse: plan\n" + extracts + DEVIATION
            if kind == "budgetavvikelse"
            else extracts
        )
    )


DEVIATION = """\
tabeller:
  plan:
    typ: budgetavvikelse
    enhet: mnkr
    år: [{år: 2025, budget: 10, prognos_över_budget: 2}]
"""


PLAN = "    - anta planen.\n"
OWN = "    - anta planen.\n    - {text: uppdra åt förvaltningen att genomföra planen., organ: Kommunstyrelsen}\n"
KF_PLAN = "Kommunfullmäktige beslutar att anta planen."
KS_PROPOSES = "Kommunstyrelsen föreslår kommunfullmäktige besluta att anta planen."
KSAU_PROPOSES = (
    "Kommunstyrelsens arbetsutskott föreslår kommunstyrelsen föreslå kommunfullmäktige "
    "besluta att anta planen."
)
KS_OWN = "Kommunstyrelsen beslutar för egen del att uppdra åt förvaltningen att genomföra planen."
KS_OWN_PLAIN = "Kommunstyrelsen beslutar att uppdra åt förvaltningen att genomföra planen."
KS_ALSO = "Kommunstyrelsen beslutar också att uppdra åt förvaltningen att genomföra planen."
KS_PROPOSES_ATT = "Kommunstyrelsen föreslår att kommunfullmäktige beslutar att anta planen."
OWN_FIRST = "    - {text: uppdra åt förvaltningen att genomföra planen., organ: Kommunstyrelsen}\n    - anta planen.\n"
SN_PROPOSES = (
    "Socialnämnden föreslår kommunstyrelsen föreslå kommunfullmäktige besluta att anta planen."
)
SNAU_PROPOSES = (
    "Socialnämndens arbetsutskott föreslår socialnämnden föreslå kommunstyrelsen föreslå "
    "kommunfullmäktige besluta att anta planen."
)

# Each expected sentence written by hand: (steps, mottagare, clauses, house rules) → the memo's
# proposal, then per extract (in routing order) its decision and the proposal laid before it.
ROUTINGS = [
    (["Kommunfullmäktige"], "Kommunfullmäktige", PLAN, "beslutar", [KF_PLAN], [(KF_PLAN, KF_PLAN)]),
    (
        ["Kommunfullmäktige"],
        "Kommunfullmäktige",
        PLAN,
        "föreslås",
        ["Kommunfullmäktige föreslås besluta att anta planen."],
        [(KF_PLAN, "Kommunfullmäktige föreslås besluta att anta planen.")],
    ),
    (
        ["Kommunstyrelsen", "Kommunfullmäktige"],
        "Kommunstyrelsen",
        PLAN,
        "beslutar",
        [KS_PROPOSES],
        [(KS_PROPOSES, KS_PROPOSES), (KF_PLAN, KS_PROPOSES)],
    ),
    (
        ["Kommunstyrelsen", "Kommunfullmäktige"],
        "Kommunstyrelsen",
        PLAN,
        "föreslås",
        [KS_PROPOSES],  # what goes on keeps 'föreslår': 'föreslås föreslå' is unattested
        [(KS_PROPOSES, KS_PROPOSES), (KF_PLAN, KS_PROPOSES)],
    ),
    (
        ["Kommunstyrelsen", "Kommunfullmäktige"],
        "Kommunstyrelsen",
        OWN,
        "föreslås",
        [
            KS_PROPOSES,
            "Kommunstyrelsen föreslås för egen del besluta att uppdra åt förvaltningen att "
            "genomföra planen.",
        ],
        [
            (
                KS_PROPOSES + "\n" + KS_OWN,
                KS_PROPOSES
                + "\nKommunstyrelsen föreslås för egen del besluta att uppdra åt förvaltningen "
                "att genomföra planen.",
            ),
            (KF_PLAN, KS_PROPOSES),
        ],
    ),
    (
        ["Kommunstyrelsen", "Kommunfullmäktige"],
        "Kommunstyrelsen",
        OWN,
        "beslutar",
        [KS_PROPOSES, KS_OWN],
        [(KS_PROPOSES + "\n" + KS_OWN, KS_PROPOSES + "\n" + KS_OWN), (KF_PLAN, KS_PROPOSES)],
    ),
    (
        [
            "Samhällsbyggnadsförvaltningen",
            "Kommunstyrelsens arbetsutskott",
            "Kommunstyrelsen",
            "Kommunfullmäktige",
        ],
        "Kommunstyrelsen",
        PLAN,
        "beslutar",
        [KS_PROPOSES],
        [(KSAU_PROPOSES, KS_PROPOSES), (KS_PROPOSES, KSAU_PROPOSES), (KF_PLAN, KS_PROPOSES)],
    ),
    # the house writes the memo's proposal as the final body will decide it (Förslag till
    # beslut: 'Kommunfullmäktige beslutar att …'); the extracts speak as their bodies
    (
        ["Kommunstyrelsen", "Kommunfullmäktige"],
        "Kommunstyrelsen",
        PLAN,
        "beslutsröst: slutligt",
        [KF_PLAN],
        [(KS_PROPOSES, KF_PLAN), (KF_PLAN, KS_PROPOSES)],
    ),
    (
        ["Kommunstyrelsen", "Kommunfullmäktige"],
        "Kommunstyrelsen",
        OWN,
        "beslutsröst: slutligt",
        [KF_PLAN, "Kommunstyrelsen beslutar att uppdra åt förvaltningen att genomföra planen."],
        [
            (
                KS_PROPOSES + "\n" + KS_OWN,
                KF_PLAN
                + "\nKommunstyrelsen beslutar att uppdra åt förvaltningen att genomföra planen.",
            ),
            (KF_PLAN, KS_PROPOSES),
        ],
    ),
    # Västra Götalandsregionen's and Region Kalmar's form: 'föreslår att … beslutar att',
    # and 'också' for what the styrelse decides itself after its proposal
    (
        ["Kommunstyrelsen", "Kommunfullmäktige"],
        "Kommunstyrelsen",
        OWN,
        "förslagsform: föreslår_att, egen_del: också",
        [KS_PROPOSES_ATT, KS_ALSO],
        [
            (KS_PROPOSES_ATT + "\n" + KS_ALSO, KS_PROPOSES_ATT + "\n" + KS_ALSO),
            (KF_PLAN, KS_PROPOSES_ATT),
        ],
    ),
    # 'också' only after what it adds to: the styrelse's own clause first reads plainly
    (
        ["Kommunstyrelsen", "Kommunfullmäktige"],
        "Kommunstyrelsen",
        OWN_FIRST,
        "egen_del: också",
        [KS_OWN_PLAIN, KS_PROPOSES],
        [
            (KS_OWN_PLAIN + "\n" + KS_PROPOSES, KS_OWN_PLAIN + "\n" + KS_PROPOSES),
            (KF_PLAN, KS_PROPOSES),
        ],
    ),
    (
        ["Kommunstyrelsen", "Kommunfullmäktige"],
        "Kommunstyrelsen",
        OWN,
        "egen_del: ingen, beslutsröst: föreslås",
        [
            KS_PROPOSES,
            "Kommunstyrelsen föreslås besluta att uppdra åt förvaltningen att genomföra planen.",
        ],
        [
            (
                KS_PROPOSES + "\n" + KS_OWN_PLAIN,
                KS_PROPOSES
                + "\nKommunstyrelsen föreslås besluta att uppdra åt förvaltningen att genomföra planen.",
            ),
            (KF_PLAN, KS_PROPOSES),
        ],
    ),
    # a nämnd's proposal goes through the styrelse (Tyresö: 'Kultur- och fritidsnämndens
    # förslag till kommunstyrelsen för förslag till kommunfullmäktige')
    (
        ["Socialnämnden", "Kommunstyrelsen", "Kommunfullmäktige"],
        "Socialnämnden",
        PLAN,
        "beslutsröst: beslutar",
        [SN_PROPOSES],
        [(SN_PROPOSES, SN_PROPOSES), (KS_PROPOSES, SN_PROPOSES), (KF_PLAN, KS_PROPOSES)],
    ),
    (
        [
            "Socialnämndens arbetsutskott",
            "Socialnämnden",
            "Kommunstyrelsen",
            "Kommunfullmäktige",
        ],
        "Socialnämnden",
        PLAN,
        "beslutsröst: beslutar",
        [SN_PROPOSES],
        [
            (SNAU_PROPOSES, SN_PROPOSES),
            (SN_PROPOSES, SNAU_PROPOSES),
            (KS_PROPOSES, SN_PROPOSES),
            (KF_PLAN, KS_PROPOSES),
        ],
    ),
]


MEMO_KINDS = [
    "tjänsteskrivelse",
    "beslutsförslag",
    "tjänsteutlåtande",
    "ärende",
    "skrivelse",
    "budgetavvikelse",
]


@pytest.mark.parametrize("kind", MEMO_KINDS)
@pytest.mark.parametrize(("steps", "mottagare", "clauses", "voice", "memo", "extracts"), ROUTINGS)
def test_the_decision_sentence_along_the_routing(
    kind: str,
    steps: list[str],
    mottagare: str,
    clauses: str,
    voice: str,
    memo: list[str],
    extracts: list[tuple[str, str]],
    write_case: WriteCase,
    tmp_path: Path,
) -> None:
    """Routing of 1–4 steps × the memo and each body's extract × own-part clauses × the
    house's voice: the memo, each extract's decision, and the proposal laid before it."""

    templates = own_pack(
        tmp_path,
        "röst",
        f"\nhusregler: {{{voice if ':' in voice else 'beslutsröst: ' + voice}}}\n",
        base="kommun",
    )
    text = _case(steps, mottagare, clauses, kind=kind).replace("mall: kommun", "mall: röst")
    result = check_file(write_case(text), templates=[templates])
    assert result.case is not None and result.errors == [], result.diagnostics
    assert result.pack is not None and result.computed is not None

    def context(i: int) -> dict[str, object]:
        return document_context(result.case, result.computed, result.pack, i)

    assert context(0)["förslag"].plain_text().split("\n") == [
        line for sentence in memo for line in _bulleted(sentence)
    ]
    for i, (decided, laid) in enumerate(extracts, start=1):
        protocol = context(i)["protokoll"]
        assert protocol["beslut"].plain_text() == decided, i
        assert protocol["förslag"].plain_text() == laid, i


def _bulleted(sentence: str) -> list[str]:
    return [sentence]


def test_a_reservation_in_the_protocols_own_words(write_case: WriteCase) -> None:
    """'Anna Ek (C) reserverar sig mot beslutet och lämnar skriftlig reservationsmotivering
    som biläggs protokollet (bilaga 1).' could not be written before."""
    path = write_case(
        """\
        mall: kommun
        titel: Kommunfullmäktiges sammanträde
        datum: 2025-04-22
        bilagor:
          - {titel: Reservation från Centerpartiet, slag: protokollsbilaga}
        handlingar:
          - typ: sammanträdesprotokoll
            organ: Kommunfullmäktige
            sammanträde:
              plats: Kommunhuset
              datum: 2025-04-22
              från: "18.00"
              sekreterare: Eva Sund
              ledamöter:
                - {namn: Erik Lövgren, parti: S, roll: ordförande}
                - {namn: Anna Ek, parti: C}
              justering: {justerare: [Anna Ek]}
            paragrafer:
              - paragraf: 12
                titel: Taxa för bygglov
                beslut:
                  att: [anta taxan.]
                reservationer:
                  - ledamot: Anna Ek
                    parti: C
                    bilaga: 1
                    lydelse: reserverar sig mot beslutet och lämnar skriftlig reservationsmotivering som biläggs protokollet
        """
    )
    result = check_file(path)
    assert result.case is not None and result.errors == [], result.diagnostics
    assert result.pack is not None and result.computed is not None
    context = document_context(result.case, result.computed, result.pack, 0)
    (item,) = context["sammanträde"]["ärenden"]
    assert item["reservationer"].plain_text() == (
        "Anna Ek (C) reserverar sig mot beslutet och lämnar skriftlig reservationsmotivering "
        "som biläggs protokollet (bilaga 1)."
    )


def test_a_decision_written_as_whole_sentences(write_case: WriteCase) -> None:
    """'Dagordningen godkänns.' (a trial's Högsby protocol): before, only a body's name in
    `organ` could stand first ('Dagordningen beslutar att …')."""
    path = write_case(
        """\
        mall: kommun
        titel: Kommunledningsutskottets sammanträde
        datum: 2019-03-11
        handlingar:
          - typ: sammanträdesprotokoll
            organ: Kommunledningsutskottet
            sammanträde:
              plats: Kommunhuset
              datum: 2019-03-11
              från: "08.30"
              sekreterare: Eva Sund
              ledamöter:
                - {namn: Erik Lövgren, parti: S, roll: ordförande}
              justering: {justerare: [Erik Lövgren]}
            paragrafer:
              - paragraf: 39
                titel: Godkännande av dagordning
                beslut:
                  utan_ingress: true
                  att: [dagordningen godkänns]
        """
    )
    result = check_file(path)
    assert result.case is not None and result.errors == [], result.diagnostics
    assert result.pack is not None and result.computed is not None
    context = document_context(result.case, result.computed, result.pack, 0)
    (item,) = context["sammanträde"]["ärenden"]
    assert item["beslut"].plain_text() == "Dagordningen godkänns."


def test_a_paragraphs_proposal_and_decision_and_a_delegation_decision(
    write_case: WriteCase,
) -> None:
    """In a nämnd's protocol, the förvaltning's proposal laid before it reads as the nämnd's
    decision would ('Socialnämnden beslutar att …'), and so does the decision; a proposal
    that goes on reads 'Socialnämnden föreslår kommunfullmäktige besluta att …'. A
    delegationsbeslut is the delegate's: 'Socialchefen beslutar att …'."""
    path = write_case(
        """\
        mall: kommun
        titel: Socialnämndens sammanträde
        datum: 2025-03-25
        beslutsordning: [Socialnämnden, Kommunfullmäktige]
        handlingar:
          - typ: sammanträdesprotokoll
            organ: Socialnämnden
            sammanträde:
              plats: Kommunhuset
              datum: 2025-03-25
              från: "13.00"
              sekreterare: Eva Sund
              ledamöter:
                - {namn: Anna Svensson, parti: S, roll: ordförande}
              justering: {justerare: [Anna Svensson]}
            paragrafer:
              - paragraf: 30
                titel: Avtal om skyddat boende
                förslag_från: Socialförvaltningen
                förslag:
                  att: [tilldela Tryggt Boende AB avtalet.]
                beslut:
                  att: [tilldela Tryggt Boende AB avtalet.]
              - paragraf: 31
                titel: Taxa för hemtjänst
                beslut:
                  att:
                    - {text: anta taxan för hemtjänst., organ: Kommunfullmäktige}
        """
    )
    result = check_file(path)
    assert result.case is not None and result.errors == [], result.diagnostics
    assert result.pack is not None and result.computed is not None
    context = document_context(result.case, result.computed, result.pack, 0)
    first, second = context["sammanträde"]["ärenden"]
    assert first["förslag_rubrik"] == "Socialförvaltningens förslag till beslut"
    assert (
        first["förslag"].plain_text()
        == "Socialnämnden beslutar att tilldela Tryggt Boende AB avtalet."
    )
    assert first["beslut"].plain_text() == first["förslag"].plain_text()
    assert second["beslut"].plain_text() == (
        "Socialnämnden föreslår kommunfullmäktige besluta att anta taxan för hemtjänst."
    )

    delegation = check_file(CASES / "examples" / "sn-2025-delegationsbeslut.yaml")
    assert delegation.case is not None and delegation.pack is not None
    assert delegation.computed is not None
    memo = document_context(delegation.case, delegation.computed, delegation.pack, 0)
    assert memo["förslag"].plain_text() == (
        "Socialchefen beslutar att förlänga avtalet med Familjehemsstöd Väst AB till och med "
        "2026-06-30."
    )


def test_the_styrelses_extract_shows_the_utskotts_decision_in_the_words_it_wrote(
    write_case: WriteCase,
) -> None:
    """A trial on a real KS extract (5dok.org, KS 2019-04-08 § 52): the utskott's extract
    wrote its own decision ('… besluta följande:'); the styrelse's 'förslag till beslut'
    printed the chain made from the case's proposal instead."""
    text = ROUTED.replace(
        "    id: ksau\n    organ: Kommunstyrelsens arbetsutskott\n",
        "    id: ksau\n    organ: Kommunstyrelsens arbetsutskott\n"
        "    beslut:\n      organ: Kommunfullmäktige\n"
        "      verb: 'föreslår kommunstyrelsen föreslå kommunfullmäktige besluta följande:'\n"
        "      att: [motionen avslås.]\n",
    )
    result = check_file(write_case(text))
    assert result.case is not None and result.errors == [], result.diagnostics
    assert result.pack is not None and result.computed is not None
    ks = document_context(result.case, result.computed, result.pack, 2)["protokoll"]
    assert ks["förslag"].plain_text().split("\n") == [
        "Kommunstyrelsens arbetsutskott föreslår kommunstyrelsen föreslå kommunfullmäktige "
        "besluta följande:",
        "motionen avslås.",
    ]


FOLLOWING = """\
mall: kommun
titel: Motion om utvecklingsgrupp för förskolan
diarienummer: KS 2019/12
datum: 2019-03-01
förvaltning: Kommunledningskontoret
mottagare: Kommunstyrelsen
beslutsordning:
  - Kommunstyrelsens arbetsutskott
  - Kommunstyrelsen
  - Kommunfullmäktige
förslag_till_beslut:
  organ: Kommunstyrelsen
  verb: "{verb}"
  att:
    - Motionen avslås.
handlingar:
  - typ: tjänsteskrivelse
  - {{typ: protokollsutdrag, id: au, organ: Kommunstyrelsens arbetsutskott, paragraf: 40,
      justering: {{justerad: true}}}}
  - {{typ: protokollsutdrag, id: ks, organ: Kommunstyrelsen, paragraf: 52,
      justering: {{justerad: true}}}}
  - {{typ: protokollsutdrag, id: kf, organ: Kommunfullmäktige, paragraf: 30,
      justering: {{justerad: true}}}}
"""


def test_the_verbs_ending_goes_along_the_routing(write_case: WriteCase) -> None:
    """A KS extract (2019, § 52) quotes its utskott: 'Kommunstyrelsens arbetsutskott föreslår
    kommunstyrelsen föreslå kommunfullmäktige besluta följande:' and a passive point. The
    styrelse's verb names fullmäktige, so fullmäktige decides. Before: the utskott's chain
    stopped at the styrelse ('föreslår kommunstyrelsen besluta följande:') and fullmäktige's
    extract had an empty decision."""
    path = write_case(FOLLOWING.format(verb="föreslår kommunfullmäktige besluta följande:"))
    result = check_file(path)
    assert result.case is not None and result.errors == [], result.diagnostics
    assert result.pack is not None and result.computed is not None
    assert not [d for d in result.diagnostics if d.path == "förslag_till_beslut.verb"]

    def text(i: int, key: str) -> list[str]:
        context = document_context(result.case, result.computed, result.pack, i)
        return context["protokoll"][key].plain_text().split("\n")

    au = (
        "Kommunstyrelsens arbetsutskott föreslår kommunstyrelsen föreslå kommunfullmäktige "
        "besluta följande:"
    )
    ks = "Kommunstyrelsen föreslår kommunfullmäktige besluta följande:"
    assert text(1, "beslut") == [au, "Motionen avslås."]
    assert text(2, "beslut") == [ks, "Motionen avslås."]
    assert text(2, "förslag") == [au, "Motionen avslås."]
    assert text(3, "beslut") == ["Kommunfullmäktige beslutar följande:", "Motionen avslås."]
    assert text(3, "förslag") == [ks, "Motionen avslås."]


def test_a_verb_another_body_cannot_say_is_warned_about(write_case: WriteCase) -> None:
    """'föreslås' is the memo's voice: the utskott's extract writes its own sentence, and
    says so, instead of dropping the verb silently."""
    text = FOLLOWING.format(verb="föreslås").replace("Motionen avslås.", "avslå motionen.")
    result = check_file(write_case(text))
    (warning,) = [d for d in result.diagnostics if d.path == "förslag_till_beslut.verb"]
    assert warning.line == 13
    assert "utdraget ur Kommunstyrelsens arbetsutskotts protokoll skriver i stället" in (
        warning.message
    )
    assert (
        "'Kommunstyrelsens arbetsutskott föreslår kommunstyrelsen besluta att …'" in warning.message
    )


def test_a_capitalised_clause_after_att_is_warned_about_but_a_name_is_not(
    write_case: WriteCase,
) -> None:
    path = write_case(
        """\
        mall: kommun
        titel: Plan
        diarienummer: KS 2025/1
        datum: 2025-01-10
        förslag_till_beslut:
          organ: Kommunstyrelsen
          att:
            - Godkänna planen.
            - Region Halland får ansvara för uppföljningen.
        handlingar:
          - typ: tjänsteskrivelse
        """
    )
    result = check_file(path)
    flagged = [d for d in result.diagnostics if "stor bokstav" in d.message]
    assert [(d.line, d.path) for d in flagged] == [(8, "förslag_till_beslut.att[0]")]
    assert "skriv 'godkänna …'" in flagged[0].message


def test_an_information_item_and_numbered_points(write_case: WriteCase, tmp_path: Path) -> None:
    """A styrelse that only takes note ('Kommunstyrelsen beslutar att anteckna
    informationen.') in a matter fullmäktige decides later; a decision in numbered points."""
    text = FOLLOWING.format(verb="föreslår kommunfullmäktige besluta att").replace(
        "    - Motionen avslås.\n", "    - avslå motionen.\n"
    )
    text = text.replace(
        "id: ks, organ: Kommunstyrelsen, paragraf: 52,",
        "id: ks, organ: Kommunstyrelsen, paragraf: 52, beslut: {att: [anteckna informationen.]},",
    )
    result = check_file(write_case(text))
    assert result.case is not None and result.errors == [], result.diagnostics
    assert result.pack is not None and result.computed is not None
    context = document_context(result.case, result.computed, result.pack, 2)
    assert context["protokoll"]["beslut"].plain_text() == (
        "Kommunstyrelsen beslutar att anteckna informationen."
    )

    from arendegen.blocks import Paragraph

    templates = own_pack(
        tmp_path, "numrerad", "\nhusregler: {beslutspunkter: numrerad}\n", base="kommun"
    )
    points = text.replace("mall: kommun", "mall: numrerad").replace(
        "    - avslå motionen.\n", "    - avslå motionen.\n    - anse motionen besvarad.\n"
    )
    result = check_file(write_case(points), templates=[templates])
    assert result.case is not None and result.pack is not None and result.computed is not None
    context = document_context(result.case, result.computed, result.pack, 0)
    lines = [
        (p.style, "".join(r.text for r in p.runs))
        for p in context["förslag"].items
        if isinstance(p, Paragraph)
    ]
    assert lines == [
        ("Normal", "Kommunstyrelsen föreslår kommunfullmäktige besluta att"),
        ("List Number", "avslå motionen."),
        ("List Number", "anse motionen besvarad."),
    ]


def test_the_memo_writes_the_final_decision_in_its_own_verb(write_case: WriteCase) -> None:
    """'Kommunfullmäktige fastställer …' in the memo; the styrelse proposes it in its own
    words ('… besluta att fastställa …'), and fullmäktige's extract keeps the memo's verb."""
    path = write_case(
        """\
        mall: kommun
        titel: Mål och budget 2027
        diarienummer: KS 2026/1
        datum: 2026-05-10
        förvaltning: Kommunledningskontoret
        mottagare: Kommunstyrelsen
        beslutsordning: [Kommunstyrelsen, Kommunfullmäktige]
        förslag_till_beslut:
          organ: Kommunfullmäktige
          verb: fastställer
          att:
            - Mål och budget 2027 med ekonomisk plan 2028–2029.
        handlingar:
          - typ: tjänsteskrivelse
          - {typ: protokollsutdrag, id: ks, organ: Kommunstyrelsen, paragraf: 2,
             justering: {justerad: true}}
          - {typ: protokollsutdrag, id: kf, organ: Kommunfullmäktige, paragraf: 3,
             justering: {justerad: true}}
        """
    )
    result = check_file(path)
    assert result.case is not None and result.errors == [], result.diagnostics
    assert result.pack is not None and result.computed is not None
    assert not [d for d in result.diagnostics if d.path == "förslag_till_beslut.verb"]

    def context(i: int) -> dict[str, object]:
        return document_context(result.case, result.computed, result.pack, i)

    memo = "Kommunfullmäktige fastställer Mål och budget 2027 med ekonomisk plan 2028–2029."
    proposes = (
        "Kommunstyrelsen föreslår kommunfullmäktige besluta att fastställa Mål och budget "
        "2027 med ekonomisk plan 2028–2029."
    )
    assert context(0)["förslag"].plain_text() == memo
    assert context(1)["protokoll"]["beslut"].plain_text() == proposes
    assert context(2)["protokoll"]["beslut"].plain_text() == memo
    assert context(2)["protokoll"]["förslag"].plain_text() == proposes


TRIAL_16B = """\
mall: region
mottagare: Regionstyrelsen
diarienummer: RS 2023-1
datum: 2023-01-10
titel: Reglemente för arkivnämnden
beslutsordning:
  - Koncernkontoret
  - Regionstyrelsens arbetsutskott
  - Regionstyrelsen
  - Regionfullmäktige
expedieras_till: [Akten]
förslag_till_beslut:
{organ}  att:
    - {clause}
    - text: ändra namnet på tandvårdsstyrelsen till styrelsen för Folktandvården.
      organ: Regionstyrelsen
handlingar:
  - typ: tjänsteskrivelse
  - {{typ: protokollsutdrag, id: au, organ: Regionstyrelsens arbetsutskott, paragraf: 1}}
  - {{typ: protokollsutdrag, id: rs, organ: Regionstyrelsen, paragraf: 2,
      sammanträdesdatum: 2023-01-24}}
"""


def test_naming_the_final_body_a_decider_verb_and_an_office_on_the_routing(
    write_case: WriteCase,
) -> None:
    """A new-user trial on Västra Götalandsregionen's regionstyrelse, 2023-01-24. Before:
    `organ: Regionfullmäktige` (the routing's last step, the documented default) made the
    memo read 'Regionfullmäktige beslutar för egen del att …' and gave fullmäktige the
    styrelse's own clause; a clause `verb: fastställer` read 'Regionstyrelsen fastställer
    …' for what fullmäktige decides; the office on the routing (with no `förvaltning:`)
    proposed 'Koncernkontoret föreslår regionstyrelsen föreslå …'."""
    proposes = (
        "Regionstyrelsen föreslår regionfullmäktige besluta att fastställa nytt reglemente för "
        "arkivnämnden."
    )
    own = (
        "Regionstyrelsen beslutar för egen del att ändra namnet på tandvårdsstyrelsen till "
        "styrelsen för Folktandvården."
    )
    variants = [
        ("", "fastställa nytt reglemente för arkivnämnden."),
        ("  organ: Regionfullmäktige\n", "fastställa nytt reglemente för arkivnämnden."),
        ("", "{text: nytt reglemente för arkivnämnden., verb: fastställer}"),
    ]
    for organ, clause in variants:
        result = check_file(write_case(TRIAL_16B.format(organ=organ, clause=clause)))
        assert result.case is not None and result.errors == [], result.diagnostics
        assert result.pack is not None and result.computed is not None

        def context(i: int, result: CaseResult = result) -> dict[str, object]:
            return document_context(result.case, result.computed, result.pack, i)

        assert context(0)["förslag"].plain_text() == f"{proposes}\n{own}", (organ, clause)
        utskottet = context(1)["protokoll"]
        assert utskottet["förslag"].plain_text() == f"{proposes}\n{own}"  # the memo's words
        assert utskottet["beslut"].plain_text() == (
            "Regionstyrelsens arbetsutskott föreslår regionstyrelsen föreslå regionfullmäktige "
            "besluta att fastställa nytt reglemente för arkivnämnden.\n"
            "Regionstyrelsens arbetsutskott föreslår regionstyrelsen besluta att ändra namnet på "
            "tandvårdsstyrelsen till styrelsen för Folktandvården."
        )
        styrelsen = context(2)
        assert styrelsen["protokoll"]["beslut"].plain_text() == f"{proposes}\n{own}"
        assert styrelsen["protokoll"]["förslag"].plain_text() == utskottet["beslut"].plain_text()
        # the footer's date is the meeting's, not the memo's
        assert styrelsen["sida"]["sidfot"] == "RS 2023-1 · 2023-01-24"


def test_an_extract_may_write_its_decision_as_another_bodys_sentence(
    write_case: WriteCase,
) -> None:
    """Vaggeryd's KSAU 2019-03-20 § 60 writes the utskott's proposal as the styrelse's
    sentence: 'Kommunstyrelsen beslutar föreslå kommunfullmäktige att anta …'. `organ` with a
    `verb` is the subject as the case writes it; a verb that names `organ` as the body it
    proposes to makes it the decider instead."""
    text = UTSKOTT.replace("  - Kommunstyrelsen\n", "  - Kommunstyrelsen\n  - Kommunfullmäktige\n")
    vaggeryd = decision(
        write_case,
        text.replace(
            "{beslut}",
            "      organ: Kommunstyrelsen\n"
            "      verb: beslutar föreslå kommunfullmäktige att\n"
            "      att: [anta taxan för bygglov.]",
        ),
    )
    assert vaggeryd == [
        "Kommunstyrelsen beslutar föreslå kommunfullmäktige att anta taxan för bygglov."
    ]


def test_a_capitalised_word_after_att_that_is_no_name_is_warned_about(
    write_case: WriteCase,
) -> None:
    result = check_file(
        write_case(
            TRIAL_16B.format(
                organ="", clause="Tidigare fastställda riktlinjer ska gälla även under 2023."
            )
        )
    )
    (flagged,) = [d for d in result.diagnostics if "stor bokstav" in d.message]
    assert flagged.path == "förslag_till_beslut.att[0]"
    assert "'tidigare …'" in flagged.message and "utan_ingress" in flagged.message


def test_each_numbered_decision_counts_from_one(write_case: WriteCase, tmp_path: Path) -> None:
    """A new-user trial: with numbered points the extract's decision was 1–2 and the proposal
    below it went on 3–4, in the PDF as in Word."""
    import re
    import subprocess

    from conftest import zip_members

    templates = own_pack(
        tmp_path, "numrerad", "\nhusregler: {beslutspunkter: numrerad}\n", base="kommun"
    )
    text = (
        FOLLOWING.format(verb="föreslår kommunfullmäktige besluta att")
        .replace("mall: kommun", "mall: numrerad")
        .replace("    - Motionen avslås.\n", "    - avslå motionen.\n    - anse frågan utredd.\n")
    )
    path = write_case(text)
    out = tmp_path / "ut"
    result = CliRunner().invoke(
        cli,
        ["build", str(path), "--out", str(out), "--templates", str(templates)],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    docx = zip_members((out / "KS-2019-12-ks.docx").read_bytes())["word/document.xml"].decode()
    numbers = re.findall(r'<w:numId w:val="(\d+)"/>', docx)
    assert len(numbers) == 4 and numbers[0] == numbers[1] != numbers[2] == numbers[3]
    pdf = subprocess.run(
        ["pdftotext", str(out / "KS-2019-12-ks.pdf"), "-"], capture_output=True, text=True
    ).stdout
    items = re.findall(r"^(\d)\.\s", pdf, re.MULTILINE)
    assert items == ["1", "2", "1", "2"], pdf


def test_a_person_written_as_a_protocol_writes_a_member_gives_the_party(
    write_case: WriteCase,
) -> None:
    """Before: 'Mette Hildingsson (S)' as a motion's förslagsställare was refused with 'ange
    partiet för Mette Hildingsson (S)'."""
    source = (CASES / "examples" / "kf-2025-motion-gang-och-cykelvag.yaml").read_text("utf-8")
    text = source.replace(
        "    - namn: Erik Sand\n      parti: C\n    - namn: Ulla Björk\n      parti: C\n",
        "    - Erik Sand (C)\n    - Ulla Björk (C), gruppledare\n",
    )
    assert text != source
    result = check_file(write_case(text))
    assert result.errors == [], result.errors
    assert result.case is not None and result.case.motion is not None
    people = [(p.namn, p.parti, p.titel) for p in result.case.motion.förslagsställare]
    assert people == [("Erik Sand", "C", None), ("Ulla Björk", "C", "gruppledare")]
