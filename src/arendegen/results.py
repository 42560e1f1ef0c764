"""What checking a case gives, and where case files are: light, so a no-op build stays fast."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from arendegen.diagnostics import Diagnostic
from arendegen.errors import InputError

if TYPE_CHECKING:
    from arendegen.compute import Computed
    from arendegen.packs import Pack
    from arendegen.schema import Case

CASE_SUFFIXES = (".yaml", ".yml")


@dataclass
class CaseResult:
    """What checking one case file found and computed."""

    file: str
    case: Case | None = None
    pack: Pack | None = None
    computed: Computed | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if not d.is_error]


def find_case_files(paths: Iterable[Path]) -> list[Path]:
    """The case files named, or found below the folders named, in a stable order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                sorted(p for p in path.rglob("*") if p.suffix in CASE_SUFFIXES and p.is_file())
            )
        elif path.is_file():
            found.append(path)
        else:
            raise InputError.not_found(path=path)
    return list(dict.fromkeys(found))
