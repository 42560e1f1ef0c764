"""What checking a case gives, and where case files are: light, so a no-op build stays fast."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from arendegen import codes
from arendegen.diagnostics import Diagnostic, Rule, diagnostic
from arendegen.errors import InputError
from arendegen.paths import MAX_DEPTH, resolves_inside, walk_files

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
    def ok(self) -> bool:
        """No errors: the case can be built (warnings may remain)."""
        return self.case is not None and not self.errors

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if not d.is_error]


def find_case_files(paths: Iterable[Path]) -> list[Path]:
    """The case files named, or found below the folders named, in a stable order (those
    `case_files` refuses are left out)."""
    return list(dict.fromkeys(path for path, _ in case_files(paths)[0]))


def case_files(paths: Iterable[Path]) -> tuple[list[tuple[Path, Path]], list[CaseResult]]:
    """Each case file with the folder it was found below (its own folder when named), and
    the files refused, each with its diagnostic.

    A file found by walking a folder is refused when it is a link leading out of the
    repository (as attached files are); one named on the command line is trusted. A name
    that is not UTF-8 is refused either way: it could not be written in the manifest or
    printed as it is. Links to folders are not walked into.
    """
    pairs: list[tuple[Path, Path]] = []
    refused: list[CaseResult] = []
    for path in paths:
        if path.is_dir():
            root = _repository(path)
            walked_inside = resolves_inside(path, root)
            walked, skipped = walk_files(path)
            refused += [
                _refused(folder, _not_walked(folder), codes.FOLDER_NOT_WALKED) for folder in skipped
            ]
            for file in (p for p in walked if p.suffix.lower() in CASE_SUFFIXES):
                problem = _name_problem(file) or _link_problem(file, root, walked_inside)
                if problem is None:
                    pairs.append((file, path))
                else:
                    refused.append(_refused(file, *problem))
        elif path.is_file():
            problem = _name_problem(path)
            if problem is None:
                pairs.append((path, path.parent))
            else:
                refused.append(_refused(path, *problem))
        else:
            raise InputError.not_found(path=path)
    return list(dict.fromkeys((file, _mirror_base(base)) for file, base in pairs)), refused


def _mirror_base(base: Path) -> Path:
    """Where outputs mirror from. In a case repository (a working folder with
    arendegen.yaml), a folder or file named inside its `cases/` mirrors from `cases/`, so
    `build cases/region-norrbotten` writes under output/region-norrbotten/ just as a build of
    the whole repository does; anything else mirrors from where it was named."""
    cases = Path("cases")
    try:
        repository = Path("arendegen.yaml").is_file() and cases.is_dir()
        if not repository or not base.resolve().is_relative_to(cases.resolve()):
            return base
    except OSError:
        return base
    return cases.resolve() if base.is_absolute() else cases


def printable(path: Path) -> str:
    """A path as text that can be printed and stored: bytes that are not UTF-8 become �."""
    return os.fsencode(path).decode("utf-8", "replace")


def _repository(folder: Path) -> Path:
    """The repository a walked folder belongs to: the working folder if the folder is named
    inside it (as `cases`, even when `cases` is itself a link: its files must then still lie
    in the repository), else the folder itself."""
    here = Path.cwd().resolve()
    return here if folder.absolute().is_relative_to(here) else folder.resolve()


def _not_walked(folder: Path) -> str:
    if os.access(folder, os.R_OK | os.X_OK) and folder.is_dir():
        return (
            f"mappen ligger mer än {MAX_DEPTH} nivåer ner; arendegen söker inte efter ärenden "
            "där (flytta ärendena högre upp)"
        )
    return "mappen kan inte läsas; ärendena i den kontrolleras inte"


def _name_problem(path: Path) -> tuple[str, Rule] | None:
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        return (
            "filnamnet är inte giltig UTF-8 (tecknen som inte går att läsa visas som �); byt "
            "namn på filen",
            codes.NAME_NOT_UTF8,
        )
    return None


def _link_problem(path: Path, root: Path, walked_inside: bool) -> tuple[str, Rule] | None:
    # Walking does not enter links to folders: below a folder inside the repository, only
    # a file that is itself a link can lead out.
    if (walked_inside and not path.is_symlink()) or resolves_inside(path, root):
        return None
    try:
        path.resolve(strict=True)
    except RuntimeError:  # Python 3.11's word for a link that loops
        return "ärendefilen är en länk som leder runt i en slinga; arendegen läser den inte", (
            codes.CASE_LINK_OUT
        )
    except OSError:
        pass
    return (
        f"ärendefilen är en länk till {printable(Path(os.path.realpath(path)))}, utanför "
        f"ärenderepot {printable(root)}; arendegen läser den inte (en fil som anges på "
        "kommandoraden läses)",
        codes.CASE_LINK_OUT,
    )


def _refused(path: Path, message: str, rule: Rule) -> CaseResult:
    name = printable(path)
    return CaseResult(name, diagnostics=[diagnostic(rule, name, message)])
