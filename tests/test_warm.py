"""The LibreOffice kept running for the live preview (render/warm.py): a build's PDF, byte for
byte, in a fraction of a cold start; and nothing left running, whatever happens to it."""

from __future__ import annotations

import datetime as dt
import gc
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from arendegen.api import check, render_documents
from arendegen.render import pdf, warm
from arendegen.render.warm import WarmOffice
from conftest import CASES, ROOT

CASE = CASES / "examples" / "ks-2025-172-vatten-och-avlopp.yaml"
DATE = dt.date(2025, 4, 22)


@pytest.fixture(scope="module", autouse=True)
def _uno() -> None:
    """The warm office needs python3-uno; under CI its absence is a failure, not a skip."""
    if not warm.available():
        why = f"LibreOffice eller python3-uno för {warm.system_python()} saknas; scripts/test installerar dem"
        if os.environ.get("CI"):
            pytest.fail(why)
        pytest.skip(why)


@pytest.fixture(scope="module")
def docx() -> bytes:
    """The case's tjänsteutlåtande: three pages, with tables."""
    result = check(CASE)
    (document,) = [d for d in render_documents(result) if d.kind == "tjänsteutlåtande"]
    return document.docx


@pytest.fixture(scope="module")
def office() -> Iterator[WarmOffice]:
    with WarmOffice() as running:
        running.start()
        yield running


def soffice_bin(office: WarmOffice) -> int:
    """The id of LibreOffice's own process (under the worker and LibreOffice's launcher)."""
    (found,) = [p for p in office.processes() if _name(p) == "soffice.bin"]
    return found


def _name(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def _running(pids: list[int]) -> list[int]:
    """Those of `pids` still running (a zombie, dead and not yet reaped, is not)."""
    alive = []
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        if stat.rpartition(")")[2].split()[0] != "Z":
            alive.append(pid)
    return alive


def _gone(pids: list[int], seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while _running(pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not _running(pids)


@pytest.mark.parametrize("archive", [True, False], ids=["pdf-a", "plain"])
def test_the_pdf_is_a_builds_byte_for_byte(office: WarmOffice, docx: bytes, archive: bool) -> None:
    (cold,) = pdf.convert([pdf.Job("a", docx, DATE)], archive=archive, workers=1)
    assert cold.pdf is not None, cold.problem
    assert office.convert(docx, DATE, archive=archive) == cold.pdf
    assert (b"pdfaid:part" in cold.pdf) == archive  # the export options reached LibreOffice


def test_the_same_libreoffice_converts_again_and_faster_than_a_cold_start(
    office: WarmOffice, docx: bytes
) -> None:
    office.convert(docx, DATE)
    before = soffice_bin(office)
    started = time.perf_counter()
    office.convert(docx, DATE)
    warm_seconds = time.perf_counter() - started
    started = time.perf_counter()
    (cold,) = pdf.convert([pdf.Job("a", docx, DATE)], archive=False, workers=1)
    cold_seconds = time.perf_counter() - started
    assert cold.pdf is not None
    assert soffice_bin(office) == before
    assert warm_seconds < cold_seconds / 2, (warm_seconds, cold_seconds)


def test_calls_from_two_threads_take_turns(office: WarmOffice, docx: bytes) -> None:
    made: list[bytes] = []
    threads = [
        threading.Thread(target=lambda: made.append(office.convert(docx, DATE))) for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(made) == 2 and made[0] == made[1]


@pytest.mark.parametrize(
    "broken", [b"ingen docx", b"PK\x03\x04" + bytes(200), "half"], ids=["text", "zip", "half"]
)
def test_a_document_libreoffice_cannot_read_fails_alone(
    office: WarmOffice, docx: bytes, broken: bytes | str
) -> None:
    data = docx[: len(docx) // 2] if broken == "half" else broken
    assert isinstance(data, bytes)
    before = soffice_bin(office)
    with pytest.raises(pdf.ConversionError) as caught:
        office.convert(data, DATE)
    assert str(caught.value) == "LibreOffice kunde inte läsa dokumentet som .docx"
    assert office.convert(docx, DATE).startswith(b"%PDF-")
    assert soffice_bin(office) == before


def test_a_libreoffice_killed_between_calls_is_started_again(docx: bytes) -> None:
    with WarmOffice() as office:
        first = office.convert(docx, DATE)
        old = office.processes()
        os.kill(soffice_bin(office), signal.SIGKILL)
        assert office.convert(docx, DATE) == first
        assert soffice_bin(office) not in old
        assert _gone(old)


def test_a_hung_libreoffice_is_killed_with_its_group_and_started_again(docx: bytes) -> None:
    with WarmOffice(timeout=2) as office:
        office.start()
        old = office.processes()
        os.kill(soffice_bin(office), signal.SIGSTOP)
        started = time.perf_counter()
        with pytest.raises(pdf.ConversionError) as caught:
            office.convert(docx, DATE)
        assert str(caught.value) == "LibreOffice svarade inte inom 2 s och avbröts"
        assert time.perf_counter() - started < 4
        assert _gone(old)
        assert office.processes() == []
        assert office.convert(docx, DATE).startswith(b"%PDF-")


@pytest.mark.parametrize("how", ["close", "dropped"])
def test_nothing_is_left_running_or_on_disk(docx: bytes, how: str) -> None:
    sockets = set(Path("/tmp").glob("OSL_PIPE_*"))
    office = WarmOffice()
    office.convert(docx, DATE)
    pids = office.processes()
    folder = office._slot.worker.folder  # type: ignore[union-attr]
    assert len(pids) >= 2 and folder.is_dir()
    if how == "close":
        office.close()
    else:
        del office
        gc.collect()
    assert _gone(pids)
    assert not folder.exists()
    assert set(Path("/tmp").glob("OSL_PIPE_*")) <= sockets


def test_a_process_that_dies_takes_its_libreoffice_with_it() -> None:
    """The server killed outright: the worker reads the end of its input and ends LibreOffice."""
    script = (
        "from arendegen.render.warm import WarmOffice\n"
        "office = WarmOffice(); office.start()\n"
        "print(office._slot.worker.folder, *office.processes(), flush=True)\n"
        "import time; time.sleep(60)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, env=env)
    assert child.stdout is not None
    folder, *pids = child.stdout.readline().decode().split()
    assert len(pids) >= 2 and Path(folder).is_dir()
    child.kill()
    child.wait()
    assert _gone([int(p) for p in pids], seconds=15)
    assert not Path(folder).exists()


def test_a_libreoffice_that_cannot_start_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARENDEGEN_SOFFICE", "false")
    with WarmOffice() as office, pytest.raises(pdf.ConversionError) as caught:
        office.start()
    assert str(caught.value) == "LibreOffice kunde inte startas (avslutades med kod 1)"


def test_without_uno_the_office_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, docx: bytes
) -> None:
    monkeypatch.setenv("ARENDEGEN_UNO_PYTHON", sys.executable)  # ours: it has no uno
    with WarmOffice() as office, pytest.raises(warm.Unavailable) as caught:
        office.convert(docx, DATE)
    assert str(caught.value) == (
        f"LibreOffice:s Python-gränssnitt saknas för {sys.executable}; installera det med: "
        "sudo apt-get install --no-install-recommends python3-uno"
    )
    warm.available.cache_clear()
    try:
        assert not warm.available()
    finally:
        warm.available.cache_clear()
