"""Diagnostics: one problem at one place in one file, and how they are printed."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from enum import StrEnum

KeyPath = tuple[str | int, ...]

_UNPRINTABLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff"
    # characters that reorder or hide text (bidi controls, zero-width): a name could show as
    # another in a log or a review
    "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)


def printable(text: object) -> str:
    """Text from the file system or a case on one line, with control characters shown as
    escapes: a folder named 'a\\n::error::' must not start a line of its own in a CI log,
    where a line beginning with '::' is a command to the CI system."""
    return _UNPRINTABLE.sub(lambda m: repr(m.group(0))[1:-1], str(text))


class Severity(StrEnum):
    """How bad a diagnostic is; the value is the Swedish word printed."""

    ERROR = "fel"
    WARNING = "varning"


@dataclass(frozen=True)
class Rule:
    """A kind of problem: a stable code (arendegen.codes), a short Swedish title, and its
    severity (None for the one rule whose severity is that of the problems it stands for)."""

    code: str
    title: str
    severity: Severity | None


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem, at file:line:column, with the key path, a Swedish message and the code
    of the rule broken (last, so that diagnostics sort by place first)."""

    file: str
    line: int
    column: int
    severity: Severity
    path: str
    message: str
    code: str

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def as_text(self) -> str:
        """`fil:rad:kolumn: fel[AG120]: nyckelväg: meddelande`, as compilers print theirs."""
        where = f"{self.path}: " if self.path else ""
        return printable(
            f"{self.file}:{self.line}:{self.column}: {self.severity.value}[{self.code}]: "
            f"{where}{self.message}"
        )


def diagnostic(
    rule: Rule,
    file: str,
    message: str,
    *,
    line: int = 1,
    column: int = 1,
    path: str = "",
    severity: Severity | None = None,
) -> Diagnostic:
    """A diagnostic of `rule`, with the rule's severity unless the rule has none."""
    chosen = severity or rule.severity
    assert chosen is not None, f"{rule.code} needs a severity"
    return Diagnostic(file, line, column, chosen, path, message, rule.code)


def format_path(path: KeyPath) -> str:
    """Write a key path as officials read it: `handlingar[1].paragraf`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Order by file, then line and column, so output reads top to bottom."""
    return sorted(set(diagnostics))


def _github_value(text: str, *, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if property_value else text


def github_command(d: Diagnostic) -> str:
    """A GitHub Actions workflow command, so the problem shows on the line of the pull request."""
    kind = "error" if d.is_error else "warning"
    where = (
        f"file={_github_value(d.file, property_value=True)},line={d.line},col={d.column},"
        f"title={d.code}"
    )
    text = f"{d.path}: {d.message}" if d.path else d.message
    return f"::{kind} {where}::{_github_value(text)}"


def as_json(d: Diagnostic) -> dict[str, object]:
    """A diagnostic for a program: its fields, the severity as printed ('fel', 'varning') and
    as `level` in English ('error', 'warning'), which scripts can match whatever the language."""
    return asdict(d) | {
        "severity": d.severity.value,
        "level": "error" if d.is_error else "warning",
    }


def render(diagnostics: Sequence[Diagnostic], output_format: str) -> str:
    """Print diagnostics as `text` (one per line), `json` (a list) or `github` (workflow commands)."""
    if output_format == "github":
        return "\n".join(github_command(d) for d in diagnostics)
    if output_format == "json":
        return json.dumps(
            [as_json(d) for d in diagnostics],
            ensure_ascii=False,
            indent=2,
        )
    return "\n".join(d.as_text() for d in diagnostics)
