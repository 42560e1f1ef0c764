"""Broken cases: one file per rule in tests/broken/, each message pinned at its line.

tests/broken/expected.txt is the reviewed output of `arendegen validate tests/broken`;
`scripts/update-golden` regenerates it, and its diff is read before it is committed.
"""

from __future__ import annotations

from pathlib import Path

from arendegen.diagnostics import render
from arendegen.loader import MAX_FILE_BYTES
from arendegen.validate import check_file, check_paths
from conftest import ROOT

BROKEN = ROOT / "tests" / "broken"


def relative(results: list) -> list[str]:  # type: ignore[type-arg]
    return [d.as_text().replace(str(ROOT) + "/", "") for r in results for d in r.diagnostics]


def test_every_message_is_the_one_reviewed(monkeypatch: object) -> None:
    import os

    os.chdir(ROOT)
    results = check_paths([Path("tests/broken")])
    expected = (BROKEN / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert render([d for r in results for d in r.diagnostics], "text").splitlines() == expected


def test_every_broken_file_has_an_error() -> None:
    for path in sorted(BROKEN.glob("*.yaml")):
        result = check_file(path)
        assert result.errors, path.name
        assert result.computed is None or result.errors


def test_each_rule_has_its_file() -> None:
    names = {p.stem for p in BROKEN.glob("*.yaml")}
    assert {
        "dubbel-nyckel",
        "utanfor-granserna",
        "yaml11-fallor",
        "decimalkomma-i-klammer",
        "tabb",
        "styrtecken",
        "syntaxfel",
        "okanda-nycklar",
        "saknade-nycklar",
        "tom-att-sats",
        "datum-ordning",
        "diarienummer-monster",
        "protokoll-ofullstandigt",
        "tom-sandlista",
        "fel-summor",
        "underskott",
        "tidrapport",
        "belopp-utan-enhet",
        "ogiltiga-varden",
    } <= names


def test_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("titel: Ärende\nhandläggare: Göran\n".encode("latin-1"))
    (diag,) = check_file(path, display="latin1.yaml").diagnostics
    assert diag.as_text() == (
        "latin1.yaml:1:8: fel[AG103]: filen är inte UTF-8 (byte 0xC4 kan inte avkodas); spara den som UTF-8"
    )


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "stor.yaml"
    path.write_bytes(b"# " + b"x" * MAX_FILE_BYTES + b"\n")
    (diag,) = check_file(path, display="stor.yaml").diagnostics
    assert diag.message.startswith("filen är 1 048 579 byte; gränsen är 1 048 576 byte")


def test_unreadable_file_is_a_diagnostic(tmp_path: Path) -> None:
    (diag,) = check_file(tmp_path, display="mapp.yaml").diagnostics
    assert diag.message.startswith("filen kan inte läsas")
