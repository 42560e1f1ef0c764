"""Shared fixtures: the repository's folders and a way to write small case files inline."""

from __future__ import annotations

import io
import shutil
import signal
import subprocess
import textwrap
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

import pytest

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "cases"
EXAMPLES = CASES / "examples"
"""Cases written for arendegen to show the whole vocabulary; the other folders hold the seeds."""
SEED_FOLDERS = [CASES / "bollebygds-kommun", CASES / "region", CASES / "region-halland"]
SEEDS = Path(__file__).resolve().parent / "fixtures" / "seeds"

WriteCase = Callable[[str], Path]


@pytest.fixture(autouse=True, scope="session")
def _own_cache_folder(tmp_path_factory: pytest.TempPathFactory) -> None:
    """arendegen's caches (template checks, output file times) in the session's own folder,
    not the user's: tests neither leave files in ~/.cache nor depend on what is there."""
    import os

    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="session")
def seed_cases(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cases/ folder holding the seed cases only, laid out as in the repository."""
    import shutil

    root = tmp_path_factory.mktemp("seed-cases") / "cases"
    for folder in SEED_FOLDERS:
        shutil.copytree(folder, root / folder.name)
    return root


@pytest.fixture
def write_case(tmp_path: Path) -> WriteCase:
    """Write YAML text (dedented) to a fresh case file and return its path."""
    counter = iter(range(1_000_000))

    def write(text: str) -> Path:
        path = tmp_path / f"case{next(counter)}.yaml"
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write


@contextmanager
def within(seconds: float, what: str) -> Iterator[None]:
    """Fail when the block runs longer than `seconds`; SIGALRM also stops a runaway regular
    expression or expansion, so code that would hang fails in a second instead."""

    def stop(signum: int, frame: FrameType | None) -> None:
        raise TimeoutError(f"{what}: over {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    start = time.perf_counter()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert time.perf_counter() - start < seconds, what


def soffice_pdfs(files: list[Path], out: Path, *, timeout: float = 240) -> None:
    """LibreOffice's own PDFs of `files` (documents it reads) in `out`, as a person converting
    them by hand would get them: a check on what arendegen gives, not a part of it."""
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice saknas: kör scripts/install-system-deps"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(out / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *map(str, files),
        ],
        check=True,
        capture_output=True,
        timeout=timeout,
    )


def zip_members(data: bytes) -> dict[str, bytes]:
    """The members of a zip (a .docx), by name."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def zip_of(members: dict[str, bytes]) -> bytes:
    """A zip (a .docx) of these members, in this order."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, blob in members.items():
            archive.writestr(name, blob)
    return out.getvalue()


def own_pack(root: Path, name: str, extra: str, base: str = "region") -> Path:
    """A copy of a built-in pack, renamed, with YAML appended to its pack.yaml; the folder
    to give as `templates`."""
    from arendegen.packs import BUILTIN

    folder = root / "mallar" / name
    shutil.copytree(BUILTIN / base, folder)
    config = folder / "pack.yaml"
    text = config.read_text(encoding="utf-8").replace(f"namn: {base}", f"namn: {name}")
    config.write_text(text + "\n" + extra, encoding="utf-8")
    return root / "mallar"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Marks a test whose body failed (`failed_call`), for fixtures that keep evidence of it
    (the browser tests keep a screenshot)."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if report.when == "call" and report.failed:
        item.failed_call = True  # type: ignore[attr-defined]
