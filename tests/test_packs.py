"""Template packs: found by name, checked before rendering, unable to run code."""

from __future__ import annotations

import shutil
import struct
import zlib
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from arendegen.cli import cli
from arendegen.packs import BUILTIN, TEMPLATE_FILES, available, load_pack, template_path
from arendegen.pipeline import build
from conftest import WriteCase

CASE = """\
mall: egen
titel: Ärende i egen mall
diarienummer: E 1
datum: 2026-01-15
förslag_till_beslut:
  organ: Nämnden
  att: [godkänna]
handlingar:
  - typ: tjänsteskrivelse
"""


@pytest.fixture
def own_pack(tmp_path: Path) -> Path:
    """A copy of the built-in region pack, named `egen`, in a folder of the user's own."""
    root = tmp_path / "mallar"
    shutil.copytree(BUILTIN / "region", root / "egen")
    config = root / "egen" / "pack.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("namn: region", "namn: egen"), encoding="utf-8"
    )
    return root


def replace_template(pack: Path, body: str) -> Path:
    """Replace the pack's tjänsteskrivelse template with one paragraph of text."""
    path = pack / "egen" / "husmall.docx"
    document = docx.Document(str(path))
    for paragraph in list(document.paragraphs)[1:]:
        paragraph._p.getparent().remove(paragraph._p)
    for table in document.tables:
        table._tbl.getparent().remove(table._tbl)
    document.paragraphs[0].text = body
    document.save(str(path))
    return path


def validate(case: Path, pack: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["validate", "--templates", str(pack), str(case)])
    return result.exit_code, result.stdout


def test_every_builtin_pack_has_a_template_for_every_kind() -> None:
    packs = available()
    assert {"region", "region-halland", "kommun"} <= set(packs)
    for name in ("region", "region-halland", "kommun"):
        pack, problems = load_pack(name)
        assert pack is not None, problems
        for kind in TEMPLATE_FILES:
            assert template_path(pack, kind).is_file(), f"{name}: {kind}"


def test_own_pack_is_used(write_case: WriteCase, own_pack: Path, tmp_path: Path) -> None:
    case = write_case(CASE)
    report = build([case], tmp_path / "out", templates=[own_pack])
    assert report.failed == []
    assert report.written == ["E-1-tjänsteskrivelse.docx"]


def test_unknown_variable_in_a_template_fails_validate(
    write_case: WriteCase, own_pack: Path
) -> None:
    template = replace_template(own_pack, "{{ dokument.titel }} {{ okänd_uppgift }}")
    code, out = validate(write_case(CASE), own_pack)
    assert code == 1
    assert (
        f"{template}:1:1: fel[AG511]: mallpaketet 'egen': mallen använder 'okänd_uppgift', som inte finns"
        in out
    )


def test_missing_template_fails_validate(write_case: WriteCase, own_pack: Path) -> None:
    template = own_pack / "egen" / "husmall.docx"
    template.unlink()
    code, out = validate(write_case(CASE), own_pack)
    assert code == 1
    assert f"{template}:1:1: fel[AG507]: mallpaketet 'egen': mallfilen finns inte" in out


def test_broken_tag_in_a_template_fails_validate(write_case: WriteCase, own_pack: Path) -> None:
    replace_template(own_pack, "{% if dokument.titel %} utan slut")
    code, out = validate(write_case(CASE), own_pack)
    assert code == 1
    assert "felaktig malltagg" in out


def test_template_outside_its_pack_is_refused(write_case: WriteCase, own_pack: Path) -> None:
    config = own_pack / "egen" / "pack.yaml"
    config.write_text(
        config.read_text(encoding="utf-8") + "mallar:\n  tjänsteskrivelse: ../../hemlig.docx\n",
        encoding="utf-8",
    )
    code, out = validate(write_case(CASE), own_pack)
    assert code == 1
    assert "filen ligger utanför mallpaketets mapp" in out


def test_template_linked_out_of_its_pack_later_is_refused_in_the_same_process(
    write_case: WriteCase, own_pack: Path, tmp_path: Path
) -> None:
    # An editor integration calls check_paths again and again in one process.
    from arendegen.validate import check_paths

    case = write_case(CASE)
    assert not check_paths([case], templates=[own_pack])[0].errors
    template = own_pack / "egen" / "husmall.docx"
    outside = tmp_path / "hemlig.docx"
    template.rename(outside)
    template.symlink_to(outside)
    messages = [d.message for d in check_paths([case], templates=[own_pack])[0].errors]
    assert any("filen ligger utanför mallpaketets mapp" in m for m in messages)


@pytest.mark.parametrize(
    "payload",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ dokument.__class__ }}",
        "{{ (dokument|attr('__class__')) }}",
        "{{ cycler.__init__.__globals__ }}",
        "{{ lipsum.__globals__['os'] }}",
        "{{ joiner.__init__.__globals__ }}",
        "{{ namespace.__init__.__globals__ }}",
        "{{ self.__init__.__globals__ }}",
        "{{ config.items() }}",
        "{{ request.application }}",
        "{{ '{0.__class__}'.format(dokument) }}",
        "{{ dokument|attr('__class__')|attr('__mro__') }}",
        "{% for c in ().__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
    ],
)
def test_template_cannot_reach_python_internals(
    write_case: WriteCase, own_pack: Path, tmp_path: Path, payload: str
) -> None:
    replace_template(own_pack, payload)
    out = tmp_path / "out"
    report = build([write_case(CASE)], out, templates=[own_pack])
    assert len(report.failed) == 1
    problem = report.failed[0].errors[-1]
    assert str(own_pack / "egen") in problem.file + problem.message  # names the pack's file
    assert "Traceback" not in problem.message
    assert not list(out.glob("*.docx"))


def tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    raw = zlib.compress(b"\x00\x00\x00\x00" * 1)
    header = struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def test_pack_logo_is_placed_in_the_document(
    write_case: WriteCase, own_pack: Path, tmp_path: Path
) -> None:
    (own_pack / "egen" / "logo.png").write_bytes(tiny_png())
    config = own_pack / "egen" / "pack.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "logo: logo.png\n", encoding="utf-8")
    report = build([write_case(CASE)], tmp_path / "out", templates=[own_pack])
    assert report.failed == []
    (path,) = (tmp_path / "out").glob("*.docx")
    assert any(
        p.partname.endswith(".png") for p in docx.Document(str(path)).part.package.iter_parts()
    )


def test_missing_logo_is_an_error(write_case: WriteCase, own_pack: Path) -> None:
    config = own_pack / "egen" / "pack.yaml"
    config.write_text(
        config.read_text(encoding="utf-8") + "logo: finns-inte.png\n", encoding="utf-8"
    )
    code, out = validate(write_case(CASE), own_pack)
    assert code == 1
    assert "logotypen finns inte" in out
