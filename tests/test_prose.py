"""Prose as the README promises (issue 17): a Markdown table in a section becomes a Word
table, and a paragraph that continues a list item stays in that item."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from arendegen.cli import cli
from arendegen.packs import BUILTIN
from conftest import WriteCase, zip_members

CASE = """\
mall: {pack}
titel: Lokalförsörjning
datum: 2025-05-02
förslag_till_beslut:
  organ: Kommunstyrelsen
  att: [godkänna planen.]
bakgrund: |
  Behoven per verksamhet:

  | Verksamhet | Lokaler | Yta, kvm |
  |---|---|--:|
  | Skola | 4 | 12 400 |
  | Omsorg | 2 | 3 100 |

  Planen bygger på två principer:

  - samlokalisering där det går

    Det gäller särskilt förskolor och skolor.
  - egna lokaler före inhyrda
handlingar:
  - typ: tjänsteskrivelse
"""


@pytest.mark.parametrize("pack", sorted(p.name for p in BUILTIN.iterdir() if p.is_dir()))
def test_a_markdown_table_and_a_continued_list_item_in_every_pack(
    pack: str, write_case: WriteCase, tmp_path: Path
) -> None:
    """Before: the table printed as raw pipes ('| Skola | 4 | 12 400 |'), with no warning,
    and the continuing paragraph became a bullet of its own."""
    path = write_case(CASE.replace("{pack}", pack))
    out = tmp_path / "ut"
    result = CliRunner().invoke(
        cli, ["build", str(path), "--out", str(out), "--format", "docx"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    (docx,) = out.glob("*.docx")
    body = zip_members(docx.read_bytes())["word/document.xml"].decode()
    assert "| Skola |" not in body
    start = body.rindex("<w:tbl>", 0, body.index(">Verksamhet<"))
    table = body[start : body.index("</w:tbl>", start)]
    cells = [c.replace("\u00a0", " ") for c in re.findall(r"<w:t[^>]*>([^<]*)</w:t>", table)]
    assert cells == [
        "Verksamhet",
        "Lokaler",
        "Yta, kvm",
        "Skola",
        "4",
        "12 400",
        "Omsorg",
        "2",
        "3 100",
    ]
    # the figures' column is right-aligned, as the Markdown says
    assert re.search(
        r'<w:jc w:val="right"/></w:pPr><w:r>(<w:rPr>[^<]*(<[^>]*>)*</w:rPr>)?<w:t[^>]*>12\u00a0400',
        table,
    )
    styles = zip_members(docx.read_bytes())["word/styles.xml"].decode()
    continued = re.search(
        r'<w:pStyle w:val="([^"]+)"/>(?:(?!</w:pPr>).)*</w:pPr><w:r><w:t[^>]*>Det gäller', body
    )
    assert continued is not None
    style_id = continued.group(1)
    name = re.search(rf'w:styleId="{style_id}"(?:(?!</w:style>).)*?<w:name w:val="([^"]+)"', styles)
    assert name is not None and name.group(1) in ("List Continue", "Normal")
    assert name.group(1) != "List Bullet"


@pytest.mark.parametrize(
    ("kind", "written"),
    [
        ("ärende", "ett ärende"),
        ("beslutsförslag", "ett beslutsförslag"),
        ("tjänsteutlåtande", "ett tjänsteutlåtande"),
        ("tjänsteskrivelse", "en tjänsteskrivelse"),
        ("skrivelse", "en skrivelse"),
    ],
)
def test_messages_name_a_kind_with_its_article(
    kind: str, written: str, write_case: WriteCase
) -> None:
    """Before: 'en ärende behöver ärendets förslag_till_beslut'."""
    from arendegen.validate import check_file

    result = check_file(
        write_case(f"mall: kommun\ntitel: T\ndatum: 2025-01-01\nhandlingar:\n  - typ: {kind}\n")
    )
    assert f"{written} behöver ärendets förslag_till_beslut" in [d.message for d in result.errors]
