"""No text in a case or a pack takes more than linear time to check.

Every regular expression that reads user text runs here on 100 000 characters of the
input that is worst for it (long runs of the characters it repeats, then a tail that
fails), through the path a case takes: the loader, every field type of the schema, the
rules over a whole case file, and the output name. A new field type is tried by itself.
A pack's own pattern (`diarienummer_mönster`) runs with RE2, which has no backtracking.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any, get_args, get_origin

import pytest
from click.testing import CliRunner, Result
from pydantic_core import PydanticCustomError

from arendegen import output
from arendegen.cli import cli
from arendegen.loader import load_bytes
from arendegen.packs import BUILTIN
from arendegen.schema import types
from arendegen.validate import check_file
from conftest import within

N = 100_000
"""Characters in each payload: the longest text a field may hold."""
BUDGET = 1.0
"""Seconds per check; a linear pass over N characters takes milliseconds."""

UNITS = [
    *"10_:.,-–aÅ[]*(%! ",
    "1_",
    ":1",
    "1:",
    ":11",
    "1.",
    "1 ",
    " 000",
    "a ",
    "a.",
    "a-",
    "a –",
    "till",
    "till ",
    "jan till ",
    "t.o.m. ",
    "e1",
    "0x",
    "[[",
    "[[a",
    "a]]",
    "1 jan ",
]
"""What the patterns repeat: digits, separators, letters, dashes, month words, brackets."""
PREFIXES = ["", "1", "0", "jan", "[[", "- "]
"""What the patterns expect before the repetition: a number, a month, a mention."""


def payloads() -> Iterator[str]:
    """Each unit repeated after each prefix, to N characters, with a tail no pattern accepts."""
    for prefix in PREFIXES:
        for unit in UNITS:
            yield prefix + unit * ((N - len(prefix) - 1) // len(unit)) + "!"


def readers() -> dict[str, Callable[[Any], Any]]:
    """Every field type of the case format that reads text, by name (found, not listed)."""
    found = {}
    for name, value in vars(types).items():
        if get_origin(value) is Annotated:
            for meta in get_args(value)[1:]:
                if isinstance(meta, types.Reads):
                    found[name] = meta.read
    return found


def case_file(tmp_path: Path, payload: str) -> object:
    """The payload in a case's prose, as its diarienummer and in a table, checked whole."""
    quoted = "'" + payload.replace("'", "''") + "'"
    path = tmp_path / "a.yaml"
    path.write_text(
        f"titel: T\ndiarienummer: {quoted}\ndatum: 2026-01-15\n"
        f"sammanfattning: {quoted}\n"
        "förslag_till_beslut: {organ: N, att: [a]}\nhandlingar: [{typ: tjänsteskrivelse}]\n",
        encoding="utf-8",
    )
    return check_file(path)


def reader_check(read: Callable[[Any], Any]) -> Callable[[Path, str], object]:
    def check(tmp_path: Path, payload: str) -> object:
        try:
            return read(payload)
        except (PydanticCustomError, ValueError) as exc:
            return exc

    return check


CHECKS: dict[str, Callable[[Path, str], object]] = {
    "loader (YAML 1.1 traps on a plain scalar)": lambda tmp_path, payload: load_bytes(
        f"titel: {payload}\n".encode(), file="f.yaml"
    ),
    **{f"field type {name}": reader_check(read) for name, read in readers().items()},
    "rules over a whole case file ([[mentions]])": case_file,
    "output name": lambda tmp_path, payload: output.safe_name(payload),
}


def test_every_field_type_that_reads_text_is_tried() -> None:
    assert {"Line", "Date", "Time", "Integer", "Money", "MoneyUnit", "Party", "PeriodText"} <= set(
        readers()
    )


@pytest.mark.parametrize("name", CHECKS)
def test_no_check_takes_more_than_linear_time(name: str, tmp_path: Path) -> None:
    check = CHECKS[name]
    for payload in payloads():
        with within(BUDGET, f"{name} on {payload[:12]!r}…{payload[-3:]!r}"):
            check(tmp_path, payload)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1" + "_" * (N - 2) + "x", None),
        ("1" + "_1" * 30_000, "läses som talet 1" + "1" * 30_000),
    ],
)
def test_a_long_underscore_number_is_refused_at_once(text: str, message: str | None) -> None:
    with within(BUDGET, text[:10]):
        loaded = load_bytes(f"titel: {text}\n".encode(), file="f.yaml")
    assert [message in d.message for d in loaded.diagnostics] == ([True] if message else [])


def pack_with_pattern(tmp_path: Path, pattern: str) -> Path:
    """A copy of the region pack, `evil`, in a case repository, whose pattern is `pattern`."""
    folder = tmp_path / "templates" / "evil"
    shutil.copytree(BUILTIN / "region", folder)
    pack_yaml = folder / "pack.yaml"
    text = pack_yaml.read_text(encoding="utf-8").replace("namn: region", "namn: evil")
    quoted = "'" + pattern.replace("'", "''") + "'"
    pack_yaml.write_text(f"{text}diarienummer_mönster: {quoted}\n", encoding="utf-8")
    return pack_yaml


def validate_with_pattern(tmp_path: Path, pattern: str, diarienummer: str) -> Result:
    """`arendegen validate`, run in `tmp_path`, of a case with `diarienummer` in a pack with
    `pattern`."""
    pack_with_pattern(tmp_path, pattern)
    (tmp_path / "a.yaml").write_text(
        f"mall: evil\ntitel: T\ndiarienummer: {diarienummer}\ndatum: 2026-01-15\n"
        "förslag_till_beslut: {organ: N, att: [a]}\nhandlingar: [{typ: tjänsteskrivelse}]\n",
        encoding="utf-8",
    )
    return CliRunner().invoke(cli, ["validate", "a.yaml"])


@pytest.mark.parametrize(
    ("pattern", "diarienummer"),
    [
        ("(a+)+$", "a" * 43 + "!"),
        ("(a|aa)+", "a" * 250 + "!"),
        ("(.*a){20}", "a" * 100 + "!"),
        ("(x+x+)+y", "x" * 250),
    ],
)
def test_a_packs_pattern_runs_in_linear_time(
    pattern: str, diarienummer: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    validate_with_pattern(tmp_path, pattern, "a")  # the pack and its templates, read once
    (tmp_path / "a.yaml").write_text(
        (tmp_path / "a.yaml")
        .read_text("utf-8")
        .replace("diarienummer: a\n", f"diarienummer: {diarienummer}\n"),
        encoding="utf-8",
    )
    with within(BUDGET, pattern):
        result = CliRunner().invoke(cli, ["validate", "a.yaml"])
    assert result.exit_code == 1
    assert "a.yaml:3:15: fel[AG303]: diarienummer: '" in result.stdout
    assert "följer inte mallens mönster för diarienummer" in result.stdout


@pytest.mark.parametrize(
    ("pattern", "why"),
    [
        (r"([A-Z])\1 \d+", "bakåtreferenser som \\1"),
        (r"(?P<o>[A-Z]+) (?P=o)", "bakåtreferenser som (?P=namn)"),
        (r"(?=RS)\w+", "lookahead och lookbehind"),
        (r"(?<!X)RS\d+", "lookahead och lookbehind"),
        (r"RS\d{2000}", "upprepningar med fler än 1000"),
    ],
)
def test_a_pattern_re2_cannot_run_is_an_error_at_its_key(
    pattern: str, why: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = validate_with_pattern(tmp_path, pattern, "RS 1")
    assert result.exit_code == 1
    line = len(pack_with_pattern(tmp_path / "again", pattern).read_text("utf-8").splitlines())
    expected = (
        f"templates/evil/pack.yaml:{line}:23: fel[AG531]: diarienummer_mönster: '{pattern}': "
        f"mallarnas mönster körs med RE2, som matchar i linjär tid och därför saknar {why}"
    )
    assert expected in result.stdout, result.stdout
    assert result.stderr.count("\n") == 1  # the summary only: RE2 prints nothing of its own


def test_a_pattern_that_re2_can_run_still_checks_the_diarienummer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert validate_with_pattern(tmp_path, r"RS \d+", "RS 12").exit_code == 0
