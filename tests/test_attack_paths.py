"""Paths from untrusted input stay inside their folders, and the output folder survives
faults (issue 14, items 7–11, 13, 15, 16 and 20).

Each test builds a small case repository the way CI does, with the attack of its item laid
in it, and checks what a user cares about: the victim file still exists, the message names
the path, the exit code.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from arendegen import output
from arendegen.cli import cli
from arendegen.output import MANIFEST
from arendegen.packs import BUILTIN
from arendegen.pipeline import build
from conftest import ROOT

HEAD = "titel: T\ndatum: 2026-01-15\nförslag_till_beslut: {organ: N, att: [a]}\n"


def case_text(diarienummer: str, *ids: str, extra: str = "") -> str:
    """A valid case with one tjänsteskrivelse per id (one without an id when none is given)."""
    docs = "".join(f"  - {{typ: tjänsteskrivelse, id: '{i}'}}\n" for i in ids)
    docs = docs or "  - {typ: tjänsteskrivelse}\n"
    return f"diarienummer: '{diarienummer}'\n{HEAD}{extra}handlingar:\n{docs}"


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def build_docx(*args: str) -> Result:
    return run("build", "--format", "docx", *args)


@pytest.fixture
def repo(tmp_path: Path) -> Iterator[Path]:
    """A case repository (the working folder) with two cases in cases/exempel/."""
    folder = tmp_path / "repo"
    (folder / "cases" / "exempel").mkdir(parents=True)
    (folder / "cases" / "exempel" / "a.yaml").write_text(case_text("A 1"), encoding="utf-8")
    (folder / "cases" / "exempel" / "b.yaml").write_text(case_text("B 1"), encoding="utf-8")
    old = Path.cwd()
    os.chdir(folder)
    try:
        yield folder
    finally:
        os.chdir(old)


def manifest_of(out: Path) -> dict:  # type: ignore[type-arg]
    return json.loads((out / MANIFEST).read_text(encoding="utf-8"))


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# 7. The manifest is untrusted: no path in it reaches outside the output folder.


@pytest.mark.parametrize("kind", ["parent", "absolute", "link"])
def test_a_manifest_path_out_of_the_output_folder_deletes_nothing(repo: Path, kind: str) -> None:
    assert build_docx().exit_code == 0
    elsewhere = repo.parent / "elsewhere"
    elsewhere.mkdir()
    victim = elsewhere / "victim.txt"
    victim.write_text("viktigt", encoding="utf-8")
    named = {
        "parent": "../../elsewhere/victim.txt",
        "absolute": str(victim),
        "link": "länk/victim.txt",
    }[kind]
    (repo / "output" / "länk").symlink_to(elsewhere)
    manifest = manifest_of(repo / "output")
    manifest["files"][named] = sha(victim)
    manifest["cases"]["cases/exempel/b.yaml"]["outputs"].append(named)
    (repo / "output" / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    (repo / "cases" / "exempel" / "b.yaml").unlink()  # its outputs would be removed
    result = build_docx()
    assert victim.read_text(encoding="utf-8") == "viktigt"
    assert (repo / "output" / "exempel" / "B-1-tjänsteskrivelse.docx").is_file()  # nothing deleted
    assert result.exit_code == 0, result.output
    assert (
        f"output/{MANIFEST}:1:1: varning[AG611]: förteckningen över arendegens filer är skadad"
        in (result.stdout)
    )
    assert "inget tas bort" in result.stdout
    again = build_docx()  # the manifest saved by that build is sound again
    assert again.exit_code == 0 and "skadad" not in again.stdout
    assert victim.is_file()


def test_a_damaged_manifest_still_lets_a_build_replace_its_own_outputs(repo: Path) -> None:
    # 20: 100 000 nested brackets gave a RecursionError traceback.
    assert build_docx().exit_code == 0
    (repo / "output" / MANIFEST).write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    case = repo / "cases" / "exempel" / "a.yaml"
    case.write_text(case_text("A 1", extra="konsekvenser: Nytt.\n"), encoding="utf-8")
    before = sha(repo / "output" / "exempel" / "A-1-tjänsteskrivelse.docx")
    result = build_docx()
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert "skadad (för djupt nästlad)" in result.stdout
    assert "1 fil skriven" in result.stderr  # a full build: the changed case is rewritten
    assert sha(repo / "output" / "exempel" / "A-1-tjänsteskrivelse.docx") != before


def test_a_damaged_manifest_gives_the_warning_in_every_output_format(repo: Path) -> None:
    assert build_docx().exit_code == 0
    (repo / "output" / MANIFEST).write_text('{"files": {"/etc/passwd": "x"}}', encoding="utf-8")
    github = build_docx("--output-format", "github")
    assert f"::warning file=output/{MANIFEST},line=1,col=1,title=AG611::" in github.stdout
    assert "'/etc/passwd' är en absolut sökväg" in github.stdout
    (repo / "output" / MANIFEST).write_text('{"files": {"/etc/passwd": "x"}}', encoding="utf-8")
    (warning,) = json.loads(build_docx("--output-format", "json").stdout)["diagnostics"]
    assert (warning["file"], warning["severity"], warning["code"]) == (
        f"output/{MANIFEST}",
        "varning",
        "AG611",
    )


def test_a_manifest_that_is_no_regular_file_does_not_hang_the_build(repo: Path) -> None:
    assert build_docx().exit_code == 0
    (repo / "output" / MANIFEST).unlink()
    os.mkfifo(repo / "output" / MANIFEST)
    result = build_docx()
    assert result.exit_code == 0, result.output
    assert "skadad (ingen vanlig fil)" in result.stdout


# 8. Links inside the output folder are never written or deleted through.


def test_a_link_inside_the_output_folder_is_not_written_through(repo: Path) -> None:
    elsewhere = repo.parent / "elsewhere"
    elsewhere.mkdir()
    (repo / "output").mkdir()
    (repo / "output" / "exempel").symlink_to(elsewhere)
    result = build_docx()
    assert result.exit_code == 1
    assert list(elsewhere.iterdir()) == []
    assert "output/exempel är en länk; arendegen skriver och tar bort aldrig genom länkar" in (
        result.stdout
    )


def test_the_output_folder_itself_may_be_a_link_the_user_made(repo: Path) -> None:
    elsewhere = repo.parent / "elsewhere"
    elsewhere.mkdir()
    (repo / "ut").symlink_to(elsewhere)
    result = build_docx("--out", "ut")
    assert result.exit_code == 0, result.output
    assert (elsewhere / "exempel" / "A-1-tjänsteskrivelse.docx").is_file()


# 9. A repository's settings name folders inside the repository only.


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("ut: {elsewhere}", "är en absolut sökväg"),
        ("ut: ../elsewhere", "går upp ur mappen med '..'"),
        ("ut: länk", "utanför"),
        ("mallar: ../elsewhere", "går upp ur mappen med '..'"),
    ],
)
def test_settings_may_not_send_outputs_out_of_the_repository(
    repo: Path, setting: str, message: str
) -> None:
    elsewhere = repo.parent / "elsewhere"
    elsewhere.mkdir()
    (repo / "länk").symlink_to(elsewhere)
    (repo / "arendegen.yaml").write_text(
        "format: docx\n" + setting.format(elsewhere=elsewhere) + "\n", encoding="utf-8"
    )
    result = build_docx()
    assert result.exit_code == 2
    key = setting.partition(":")[0]
    assert f"arendegen.yaml:2:{len(key) + 3}: fel[AG705]: {key}: " in result.stderr
    assert message in result.stderr
    assert list(elsewhere.iterdir()) == []
    assert "Traceback" not in result.output


def test_the_command_line_may_name_any_output_folder(repo: Path) -> None:
    (repo / "arendegen.yaml").write_text("format: docx\nut: dokument\n", encoding="utf-8")
    elsewhere = repo.parent / "elsewhere"
    assert build_docx("--out", str(elsewhere)).exit_code == 0
    assert (elsewhere / "exempel" / "A-1-tjänsteskrivelse.docx").is_file()


# 10. Case files and packs linked out of the repository are refused, with the path.


def test_a_case_file_linked_out_of_the_repository_is_refused(repo: Path) -> None:
    secret = repo.parent / "secret.yaml"
    secret.write_text(case_text("HEMLIG 1"), encoding="utf-8")
    (repo / "cases" / "exempel" / "ond.yaml").symlink_to(secret)
    result = build_docx()
    assert result.exit_code == 1
    assert not list((repo / "output").rglob("HEMLIG*"))
    assert "cases/exempel/ond.yaml:1:1: fel[AG703]: ärendefilen är en länk till" in result.stdout
    assert "utanför ärenderepot" in result.stdout
    checked = run("validate")
    assert checked.exit_code == 1 and "cases/exempel/ond.yaml:1:1: fel[AG703]" in checked.stdout
    # Named on the command line, the same file is trusted.
    assert build_docx("cases/exempel/ond.yaml").exit_code == 0


def test_a_cases_folder_linked_out_of_the_repository_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "secret").mkdir()
    (tmp_path / "secret" / "s.yaml").write_text(case_text("HEMLIG 1"), encoding="utf-8")
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / "cases").symlink_to(tmp_path / "secret")
    old = Path.cwd()
    os.chdir(tmp_path / "repo")
    try:
        result = build_docx()
    finally:
        os.chdir(old)
    assert result.exit_code == 1
    assert "cases/s.yaml:1:1: fel[AG703]: ärendefilen är en länk till" in result.stdout
    assert not list((tmp_path / "repo").rglob("HEMLIG*"))


def test_a_case_file_linked_inside_the_repository_is_read(repo: Path) -> None:
    (repo / "andra").mkdir()
    (repo / "andra" / "c.yaml").write_text(case_text("C 1"), encoding="utf-8")
    (repo / "cases" / "exempel" / "c.yaml").symlink_to(repo / "andra" / "c.yaml")
    assert build_docx().exit_code == 0
    assert (repo / "output" / "exempel" / "C-1-tjänsteskrivelse.docx").is_file()


@pytest.mark.parametrize("linked", ["folder", "pack.yaml", "builtin name"])
def test_a_pack_linked_out_of_its_folder_is_refused(repo: Path, linked: str) -> None:
    name = "region" if linked == "builtin name" else "evil"
    outside = repo.parent / "outside" / name
    shutil.copytree(BUILTIN / "region", outside)
    pack_yaml = (outside / "pack.yaml").read_text(encoding="utf-8")
    (outside / "pack.yaml").write_text(
        pack_yaml.replace("namn: region", f"namn: {name}"), encoding="utf-8"
    )
    (repo / "templates").mkdir()
    if linked == "pack.yaml":
        shutil.copytree(BUILTIN / "region", repo / "templates" / name)
        (repo / "templates" / name / "pack.yaml").unlink()
        (repo / "templates" / name / "pack.yaml").symlink_to(outside / "pack.yaml")
        link = repo / "templates" / name / "pack.yaml"
    else:
        (repo / "templates" / name).symlink_to(outside)
        link = repo / "templates" / name
    (repo / "cases" / "exempel" / "a.yaml").write_text(
        f"mall: {name}\n" + case_text("A 1"), encoding="utf-8"
    )
    result = build_docx()
    assert result.exit_code == 1
    assert not (repo / "output" / "exempel" / "A-1-tjänsteskrivelse.docx").exists()
    assert f"mallpaketet '{name}' används inte: {link.relative_to(repo)} är en länk till" in (
        result.stdout
    )
    # Case b uses the default pack, region: refused too when the repository's `region` is
    # the link (never the built-in pack of the same name instead).
    other = (repo / "output" / "exempel" / "B-1-tjänsteskrivelse.docx").is_file()
    assert other == (name != "region")


# 11. Only temporary files this user's arendegen made are cleaned up.


def test_the_clean_up_leaves_a_users_files_that_look_temporary(repo: Path) -> None:
    (repo / "output" / "exempel").mkdir(parents=True)
    mine = [
        repo / "output" / ".arendegen-notmine.tmp",
        repo / "output" / "exempel" / ".arendegen-0123456789abcdef-0123456789abcdef.tmp",
    ]
    for path in mine:
        path.write_text("användarens", encoding="utf-8")
    assert build_docx().exit_code == 0
    assert all(path.read_text(encoding="utf-8") == "användarens" for path in mine)
    # A leftover of a build killed mid-write is arendegen's own: the next build removes it.
    from arendegen.output import temporary_name

    leftover = repo / "output" / "exempel" / temporary_name()
    leftover.write_bytes(b"halvskriven")
    assert build_docx().exit_code == 0
    assert not leftover.exists()
    assert all(path.is_file() for path in mine)


# 13. Two outputs of one build never share a file name.


@pytest.mark.parametrize(
    ("first", "second"),
    [("del 1", "del-1"), ("Del-1", "del-1"), ("o\u0308versikt", "översikt")],
)
def test_two_documents_with_one_file_name_are_an_error_naming_both(
    repo: Path, first: str, second: str
) -> None:
    (repo / "cases" / "exempel" / "a.yaml").write_text(
        case_text("A 1", first, second), encoding="utf-8"
    )
    message = f"handlingar[1].id: handlingen får samma filnamn som handlingar[0] ('{first}')"
    checked = run("validate", "cases")
    assert checked.exit_code == 1
    assert message in checked.stdout
    result = build_docx()
    assert result.exit_code == 1
    assert message in result.stdout
    assert not list((repo / "output" / "exempel").glob("A-1*"))


def test_two_cases_with_names_differing_only_in_case_are_an_error(repo: Path) -> None:
    (repo / "cases" / "exempel" / "b.yaml").write_text(case_text("a 1"), encoding="utf-8")
    result = build_docx()
    assert result.exit_code == 1
    assert (
        "handlingar[0] (tjänsteskrivelse) får filnamnet exempel/a-1-tjänsteskrivelse.docx, "
        "som cases/exempel/a.yaml redan gör (handlingar[0] (tjänsteskrivelse), "
        "exempel/A-1-tjänsteskrivelse.docx)"
    ) in result.stdout
    assert len(list((repo / "output" / "exempel").iterdir())) == 1


# 15. Two builds into one output folder take turns.

ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "arendegen", "build", "--format", "docx", *args]


def test_two_builds_at_once_into_one_folder_both_end_up_in_the_manifest(tmp_path: Path) -> None:
    out = tmp_path / "out"
    for group in ("a", "b"):
        for number in range(6):
            path = tmp_path / group / f"{group}{number}.yaml"
            path.parent.mkdir(exist_ok=True)
            path.write_text(case_text(f"{group.upper()} {number}"), encoding="utf-8")
    processes = [
        subprocess.Popen(
            command("--jobs", "1", "--out", str(out), str(tmp_path / group)),
            env=ENV,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for group in ("a", "b")
    ]
    for process in processes:
        _, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
    written = {p.relative_to(out).as_posix() for p in out.rglob("*.docx")}
    assert len(written) == 12
    assert set(manifest_of(out)["files"]) == written


class Held:
    """An output folder whose lock another build (this test) holds, with that build's
    temporary file in it."""

    def __init__(self, out: Path) -> None:
        import fcntl

        from arendegen.output import LOCK, temporary_name

        self.out = out
        out.mkdir()
        self.temporary = out / temporary_name()
        self.temporary.write_bytes(b"det andra byggets halvskrivna fil")
        self.handle = open(out / LOCK, "w")  # noqa: SIM115 (held across the test)
        fcntl.flock(self.handle, fcntl.LOCK_EX)

    def release(self) -> None:
        """What the other build does when it is done: remove its lock file, then let go."""
        os.unlink(self.out / output.LOCK)
        self.temporary.unlink()
        self.handle.close()


@pytest.fixture
def held(tmp_path: Path) -> Iterator[Held]:
    other = Held(tmp_path / "out")
    yield other
    if not other.handle.closed:
        other.handle.close()


def case_file(tmp_path: Path) -> Path:
    path = tmp_path / "a.yaml"
    path.write_text(case_text("A 1"), encoding="utf-8")
    return path


def test_a_build_waits_for_the_other_and_gives_up_with_exit_2(tmp_path: Path, held: Held) -> None:
    result = build_docx("--wait", "1", "--out", str(held.out), str(case_file(tmp_path)))
    assert result.exit_code == 2
    assert f"ett annat bygge skriver i {held.out}; väntar (högst 1 s)" in result.stderr
    assert f"{held.out}: ett annat bygge skriver i mappen; gav upp efter 1 s" in result.stderr
    assert held.temporary.is_file()  # the other build's file is untouched
    assert not list(held.out.glob("*.docx"))


def test_a_waiting_build_goes_on_when_the_other_is_done(tmp_path: Path, held: Held) -> None:
    process = subprocess.Popen(
        command("--out", str(held.out), str(case_file(tmp_path))),
        env=ENV,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    assert "väntar" in process.stderr.readline()
    time.sleep(0.5)
    assert held.temporary.is_file() and not list(held.out.glob("*.docx"))
    held.release()
    assert process.wait(timeout=120) == 0, process.stderr.read()
    assert (held.out / "A-1-tjänsteskrivelse.docx").is_file()
    assert set(manifest_of(held.out)["files"]) == {"A-1-tjänsteskrivelse.docx"}
    assert sorted(p.name for p in held.out.iterdir()) == [MANIFEST, "A-1-tjänsteskrivelse.docx"]


# 16. A build killed, or out of disk, at any point leaves files the next build knows as its own.

KILL_AFTER_FIRST_RENAME = """
import os, signal, sys
real = os.replace
def replace(src, dst, **kwargs):
    real(src, dst, **kwargs)
    if str(dst).endswith(".docx"):
        os.kill(os.getpid(), signal.SIGKILL)
os.replace = replace
from arendegen.cli import main
main(sys.argv[1:])
"""


def test_a_build_killed_right_after_renaming_a_file_leaves_it_known_as_ours(
    tmp_path: Path,
) -> None:
    case = case_file(tmp_path)
    out = tmp_path / "out"
    args = ["build", "--format", "docx", "--out", str(out), str(case)]
    assert subprocess.run(command("--out", str(out), str(case)), env=ENV).returncode == 0
    case.write_text(case_text("A 1", extra="konsekvenser: Första.\n"), encoding="utf-8")
    killed = subprocess.run([sys.executable, "-c", KILL_AFTER_FIRST_RENAME, *args], env=ENV)
    assert killed.returncode == -9
    case.write_text(case_text("A 1", extra="konsekvenser: Andra.\n"), encoding="utf-8")
    done = subprocess.run(
        command("--out", str(out), str(case)), env=ENV, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 fil skriven" in done.stderr


def test_a_full_disk_while_saving_the_manifest_leaves_the_files_known_as_ours(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = case_file(tmp_path)
    out = tmp_path / "out"
    assert build([case], out).failed == []
    real = os.replace
    renamed: list[str] = []

    def full_after_a_document(src: str, dst: str, **kwargs: object) -> None:
        if str(dst).endswith(MANIFEST) and renamed:
            raise OSError(28, "No space left on device")
        real(src, dst)
        if str(dst).endswith(".docx"):
            renamed.append(str(dst))

    monkeypatch.setattr(os, "replace", full_after_a_document)
    case.write_text(case_text("A 1", extra="konsekvenser: Första.\n"), encoding="utf-8")
    with pytest.raises(OSError, match="disken är full"):
        build([case], out)
    assert renamed  # the document did reach its place before the disk was full
    monkeypatch.setattr(os, "replace", real)
    case.write_text(case_text("A 1", extra="konsekvenser: Andra.\n"), encoding="utf-8")
    report = build([case], out)
    assert report.failed == [] and report.written == ["A-1-tjänsteskrivelse.docx"]


# 20. Odd names become one case's diagnostic, never a crash.


def test_a_case_file_name_that_is_not_utf8_is_that_cases_error(repo: Path) -> None:
    odd = os.fsencode(repo / "cases" / "exempel") + b"/\xff.yaml"
    with open(odd, "w", encoding="utf-8") as handle:
        handle.write(case_text("C 1"))
    for _ in range(2):  # the manifest saved by the first build does not break the second
        result = build_docx()
        assert result.exit_code == 1, result.output
        assert "Traceback" not in result.output
        assert (
            "cases/exempel/\ufffd.yaml:1:1: fel[AG702]: filnamnet är inte giltig UTF-8"
            in result.stdout
        )
    assert (repo / "output" / "exempel" / "A-1-tjänsteskrivelse.docx").is_file()
    checked = run("validate")
    assert checked.exit_code == 1 and "\ufffd.yaml" in checked.stdout


def test_a_long_diarienummer_is_cut_to_a_file_name_the_disk_takes(repo: Path) -> None:
    long = "Ö" * 120
    (repo / "cases" / "exempel" / "c.yaml").write_text(case_text(long, long), encoding="utf-8")
    result = run("build", "--format", "docx", "--bundle")
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (repo / "output" / "exempel").glob("ÖÖÖ*"))
    stem = "Ö" * 50  # 100 bytes of UTF-8 for each part of the name
    assert names == [f"{stem}-handlingar.pdf", f"{stem}-{stem}.docx"]
    assert all(len(name.encode()) <= 255 for name in names)


def test_a_file_that_cannot_be_written_is_its_cases_error(repo: Path) -> None:
    (repo / "cases" / "andra").mkdir()
    (repo / "cases" / "andra" / "c.yaml").write_text(case_text("C 1"), encoding="utf-8")
    (repo / "output").mkdir()
    (repo / "output" / "andra").write_text("en fil där en mapp skulle vara", encoding="utf-8")
    result = build_docx()
    assert result.exit_code == 1
    assert (
        "cases/andra/c.yaml:1:1: fel[AG619]: output/andra/C-1-tjänsteskrivelse.docx kan inte skrivas"
        in (result.stdout)
    )
    assert "output/andra är ingen mapp" in result.stdout
    assert (repo / "output" / "exempel" / "A-1-tjänsteskrivelse.docx").is_file()


# Every text read from the manifest is one arendegen could have written (attack 2).

ODD = ["exempel/\ud800.docx", "exempel/a\x00.docx", "exempel/" + "x" * 300 + ".docx"]


@pytest.mark.parametrize("odd", ODD)
@pytest.mark.parametrize("where", ["files", "pending", "sources", "outputs", "attached", "case"])
def test_an_odd_name_in_the_manifest_makes_it_damaged_not_a_crash(
    repo: Path, where: str, odd: str
) -> None:
    assert build_docx().exit_code == 0
    manifest = manifest_of(repo / "output")
    record = manifest["cases"]["cases/exempel/a.yaml"]
    if where in ("files", "pending", "sources"):
        manifest[where][odd] = "0" * 64
    elif where == "case":
        manifest["cases"]["cases/" + odd] = {**record, "outputs": []}
    else:
        record[where].append(odd)
    (repo / "output" / MANIFEST).write_text(json.dumps(manifest), encoding="ascii")
    (repo / "cases" / "exempel" / "a.yaml").write_text(
        case_text("A 1", extra="konsekvenser: Nytt.\n"), encoding="utf-8"
    )
    warned = build_docx()
    assert warned.exit_code == 0, warned.output
    assert "Traceback" not in warned.output
    assert "förteckningen över arendegens filer är skadad" in warned.stdout
    assert odd[:20].encode("utf-8", "backslashreplace").decode().replace("\x00", "\\x00") in (
        warned.stdout
    )
    assert "1 fil skriven" in warned.stderr
    again = build_docx()  # the manifest saved by that build is sound again
    assert again.exit_code == 0 and "skadad" not in again.output, again.output
    assert (repo / "output" / "exempel" / "B-1-tjänsteskrivelse.docx").is_file()


@pytest.mark.parametrize("written", ["./bilaga.pdf", "bilagor//bilaga.pdf", "bilagor/./bilaga.pdf"])
def test_an_attached_file_named_any_way_validate_accepts_keeps_the_manifest_sound(
    repo: Path, written: str
) -> None:
    folder = repo / "cases" / "exempel"
    (folder / "bilagor").mkdir()
    for pdf in (folder / "bilaga.pdf", folder / "bilagor" / "bilaga.pdf"):
        pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    extra = f"bilagor:\n  - {{titel: Bilaga, fil: '{written}'}}\n"
    (folder / "a.yaml").write_text(case_text("A 1", extra=extra), encoding="utf-8")
    assert run("validate", "cases/exempel/a.yaml").exit_code == 0
    assert build_docx().exit_code == 0
    (folder / "b.yaml").unlink()
    again = build_docx()
    assert again.exit_code == 0 and "skadad" not in again.output, again.output
    assert "tog bort output/exempel/B-1-tjänsteskrivelse.docx" in again.output
    assert "1 ärende: 0 filer skrivna, 1 oförändrad" in again.stderr


# Names of arendegen's own files are kept for them (attack 2).


@pytest.mark.parametrize("folder", [MANIFEST, ".arendegen-lock", ".Arendegen-egen"])
def test_a_case_folder_named_like_arendegens_own_files_is_that_cases_error(
    repo: Path, folder: str
) -> None:
    (repo / "cases" / folder).mkdir()
    (repo / "cases" / folder / "c.yaml").write_text(case_text("C 1"), encoding="utf-8")
    for _ in range(2):
        result = build_docx()
        assert result.exit_code == 1, result.output
        assert (
            f"cases/{folder}/c.yaml:1:1: fel[AG612]: handlingar[0] (tjänsteskrivelse) skulle skrivas "
            f"som output/{folder}/C-1-tjänsteskrivelse.docx, men namn som börjar med "
            f"'.arendegen' ({folder}) är arendegens egna; byt namn på mappen"
        ) in result.stdout
    assert (repo / "output" / MANIFEST).is_file()
    assert not (repo / "output" / folder).is_dir()
    assert (repo / "output" / "exempel" / "A-1-tjänsteskrivelse.docx").is_file()


@pytest.mark.parametrize(("name", "what"), [(MANIFEST, "förteckning"), (output.LOCK, "låsfil")])
def test_a_folder_in_the_place_of_the_manifest_or_lock_is_a_clear_error(
    repo: Path, name: str, what: str
) -> None:
    (repo / "output" / name).mkdir(parents=True)
    result = build_docx()
    assert result.exit_code == 2
    assert (
        f"output/{name}: kan inte skrivas: en mapp ligger där arendegen har sin {what}; ta bort den"
    ) in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "claimed", ["exempel/beslut.txt", "exempel/.gitkeep", "exempel/.dold.docx", ".arendegen-x.pdf"]
)
def test_a_manifest_cannot_claim_a_file_arendegen_never_names_so(repo: Path, claimed: str) -> None:
    assert build_docx().exit_code == 0
    users = repo / "output" / claimed
    users.write_text("användarens", encoding="utf-8")
    manifest = manifest_of(repo / "output")
    manifest["files"][claimed] = sha(users)
    manifest["cases"]["cases/exempel/raderad.yaml"] = {
        **manifest["cases"]["cases/exempel/a.yaml"],
        "outputs": [claimed],
    }
    (repo / "output" / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    result = build_docx()
    assert result.exit_code == 0, result.output
    assert users.read_text(encoding="utf-8") == "användarens"
    assert f"'{claimed}' är inget namn som arendegen ger en handling" in result.stdout


# The manifest is signed with the user's key: unsigned, its word skips and deletes nothing.


def test_a_doctored_output_that_the_manifest_vouches_for_is_built_again(repo: Path) -> None:
    assert build_docx().exit_code == 0
    made = repo / "output" / "exempel" / "A-1-tjänsteskrivelse.docx"
    right = made.read_bytes()
    made.write_bytes(right.replace(b"Docs", b"Doks") + b"doctored")
    manifest = manifest_of(repo / "output")
    manifest["files"]["exempel/A-1-tjänsteskrivelse.docx"] = sha(made)
    (repo / "output" / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    result = build_docx()
    assert result.exit_code == 0, result.output
    assert "skriv" in result.output and "1 fil skriven" in result.stderr
    assert made.read_bytes() == right


def test_a_manifest_signed_elsewhere_gives_a_full_build_that_deletes_nothing(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert build_docx().exit_code == 0
    # A CI runner with a fresh cache, and the output folder restored from elsewhere:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "ny-cache"))
    monkeypatch.setattr(output, "_KEY", [])
    (repo / "cases" / "exempel" / "b.yaml").unlink()
    result = build_docx()
    assert result.exit_code == 0, result.output
    assert "skadad" not in result.output
    assert "är inte signerat av arendegen här" in result.stderr  # said once, on stderr
    assert "1 ärende: 0 filer skrivna, 1 oförändrad, 0 borttagna" in result.stderr  # compared
    assert (repo / "output" / "exempel" / "B-1-tjänsteskrivelse.docx").is_file()  # kept
    (repo / "cases" / "exempel" / "a.yaml").write_text(
        case_text("A 1", extra="konsekvenser: Nytt.\n"), encoding="utf-8"
    )
    again = build_docx()  # the manifest now carries this cache's signature: ours replaced
    assert again.exit_code == 0 and "1 fil skriven" in again.stderr, again.output
    last = build_docx()
    assert "1 oförändrad" in last.stderr  # and unchanged cases skipped again
    assert "inte signerat" not in last.stderr


@pytest.mark.parametrize("built", ["cases/a", "cases/a/annat.yaml"])
def test_a_partial_build_never_replaces_another_cases_output(repo: Path, built: str) -> None:
    (repo / "cases" / "a").mkdir()
    (repo / "cases" / "rot.yaml").write_text(case_text("X 1"), encoding="utf-8")
    (repo / "cases" / "a" / "annat.yaml").write_text(case_text("X 1"), encoding="utf-8")
    assert build_docx().exit_code == 0  # output/X-1-… and output/a/X-1-…
    roots = repo / "output" / "X-1-tjänsteskrivelse.docx"
    before = roots.read_bytes()
    (repo / "cases" / "a" / "annat.yaml").write_text(
        case_text("X 1", extra="konsekvenser: Ändrat.\n"), encoding="utf-8"
    )
    result = build_docx(built)  # mirrors from cases/a: its output would be X-1-… too
    assert result.exit_code == 1
    assert (
        f"{built if built.endswith('.yaml') else 'cases/a/annat.yaml'}:1:1: fel[AG616]: handlingar[0] "
        "(tjänsteskrivelse) får filnamnet X-1-tjänsteskrivelse.docx, som cases/rot.yaml "
        "redan gör (ett annat ärende, byggt tidigare)"
    ) in result.stdout
    assert roots.read_bytes() == before
    assert (
        "X-1-tjänsteskrivelse.docx"
        in manifest_of(repo / "output")["cases"]["cases/rot.yaml"]["outputs"]
    )
    assert build_docx().exit_code == 0  # the whole repository still builds
    assert roots.read_bytes() == before


def test_a_case_folder_named_like_another_cases_output_file_is_an_error_naming_both(
    repo: Path,
) -> None:
    folder = repo / "cases" / "X-1-tjänsteskrivelse.docx"
    folder.mkdir()
    (folder / "inne.yaml").write_text(case_text("Y 1"), encoding="utf-8")
    (repo / "cases" / "rot.yaml").write_text(case_text("X 1"), encoding="utf-8")
    for _ in range(2):
        result = build_docx()
        assert result.exit_code == 1
        assert (
            "cases/rot.yaml:1:1: fel[AG615]: handlingar[0] (tjänsteskrivelse) får filnamnet "
            "X-1-tjänsteskrivelse.docx, men cases/X-1-tjänsteskrivelse.docx/inne.yaml skriver "
            "sina filer i en mapp med det namnet"
        ) in result.stdout
        assert "Is a directory" not in result.output and "inte gjord av" not in result.output
    assert (repo / "output" / "X-1-tjänsteskrivelse.docx" / "Y-1-tjänsteskrivelse.docx").is_file()


def test_junk_in_the_manifest_is_dropped_and_a_huge_one_is_damaged(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert build_docx().exit_code == 0
    manifest = manifest_of(repo / "output")
    manifest["files"].update({f"d{i}/f{i}.docx": "0" * 64 for i in range(40)})
    (repo / "output" / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    assert build_docx("--force").exit_code == 0
    assert set(manifest_of(repo / "output")["files"]) == {
        "exempel/A-1-tjänsteskrivelse.docx",
        "exempel/B-1-tjänsteskrivelse.docx",
    }
    monkeypatch.setattr(output, "MANIFEST_NAMES", 30)  # 40 junk names: beyond the bound
    (repo / "output" / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    result = build_docx()
    assert result.exit_code == 0, result.output
    assert "förteckningen över arendegens filer är skadad (fler än 30 namn)" in result.stdout
    assert len(manifest_of(repo / "output")["files"]) == 2


def test_a_link_that_loops_is_refused_by_name_and_its_folder_still_walked(
    tmp_path: Path,
) -> None:
    """A case folder holding `a.yaml -> a.yaml`: that file is refused, saying it loops, and
    every other case of the folder is still found (it used to hide the whole folder)."""
    from arendegen.results import case_files

    cases = tmp_path / "cases"
    cases.mkdir()
    for name in ["b", "c", "d"]:
        (cases / f"{name}.yaml").write_text("titel: x\n", encoding="utf-8")
    (cases / "a.yaml").symlink_to("a.yaml")
    found, refused = case_files([cases])
    assert sorted(p.name for p, _ in found) == ["b.yaml", "c.yaml", "d.yaml"]
    assert len(refused) == 1 and "slinga" in refused[0].diagnostics[0].message
