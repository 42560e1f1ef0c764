"""The compiled template (docxtpl's per-template work done once) gives docxtpl's own bytes.

`render_docx` is what every build uses; `render_docx_plain` calls docxtpl once per document,
as the docxtpl documentation does. Any difference between them, in any zip member, fails here.
"""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import docx
import pytest
from docx.shared import Mm

from arendegen.context import document_context
from arendegen.packs import BUILTIN, template_path
from arendegen.render.docx import Properties, render_docx, render_docx_plain
from arendegen.validate import check_file
from test_packs import tiny_png
from test_vocabulary import ALL_CASES, PACKS, in_pack


def documents(
    case: Path, templates: tuple[Path, ...] = ()
) -> list[tuple[Path, dict[str, object], Properties]]:
    result = check_file(case, templates=templates)
    assert result.errors == [], result.errors
    assert result.case is not None and result.pack is not None and result.computed is not None
    jobs = []
    for index, doc in enumerate(result.case.handlingar):
        context = document_context(result.case, result.computed, result.pack, index)
        properties = Properties(
            title=context["dokument"]["titel"],
            subject=result.case.diarienummer or "",
            author="Anna Berg",
            date=doc.datum or result.case.datum,
        )
        jobs.append((template_path(result.pack, doc.typ), context, properties))
    return jobs


def differing_members(a: bytes, b: bytes) -> list[str]:
    first, second = zipfile.ZipFile(io.BytesIO(a)), zipfile.ZipFile(io.BytesIO(b))
    names = [i.filename for i in first.infolist()]
    if names != [i.filename for i in second.infolist()]:
        return ["member list: " + ", ".join(names)]
    return [n for n in names if first.read(n) != second.read(n)] or ["zip headers"]


@pytest.mark.parametrize("pack", PACKS)
def test_every_kind_in_every_pack_has_the_same_bytes_as_docxtpl(pack: str, tmp_path: Path) -> None:
    compared = 0
    for number, case in enumerate(ALL_CASES):
        copy = tmp_path / case.name
        copy.write_text(in_pack(case, pack, number), encoding="utf-8")
        for template, context, properties in documents(copy):
            fast = render_docx(template, context, properties)
            plain = render_docx_plain(template, context, properties)
            assert fast == plain or differing_members(fast, plain) == [], (case.name, template)
            compared += 1
    assert compared >= 20


LINKED = """\
mall: egen
titel: Riktlinje för digital tillgänglighet
diarienummer: E 2
datum: 2026-03-02
förslag_till_beslut:
  organ: Nämnden
  att: [anta riktlinjen]
sammanfattning: |
  Lagen om [tillgänglighet till digital offentlig service](https://www.riksdagen.se/dos)
  gäller sedan 2019; se också [DIGG:s vägledning](https://www.digg.se/webbriktlinjer).
bakgrund: |
  Samma [lag](https://www.riksdagen.se/dos) styr våra webbplatser och appar.

  Kostnad:\t12 tkr per år (en tabb, som Word skriver som tabbsteg).
handlingar:
  - typ: tjänsteskrivelse
"""


@pytest.fixture
def logo_pack(tmp_path: Path) -> Path:
    """The region pack as `egen`, with a logo; its tjänsteskrivelse also shows the logo in
    the header, where the template already has the same picture (so python-docx reuses it)."""
    root = tmp_path / "mallar"
    shutil.copytree(BUILTIN / "region", root / "egen")
    (root / "egen" / "logo.png").write_bytes(tiny_png())
    config = root / "egen" / "pack.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "logo: logo.png\n", encoding="utf-8")
    path = root / "egen" / "husmall.docx"
    document = docx.Document(str(path))
    header = document.sections[0].header
    header.add_paragraph().add_run().add_picture(str(root / "egen" / "logo.png"), height=Mm(5))
    header.add_paragraph("{{ logo }}")
    document.save(str(path))
    return root


def test_links_and_logos_have_the_same_bytes_as_docxtpl(logo_pack: Path, tmp_path: Path) -> None:
    case = tmp_path / "lankad.yaml"
    case.write_text(LINKED, encoding="utf-8")
    ((template, context, properties),) = documents(case, (logo_pack,))
    fast = render_docx(template, context, properties)
    plain = render_docx_plain(template, context, properties)
    assert fast == plain or differing_members(fast, plain) == []
    package = zipfile.ZipFile(io.BytesIO(fast))
    rels = package.read("word/_rels/document.xml.rels").decode()
    assert rels.count("https://www.riksdagen.se/dos") == 1  # one relationship, used twice
    assert "https://www.digg.se/webbriktlinjer" in rels
    assert [n for n in package.namelist() if n.startswith("word/media/")] == [
        "word/media/image1.png"
    ]
    assert "media/image1.png" in package.read("word/_rels/header1.xml.rels").decode()
    assert "Kostnad:</w:t></w:r><w:r><w:tab/>" in package.read("word/document.xml").decode()


def test_an_edited_template_is_compiled_again(logo_pack: Path, tmp_path: Path) -> None:
    case = tmp_path / "lankad.yaml"
    case.write_text(LINKED, encoding="utf-8")
    ((template, context, properties),) = documents(case, (logo_pack,))
    before = render_docx(template, context, properties)
    document = docx.Document(str(template))
    document.paragraphs[0].insert_paragraph_before("Utkast")
    document.save(str(template))
    after = render_docx(template, context, properties)
    assert after != before
    assert after == render_docx_plain(template, context, properties)
