"""What minutes really record (issue 17): a vote given only as counts, reservations and
yrkanden by party, paragraph numbers as a protocol compresses them. Nothing is invented:
no names for a count, no members for a party."""

from __future__ import annotations

from pathlib import Path

from arendegen.context import document_context
from arendegen.validate import check_file
from conftest import WriteCase, own_pack

MEETING = """\
mall: kommun
organisation: Ekby kommun
datum: 2025-03-25
titel: Kommunfullmäktiges sammanträde 25 mars 2025
handlingar:
  - typ: sammanträdesprotokoll
    organ: Kommunfullmäktige
    sammanträde:
      plats: Stadshuset
      datum: 2025-03-25
      från: "18.00"
      paragrafer: §§ 10–30
      ledamöter:
        - {namn: Anna Svensson, parti: S, roll: ordförande}
        - {namn: Bo Berg, parti: M, ej_paragrafer: [12, 13, 14, 15, 16, 17, 18, 20]}
        - {namn: Cia Dahl, parti: V}
        - {namn: Dan Ek, parti: SD}
        - {namn: Eva Fors, parti: C}
      sekreterare: Eva Sund
      justering: {justerare: [Cia Dahl], datum: 2025-03-27}
    paragrafer:
      - paragraf: 11
        titel: Motion om cykelvägar
        yrkanden:
          - {ledamot: Anna Svensson, parti: S, slag: bifall, text: kommunstyrelsens förslag}
          - {partier: [SD], slag: avslag, text: kommunstyrelsens förslag}
        votering:
          ja: bifall till kommunstyrelsens förslag
          nej: avslag på kommunstyrelsens förslag
          resultat: {ja: {ja}, nej: {nej}, avstår: 1}
{outcome}        reservationer:
          - {partier: [SD], till_förmån_för_eget_yrkande: true}
        beslut:
          att: [avslå motionen.]
"""


def minutes(write_case: WriteCase, text: str) -> dict[str, str]:
    result = check_file(write_case(text))
    assert result.errors == [], result.errors
    assert result.case and result.pack and result.computed
    meeting = document_context(result.case, result.computed, result.pack, 0)["sammanträde"]
    (item,) = meeting["ärenden"]
    texts = {key: item[key].plain_text() for key in ("yrkanden", "votering", "reservationer")}
    return texts | {"beslutande": meeting["beslutande"].plain_text()}


def test_a_vote_given_only_as_counts(write_case: WriteCase) -> None:
    """'Omröstning: 3 ja, 1 nej, 1 avstår' with no names: before, an error ('voteringen har
    inga röster'), which only five invented voters could silence."""
    text = MEETING.replace("{ja}", "3").replace("{nej}", "1").replace("{outcome}", "")
    texts = minutes(write_case, text)
    assert texts["votering"].split("\n") == [
        "Votering begärs och verkställs.",
        "Ja-röst för bifall till kommunstyrelsens förslag.",
        "Nej-röst för avslag på kommunstyrelsens förslag.",
        # before: 'beslutat enligt bifall till kommunstyrelsens förslag', not Swedish
        "Med 3 ja-röster mot 1 nej-röst och 1 som avstår från att rösta har kommunfullmäktige "
        "beslutat enligt kommunstyrelsens förslag.",
    ]
    assert "Ledamot | Ja | Nej | Avstår" not in texts["votering"]  # no table of invented names


def test_counts_are_checked_against_the_members_serving(write_case: WriteCase) -> None:
    too_many = MEETING.replace("{ja}", "4").replace("{nej}", "2").replace("{outcome}", "")
    result = check_file(write_case(too_many))
    assert [(d.path, d.message) for d in result.errors] == [
        (
            "handlingar[0].paragrafer[0].votering.resultat",
            "7 röster (4 ja, 2 nej, 1 avstår), men 5 ledamöter tjänstgör vid paragrafen",
        )
    ]
    tie = MEETING.replace("{ja}", "2").replace("{nej}", "2").replace("{outcome}", "")
    result = check_file(write_case(tie))
    assert [d.path for d in result.errors] == ["handlingar[0].paragrafer[0].votering.utfall"]
    decided = (
        MEETING.replace("{ja}", "2")
        .replace("{nej}", "2")
        .replace("{outcome}", "          utfall: ja\n")
    )
    texts = minutes(write_case, decided)
    assert (
        "har kommunfullmäktige beslutat genom ordförandens utslagsröst enligt"
        in (texts["votering"])
    )


def test_a_reservation_and_a_yrkande_by_party(write_case: WriteCase) -> None:
    """'SD yrkar avslag …', 'SD reserverar sig …': no member is named where the protocol
    names none."""
    texts = minutes(
        write_case, MEETING.replace("{ja}", "3").replace("{nej}", "1").replace("{outcome}", "")
    )
    assert texts["yrkanden"].split("\n") == [
        "Anna Svensson (S) yrkar bifall till kommunstyrelsens förslag.",
        "SD yrkar avslag på kommunstyrelsens förslag.",
    ]
    assert texts["reservationer"] == (
        "SD reserverar sig mot beslutet till förmån för eget yrkande."
    )


def test_paragraph_numbers_are_compressed_as_a_protocol_writes_them(
    write_case: WriteCase,
) -> None:
    """Before: 'ej § 12, § 13, § 14, § 15, § 16, § 17, § 18, § 20'."""
    texts = minutes(
        write_case, MEETING.replace("{ja}", "3").replace("{nej}", "1").replace("{outcome}", "")
    )
    assert "Bo Berg (M) | ej §§\u00a012–18, 20" in texts["beslutande"]


def test_a_first_page_lists_its_paragraphs_by_number_and_title(write_case: WriteCase) -> None:
    """A protocol's published first page: the frame, and the paragraphs by number and title
    only. Before: each title stood alone on a page of its own."""
    from arendegen.blocks import Paragraph

    text = MEETING.split("    paragrafer:\n      - paragraf: 11")[0] + (
        "    paragrafer:\n"
        "      - {paragraf: 10, titel: Val av justerare}\n"
        "      - {paragraf: 11, titel: Motion om cykelvägar}\n"
        "      - {paragraf: 12, titel: Anmälningsärenden}\n"
    )
    result = check_file(write_case(text))
    assert result.errors == [], result.errors
    assert result.case and result.pack and result.computed
    body = document_context(result.case, result.computed, result.pack, 0)["innehåll"]
    lines = body.plain_text().split("\n")
    start = lines.index("§\u00a010 Val av justerare")
    assert lines[start : start + 3] == [
        "§\u00a010 Val av justerare",
        "§\u00a011 Motion om cykelvägar",
        "§\u00a012 Anmälningsärenden",
    ]
    breaks = [b for b in body.items if isinstance(b, Paragraph) and b.page_break_before]
    assert breaks == []


def test_an_earlier_decision_cited_by_its_diarienummer_alone(write_case: WriteCase) -> None:
    """Before: an error ('en referens är ett beslut … eller en handling …')."""
    text = MEETING.replace("{ja}", "3").replace("{nej}", "1").replace("{outcome}", "")
    text = text.replace(
        "handlingar:\n", "referenser:\n  tidigare: {diarienummer: KS 2019/123}\nhandlingar:\n", 1
    ).replace(
        "        titel: Motion om cykelvägar\n",
        "        titel: Motion om cykelvägar\n        ärendet: Frågan behandlades i [[tidigare]].\n",
    )
    result = check_file(write_case(text))
    assert result.errors == [], result.errors
    assert result.case and result.pack and result.computed
    meeting = document_context(result.case, result.computed, result.pack, 0)["sammanträde"]
    (item,) = meeting["ärenden"]
    assert item["ärendet"]["text"].plain_text() == "Frågan behandlades i dnr KS 2019/123."


def test_a_yrkande_whose_content_is_not_recorded(write_case: WriteCase) -> None:
    text = MEETING.replace("{ja}", "3").replace("{nej}", "1").replace("{outcome}", "")
    text = text.replace(
        "          - {partier: [SD], slag: avslag, text: kommunstyrelsens förslag}\n",
        "          - {partier: [SD], slag: avslag, text: kommunstyrelsens förslag}\n"
        "          - {ledamot: Eva Fors, parti: C}\n"
        "          - {ledamot: Dan Ek, parti: SD, text: att ärendet ska utredas vidare}\n",
    )
    texts = minutes(write_case, text)
    assert texts["yrkanden"].split("\n")[2:] == [
        "Eva Fors (C) framställer ett yrkande.",
        "Dan Ek (SD) yrkar att ärendet ska utredas vidare.",
    ]


def test_paragraph_ranges_are_typed_as_a_protocol_writes_them(write_case: WriteCase) -> None:
    """A trial typed 14 numbers for 'endast § 62–75'; a range is one item."""
    text = MEETING.replace("{ja}", "3").replace("{nej}", "1").replace("{outcome}", "")
    text = text.replace(
        "ej_paragrafer: [12, 13, 14, 15, 16, 17, 18, 20]", 'ej_paragrafer: ["12–18", 20]'
    )
    texts = minutes(write_case, text)
    assert "Bo Berg (M) | ej §§\u00a012–18, 20" in texts["beslutande"]


def test_a_first_page_with_no_paragraphs_names_the_meetings(write_case: WriteCase) -> None:
    """Before: 'protokollet har inga paragrafer' for a protocol's published first page."""
    text = MEETING.split("    paragrafer:\n      - paragraf: 11")[0] + "    paragrafer: []\n"
    result = check_file(write_case(text))
    assert result.errors == [], result.errors
    assert result.case and result.pack and result.computed
    meeting = document_context(result.case, result.computed, result.pack, 0)["sammanträde"]
    assert meeting["paragrafer"] == "§§\u00a010–30"


def test_presence_per_paragraph_is_data_and_a_house_can_print_its_grid(
    write_case: WriteCase, tmp_path: Path
) -> None:
    """Each person's status per paragraph (serving, not serving, absent) is in the
    template's data (`sammanträde.närvaro`), and the block `närvarotabell` prints the grid."""
    import shutil

    from arendegen.packs import BUILTIN

    pack = tmp_path / "mallar" / "narvaro"
    shutil.copytree(BUILTIN / "kommun", pack)
    config = pack / "pack.yaml"
    config.write_text(
        config.read_text(encoding="utf-8")
        .replace("namn: kommun", "namn: narvaro")
        .replace(
            "layouter:\n",
            "layouter:\n  sammanträdesprotokoll:\n    block: [titel, sammanträde, närvarotabell]\n",
        ),
        encoding="utf-8",
    )
    text = MEETING.replace("{ja}", "3").replace("{nej}", "1").replace("{outcome}", "")
    text = (
        text.replace("avstår: 1}", "avstår: 0}")
        .replace("mall: kommun", "mall: narvaro")
        .replace(
            "      sekreterare: Eva Sund\n",
            "      frånvarande: [Sara Berg (M)]\n      sekreterare: Eva Sund\n",
        )
        .replace(
            "        - {namn: Bo Berg, parti: M, ej_paragrafer: [12, 13, 14, 15, 16, 17, 18, 20]}\n",
            "        - {namn: Bo Berg, parti: M, ej_paragrafer: [11]}\n",
        )
    )
    result = check_file(write_case(text), templates=[pack.parent])
    assert result.errors == [], result.errors
    assert result.case and result.pack and result.computed
    context = document_context(result.case, result.computed, result.pack, 0)
    presence = context["sammanträde"]["närvaro"]
    assert [(p["namn"], p["paragrafer"]["11"]) for p in presence] == [
        ("Anna Svensson (S)", "tjänstgörande"),
        ("Bo Berg (M)", "ej tjänstgörande"),
        ("Cia Dahl (V)", "tjänstgörande"),
        ("Dan Ek (SD)", "tjänstgörande"),
        ("Eva Fors (C)", "tjänstgörande"),
        ("Sara Berg (M)", "frånvarande"),
    ]
    lines = context["innehåll"].plain_text().split("\n")
    assert "Frånvarande ledamöter | Sara Berg (M)" in lines
    grid = lines[lines.index("Närvaro") + 1 :]
    assert grid[:3] == [" | §\u00a011", "Anna Svensson (S) | x", "Bo Berg (M) | "]
    assert grid[6] == "Sara Berg (M) | –"


def test_a_house_that_lists_one_person_per_line(write_case: WriteCase, tmp_path: Path) -> None:

    templates = own_pack(
        tmp_path, "rader", "\nhusregler: {en_person_per_rad: true}\n", base="kommun"
    )
    text = MEETING.replace("{ja}", "3").replace("{nej}", "1").replace("{outcome}", "")
    text = text.replace("mall: kommun", "mall: rader").replace(
        "      sekreterare: Eva Sund\n",
        "      ersättare: [Olle Dahl (L), Nina Falk (SD)]\n      sekreterare: Eva Sund\n",
    )
    result = check_file(write_case(text), templates=[templates])
    assert result.errors == [], result.errors
    assert result.case and result.pack and result.computed
    meeting = document_context(result.case, result.computed, result.pack, 0)["sammanträde"]
    assert meeting["ersättare"] == "Olle Dahl (L)\nNina Falk (SD)"


def test_a_paragraph_range_is_bounded(write_case: WriteCase) -> None:
    """A range is expanded into numbers; a hostile one ('1–999999') is refused at its line
    with its bound, quickly, instead of making a million of them."""
    from conftest import within

    text = MEETING.replace("{ja}", "3").replace("{nej}", "1").replace("{outcome}", "")
    text = text.replace(
        "ej_paragrafer: [12, 13, 14, 15, 16, 17, 18, 20]", 'ej_paragrafer: ["1–999999"]'
    )
    with within(2.0, "a hostile paragraph range"):
        result = check_file(write_case(text))
    assert [d.message for d in result.errors] == [
        "fler än 10 000 paragrafer i listan; ett sammanträde har några hundra"
    ]


def test_each_justerare_signs_on_a_line_of_their_own(tmp_path: Path) -> None:
    """From a new-user trial: two justerare shared one signature line ('Karin Berg, Lars
    Nilsson' under one line); each signs their own, as the secretary and the chair do."""
    import io

    import docx

    from arendegen import check, render_documents
    from conftest import EXAMPLES

    text = (EXAMPLES / "sn-2025-03-25-protokoll.yaml").read_text(encoding="utf-8")
    text = text.replace("justerare: [Johan Ek]", "justerare: [Johan Ek, Lisa Holm]")
    case = tmp_path / "protokoll.yaml"
    case.write_text(text, encoding="utf-8")
    result = check(case)
    assert result.ok, [d.as_text() for d in result.errors]
    (document,) = [d for d in render_documents(result) if d.kind == "sammanträdesprotokoll"]
    signing = [
        [[x for x in cell.text.split("\n") if x] for cell in row.cells]
        for table in docx.Document(io.BytesIO(document.docx)).tables
        for row in table.rows
        if any(cell.text.strip().startswith(("Sekreterare", "Justerare")) for cell in row.cells)
    ]
    signed = [lines for row in signing for lines in row if any(x.startswith("___") for x in lines)]
    cells = [lines for lines in signed if lines[0] == "Justerare"]
    assert [lines[-1] for lines in cells] == ["Johan Ek", "Lisa Holm"]


def test_a_beslutsgang_that_tells_the_vote_again_is_warned_about(write_case: WriteCase) -> None:
    """From a new-user trial: the protocol writes the votering out from `votering`; a
    beslutsgång that tells it too printed it twice."""
    case = """\
        mall: kommun
        titel: Kommunstyrelsens sammanträde
        datum: 2012-01-24
        handlingar:
          - typ: sammanträdesprotokoll
            organ: Kommunstyrelsen
            sammanträde:
              plats: Rådhuset
              datum: 2012-01-24
              från: "09.00"
              sekreterare: Eva Sund
              ledamöter:
                - {namn: Anna Berg, parti: S, roll: ordförande}
                - {namn: Per Ek, parti: M}
              justering: {justerare: [Per Ek], datum: 2012-01-26}
            paragrafer:
              - paragraf: 25
                titel: Motion
                beslutsgång: BESLUTSGÅNG
                votering:
                  ja: bifall
                  nej: avslag
                  resultat: {ja: 1, nej: 1, avstår: 0}
                  utfall: ja
                beslut:
                  att: [bifalla motionen.]
        """
    told = check_file(write_case(case.replace("BESLUTSGÅNG", "Omröstning begärs och verkställs.")))
    assert [d.code for d in told.diagnostics] == ["AG853"], told.diagnostics
    assert told.diagnostics[0].path.endswith("paragrafer[0].beslutsgång")
    plain = check_file(write_case(case.replace("BESLUTSGÅNG", "Ordföranden ställer proposition.")))
    assert plain.diagnostics == []
