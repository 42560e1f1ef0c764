"""A case repository made by `arendegen init`, built the way CI builds it on every push."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from arendegen.cli import cli
from conftest import CASES, ROOT

BROKEN = "titel: Trasig\nhandlingar:\n  - typ: tjänsteskrivelse\n    färg: blå\n"


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), env=env)


@pytest.fixture
def repo(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "arenden"
    assert run("init", str(folder)).exit_code == 0
    old = Path.cwd()
    os.chdir(folder)
    try:
        yield folder
    finally:
        os.chdir(old)


def outputs(repo: Path) -> dict[str, int]:
    return {
        p.relative_to(repo / "output").as_posix(): p.stat().st_mtime_ns
        for p in (repo / "output").rglob("*")
        if p.is_file() and p.name != ".arendegen-manifest.json"
    }


def test_init_makes_a_repository_whose_examples_build(repo: Path) -> None:
    assert (repo / "arendegen.yaml").is_file()
    assert sorted(p.name for p in (repo / "cases" / "exempel").iterdir()) == [
        "budgetavvikelse.yaml",
        "ersattningsmodell.yaml",
        "protokollsutdrag.yaml",
        "tjansteskrivelse.yaml",
        "utvecklingsmedel.yaml",
    ]
    assert "output/" in (repo / ".gitignore").read_text(encoding="utf-8")
    result = run("build", "--format", "docx")
    assert result.exit_code == 0, result.output
    assert len(outputs(repo)) == 5


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "mitt.txt").write_text("viktigt", encoding="utf-8")
    result = run("init", str(tmp_path))
    assert result.exit_code == 2
    assert "inte tom" in result.stderr
    (tmp_path / "README.md").write_text("min egen", encoding="utf-8")
    assert run("init", "--existing", str(tmp_path)).exit_code == 0
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == "min egen"
    assert (tmp_path / "mitt.txt").read_text(encoding="utf-8") == "viktigt"
    assert (tmp_path / "arendegen.yaml").is_file()


def test_settings_file_gives_the_defaults(repo: Path) -> None:
    config = repo / "arendegen.yaml"
    config.write_text(
        config.read_text(encoding="utf-8")
        .replace("ut: output", "ut: dokument")
        .replace("format: docx,pdf", "format: docx"),
        encoding="utf-8",
    )
    assert run("build").exit_code == 0
    assert len(list((repo / "dokument").rglob("*.docx"))) == 5
    assert not list((repo / "dokument").rglob("*.pdf"))


def test_second_build_writes_nothing_and_touching_a_case_rebuilds_only_it(repo: Path) -> None:
    assert run("build", "--format", "docx").exit_code == 0
    first = outputs(repo)
    again = run("build", "--format", "docx")
    assert again.exit_code == 0
    assert "0 filer skrivna, 5 oförändrade" in again.stderr
    assert outputs(repo) == first
    case = repo / "cases" / "exempel" / "tjansteskrivelse.yaml"
    case.write_text(
        case.read_text(encoding="utf-8").replace("Titel på ärendet", "Ny titel"), encoding="utf-8"
    )
    third = run("build", "--format", "docx")
    assert "1 fil skriven, 4 oförändrade" in third.stderr
    changed = {k for k, v in outputs(repo).items() if first.get(k) != v}
    assert changed == {"exempel/RS-123-2026-tjänsteskrivelse.docx"}


def test_deleting_a_case_removes_only_its_outputs(repo: Path) -> None:
    assert run("build", "--format", "docx").exit_code == 0
    (repo / "output" / "egen-anteckning.txt").write_text("min", encoding="utf-8")
    (repo / "cases" / "exempel" / "budgetavvikelse.yaml").unlink()
    result = run("build", "--format", "docx")
    assert result.exit_code == 0
    assert "1 borttagen" in result.stderr
    left = set(outputs(repo))
    assert "exempel/RS-124-2026-budgetavvikelse.docx" not in left
    assert len(left) == 5  # four documents and the user's own note


def test_a_broken_case_fails_while_the_rest_build_and_its_outputs_stay(repo: Path) -> None:
    assert run("build", "--format", "docx").exit_code == 0
    before = outputs(repo)
    case = repo / "cases" / "exempel" / "tjansteskrivelse.yaml"
    case.write_text(BROKEN, encoding="utf-8")
    other = repo / "cases" / "exempel" / "ersattningsmodell.yaml"
    other.write_text(
        other.read_text(encoding="utf-8").replace("Ersättningsmodell för programmet", "Ny modell"),
        encoding="utf-8",
    )
    result = run("build", "--format", "docx")
    assert result.exit_code == 1
    assert "1 fil skriven" in result.stderr and "1 ärende med fel" in result.stderr
    after = outputs(repo)
    assert (
        after["exempel/RS-123-2026-tjänsteskrivelse.docx"]
        == before["exempel/RS-123-2026-tjänsteskrivelse.docx"]
    )
    assert (
        after["exempel/RS-126-2026-ersättningsmodell.docx"]
        != before["exempel/RS-126-2026-ersättningsmodell.docx"]
    )


def test_github_annotations_point_at_file_and_line(repo: Path) -> None:
    (repo / "cases" / "trasig.yaml").write_text(BROKEN, encoding="utf-8")
    for result in (
        run("validate", "--output-format", "github"),
        run("validate", env={"GITHUB_ACTIONS": "true"}),
    ):
        assert result.exit_code == 1
        assert (
            "::error file=cases/trasig.yaml,line=4,col=5::handlingar[0].färg: okänd nyckel 'färg'"
            in result.stdout
        )


def test_workflow_and_hook_configs_run_arendegen() -> None:
    workflow = yaml.safe_load(
        (ROOT / "src/arendegen/repo_template/arendegen-workflow.yml").read_text(encoding="utf-8")
    )
    steps = workflow["jobs"]["dokument"]["steps"]
    commands = " ".join(step.get("run", "") for step in steps)
    assert "arendegen validate cases/" in commands
    assert "arendegen build cases/ --out output/" in commands
    assert "libreoffice-writer-nogui" in commands
    assert any(step.get("uses", "").startswith("actions/upload-artifact") for step in steps)
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hooks[0]["id"] == "arendegen-validate"
    assert hooks[0]["entry"] == "arendegen validate"
    local = yaml.safe_load(
        (ROOT / "src/arendegen/repo_template/pre-commit-config.yaml").read_text(encoding="utf-8")
    )
    assert local["repos"][0]["hooks"][0]["entry"] == "arendegen validate"


def test_pdf_rebuild_of_an_unchanged_repository_converts_nothing(repo: Path) -> None:
    assert run("build").exit_code == 0
    first = outputs(repo)
    result = run("build")
    assert "0 filer skrivna, 10 oförändrade" in result.stderr
    assert outputs(repo) == first


def test_serial_and_parallel_builds_give_identical_files(repo: Path) -> None:
    assert run("build", "--jobs", "1", "--out", "serial").exit_code == 0
    assert run("build", "--jobs", "2", "--out", "parallel").exit_code == 0
    serial = {
        p.relative_to(repo / "serial"): p.read_bytes()
        for p in (repo / "serial").rglob("*")
        if p.is_file()
    }
    parallel = {
        p.relative_to(repo / "parallel"): p.read_bytes()
        for p in (repo / "parallel").rglob("*")
        if p.is_file()
    }
    assert len(serial) == 11  # 5 .docx, 5 .pdf, the manifest
    assert serial == parallel


def test_a_case_built_from_two_working_folders_is_the_same_case(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Built once from outside the repository and once from inside it, after an edit, the
    case is rebuilt, not refused as 'another case' with its own name; nothing is removed."""
    from arendegen.pipeline import Options, build

    repo = tmp_path / "repo"
    (repo / "cases").mkdir(parents=True)
    source = CASES / "examples" / "sn-2025-delegationsbeslut.yaml"
    case = repo / "cases" / "a.yaml"
    case.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    options = Options(formats=("docx",))
    monkeypatch.chdir(tmp_path)
    first = build([Path("repo/cases")], Path("repo/output"), options=options)
    assert first.failed == [] and len(first.written) == 1
    text = case.read_text(encoding="utf-8")
    case.write_text(re.sub(r"(?m)^titel: .*$", "titel: Ny titel", text), encoding="utf-8")
    monkeypatch.chdir(repo)
    second = build([Path("cases")], Path("output"), options=options)
    assert second.failed == [], [r.errors for r in second.failed]
    assert second.written == first.written and second.removed == []
    monkeypatch.chdir(tmp_path / "repo" / "cases")
    third = build([Path(".")], Path("../output"), options=options)
    assert third.failed == [] and third.removed == [] and third.unchanged == first.written


def test_a_case_built_alone_and_then_with_its_folder_has_its_output_where_the_folder_puts_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build of one case file puts its output at the top of the output folder; a later
    build of the whole folder must put it back in its subfolder, not call it unchanged."""
    from arendegen.pipeline import Options, build

    (tmp_path / "cases" / "del").mkdir(parents=True)
    source = CASES / "examples" / "sn-2025-delegationsbeslut.yaml"
    case = tmp_path / "cases" / "del" / "a.yaml"
    case.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    options = Options(formats=("docx",))
    build([Path("cases")], Path("output"), options=options)
    nested = tmp_path / "output" / "del" / "SN-2025-41-delegationsbeslut.docx"
    assert nested.is_file()
    case.write_text(case.read_text(encoding="utf-8") + "# ändrad\n", encoding="utf-8")
    build([case.relative_to(tmp_path)], Path("output"), options=options)
    again = build([Path("cases")], Path("output"), options=options)
    assert again.failed == []
    assert nested.is_file(), (again.written, again.unchanged, again.removed)
