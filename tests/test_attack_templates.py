"""A template pack from a pull request, written by an attacker (issue 14, items 1–6).

Each test sets up what the issue describes: a copy of the built-in `region` pack in a case
repository's `templates/evil/` (named `evil`), a case with `mall: evil`, and the payload in
the pack's `husmall.docx`. Templates must not read or write files, evaluate case
text, embed files from outside the package, crash or hang a build, or inflate without bound.
"""

from __future__ import annotations

import io
import re
import shutil
import time
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import docx
import pytest
from click.testing import CliRunner

from arendegen.cli import cli
from arendegen.packs import BUILTIN
from conftest import CASES, zip_members, zip_of

CASE = """\
mall: {pack}
titel: {title}
diarienummer: {number}
datum: 2026-01-15
förslag_till_beslut:
  organ: Nämnden
  att: [godkänna]
handlingar:
  - typ: tjänsteskrivelse
"""
TEMPLATE = "husmall.docx"
DOC_RELS = "word/_rels/document.xml.rels"


class Repo:
    """A case repository in a temporary folder, worked in as the current folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.pack = root / "templates" / "evil"
        shutil.copytree(BUILTIN / "region", self.pack)
        config = self.pack / "pack.yaml"
        config.write_text(
            config.read_text(encoding="utf-8").replace("namn: region", "namn: evil"),
            encoding="utf-8",
        )
        (root / "cases").mkdir()

    def case(
        self, name: str = "evil", pack: str = "evil", title: str = "Ärende", number: str = "E 1"
    ) -> Path:
        path = self.root / "cases" / f"{name}.yaml"
        path.write_text(CASE.format(pack=pack, title=title, number=number), encoding="utf-8")
        return path

    def edit(self, member: str, change: Callable[[str], str]) -> None:
        """Change one part of the pack's tjänsteskrivelse template (a member of its zip)."""
        template = self.pack / TEMPLATE
        members = zip_members(template.read_bytes())
        members[member] = change(members.get(member, b"").decode("utf-8")).encode("utf-8")
        template.write_bytes(zip_of(members))

    def put(self, member: str, data: bytes) -> None:
        """Add or replace one member of the template's zip, as bytes."""
        template = self.pack / TEMPLATE
        members = zip_members(template.read_bytes())
        members[member] = data
        template.write_bytes(zip_of(members))

    def paragraph(self, payload: str) -> None:
        """The payload as a new paragraph at the end of the body."""
        self.edit("word/document.xml", lambda xml: _before_last_section(xml, _p(payload)))

    def run(self, *args: str) -> tuple[int, str]:
        result = CliRunner().invoke(cli, list(args), catch_exceptions=True)
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            "a traceback: " + repr(result.exception)
        )
        return result.exit_code, result.output


def _png(side: int = 2) -> bytes:
    """A grey PNG: 2×2 pixels with its pixel data, or only the header of a `side`-pixel square
    (a picture that says it is huge is all a check of its size needs)."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0))
    pixels = chunk(b"IDAT", zlib.compress(b"\x00\x80\x80" * 2)) if side == 2 else b""
    return b"\x89PNG\r\n\x1a\n" + header + pixels + chunk(b"IEND", b"")


def _p(text: str) -> str:
    return f'<w:p><w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def _before_last_section(xml: str, insert: str) -> str:
    at = xml.rindex("<w:sectPr")
    return xml[:at] + insert + xml[at:]


def _add_rel(rels: str, rel: str) -> str:
    return rels.replace("</Relationships>", rel + "</Relationships>")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    monkeypatch.chdir(tmp_path)
    return Repo(tmp_path)


def _docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        xml = " ".join(
            archive.read(n).decode("utf-8")
            for n in archive.namelist()
            if n.startswith("word/") and n.endswith(".xml")
        )
    return re.sub(r"<[^>]+>", "", xml)


# -- 1. No live object reaches a template ----------------------------------------------------


@pytest.mark.parametrize(
    "payload",
    [
        "{{ logo.logo.path.joinpath('/etc/hostname').read_text() }}",
        "{{ logo._logo.data }}",
        "{{ logo.document.template.tpl.save('/tmp/arendegen-evil.docx') }}",
        "{{ logo._document }}",
        "{{ avsnitt.bakgrund.text.xml }}",
        "{{ rubriker.items().__iter__ }}",
        "{{ dokument.titel.format }}{{ dokument.titel.center(10) }}",
    ],
)
def test_a_template_reaches_no_file_and_no_object_that_does_io(repo: Repo, payload: str) -> None:
    (repo.pack / "pack.yaml").write_text(
        (repo.pack / "pack.yaml").read_text(encoding="utf-8") + "logo: logo.png\n",
        encoding="utf-8",
    )
    (repo.pack / "logo.png").write_bytes(_png())
    repo.paragraph(payload)
    repo.case()
    code, out = repo.run("validate", "cases")
    assert code == 1, out
    assert "mallpaketet 'evil'" in out and "word/document.xml" in out, out
    code, out = repo.run("build", "cases", "--format", "docx")
    assert code == 1, out
    assert not (repo.root / "output").exists() or not list((repo.root / "output").rglob("*.docx"))
    assert not Path("/tmp/arendegen-evil.docx").exists()


def test_writing_a_file_through_the_logo_is_refused(repo: Repo) -> None:
    target = repo.root / "written-by-template.txt"
    (repo.pack / "pack.yaml").write_text(
        (repo.pack / "pack.yaml").read_text(encoding="utf-8") + "logo: logo.png\n",
        encoding="utf-8",
    )
    (repo.pack / "logo.png").write_bytes(_png())
    repo.paragraph(f"{{{{ logo.logo.path.joinpath('{target}').write_text('x') }}}}")
    repo.case()
    repo.run("validate", "cases")
    repo.run("build", "cases", "--format", "docx")
    assert not target.exists()


def _walk_types(value: Any, where: str, found: set[str]) -> None:
    """Every value below `value` is plain data or one of the kinds made for templates, whose
    fields are plain data in turn."""
    import dataclasses

    from arendegen.blocks import Blocks, Cell, Logo, Paragraph, Picture, Run, Table

    if isinstance(value, dict):
        for key, item in value.items():
            assert isinstance(key, str), where
            _walk_types(item, f"{where}.{key}", found)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _walk_types(item, f"{where}[{index}]", found)
    elif type(value) in (Blocks, Paragraph, Run, Table, Cell, Logo, Picture):
        found.add(type(value).__name__)
        for item in dataclasses.fields(value):
            _walk_types(getattr(value, item.name), f"{where}.{item.name}", found)
    else:
        assert type(value) in (str, int, bool, Decimal, bytes, type(None)), (
            f"{where}: {type(value).__name__}"
        )


def test_every_value_of_every_example_context_is_plain_data(tmp_path: Path) -> None:
    """Walk the whole context of every document of every case in cases/, and of a case in a
    pack with a logo: text, numbers, truth values, lists and dicts of these, and the kinds
    made for templates (blocks of text, the logo's bytes), all the way down."""
    from arendegen.context import document_context
    from arendegen.validate import check_file

    pack = tmp_path / "mallar" / "med-logo"
    shutil.copytree(BUILTIN / "region", pack)
    (pack / "pack.yaml").write_text(
        (pack / "pack.yaml").read_text(encoding="utf-8").replace("namn: region", "namn: med-logo")
        + "logo: logo.png\n",
        encoding="utf-8",
    )
    (pack / "logo.png").write_bytes(_png())
    with_logo = tmp_path / "logo.yaml"
    with_logo.write_text(
        CASE.format(pack="med-logo", title="Med logo", number="E 1"), encoding="utf-8"
    )

    kinds: set[str] = set()
    documents = 0
    for path in [*sorted(CASES.rglob("*.yaml")), with_logo]:
        result = check_file(path, templates=[pack.parent])
        if result.case is None or result.errors:
            continue
        assert result.pack is not None and result.computed is not None
        for index in range(len(result.case.handlingar)):
            context = document_context(result.case, result.computed, result.pack, index)
            _walk_types(context, path.name, kinds)
            documents += 1
    assert documents >= 20
    assert {"Blocks", "Paragraph", "Run", "Table", "Cell", "Logo", "Picture"} <= kinds


def test_what_the_renderer_hands_a_template_has_no_readable_attribute() -> None:
    """The renderer's own objects (ready XML, a placed logo) offer a template nothing to read."""
    from jinja2.exceptions import SecurityError

    from arendegen.render.docx import _Xml
    from arendegen.render.sandbox import sandbox

    env = sandbox()
    for expression in ("x.xml", "x._xml", "x.__html__", "x.__class__"):
        template = env.from_string("{{ " + expression + " }}")
        with pytest.raises((SecurityError, Exception)):
            template.render(x=_Xml("<w:p/>"))


# -- 2. Case text is never evaluated, in any part --------------------------------------------

_FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
_FOOTNOTES_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"


def _with_footnotes(repo: Repo, text: str) -> None:
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    footnotes = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes xmlns:w="{w}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
        f'</w:r></w:p></w:footnote><w:footnote w:id="1">{_p(text)}</w:footnote></w:footnotes>'
    )
    repo.edit("word/footnotes.xml", lambda _: footnotes)
    repo.edit(
        "[Content_Types].xml",
        lambda xml: xml.replace(
            "</Types>",
            f'<Override PartName="/word/footnotes.xml" ContentType="{_FOOTNOTES_TYPE}"/></Types>',
        ),
    )
    repo.edit(
        DOC_RELS,
        lambda xml: _add_rel(
            xml, f'<Relationship Id="rId99" Type="{_FOOTNOTES_REL}" Target="footnotes.xml"/>'
        ),
    )
    repo.paragraph("Text med fotnot")
    # a second section (docxtpl renders the footnotes once per section, each time anew)
    repo.edit(
        "word/document.xml",
        lambda xml: _before_last_section(
            xml, '<w:p><w:pPr><w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:pPr></w:p>'
        ),
    )
    repo.edit(
        "word/document.xml",
        lambda xml: xml.replace(
            "Text med fotnot</w:t></w:r>",
            'Text med fotnot</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r>',
        ),
    )


@pytest.mark.parametrize(
    "title", ["Ärende {{ 7*7 }}", "Ärende {_{ 7*7 }_}", "Ärende {% if true %}ja{% endif %}"]
)
def test_case_text_in_a_footnote_is_printed_not_evaluated(repo: Repo, title: str) -> None:
    _with_footnotes(repo, "Fotnot: {{ dokument.titel }}")
    repo.case(title=f'"{title}"')
    code, out = repo.run("build", "cases", "--format", "docx")
    assert code == 0, out
    (built,) = (repo.root / "output").rglob("*.docx")
    with zipfile.ZipFile(built) as archive:
        footnote = re.sub(r"<[^>]+>", "", archive.read("word/footnotes.xml").decode("utf-8"))
    assert "Ärende 49" not in footnote and "Ärende ja" not in footnote
    assert "Fotnot: Ärende" in footnote


def test_case_text_is_inert_in_body_headers_footers_and_properties(repo: Repo) -> None:
    repo.case(title='"{{ 7*7 }} {% if true %}ja{% endif %}"')
    code, out = repo.run("build", "cases", "--format", "docx")
    assert code == 0, out
    (built,) = (repo.root / "output").rglob("*.docx")
    assert "49" not in _docx_text(built)
    assert docx.Document(str(built)).core_properties.title == "{{ 7*7 }} {% if true %}ja{% endif %}"


# -- 3. Nothing from outside the package ------------------------------------------------------

_IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
_HYPER = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
_ATTACHED = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"
_OLE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/oleObject"


def _linked_image(repo: Repo, secret: Path) -> None:
    repo.edit(
        DOC_RELS,
        lambda xml: _add_rel(
            xml,
            f'<Relationship Id="rId98" Type="{_IMAGE}" Target="file://{secret}" '
            'TargetMode="External"/>',
        ),
    )


def _field(repo: Repo, instruction: str, simple: bool) -> None:
    if simple:
        xml = f'<w:p><w:fldSimple w:instr="{escape(instruction, {chr(34): "&quot;"})}"/></w:p>'
    else:
        xml = (
            '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r><w:instrText xml:space="preserve">{escape(instruction[:9])}</w:instrText></w:r>'
            f'<w:r><w:instrText xml:space="preserve">{escape(instruction[9:])}</w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
        )
    repo.edit("word/document.xml", lambda doc: _before_last_section(doc, xml))


def _glued_field(repo: Repo, secret: Path) -> None:
    """A field after one whose instruction ends in a letter (Word's own PAGE \\* MERGEFORMAT):
    the two instructions must not read as one word ('MERGEFORMATINCLUDETEXT')."""
    fields = "".join(
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve">{escape(instruction)}</w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        for instruction in (" PAGE \\* MERGEFORMAT", f'INCLUDETEXT "{secret}"')
    )
    repo.edit("word/document.xml", lambda doc: _before_last_section(doc, f"<w:p>{fields}</w:p>"))


EXTERNAL: dict[str, tuple[Callable[[Repo, Path], None], str]] = {
    "field glued to the one before": (_glued_field, "INCLUDETEXT"),
    "linked picture": (_linked_image, "file://"),
    "OLE object": (
        lambda repo, secret: repo.edit(
            DOC_RELS,
            lambda xml: _add_rel(
                xml,
                f'<Relationship Id="rId97" Type="{_OLE}" Target="file://{secret}" '
                'TargetMode="External"/>',
            ),
        ),
        "oleObject",
    ),
    "file hyperlink": (
        lambda repo, secret: repo.edit(
            DOC_RELS,
            lambda xml: _add_rel(
                xml,
                f'<Relationship Id="rId96" Type="{_HYPER}" Target="file://{secret}" '
                'TargetMode="External"/>',
            ),
        ),
        "file://",
    ),
    "attached template": (
        lambda repo, secret: repo.edit(
            "word/_rels/settings.xml.rels",
            lambda xml: (
                xml
                or '<?xml version="1.0"?><Relationships xmlns="http://schemas.'
                'openxmlformats.org/package/2006/relationships"></Relationships>'
            ).replace(
                "</Relationships>",
                f'<Relationship Id="rId1" Type="{_ATTACHED}" Target="file://{secret}" '
                'TargetMode="External"/></Relationships>',
            ),
        ),
        "attachedTemplate",
    ),
    "INCLUDEPICTURE field": (
        lambda repo, secret: _field(repo, f'INCLUDEPICTURE "file://{secret}" \\d', False),
        "INCLUDEPICTURE",
    ),
    "INCLUDETEXT field": (
        lambda repo, secret: _field(repo, f'INCLUDETEXT "{secret}"', True),
        "INCLUDETEXT",
    ),
    "LINK field": (
        lambda repo, secret: _field(repo, f'LINK Word.Document.12 "{secret}"', True),
        "LINK",
    ),
}


@pytest.mark.parametrize("kind", sorted(EXTERNAL))
def test_links_out_of_the_package_are_refused_naming_part_and_target(repo: Repo, kind: str) -> None:
    secret = repo.root / "secret.png"
    secret.write_bytes(_png())
    make, named = EXTERNAL[kind]
    make(repo, secret)
    repo.case()
    code, out = repo.run("validate", "cases")
    assert code == 1, out
    assert "mallpaketet 'evil'" in out and named in out, out
    assert "word/" in out, out
    code, out = repo.run("build", "cases", "--format", "docx")
    assert code == 1, out


def test_a_field_the_template_builds_from_pieces_is_refused_when_rendered(repo: Repo) -> None:
    repo.edit(
        "word/document.xml",
        lambda doc: _before_last_section(
            doc,
            '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>'
            "{{ 'INCL' ~ 'UDEPICTURE' }} &quot;file:///etc/hostname&quot;</w:instrText></w:r>"
            '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>',
        ),
    )
    repo.case()
    code, out = repo.run("build", "cases", "--format", "docx")
    assert code == 1, out
    assert (
        "templates/evil/husmall.docx:1:1: fel[AG508]: mallpaketet 'evil': word/document.xml: fältet INCLUDEPICTURE"
        in out
    ), out
    assert not list(repo.root.rglob("output/**/*.docx"))


# -- 4. A template error is a diagnostic of the cases that use it ---------------------------

FAILING = {
    "{{ 1/0 }}": "delar med noll",
    "{{ range(10**10) }}": "range",
    "{{ [].pop() }}": "pop",
    "{% include 'x' %}": "include",
    "{% import 'x' as y %}": "import",
    "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}": "rekursion",
    "{{ dokument['titel'] + 1 }}": "inte går ihop",
    "{% autoescape false %}{{ dokument.titel }}{% endautoescape %}": "autoescape",
    "{{ dokument.titel|safe }}": "safe",
    "{{ dokument.titel|center(10**7) }}": "för stort",
    "{{ dokument.titel" + "|upper" * 3000 + " }}": "för djupt nästlade",
    "{% if 1 %}" * 120 + "x" + "{% endif %}" * 120: "för djupt nästlade",
    "{{ " + "(" * 300 + "1" + ")" * 300 + " }}": "för djupt nästlade",
}


@pytest.mark.parametrize("payload", sorted(FAILING))
def test_a_template_error_is_a_diagnostic_and_other_cases_still_build(
    repo: Repo, payload: str
) -> None:
    repo.paragraph(payload)
    repo.case("evil")
    repo.case("good", pack="region", number="E 2")
    code, out = repo.run("validate", "cases")
    assert code == 1, out
    assert "templates/evil/husmall.docx" in out, out
    assert FAILING[payload] in out, out
    assert "Traceback" not in out
    code, out = repo.run("build", "cases", "--format", "docx")
    assert code == 1, out
    built = sorted(p.name for p in (repo.root / "output").rglob("*.docx"))
    assert built == ["E-2-tjänsteskrivelse.docx"], out
    assert "evil.yaml" in out or "templates/evil" in out, out


def test_a_template_error_in_the_document_properties_is_found_by_validate(repo: Repo) -> None:
    repo.edit(
        "docProps/core.xml",
        lambda xml: re.sub(
            r"<dc:identifier>[^<]*</dc:identifier>|<dc:identifier/>", "", xml
        ).replace(
            "</cp:coreProperties>", "<dc:identifier>{{ 1/0 }}</dc:identifier></cp:coreProperties>"
        ),
    )
    repo.case()
    code, out = repo.run("validate", "cases")
    assert code == 1, out
    assert "docProps/core.xml (identifier)" in out and "delar med noll" in out, out
    code, out = repo.run("build", "cases", "--format", "docx")
    assert code == 1 and "delar med noll" in out, out


def test_the_paragraph_of_a_failing_tag_is_named(repo: Repo) -> None:
    repo.paragraph("Summa: {{ 1/0 }}")
    repo.case()
    code, out = repo.run("validate", "cases")
    assert code == 1
    assert re.search(
        r'word/document\.xml, stycke \d+ \("Summa: \{\{ 1/0 \}\}"\): mallen delar med noll', out
    ), out


# -- 5. Templates cannot burn the machine ----------------------------------------------------

BURNING = {
    '{% for i in "x"*100000 %}{% for j in "x"*100000 %}{% endfor %}{% endfor %}': "för mycket",
    "{% set r = range(100000) %}{% for i in r %}{% for j in r %}{% endfor %}{% endfor %}": (
        "sekunder"
    ),
    "{{ (10**(10**9)) > 1 }}": "för stort tal",
    "{{ dokument.titel * 10**9 }}": "gränsen är 2 000 000",
    "{{ lipsum(100000) }}": "lipsum",
    "{% set ns = namespace(s='x') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}"
    "{% endfor %}{{ ns.s|length }}": "gränsen är 2 000 000",
    "{{ '%999999999d'|format(1) }}": "bredd",
    "{{ dokument.titel|replace('', dokument.titel * 100000) }}": "gränsen är 2 000 000",
    "{{ ('x\n' * 1000000)|indent('y' * 1000000) }}": "gränsen är 2 000 000",
    # a fresh attack run: work in one C call, memory through many small values
    '{% set a = "x" * 2000000 %}{% set b = "x" * 1999999 ~ "x" %}'
    "{{ ([a] * 2000000) == ([b] * 2000000) }}": "gränsen är 2 000 000",
    '{% set s = "x" * 200000 %}{{ s|list|map("center", 10000)|list|length }}': "50 miljoner",
    '{% set s = "x" * 2000000 %}{{ ([s] * 700)|string|length }}': "gränsen är 2 000 000",
    "{{ ('x\n' * 200000)|indent(10000) }}": "gränsen är 2 000 000",
    "{{ ('%(a)10000s' * 100000)|format(a=1) }}": "formatet",
    # a third: captured output, and what a namespace holds
    '{% set big = "x" * 2000000 %}{% set blk %}{% for i in range(2500) %}{{ big }}'
    "{% endfor %}{% endset %}{{ blk|length }}": "50 miljoner",
    '{% set ns = namespace(x="x" * 2000000) %}{{ ([ns] * 1000000)|string|length }}': (
        "gränsen är 2 000 000"
    ),
    # a second fresh run: nested literals reach a comparison or tojson without an operator
    '{% set s = "x" * 2000000 %}{% set m0 = [s, s, s] %}{% set m1 = [m0, m0, m0] %}'
    "{{ (m1|tojson)|length }}": "gränsen är 2 000 000",
    '{% set s = "x" * 2000000 %}{% set m0 = {"a": s, "b": s} %}{{ m0 == m0 }}': (
        "gränsen är 2 000 000"
    ),
}


@pytest.mark.parametrize("payload", sorted(BURNING))
def test_a_template_that_would_burn_the_machine_is_stopped_with_its_own_message(
    repo: Repo, payload: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from arendegen.render import sandbox

    monkeypatch.setattr(sandbox, "RENDER_SECONDS", 2.0)
    repo.paragraph(payload)
    repo.case()
    start = time.monotonic()
    validate_code, validate_out = repo.run("validate", "cases")
    assert validate_code == 1, validate_out
    code, out = repo.run("build", "cases", "--format", "docx")
    assert time.monotonic() - start < 20
    assert code == 1, out
    assert BURNING[payload] in validate_out + out, validate_out + out


# -- 6. Parts that inflate without bound -----------------------------------------------------


def test_a_template_that_inflates_to_hundreds_of_megabytes_is_refused_before_inflating(
    repo: Repo,
) -> None:
    template = repo.pack / TEMPLATE
    members = zip_members(template.read_bytes())
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, blob in members.items():
            if name != "word/document.xml":
                archive.writestr(name, blob)
        with archive.open("word/document.xml", "w") as handle:
            handle.write(members["word/document.xml"][:-40])
            chunk = b" " * (16 * 1024 * 1024)
            for _ in range(38):  # 600 MB of spaces, about 600 kB compressed
                handle.write(chunk)
            handle.write(members["word/document.xml"][-40:])
    template.write_bytes(out.getvalue())
    assert template.stat().st_size < 2_000_000
    repo.case()
    start = time.monotonic()
    code, out_text = repo.run("validate", "cases")
    assert time.monotonic() - start < 10
    assert code == 1
    assert "word/document.xml: delen är 608 MB uppackad; gränsen är 32 MB" in out_text, out_text
    code, out_text = repo.run("build", "cases", "--format", "docx")
    assert code == 1


# -- 3, again: what a fresh attack found (an embedded document, an SVG picture) -------------

_CHUNK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/aFChunk"
_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
    b'width="10" height="10"><image xlink:href="file:///etc/hostname" width="10" height="10"/>'
    b"</svg>"
)


def _alt_chunk(repo: Repo) -> None:
    """A whole .docx embedded with altChunk, written with another prefix for Word's namespace."""
    repo.edit(
        "word/document.xml",
        lambda xml: _before_last_section(
            xml,
            '<x:altChunk xmlns:x="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
            'r:id="rId950"/>',
        ),
    )
    repo.edit(
        DOC_RELS,
        lambda xml: _add_rel(
            xml, f'<Relationship Id="rId950" Type="{_CHUNK}" Target="chunk.docx"/>'
        ),
    )
    repo.put("word/chunk.docx", (BUILTIN / "region" / TEMPLATE).read_bytes())


def _svg_picture(repo: Repo) -> None:
    repo.put("word/media/evil.svg", _SVG)
    repo.edit(
        DOC_RELS,
        lambda xml: _add_rel(
            xml, f'<Relationship Id="rId951" Type="{_IMAGE}" Target="media/evil.svg"/>'
        ),
    )


def _huge_png(repo: Repo) -> None:
    repo.put("word/media/huge.png", _png(30_000))


_DRAWING = (
    '<w:p><w:r><w:drawing><wp:inline><wp:extent cx="190500" cy="95250"/><wp:docPr id="99" '
    'name="P"/><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
    '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
    '<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">'
    '<pic:nvPicPr><pic:cNvPr id="0" name="p.png"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill>'
    "<a:blip {blip}/></pic:blipFill><pic:spPr/></pic:pic></a:graphicData></a:graphic>"
    "</wp:inline></w:drawing></w:r></w:p>"
)


def _drawing(repo: Repo, blip: str, rel: str) -> None:
    repo.edit(
        "word/document.xml",
        lambda xml: _before_last_section(xml, _DRAWING.replace("{blip}", blip)),
    )
    repo.edit(DOC_RELS, lambda xml: _add_rel(xml, rel))


def _svg_named_xml(repo: Repo) -> None:
    repo.put("word/media/evil.xml", _SVG)
    _drawing(
        repo,
        'r:embed="rId960"',
        f'<Relationship Id="rId960" Type="{_IMAGE}" Target="media/evil.xml"/>',
    )


def _picture_from_the_web(repo: Repo) -> None:
    _drawing(
        repo,
        'r:link="rId961"',
        f'<Relationship Id="rId961" Type="{_HYPER}" Target="http://127.0.0.1:8765/x.png" '
        'TargetMode="External"/>',
    )


def _relationship_from_a_tag(repo: Repo) -> None:
    _drawing(
        repo,
        "r:embed=\"{{ 'rId' ~ 962 }}\"",
        f'<Relationship Id="rId962" Type="{_HYPER}" Target="http://127.0.0.1:8765/x.png" '
        'TargetMode="External"/>',
    )


def _vml_picture(repo: Repo) -> None:
    repo.edit(
        "word/document.xml",
        lambda xml: _before_last_section(
            xml,
            '<w:p><w:r><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml" '
            'style="width:10pt;height:10pt"><v:imagedata src="file:///etc/hostname"/>'
            "</v:shape></w:pict></w:r></w:p>",
        ),
    )


def _svg_as_font(repo: Repo) -> None:
    repo.put("word/fonts/evil.odttf", _SVG)
    _drawing(
        repo,
        'r:embed="rId963"',
        '<Relationship Id="rId963" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/font" Target="fonts/evil.odttf"/>',
    )


def _strict_link(repo: Repo) -> None:
    _drawing(
        repo,
        'xmlns:rs="http://purl.oclc.org/ooxml/officeDocument/relationships" rs:link="rId964"',
        f'<Relationship Id="rId964" Type="{_HYPER}" Target="http://127.0.0.1:8766/x.png" '
        'TargetMode="External"/>',
    )


def _svg_as_emf(repo: Repo) -> None:
    """An SVG whose bytes 40–43 read ' EMF' (inside an attribute): LibreOffice, finding no
    EMF record at its start, draws it as the SVG it is."""
    padded = b'<svg data-x="' + b"a" * 27 + b' EMF" ' + _SVG[5:]
    assert padded[40:44] == b" EMF"
    repo.put("word/media/evil.emf", padded)
    _drawing(
        repo,
        'r:embed="rId965"',
        f'<Relationship Id="rId965" Type="{_IMAGE}" Target="media/evil.emf"/>',
    )


def _vml_names_an_xml_part(repo: Repo) -> None:
    """v:imagedata's r:id naming an allowed kind of part (customXml) that holds an SVG."""
    repo.put("word/evil.xml", b"<root>" + _SVG + b"</root>")
    repo.edit(
        "word/document.xml",
        lambda xml: _before_last_section(
            xml,
            '<w:p><w:r><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml" '
            'style="width:10pt;height:10pt"><v:imagedata r:id="rId966"/></v:shape></w:pict>'
            "</w:r></w:p>",
        ),
    )
    repo.edit(
        DOC_RELS,
        lambda xml: _add_rel(
            xml,
            '<Relationship Id="rId966" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/customXml" Target="evil.xml"/>',
        ),
    )


def _target_with_a_scheme(repo: Repo) -> None:
    repo.edit(
        DOC_RELS,
        lambda xml: _add_rel(
            xml, f'<Relationship Id="rId967" Type="{_IMAGE}" Target="file:///etc/hostname"/>'
        ),
    )


CARRIED: dict[str, tuple[Callable[[Repo], None], str]] = {
    "internal target with a scheme": (_target_with_a_scheme, "ingen sökväg inom paketet"),
    "SVG disguised as an EMF": (_svg_as_emf, "word/media/evil.emf: delen är ingen bild"),
    "VML picture naming an XML part with an SVG": (_vml_names_an_xml_part, "SVG-bild"),
    "SVG disguised as an embedded font": (_svg_as_font, "som inte är en bild i paketet"),
    "picture linked in the Strict namespace": (_strict_link, "r:link"),
    "SVG picture named .xml": (_svg_named_xml, "bilden 'word/media/evil.xml' är ingen bild"),
    "picture fetched from a web address (r:link)": (_picture_from_the_web, "r:link"),
    "relationship id from a template tag": (_relationship_from_a_tag, "malltagg"),
    "VML picture with a src": (_vml_picture, "file:///etc/hostname"),
    "embedded document (altChunk, other prefix)": (_alt_chunk, "altChunk"),
    "SVG picture": (_svg_picture, "word/media/evil.svg: delen är ingen bild"),
    "picture of 30 000 × 30 000 pixels": (_huge_png, "30000 × 30000 bildpunkter"),
}


@pytest.mark.parametrize("kind", sorted(CARRIED))
def test_content_a_template_may_not_carry_is_refused(repo: Repo, kind: str) -> None:
    make, named = CARRIED[kind]
    make(repo)
    repo.case()
    code, out = repo.run("validate", "cases")
    assert code == 1, out
    assert named in out, out
    code, out = repo.run("build", "cases", "--format", "docx")
    assert code == 1, out


def test_checking_a_templates_expressions_has_one_time_bound(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fifty slow expressions without variables are one problem after the check's bound,
    not fifty times two seconds."""
    from arendegen.render import sandbox

    monkeypatch.setattr(sandbox, "CHECK_SECONDS", 1.0)
    slow = '{{ range(100000)|map("string")|map("center", 100)|map("upper")|map("length")|sum }}'
    repo.edit(
        "word/document.xml",
        lambda xml: _before_last_section(xml, "".join(_p(slow) for _ in range(50))),
    )
    repo.case()
    start = time.monotonic()
    code, out = repo.run("validate", "cases")
    assert time.monotonic() - start < 15
    assert code == 1
    assert "mallens uttryck tog mer än 1 sekunder att pröva" in out, out


def test_docxtpls_markers_in_case_text_come_out_as_typed(repo: Repo) -> None:
    """docxtpl turns '{_{' into '{{' in what it renders; a case's text keeps its characters,
    in a value the template prints and in the lines arendegen writes itself (in Markdown
    prose, '_' is emphasis and is written '\\_')."""
    typed = "Ärende {_{ 7*7 }_} och {_% if %_}"
    path = repo.case(title=f'"{typed}"')
    path.write_text(
        path.read_text(encoding="utf-8") + f'expedieras_till: ["{typed}"]\n', encoding="utf-8"
    )
    code, out = repo.run("build", "cases", "--format", "docx")
    assert code == 0, out
    (built,) = (repo.root / "output").rglob("*.docx")
    text = _docx_text(built)
    assert text.count(typed) >= 2, text
    assert "{{ 7*7 }}" not in text


def test_a_logo_of_thirty_thousand_pixels_a_side_is_refused(repo: Repo) -> None:
    (repo.pack / "logo.png").write_bytes(_png(30_000))
    (repo.pack / "pack.yaml").write_text(
        (repo.pack / "pack.yaml").read_text(encoding="utf-8") + "logo: logo.png\n",
        encoding="utf-8",
    )
    repo.case()
    code, out = repo.run("validate", "cases")
    assert code == 1
    assert "logo.png: bilden är 30000 × 30000 bildpunkter" in out, out
