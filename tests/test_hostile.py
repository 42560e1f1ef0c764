"""Hostile input and faults: nothing a case or a pack says runs code, reaches outside the
repository or loses a finished file; sums are proven by an independent computation.

CI runs the property tests with a small profile; `HYPOTHESIS_PROFILE=long` runs the long one.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import docx
import pytest
import yaml
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from arendegen import output
from arendegen.compute import BudgetResult
from arendegen.pipeline import build
from arendegen.validate import check_file
from conftest import CASES, ROOT, SEED_FOLDERS, WriteCase

settings.register_profile(
    "ci",
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.register_profile(
    "long",
    max_examples=2_000,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

HEAD = "titel: T\ndiarienummer: D 1\ndatum: 2026-01-15\nförslag_till_beslut: {organ: N, att: [a]}\n"

CASE_TEXT_PAYLOADS = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ joiner.__init__.__globals__ }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ self.__init__.__globals__ }}",
    "{{ config }}{{ request }}",
    "{{ '{0.__class__}'.format(x) }}",
    "{{ x|attr('__class__') }}",
    "{% for c in [].__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
]


@pytest.mark.parametrize("payload", CASE_TEXT_PAYLOADS)
def test_template_syntax_in_case_text_is_inert(
    payload: str, write_case: WriteCase, tmp_path: Path
) -> None:
    quoted = yaml.safe_dump(payload, width=1000).strip().removesuffix("...").strip()
    case = write_case(
        "titel: T\ndiarienummer: D 1\ndatum: 2026-01-15\n"
        f"förslag_till_beslut:\n  organ: Nämnden\n  att:\n    - {quoted}\n"
        f"sammanfattning: {quoted}\nhandlingar: [{{typ: tjänsteskrivelse}}]\n"
    )
    report = build([case], tmp_path)
    assert report.failed == []
    (path,) = tmp_path.glob("*.docx")
    text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    assert f"Nämnden beslutar att {payload}" in text  # a plain-text field: exactly as typed
    assert "<class" not in text and "uid=" not in text


@pytest.mark.parametrize(
    "fil",
    ["../../etc/passwd", "/etc/passwd", "bilagor/../../../etc/hosts", "länk.pdf"],
)
def test_attached_file_outside_the_repository_is_refused_at_its_line(
    fil: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "repo"
    (repo / "cases").mkdir(parents=True)
    (repo / "cases" / "länk.pdf").symlink_to("/etc/hostname")
    case = repo / "cases" / "a.yaml"
    case.write_text(
        HEAD
        + f"bilagor:\n  - titel: Bilaga\n    fil: '{fil}'\nhandlingar: [{{typ: tjänsteskrivelse}}]\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(repo)
    (problem,) = check_file(Path("cases/a.yaml")).errors
    assert (problem.line, problem.path) == (7, "bilagor[0].fil")
    assert "utanför ärenderepot" in problem.message


def test_attached_file_inside_the_repository_is_accepted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "cases" / "bilagor").mkdir(parents=True)
    (tmp_path / "cases" / "bilagor" / "karta.pdf").write_bytes(b"%PDF-1.7")
    (tmp_path / "cases" / "a.yaml").write_text(
        HEAD
        + "bilagor:\n  - titel: Karta\n    fil: bilagor/karta.pdf\nhandlingar: [{typ: tjänsteskrivelse}]\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    assert check_file(Path("cases/a.yaml")).errors == []


def test_output_names_never_leave_the_output_folder(write_case: WriteCase, tmp_path: Path) -> None:
    case = write_case(
        HEAD.replace("D 1", "'../../../tmp/x /etc\\\\passwd'")
        + "handlingar:\n  - {typ: tjänsteskrivelse, id: '../../y'}\n"
    )
    out = tmp_path / "out"
    report = build([case], out)
    assert report.failed == []
    (written,) = report.written
    assert (out / written).resolve().is_relative_to(out.resolve())
    assert "/" not in written


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "titel: '" + "x" * 100_001 + "'\nhandlingar: [{typ: tjänsteskrivelse}]\n",
            "gränsen är 100000",
        ),
        (
            "titel: T\nhandlingar:\n" + "  - {typ: tjänsteskrivelse}\n" * 51,
            "för många poster (51); gränsen är 50",
        ),
        ("titel: T\nx: " + "[" * 60 + "]" * 60 + "\n", "för djup nästling"),
        (
            "titel: T\ntabeller:\n  b: {typ: budget, kolumner: [1], rader: [{rubrik: r, belopp: {1: 1e999999}}]}\nhandlingar: [{typ: tjänsteskrivelse}]\n",
            "exponent",
        ),
        (
            "titel: T\ntabeller:\n  b: {typ: budget, kolumner: [1], rader: [{rubrik: r, belopp: {1: '"
            + "9" * 200
            + " kr'}}]}\nhandlingar: [{typ: tjänsteskrivelse}]\n",
            "fler än 15 siffror",
        ),
    ],
)
def test_bounds_have_their_own_message(text: str, message: str, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(text, encoding="utf-8")
    result = check_file(path)
    assert any(message in d.message for d in result.errors), [
        d.as_text()[:200] for d in result.errors
    ]


TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
AMOUNTS = st.decimals(
    min_value=Decimal("-1e9"),
    max_value=Decimal("1e9"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)


@given(title=TEXT, summary=TEXT, amounts=st.lists(AMOUNTS, min_size=1, max_size=6))
def test_any_well_typed_case_validates_or_says_why_and_sums_are_right(
    title: str, summary: str, amounts: list[Decimal], tmp_path: Path
) -> None:
    rows = [{"rubrik": f"r{i}", "belopp": {"2026": f"{a} kr"}} for i, a in enumerate(amounts)]
    data = {
        "titel": title,
        "diarienummer": "D 1",
        "datum": "2026-01-15",
        "förslag_till_beslut": {"organ": "Nämnden", "att": ["godkänna"]},
        "sammanfattning": summary,
        "tabeller": {
            "b": {
                "typ": "budget",
                "kolumner": ["2026"],
                "rader": rows,
                "summa": f"{sum(amounts)} kr",
            }
        },
        "handlingar": [{"typ": "tjänsteskrivelse"}],
    }
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = check_file(path)
    if result.errors:
        assert all(d.line >= 1 and d.message for d in result.errors)
        assert not any(d.path == "tabeller.b.summa" for d in result.errors)
        return
    assert result.case is not None and result.computed is not None
    total = result.computed.tables["b"]
    assert isinstance(total, BudgetResult)
    assert total.total.kronor == sum(amounts)  # independent of the tool's own arithmetic
    out = tmp_path / "out"
    report = build([path], out)
    assert report.failed == []
    (written,) = out.glob("*.docx")
    text = "\n".join(p.text for p in docx.Document(str(written)).paragraphs)
    assert result.case.titel in text  # the title as read from the file (YAML folds line breaks)


@given(raw=st.binary(max_size=300))
def test_random_bytes_give_diagnostics_not_tracebacks(raw: bytes, tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(raw)
    result = check_file(path)
    assert result.case is None or not result.errors


def test_unwritable_output_is_a_clear_error(write_case: WriteCase, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from arendegen.cli import cli

    blocker = tmp_path / "ut"
    blocker.write_text("en fil, inte en mapp", encoding="utf-8")
    case = write_case(HEAD + "handlingar: [{typ: tjänsteskrivelse}]\n")
    result = CliRunner().invoke(
        cli, ["build", "--format", "docx", "--out", str(blocker / "sub"), str(case)]
    )
    assert result.exit_code == 2
    assert "kan inte" in result.stderr
    assert "Traceback" not in result.output


def test_disk_full_keeps_earlier_outputs_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    # The same case files edited (copies: the manifest records the outputs for these files;
    # others making the same names would be refused as another case's).
    copies = {}
    for case in (CASES / "region").rglob("*.yaml"):
        copies[case] = tmp_path / "cases" / case.relative_to(CASES)
        copies[case].parent.mkdir(parents=True, exist_ok=True)
        copies[case].write_bytes(case.read_bytes())
    assert build([tmp_path / "cases" / "region"], out).failed == []
    before = {p: p.read_bytes() for p in out.rglob("*.docx")}
    real = os.replace

    def full(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output.os, "replace", full)
    for case, case_copy in copies.items():
        case_copy.write_text(
            case.read_text(encoding="utf-8").replace("FVIS", "FVIS ny"), encoding="utf-8"
        )
    with pytest.raises(OSError):
        build([tmp_path / "cases" / "region"], out)
    monkeypatch.setattr(output.os, "replace", real)
    assert {p: p.read_bytes() for p in out.rglob("*.docx")} == before
    assert not list(out.rglob(".arendegen-*.tmp"))


@pytest.mark.parametrize("delay", [0.4, 0.9, 1.6])
def test_build_killed_midway_leaves_whole_files_and_the_next_build_completes(
    delay: float, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    command = [
        sys.executable,
        "-m",
        "arendegen",
        "build",
        "--out",
        str(out),
        "--format",
        "docx,pdf",
        *map(str, SEED_FOLDERS),
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    time.sleep(delay)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    for path in out.rglob("*.docx"):
        zipfile.ZipFile(path).testzip()
    for path in out.rglob("*.pdf"):
        assert path.read_bytes().rstrip().endswith(b"%%EOF")
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert len(list(out.rglob("*.docx"))) == 7 and len(list(out.rglob("*.pdf"))) == 7
    assert not list(out.rglob(".arendegen-*.tmp"))


LINE_CHARACTERS = st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"))
LONG_TEXT = st.one_of(
    st.text(LINE_CHARACTERS, min_size=1, max_size=60),
    st.text(LINE_CHARACTERS, min_size=250, max_size=260),
    TEXT,
)
"""Lines of any characters, short or around the 255 of a document property, and any text."""
ANY_DATE = st.one_of(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)),
    st.sampled_from([date(1899, 12, 31), date(1979, 12, 31), date(2100, 1, 1), date(2108, 1, 1)]),
    st.dates(),
).map(date.isoformat)
"""Dates in the allowed years, at the edges of what the outputs hold, and any date at all."""
# The diarienummer becomes the file name too; its byte length is another item's bound (20),
# so here it is ASCII, where characters and bytes agree.
ASCII_LINE = st.text(st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=300)


@settings(deadline=None)
@given(
    title=LONG_TEXT,
    doc_title=st.none() | LONG_TEXT,
    organisation=st.none() | LONG_TEXT,
    officer=st.none() | LONG_TEXT,
    number=ASCII_LINE,
    datum=ANY_DATE,
    doc_datum=st.none() | ANY_DATE,
)
@example(
    title="x" * 260,
    doc_title=None,
    organisation=None,
    officer=None,
    number="D 1",
    datum="2026-01-15",
    doc_datum=None,
)
@example(
    title="T",
    doc_title=None,
    organisation="Å" * 260,
    officer=None,
    number="D 1",
    datum="2026-01-15",
    doc_datum=None,
)
@example(
    title="T",
    doc_title=None,
    organisation=None,
    officer=None,
    number="D 1",
    datum="2108-01-01",
    doc_datum=None,
)
def test_every_case_that_validates_builds(
    title: str,
    doc_title: str | None,
    organisation: str | None,
    officer: str | None,
    number: str,
    datum: str,
    doc_datum: str | None,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """What `validate` accepts, `build` renders: every field that becomes a document property
    (title, subject, author, dates) at any length and any date, through the real build."""
    document: dict[str, str] = {"typ": "tjänsteskrivelse"}
    if doc_title is not None:
        document["titel"] = doc_title
    if doc_datum is not None:
        document["datum"] = doc_datum
    data: dict[str, object] = {
        "titel": title,
        "diarienummer": number,
        "datum": datum,
        "förslag_till_beslut": {"organ": "Nämnden", "att": ["godkänna"]},
        "handlingar": [document],
    }
    if organisation is not None:
        data["organisation"] = organisation
    if officer is not None:
        data["handläggare"] = {"namn": officer}
    folder = tmp_path_factory.mktemp("case")
    path = folder / "case.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, width=1_000), encoding="utf-8")
    result = check_file(path)
    event("refused" if result.errors else "built")
    if result.errors:
        assert all(d.line >= 1 and d.message for d in result.errors)
        return
    report = build([path], folder / "out")
    assert report.failed == [], [d.as_text()[:300] for r in report.results for d in r.diagnostics]
    (written,) = (folder / "out").glob("*.docx")
    assert result.case is not None
    core = docx.Document(str(written)).core_properties
    assert core.title == (result.case.handlingar[0].titel or result.case.titel)
    assert core.subject == result.case.diarienummer


def test_a_packs_organisation_too_long_for_a_document_property_is_refused_at_its_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from click.testing import CliRunner

    from arendegen.cli import cli
    from arendegen.packs import BUILTIN

    shutil.copytree(BUILTIN / "region", tmp_path / "templates" / "lang")
    pack_yaml = tmp_path / "templates" / "lang" / "pack.yaml"
    lines = pack_yaml.read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, 1) if text.startswith("organisation:"))
    lines[line - 1] = "organisation: " + "Region " * 40
    pack_yaml.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "a.yaml").write_text(
        "mall: lang\n" + HEAD + "handlingar: [{typ: tjänsteskrivelse}]\n"
    )
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["validate", "a.yaml"])
    assert result.exit_code == 1
    assert result.stdout.startswith(
        f"templates/lang/pack.yaml:{line}:15: fel[AG212]: organisation: texten är 279 tecken lång "
        "('Region Region Region Region Re…'); gränsen är 255 tecken"
    )
