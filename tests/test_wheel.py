"""What is published: the wheel carries what an installed arendegen needs and says what it is
under which licence; it is the same bytes wherever it is built; the sdist can run the tests."""

from __future__ import annotations

import email
import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT

PACKAGE = ROOT / "src" / "arendegen"
SOURCES = [
    "src",
    "build_backend",
    "pyproject.toml",
    "README.md",
    "LICENSE",
    "MANIFEST.in",
    "CHANGELOG.md",
]
"""What a wheel is built from."""


def _wheel(source: Path, out: Path, *, epoch: str | None = None) -> Path:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = epoch
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
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        env=env,
    )
    (wheel,) = out.glob("arendegen-*.whl")
    return wheel


def _copy_sources(to: Path) -> Path:
    ignored = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc")
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, to / name, ignore=ignored)
        else:
            shutil.copy2(ROOT / name, to / name)
    return to


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = _copy_sources(tmp_path_factory.mktemp("source"))
    return _wheel(source, tmp_path_factory.mktemp("wheel"))


def test_wheel_contains_every_pack_file_and_skeleton(wheel: Path) -> None:
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
    assert "arendegen/py.typed" in names
    # built without SOURCE_DATE_EPOCH, every member still has one date and one mode
    members = zipfile.ZipFile(wheel).infolist()
    assert {m.date_time for m in members} == {(1980, 1, 1, 0, 0, 0)}
    assert {m.external_attr >> 16 for m in members} == {0o100644}


def test_wheel_says_what_it_is_under_which_licence(wheel: Path) -> None:
    archive = zipfile.ZipFile(wheel)
    (metadata,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
    meta = email.message_from_bytes(archive.read(metadata))
    assert meta["License-Expression"] == "Apache-2.0"
    assert meta["License-File"] == "LICENSE"
    licence = metadata.replace("METADATA", "licenses/LICENSE")
    assert b"Apache License" in archive.read(licence)
    assert "Natural Language :: Swedish" in meta.get_all("Classifier")
    assert "Typing :: Typed" in meta.get_all("Classifier")
    urls = dict(u.split(", ", 1) for u in meta.get_all("Project-URL"))
    assert {"Source", "Issues", "Documentation"} <= set(urls)
    assert meta["Requires-Python"] == ">=3.11"
    # every dependency is bounded above, so that its next major version cannot change a
    # case repository's documents unannounced
    requires = [r for r in meta.get_all("Requires-Dist") if "extra ==" not in r]
    assert len(requires) >= 10
    assert [r for r in requires if "<" not in r] == []


def test_wheel_is_the_same_bytes_wherever_it_is_built(tmp_path: Path) -> None:
    """Two checkouts with other file dates and modes give the same wheel for one
    SOURCE_DATE_EPOCH, which the release workflow takes from the tagged commit."""
    first = _copy_sources(tmp_path / "a")
    second = _copy_sources(tmp_path / "b")
    for path in second.rglob("*"):
        os.utime(path, (1_600_000_000, 1_600_000_000))
        path.chmod(path.stat().st_mode | 0o020)  # a group-writable checkout (umask 002)
    wheels = [
        _wheel(source, tmp_path / f"out-{source.name}", epoch="1764720000")
        for source in (first, second)
    ]
    digests = {hashlib.sha256(w.read_bytes()).hexdigest() for w in wheels}
    assert len(digests) == 1
    dates = {info.date_time for info in zipfile.ZipFile(wheels[0]).infolist()}
    assert dates == {(2025, 12, 3, 0, 0, 0)}


def test_sdist_carries_the_test_suite_and_it_runs(tmp_path: Path) -> None:
    """An sdist is what distributions (Debian, conda-forge) build and test from."""
    source = _copy_sources(tmp_path / "source")
    for folder in ("tests", "cases", "docs", "bench", "scripts"):
        shutil.copytree(
            ROOT / folder,
            source / folder,
            ignore=shutil.ignore_patterns("__pycache__", ".hypothesis", "*.pyc"),
            symlinks=True,
        )
    for name in (".pre-commit-hooks.yaml", ".pre-commit-config.yaml"):
        shutil.copy2(ROOT / name, source / name)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--sdist",
            "--no-isolation",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
    )
    (sdist,) = tmp_path.glob("arendegen-*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {n.split("/", 1)[1] for n in archive.getnames() if "/" in n}
        archive.extractall(tmp_path / "unpacked", filter="data")
    tests = {
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "tests").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and ".hypothesis" not in p.parts
    }
    assert tests - names == set()
    assert {"LICENSE", "tests/conftest.py", "tests/broken/expected.txt"} <= names
    (unpacked,) = (tmp_path / "unpacked").iterdir()
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/test_broken_cases.py",
            "tests/test_money_and_formatting.py",
        ],
        cwd=unpacked,
        env=os.environ | {"PYTHONPATH": str(unpacked / "src")},
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout[-3000:]
    assert " passed" in run.stdout
