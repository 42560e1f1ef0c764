"""The benchmark: one command, one run, one table with the machine's details.

    .venv/bin/python bench/run.py [--cases 1000] [--docx 200] [--pdf 60] [--full 200]

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
    elif name == "docxtpl":
        count, seconds = _docxtpl_baseline(cases, work)
        started = time.perf_counter() - seconds  # only the rendering loop counts
    elif name in {"pdf", "soffice"}:
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


def _docxtpl_baseline(cases: Path, work: Path) -> tuple[int, float]:
    """Rendering the same templates with the same contexts, calling docxtpl once per document."""
    from docxtpl import DocxTemplate

    from arendegen.context import document_context
    from arendegen.packs import template_path
    from arendegen.render.docx import _convert, _Writer, environment
    from arendegen.validate import check_paths

    results = check_paths([cases])
    jobs = [(r, i) for r in results for i in range(len(r.case.handlingar))]  # type: ignore[union-attr]
    out = work / "out-docxtpl"
    out.mkdir(exist_ok=True)
    started = time.perf_counter()
    for number, (result, index) in enumerate(jobs):
        context = document_context(result.case, result.computed, result.pack, index)  # type: ignore[arg-type]
        tpl = DocxTemplate(str(template_path(result.pack, result.case.handlingar[index].typ)))  # type: ignore[union-attr,arg-type]
        tpl.init_docx()
        writer = _Writer({s.name: s.style_id for s in tpl.docx.styles}, tpl.build_url_id, tpl)
        tpl.render(_convert(context, writer), jinja_env=environment(), autoescape=True)
        tpl.save(str(out / f"d{number}.docx"))
    return len(jobs), time.perf_counter() - started


def _pdf(name: str, work: Path) -> int:
    docs = sorted((work / "out-docx").rglob("*.docx"))
    if name == "pdf":
        from arendegen.render.pdf import Job, convert

        results = convert([Job(str(p), p.read_bytes(), None) for p in docs], workers=2)
        assert all(r.pdf for r in results)
    else:
        from arendegen.render.pdf import ARCHIVE_OPTIONS, soffice

        subprocess.run(
            [
                soffice(),
                f"-env:UserInstallation={(work / 'lo-profile').as_uri()}",
                "--headless",
                "--convert-to",
                "pdf:writer_pdf_Export:" + json.dumps(ARCHIVE_OPTIONS),
                "--outdir",
                str(work / "out-soffice"),
                *map(str, docs),
            ],
            check=True,
            capture_output=True,
        )
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
    for _ in range(5):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "arendegen", "validate", str(case)],
            check=True,
            capture_output=True,
        )
        timings.append(time.perf_counter() - started)
    peak = measure("validate1", work, 1)["peak_mb"]
    return {"seconds": sorted(timings)[2], "count": 1, "peak_mb": peak}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1000, help="cases for validate")
    parser.add_argument("--docx", type=int, default=200, help="cases for the DOCX comparison")
    parser.add_argument(
        "--pdf", type=int, default=60, help="cases whose documents are converted to PDF"
    )
    parser.add_argument(
        "--full", type=int, default=200, help="cases for the full build and no-op rebuild"
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
    rows = []
    with tempfile.TemporaryDirectory(prefix="arendegen-bench-") as tmp:
        base = Path(tmp)

        def folder(tag: str) -> Path:
            path = base / tag
            path.mkdir(exist_ok=True)
            return path

        v = measure("validate", folder("v"), args.cases)
        rows.append(
            (
                "validate only",
                f"{v['seconds'] / v['count'] * 1000:.1f} ms/case",
                f"{args.cases} cases",
                v["peak_mb"],
            )
        )
        d = measure("docx", folder("d"), args.docx)
        b = measure("docxtpl", folder("d"), args.docx)
        rows.append(
            (
                "DOCX: arendegen build (1 process)",
                f"{d['seconds'] / d['count'] * 1000:.1f} ms/doc",
                f"{d['count']} docs",
                d["peak_mb"],
            )
        )
        rows.append(
            (
                "DOCX baseline: docxtpl once per document",
                f"{b['seconds'] / b['count'] * 1000:.1f} ms/doc",
                f"ratio {b['seconds'] / b['count'] / (d['seconds'] / d['count']):.2f}× (baseline/arendegen)",
                b["peak_mb"],
            )
        )
        pw = folder("p")
        measure("docx", pw, args.pdf)
        p = measure("pdf", pw, args.pdf)
        s = measure("soffice", pw, args.pdf)
        rows.append(
            (
                "PDF: arendegen convert (2 workers)",
                f"{p['seconds'] / p['count'] * 1000:.0f} ms/doc",
                f"{p['count']} docs",
                p["peak_mb"],
            )
        )
        rows.append(
            (
                "PDF baseline: one soffice batch",
                f"{s['seconds'] / s['count'] * 1000:.0f} ms/doc",
                f"ratio {(p['seconds'] / p['count']) / (s['seconds'] / s['count']):.2f}× (arendegen/baseline)",
                s["peak_mb"],
            )
        )
        fw = folder("f")
        f = measure("full", fw, args.full)
        o = measure("noop", fw, args.full)
        rows.append(
            (
                "full build, DOCX + PDF (process)",
                f"{f['seconds']:.1f} s",
                f"{args.full} cases",
                f["peak_mb"],
            )
        )
        rows.append(
            ("no-op rebuild (process)", f"{o['seconds']:.2f} s", f"{args.full} cases", o["peak_mb"])
        )
        one = one_case_process(fw)
        rows.append(
            (
                "arendegen validate, one case (process)",
                f"{one['seconds'] * 1000:.0f} ms",
                "median of 5",
                one["peak_mb"],
            )
        )
    machine = f"{platform.machine()}, {os.cpu_count()} cores, {_cpu()}, Python {platform.python_version()}"
    lines = [
        "# Benchmark results",
        "",
        f"Measured {time.strftime('%Y-%m-%d')} on {machine}, in one run of `.venv/bin/python bench/run.py "
        f"--cases {args.cases} --docx {args.docx} --pdf {args.pdf} --full {args.full}`. Synthetic cases from "
        "bench/generate.py (fixed seed; every document kind; 2–4 pages).",
        "",
        "| measurement | result | size / comparison | peak memory |",
        "|---|---|---|---|",
        *(f"| {a} | {b} | {c} | {m:.0f} MB |" for a, b, c, m in rows),
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
