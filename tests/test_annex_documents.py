"""A bilaga with a body of its own (issue 17): its own title, sections and tables under the
case's diarienummer, instead of a copy of the case's proposal; `[[bilaga:N]]` in any text
is checked against `bilagor`."""

from __future__ import annotations

import subprocess
from pathlib import Path

from click.testing import CliRunner

from arendegen.cli import cli
from arendegen.validate import check_file
from conftest import WriteCase, own_pack

CASE = """\
mall: kommun
titel: Lokalförsörjningsplan 2026–2030
diarienummer: KS 2025/12
datum: 2025-05-02
förslag_till_beslut:
  organ: Kommunstyrelsen
  att:
    - {text: anta lokalförsörjningsplanen 2026–2030., bilaga: 1}
sammanfattning: Planen beskriver behoven av lokaler ([[bilaga:1]]).
bilagor:
  - {titel: Lokalförsörjningsplan 2026–2030, handling: plan}
tabeller:
  hyror:
    typ: tabell
    rubrik: Hyra per verksamhet
    enhet: tkr
    kolumner: [{id: hyra, rubrik: Hyra per år}]
    rader:
      - {rubrik: Skola, belopp: {hyra: 12400}}
      - {rubrik: Omsorg, belopp: {hyra: 3100}}
      - {rubrik: Summa, roll: summa}
handlingar:
  - typ: tjänsteskrivelse
  - typ: bilaga
    id: plan
    bilaga: 1
    titel: Lokalförsörjningsplan 2026–2030
    avsnitt:
      - {rubrik: Inledning, text: Planen gäller kommunens egna verksamheter.}
      - {rubrik: Hyror, text: Hyrorna fördelas så här., tabeller: [hyror]}
      - text: Planen revideras varje år.
"""


def test_a_bilaga_has_its_own_body_and_not_the_cases_proposal(
    write_case: WriteCase, tmp_path: Path
) -> None:
    path = write_case(CASE)
    result = check_file(path)
    assert result.diagnostics == [], result.diagnostics
    out = tmp_path / "ut"
    done = CliRunner().invoke(cli, ["build", str(path), "--out", str(out), "--format", "pdf"])
    assert done.exit_code == 0, done.output
    text = subprocess.run(
        ["pdftotext", "-layout", str(out / "KS-2025-12-plan.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    assert "Bilaga 1" in lines[1]
    assert "KS 2025/12" in text
    body = lines[lines.index("Lokalförsörjningsplan 2026–2030") :]
    assert body[:5] == [
        "Lokalförsörjningsplan 2026–2030",
        "Inledning",
        "Planen gäller kommunens egna verksamheter.",
        "Hyror",
        "Hyrorna fördelas så här.",
    ]
    assert "Summa 15 500" in body
    assert "Planen revideras varje år." in body
    assert not any("beslutar" in line or "Förslag till beslut" in line for line in body)
    memo = subprocess.run(
        ["pdftotext", str(out / "KS-2025-12-tjänsteskrivelse.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Planen beskriver behoven av lokaler (bilaga 1)." in " ".join(memo.split())


def test_a_mention_of_a_bilaga_that_does_not_exist_is_an_error(write_case: WriteCase) -> None:
    result = check_file(write_case(CASE.replace("[[bilaga:1]]", "[[bilaga:2]]")))
    assert [(d.line, d.path, d.message) for d in result.errors] == [
        (9, "sammanfattning.text", "[[bilaga:2]]: det finns ingen Bilaga 2 under `bilagor`")
    ]
    unnumbered = check_file(
        write_case(CASE.replace("    bilaga: 1\n    titel: Lokal", "    titel: Lokal"))
    )
    assert [(d.path, d.message.split(" (")[0]) for d in unnumbered.errors] == [
        ("handlingar[1].bilaga", "nyckeln 'bilaga' saknas")
    ]


def test_a_plan_says_which_decision_adopted_it(write_case: WriteCase) -> None:
    from arendegen.context import document_context

    text = CASE.replace(
        "    titel: Lokalförsörjningsplan 2026–2030\n    avsnitt:",
        "    titel: Lokalförsörjningsplan 2026–2030\n"
        "    antagen: {organ: Kommunfullmäktige, datum: 2025-06-16, paragraf: 88}\n"
        "    avsnitt:",
    )
    result = check_file(write_case(text))
    assert result.diagnostics == [], result.diagnostics
    assert result.case and result.pack and result.computed
    body = document_context(result.case, result.computed, result.pack, 1)["innehåll"]
    lines = body.plain_text().split("\n")
    title = lines.index("Lokalförsörjningsplan 2026–2030")
    assert lines[title + 1] == "Antagen av kommunfullmäktige 2025-06-16, §\u00a088"


POLICY = """\
mall: kommun
organisation: Ekby kommun
diarienummer: KS 2025/40
datum: 2025-06-16
titel: Plan för fossilfria transporter 2026–2030
handlingar:
  - typ: styrdokument
    slag: Plan
    antagen: {organ: Kommunfullmäktige, datum: 2025-06-16, paragraf: 88}
    innehållsförteckning: true
    avsnitt:
      - rubrik: Inledning
        text: |
          {long}
      - rubrik: Mål
        text: |
          {long}

          ### Mål för kommunens fordon

          {long}
      - rubrik: Uppföljning
        text: |
          Planen följs upp varje år i årsredovisningen.
"""


def test_a_plan_has_a_cover_and_a_table_of_contents_with_the_real_page_numbers(
    write_case: WriteCase, tmp_path: Path
) -> None:
    """A styrdokument: 'Plan' over its title and the decision that adopted it on the cover,
    the table of contents on a page of its own, and each heading's page number the page it
    is printed on in the PDF (LibreOffice computes it as it lays out the pages)."""
    long = " ".join(["Kommunens transporter ska vara fria från fossila bränslen."] * 90)
    path = write_case(POLICY.replace("{long}", long))
    out = tmp_path / "out"
    done = CliRunner().invoke(cli, ["build", str(path), "--out", str(out), "--format", "pdf"])
    assert done.exit_code == 0, done.output
    text = subprocess.run(
        ["pdftotext", str(out / "KS-2025-40-styrdokument.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pages = text.split("\f")
    assert "Plan" in pages[0] and "Antagen av kommunfullmäktige 2025-06-16, § 88" in pages[0]
    assert "Inledning" not in pages[0]  # the cover holds only the title and the decision
    contents = pages[1].splitlines()
    assert contents[contents.index("Innehåll") + 1 :][:4] and "Innehåll" in pages[1]
    listed = {}
    for line in contents:
        title, dots, number = line.rpartition(".")
        if dots and number.strip().isdigit():
            listed[title.rstrip(".")] = int(number)
    assert list(listed) == ["Inledning", "Mål", "Mål för kommunens fordon", "Uppföljning"]
    for title, page in listed.items():
        body = [p.splitlines() for p in pages]
        printed_on = next(i + 1 for i in range(2, len(pages)) if title in body[i])
        assert page == printed_on, (title, page, printed_on)
    assert listed["Inledning"] == 3 and listed["Uppföljning"] > listed["Inledning"]


def test_a_table_of_contents_the_layout_does_not_show_is_a_warning(
    write_case: WriteCase, tmp_path: Path
) -> None:
    layout = "layouter:\n  styrdokument:\n    block: [titel, egna_avsnitt]\n"
    templates = own_pack(tmp_path, "utan-innehall", layout)
    text = POLICY.replace("{long}", "Text.").replace("mall: kommun", "mall: utan-innehall")
    result = check_file(write_case(text), templates=[templates])
    assert [(d.line, d.message) for d in result.warnings] == [
        (
            9,
            "beslutet som antog dokumentet visas inte: styrdokument (utan-innehall) har inget "
            "block 'antagen' för det",
        ),
        (
            10,
            "innehållsförteckningen visas inte: styrdokument (utan-innehall) har inget block "
            "'innehållsförteckning' för det",
        ),
    ]
