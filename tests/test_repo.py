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


DOCUMENTS = 18
"""What the examples `init` writes make: one document of each kind, two for the case with a
bilaga of its own and for the meeting whose protocol and kallelse share their items."""


def outputs(repo: Path) -> dict[str, int]:
    return {
        p.relative_to(repo / "output").as_posix(): p.stat().st_mtime_ns
        for p in (repo / "output").rglob("*")
        if p.is_file() and p.name != ".arendegen-manifest.json"
    }


def test_init_makes_a_repository_whose_examples_build(repo: Path) -> None:
    """An example of every kind of document, each naming the schema file for editors, and
    editor settings that give every case the schema; they all validate and build."""
    import json

    from arendegen.schema.documents import DOCUMENT_KINDS

    assert (repo / "arendegen.yaml").is_file()
    examples = sorted((repo / "cases" / "exempel").iterdir())
    assert len(examples) == len(DOCUMENT_KINDS)
    assert "sammantradesprotokoll.yaml" in [p.name for p in examples]
    for example in examples:
        lines = example.read_text(encoding="utf-8").splitlines()
        assert lines[0] == "# yaml-language-server: $schema=../../arendegen.schema.json"
        assert "mall: region" in lines  # the repository's pack (arendegen.yaml)
    schema = json.loads((repo / "arendegen.schema.json").read_text(encoding="utf-8"))
    assert schema["title"] == "arendegen: ärendefil"
    settings = json.loads((repo / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    assert settings["yaml.schemas"] == {
        "./arendegen.schema.json": ["cases/**/*.yaml", "cases/**/*.yml"]
    }
    assert "output/" in (repo / ".gitignore").read_text(encoding="utf-8")
    assert run("validate").exit_code == 0
    result = run("build", "--format", "docx")
    assert result.exit_code == 0, result.output
    assert len(outputs(repo)) == DOCUMENTS


def test_the_readmes_first_step_works_in_a_new_repository(repo: Path) -> None:
    """`arendegen new` makes the folders it needs, and names the repository's schema."""
    result = run("new", "tjänsteskrivelse", "cases/2026/mitt-arende.yaml")
    assert result.exit_code == 0, result.output
    text = (repo / "cases" / "2026" / "mitt-arende.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../arendegen.schema.json\n")
    settings = repo / "arendegen.yaml"
    settings.write_text(
        settings.read_text("utf-8").replace("mall: region", "mall: kommun"), "utf-8"
    )
    assert run("new", "styrdokument", "cases/2026/plan.yaml").exit_code == 0
    assert "\nmall: kommun\n" in (repo / "cases" / "2026" / "plan.yaml").read_text("utf-8")
    assert run("validate", "cases/2026/mitt-arende.yaml").exit_code == 0


def test_a_case_file_with_an_upper_case_suffix_is_a_case(repo: Path) -> None:
    (repo / "cases" / "exempel" / "kallelse.yaml").rename(
        repo / "cases" / "exempel" / "KALLELSE.YAML"
    )
    from arendegen.results import find_case_files

    assert any(p.name == "KALLELSE.YAML" for p in find_case_files([repo / "cases"]))


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
    assert len(list((repo / "dokument").rglob("*.docx"))) == DOCUMENTS
    assert not list((repo / "dokument").rglob("*.pdf"))


def test_second_build_writes_nothing_and_touching_a_case_rebuilds_only_it(repo: Path) -> None:
    assert run("build", "--format", "docx").exit_code == 0
    first = outputs(repo)
    again = run("build", "--format", "docx")
    assert again.exit_code == 0
    assert f"0 filer skrivna, {DOCUMENTS} oförändrade" in again.stderr
    assert outputs(repo) == first
    case = repo / "cases" / "exempel" / "tjansteskrivelse.yaml"
    case.write_text(
        case.read_text(encoding="utf-8").replace("Titel på ärendet", "Ny titel"), encoding="utf-8"
    )
    third = run("build", "--format", "docx")
    assert f"1 fil skriven, {DOCUMENTS - 1} oförändrade" in third.stderr
    changed = {k for k, v in outputs(repo).items() if first.get(k) != v}
    assert changed == {"exempel/RS-2026-101-tjänsteskrivelse.docx"}


def test_deleting_a_case_removes_only_its_outputs(repo: Path) -> None:
    assert run("build", "--format", "docx").exit_code == 0
    (repo / "output" / "egen-anteckning.txt").write_text("min", encoding="utf-8")
    (repo / "cases" / "exempel" / "budgetavvikelse.yaml").unlink()
    result = run("build", "--format", "docx")
    assert result.exit_code == 0
    assert "1 borttagen" in result.stderr
    left = set(outputs(repo))
    assert "exempel/RS-2026-106-budgetavvikelse.docx" not in left
    assert len(left) == DOCUMENTS  # the other documents and the user's own note


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
        after["exempel/RS-2026-101-tjänsteskrivelse.docx"]
        == before["exempel/RS-2026-101-tjänsteskrivelse.docx"]
    )
    assert (
        after["exempel/RS-2026-109-ersättningsmodell.docx"]
        != before["exempel/RS-2026-109-ersättningsmodell.docx"]
    )


def test_github_annotations_point_at_file_and_line(repo: Path) -> None:
    (repo / "cases" / "trasig.yaml").write_text(BROKEN, encoding="utf-8")
    for result in (
        run("validate", "--output-format", "github"),
        run("validate", env={"GITHUB_ACTIONS": "true"}),
    ):
        assert result.exit_code == 1
        assert (
            "::error file=cases/trasig.yaml,line=4,col=5,title=AG202::handlingar[0].färg: okänd nyckel 'färg'"
            in result.stdout
        )


def test_workflow_and_hook_configs_run_arendegen() -> None:
    workflow = yaml.safe_load(
        (ROOT / "src/arendegen/repo_template/arendegen-workflow.yml").read_text(encoding="utf-8")
    )
    job = workflow["jobs"]["dokument"]
    steps = job["steps"]
    commands = " ".join(step.get("run", "") for step in steps)
    assert workflow["permissions"] == {"contents": "read"}
    assert job["timeout-minutes"] <= 60
    assert "arendegen validate cases/ --output-format github" in commands
    assert "arendegen build cases/ --bundle --output-format github" in commands
    assert "--out " not in commands  # the settings' folder, refused when a link leads out
    assert "libreoffice-writer-nogui" in commands
    assert "pip install arendegen\n" not in commands  # never an unpinned name from an index
    caches = [s["with"]["path"] for s in steps if s.get("uses", "").startswith("actions/cache")]
    # a pull request's run gets the documents but not the manifest's signing key
    assert caches == ["~/apt-arkiv", "output/\n~/.cache/arendegen\n", "output/"]
    assert steps[1]["with"]["cache"] == "pip"
    assert steps[0]["with"]["persist-credentials"] is False
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
    assert f"0 filer skrivna, {2 * DOCUMENTS} oförändrade" in result.stderr
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
    assert len(serial) == 2 * DOCUMENTS + 1  # each .docx, its .pdf, the manifest
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


def test_the_workflow_installs_the_arendegen_the_settings_pin(repo: Path) -> None:
    """The install step's own command reads the pin out of arendegen.yaml, quoted or not,
    with a wheel's hash fragment kept, and stops with an annotation when there is none."""
    import subprocess

    workflow = yaml.safe_load((repo / ".github/workflows/arendegen.yml").read_text("utf-8"))
    step = next(s for s in workflow["jobs"]["dokument"]["steps"] if "spec=$(" in s.get("run", ""))
    reading = step["run"].split("\n")[0].removeprefix("spec=$(").removesuffix(")")
    settings = repo / "arendegen.yaml"
    assert 'arendegen: "arendegen==' in settings.read_text("utf-8")

    def read() -> str:
        return subprocess.run(
            ["bash", "-c", reading], capture_output=True, text=True, cwd=repo
        ).stdout.strip()

    assert read().startswith("arendegen==")
    text = settings.read_text("utf-8")
    for pin in (
        f'"arendegen @ https://example.org/arendegen-0.1.0-py3-none-any.whl#sha256={"ab12" * 16}"',
        f"arendegen @ git+https://example.org/a.git@{'0123abcd' * 5}  # pinnad",
    ):
        settings.write_text(re.sub(r"(?m)^arendegen:.*$", f"arendegen: {pin}", text), "utf-8")
        assert read() == pin.split("  #")[0].strip('"')
    assert run("validate").exit_code == 0  # the settings still read as settings
    for loose in ("arendegen", "arendegen>=0.1", "arendegen @ https://example.org/a.whl"):
        settings.write_text(re.sub(r"(?m)^arendegen:.*$", f'arendegen: "{loose}"', text), "utf-8")
        refused = run("validate")
        assert refused.exit_code == 2, refused.output
        assert "låser inte vilken arendegen CI installerar" in refused.output


def test_a_part_of_the_repository_builds_where_the_whole_puts_it(repo: Path) -> None:
    """`build cases/exempel` (or one file of it) writes under output/exempel/, as a build of
    the whole repository does: the organisation's folder is not dropped."""
    result = run("build", "--format", "docx", "cases/exempel")
    assert result.exit_code == 0, result.output
    assert (repo / "output" / "exempel" / "RS-2026-101-tjänsteskrivelse.docx").is_file()
    assert not list((repo / "output").glob("*.docx"))
    single = run("build", "--format", "docx", "cases/exempel/kallelse.yaml")
    assert single.exit_code == 0 and "0 filer skrivna, 1 oförändrad" in single.stderr
    whole = run("build", "--format", "docx")
    assert f"0 filer skrivna, {DOCUMENTS} oförändrade" in whole.stderr


def test_a_municipalitys_repository_gets_examples_in_its_own_words(tmp_path: Path) -> None:
    """`init --mall kommun`: the examples and new cases name a kommun's bodies, not the
    region's (two new-user trials began with 'Region Exempel … Regionstyrelsen')."""
    from arendegen.repo import init
    from arendegen.skeleton import skeleton
    from arendegen.validate import check_file

    init(tmp_path / "repo", pack="kommun")
    examples = sorted((tmp_path / "repo" / "cases" / "exempel").glob("*.yaml"))
    for example in examples:
        text = example.read_text(encoding="utf-8")
        body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
        assert "Region" not in body and "RS " not in body, example.name
        assert not check_file(example).errors, example.name
    memo = skeleton("tjänsteskrivelse", pack="kommun")
    assert "organisation: Exempels kommun" in memo and "mottagare: Kommunstyrelsen" in memo
    assert "diarienummer: KS 2026/123" in memo
    assert "organisation: Region Exempel" in skeleton("tjänsteskrivelse", pack="region")
