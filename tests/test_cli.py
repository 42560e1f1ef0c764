"""The command line as a user and a CI pipeline call it: exit codes, formats, skeletons."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from arendegen.cli import cli
from arendegen.results import find_case_files
from arendegen.skeleton import FILES
from arendegen.validate import check_file
from conftest import CASES, ROOT, WriteCase


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_validate_seed_cases_exits_0_with_warnings_listed() -> None:
    code, out, err = run("validate", str(CASES))
    assert code == 0
    assert "varning[AG304]: titel: ärendet har inget datum" in out
    # The seeds lack dates and paragraph numbers (10 warnings); the written examples lack nothing.
    n = len(find_case_files([CASES]))
    assert f"{n} ärenden kontrollerade: {n} godkända, 0 underkända (0 fel, 10 varningar)" in err


def test_strict_makes_warnings_fail() -> None:
    code, _, err = run("validate", "--strict", str(CASES / "region"))
    assert code == 1
    assert "3 ärenden kontrollerade: 0 godkända, 3 underkända" in err


def test_any_error_exits_1(write_case: WriteCase) -> None:
    good = write_case(
        "titel: T\nförslag_till_beslut: {organ: N, att: [a]}\nhandlingar: [{typ: tjänsteskrivelse}]\n"
    )
    bad = write_case("titel: T\nhandlingar: [{typ: okänd}]\n")
    code, out, err = run("validate", str(good), str(bad))
    assert code == 1
    assert f"{bad}:2:20: fel[AG203]: handlingar[0].typ: 'okänd' är inte tillåtet här" in out
    assert "2 ärenden kontrollerade: 1 godkänt, 1 underkänt" in err


def test_json_output_is_machine_readable(write_case: WriteCase) -> None:
    bad = write_case("titel: T\ntitel: U\nhandlingar: []\n")
    code, out, _ = run("validate", "--output-format", "json", str(bad))
    assert code == 1
    (first, *_) = json.loads(out)
    assert first == {
        "file": str(bad),
        "line": 2,
        "column": 1,
        "severity": "fel",
        "path": "titel",
        "message": "nyckeln 'titel' finns redan på rad 1; YAML skulle tyst behålla bara det sista "
        "värdet, så ta bort eller slå ihop den ena",
        "code": "AG120",
        "level": "error",
    }


def test_missing_path_is_a_usage_error() -> None:
    code, _, err = run("validate", "finns-inte")
    assert code == 2
    assert "arendegen: finns-inte: finns inte" in err


def test_folder_without_cases_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = run("validate", str(tmp_path))
    assert code == 2
    assert "inga ärendefiler" in err


def test_unknown_option_is_a_usage_error() -> None:
    assert run("validate", "--nope")[0] == 2


@pytest.mark.parametrize("kind", sorted(FILES))
def test_new_writes_a_skeleton_that_validates_cleanly(kind: str, tmp_path: Path) -> None:
    target = tmp_path / "nytt.yaml"
    code, _, _ = run("new", kind, str(target))
    assert code == 0
    text = target.read_text(encoding="utf-8")
    assert "# Ärendets titel så som den står överst i handlingen.\ntitel:" in text
    result = check_file(target)
    assert result.diagnostics == []
    assert result.case is not None and result.case.handlingar[0].typ == kind
    # a time is text: unquoted, YAML (and an editor's schema check) would read 13.00 as 13.0
    assert not re.search(r"(från|till|tid): \d", text), text


def test_new_never_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "finns.yaml"
    target.write_text("mitt arbete\n", encoding="utf-8")
    code, _, err = run("new", "tjänsteskrivelse", str(target))
    assert code == 2
    assert "finns redan" in err
    assert target.read_text(encoding="utf-8") == "mitt arbete\n"


def test_new_unknown_kind(tmp_path: Path) -> None:
    code, _, err = run("new", "protokoll", str(tmp_path / "x.yaml"))
    assert code == 2
    assert "okänd sorts handling 'protokoll'" in err
    assert not (tmp_path / "x.yaml").exists()


def test_schema_is_json_schema_with_swedish_descriptions() -> None:
    code, out, _ = run("schema")
    assert code == 0
    schema = json.loads(out)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["properties"]["diarienummer"]["description"].startswith("Diarienumret")
    assert set(schema["required"]) == {"titel", "handlingar"}


def test_python_dash_m_runs_the_same_cli() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [sys.executable, "-m", "arendegen", "validate", "cases/region-halland"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert "1 ärende kontrollerat: 1 godkänt" in done.stderr


def test_quiet_prints_only_the_diagnostics_and_verbose_names_every_case(tmp_path: Path) -> None:
    case = tmp_path / "a.yaml"
    case.write_text(
        (CASES / "examples" / "kf-2025-investering-forskola.yaml").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    bad = tmp_path / "b.yaml"
    bad.write_text("titel: x\nhandlingar:\n  - typ: tjänsteskrivelse\n    färg: blå\n", "utf-8")
    code, out, err = run("validate", "-q", str(case), str(bad))
    assert code == 1 and err == "" and "okänd nyckel 'färg'" in out
    code, out, err = run("validate", "-v", str(case), str(bad))
    assert f"godkänt: {case}" in err and f"fel: {bad}" in err and "2 ärenden kontrollerade" in err
    code, _, err = run("build", "-q", "--format", "docx", "--out", str(tmp_path / "ut"), str(case))
    assert code == 0 and err == ""
    code, _, err = run("build", "-v", "--format", "docx", "--out", str(tmp_path / "ut"), str(case))
    assert code == 0 and "oförändrad " in err and "KS-2025-95-ärende.docx" in err


def _commands(command: click.Command, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    yield path
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            yield from _commands(sub, (*path, name))


ENGLISH = re.compile(
    r"Usage|Options|Commands|Show (this|the)|default:|\[OPTIONS\]|COMMAND|\bPATHS?\b"
    r"|FOLDER|Error|Invalid|No such|Missing|Try '|INTEGER|FLOAT|RANGE|\bTEXT\b"
)


def test_help_and_usage_errors_are_swedish_throughout() -> None:
    """click's own words too: 'Användning:', 'Flaggor', 'Fel: Ogiltigt värde för …'."""
    for path in _commands(cli):
        code, out, _ = run(*path, "--help")
        assert code == 0
        assert out.startswith(" ".join(("Användning: cli", *path, "[FLAGGOR]")))
        assert not ENGLISH.search(out), (path, ENGLISH.search(out))
    code, _, err = run("build", "--pdf", "pdfa")
    assert code == 2
    assert "Fel: Ogiltigt värde för '--pdf': 'pdfa' är inte en av 'archive', 'plain'." in err
    code, _, err = run("build", "--format", "docx,odf")
    assert code == 2
    assert "'docx,odf' är inget format; ange ett eller flera av docx, pdf, odt" in err
    assert "Skriv 'cli build --help' för hjälp." in err
    assert "Flaggan '--outt' finns inte. (Menade du en av: '--out'" in run("build", "--outt")[2]
    assert "Fel: Kommandot 'bygg' finns inte." in run("bygg")[2]
    assert not ENGLISH.search(run("new")[2])


def test_every_word_click_asks_for_has_swedish() -> None:
    """Read from click's source: a new click version with new words fails here."""
    import ast

    from arendegen import click_sv

    asked: set[str] = set()
    for name in click_sv.MODULES:
        source = Path(click.__file__).with_name(f"{name}.py")
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in {"_", "ngettext"}:
                first = node.args[0] if node.args else None
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    asked.add(first.value)
    assert len(asked) > 60
    assert asked - set(click_sv.WORDS) - set(click_sv.PLURALS) == set()
