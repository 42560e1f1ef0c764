"""The errors arendegen raises; the CLI maps them to exit codes in one place."""

from __future__ import annotations

import errno
from pathlib import Path

from arendegen.diagnostics import printable

_REASONS = {
    errno.ENOENT: "finns inte",
    errno.EISDIR: "är en mapp, inte en fil",
    errno.ENOTDIR: "en del av sökvägen är ingen mapp",
    errno.ENOSPC: "disken är full",
    errno.EDQUOT: "diskkvoten är slut",
    errno.EROFS: "filsystemet är skrivskyddat",
    errno.EACCES: "behörighet saknas",
    errno.EPERM: "åtgärden är inte tillåten",
    errno.EEXIST: "finns redan",
    errno.ENXIO: "är ingen vanlig fil (en socket eller en enhet?)",
    errno.ENAMETOOLONG: "namnet är för långt för filsystemet",
    errno.ELOOP: "för många länkar i rad (en slinga?)",
    errno.EMFILE: "för många öppna filer",
    errno.EIO: "läs- eller skrivfel på disken",
    errno.ETXTBSY: "filen används av ett program",
    errno.EBUSY: "filen eller mappen är upptagen",
}


def reason(error: OSError) -> str:
    """Why the operating system refused, in Swedish (its own words only when we have none)."""
    return _REASONS.get(error.errno or 0) or error.strerror or str(error)


class ArendegenError(Exception):
    """Base of every error arendegen raises on purpose; its message is Swedish and final."""


class UsageError(ArendegenError, ValueError):
    """The command was called wrongly (exit code 2)."""


class InputError(ArendegenError, OSError):
    """A file or folder could not be read or written (exit code 2)."""

    @classmethod
    def not_found(cls, *, path: Path) -> InputError:
        return cls(f"{printable(path)}: finns inte")

    @classmethod
    def unreadable(cls, *, path: Path, reason: str) -> InputError:
        return cls(f"{printable(path)}: kan inte läsas: {reason}")

    @classmethod
    def exists(cls, *, path: Path) -> InputError:
        return cls(
            f"{printable(path)}: finns redan; arendegen skriver aldrig över en befintlig fil"
        )

    @classmethod
    def unwritable(cls, *, path: Path, reason: str) -> InputError:
        return cls(f"{printable(path)}: kan inte skrivas: {reason}")

    @classmethod
    def busy(cls, *, folder: Path, seconds: float) -> InputError:
        return cls(
            f"{folder}: ett annat bygge skriver i mappen; gav upp efter {seconds:g} s "
            "(vänta tills det är klart, eller bygg till en annan mapp med --out)"
        )


class PathError(ArendegenError, ValueError):
    """A path from a case, a pack, the settings or the manifest leads out of its folder."""

    @classmethod
    def absolute(cls, *, path: str) -> PathError:
        return cls(f"'{printable(path)}' är en absolut sökväg")

    @classmethod
    def parent(cls, *, path: str) -> PathError:
        return cls(f"'{printable(path)}' går upp ur mappen med '..'")

    @classmethod
    def empty(cls, *, path: str) -> PathError:
        return cls(f"'{printable(path)}' är ingen sökväg till en fil eller mapp")

    @classmethod
    def link(cls, *, path: Path) -> PathError:
        return cls(
            f"{printable(path)} är en länk; arendegen skriver och tar bort aldrig genom länkar"
        )

    @classmethod
    def outside(cls, *, path: str, target: Path, root: Path) -> PathError:
        return cls(f"'{printable(path)}' leder till {printable(target)}, utanför {printable(root)}")

    @classmethod
    def unresolvable(cls, *, path: str) -> PathError:
        return cls(f"'{printable(path)}' går inte att följa (en länk i en slinga?)")

    @classmethod
    def not_a_folder(cls, *, path: Path) -> PathError:
        return cls(f"{printable(path)} är ingen mapp")
