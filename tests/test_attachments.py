"""Attached PDF files in a decision package (`--bundle`) are bounded: a file of 100 000 pages,
a huge file, a package of too many pages, a damaged or encrypted file each give their own
Swedish message at `bilagor[].fil`, quickly, and the other cases are still built."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pikepdf
import pytest

from arendegen.render.pdf import UnreadablePdf, page_count
from arendegen.schema.common import MAX_ATTACHED_MB, MIB
from arendegen.validate import check_file

needs_libreoffice = pytest.mark.skipif(
    shutil.which("soffice") is None and "ARENDEGEN_SOFFICE" not in os.environ,
    reason="LibreOffice is not installed",
)


def pdf_with_pages(pages: int, *, shared: bool = False, count: int | None = None) -> bytes:
    """A valid PDF of `pages` empty pages, written directly (100 000 pages in a tenth of a
    second): each its own object, or one page object listed `pages` times (`shared`); the
    page tree states `count` pages (a lie when it differs)."""
    leaves = 1 if shared else pages
    kids = b" 3 0 R" * pages if shared else b" ".join(b"%d 0 R" % (3 + i) for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Count %d /Kids [%s] >>" % (pages if count is None else count, kids),
        *[b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * leaves,
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    table = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1))
    out.write(b"startxref\n%d\n%%%%EOF\n" % table)
    return out.getvalue()


@pytest.mark.parametrize(
    ("pdf", "expected"),
    [
        (pdf_with_pages(3), 3),
        (pdf_with_pages(100_000), 2_001),
        (pdf_with_pages(100_000, shared=True), 2_001),
        (pdf_with_pages(100_000, count=1), 2_001),  # the tree's /Count lies
        (pdf_with_pages(100_000, shared=True, count=1), 2_001),
    ],
    ids=["three", "100 000", "one page listed 100 000 times", "count lies", "both"],
)
def test_pages_are_counted_without_walking_past_the_bound(pdf: bytes, expected: int) -> None:
    started = time.monotonic()
    assert page_count(pdf, 2_000) == expected
    assert time.monotonic() - started < 2.0


def test_a_page_tree_that_loops_is_cut_short() -> None:
    looping = pdf_with_pages(2).replace(b"/Kids [3 0 R 4 0 R]", b"/Kids [3 0 R 2 0 R]")
    started = time.monotonic()
    assert page_count(looping, 2_000) == 2_001
    assert time.monotonic() - started < 2.0


def encrypted_pdf() -> bytes:
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf_with_pages(1))) as pdf:
        pdf.save(out, encryption=pikepdf.Encryption(owner="ägare", user="hemlig"))
    return out.getvalue()


@pytest.mark.parametrize(
    ("pdf", "message"),
    [
        (b"%PDF-1.7\nnot a pdf at all", "går inte att läsa som PDF; den är skadad eller ingen PDF"),
        (pdf_with_pages(3)[:150], "går inte att läsa som PDF; den är skadad eller ingen PDF"),
        (encrypted_pdf(), "är lösenordsskyddad; bifoga den utan lösenord"),
    ],
    ids=["garbage", "cut short", "encrypted"],
)
def test_an_unreadable_pdf_says_why(pdf: bytes, message: str) -> None:
    with pytest.raises(UnreadablePdf) as caught:
        page_count(pdf, 2_000)
    assert str(caught.value) == message


CASE = (
    "titel: {title}\ndiarienummer: {number}\ndatum: 2026-01-15\n"
    "förslag_till_beslut: {{organ: Nämnden, att: [godkänna]}}\n"
    "bilagor:\n{annexes}"
    "handlingar: [{{typ: tjänsteskrivelse}}]\n"
)


def _case(title: str, number: str, *files: str) -> str:
    annexes = "".join(f"  - titel: Bilaga {i}\n    fil: {f}\n" for i, f in enumerate(files, 1))
    return CASE.format(title=title, number=number, annexes=annexes)


def test_a_file_larger_than_the_bound_is_refused_by_validate_at_its_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "cases").mkdir()
    with (tmp_path / "cases" / "stor.pdf").open("wb") as huge:  # sparse: costs no disk
        huge.write(b"%PDF-1.7\n")
        huge.truncate(MAX_ATTACHED_MB * MIB + 1)
    (tmp_path / "cases" / "a.yaml").write_text(_case("Stor", "A 1", "stor.pdf"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    (problem,) = check_file(Path("cases/a.yaml")).errors
    assert (problem.line, problem.path) == (7, "bilagor[0].fil")
    assert problem.message == (
        f"den bifogade filen 'stor.pdf' är {MAX_ATTACHED_MB + 1} MB; en bifogad fil får vara "
        f"högst {MAX_ATTACHED_MB} MB"
    )


def test_a_pdf_named_file_that_is_no_pdf_is_refused_by_validate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "brev.pdf").write_bytes(b"PK\x03\x04 a zip, renamed")
    (tmp_path / "cases" / "a.yaml").write_text(_case("Brev", "A 1", "brev.pdf"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    (problem,) = check_file(Path("cases/a.yaml")).errors
    assert (problem.line, problem.path) == (7, "bilagor[0].fil")
    assert (
        problem.message == "den bifogade filen 'brev.pdf' är ingen PDF (den börjar inte med %PDF-)"
    )


@needs_libreoffice
def test_bounds_on_attachments_are_reported_quickly_and_other_cases_build(
    tmp_path: Path,
) -> None:
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "sidor.pdf").write_bytes(pdf_with_pages(100_000))
    (cases / "trasig.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog")
    (cases / "del.pdf").write_bytes(pdf_with_pages(1_700))
    (cases / "karta.pdf").write_bytes(pdf_with_pages(2))
    (cases / "a.yaml").write_text(_case("Många sidor", "A 1", "sidor.pdf"), encoding="utf-8")
    (cases / "b.yaml").write_text(_case("Trasig", "B 1", "trasig.pdf"), encoding="utf-8")
    parts = ("del.pdf", "del.pdf", "del.pdf")
    (cases / "c.yaml").write_text(_case("Stort paket", "C 1", *parts), encoding="utf-8")
    (cases / "d.yaml").write_text(_case("Vanligt", "D 1", "karta.pdf"), encoding="utf-8")
    started = time.monotonic()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "arendegen", "build", "cases", "--format", "pdf", "--bundle"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("a build with a 100 000-page attachment did not finish in two minutes")
    assert time.monotonic() - started < 60
    assert done.returncode == 1
    lines = done.stdout.replace("\u00a0", " ").splitlines()
    assert (
        "cases/a.yaml:7:10: fel[AG606]: bilagor[0].fil: den bifogade filen 'sidor.pdf' har fler än "
        "2 000 sidor; en bifogad fil får ha högst 2 000 sidor"
    ) in lines
    assert (
        "cases/b.yaml:7:10: fel[AG605]: bilagor[0].fil: den bifogade filen 'trasig.pdf' går inte att "
        "läsa som PDF; den är skadad eller ingen PDF"
    ) in lines
    (package,) = [line for line in lines if line.startswith("cases/c.yaml")]
    assert re.fullmatch(
        r"cases/c\.yaml:6:3: fel\[AG608\]: bilagor: handlingspaketet skulle få 5 1\d\d sidor; "
        r"ett paket får ha högst 5 000 sidor",
        package,
    )
    written = sorted(p.name for p in (tmp_path / "output").iterdir() if not p.name.startswith("."))
    assert written == ["D-1-handlingar.pdf", "D-1-tjänsteskrivelse.pdf"]
    with pikepdf.open(tmp_path / "output" / "D-1-handlingar.pdf") as built:
        main = pikepdf.open(tmp_path / "output" / "D-1-tjänsteskrivelse.pdf")
        assert len(built.pages) == len(main.pages) + 2
