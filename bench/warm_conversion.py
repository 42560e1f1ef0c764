"""Measure the live preview's conversion: a LibreOffice kept warm against a cold one.

    .venv/bin/python bench/warm_conversion.py [RUNS]

Converts the three-page tjänsteutlåtande of cases/examples/ks-2025-172-vatten-och-avlopp.yaml
RUNS times (default 20) through one `WarmOffice` (render/warm.py), and a few times through
`render.pdf.convert` (a cold `soffice` each time, as a build), both with the reproducible
fix-up, and prints milliseconds with the machine's details. Issue 20 asks for a preview within
1 s of an edit (median). Not part of the test suite.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pikepdf

from arendegen.api import check, render_documents
from arendegen.render.pdf import Job, convert
from arendegen.render.warm import WarmOffice

ROOT = Path(__file__).resolve().parent.parent
CASE = ROOT / "cases" / "examples" / "ks-2025-172-vatten-och-avlopp.yaml"
DATE = dt.date(2025, 4, 22)
COLD_RUNS = 5


def timed(action: Callable[[], object], runs: int) -> list[float]:
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        seconds.append(time.perf_counter() - started)
    return seconds


def cold(docx: bytes, archive: bool) -> bytes:
    (done,) = convert([Job("a", docx, DATE)], archive=archive, workers=1)
    assert done.pdf is not None, done.problem
    return done.pdf


def memory(pids: list[int]) -> int:
    """Resident kilobytes of these processes together."""
    total = 0
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total


def processor() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.partition(":")[2].strip()
    return platform.processor() or platform.platform()


def row(name: str, seconds: list[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    p95 = statistics.quantiles(ms, n=20, method="inclusive")[18] if len(ms) > 1 else ms[0]
    median = statistics.median(ms)
    return f"{name:44s} median {median:6.0f} ms   p95 {p95:6.0f} ms   ({len(ms)} runs)"


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    (document,) = [d for d in render_documents(check(CASE)) if d.kind == "tjänsteutlåtande"]
    docx = document.docx
    rows = []
    with WarmOffice() as office:
        started = time.perf_counter()
        office.start()
        start = time.perf_counter() - started
        first = timed(lambda: office.convert(docx, DATE), 1)[0]
        plain = timed(lambda: office.convert(docx, DATE), runs)
        archive = timed(lambda: office.convert(docx, DATE, archive=True), runs)
        resident = memory(office.processes())
        made = office.convert(docx, DATE)
        assert made == cold(docx, archive=False)  # the same bytes, or the figures mean nothing
    rows.append(row("warm, plain PDF (the preview)", plain))
    rows.append(row("warm, PDF/A-2b", archive))
    rows.append(
        row("cold render.pdf.convert, plain PDF", timed(lambda: cold(docx, False), COLD_RUNS))
    )
    rows.append(
        row("cold render.pdf.convert, PDF/A-2b", timed(lambda: cold(docx, True), COLD_RUNS))
    )
    with pikepdf.open(io.BytesIO(made)) as pdf:
        pages = len(pdf.pages)

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {processor()}")
    print(f"document: {document.name}, {pages} pages, {len(docx) // 1024} kB .docx")
    print(f"warm start (WarmOffice.start, LibreOffice answering): {start * 1000:.0f} ms")
    print(f"first conversion after the start: {first * 1000:.0f} ms")
    print(f"LibreOffice and the worker, resident: {resident / 1024:.0f} MB")
    for line in rows:
        print(line)


if __name__ == "__main__":
    main()
