"""Measure .docx → PDF conversion strategies on this machine, in one run.

    .venv/bin/python bench/pdf_conversion.py [N]

Converts N copies of the seed documents (default 28) as: one soffice call per document,
one batch, and two batches in parallel (what `arendegen build --jobs 2` does), and prints
milliseconds per document with the machine's details. Not part of the test suite.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from arendegen.pipeline import build
from arendegen.render.pdf import ARCHIVE_OPTIONS, Job, convert, soffice

ROOT = Path(__file__).resolve().parent.parent


def raw(files: list[Path], out: Path, profile: Path) -> None:
    import json

    subprocess.run(
        [
            soffice(),
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf:writer_pdf_Export:" + json.dumps(ARCHIVE_OPTIONS),
            "--outdir",
            str(out),
            *map(str, files),
        ],
        check=True,
        capture_output=True,
    )


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 28
    with tempfile.TemporaryDirectory() as work:
        root = Path(work)
        build([ROOT / "cases"], root / "docx")
        seeds = sorted((root / "docx").rglob("*.docx"))
        files = []
        for i in range(n):
            target = root / "in" / f"d{i:04d}.docx"
            target.parent.mkdir(exist_ok=True)
            target.write_bytes(seeds[i % len(seeds)].read_bytes())
            files.append(target)
        rows = []

        started = time.perf_counter()
        for i, f in enumerate(files[: min(n, 8)]):
            raw([f], root / "single", root / f"p-single-{i}")
        rows.append(("one soffice call per document", (time.perf_counter() - started) / min(n, 8)))

        started = time.perf_counter()
        raw(files, root / "batch", root / "p-batch")
        rows.append(("one batch (raw soffice)", (time.perf_counter() - started) / n))

        half = [files[0::2], files[1::2]]
        started = time.perf_counter()
        with ThreadPoolExecutor(2) as pool:
            list(
                pool.map(
                    lambda p: raw(p[1], root / f"par{p[0]}", root / f"p-par{p[0]}"), enumerate(half)
                )
            )
        rows.append(("two batches in parallel (raw soffice)", (time.perf_counter() - started) / n))

        jobs = [Job(str(f), f.read_bytes(), None) for f in files]
        started = time.perf_counter()
        convert(jobs, workers=2)
        rows.append(
            ("arendegen convert, 2 workers (+ pikepdf fix-up)", (time.perf_counter() - started) / n)
        )

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.processor() or platform.platform()}"
    )
    print(f"documents: {n} (copies of the 7 seed documents, 1-3 pages), PDF/A-2b tagged")
    for name, seconds in rows:
        print(f"{name:50s} {seconds * 1000:8.0f} ms/document")


if __name__ == "__main__":
    main()
