"""arendegen diff: what changed in substance between two versions of a case, as text,
Markdown and JSON, from two files or two git revisions."""

from __future__ import annotations

import itertools
import json
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from arendegen.cli import cli
from conftest import CASES, ROOT

SEED = CASES / "bollebygds-kommun" / "2020" / "socialnamnden-fvm-projektledare.yaml"
"""Seed 004: one att-sats, a budget of 175 + 35 = 210 tkr, two recipients."""
CLAUSE = "av kommunstyrelsen äska extra medel för implementeringsansvar och projektledning av"
NBSP = "\u00a0"

Commit = Callable[..., None]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def diff(*args: str) -> str:
    """The command's output, with the no-break spaces of its figures as plain spaces."""
    code, out, err = run("diff", *args)
    assert code == 0, err
    return out.replace(NBSP, " ")


def git(folder: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True)


@pytest.fixture
def commit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Commit:
    """A git repository (the working folder) holding the seed as cases/fvm.yaml, committed;
    `commit(old, new, …)` replaces text in it and commits again."""
    git(tmp_path, "init", "-q")
    git(tmp_path, "config", "user.email", "test@example.org")
    git(tmp_path, "config", "user.name", "Test")
    case = tmp_path / "cases" / "fvm.yaml"
    case.parent.mkdir()
    shutil.copy(SEED, case)
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "seed")
    monkeypatch.chdir(tmp_path)

    def change(*replacements: str, file: Path = case) -> None:
        text = file.read_text(encoding="utf-8")
        for old, new in zip(replacements[::2], replacements[1::2], strict=True):
            assert old in text, old
            text = text.replace(old, new)
        file.write_text(text, encoding="utf-8")
        git(tmp_path, "add", ".")
        git(tmp_path, "commit", "-q", "-m", "ändring")

    return change


def test_a_changed_total_and_att_sats_between_two_revisions_in_all_three_formats(
    commit: Commit,
) -> None:
    commit("{Hösten 2020: 35}", "{Hösten 2020: 50}", "äska extra medel", "begära extra medel")

    text = diff("--git", "HEAD~1", "HEAD")
    assert "ändrat: cases/fvm.yaml Framtidens vårdinformationsmiljö" in text
    assert "    Summa Hösten 2020: 210 tkr → 225 tkr (+15 tkr)\n" in text
    assert "    Projektledare, 10 % Hösten 2020: 35 tkr → 50 tkr (+15 tkr)\n" in text
    assert "  Tabell kostnader (Kostnader hösten 2020)\n" in text
    assert "    att-sats 1 ändrad:\n" in text
    assert f"      före:  {CLAUSE}" in text
    assert f"      efter: {CLAUSE.replace('äska', 'begära')}" in text

    markdown = diff("--git", "HEAD~1", "HEAD", "--output-format", "markdown")
    assert "### Ändrat: cases/fvm.yaml" in markdown
    assert "| Summa Hösten 2020 | 210 tkr | 225 tkr | \\+15 tkr |" in markdown
    assert f"  - Före: ~~{CLAUSE}" in markdown
    assert f"  - Efter: **{CLAUSE.replace('äska', 'begära')}" in markdown

    report = json.loads(diff("--git", "HEAD~1", "HEAD", "--output-format", "json"))
    assert report["changed"] == 1
    (case,) = report["cases"]
    assert case["file"] == "cases/fvm.yaml" and case["status"] == "ändrat"
    total = next(c for c in case["changes"] if c["label"] == "Summa Hösten 2020")
    assert total == {
        "kind": "ändrad",
        "section": "Tabell kostnader (Kostnader hösten 2020)",
        "label": "Summa Hösten 2020",
        "path": "tabeller.kostnader",
        "old": "210 tkr",
        "new": "225 tkr",
        "difference": "+15 tkr",
    }
    clause = next(c for c in case["changes"] if c["section"] == "Förslag till beslut")
    assert clause["label"] == "att-sats 1"
    assert clause["path"] == "förslag_till_beslut.att[0].text"
    assert clause["old"].startswith(CLAUSE)
    assert clause["new"].startswith(CLAUSE.replace("äska", "begära"))


def test_a_lower_figure_shows_a_minus_sign(commit: Commit) -> None:
    commit("{Hösten 2020: 175}", "{Hösten 2020: '100,5'}")
    text = diff("--git", "HEAD~1", "HEAD")
    assert "Summa Hösten 2020: 210 tkr → 135,5 tkr (\u221274,5 tkr)" in text


def test_att_satser_added_and_removed(commit: Commit) -> None:
    two = f"    - {CLAUSE}\n      Framtidens vårdinformationsmiljö, FVM, 2020.\n"
    commit(two, two + "    - ge förvaltningen i uppdrag att redovisa kostnaderna i december.\n")
    text = diff("--git", "HEAD~1", "HEAD")
    assert (
        "  Förslag till beslut\n"
        "    + att-sats 2: ge förvaltningen i uppdrag att redovisa kostnaderna i december.\n"
    ) in text
    commit(two, "")
    text = diff("--git", "HEAD~1", "HEAD")
    assert "    \u2212 att-sats 1: av kommunstyrelsen äska extra medel" in text
    markdown = diff("--git", "HEAD~1", "HEAD", "--output-format", "markdown")
    assert "- Borttagen: att-sats 1: ~~av kommunstyrelsen äska" in markdown


def test_a_recipient_added_and_a_bilaga_removed(commit: Commit) -> None:
    commit(
        "expedieras_till:\n",
        "bilagor:\n  - Kostnadsberäkning FVM\n  - Avtal med VGR\n\nexpedieras_till:\n",
    )
    commit(
        "  - Kostnadsberäkning FVM\n",
        "",
        "  - Socialförvaltningen\n",
        "  - Socialförvaltningen\n  - Ekonomienheten\n",
    )
    text = diff("--git", "HEAD~1", "HEAD")
    assert "  Bilagor\n    \u2212 Kostnadsberäkning FVM\n" in text
    assert "  Expedieras till\n    + Ekonomienheten\n" in text
    assert "Avtal med VGR" not in text  # unchanged, though it moved up a place
    report = json.loads(diff("--git", "HEAD~1", "HEAD", "--output-format", "json"))
    kinds = {(c["section"], c["kind"], c["old"] or c["new"]) for c in report["cases"][0]["changes"]}
    assert kinds == {
        ("Bilagor", "borttagen", "Kostnadsberäkning FVM"),
        ("Expedieras till", "tillagd", "Ekonomienheten"),
    }


def test_people_reordered_and_a_title_changed(commit: Commit) -> None:
    commit(
        "beslutsunderlag:\n",
        "underskrifter:\n  - Anna Ek, Socialchef\n  - Bo Al, Ekonom\n\nbeslutsunderlag:\n",
    )
    commit(
        "  - Anna Ek, Socialchef\n  - Bo Al, Ekonom\n",
        "  - Bo Al, Controller\n  - Anna Ek, Socialchef\n",
    )
    text = diff("--git", "HEAD~1", "HEAD")
    assert "  Underskrifter\n" in text
    assert "Bo Al › Titel: Ekonom → Controller" in text
    assert (
        "flyttad från plats 2 till plats 1" in text or "flyttad från plats 1 till plats 2" in text
    )


def test_prose_is_summed_up_with_its_diff_in_markdown(commit: Commit) -> None:
    commit("En projektledare behövs på 10% för att leda projektet.", "En projektledare behövs.")
    text = diff("--git", "HEAD~1", "HEAD")
    assert "  Bakgrund ändrad (+1/\u22121 rader)\n" in text
    markdown = diff("--git", "HEAD~1", "HEAD", "--output-format", "markdown")
    assert "<details><summary>Bakgrund ändrad (+1/\u22121 rader)</summary>" in markdown
    assert "\n+Framtidens vårdinformationsmiljö. En projektledare behövs.\n" in markdown


def test_a_side_that_does_not_validate_is_said_and_compared_as_written(commit: Commit) -> None:
    commit("mall: kommun\n", "mall: kommun\nfärg: blå\n", "{Hösten 2020: 35}", "{Hösten 2020: 50}")
    code, out, err = run("diff", "--git", "HEAD~1", "HEAD")
    assert code == 0 and "Traceback" not in out + err
    assert "den nya versionen har 1 fel (se arendegen validate)" in out
    assert "jämfört så som YAML-filen lyder" in out
    assert "+ Färg: blå" in out
    assert "Projektledare, 10 %" in out and "35 → 50" in out
    report = json.loads(diff("--git", "HEAD~1", "HEAD", "--output-format", "json"))
    assert report["cases"][0]["new_errors"] == 1 and report["cases"][0]["as_written"]


def test_a_file_that_is_no_yaml_on_one_side(commit: Commit) -> None:
    commit("mall: kommun\n", "mall: [kommun\n")
    code, out, _ = run("diff", "--git", "HEAD~1", "HEAD")
    assert code == 0
    assert "ändrat: cases/fvm.yaml Framtidens" in out
    assert "\n  den nya versionen har 1 fel (se arendegen validate)\n" in out
    assert "går inte att jämföra: en version kan inte läsas in (se felet)" in out


def test_identical_revisions_and_a_comment_only_change_have_no_changes(commit: Commit) -> None:
    assert diff("--git", "HEAD", "HEAD") == "Inga ändringar i sak.\n"
    commit("mall: kommun\n", "mall: kommun  # husstilen\n")
    assert diff("--git", "HEAD~1", "HEAD") == "Inga ändringar i sak.\n"
    markdown = diff("--git", "HEAD~1", "HEAD", "--output-format", "markdown")
    assert markdown.endswith("\n\nInga ändringar i sak.\n")
    assert json.loads(diff("--git", "HEAD~1", "HEAD", "--output-format", "json"))["changed"] == 0


def test_case_files_added_and_removed(commit: Commit, tmp_path: Path) -> None:
    shutil.copy(SEED, tmp_path / "cases" / "ny.yaml")
    commit("mall: kommun\n", "mall: kommun\n")
    text = diff("--git", "HEAD~1", "HEAD")
    assert "tillagt: cases/ny.yaml Framtidens vårdinformationsmiljö" in text
    (tmp_path / "cases" / "fvm.yaml").unlink()
    git(tmp_path, "commit", "-q", "-am", "bort")
    text = diff("--git", "HEAD~1", "HEAD", "cases")
    assert "borttaget: cases/fvm.yaml" in text and "ny.yaml" not in text


def test_hostile_revisions_and_paths_are_refused(commit: Commit, tmp_path: Path) -> None:
    target = tmp_path / "x"
    code, _, err = run("diff", "--git", f"--output={target}", "HEAD")
    assert code == 2
    assert f"arendegen: '--output={target}' är ingen revision" in err
    assert not target.exists()
    code, _, err = run("diff", "--git", "HEAD", "HEAD:cases/fvm.yaml")
    assert code == 2 and "revisionen 'HEAD:cases/fvm.yaml' finns inte i repot" in err
    code, _, err = run("diff", "--git", "HEAD", "HEAD", "../")
    assert code == 2 and "ligger utanför git-repot" in err
    code, _, err = run("diff", "--git", "HEAD", "HEAD", "inget")
    assert code == 2 and "inga ärendefiler (.yaml) under inget" in err


def test_outside_a_git_repository_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    code, _, err = run("diff", "--git", "HEAD~1", "HEAD")
    assert code == 2 and "ligger inte i ett git-repo" in err


def test_two_files(tmp_path: Path) -> None:
    after = tmp_path / "efter.yaml"
    after.write_text(
        SEED.read_text(encoding="utf-8").replace("  - Kommunstyrelsen\n", ""), encoding="utf-8"
    )
    text = diff(str(SEED), str(after))
    assert "  Expedieras till\n    \u2212 Kommunstyrelsen\n" in text
    assert run("diff", str(SEED))[0] == 2
    code, _, err = run("diff", str(SEED), str(tmp_path / "finns-inte.yaml"))
    assert code == 2 and "finns inte" in err


def _markdown_with_recipient(tmp_path: Path, recipient: str) -> str:
    """The Markdown of seed 004 with its first recipient replaced by `recipient` (quoted)."""
    after = tmp_path / "efter.yaml"
    after.write_text(
        SEED.read_text(encoding="utf-8").replace("  - Kommunstyrelsen\n", f"  - '{recipient}'\n"),
        encoding="utf-8",
    )
    return diff(str(SEED), str(after), "--output-format", "markdown")


def test_markdown_escapes_what_a_case_says(tmp_path: Path) -> None:
    markdown = _markdown_with_recipient(
        tmp_path, "<img src=x onerror=alert(1)> @octocat [a](http://x)"
    )
    assert not re.search(r"(?<!\\)(<img|\[a\]\()", markdown) and "@octocat" not in markdown
    assert "\\<img src=x onerror=alert(1)\\> &#64;octocat \\[a\\](http://x)" in markdown


def test_markdown_names_no_issue_and_hides_no_text(tmp_path: Path) -> None:
    """'#12' or 'org/repo#3' in a case would link, and notify, another issue from the pull
    request's comment; a right-to-left override would show a name as another."""
    markdown = _markdown_with_recipient(tmp_path, "se #12, org/repo#3 och GH-5 \u202egnidnuf")
    assert "se &#35;12, org/repo&#35;3 och GH&#45;5 \\\\u202egnidnuf" in markdown
    assert "\u202e" not in markdown


def test_every_example_compared_with_itself_has_no_changes() -> None:
    for case in sorted(CASES.rglob("*.yaml")):
        assert diff(str(case), str(case)) == "Inga ändringar i sak.\n", case


def test_examples_of_every_kind_of_table_compare_without_fault() -> None:
    """Two different cases: every table kind's figures, documents added and removed."""
    cases = sorted(CASES.rglob("*.yaml"))
    for before, after in itertools.pairwise(cases):
        for output_format in ("text", "markdown", "json"):
            assert diff(str(before), str(after), "--output-format", output_format)


def test_the_workflow_posts_the_diff_on_pull_requests() -> None:
    workflow = yaml.safe_load(
        (ROOT / "src/arendegen/repo_template/arendegen-workflow.yml").read_text(encoding="utf-8")
    )
    job = workflow["jobs"]["granskning"]
    assert workflow["permissions"] == {"contents": "read"}  # the build job writes nothing
    assert job["permissions"] == {"contents": "read", "pull-requests": "write"}
    assert job["if"] == "github.event_name == 'pull_request'"
    steps = job["steps"]
    assert steps[0]["with"]["fetch-depth"] == 0
    assert steps[0]["with"]["persist-credentials"] is False
    # the reviewer is not the reviewed: the arendegen installed is the one the base branch pins
    install = next(s for s in steps if "pip install" in s.get("run", ""))
    assert 'git show "origin/$GITHUB_BASE_REF:arendegen.yaml"' in install["run"]
    assert "pinned=" in install["run"]
    summary = next(s for s in steps if s.get("name") == "Ändringar i sak")
    assert (
        'arendegen diff --git "origin/$GITHUB_BASE_REF" HEAD --output-format markdown'
        in summary["run"]
    )
    assert '>> "$GITHUB_STEP_SUMMARY"' in summary["run"]
    comment = next(s for s in steps if s.get("name") == "Kommentera pull requesten")
    assert comment["continue-on-error"] is True
    assert comment["env"] == {"GH_TOKEN": "${{ github.token }}"}
    assert "github.repository" in comment["if"]  # not from a fork: its token only reads
    assert "${{" not in comment["run"] and "${{" not in summary["run"]


def test_files_changed_beside_the_cases_are_listed_for_the_reviewer(
    commit: Commit, tmp_path: Path
) -> None:
    """A case behind a link, an attached file, a pack: not compared in substance, but never
    passed over in silence (a link was the way to slip a case past the review)."""
    hidden = tmp_path / "docs" / "gömd.yaml"
    hidden.parent.mkdir()
    shutil.copy(SEED, hidden)
    (tmp_path / "cases" / "länk.yaml").symlink_to("../docs/gömd.yaml")
    (tmp_path / "cases" / "bilaga.pdf").write_bytes(b"%PDF-1.7\n")
    commit("mall: kommun\n", "mall: kommun\n")
    text = diff("--git", "HEAD~1", "HEAD")
    assert text.startswith("Inga ändringar i sak.\n")
    for name in ("cases/bilaga.pdf", "cases/länk.yaml", "docs/gömd.yaml"):
        assert f"Också ändrat, inte jämfört i sak: {name}\n" in text
    markdown = diff("--git", "HEAD~1", "HEAD", "--output-format", "markdown")
    assert "**Också ändrat, inte jämfört i sak** (3)" in markdown
    assert "- `cases/länk.yaml`" in markdown
    listed = json.loads(diff("--git", "HEAD~1", "HEAD", "--output-format", "json"))["others"]
    assert listed == ["cases/bilaga.pdf", "cases/länk.yaml", "docs/gömd.yaml"]


def test_a_long_shuffled_list_is_compared_in_linear_time(tmp_path: Path) -> None:
    """A hostile case of 20 000 recipients in another order: compared place by place, in
    seconds, not matched for moves in minutes."""
    import random
    import time

    rng = random.Random(7)
    text = SEED.read_text(encoding="utf-8")
    assert "  - Kommunstyrelsen\n" in text
    files = []
    for name in ("a", "b"):
        listed = "".join(f"  - {rng.choice('ab')}\n" for _ in range(20_000))
        path = tmp_path / f"{name}.yaml"
        path.write_text(text.replace("  - Kommunstyrelsen\n", listed), encoding="utf-8")
        files.append(str(path))
    started = time.monotonic()
    out = diff(*files)
    assert time.monotonic() - started < 20
    assert "Expedieras till" in out
