"""The loader: positions, duplicate keys, YAML 1.1 traps, encodings, limits, aliases."""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from arendegen import loader
from arendegen.cli import cli
from arendegen.loader import Position, load_bytes
from arendegen.packs import BUILTIN
from conftest import WriteCase, within


def messages(text: str | bytes) -> list[str]:
    raw = text.encode() if isinstance(text, str) else text
    return [d.as_text() for d in load_bytes(raw, file="f.yaml").diagnostics]


def test_values_stay_the_text_typed_and_keep_their_position() -> None:
    loaded = load_bytes(b"a: 10.0\nb:\n  - '2025'\n  - 1e3\nc: true\nd: ~\n", file="f.yaml")
    assert loaded.data == {"a": "10.0", "b": ["2025", "1e3"], "c": True, "d": None}
    assert loaded.values[("b", 1)] == Position(4, 5)
    assert loaded.keys[("c",)] == Position(5, 1)


def test_duplicate_key_is_an_error_at_the_second_key() -> None:
    assert messages("belopp: 1\nsumma: 2\nbelopp: 3\n") == [
        "f.yaml:3:1: fel[AG120]: belopp: nyckeln 'belopp' finns redan på rad 1; YAML skulle tyst "
        "behålla bara det sista värdet, så ta bort eller slå ihop den ena"
    ]


def test_duplicate_key_in_a_nested_list_item() -> None:
    (message,) = messages("rader:\n  - rubrik: a\n    belopp: 1\n    belopp: 2\n")
    assert message.startswith(
        "f.yaml:4:5: fel[AG120]: rader[0].belopp: nyckeln 'belopp' finns redan på rad 3"
    )


@pytest.mark.parametrize(
    ("value", "code", "start"),
    [
        ("no", "AG113", "'no' läses som ja/nej-värde"),
        ("On", "AG113", "'On' läses som ja/nej-värde"),
        ("08", "AG114", "'08' har en inledande nolla"),
        ("0701234567", "AG114", "'0701234567' har en inledande nolla"),
        ("1_000", "AG115", "'1_000' läses som talet 1000"),
        ("0x1F", "AG116", "'0x1F' läses som ett hexadecimalt"),
        ("13:30", "AG117", "'13:30' läses som ett tal i sextiotalssystemet"),
    ],
)
def test_yaml11_traps_are_errors_at_their_value(value: str, code: str, start: str) -> None:
    (message,) = messages(f"titel: x\nparti: {value}\n")
    assert message.startswith(f"f.yaml:2:8: fel[{code}]: parti: {start}")


@pytest.mark.parametrize("value", ["'no'", '"08"', "'1_000'", "|\n  no\n"])
def test_quoted_values_are_plain_text(value: str) -> None:
    loaded = load_bytes(f"a: {value}".encode(), file="f.yaml")
    assert loaded.diagnostics == []
    assert isinstance(loaded.data["a"], str)


def test_non_utf8_is_reported_at_the_bad_byte() -> None:
    assert messages("titel: ok\nnamn: G\xf6ran\n".encode("latin-1")) == [
        "f.yaml:2:8: fel[AG103]: filen är inte UTF-8 (byte 0xF6 kan inte avkodas); spara den som UTF-8"
    ]


def test_utf8_bom_is_accepted() -> None:
    assert load_bytes("\ufefftitel: Å\n".encode(), file="f.yaml").data == {"titel": "Å"}


def test_file_over_the_size_limit() -> None:
    assert messages(b"- b\n" * 10) == []
    result = load_bytes(b"- bb\n" * 10, file="f.yaml", max_bytes=20)
    assert [d.message for d in result.diagnostics] == ["filen är 50 byte; gränsen är 20 byte"]


def test_alias_bomb_is_stopped() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    result = load_bytes("\n".join(lines).encode(), file="f.yaml")
    assert result.data is None
    assert any("expanderar till fler än" in d.message for d in result.diagnostics)


def test_recursive_alias_is_an_error() -> None:
    (message,) = messages("a: &a [1, *a]\n")
    assert "rekursivt ankare" in message


def test_aliases_and_merge_keys_reuse_values() -> None:
    text = "p: &p {namn: A, titel: B}\nq:\n  <<: *p\n  titel: C\nr: *p\n"
    loaded = load_bytes(text.encode(), file="f.yaml")
    assert loaded.diagnostics == []
    assert loaded.data["q"] == {"namn": "A", "titel": "C"}
    assert loaded.data["r"] == {"namn": "A", "titel": "B"}


def test_tab_indentation_gets_a_swedish_message() -> None:
    assert messages("a:\n\tb: c\n") == [
        "f.yaml:2:1: fel[AG105]: felaktig YAML: tabbtecken kan inte användas för indrag; använd mellanslag"
    ]


def test_control_character_pasted_from_pdf() -> None:
    (raw,) = messages(b"titel: a\x0bb\n")
    assert raw.startswith("f.yaml:1:9: fel[AG104]: tecknet U+000B är ett styrtecken")
    (escaped,) = messages('titel: "a\\x01b"\n')
    assert escaped.startswith("f.yaml:1:8: fel[AG104]: titel: tecknet U+0001 är ett styrtecken")


def test_syntax_error_in_swedish() -> None:
    assert messages("titel: a: b\n") == [
        "f.yaml:1:9: fel[AG106]: felaktig YAML: kolon på oväntat ställe; ett värde som innehåller ': ' "
        "måste stå inom citattecken"
    ]


@pytest.mark.parametrize(
    ("text", "cause"),
    [
        ("titel: [a, b\n", "en lista inom [ ] saknar avslutande ]"),
        (
            "titel: a\nbelopp: [1, 2,\n  3\nx: 1\n",
            "saknar avslutande ] (den började på rad 2, kolumn 9)",
        ),
        ("titel: Budget\nbelopp: [\n", "ett värde saknas i en lista [ ] eller mappning { }"),
        ("titel: ,\n", "skriv värdet inom citattecken"),
        ("titel: - a\n", "en listpunkt (- ) kan inte börja på samma rad som nyckeln"),
        ("titel: a\n---\ntitel: b\n", "mer än ett YAML-dokument"),
        ('titel: "a" b\n', "indraget stämmer inte"),
        ("titel: &\n", "efter & och * ska ett ankarnamn stå"),
        ('titel: "C:\\xZZ"\n', "skriv \\\\ för ett omvänt snedstreck"),
        ("titel: |0\n  a\n", "en siffra 1–9, inte 0"),
        ("titel: !<x\n", "saknar avslutande >"),
    ],
)
def test_every_yaml_syntax_error_names_its_likely_cause_in_swedish(text: str, cause: str) -> None:
    """libyaml's English ('did not find expected node content') never reaches the user."""
    (message,) = messages(text)
    assert cause in message
    assert not re.search(r"did not|expected|found|while", message), message


def test_custom_tags_are_refused() -> None:
    (message,) = messages("a: !python/name:os.system x\n")
    assert "YAML-taggen" in message


def test_deep_nesting_is_refused() -> None:
    text = "a: " + "[" * (loader.MAX_DEPTH + 5) + "]" * (loader.MAX_DEPTH + 5)
    assert any("för djup nästling" in m for m in messages(text))


def test_random_bytes_never_raise() -> None:
    rng = random.Random(20251123)
    alphabet = b"ab:-[]{}&*!|>'\"#\n\t 0123\xc3\xa5\xff\x00,?%@`"
    for _ in range(3000):
        raw = bytes(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        result = load_bytes(raw, file="f.yaml")
        assert result.data is None or result.diagnostics is not None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: &a\n  <<: *a\n  x: 1\n", "f.yaml:2:3: fel[AG110]: a: "),
        ("a: &a {b: 1, <<: [{c: 2}, *a]}\n", "f.yaml:1:14: fel[AG110]: a: "),
        ("a: &a\n  b:\n    <<: *a\n", "f.yaml:3:5: fel[AG110]: a.b: "),
    ],
)
def test_a_mapping_merging_itself_is_an_error_at_its_merge_key(text: str, expected: str) -> None:
    assert messages(text) == [
        expected + "'<<' slår ihop en mappning med sig själv (rekursivt ankare)"
    ]


def merge_fan(levels: int, fan: int, bottom: str = "{}") -> str:
    """Each level merges the level below `fan` times: fan**levels merges from a few lines."""
    lines = [f"m0: &m0 {bottom}"]
    for i in range(1, levels + 1):
        lines.append(f"m{i}: &m{i} {{<<: [{', '.join([f'*m{i - 1}'] * fan)}]}}")
    return "\n".join(lines) + "\n"


def anchors_inside_merges(levels: int, fan: int) -> str:
    """Each merge list defines its first mapping's anchor and then merges it again."""
    text = "{}"
    for i in range(levels):
        text = f"{{<<: [&l{i} {text}{f', *l{i}' * (fan - 1)}]}}"
    return f"a: {text}\n"


def aliases_of_a_merge(fan: int) -> str:
    """A list of lists of one mapping that merges an empty one `fan` times."""
    each = ", ".join
    return (
        f"e: &e {{}}\nm: &m {{<<: [{each(['*e'] * fan)}]}}\n"
        f"l: &l [{each(['*m'] * fan)}]\nk: [{each(['*l'] * fan)}]\n"
    )


@pytest.mark.parametrize(
    "text",
    [
        merge_fan(5, 30),
        merge_fan(4, 30, "{x: 1, y: 2}"),
        anchors_inside_merges(10, 6),
        aliases_of_a_merge(40),
    ],
    ids=["empty-fan", "fan-of-values", "anchors-inside-merge-lists", "aliases-of-a-merge"],
)
def test_merge_bombs_stop_at_the_value_bound_at_once(text: str) -> None:
    assert len(text) < 1_100  # a small file
    with within(1.0, text[:30]):
        result = load_bytes(text.encode(), file="f.yaml")
    assert result.data is None
    assert [d.message for d in result.diagnostics] == [
        f"filen expanderar till fler än {loader.MAX_NODES} värden (alias/ankare i för många led?)"
    ]


def test_a_long_chain_of_merges_is_too_deep() -> None:
    text = "m0: &m0 {x: 1}\n" + "".join(f"m{i}: &m{i} {{<<: *m{i - 1}}}\n" for i in range(1, 3000))
    (message,) = messages(text)
    assert message.endswith(f"för djup nästling (mer än {loader.MAX_DEPTH} nivåer)")


def test_merges_within_the_bounds_still_work() -> None:
    text = "b: &b {x: 1}\nc: &c {<<: *b, y: 2}\nd:\n  <<: [*c, {z: 3}]\n  x: 0\n"
    loaded = load_bytes(text.encode(), file="f.yaml")
    assert loaded.diagnostics == []
    assert loaded.data["d"] == {"x": "0", "y": "2", "z": "3"}
    assert loaded.keys[("d", "x")] == Position(5, 3)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "a: &x 1\nb: &x 2\n",
            "f.yaml:2:4: fel[AG107]: felaktig YAML: ankaret finns redan på rad 1; "
            "ge varje ankare (&namn) ett eget namn",
        ),
        (
            "a: " + "[" * 2000,
            "f.yaml:1:1003: fel[AG109]: felaktig YAML: för djup nästling "
            "(fler än 1000 nivåer av [ ] eller { })",
        ),
    ],
)
def test_parser_limits_are_told_in_swedish(text: str, expected: str) -> None:
    assert messages(text) == [expected]


RECURSIVE_MERGE = "a: &a\n  <<: *a\n  x: 1\n"


def test_a_recursive_merge_in_pack_yaml_is_an_error_in_that_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(BUILTIN / "region", tmp_path / "templates" / "evil")
    pack_yaml = tmp_path / "templates" / "evil" / "pack.yaml"
    pack_yaml.write_text(RECURSIVE_MERGE + pack_yaml.read_text(encoding="utf-8"), "utf-8")
    (tmp_path / "a.yaml").write_text(
        "mall: evil\ntitel: T\ndiarienummer: D 1\ndatum: 2026-01-15\n"
        "förslag_till_beslut: {organ: N, att: [a]}\nhandlingar: [{typ: tjänsteskrivelse}]\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["validate", "a.yaml"])
    assert result.exit_code == 1, result.output
    assert (
        "templates/evil/pack.yaml:2:3: fel[AG110]: a: '<<' slår ihop en mappning med sig själv"
        in (result.stdout)
    )
    assert "Traceback" not in result.output


@pytest.mark.parametrize("command", [["validate"], ["build", "--format", "docx"], ["schema"]])
def test_a_recursive_merge_in_the_settings_file_is_a_clear_error(
    command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "arendegen.yaml").write_text(RECURSIVE_MERGE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, command)
    assert result.exit_code == 2
    assert result.stderr == (
        "arendegen: inställningarna går inte att läsa:\n"
        "arendegen.yaml:2:3: fel[AG110]: a: '<<' slår ihop en mappning med sig själv "
        "(rekursivt ankare)\n"
    )


def test_a_file_with_thousands_of_problems_shows_the_first_two_hundred(
    write_case: WriteCase,
) -> None:
    """One problem repeated by a hostile file is shown 200 times and then counted, not 5 000
    times in a CI log."""
    from arendegen.validate import check_file

    rows = "".join(f"  - {{okänd_{i}: x}}\n" for i in range(1_000))
    result = check_file(
        write_case("titel: T\nhandlingar:\n  - typ: tjänsteskrivelse\nbilagor:\n" + rows)
    )
    assert len(result.diagnostics) == 201
    assert result.diagnostics[-1].message.startswith("ytterligare ")
    assert "problem i filen visas inte (de första 200 visas)" in result.diagnostics[-1].message


def test_aliases_of_a_long_text_cannot_expand_past_four_million_characters(
    write_case: WriteCase,
) -> None:
    """45 000 aliases of a 96 000-character text stay under the bound on values but would
    copy gigabytes of text: refused at once, at the alias that passes the bound."""
    import time

    from arendegen.validate import check_file

    text = "titel: T\nhandlingar:\n  - typ: tjänsteskrivelse\nförslag_till_beslut:\n  organ: N\n  att:\n"
    text += '    - &a "' + "ord " * 24_000 + '"\n' + "    - *a\n" * 45_000
    start = time.monotonic()
    result = check_file(write_case(text))
    assert time.monotonic() - start < 5
    assert any("mer än 4 000 000 tecken text" in d.message for d in result.diagnostics)
