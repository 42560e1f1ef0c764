"""PDF: archival and accessible, with the seed's figures, reproducible, and safe when
LibreOffice fails or hangs."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import time
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from click.testing import CliRunner

from arendegen.cli import cli
from arendegen.pipeline import Options, build
from arendegen.render import pdf as pdf_module
from arendegen.render.pdf import ConversionError, Job, convert
from conftest import CASES, WriteCase, zip_members, zip_of

PDF = Options(formats=("docx", "pdf"), jobs=2, bundle=True)
HALLAND = "region-halland/2025"


def pdf_text(path: Path) -> str:
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    )
    return " ".join(done.stdout.replace("\u00a0", " ").split())


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, seed_cases: Path) -> Path:
    out = tmp_path_factory.mktemp("pdf")
    report = build([seed_cases], out, options=PDF)
    assert report.failed == [], [d.as_text() for r in report.results for d in r.diagnostics]
    return out


def test_every_document_has_a_pdf(built: Path) -> None:
    docx = {p.with_suffix("").relative_to(built) for p in built.rglob("*.docx")}
    pdfs = {
        p.with_suffix("").relative_to(built)
        for p in built.rglob("*.pdf")
        if not p.name.endswith("-handlingar.pdf")
    }
    assert docx == pdfs and len(pdfs) == 7


@pytest.mark.parametrize(
    ("name", "needles"),
    [
        (
            f"{HALLAND}/RS250184-förfrågan.pdf",
            [
                "18 730 000 kr",
                "Summa vårdförvaltningarna 18 230 000 kr",
                "18,73 mnkr",
                "2025-06-30",
            ],
        ),
        (
            f"{HALLAND}/RS250184-beslutsförslag.pdf",
            ["Förslag till beslut", "Per Karlsson", "Ekonomidirektör", "RS250184"],
        ),
        (
            f"{HALLAND}/RS250184-protokollsutdrag.pdf",
            ["§ 22", "Paragrafen är justerad", "Driftnämnd Psykiatri"],
        ),
        (
            "region/2024/RS-577-2024-budgetavvikelse.pdf",
            ["Underskott 2024 74 mnkr", "Resurser och finansiering"],
        ),
        (
            "region/2022/ersattningsmodell-fvis-ersättningsmodell.pdf",
            ["Vårdpersonal 430", "Läkare 850", "Tommy Svensson, Regiondirektör"],
        ),
        (
            "region/2019/fvis-omfordelning-strategiska-medel-tjänsteskrivelse.pdf",
            ["Regiondirektörens beslut", "7 miljoner kronor"],
        ),
        (
            "bollebygds-kommun/2020/socialnamnden-fvm-projektledare-protokollsutdrag.pdf",
            ["Gun-Britt Ottosson (M)", "Summa 210 210", "Skickas till"],
        ),
    ],
)
def test_pdf_text_holds_the_seed_figures(built: Path, name: str, needles: list[str]) -> None:
    text = pdf_text(built / name)
    assert [n for n in needles if n not in text] == []


def test_pdf_is_pdfa_2b_tagged_with_title_and_language(built: Path) -> None:
    with pikepdf.open(built / HALLAND / "RS250184-beslutsförslag.pdf") as pdf:
        with pdf.open_metadata() as meta:
            assert meta["pdfaid:part"] == "2"
            assert meta["pdfaid:conformance"] == "B"
            assert meta["xmp:CreateDate"] == "2025-02-03T00:00:00Z"
            assert meta["dc:title"].startswith("Information om utvecklingsmedel")
        assert "/StructTreeRoot" in pdf.Root
        assert pdf.Root.MarkInfo.Marked
        assert str(pdf.Root.Lang) == "sv-SE"
        assert str(pdf.docinfo["/Subject"]) == "RS250184"
        assert str(pdf.docinfo["/CreationDate"]).startswith("D:20250203000000")
    fonts = subprocess.run(
        ["pdffonts", str(built / HALLAND / "RS250184-beslutsförslag.pdf")],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(" yes " in row for row in rows)


def test_two_builds_give_the_same_pdf_bytes(built: Path, tmp_path: Path) -> None:
    report = build(
        [CASES / "region-halland"], tmp_path, options=Options(formats=("pdf",), jobs=1, bundle=True)
    )
    assert report.failed == []
    for path in tmp_path.rglob("*.pdf"):
        assert (
            path.read_bytes()
            == (built / "region-halland" / path.relative_to(tmp_path)).read_bytes()
        ), path.name
    assert not list(tmp_path.rglob("*.docx"))


def test_unchanged_documents_are_not_converted_again(built: Path, seed_cases: Path) -> None:
    started = time.monotonic()
    report = build([seed_cases], built, options=PDF)
    assert report.written == []
    assert len(report.unchanged) == 7 * 2 + 4  # seed 004 is only an extract: no package
    assert time.monotonic() - started < 10


def test_plain_pdf_is_not_pdfa(tmp_path: Path) -> None:
    report = build(
        [CASES / "region"], tmp_path, options=Options(formats=("pdf",), archive_pdf=False)
    )
    assert report.failed == []
    for path in tmp_path.rglob("*.pdf"):
        with pikepdf.open(path) as pdf, pdf.open_metadata() as meta:
            assert "pdfaid:part" not in meta


def test_bundle_holds_the_main_document_then_its_annexes(built: Path) -> None:
    with pikepdf.open(built / HALLAND / "RS250184-handlingar.pdf") as bundle:
        with bundle.open_outline() as outline:
            titles = [item.title for item in outline.root]
        assert titles == [
            "Information om utvecklingsmedel för att finansiera uppdrag vid införandet av Cosmic 2025",
            "Bilaga 1. Finansiering av uppdrag vid införandet av Cosmic",
        ]
        parts = [
            pikepdf.open(built / HALLAND / n)
            for n in ("RS250184-beslutsförslag.pdf", "RS250184-förfrågan.pdf")
        ]
        assert len(bundle.pages) == sum(len(p.pages) for p in parts)
        assert str(bundle.Root.PageLabels.Nums[3].P) == "Bilaga 1-"


def test_the_package_of_seed_002_is_archival_and_tagged(built: Path) -> None:
    """Issue 18: the package is PDF/A-2b and PDF/UA like its documents; its structure tree
    holds each document's as a Part, every element's page is a page of the package, each
    page's marked content is found through the parent tree, and each document's bookmark
    has the document's own headings under it."""
    import pdfua

    from arendegen.render.tagging import problems

    path = built / HALLAND / "RS250184-handlingar.pdf"
    with pikepdf.open(path) as package:
        meta = package.open_metadata()
        assert (meta.get("pdfaid:part"), meta.get("pdfaid:conformance")) == ("2", "B")
        assert meta.get("pdfuaid:part") == "1"
        assert package.Root.MarkInfo.Marked and package.Root.ViewerPreferences.DisplayDocTitle
        assert "/OutputIntents" in package.Root and str(package.Root.Lang) == "sv-SE"
        assert str(package.docinfo["/Keywords"]) == meta["pdf:Keywords"] == "RS250184"
        assert problems(package) == []
        tree = package.Root.StructTreeRoot
        parts = list(tree.K.K)
        assert [str(p.S) for p in parts] == ["/Part", "/Part"]
        pages = {page.obj.objgen for page in package.pages}
        keys = {int(k) for k in list(tree.ParentTree.Nums)[::2]}
        assert {int(page.obj.StructParents) for page in package.pages} <= keys
        assert int(tree.ParentTreeNextKey) == max(keys) + 1

        def elements(element: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
            kids = element.get("/K")
            items = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
            found = [k for k in items if isinstance(k, pikepdf.Dictionary) and "/S" in k]
            return found + [e for k in found for e in elements(k)]

        assert all(e.Pg.objgen in pages for e in elements(tree) if "/Pg" in e)
        with package.open_outline() as outline:
            marks = list(outline.root)
            assert len(marks) == 2
            assert [c.title for c in marks[0].children][:2] == [
                "Förslag till beslut",
                "Sammanfattning",
            ]
    report = pdfua.validate(str(path))
    assert report.findings == ()


def test_an_attached_file_that_is_not_pdf_a_makes_the_package_plain_and_is_named(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pikepdf.new() as scan:
        scan.add_blank_page()
        scan.pages[0].obj.StructParents = 0  # a number into a tree the file does not have
        scanned = io.BytesIO()
        scan.save(scanned)
    repo = tmp_path / "repo"
    report = _package_with(
        repo, monkeypatch, ("2", "Ärende med skannad bilaga"), "Skannat avtal", scanned.getvalue()
    )
    assert report.failed == []
    (warning,) = [d for r in report.results for d in r.diagnostics]
    assert warning.message == (
        "A-2-handlingar.pdf: blir inte PDF/A, eftersom den bifogade filen 'Bilaga 1. Skannat "
        "avtal' inte är PDF/A; paketet skrivs som vanlig PDF"
    )
    with pikepdf.open(repo / "out" / "A-2-handlingar.pdf") as package:
        assert "pdfaid:part" not in package.open_metadata()
        assert "pdfuaid:part" not in package.open_metadata()
        # the memo keeps its tags; the scan's page is simply not in the tree, and names no
        # number of the parent tree (it would be the memo's)
        assert [str(p.S) for p in package.Root.StructTreeRoot.K.K] == ["/Part"]
        assert "/StructParents" not in package.pages[-1].obj
        assert package.pdf_version >= "1.4"


def test_document_libreoffice_cannot_read_is_reported_and_others_convert(built: Path) -> None:
    good = (built / HALLAND / "RS250184-beslutsförslag.docx").read_bytes()
    results = convert(
        [
            Job("trasig", b"PK\x03\x04 inte ett dokument", None),
            Job("hel", good, dt.date(2025, 2, 3)),
        ],
        workers=1,
        timeout_per_document=30,
    )
    assert results[0].pdf is None and results[0].problem
    assert results[1].pdf is not None and results[1].pdf.startswith(b"%PDF")


def test_more_documents_than_one_soffice_call_takes_are_all_converted(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # LibreOffice silently skips files beyond about the 247th argument; batches are cut at
    # BATCH_SIZE. A batch size of 2 makes five documents need three calls.
    monkeypatch.setattr(pdf_module, "BATCH_SIZE", 2)
    sources = sorted(built.rglob("*.docx"))[:5]
    results = convert(
        [Job(p.name, p.read_bytes(), None) for p in sources], workers=1, archive=False
    )
    assert [r.key for r in results] == [p.name for p in sources]
    for source, result in zip(sources, results, strict=True):
        assert result.pdf is not None
        (tmp_path / "x.pdf").write_bytes(result.pdf)
        assert pdf_text(tmp_path / "x.pdf")[:40] == pdf_text(source.with_suffix(".pdf"))[:40]


def test_hung_libreoffice_is_killed_at_the_timeout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pids = tmp_path / "pids"
    fake = tmp_path / "soffice"
    fake.write_text(
        f"#!/bin/sh\necho $$ >> {pids}\nsleep 300 &\necho $! >> {pids}\nwait\n", encoding="utf-8"
    )
    fake.chmod(0o755)
    monkeypatch.setenv("ARENDEGEN_SOFFICE", str(fake))
    monkeypatch.setattr(pdf_module, "STARTUP_GRACE", 0.5)
    started = time.monotonic()
    (result,) = convert([Job("a", b"x", None)], workers=1, timeout_per_document=0.5)
    assert time.monotonic() - started < 10
    assert result.pdf is None
    assert result.problem is not None and "svarade inte inom" in result.problem
    time.sleep(0.2)
    assert [pid for pid in map(int, pids.read_text(encoding="utf-8").split()) if alive(pid)] == []


def alive(pid: int) -> bool:
    """True for a running process; a killed one may linger as a zombie until reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8").rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in {"Z", "X"}


def test_missing_libreoffice_says_how_to_install(
    write_case: WriteCase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARENDEGEN_SOFFICE", str(tmp_path / "finns-inte"))
    with pytest.raises(ConversionError, match="apt-get install"):
        convert([Job("a", b"x", None)])
    case = write_case(
        "titel: T\nförslag_till_beslut: {organ: N, att: [a]}\nhandlingar: [{typ: tjänsteskrivelse}]\n"
    )
    result = CliRunner().invoke(cli, ["build", "--out", str(tmp_path / "out"), str(case)])
    assert result.exit_code == 2
    assert "libreoffice-writer-nogui" in result.stderr
    assert not (tmp_path / "out").exists()


def test_crashing_libreoffice_is_reported_and_leaves_no_pdf(
    write_case: WriteCase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nkill -SEGV $$\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("ARENDEGEN_SOFFICE", str(fake))
    case = write_case(
        "titel: T\nförslag_till_beslut: {organ: N, att: [a]}\nhandlingar: [{typ: tjänsteskrivelse}]\n"
    )
    out = tmp_path / "out"
    report = build([case], out, options=Options(formats=("docx", "pdf"), jobs=1))
    (failed,) = report.failed
    assert "ingen PDF" in failed.errors[-1].message
    assert "avslutades med kod -11" in failed.errors[-1].message
    assert not out.exists() or not list(out.rglob("*.*"))


def test_bundle_includes_attached_pdfs_in_annex_order(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    attached = built / HALLAND / "RS250184-protokollsutdrag.pdf"
    repo = tmp_path / "repo"
    report = _package_with(
        repo,
        monkeypatch,
        ("1", "Ärende med bifogad karta"),
        "Karta över området",
        attached.read_bytes(),
    )
    assert report.failed == []
    with pikepdf.open(repo / "out" / "A-1-handlingar.pdf") as package:
        with package.open_outline() as outline:
            assert [item.title for item in outline.root] == [
                "Ärende med bifogad karta",
                "Bilaga 1. Karta över området",
            ]
        main = pikepdf.open(repo / "out" / "A-1-tjänsteskrivelse.pdf")
        assert len(package.pages) == len(main.pages) + len(pikepdf.open(attached).pages)


def test_libreoffice_converts_without_a_network(tmp_path: Path) -> None:
    """Defence in depth behind the package check: a document that LibreOffice would fetch a
    picture for (r:link to a web address) is converted with no network, so a template that
    slipped past the check still cannot make the CI runner request anything."""
    import http.server
    import threading

    import docx as python_docx

    from arendegen.render.pdf import offline

    if not offline():
        pytest.skip("this machine allows no network namespace (unshare --net)")
    asked: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            self.send_response(404)
            self.end_headers()

        do_OPTIONS = do_HEAD = do_GET

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        source = tmp_path / "plain.docx"
        python_docx.Document().save(str(source))
        members = zip_members(source.read_bytes())
        url = f"http://127.0.0.1:{server.server_address[1]}/bild.png"
        members["word/_rels/document.xml.rels"] = members["word/_rels/document.xml.rels"].replace(
            b"</Relationships>",
            b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/'
            b'2006/relationships/image" Target="' + url.encode() + b'" TargetMode="External"/>'
            b"</Relationships>",
        )
        members["word/document.xml"] = members["word/document.xml"].replace(
            b"<w:sectPr", _LINKED_PICTURE + b"<w:sectPr", 1
        )
        (converted,) = convert([Job("a", zip_of(members), None)], workers=1)
    finally:
        server.shutdown()
    assert converted.pdf is not None, converted.problem
    assert asked == []


_LINKED_PICTURE = (
    b'<w:p><w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/'
    b'drawingml/2006/wordprocessingDrawing"><wp:extent cx="952500" cy="952500"/>'
    b'<wp:docPr id="9" name="P"/><a:graphic xmlns:a="http://schemas.openxmlformats.org/'
    b'drawingml/2006/main"><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/'
    b'2006/picture"><pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/'
    b'picture"><pic:nvPicPr><pic:cNvPr id="0" name="p.png"/><pic:cNvPicPr/></pic:nvPicPr>'
    b'<pic:blipFill><a:blip xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships" r:link="rId99"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
    b'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="952500" cy="952500"/></a:xfrm>'
    b'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData>'
    b"</a:graphic></wp:inline></w:drawing></w:r></w:p>"
)


def _hostile_pdf() -> bytes:
    """A page whose structure tree shares each element twice under the one above, sixty
    levels deep (2^60 paths, 61 objects), and has a loop; an outline that loops too."""
    import io

    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        pdf.pages[0].obj.StructParents = 0
        element = pdf.make_indirect(
            pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.H1, K=0)
        )
        for _ in range(60):
            element = pdf.make_indirect(
                pikepdf.Dictionary(S=pikepdf.Name.Sect, K=pikepdf.Array([element, element]))
            )
        element.K.append(element)  # and a loop
        root = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.StructTreeRoot,
                K=element,
                ParentTree=pikepdf.Dictionary(Nums=pikepdf.Array([0, pikepdf.Array([element])])),
                ParentTreeNextKey=1,
            )
        )
        pdf.Root.StructTreeRoot = root
        first = pdf.make_indirect(
            pikepdf.Dictionary(
                Title=pikepdf.String("a"), Dest=pikepdf.Array([pdf.pages[0].obj, pikepdf.Name.Fit])
            )
        )
        first.Next = first
        pdf.Root.Outlines = pdf.make_indirect(
            pikepdf.Dictionary(Type=pikepdf.Name.Outlines, First=first, Last=first, Count=1)
        )
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def test_a_hostile_attached_structure_is_merged_or_refused_quickly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started = time.monotonic()
    repo = tmp_path / "repo"
    report = _package_with(
        repo, monkeypatch, ("3", "Ärende med elak bilaga"), "Elak", _hostile_pdf()
    )
    assert time.monotonic() - started < 30
    assert (repo / "out" / "A-3-tjänsteskrivelse.pdf").exists()  # the case's own document stands
    messages = [d.message for r in report.results for d in r.diagnostics]
    if (repo / "out" / "A-3-handlingar.pdf").exists():
        with pikepdf.open(repo / "out" / "A-3-handlingar.pdf") as package:
            assert "pdfuaid:part" not in package.open_metadata()
    else:
        assert any("handlingspaketet kunde inte göras" in m for m in messages), messages


def _package_with(
    repo: Path, monkeypatch: pytest.MonkeyPatch, case: tuple[str, str], title: str, pdf: bytes
) -> Any:
    """A case repository whose one case (`case`: its diarienummer's number and its title)
    attaches `pdf` as Bilaga 1 titled `title`, built to PDF with its decision package."""
    number, case_title = case
    (repo / "cases" / "bilagor").mkdir(parents=True)
    (repo / "cases" / "bilagor" / "bilaga.pdf").write_bytes(pdf)
    (repo / "cases" / "a.yaml").write_text(
        f"titel: {case_title}\ndiarienummer: A {number}\ndatum: 2026-01-15\n"
        "förslag_till_beslut: {organ: Nämnden, att: [godkänna]}\n"
        f"bilagor:\n  - titel: {title}\n    fil: bilagor/bilaga.pdf\n"
        f"beslutsunderlag:\n  - {{titel: {title}, bilaga: 1}}\n"
        "handlingar: [{typ: tjänsteskrivelse}]\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(repo)
    return build(
        [Path("cases")], repo / "out", options=Options(formats=("pdf",), jobs=1, bundle=True)
    )
