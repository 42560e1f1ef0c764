"""Kallelser and delegation reports as real ones read (issue 17, from a new-user trial on
Västervik's kommunstyrelse 2015): a föredragningslista of items with titles only, numbers
typed with their 'Dnr', decisions grouped under the delegate who took them, a decision
whose date is not known yet."""

from __future__ import annotations

from arendegen.blocks import Paragraph
from arendegen.context import document_context
from arendegen.validate import check_file
from conftest import CASES, WriteCase

EXAMPLES = CASES / "examples"


def _body(result):  # type: ignore[no-untyped-def]
    assert result.case and result.pack and result.computed
    return document_context(result.case, result.computed, result.pack, 0)["innehåll"]


def test_items_of_a_title_only_are_not_kept_together_with_the_next(
    write_case: WriteCase,
) -> None:
    """Seventeen items, most with a title only: were each heading kept with the next, the
    whole run would move to the next page as one and leave a page half empty."""
    source = (EXAMPLES / "ks-2025-10-14-kallelse.yaml").read_text("utf-8")
    extra = "".join(f"      - titel: Ärende {n}\n" for n in range(6, 18))
    text = source.replace("    ärenden:\n", "    ärenden:\n" + extra, 1)
    result = check_file(write_case(text))
    assert result.errors == [], result.errors
    items = [
        block
        for block in _body(result).items
        if isinstance(block, Paragraph) and block.style == "Heading 3"
    ]
    titled = [
        b for b in items if "".join(r.text for r in b.runs).split(". ", 1)[1][:7] == "Ärende "
    ]
    assert len(titled) == 12 and not any(b.keep_with_next for b in titled)
    delårsrapport = next(b for b in items if "Delårsrapport" in b.runs[0].text)
    assert delårsrapport.keep_with_next  # a heading with lines below it stays with them


def test_a_number_typed_with_its_label_gets_it_once(write_case: WriteCase) -> None:
    source = (EXAMPLES / "ks-2025-10-14-kallelse.yaml").read_text("utf-8")
    text = source.replace("diarienummer: KS 2025/210", "diarienummer: Dnr KS 2025/210")
    lines = _body(check_file(write_case(text))).plain_text().replace("\u00a0", " ")
    assert "Dnr KS 2025/210 · Föredragande" in lines and "Dnr Dnr" not in lines


def test_a_group_that_names_its_delegate_does_not_repeat_them_per_row(
    write_case: WriteCase,
) -> None:
    source = (EXAMPLES / "sn-2025-09-delegationsanmalan.yaml").read_text("utf-8")
    text = source.replace(
        "        beslutsfattare: Maria Holm, Enhetschef\n",
        "        beslutsfattare: Maria Holm, Enhetschef\n        grupp: Enhetschefens beslut\n",
    ).replace(
        "        beslutsfattare: Karin Ström, Socialchef\n",
        "        beslutsfattare: Karin Ström, Socialchef\n        grupp: Socialchefens beslut\n",
    )
    result = check_file(write_case(text))
    assert result.errors == [], result.errors
    lines = _body(result).plain_text().split("\n")
    head = next(line for line in lines if line.startswith("Datum | Dnr"))
    assert "Beslutsfattare" not in head
    assert "Enhetschefens beslut" in lines and "Socialchefens beslut" in lines
    # one group of two delegates keeps the column: the group does not name them
    mixed = text.replace("grupp: Socialchefens beslut", "grupp: Enhetschefens beslut")
    head = next(
        line
        for line in _body(check_file(write_case(mixed))).plain_text().split("\n")
        if line.startswith("Datum | Dnr")
    )
    assert "Beslutsfattare" in head


def test_a_delegated_decision_whose_date_is_not_known_is_a_gap(write_case: WriteCase) -> None:
    source = (EXAMPLES / "sn-2025-09-delegationsanmalan.yaml").read_text("utf-8")
    text = source.replace("      - datum: 2025-08-12\n        ", "      - ", 1)
    result = check_file(write_case(text))
    assert result.errors == [], result.errors
    (gap,) = result.warnings
    assert gap.path == "handlingar[0].beslut[1]"
    assert gap.message.startswith("datumet för delegationsbeslutet 'Avtal om köp av platser")
    assert "[datum\u00a0saknas]" in _body(result).plain_text()


def test_a_house_setting_typed_in_a_case_says_where_it_belongs(write_case: WriteCase) -> None:
    text = (EXAMPLES / "ks-2025-10-14-kallelse.yaml").read_text("utf-8")
    result = check_file(write_case(text + "husregler:\n  tabellnummer: true\n"))
    (error,) = result.errors
    assert error.message.startswith(
        "'husregler' är en inställning för mallpaketet, inte för ärendet: den står i "
        "paketets pack.yaml"
    )


MEETING = """\
mall: kommun
organisation: Ekby kommun
diarienummer: SN 2026/1
datum: 2026-03-18
titel: Socialnämndens sammanträde 18 mars 2026
handlingar:
  - typ: kallelse
    organ: Socialnämnden
    plats: Kommunhuset, sal Ljungen
    sammanträdesdatum: 2026-03-18
    tid: "13.00"
    ärenden:
      - titel: Val av justerare
      - titel: Riktlinjer för hemtjänst
        diarienummer: SN 2026/12
        förslag:
          att: [anta riktlinjerna för hemtjänst.]
  - typ: sammanträdesprotokoll
    organ: Socialnämnden
    sammanträde:
      plats: Kommunhuset, sal Ljungen
      datum: 2026-03-18
      från: "13.00"
      ledamöter:
        - {namn: Anna Ek, parti: S, roll: ordförande}
        - {namn: Per Lund, parti: M, roll: ledamot}
      sekreterare: Eva Berg
      justering: {justerare: [Per Lund], datum: 2026-03-20}
    paragrafer:
      - paragraf: 12
        ärende: 1
        beslut:
          att: [utse Per Lund att jämte ordföranden justera protokollet.]
      - paragraf: 13
        ärende: {second}
        beslut:
          att: [anta riktlinjerna för hemtjänst.]
"""


def test_a_protocols_paragraphs_take_their_items_from_the_kallelse(
    write_case: WriteCase,
) -> None:
    """One meeting, one case: the kallelse's föredragningslista, then the protocol whose
    paragraphs name their items (`ärende: 2`) and take title, diarienummer and proposal
    from there instead of typing them again."""
    result = check_file(write_case(MEETING.replace("{second}", "2")))
    assert result.errors == [], result.errors
    assert result.case is not None
    protocol = result.case.handlingar[1]
    first, second = protocol.paragrafer  # type: ignore[union-attr]
    assert (first.titel, second.titel) == ("Val av justerare", "Riktlinjer för hemtjänst")
    assert second.diarienummer == "SN 2026/12"
    assert (
        second.förslag is not None
        and second.förslag.att[0].text == "anta riktlinjerna för hemtjänst."
    )
    assert result.pack and result.computed
    text = document_context(result.case, result.computed, result.pack, 1)["innehåll"].plain_text()
    assert "§ 13 Riktlinjer för hemtjänst" in text.replace("\u00a0", " ")


def test_an_item_the_kallelse_does_not_have_is_an_error_at_the_paragraph(
    write_case: WriteCase,
) -> None:
    text = MEETING.replace("{second}", "7").replace(
        "        ärende: 7\n", "        ärende: 7\n        titel: Riktlinjer för hemtjänst\n"
    )
    result = check_file(write_case(text))
    assert [(d.line, d.message) for d in result.errors] == [
        (35, "kallelsens föredragningslista har inget ärende 7 (den har 1–2)")
    ]


def test_a_paragraph_needs_a_title_of_its_own_or_from_its_item(write_case: WriteCase) -> None:
    text = MEETING.replace("{second}", "2").replace("        ärende: 1\n", "")
    result = check_file(write_case(text))
    assert [(d.line, d.message) for d in result.errors] == [
        (
            30,
            "paragrafen har ingen rubrik: ange `titel`, eller `ärende` med dess nummer på "
            "kallelsens föredragningslista",
        )
    ]


def test_an_extract_of_a_number_typed_with_dnr_says_it_once_and_files_it_without(
    write_case: WriteCase,
) -> None:
    """'Dnr KS/2018:4' as typed, not 'Diarienummer Dnr KS/2018:4'; and the files are named
    by the number alone, as every other case's are."""
    from arendegen.api import render_documents

    source = (CASES / "region-halland/2025/RS250184-utvecklingsmedel-cosmic.yaml").read_text(
        "utf-8"
    )
    result = check_file(
        write_case(
            source.replace("diarienummer: RS250184", "diarienummer: Dnr KS/2018:4").replace(
                "mall: region-halland", "mall: region"
            )
        )
    )
    documents = render_documents(result)
    assert [d.name for d in documents][-1] == "KS-2018-4-protokollsutdrag.docx"
    import io

    from docx import Document as Word

    text = "\n".join(p.text for p in Word(io.BytesIO(documents[-1].docx)).paragraphs)
    assert "Dnr KS/2018:4" in text and "Diarienummer Dnr" not in text
