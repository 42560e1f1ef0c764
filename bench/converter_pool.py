"""Compare, in one run on this machine, where DOCX becomes PDF (issue 21, item 3).

    .venv/bin/python bench/converter_pool.py [CASES]

Writes CASES synthetic cases (default 40, bench/generate.py), renders their .docx once, then
converts every document to PDF/A (with the reproducible fix-up) three ways:

- local batches: `render.pdf.convert`, 2 workers (a cold `soffice` per batch, as `build` does);
- a pool of two unoserver instances on 127.0.0.1 (`--converter unoserver://…`), whose start-up
  (LibreOffice started and answering) is timed apart, as a server runs before builds;
- one shard of two (`build --shard 1/2`, local batches): what one of two CI jobs converts.

Prints seconds per document and start-ups, with the machine's details; checks that the pool's
PDFs are the local bytes. Needs scripts/install-unoserver. Not part of the test suite.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "bench"), str(ROOT / "tests")]

from generate import generate  # noqa: E402

from arendegen.pipeline import Options, build  # noqa: E402
from arendegen.render.pdf import Job, convert  # noqa: E402
from arendegen.render.remote import parse_converter  # noqa: E402
from arendegen.shards import Shard  # noqa: E402
from unoservers import missing, running  # noqa: E402

DATE = dt.date(2025, 4, 22)


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "okänd processor",
    )
    return (
        f"{platform.machine()}, {os.cpu_count()} kärnor, {cpu}, Python {platform.python_version()}"
    )


def row(what: str, seconds: float, documents: int, startup: float | None = None) -> None:
    per = 1000 * seconds / max(1, documents)
    start = f"{startup:6.2f} s" if startup is not None else "     –  "
    print(f"| {what:<44} | {documents:4d} | {seconds:7.2f} s | {per:7.1f} ms | {start} |")


def main() -> None:
    why = missing()
    if why:
        sys.exit(f"bench: {why}")
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    with tempfile.TemporaryDirectory(prefix="arendegen-bench-") as work:
        cases = Path(work) / "cases"
        generate(count, cases)
        out = Path(work) / "docx"
        build([cases], out, options=Options(formats=("docx",)))
        docx = sorted(out.rglob("*.docx"))
        jobs = [Job(p.relative_to(out).as_posix(), p.read_bytes(), DATE) for p in docx]
        print(f"maskin: {machine()}")
        print(f"{count} ärenden, {len(jobs)} dokument, PDF/A-2b med fix-up\n")
        print("| sätt | dok. | tid | per dokument | uppstart |")
        print("|---|---|---|---|---|")

        started = time.perf_counter()
        local = convert(jobs, workers=2, timeout_per_document=60)
        row("lokala batchar, 2 soffice", time.perf_counter() - started, len(jobs))

        started = time.perf_counter()
        with running(2) as instances:
            startup = time.perf_counter() - started
            pool = parse_converter("unoserver://" + ",".join(i.address for i in instances))
            started = time.perf_counter()
            pooled = convert(jobs, workers=2, timeout_per_document=60, pool=pool)
            row(
                "pool av två unoserver (127.0.0.1)",
                time.perf_counter() - started,
                len(jobs),
                startup,
            )
        same = [a.pdf for a in local] == [b.pdf for b in pooled] and all(a.pdf for a in local)

        shard = Shard(1, 2)
        started = time.perf_counter()
        report = build(
            [cases], Path(work) / "shard", options=Options(formats=("pdf",)), shard=shard
        )
        seconds = time.perf_counter() - started
        built = sum(1 for _ in (Path(work) / "shard").rglob("*.pdf"))
        row("en del av två (--shard 1/2, lokalt, hela build)", seconds, built)
        print(f"\npoolens PDF:er = de lokala, byte för byte: {'ja' if same else 'NEJ'}")
        print(
            f"del 1/2: {len(report.results)} av {count} ärenden, {built} PDF:er, "
            f"{len(report.failed)} med fel (tiden är hela bygget: kontroll, .docx och PDF)"
        )


if __name__ == "__main__":
    main()
