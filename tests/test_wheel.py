"""The built wheel carries what an installed arendegen needs: packs and skeletons."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "src" / "arendegen"


def test_wheel_contains_every_pack_file_and_skeleton(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("arendegen-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    wanted = {
        p.relative_to(PACKAGE.parent).as_posix()
        for folder in ("templates", "layout", "skeletons", "repo_template")
        for p in (PACKAGE / folder).rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert wanted, "no pack files found to look for"
    assert wanted - names == set()
    assert "arendegen/templates/region-halland/pack.yaml" in names
    assert "arendegen/layout/standard.yaml" in names
