"""The outputs meet the standards they claim (issue 18), proven by validators, not belief:
every document of every example and seed case, built in every built-in pack.

- Word: `openxml-audit` (schema and Word's own app-compat rules) finds nothing, in the
  documents and in the packs' templates; `app.xml` names arendegen.
- PDF: `pdfua` (the machine-checkable part of PDF/UA-1) finds nothing; arendegen's own
  structure checks pass (H1 first, no level skipped, no empty heading, a header cell in
  every table, alternative text on every figure); PDF/A-2b and PDF/UA are identified;
  every font is embedded; the language is Swedish and the title is shown.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pikepdf
import pytest

from arendegen.packs import BUILTIN
from arendegen.pipeline import Options, build
from arendegen.render.tagging import problems
from conftest import CASES

PACKS = sorted(p.name for p in BUILTIN.iterdir() if (p / "pack.yaml").is_file())
ALL_CASES = sorted(CASES.rglob("*.yaml"))
UNEVALUATED = {"UA-14-001"}
"""pdfua rules that do not run on any PDF: UA-14-001 (no empty heading) raises inside
pdfua 0.1.3 on a structure element whose /K is an array, as LibreOffice writes it.
arendegen's own check covers it (`problems`: 'en tom rubrik')."""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every case in every built-in pack, as .docx and archival PDF."""
    root = tmp_path_factory.mktemp("standards")
    for pack in PACKS:
        cases = root / "cases" / pack
        cases.mkdir(parents=True)
        for number, case in enumerate(ALL_CASES):
            text = case.read_text(encoding="utf-8")
            text = "\n".join(
                f"mall: {pack}"
                if line.startswith("mall:")
                else f"diarienummer: RS25{number:04d}"
                if pack == "region-halland" and line.startswith("diarienummer:")
                else line
                for line in text.splitlines()
            )
            (cases / case.name).write_text(text + "\n", encoding="utf-8")
    report = build([root / "cases"], root / "out", options=Options(jobs=2, bundle=True))
    assert report.failed == [], [d for r in report.failed for d in r.diagnostics][:5]
    return root / "out"


def _docx(built: Path) -> list[Path]:
    return sorted(built.rglob("*.docx"))


def _pdfs(built: Path, packages: bool = True) -> list[Path]:
    """The documents' PDFs, and the decision packages (`*-handlingar.pdf`) unless not asked."""
    return sorted(
        p for p in built.rglob("*.pdf") if packages or not p.name.endswith("-handlingar.pdf")
    )


def test_every_pack_and_case_is_built(built: Path) -> None:
    from arendegen.validate import check_file

    documents = sum(len(check_file(c).case.handlingar) for c in ALL_CASES)  # type: ignore[union-attr]
    assert len(_pdfs(built, packages=False)) == len(_docx(built)) == len(PACKS) * documents
    assert len(_pdfs(built)) > len(_docx(built))  # and a decision package per case


def test_every_word_file_passes_openxml_audit(built: Path) -> None:
    from openxml_audit import OpenXmlValidator

    validator = OpenXmlValidator()
    templates = sorted(BUILTIN.rglob("*.docx"))
    failed = {
        str(path): [e.description for e in result.errors][:3]
        for path in [*_docx(built), *templates]
        if not (result := validator.validate(str(path))).is_valid
    }
    assert failed == {}


def test_word_files_say_what_made_them_and_carry_no_template_leftovers(built: Path) -> None:
    for path in _docx(built)[:: max(1, len(_docx(built)) // 20)]:
        package = zipfile.ZipFile(path)
        names = set(package.namelist())
        assert "docProps/thumbnail.jpeg" not in names and "word/stylesWithEffects.xml" not in names
        assert b"<Application>arendegen</Application>" in package.read("docProps/app.xml")
        assert b"<Pages>" not in package.read("docProps/app.xml")
        settings = package.read("word/settings.xml").decode()
        assert (
            'w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"'
            in settings
        )


def test_every_pdf_passes_pdfua(built: Path) -> None:
    import pdfua

    found = {}
    for path in _pdfs(built):
        report = pdfua.validate(str(path))
        skipped = {o.rule_id for o in report.outcomes if o.skipped_reason}
        if report.findings or not skipped <= UNEVALUATED:
            found[str(path)] = [f.message for f in report.findings][:3] + sorted(
                skipped - UNEVALUATED
            )
    assert found == {}


def test_every_pdf_is_tagged_archival_and_accessible(built: Path) -> None:
    wrong = {}
    for path in _pdfs(built):
        with pikepdf.open(path) as pdf:
            meta = pdf.open_metadata()
            issues = problems(pdf)
            if meta.get("pdfaid:part") != "2" or meta.get("pdfaid:conformance") != "B":
                issues.append("inte PDF/A-2b")
            if meta.get("pdfuaid:part") != "1":
                issues.append("inte PDF/UA-1")
            if str(pdf.Root.get("/Lang")) != "sv-SE":
                issues.append("språket är inte sv-SE")
            if not pdf.Root.get("/ViewerPreferences", {}).get("/DisplayDocTitle"):
                issues.append("titeln visas inte")
            if not pdf.Root.get("/MarkInfo", {}).get("/Marked"):
                issues.append("inte märkt som taggad")
            issues += _fonts_not_embedded(pdf)
            issues += _archive_details(pdf)
        if issues:
            wrong[str(path)] = issues
    assert wrong == {}


def _archive_details(pdf: pikepdf.Pdf) -> list[str]:
    """What the review of issue 18 found LibreOffice and the first package left wrong."""
    issues = []
    # PDF/A describes any schema it does not predefine, pdfuaid among them
    xmp = pdf.Root.Metadata.read_bytes()
    if b"<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/" not in xmp:
        issues.append("XMP beskriver inte pdfuaid-schemat (pdfaExtension)")
    if "/Filter" in pdf.Root.Metadata:
        issues.append("XMP-strömmen är komprimerad")
    for number, page in enumerate(pdf.pages, start=1):
        if "/Annots" in page.obj and page.obj.get("/Tabs") != pikepdf.Name.S:
            issues.append(f"sidan {number} har länkar men inte /Tabs /S")
    if pdf.pdf_version < "1.4":
        issues.append(f"PDF-versionen är {pdf.pdf_version}")
    return issues


def _fonts_not_embedded(pdf: pikepdf.Pdf) -> list[str]:
    missing = []
    for page in pdf.pages:
        for font in (page.get("/Resources", {}).get("/Font") or {}).values():
            descendants = font.get("/DescendantFonts") or [font]
            for each in descendants:
                descriptor = each.get("/FontDescriptor")
                if each.get("/Subtype") == "/Type3":
                    continue
                if descriptor is None or not any(
                    k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")
                ):
                    missing.append(f"typsnittet {each.get('/BaseFont')} är inte inbäddat")
    return sorted(set(missing))


def test_a_diarienummer_stays_whole_in_the_keywords(built: Path) -> None:
    path = next(p for p in _pdfs(built) if p.name == "KS-2025-95-ärende.pdf")
    with pikepdf.open(path) as pdf:
        assert str(pdf.docinfo["/Keywords"]) == "KS 2025/95"
        assert pdf.open_metadata()["pdf:Keywords"] == "KS 2025/95"


def test_the_title_is_h1_and_the_sections_h2(built: Path) -> None:
    """A memo: its title is the one H1, its sections H2, whatever the Word styles were."""
    path = next(p for p in _pdfs(built) if p.name == "KS-2025-95-ärende.pdf")
    with pikepdf.open(path) as pdf:
        levels = [str(e.S) for e in _elements(pdf) if str(e.S)[:2] == "/H"]
    assert levels[0] == "/H1" and levels.count("/H1") == 1
    assert set(levels[1:]) <= {"/H2", "/H3"} and levels[1] == "/H2"


def test_layout_tables_are_not_data_tables_and_key_value_tables_head_their_rows(
    built: Path,
) -> None:
    """The header block (layout) is no table to a reader; the investment's facts ('Utgiftsram
    | 120 mkr') have a row header each; a budget table has a header row."""
    path = next(
        p
        for p in _pdfs(built)
        if p.parent.name == "kommun" and p.name == "KS-2025-31-styrdokument.pdf"
    )
    with pikepdf.open(path) as pdf:
        tables = [e for e in _elements(pdf) if str(e.S) == "/Table"]
        first_rows = []
        for table in tables:
            rows = [k for k in _kids(table) if k.get("/S") == pikepdf.Name.TR]
            first_rows.append([str(c.S) for c in _kids(rows[0])])
    assert first_rows[0] == ["/TH", "/TH", "/TH", "/TH"]  # Nämnd | Budget 2026 | Plan …
    assert ["/TH", "/TD"] in first_rows  # 'Investering | Ekby skola …': a row header


def _kids(element: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
    kids = element.get("/K")
    items = list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
    return [k for k in items if isinstance(k, pikepdf.Dictionary) and "/S" in k]


def _elements(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    out: list[pikepdf.Dictionary] = []

    def visit(element: pikepdf.Dictionary) -> None:
        for kid in _kids(element):
            out.append(kid)
            visit(kid)

    visit(pdf.Root.StructTreeRoot)
    return out


def test_a_logo_has_the_houses_name_as_its_alternative_text(
    tmp_path: Path, write_case: object
) -> None:
    from conftest import own_pack

    templates = own_pack(tmp_path, "med-logga", "logo: logga.png\n", base="region")
    png = io.BytesIO()
    _tiny_png(png)
    (templates / "med-logga" / "logga.png").write_bytes(png.getvalue())
    case = tmp_path / "cases" / "fall.yaml"
    case.parent.mkdir()
    case.write_text(
        (CASES / "examples" / "kf-2025-investering-forskola.yaml")
        .read_text(encoding="utf-8")
        .replace("mall: kommun", "mall: med-logga"),
        encoding="utf-8",
    )
    report = build([case.parent], tmp_path / "out", templates=[templates], options=Options(jobs=1))
    assert report.failed == []
    pdf_path = next((tmp_path / "out").rglob("*ärende.pdf"))
    with pikepdf.open(pdf_path) as pdf:
        figures = [e for e in _elements(pdf) if str(e.S) == "/Figure"]
        assert figures and all(str(f.Alt) == "Ekby kommun" for f in figures)
        assert problems(pdf) == []


def _tiny_png(out: io.BytesIO) -> None:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    raw = b"".join(b"\x00" + b"\x20\x40\x80" * 8 for _ in range(4))
    out.write(b"\x89PNG\r\n\x1a\n")
    out.write(chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 4, 8, 2, 0, 0, 0)))
    out.write(chunk(b"IDAT", zlib.compress(raw)))
    out.write(chunk(b"IEND", b""))


def _core(path: Path) -> str:
    return zipfile.ZipFile(path).read("docProps/core.xml").decode("utf-8")


def test_a_document_without_a_date_of_its_own_is_dated_by_its_meeting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A kallelse with no `datum` is dated by its meeting, and so is a memo of a case whose
    routing names the meeting; with nothing dated, SOURCE_DATE_EPOCH; the subject is never
    empty, and a house may name itself as the author."""
    from conftest import own_pack

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    cases = tmp_path / "cases"
    cases.mkdir()
    notice = (CASES / "examples" / "ks-2025-10-14-kallelse.yaml").read_text(encoding="utf-8")
    (cases / "kallelse.yaml").write_text(notice.replace("datum: 2025-10-07\n", ""), "utf-8")
    memo = (CASES / "examples" / "kf-2025-investering-forskola.yaml").read_text(encoding="utf-8")
    memo = memo.replace("datum: 2025-05-05\n", "").replace(
        "  - Kommunfullmäktige\n", "  - {organ: Kommunfullmäktige, datum: 2025-06-16}\n", 1
    )
    (cases / "memo.yaml").write_text(memo, "utf-8")
    bare = memo.replace(
        "  - {organ: Kommunfullmäktige, datum: 2025-06-16}\n", "  - Kommunfullmäktige\n"
    )
    bare = bare.replace("diarienummer: KS 2025/95\n", "diarienummer: KS 2025/96\n")
    (cases / "bare.yaml").write_text(bare.replace("mall: kommun", "mall: egen"), "utf-8")
    templates = own_pack(tmp_path, "egen", "husregler:\n  författare: organisation\n")
    report = build(
        [cases], tmp_path / "out", templates=[templates], options=Options(formats=("docx",))
    )
    assert report.failed == [], [d.message for r in report.failed for d in r.diagnostics]
    out = tmp_path / "out"
    kallelse = _core(out / "kallelse-kallelse.docx")
    assert '<dcterms:created xsi:type="dcterms:W3CDTF">2025-10-14T00:00:00Z' in kallelse
    assert "<dc:subject>Kallelse</dc:subject>" in kallelse
    planned = _core(out / "KS-2025-95-ärende.docx")
    assert "2025-06-16T00:00:00Z" in planned and "<cp:keywords>KS 2025/95</cp:keywords>" in planned
    undated = _core(out / "KS-2025-96-ärende.docx")
    assert "2026-01-01T00:00:00Z" in undated
    assert "<dc:creator>Ekby kommun</dc:creator>" in undated


def test_one_minus_and_numbers_units_and_names_kept_whole(tmp_path: Path) -> None:
    """The text layer: a negative number typed in prose gets the minus sign the tables print
    (U+2212), a number stays on the line of its unit and of its thousands, '§ 5' stays
    together, and a double name is not split at its hyphen; the PDF's text reads as typed."""
    import subprocess

    cases = tmp_path / "cases"
    cases.mkdir()
    memo = (CASES / "examples" / "kf-2025-investering-forskola.yaml").read_text(encoding="utf-8")
    memo = memo.replace(
        "  förskola med åtta avdelningar i Norrby.",
        "  förskola med åtta avdelningar i Norrby. Resultatet blev -5 900 tkr, se § 5;\n"
        "  Carl-Olof Ek räknade om 38 mnkr.",
    )
    (cases / "memo.yaml").write_text(memo, "utf-8")
    report = build([cases], tmp_path / "out", options=Options(jobs=1))
    assert report.failed == []
    body = zipfile.ZipFile(tmp_path / "out" / "KS-2025-95-ärende.docx").read("word/document.xml")
    text = body.decode()
    assert "\u22125\u00a0900\u00a0tkr" in text and "§\u00a05" in text
    assert "Carl\u2011Olof" in text and "38\u00a0mnkr" in text
    shown = subprocess.run(
        ["pdftotext", str(tmp_path / "out" / "KS-2025-95-ärende.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    flat = " ".join(shown.replace("\u00a0", " ").split())
    assert "Resultatet blev \u22125 900 tkr, se § 5;" in flat
    assert "Carl-Olof Ek räknade om 38 mnkr." in flat


def test_a_cell_spanning_its_row_keeps_its_span(built: Path) -> None:
    """'Nämnder' heads a row across all six columns: the cell keeps LibreOffice's /ColSpan
    when it becomes a header cell, so a reader names the right column for every figure."""
    path = next(
        p
        for p in _pdfs(built)
        if p.parent.name == "kommun" and p.name == "RS-2025-812-tjänsteskrivelse.pdf"
    )
    with pikepdf.open(path) as pdf:
        spans = []
        for element in _elements(pdf):
            if str(element.S) in ("/TH", "/TD"):
                attributes = element.get("/A")
                owned = (
                    [attributes]
                    if isinstance(attributes, pikepdf.Dictionary)
                    else list(attributes or [])
                )
                spans += [int(a.ColSpan) for a in owned if "/ColSpan" in a]
    assert 6 in spans


def test_bullets_are_bullet_characters_in_the_texts_font(built: Path) -> None:
    """Word's default bullet is a private-use glyph of the Symbol font (U+F0B7), which no
    screen reader or search knows: the documents carry '•' (U+2022) in the text's font."""
    import subprocess

    for path in _pdfs(built, packages=False)[:: max(1, len(_pdfs(built, packages=False)) // 15)]:
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
        assert "\uf0b7" not in text, path
    numbering = zipfile.ZipFile(_docx(built)[0]).read("word/numbering.xml").decode()
    assert "\uf0b7" not in numbering and 'w:ascii="Symbol"' not in numbering
