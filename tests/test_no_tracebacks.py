"""Nothing a user types crashes the tool: mutated seed cases always give diagnostics, each
with a rule code of the registry."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from arendegen.codes import RULES
from arendegen.validate import check_file
from conftest import CASES

NASTY = [
    "",
    "~",
    "no",
    "08",
    "1_000",
    "[]",
    "{}",
    "[1, [2, [3]]]",
    "'&<>\"'",
    "-1",
    "1e999999",
    "9" * 40,
    "0,0000001 mnkr",
    "2025-13-40",
    "*nope",
    "&a x",
    "!!binary aGVq",
    "😀 ⟨ RTL \u202e",
    "{typ: budget}",
    "- a\n- b",
]


def mutate(text: str, rng: random.Random) -> str:
    lines = text.splitlines()
    i = rng.randrange(len(lines))
    action = rng.randrange(4)
    if action == 0:
        del lines[i]
    elif action == 1:
        lines.insert(i, lines[i])
    elif action == 2 and ":" in lines[i]:
        key = lines[i].split(":", 1)[0]
        lines[i] = f"{key}: {rng.choice(NASTY)}"
    else:
        lines[i] = lines[i][: rng.randrange(len(lines[i]) + 1)]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("case", sorted(CASES.rglob("*.yaml")), ids=lambda p: p.stem)
def test_mutated_cases_never_raise(case: Path, tmp_path: Path) -> None:
    rng = random.Random(case.name)
    original = case.read_text(encoding="utf-8")
    target = tmp_path / "m.yaml"
    for _ in range(120):
        text = original
        for _ in range(rng.randint(1, 3)):
            text = mutate(text, rng)
        target.write_text(text, encoding="utf-8")
        result = check_file(target)
        assert all(d.line >= 1 and d.column >= 1 and d.message for d in result.diagnostics)
        assert [d.as_text() for d in result.diagnostics if d.code not in RULES] == []
