"""Rule codes: each defined once, each used, on every diagnostic, and listed in docs/rules.md."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from arendegen import codes
from arendegen.api import check_text
from arendegen.codes import FAMILIES, RULES, rules_markdown
from arendegen.diagnostics import Diagnostic, Rule, Severity, render
from arendegen.validate import check_paths
from conftest import CASES, ROOT

SOURCES = [p for p in (ROOT / "src" / "arendegen").rglob("*.py") if p.name != "codes.py"]
NAMED = {name: value for name, value in vars(codes).items() if isinstance(value, Rule)}


def test_every_code_is_defined_once_in_its_family() -> None:
    assert sorted(RULES) == sorted(rule.code for rule in NAMED.values())
    assert len({id(rule) for rule in NAMED.values()}) == len(NAMED), "a rule with two names"
    for code, rule in RULES.items():
        assert re.fullmatch(r"AG[1-8]\d\d", code), code
        assert int(code[2]) in FAMILIES, code
        assert rule.title and rule.title == rule.title.strip() and "\n" not in rule.title
    with pytest.raises(ValueError, match="AG101"):
        codes._rule(101, "en regel till")


def test_every_rule_is_used_where_findings_are_made() -> None:
    text = "\n".join(path.read_text(encoding="utf-8") for path in SOURCES)
    unused = [f"{rule.code} {name}" for name, rule in NAMED.items() if f"codes.{name}" not in text]
    assert unused == []


def diagnostics_of(paths: list[Path]) -> list[Diagnostic]:
    return [d for result in check_paths(paths) for d in result.diagnostics]


def test_every_diagnostic_of_the_broken_files_the_examples_and_the_seeds_has_a_known_code() -> None:
    found = diagnostics_of([ROOT / "tests" / "broken", CASES])
    assert len(found) > 100
    assert [d.as_text() for d in found if d.code not in RULES] == []
    for d in found:
        severity = RULES[d.code].severity
        assert severity is None or d.severity is severity, d.as_text()


def test_the_broken_files_show_many_rules() -> None:
    shown = {d.code for d in diagnostics_of([ROOT / "tests" / "broken"])}
    assert len(shown) > 70
    assert {code[2] for code in shown} >= {"1", "2", "3", "4", "5", "8"}


def codes_of(text: str) -> list[str]:
    return [d.code for d in check_text(text).diagnostics]


CASE = (
    "titel: T\ndiarienummer: D 1\ndatum: 2026-01-15\n"
    "förslag_till_beslut: {organ: N, att: [a]}\nhandlingar: [{typ: tjänsteskrivelse}]\n"
)
BUDGET = (
    "tabeller:\n  b:\n    typ: budget\n    enhet: kr\n    kolumner: [2026]\n"
    "    rader:\n      - {rubrik: A, belopp: {2026: 10}}\n"
    "      - {rubrik: B, belopp: {2026: {B}}}\n"
    "    summa: {VALUE}\n"
)


def budget(b: int, total: int) -> str:
    return BUDGET.replace("{B}", str(b)).replace("{VALUE}", str(total))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("titel: a: b\n", ["AG106"]),  # YAML syntax
        ("titel: T\ntitel: U\n" + CASE.partition("\n")[2], ["AG120"]),  # a key twice
        (CASE.replace("titel: T\n", ""), ["AG201"]),  # a required key missing
        (CASE + "färg: röd\n", ["AG202"]),  # an unknown key
        (CASE.replace("tjänsteskrivelse", "tjänsteskrivelsen"), ["AG203"]),  # not a kind
        (CASE.replace("2026-01-15", "2026-02-30"), ["AG215"]),  # no such day
        (CASE + budget(20, 40), ["AG519", "AG401"]),  # a wrong total
        (CASE + budget(20, 30), ["AG519"]),  # shown nowhere, but right
        (CASE + "bilagor: [{titel: X, nummer: 1}, {titel: Y, nummer: 1}]\n", ["AG312"]),
    ],
)
def test_known_problems_have_their_codes(text: str, expected: list[str]) -> None:
    assert codes_of(text) == expected


def test_the_same_rule_gives_the_same_code_whatever_its_values() -> None:
    wrong = [codes_of(CASE + budget(b, total)) for b, total in ((20, 40), (7, 1), (300, -5))]
    assert wrong == [["AG519", "AG401"]] * 3


def test_the_code_is_in_every_output_format() -> None:
    d = Diagnostic("a.yaml", 3, 5, Severity.ERROR, "titel", "nyckeln 'titel' saknas", "AG201")
    assert render([d], "text") == "a.yaml:3:5: fel[AG201]: titel: nyckeln 'titel' saknas"
    assert json.loads(render([d], "json"))[0]["code"] == "AG201"
    assert render([d], "github") == (
        "::error file=a.yaml,line=3,col=5,title=AG201::titel: nyckeln 'titel' saknas"
    )


def test_docs_rules_md_is_current() -> None:
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == rules_markdown(), "kör: python -m arendegen.codes > docs/rules.md"
    for code in RULES:
        assert f"| {code} |" in committed
