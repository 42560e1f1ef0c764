"""The benchmark: one command, one run, one table with the machine's details.

    .venv/bin/python bench/run.py [--cases 1000] [--docx 200] [--pdf 150] [--full 1000]

Each measurement runs in a child process of its own, so its peak memory is its own. The table
is printed and written to bench/RESULTS.md. Not part of the pass/fail suite; the suite runs it
once at a tiny size so that it keeps working.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))


def child(name: str, work: Path, n: int) -> dict[str, Any]:
    """Run one measurement in this (child) process; return seconds and a count."""
    from generate import generate

    cases = work / "cases"
    if not cases.exists():
        generate(n, cases)
    started = time.perf_counter()
    count = n
    if name == "validate":
        from arendegen.validate import check_paths

        results = check_paths([cases])
        assert not any(r.errors for r in results)
    elif name == "docx":
        from arendegen.pipeline import Options, build

        report = build(
            [cases], work / "out-docx", options=Options(formats=("docx",), jobs=1, force=True)
        )
        count = len(report.written) + len(report.unchanged)
    elif name in {"render", "docxtpl", "zipfloor"}:
        loop = {"render": _render_arendegen, "docxtpl": _docxtpl_baseline, "zipfloor": _zip_floor}
        count, seconds = loop[name](cases)
        started = time.perf_counter() - seconds  # only the timed loop counts
    elif name in {"pdf", "soffice", "soffice2"}:
        count = _pdf(name, work)
    elif name in {"full", "noop"}:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "arendegen",
                "build",
                str(cases),
                "--out",
                str(work / "out-full"),
            ],
            cwd=work,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        count = n
    elif name == "validate1":
        from arendegen.cli import main as cli_main

        case = next(cases.rglob("*.yaml"))
        with contextlib.suppress(SystemExit):
            cli_main(["validate", str(case)])
        count = 1
    seconds = time.perf_counter() - started
    peak = max(
        resource.getrusage(who).ru_maxrss
        for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return {"seconds": seconds, "count": count, "peak_mb": peak / 1024}


def _jobs(cases: Path) -> list[tuple[Path, dict[str, Any], Any]]:
    """Every document's template, context and properties, built before any timing starts."""
    from arendegen.context import document_context
    from arendegen.packs import template_path
    from arendegen.render.docx import Properties
    from arendegen.validate import check_paths

    jobs = []
    for result in check_paths([cases]):
        case, pack, computed = result.case, result.pack, result.computed
        assert case is not None and pack is not None and computed is not None
        for index, doc in enumerate(case.handlingar):
            context = document_context(case, computed, pack, index)
            properties = Properties(
                context["dokument"]["titel"], case.diarienummer or "", "", doc.datum or case.datum
            )
            jobs.append((template_path(pack, doc.typ), context, properties))
    return jobs


def _render_arendegen(cases: Path) -> tuple[int, float]:
    """arendegen's renderer on the same templates and contexts (compiling included)."""
    from arendegen.render.docx import render_docx

    jobs = _jobs(cases)
    started = time.perf_counter()
    for template, context, properties in jobs:
        render_docx(template, context, properties)
    return len(jobs), time.perf_counter() - started


def _docxtpl_baseline(cases: Path) -> tuple[int, float]:
    """The same templates and contexts, calling docxtpl once per document (as its docs do)."""
    import io

    from docx.shared import Mm
    from docxtpl import DocxTemplate, InlineImage

    from arendegen.render.docx import _convert, _Writer, environment

    jobs = _jobs(cases)
    started = time.perf_counter()
    for template, context, _ in jobs:
        tpl = DocxTemplate(str(template))
        tpl.init_docx()
        writer = _Writer(
            {s.name: s.style_id for s in tpl.docx.styles},
            tpl.build_url_id,
            lambda logo, tpl=tpl: InlineImage(tpl, str(logo.path), height=Mm(logo.height_mm)),
        )
        tpl.render(_convert(context, writer), jinja_env=environment(), autoescape=True)
        tpl.save(io.BytesIO())
    return len(jobs), time.perf_counter() - started


def _zip_floor(cases: Path) -> tuple[int, float]:
    """Writing the finished documents' members with zipfile (deflate, level 6): the cost of
    the zip alone when every member is compressed again for every document."""
    import io
    import zipfile

    from arendegen.render.docx import render_docx

    count, seconds = 0, 0.0
    for template, context, properties in _jobs(cases):
        package = zipfile.ZipFile(io.BytesIO(render_docx(template, context, properties)))
        members = [(i.filename, package.read(i.filename)) for i in package.infolist()]
        started = time.perf_counter()  # only the writing counts
        with zipfile.ZipFile(io.BytesIO(), "w", zipfile.ZIP_DEFLATED, compresslevel=6) as out:
            for name, data in members:
                out.writestr(name, data)
        seconds += time.perf_counter() - started
        count += 1
    return count, seconds


def _pdf(name: str, work: Path) -> int:
    docs = sorted((work / "out-docx").rglob("*.docx"))
    if name == "pdf":
        from arendegen.render.pdf import Job, convert

        results = convert([Job(str(p), p.read_bytes(), None) for p in docs], workers=2)
        assert all(r.pdf for r in results)
        return len(docs)
    from arendegen.render.pdf import ARCHIVE_OPTIONS, soffice

    batches = [docs] if name == "soffice" else [docs[0::2], docs[1::2]]
    for i in range(len(batches)):  # a fresh profile each run, as arendegen's batches have
        shutil.rmtree(work / f"lo-profile-{i}", ignore_errors=True)
    shutil.rmtree(work / f"out-{name}", ignore_errors=True)
    running = [
        subprocess.Popen(
            [
                soffice(),
                f"-env:UserInstallation={(work / f'lo-profile-{i}').as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf:writer_pdf_Export:" + json.dumps(ARCHIVE_OPTIONS),
                "--outdir",
                str(work / f"out-{name}"),
                *map(str, batch),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for i, batch in enumerate(batches)
    ]
    assert all(process.wait() == 0 for process in running)
    return len(docs)


def measure(name: str, work: Path, n: int) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", name, str(work), str(n)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def one_case_process(work: Path) -> dict[str, Any]:
    case = next((work / "cases").rglob("*.yaml"))
    timings = []
    for _ in range(9):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "arendegen", "validate", str(case)],
            check=True,
            capture_output=True,
        )
        timings.append(time.perf_counter() - started)
    peak = measure("validate1", work, 1)["peak_mb"]
    return {"seconds": statistics.median(timings), "count": 1, "peak_mb": peak}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1000, help="cases for validate")
    parser.add_argument("--docx", type=int, default=200, help="cases for the DOCX comparison")
    parser.add_argument(
        "--pdf", type=int, default=150, help="cases whose documents are converted to PDF"
    )
    parser.add_argument(
        "--full", type=int, default=1000, help="cases for the full build and no-op rebuild"
    )
    parser.add_argument("--child", nargs=3)
    parser.add_argument(
        "--no-write", action="store_true", help="print only; do not write bench/RESULTS.md"
    )
    args = parser.parse_args()
    if args.child:
        name, work, n = args.child
        print(json.dumps(child(name, Path(work), int(n))))
        return
    # The package's bytecode, as scripts/bootstrap.sh leaves it (start-up is measured below)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src")], check=True)
    rows = []
    with tempfile.TemporaryDirectory(prefix="arendegen-bench-") as tmp:
        base = Path(tmp)

        def folder(tag: str) -> Path:
            path = base / tag
            path.mkdir(exist_ok=True)
            return path

        def ms(m: dict[str, Any]) -> float:
            return float(m["seconds"]) / m["count"] * 1000

        v = measure("validate", folder("v"), args.cases)
        rows.append(
            ("validate only", f"{ms(v):.1f} ms/case", f"{args.cases} cases", "< 3 ms", v["peak_mb"])
        )
        r = measure("render", folder("d"), args.docx)
        b = measure("docxtpl", folder("d"), args.docx)
        z = measure("zipfloor", folder("d"), args.docx)
        d = measure("docx", folder("d"), args.docx)
        rows += [
            (
                "DOCX: arendegen render (same templates and contexts)",
                f"{ms(r):.1f} ms/doc",
                f"{r['count']} docs; docxtpl {ms(b) / ms(r):.1f}× slower; "
                f"{ms(r) / ms(z):.2f}× the zip floor",
                "≤ 8 ms, ≥ 3×, ≤ 2×",
                r["peak_mb"],
            ),
            (
                "DOCX baseline: docxtpl once per document",
                f"{ms(b):.1f} ms/doc",
                f"{b['count']} docs",
                "",
                b["peak_mb"],
            ),
            (
                "DOCX floor: zipfile writing the same members",
                f"{ms(z):.1f} ms/doc",
                f"{z['count']} docs",
                "",
                z["peak_mb"],
            ),
            (
                "DOCX: arendegen build, whole pipeline (1 process)",
                f"{ms(d):.1f} ms/doc",
                f"{d['count']} docs; load, validate, compute, render, write",
                "",
                d["peak_mb"],
            ),
        ]
        pw = folder("p")
        measure("docx", pw, args.pdf)
        # LibreOffice's speed here moves by a third from minute to minute, so the two figures
        # whose ratio is the target are measured in turn, three times each; the best of each
        # is compared (the run least disturbed by the machine's other tenants).
        runs: dict[str, list[dict[str, Any]]] = {"pdf": [], "soffice2": []}
        for _ in range(3):
            for name in runs:
                runs[name].append(measure(name, pw, args.pdf))
        p, s2 = (min(runs[name], key=lambda m: float(m["seconds"])) for name in ("pdf", "soffice2"))
        s1 = measure("soffice", pw, args.pdf)
        rows += [
            (
                "PDF: arendegen convert (2 workers, PDF/A-2b, reproducible)",
                f"{ms(p):.0f} ms/doc",
                f"{p['count']} docs; {ms(p) / ms(s2):.2f}× two parallel soffice batches; "
                f"best of 3 runs each, taken in turn",
                "≤ 80 ms, ≤ 1.1×",
                p["peak_mb"],
            ),
            (
                "PDF baseline: two soffice batches in parallel",
                f"{ms(s2):.0f} ms/doc",
                f"{s2['count']} docs",
                "",
                s2["peak_mb"],
            ),
            (
                "PDF baseline: one soffice batch",
                f"{ms(s1):.0f} ms/doc",
                f"{s1['count']} docs",
                "",
                s1["peak_mb"],
            ),
        ]
        fw = folder("f")
        f = measure("full", fw, args.full)
        o = measure("noop", fw, args.full)
        one = one_case_process(fw)
        rows += [
            (
                "full build, DOCX + PDF (process)",
                f"{f['seconds']:.1f} s",
                f"{args.full} cases",
                "",
                f["peak_mb"],
            ),
            (
                "no-op rebuild (process)",
                f"{o['seconds']:.2f} s",
                f"{args.full} cases",
                "< 1 s for 1000",
                o["peak_mb"],
            ),
            (
                "arendegen validate, one case (process)",
                f"{one['seconds'] * 1000:.0f} ms",
                "median of 9 runs",
                "< 300 ms",
                one["peak_mb"],
            ),
        ]
    machine = f"{platform.machine()}, {os.cpu_count()} cores, {_cpu()}, Python {platform.python_version()}"
    lines = [
        "# Benchmark results",
        "",
        f"Measured {time.strftime('%Y-%m-%d')} on {machine}, in one run of `.venv/bin/python bench/run.py "
        f"--cases {args.cases} --docx {args.docx} --pdf {args.pdf} --full {args.full}`. Synthetic cases from "
        "bench/generate.py (fixed seed; every document kind; 2–4 pages).",
        "",
        "| measurement | result | size / comparison | target | peak memory |",
        "|---|---|---|---|---|",
        *(f"| {a} | {b} | {c} | {t} | {m:.0f} MB |" for a, b, c, t, m in rows),
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        (ROOT / "bench" / "RESULTS.md").write_text(text, encoding="utf-8")


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


if __name__ == "__main__":
    if shutil.which("soffice") is None and "--child" not in sys.argv:
        print("bench: LibreOffice missing; run scripts/install-system-deps", file=sys.stderr)
    main()
