"""--shard K/N (issue 21): N builds of one part each make what one build makes, each part
keeps a manifest part of its own, and no part deletes another's outputs.

Real builds of small cases (.docx, which is enough to show what the parts share), through
the command line as CI runs them.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from arendegen import output
from arendegen.cli import cli
from arendegen.output import MANIFEST, Manifest
from arendegen.shards import Shard, parse_shard, shard_of

HEAD = "titel: T\ndatum: 2026-01-15\nförslag_till_beslut: {organ: N, att: [a]}\n"
CASES = 10


def case_text(number: int) -> str:
    return f"diarienummer: 'C {number}'\n{HEAD}handlingar:\n  - {{typ: tjänsteskrivelse}}\n"


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def build_docx(*args: str) -> Result:
    return run("build", "--format", "docx", *args)


def part(k: int, n: int) -> str:
    return f".arendegen-manifest.shard-{k}-of-{n}.json"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A case repository (the working folder) with ten cases in cases/."""
    folder = tmp_path / "repo"
    (folder / "cases").mkdir(parents=True)
    for number in range(CASES):
        (folder / "cases" / f"c{number}.yaml").write_text(case_text(number), encoding="utf-8")
    monkeypatch.chdir(folder)
    return folder


def outputs(folder: Path) -> dict[str, bytes]:
    """The documents in an output folder (not arendegen's own files), by relative path."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.startswith(".arendegen")
    }


def case_of(number: int) -> str:
    return f"cases/c{number}.yaml"


def document_of(number: int) -> str:
    return f"C-{number}-tjänsteskrivelse.docx"


def in_part(shard: Shard) -> list[int]:
    return [n for n in range(CASES) if shard.holds(case_of(n))]


def other_runner(monkeypatch: pytest.MonkeyPatch, cache: Path) -> None:
    """Go on as a CI runner of its own: a cache folder (and so a signing key) of its own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    monkeypatch.setattr(output, "_KEY", [])


def test_the_partition_is_fixed_by_the_case_name() -> None:
    # A change here moves cases between the jobs of every repository's matrix: say so.
    assert [shard_of(case_of(n), 2) for n in range(CASES)] == [2, 1, 2, 2, 1, 2, 2, 2, 2, 1]
    assert shard_of("cases/å.yaml", 4) == shard_of("cases/a\u030a.yaml", 4)  # NFD as NFC
    assert parse_shard(" 3 / 4 ") == Shard(3, 4)


def test_two_parts_make_the_same_files_and_manifest_as_one_build(repo: Path) -> None:
    assert build_docx("--out", "hela").exit_code == 0
    first = build_docx("--out", "delar", "--shard", "1/2")
    second = build_docx("--out", "delar", "--shard", "2/2")
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    ones, twos = in_part(Shard(1, 2)), in_part(Shard(2, 2))
    assert ones and twos  # both parts hold cases
    assert f"{len(ones)} ärenden: {len(ones)} filer skrivna" in first.stderr
    assert f"del 1/2, {len(twos)} ärenden i andra delar" in first.stderr
    # Byte for byte the files of one build; each part's manifest lists its own cases only.
    assert outputs(repo / "delar") == outputs(repo / "hela")
    assert not (repo / "delar" / MANIFEST).exists()
    for k, numbers in ((1, ones), (2, twos)):
        saved = json.loads((repo / "delar" / part(k, 2)).read_text(encoding="utf-8"))
        assert sorted(saved["cases"]) == sorted(case_of(n) for n in numbers)
    whole, parts = Manifest.read(repo / "hela"), Manifest.read(repo / "delar")
    assert parts.trusted and parts.parts == [part(1, 2), part(2, 2)]
    assert parts.files == whole.files and parts.cases == whole.cases
    # The next build sees the whole output: nothing rebuilt, and the parts taken in.
    again = build_docx("--out", "delar")
    assert again.exit_code == 0, again.output
    assert f"{CASES} ärenden: 0 filer skrivna, {CASES} oförändrade, 0 borttagna" in again.stderr
    assert sorted(p.name for p in (repo / "delar").glob(".arendegen-manifest*")) == [MANIFEST]
    merged = json.loads((repo / "delar" / MANIFEST).read_text(encoding="utf-8"))
    full = json.loads((repo / "hela" / MANIFEST).read_text(encoding="utf-8"))
    assert (merged["files"], merged["cases"]) == (full["files"], full["cases"])
    # A sharded no-op build also rebuilds nothing, and writes nothing.
    noop = build_docx("--out", "delar", "--shard", "2/2")
    assert f"0 filer skrivna, {len(twos)} oförändrade" in noop.stderr
    assert not (repo / "delar" / part(2, 2)).exists()


def test_a_case_added_later_lands_in_one_part_and_the_others_stay(repo: Path) -> None:
    def parts_of_cases() -> dict[str, int]:
        found = {}
        for k in (1, 2, 3):
            listed = run("validate", "-v", "--shard", f"{k}/3")
            assert listed.exit_code == 0, listed.output
            for line in listed.stderr.splitlines():
                if line.startswith("godkänt: "):
                    assert line[len("godkänt: ") :] not in found  # checked in one part only
                    found[line[len("godkänt: ") :]] = k
        return found

    before = parts_of_cases()
    assert len(before) == CASES
    (repo / "cases" / "ny.yaml").write_text(case_text(99), encoding="utf-8")
    shutil.copytree(repo / "cases", repo / "cases" / "kopia")  # ten more, elsewhere
    after = parts_of_cases()
    assert len(after) == 2 * CASES + 2
    assert {case: after[case] for case in before} == before
    # validate and build agree on each case's part
    built = build_docx("-v", "--shard", f"{after['cases/ny.yaml']}/3", "cases/ny.yaml")
    assert built.exit_code == 0 and "1 ärende: 1 fil skriven" in built.stderr, built.output


def test_a_parts_build_never_deletes_another_parts_outputs(repo: Path) -> None:
    assert build_docx().exit_code == 0  # one signed manifest, every case in it
    one, two = in_part(Shard(1, 2))[0], in_part(Shard(2, 2))[0]
    (repo / "cases" / f"c{one}.yaml").unlink()
    (repo / "cases" / f"c{two}.yaml").unlink()
    first = build_docx("--shard", "1/2")
    assert first.exit_code == 0, first.output
    assert "1 borttagen" in first.stderr  # its own deleted case's document
    assert not (repo / "output" / document_of(one)).exists()
    assert (repo / "output" / document_of(two)).is_file()  # the other part's: kept
    # Its own part's case is gone from the merged view; the other's is still recorded.
    view = Manifest.read(repo / "output")
    assert case_of(one) not in view.cases and case_of(two) in view.cases
    second = build_docx("--shard", "2/2")
    assert second.exit_code == 0 and "1 borttagen" in second.stderr, second.output
    assert not (repo / "output" / document_of(two)).exists()
    assert len(outputs(repo / "output")) == CASES - 2


def test_a_manifest_refuses_to_delete_another_parts_output(repo: Path) -> None:
    assert build_docx().exit_code == 0
    two = in_part(Shard(2, 2))[0]
    manifest = Manifest.read(repo / "output", shard=Shard(1, 2))
    assert manifest.intact(document_of(two))
    assert not manifest.remove(document_of(two))
    assert (repo / "output" / document_of(two)).is_file()


def test_parts_built_on_separate_runners_merge_unsigned_and_delete_nothing(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for k in (1, 2):  # a matrix: each job its own runner, cache and output folder
        other_runner(monkeypatch, tmp_path / f"cache-{k}")
        built = build_docx("--out", f"jobb-{k}", "--shard", f"{k}/2")
        assert built.exit_code == 0, built.output
    # The artifacts downloaded into one folder, on a runner of its own
    other_runner(monkeypatch, tmp_path / "cache-samlat")
    for k in (1, 2):
        shutil.copytree(repo / f"jobb-{k}", repo / "output", dirs_exist_ok=True)
    merged = run("merge-manifests")
    assert merged.exit_code == 0, merged.output
    assert "slog ihop 2 manifestdelar till output/.arendegen-manifest.json" in merged.stderr
    assert "inte signerat här" in merged.stderr
    saved = json.loads((repo / "output" / MANIFEST).read_text(encoding="utf-8"))
    assert "signature" not in saved and len(saved["cases"]) == CASES  # vouched for by none
    assert not list((repo / "output").glob(".arendegen-manifest.shard-*"))
    # Unsigned: every case built and compared, and a deleted case's outputs kept.
    (repo / "cases" / "c0.yaml").unlink()
    first = build_docx()
    assert first.exit_code == 0, first.output
    assert f"{CASES - 1} ärenden: 0 filer skrivna, {CASES - 1} oförändrade, 0 borttagna" in (
        first.stderr
    )
    assert (repo / "output" / document_of(0)).is_file()
    again = build_docx()  # signed here now: incremental again
    assert "inte signerat" not in again.stderr and "0 filer skrivna" in again.stderr


def test_an_unsigned_part_makes_a_parts_build_delete_nothing(repo: Path) -> None:
    assert build_docx("--shard", "1/2").exit_code == 0
    assert build_docx("--shard", "2/2").exit_code == 0
    other = repo / "output" / part(2, 2)
    other.write_text(other.read_text(encoding="utf-8").replace("\n", "\n "), encoding="utf-8")
    saved = json.loads(other.read_text(encoding="utf-8"))
    saved["generation"] += 1  # changed by hand: the signature no longer verifies
    other.write_text(json.dumps(saved), encoding="utf-8")
    one = in_part(Shard(1, 2))[0]
    (repo / "cases" / f"c{one}.yaml").unlink()
    result = build_docx("--shard", "1/2")
    assert result.exit_code == 0, result.output
    assert "inte signerat av arendegen här" in result.stderr
    assert "0 borttagna" in result.stderr
    assert (repo / "output" / document_of(one)).is_file()


def test_a_part_naming_another_parts_case_is_damaged(repo: Path) -> None:
    assert build_docx("--shard", "1/2").exit_code == 0
    path = repo / "output" / part(1, 2)
    saved = json.loads(path.read_text(encoding="utf-8"))
    two = in_part(Shard(2, 2))[0]
    saved["cases"][case_of(two)] = next(iter(saved["cases"].values()))
    path.write_text(json.dumps(saved), encoding="utf-8")
    result = build_docx("--shard", "1/2")
    assert "hör inte till del 1/2" in result.output
    assert "allt byggs om och inget tas bort" in result.output


@pytest.mark.parametrize("command", ["build", "validate"])
@pytest.mark.parametrize("value", ["0/2", "3/2", "a/b", "1/257", "2", "1/2/3", ""])
def test_a_bad_shard_is_a_usage_error(repo: Path, command: str, value: str) -> None:
    result = run(command, "--shard", value)
    assert result.exit_code == 2
    assert f"Ogiltigt värde för '--shard': '{value}' är ingen del; ange K/N" in result.stderr


def test_a_part_without_cases_is_no_error(repo: Path) -> None:
    for number in range(1, CASES):
        (repo / "cases" / f"c{number}.yaml").unlink()
    empty = next(k for k in (1, 2, 3, 4) if not Shard(k, 4).holds(case_of(0)))
    built = build_docx("--shard", f"{empty}/4")
    assert built.exit_code == 0, built.output
    assert "0 ärenden: 0 filer skrivna" in built.stderr
    assert f"del {empty}/4, 1 ärende i andra delar" in built.stderr
    checked = run("validate", "--shard", f"{empty}/4")
    assert checked.exit_code == 0 and "0 ärenden kontrollerade" in checked.stderr
    assert run("build", "--shard", "1/2", "tom").exit_code == 2  # no such folder


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_two_parts_make_a_builds_pdfs_byte_for_byte(repo: Path) -> None:
    """The PDFs (PDF/A-2b) of two parts are the bytes of one build's."""
    assert run("build", "--format", "docx,pdf", "--out", "hela").exit_code == 0
    for k in (1, 2):
        done = run("build", "--format", "docx,pdf", "--out", "delar", "--shard", f"{k}/2")
        assert done.exit_code == 0, done.output
    whole, parts = outputs(repo / "hela"), outputs(repo / "delar")
    assert [name for name in whole if name.endswith(".pdf")]
    assert parts == whole


@pytest.mark.parametrize("shard", [None, "1/2"])
def test_a_case_renamed_keeps_the_output_it_still_makes(repo: Path, shard: str | None) -> None:
    """An attack review: renaming a case file deleted the output the same build reported as
    unchanged (the old name's outputs were removed, though the new name makes them)."""
    extra = ["--shard", shard] if shard else []
    assert build_docx(*extra).exit_code == 0
    name = next(
        n
        for n in range(CASES)
        if shard is None
        or (Shard(1, 2).holds(f"cases/c{n}.yaml") and Shard(1, 2).holds(f"cases/c{n}-ny.yaml"))
    )
    before = outputs(repo / "output")
    (repo / "cases" / f"c{name}.yaml").rename(repo / "cases" / f"c{name}-ny.yaml")
    again = build_docx(*extra)
    assert again.exit_code == 0, again.output
    assert "0 borttagna" in again.stderr
    assert outputs(repo / "output") == before
    (repo / "cases" / f"c{name}-ny.yaml").unlink()  # deleted now: its outputs go
    gone = build_docx(*extra)
    assert "1 borttagen" in gone.stderr, gone.stderr


def test_parts_of_too_many_divisions_make_the_manifest_damaged(repo: Path) -> None:
    """Each N among the parts costs a pass over every case when they are read: a folder
    holding parts of more than eight different N is damaged (and deletes nothing)."""
    assert build_docx().exit_code == 0
    for count in range(2, 12):
        (repo / "output" / part(1, count)).write_text("{}", encoding="utf-8")
    read = Manifest.read(repo / "output")
    assert read.damaged is not None and "indelningar" in read.damaged
    assert not read.trusted


def test_a_signed_part_copied_to_another_name_does_not_verify(repo: Path) -> None:
    """A part's signature covers its name: copied over another part's name, or the
    manifest's, it is not this machine's word there (it made part 1's cases forgotten)."""
    assert build_docx("--shard", "1/2").exit_code == 0
    assert build_docx("--shard", "2/2").exit_code == 0
    assert Manifest.read(repo / "output").trusted
    two = (repo / "output" / part(2, 2)).read_bytes()
    (repo / "output" / part(1, 1)).write_bytes(two)
    assert not Manifest.read(repo / "output").trusted
    (repo / "output" / part(1, 1)).unlink()
    (repo / "output" / MANIFEST).write_bytes(two)
    assert not Manifest.read(repo / "output").trusted
