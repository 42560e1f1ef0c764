"""YAML → plain data, with the line and column of every key and value.

PyYAML only composes the node graph here; we build the Python values ourselves so
that nothing is converted behind the user's back:

* every scalar stays the text the user typed (numbers become Decimal later, from
  that text, never through float); only `null`/`~`, `true` and `false` are typed;
* duplicate keys, YAML 1.1 traps (`no`, `on`, `08`, `1_000`, `0x1F`, `13:30`),
  non-UTF-8 bytes, oversized files and alias or merge bombs are reported at their line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from arendegen import codes
from arendegen.diagnostics import Diagnostic, KeyPath, Rule, diagnostic, format_path, printable
from arendegen.errors import reason

try:
    from yaml import CSafeLoader as _Parser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _Parser  # type: ignore[assignment]


class _Loader(_Parser):
    """libyaml's parser without PyYAML's type guessing.

    The builder reads every plain scalar as text and decides itself what is empty, a flag or
    a YAML 1.1 trap, so the resolver's regular expressions, asked once per scalar, only cost
    time (a tenth of a case's validation). Explicit tags are still the parser's.
    """

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: Any) -> str:
        return _PLAIN_TAGS[kind]


_PLAIN_TAGS = {
    yaml.ScalarNode: "tag:yaml.org,2002:str",
    yaml.SequenceNode: "tag:yaml.org,2002:seq",
    yaml.MappingNode: "tag:yaml.org,2002:map",
}


MAX_FILE_BYTES = 1024 * 1024
MAX_NODES = 50_000
MAX_CHARACTERS = 4_000_000
"""Characters of text after aliases are expanded: a 1 MiB file holds at most about a million,
and 45 000 aliases of one long text would otherwise take gigabytes."""
MAX_DEPTH = 40

_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_YAML11_BOOLS = frozenset(
    w for base in ("yes", "no", "on", "off") for w in (base, base.capitalize(), base.upper())
)
_LEADING_ZERO = re.compile(r"[-+]?0\d+(\.\d*)?")
# Every pattern here runs on every plain scalar, so none may backtrack more than linearly:
# `\d[\d_]*_[\d_]*` (a number with an underscore) took quadratic time on `1____…x`; the
# underscore is looked for with `in` instead.
_UNDERSCORE_NUMBER = re.compile(r"[-+]?(\d[\d_]*)(\.[\d_]*)?")
_PREFIXED_NUMBER = re.compile(r"[-+]?0[xXoObB][0-9a-fA-F_]+")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_SEXAGESIMAL = re.compile(r"[-+]?\d+(:[0-5]?\d)+(\.\d*)?")

_YAML_PROBLEMS = {
    "mapping values are not allowed": (
        "kolon på oväntat ställe; ett värde som innehåller ': ' måste stå inom citattecken"
    ),
    "did not find expected ',' or ']'": "en lista inom [ ] saknar avslutande ]",
    "did not find expected ',' or '}'": "en mappning inom { } saknar avslutande }",
    "found undefined alias": "aliaset (*namn) hänvisar till ett ankare (&namn) som inte finns",
    "could not find expected ':'": "en rad saknar kolon efter nyckeln",
    "found unexpected end of stream": "filen tar slut mitt i ett värde (saknas ett citattecken?)",
    "did not find expected key": "indraget stämmer inte: raden passar inte in i mappningen ovanför",
    "did not find expected '-' indicator": "indraget stämmer inte i listan",
    "found unknown escape character": "okänd escape-sekvens (\\) i en sträng med dubbla citattecken",
    "expected a comment or a line break": "oväntad text efter värdet på samma rad",
    "found character that cannot start any token": "tecknet kan inte inleda ett värde här",
    "found unhashable key": "en nyckel måste vara en enkel text",
    "exceeded maximum nesting depth": "för djup nästling (fler än 1000 nivåer av [ ] eller { })",
    "did not find expected comment or line break": "oväntad text efter värdet på samma rad",
    "found a tab character": "tabbtecken kan inte användas för indrag; använd mellanslag",
    "found an indentation indicator equal to 0": (
        "efter | eller > kan indraget anges med en siffra 1–9, inte 0"
    ),
    "did not find expected hexdecimal number": (
        "efter \\x, \\u eller \\U i en sträng med dubbla citattecken ska hexadecimala siffror stå; "
        "skriv \\\\ för ett omvänt snedstreck"
    ),
    "found invalid Unicode character escape code": (
        "en \\u- eller \\U-sekvens anger inget giltigt tecken"
    ),
    "but found another document": (
        "filen har mer än ett YAML-dokument (en rad med ---); en ärendefil är ett enda dokument"
    ),
    "did not find expected <document start>": (
        "text efter värdet, eller efter dokumentets slut (...); en ärendefil är en mappning "
        "med en nyckel på varje rad"
    ),
    "block sequence entries are not allowed": (
        "en listpunkt (- ) kan inte börja på samma rad som nyckeln; börja listan på nästa rad "
        "med indrag, eller skriv texten inom citattecken"
    ),
    "mapping keys are not allowed": "en nyckel på oväntat ställe; stämmer indraget?",
    "found unexpected ':'": (
        "kolon på oväntat ställe; ett värde som innehåller ':' måste stå inom citattecken"
    ),
    "did not find the expected '>'": (
        "en tagg !<…> saknar avslutande >; skriv värdet inom citattecken om ! hör till texten"
    ),
    "did not find expected tag URI": (
        "en tagg (!) är ofullständig; skriv värdet inom citattecken om ! hör till texten"
    ),
    "did not find expected whitespace or line break": (
        "en tagg (!) ska följas av mellanslag; skriv värdet inom citattecken om ! hör till texten"
    ),
    "found undefined tag handle": (
        "taggen (!namn!) är inte deklarerad; skriv värdet inom citattecken om ! hör till texten"
    ),
    "found duplicate %YAML directive": "direktivet %YAML står två gånger",
    "found incompatible YAML document": "filen anger en YAML-version som inte kan läsas (%YAML)",
}
"""PyYAML's and libyaml's words for what is wrong, and what it usually means, in Swedish."""

_YAML_RULES = {
    "found undefined alias": codes.UNKNOWN_ALIAS,
    "found unhashable key": codes.COMPLEX_KEY,
    "exceeded maximum nesting depth": codes.TOO_DEEP,
}
"""The parser's problems that are rules of their own; the rest are YAML_SYNTAX."""


@dataclass(frozen=True)
class Position:
    """A 1-based line and column in a source file."""

    line: int
    column: int


@dataclass
class Loaded:
    """A loaded YAML file: plain data, where each part came from, and what went wrong."""

    file: str
    data: Any
    values: dict[KeyPath, Position] = field(default_factory=dict)
    keys: dict[KeyPath, Position] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def position(self, path: KeyPath, *, key: bool = False) -> Position:
        """Where `path` was written; the nearest written ancestor when it was not."""
        for end in range(len(path), -1, -1):
            prefix = path[:end]
            if key and prefix in self.keys:
                return self.keys[prefix]
            if prefix in self.values:
                return self.values[prefix]
        return Position(1, 1)

    def diagnostic(
        self, path: KeyPath, message: str, rule: Rule, *, key: bool = False
    ) -> Diagnostic:
        """A diagnostic of `rule` for `path` in this file."""
        pos = self.position(path, key=key)
        return diagnostic(
            rule, self.file, message, line=pos.line, column=pos.column, path=format_path(path)
        )

    @property
    def ok(self) -> bool:
        return not any(d.is_error for d in self.diagnostics)


class _Abort(Exception):
    """Stops building values when going on would only repeat or explode."""


def load_file(path: Path, *, display: str | None = None, max_bytes: int = MAX_FILE_BYTES) -> Loaded:
    """Read a case file from disk; I/O problems become diagnostics, not exceptions."""
    name = display or str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return _fatal(
                name,
                f"filen är {size:,} byte; gränsen är {max_bytes:,} byte".replace(",", " "),
                codes.FILE_TOO_LARGE,
            )
        raw = path.read_bytes()
    except OSError as exc:
        return _fatal(name, f"filen kan inte läsas: {reason(exc)}", codes.FILE_UNREADABLE)
    return load_bytes(raw, file=name, max_bytes=max_bytes)


def load_bytes(raw: bytes, *, file: str, max_bytes: int = MAX_FILE_BYTES) -> Loaded:
    """Parse YAML bytes into a Loaded; never raises for anything a user can type."""
    if len(raw) > max_bytes:
        return _fatal(
            file, f"filen är {len(raw)} byte; gränsen är {max_bytes} byte", codes.FILE_TOO_LARGE
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        byte = raw[exc.start]
        return _fatal(
            file,
            f"filen är inte UTF-8 (byte 0x{byte:02X} kan inte avkodas); spara den som UTF-8",
            codes.NOT_UTF8,
            Position(line, column),
        )
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        message = _control_character(chr(exc.character))
        return _fatal(file, message, codes.CONTROL_CHARACTER, Position(line, column))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = Position(mark.line + 1, mark.column + 1) if mark else Position(1, 1)
        if mark and text[mark.index : mark.index + 1] == "\t":
            return _fatal(
                file,
                "felaktig YAML: tabbtecken kan inte användas för indrag; använd mellanslag",
                codes.YAML_TAB,
                pos,
            )
        return _fatal(file, *_yaml_problem(exc), pos)
    except yaml.YAMLError as exc:
        return _fatal(file, f"felaktig YAML: {exc}", codes.YAML_SYNTAX)
    loaded = Loaded(file, None)
    if node is None:
        loaded.data = None
        return loaded
    builder = _Builder(loaded)
    try:
        loaded.data = builder.build(node, ())
    except _Abort:
        loaded.data = None
    return loaded


def _fatal(file: str, message: str, rule: Rule, pos: Position = Position(1, 1)) -> Loaded:
    diag = diagnostic(rule, file, message, line=pos.line, column=pos.column)
    return Loaded(file, None, diagnostics=[diag])


def _control_character(char: str) -> str:
    return (
        f"tecknet U+{ord(char):04X} är ett styrtecken som inte får finnas i texten "
        "(det följer ofta med text som klistrats in från en PDF); ta bort det"
    )


def _yaml_problem(exc: yaml.MarkedYAMLError) -> tuple[str, Rule]:
    message, rule = _yaml_cause(exc)
    mark = exc.context_mark
    context = (exc.context or "").strip()
    if context.endswith(("flow sequence", "flow mapping")) and mark is not None:
        # the parser notices an unclosed [ or { only where the file goes on: say where it began
        message += f" (den började på rad {mark.line + 1}, kolumn {mark.column + 1})"
    return message, rule


def _yaml_cause(exc: yaml.MarkedYAMLError) -> tuple[str, Rule]:
    problem = (exc.problem or "").strip()
    if problem == "second occurrence" and exc.context_mark is not None:
        return (
            f"felaktig YAML: ankaret finns redan på rad {exc.context_mark.line + 1}; "
            "ge varje ankare (&namn) ett eget namn",
            codes.ANCHOR_TWICE,
        )
    context = (exc.context or "").strip()
    if problem == "did not find expected node content":
        if "flow" in context:
            return (
                "felaktig YAML: ett värde saknas i en lista [ ] eller mappning { }: en som inte "
                "stängs, eller ett kommatecken utan värde efter sig",
                codes.YAML_SYNTAX,
            )
        return (
            "felaktig YAML: ett värde saknas eller börjar med ett tecken som har en egen "
            "betydelse i YAML (till exempel , eller %); skriv värdet inom citattecken",
            codes.YAML_SYNTAX,
        )
    if problem == "did not find expected alphabetic or numeric character":
        return (
            "felaktig YAML: efter & och * ska ett ankarnamn stå; skriv värdet inom citattecken "
            "om tecknet hör till texten",
            codes.YAML_SYNTAX,
        )
    for english, swedish in _YAML_PROBLEMS.items():
        if problem.startswith(english) or english in problem:
            return f"felaktig YAML: {swedish}", _YAML_RULES.get(english, codes.YAML_SYNTAX)
    said = printable(problem or exc)
    return (
        f'felaktig YAML här (tolken säger: "{said}"); kontrollera indrag, kolon och citattecken',
        codes.YAML_SYNTAX,
    )


class _Builder:
    """Turns a composed node graph into dicts, lists and strings, recording positions."""

    def __init__(self, loaded: Loaded) -> None:
        self.loaded = loaded
        self.count = 0
        self.characters = 0
        self.merges: list[yaml.Node] = []
        """The `<<` keys being merged, outermost first: each counts as a level of nesting."""
        self.active: set[int] = set()

    def error(self, node: yaml.Node, path: KeyPath, message: str, rule: Rule) -> None:
        m = node.start_mark
        self.loaded.diagnostics.append(
            diagnostic(
                rule,
                self.loaded.file,
                message,
                line=m.line + 1,
                column=m.column + 1,
                path=format_path(path),
            )
        )

    def enter(self, node: yaml.Node, path: KeyPath, *, at: yaml.Node | None = None) -> None:
        """Count one more value and refuse to go on past the bounds or into a cycle.

        Values and merged mappings alike pass here, so that neither aliases nor `<<` can
        make the file expand past MAX_NODES, nest past MAX_DEPTH or recurse into itself.
        """
        self.count += 1
        if self.count > MAX_NODES:
            self.error(
                at or node,
                path,
                f"filen expanderar till fler än {MAX_NODES} värden (alias/ankare i för många led?)",
                codes.TOO_MANY_VALUES,
            )
            raise _Abort
        if len(path) + len(self.merges) > MAX_DEPTH:
            # Past merges, the innermost `<<` is where the user can see the depth grow.
            where = self.merges[-1] if self.merges else node
            self.error(
                where, path, f"för djup nästling (mer än {MAX_DEPTH} nivåer)", codes.TOO_DEEP
            )
            raise _Abort
        if id(node) in self.active:
            message = (
                "'<<' slår ihop en mappning med sig själv (rekursivt ankare)"
                if at is not None
                else "ett alias hänvisar till sig självt (rekursivt ankare)"
            )
            self.error(at or node, path, message, codes.RECURSIVE_ANCHOR)
            raise _Abort

    def build(self, node: yaml.Node, path: KeyPath) -> Any:
        self.enter(node, path)
        mark = node.start_mark
        self.loaded.values[path] = Position(mark.line + 1, mark.column + 1)
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, path)
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
            assert isinstance(node, yaml.MappingNode)
            return self.mapping(node, path)
        finally:
            self.active.discard(id(node))

    def scalar(self, node: yaml.ScalarNode, path: KeyPath) -> Any:
        if not node.tag.startswith("tag:yaml.org,2002:"):
            self.error(
                node,
                path,
                f"YAML-taggen {node.tag} används inte i ärendefiler; ta bort den",
                codes.YAML_TAG,
            )
        text: str = node.value
        self.characters += len(text)
        if self.characters > MAX_CHARACTERS:
            self.error(
                node,
                path,
                f"filen expanderar till mer än {MAX_CHARACTERS:,} tecken text (alias till en "
                "lång text i för många led?)".replace(",", " "),
                codes.TOO_MUCH_TEXT,
            )
            raise _Abort
        bad = _XML_ILLEGAL.search(text)
        if bad:
            self.error(node, path, _control_character(bad.group()), codes.CONTROL_CHARACTER)
        if node.style:  # quoted or block scalar: always text (plain is None or '')
            return text
        if text in _NULLS:
            return None
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        trap = _yaml11_trap(text)
        if trap:
            self.error(node, path, *trap)
        return text

    def mapping(self, node: yaml.MappingNode, path: KeyPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        pairs = []
        for key_node, value_node in node.value:
            if _is_merge_key(key_node):
                # merged keys first, so that the mapping's own keys (and positions) win
                for merged in self.merged_mappings(key_node, value_node, path):
                    result.update(merged)
            else:
                pairs.append((key_node, value_node))
        first_seen: dict[str, yaml.Node] = {}
        previous: yaml.Node | None = None
        previous_key: KeyPath = path
        for key_node, value_node in pairs:
            if node.flow_style and _split_by_comma(previous, key_node, value_node):
                assert previous is not None
                typed = f"{previous.value},{key_node.value}"
                self.error(
                    key_node,
                    previous_key,
                    f"kommatecknet i '{typed}' delar värdet inom {{ }}; skriv '{typed}' "
                    "inom citattecken, eller skriv nyckeln och värdet på en egen rad",
                    codes.COMMA_IN_FLOW,
                )
                continue
            previous = value_node
            previous_key = (*path, str(key_node.value))
            if not isinstance(key_node, yaml.ScalarNode):
                self.error(
                    key_node,
                    path,
                    "en nyckel måste vara en enkel text, inte en lista eller mappning",
                    codes.COMPLEX_KEY,
                )
                continue
            key = str(key_node.value)
            if key in first_seen:
                first = first_seen[key].start_mark.line + 1
                self.error(
                    key_node,
                    (*path, key),
                    f"nyckeln '{key}' finns redan på rad {first}; YAML skulle tyst behålla "
                    "bara det sista värdet, så ta bort eller slå ihop den ena",
                    codes.DUPLICATE_KEY,
                )
                continue
            first_seen[key] = key_node
            km = key_node.start_mark
            self.loaded.keys[(*path, key)] = Position(km.line + 1, km.column + 1)
            result[key] = self.build(value_node, (*path, key))
        return result

    def merged_mappings(
        self, key_node: yaml.Node, value_node: yaml.Node, path: KeyPath
    ) -> Iterator[dict[str, Any]]:
        """The mappings `<<` names, each built like a value: counted, bounded, no cycles."""
        sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
        for source in sources:
            # A source counts once for itself (an empty mapping too: `<<: [*e, *e, …]` costs
            # time, and so do refused ones) and a mapping once for each of its pairs.
            self.enter(source, path, at=key_node)
            if not isinstance(source, yaml.MappingNode):
                self.error(
                    source,
                    path,
                    "'<<' kan bara slå ihop mappningar (ankare till en mappning)",
                    codes.MERGE_NOT_MAPPING,
                )
                continue
            self.count += len(source.value)
            self.active.add(id(source))
            self.merges.append(key_node)
            try:
                merged = self.mapping(source, path)
            finally:
                self.merges.pop()
                self.active.discard(id(source))
            yield merged


def _split_by_comma(previous: yaml.Node | None, key: yaml.Node, value: yaml.Node) -> bool:
    """True for `{belopp: 1,5 mnkr}`, which flow YAML reads as `belopp: 1` and a key `5 mnkr`."""
    return (
        isinstance(previous, yaml.ScalarNode)
        and not previous.style
        and previous.value[-1:].isdigit()
        and isinstance(key, yaml.ScalarNode)
        and not key.style
        and key.value[:1].isdigit()
        and isinstance(value, yaml.ScalarNode)
        and value.value == ""
        and key.end_mark.index == value.start_mark.index
    )


def _is_merge_key(node: yaml.Node) -> bool:
    return node.tag == "tag:yaml.org,2002:merge" or (
        isinstance(node, yaml.ScalarNode) and node.value == "<<" and not node.style
    )


def _yaml11_trap(text: str) -> tuple[str, Rule] | None:
    """Explain a plain scalar that YAML 1.1 readers would turn into something else."""
    if text in _YAML11_BOOLS:
        return (
            f"'{text}' läses som ja/nej-värde av många YAML-läsare; skriv true eller false, "
            f"eller '{text}' inom citattecken om det är text",
            codes.YES_NO_WORD,
        )
    if _LEADING_ZERO.fullmatch(text):
        return (
            f"'{text}' har en inledande nolla och kan läsas som ett oktalt tal; skriv talet utan "
            f"nolla, eller '{text}' inom citattecken om det är text (t.ex. ett telefonnummer)",
            codes.LEADING_ZERO,
        )
    underscored = "_" in text and _UNDERSCORE_NUMBER.fullmatch(text)
    if underscored and "_" in underscored[1]:
        return (
            f"'{text}' läses som talet {text.replace('_', '')} av vissa YAML-läsare och som text av "
            "andra; skriv siffrorna utan understreck, eller med mellanslag inom citattecken",
            codes.UNDERSCORE_NUMBER,
        )
    if _PREFIXED_NUMBER.fullmatch(text):
        return (
            f"'{text}' läses som ett hexadecimalt, oktalt eller binärt tal; skriv det inom "
            "citattecken",
            codes.PREFIXED_NUMBER,
        )
    if _SEXAGESIMAL.fullmatch(text):
        return (
            f"'{text}' läses som ett tal i sextiotalssystemet av YAML 1.1-läsare; "
            f"skriv '{text}' inom citattecken",
            codes.SEXAGESIMAL,
        )
    return None
