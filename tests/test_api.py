"""arendegen as a library (issue 19): the README's examples run as written, and the API
takes str as well as Path."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

import arendegen
from conftest import CASES, ROOT


def _examples() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### As a library", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, flags=re.S)


def test_the_readme_has_library_examples() -> None:
    assert len(_examples()) == 3


@pytest.mark.parametrize("number", range(3))
def test_each_library_example_in_the_readme_runs(
    number: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(CASES / "examples", tmp_path / "cases" / "examples")
    monkeypatch.chdir(tmp_path)
    exec(compile(_examples()[number], f"README example {number + 1}", "exec"), {})
    printed = capsys.readouterr().out.replace("\u00a0", " ")
    expected = [
        ["0 mnkr", "KS-2025-95-ärende.docx ärende", "KS-2025-95-ramar.docx bilaga"],
        ["AG401 52 tabeller.norrby.utgiftsram angiven utgiftsram 86 mkr"],
        ["ärenden,"],
    ][number]
    assert [e for e in expected if e not in printed] == [], printed


def test_every_exported_name_is_there() -> None:
    for name in arendegen.__all__:
        assert getattr(arendegen, name) is not None, name
    with pytest.raises(AttributeError):
        arendegen.nothing_of_that_name  # noqa: B018


def test_a_path_may_be_a_string(tmp_path: Path) -> None:
    case = str(CASES / "examples" / "kf-2025-investering-forskola.yaml")
    assert arendegen.check_file(case).ok  # type: ignore[arg-type]
    assert arendegen.check(case).ok
    report = arendegen.build(
        [case], str(tmp_path / "ut"), options=arendegen.Options(formats=("docx",))
    )
    assert sorted(Path(p).name for p in report.written) == [
        "KS-2025-95-ramar.docx",
        "KS-2025-95-ärende.docx",
    ]


def test_a_case_with_errors_is_not_rendered() -> None:
    broken = arendegen.check_text("titel: x\n", name="x.yaml")
    assert not broken.ok and broken.errors
    with pytest.raises(arendegen.ArendegenError, match="ärendet har fel"):
        arendegen.render_documents(broken)
