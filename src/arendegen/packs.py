"""Template packs: one folder per house style, found by name.

Search order: folders given with `--templates`, then the built-in packs. Each pack has a
`pack.yaml` saying whose style it is and how that organisation writes its figures.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator

from arendegen.diagnostics import Diagnostic
from arendegen.loader import load_file
from arendegen.money import Unit
from arendegen.schema.messages import diagnostics_from
from arendegen.schema.types import Line, Markdown, Model, fail

BUILTIN = Path(__file__).parent / "templates"


class PackConfig(Model):
    """The settings of one template pack (its pack.yaml)."""

    namn: Line = Field(description="Paketets namn, det som ärendefilens `mall` anger.")
    organisation: Line = Field(description="Organisationens namn, om ärendet inte anger något.")
    beskrivning: Markdown | None = Field(None, description="Vad paketet är till för.")
    miljonenhet: Literal["mnkr", "mkr", "Mkr"] = Field(
        "mnkr", description="Hur organisationen skriver miljoner kronor: mnkr, mkr eller Mkr."
    )
    diarienummer_mönster: Line | None = Field(
        None,
        description="Reguljärt uttryck som varje diarienummer i ärenden med denna mall måste matcha.",
    )
    diarienummer_exempel: list[Line] = Field(
        default_factory=list, description="Exempel på giltiga diarienummer, för felmeddelanden."
    )

    @field_validator("diarienummer_mönster")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise fail(f"mönstret går inte att tolka: {exc}") from None
        return value

    @property
    def unit_labels(self) -> dict[Unit, str]:
        """How this organisation writes each money unit."""
        return {Unit.KR: "kr", Unit.TKR: "tkr", Unit.MNKR: self.miljonenhet, Unit.MDKR: "mdkr"}


@dataclass(frozen=True)
class Pack:
    """A pack found on disk."""

    name: str
    folder: Path
    config: PackConfig


def available(search: Sequence[Path] = ()) -> dict[str, Path]:
    """Every pack name that can be found, mapped to its folder; earlier folders win."""
    found: dict[str, Path] = {}
    for root in (*search, BUILTIN):
        if root.is_dir():
            for folder in sorted(root.iterdir()):
                if (folder / "pack.yaml").is_file():
                    found.setdefault(folder.name, folder)
    return found


def suggest(name: str, search: Sequence[Path] = ()) -> str:
    """A Swedish message for an unknown pack name, with the nearest known one."""
    names = sorted(available(search))
    close = difflib.get_close_matches(name, names, n=1)
    hint = f"; menade du '{close[0]}'?" if close else ""
    return f"okänd mall '{name}'; tillgängliga mallar: {', '.join(names)}{hint}"


def load_pack(name: str, search: Sequence[Path] = ()) -> tuple[Pack | None, list[Diagnostic]]:
    """Read the named pack's pack.yaml; problems come back as diagnostics in that file."""
    folder = available(search).get(name)
    if folder is None:
        return None, []
    loaded = load_file(folder / "pack.yaml")
    if not loaded.ok:
        return None, loaded.diagnostics
    try:
        config = PackConfig.model_validate(loaded.data)
    except ValidationError as exc:
        return None, diagnostics_from(exc, PackConfig, loaded)
    return Pack(name, folder, config), []
