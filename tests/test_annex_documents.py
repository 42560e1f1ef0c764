"""A bilaga with a body of its own (issue 17): its own title, sections and tables under the
case's diarienummer, instead of a copy of the case's proposal; `[[bilaga:N]]` in any text
is checked against `bilagor`."""

from __future__ import annotations

import subprocess
from pathlib import Path

from click.testing import CliRunner

from arendegen.cli import cli
from arendegen.validate import check_file
from conftest import WriteCase

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
