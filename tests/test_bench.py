"""The benchmark keeps working: it runs at a tiny size (its figures are not judged here)."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def test_benchmark_runs_at_a_tiny_size() -> None:
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "run.py"),
            "--cases",
            "5",
            "--docx",
            "5",
            "--pdf",
            "2",
            "--full",
            "2",
            "--no-write",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    for row in (
        "validate only",
        "DOCX baseline: docxtpl once per document",
        "PDF baseline: one soffice batch",
        "no-op rebuild",
        "arendegen validate, one case",
    ):
        assert row in done.stdout
