"""A case repository as an attacker leaves it: settings and output folders that are links,
folders nested past any sense, names that would be commands in a CI log (issue 14, a fresh
attack run after items 7–11 and 20)."""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from arendegen.cli import cli
from arendegen.errors import reason
from arendegen.loader import load_file
from conftest import CASES


def run(*args: str) -> Result:
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    return result


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A repository with one seed case in cases/, worked in as the current folder."""
    root = tmp_path / "repo"
    (root / "cases").mkdir(parents=True)
    shutil.copy(CASES / "region" / "2024" / "RS-577-2024-fvis-underskott.yaml", root / "cases")
    monkeypatch.chdir(root)
    yield root


def test_settings_linked_out_of_the_repository_are_not_read_or_quoted(
    repo: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("token: hemligt-värde-123\n", encoding="utf-8")
    (repo / "arendegen.yaml").symlink_to(secret)
    for command in (["validate"], ["build", "--format", "docx"]):
        result = run(*command)
        assert result.exit_code == 2
        assert "hemligt-värde-123" not in result.output
        assert "arendegen.yaml är en länk som leder ut ur ärenderepot" in result.output
    assert not (repo / "output").exists()


def test_settings_that_are_no_regular_file_do_not_hang(repo: Path) -> None:
    os.mkfifo(repo / "arendegen.yaml")
    result = run("validate")
    assert result.exit_code == 2
    assert "arendegen.yaml är ingen vanlig fil" in result.output


def test_settings_linked_inside_the_repository_are_read(repo: Path) -> None:
    (repo / "inställningar.yaml").write_text("ut: ut\n", encoding="utf-8")
    (repo / "arendegen.yaml").symlink_to("inställningar.yaml")
    assert run("build", "--format", "docx").exit_code == 0
    assert list((repo / "ut").rglob("*.docx"))


def test_a_committed_output_link_out_of_the_repository_is_not_written_through(
    repo: Path, tmp_path: Path
) -> None:
    """Without settings the default output folder is the repository's `output`; a pull
    request can commit it as a link. Only --out may send documents out of the repository."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (repo / "output").symlink_to(elsewhere)
    result = run("build", "--format", "docx")
    assert result.exit_code == 2
    assert "utmappen output leder ut ur ärenderepot" in result.output
    assert list(elsewhere.iterdir()) == []
    assert run("build", "--format", "docx", "--out", "output").exit_code == 0
    assert list(elsewhere.rglob("*.docx"))


def _nest(root: Path, depth: int) -> Path:
    # one long relative path at a time: a path of 1 000 levels is longer than PATH_MAX
    here = os.open(root, os.O_RDONLY)
    try:
        for _ in range(depth):
            os.mkdir("d", dir_fd=here)
            inner = os.open("d", os.O_RDONLY, dir_fd=here)
            os.close(here)
            here = inner
    finally:
        os.close(here)
    return root


def _unnest(root: Path) -> None:
    """Remove what _nest made, from the bottom up (shutil.rmtree, and so pytest's clean-up of
    old temporary folders, recurses and would fail on it)."""
    fds = [os.open(root, os.O_RDONLY)]
    while "d" in os.listdir(fds[-1]):
        fds.append(os.open("d", os.O_RDONLY, dir_fd=fds[-1]))
    fds.pop()
    while fds:
        here = fds.pop()
        os.rmdir("d", dir_fd=here)
        os.close(here)


@pytest.fixture
def nested() -> Iterator[list[Path]]:
    made: list[Path] = []
    yield made
    for root in made:
        _unnest(root)


def test_folders_nested_a_thousand_deep_are_reported_not_a_traceback(
    repo: Path, nested: list[Path]
) -> None:
    nested.append(_nest(repo / "cases", 1_000))
    result = run("validate")
    assert result.exit_code == 1
    assert "mappen ligger mer än 64 nivåer ner" in result.output
    assert "RecursionError" not in result.output
    built = run("build", "--format", "docx")
    assert built.exit_code == 1
    assert list((repo / "output").rglob("*.docx"))  # the case higher up is built


def test_a_pack_nested_a_thousand_deep_still_builds(repo: Path, nested: list[Path]) -> None:
    from arendegen.packs import BUILTIN

    shutil.copytree(BUILTIN / "region", repo / "templates" / "region")
    nested.append(_nest(repo / "templates" / "region", 1_000))
    assert run("build", "--format", "docx").exit_code == 0


def test_a_folder_name_cannot_start_a_command_line_in_a_ci_log(repo: Path) -> None:
    folder = repo / "cases" / "a\n::stop-commands::tyst\n::notice title=Granskat::Godkänt"
    folder.mkdir()
    shutil.move(repo / "cases" / "RS-577-2024-fvis-underskott.yaml", folder)
    (folder / "trasig.yaml").write_text("titel: [\n", encoding="utf-8")
    for args in (["validate", "--output-format", "text"], ["build", "--format", "docx"]):
        result = run(*args)
        lines = (result.stdout + result.stderr).splitlines()
        assert not [line for line in lines if line.lstrip().startswith("::")], lines
        assert any("\\n::stop-commands::" in line for line in lines), lines


def test_the_systems_reasons_are_given_in_swedish(tmp_path: Path) -> None:
    assert reason(OSError(errno.ENOSPC, "No space left on device")) == "disken är full"
    assert reason(OSError(errno.EROFS, "Read-only file system")) == "filsystemet är skrivskyddat"
    folder = tmp_path / "mapp.yaml"
    folder.mkdir()
    loaded = load_file(folder)
    assert [d.message for d in loaded.diagnostics] == [
        "filen kan inte läsas: är en mapp, inte en fil"
    ]
