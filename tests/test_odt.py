"""OpenDocument text (`--format odt`) for organisations on LibreOffice: made from the same
.docx by the same LibreOffice, the same bytes on every build, and the same pages."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pikepdf
import pytest

from arendegen.api import check, render_documents
from arendegen.pipeline import Options, build
from conftest import CASES, soffice_pdfs

CASE = CASES / "examples" / "ks-2025-172-vatten-och-avlopp.yaml"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    report = build([CASE], out, options=Options(formats=("odt", "pdf"), jobs=1))
    assert not report.failed
    return out


def _odts(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*.odt")}


def test_odt_is_made_beside_the_pdf_and_holds_the_decision(built: Path) -> None:
    odts = _odts(built)
    assert len(odts) == len(list(built.rglob("*.pdf"))) >= 2
    assert not list(built.rglob("*.docx"))  # only the formats asked for
    case = check(CASE).case
    assert case is not None and case.datum is not None
    texts = []
    for data in odts.values():
        with zipfile.ZipFile(io.BytesIO(data)) as odt:
            first = odt.infolist()[0]
            assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
            assert odt.read("mimetype") == b"application/vnd.oasis.opendocument.text"
            content = ElementTree.fromstring(odt.read("content.xml"))
            meta = odt.read("meta.xml").decode("utf-8")
            # dated by the document, not by the clock, in the metadata and the archive alike
            assert "<meta:creation-date>2025-" in meta
            assert len({m.date_time for m in odt.infolist()}) == 1
        headings = ["".join(e.itertext()) for e in content.iter(f"{TEXT}h")]
        paragraphs = ["".join(e.itertext()) for e in content.iter(f"{TEXT}p")]
        texts.append((headings, " ".join(paragraphs)))
    main = next(text for headings, text in texts if "Förslag till beslut" in headings)
    assert "beslutar att" in main or "föreslår" in main


def test_odt_has_the_pages_of_the_pdf(built: Path, tmp_path: Path) -> None:
    """LibreOffice lays the .odt out as it laid out the .docx: the same number of pages."""
    odts = sorted(built.rglob("*.odt"))
    soffice_pdfs(odts, tmp_path, timeout=120)
    for odt in odts:
        with (
            pikepdf.open(tmp_path / odt.with_suffix(".pdf").name) as again,
            pikepdf.open(odt.with_suffix(".pdf")) as built_pdf,
        ):
            assert len(again.pages) == len(built_pdf.pages), odt.name


def test_odt_is_the_same_bytes_on_every_build(built: Path, tmp_path: Path) -> None:
    """LibreOffice numbers lists at random and stamps the clock; neither reaches the file."""
    build([CASE], tmp_path, options=Options(formats=("odt",), jobs=1))
    assert _odts(tmp_path) == _odts(built)


def test_an_unchanged_case_converts_nothing_again(tmp_path: Path) -> None:
    options = Options(formats=("docx", "odt"), jobs=1)
    first = build([CASE], tmp_path, options=options)
    assert [w for w in first.written if w.endswith(".odt")]
    again = build([CASE], tmp_path, options=options)
    assert again.written == []
    assert [u for u in again.unchanged if u.endswith(".odt")]


def test_the_library_renders_odt_in_memory() -> None:
    (document, *_) = render_documents(check(CASE), formats=("docx", "odt"))
    assert document.odt is not None and document.pdf is None
    assert zipfile.ZipFile(io.BytesIO(document.odt)).read("mimetype").endswith(b".text")
