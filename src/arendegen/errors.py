"""The errors arendegen raises; the CLI maps them to exit codes in one place."""

from __future__ import annotations

from pathlib import Path


class ArendegenError(Exception):
    """Base of every error arendegen raises on purpose; its message is Swedish and final."""


class UsageError(ArendegenError, ValueError):
    """The command was called wrongly (exit code 2)."""


class InputError(ArendegenError, OSError):
    """A file or folder could not be read or written (exit code 2)."""

    @classmethod
    def not_found(cls, *, path: Path) -> InputError:
        return cls(f"{path}: finns inte")

    @classmethod
    def unreadable(cls, *, path: Path, reason: str) -> InputError:
        return cls(f"{path}: kan inte läsas: {reason}")

    @classmethod
    def exists(cls, *, path: Path) -> InputError:
        return cls(f"{path}: finns redan; arendegen skriver aldrig över en befintlig fil")
