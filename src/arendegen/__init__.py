"""arendegen: Swedish public-sector decision documents from YAML case files."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "check_file", "check_paths"]


def __getattr__(name: str) -> object:
    # The public API is imported lazily so that `arendegen --version` stays fast.
    if name in {"check_file", "check_paths"}:
        from arendegen import validate

        return getattr(validate, name)
    raise AttributeError(name)
