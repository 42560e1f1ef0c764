"""arendegen: Swedish public-sector decision documents from YAML case files.

The library (see `arendegen.api` and the README's "As a library"):

    from arendegen import build, check, render_documents

    result = check("cases/2025/ks-2025-95.yaml")
    for d in result.diagnostics:
        print(d.as_text())
    documents = render_documents(result, formats=("docx",))
    build(["cases"], "output")
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

__all__ = [
    "ArendegenError",
    "BuildReport",
    "CaseResult",
    "Diagnostic",
    "Document",
    "Options",
    "Severity",
    "__version__",
    "build",
    "check",
    "check_all",
    "check_file",
    "check_paths",
    "check_text",
    "diff_cases",
    "render_documents",
]

_HOMES = {
    "check": "arendegen.api",
    "check_text": "arendegen.api",
    "check_all": "arendegen.api",
    "render_documents": "arendegen.api",
    "build": "arendegen.api",
    "diff_cases": "arendegen.api",
    "Document": "arendegen.api",
    "Options": "arendegen.pipeline",
    "BuildReport": "arendegen.pipeline",
    "CaseResult": "arendegen.results",
    "Diagnostic": "arendegen.diagnostics",
    "Severity": "arendegen.diagnostics",
    "ArendegenError": "arendegen.errors",
    "check_file": "arendegen.validate",
    "check_paths": "arendegen.validate",
}

if TYPE_CHECKING:
    from arendegen.api import (
        Document,
        build,
        check,
        check_all,
        check_text,
        diff_cases,
        render_documents,
    )
    from arendegen.diagnostics import Diagnostic, Severity
    from arendegen.errors import ArendegenError
    from arendegen.pipeline import BuildReport, Options
    from arendegen.results import CaseResult
    from arendegen.validate import check_file, check_paths


def __getattr__(name: str) -> object:
    # imported when first used, so that `arendegen --version` stays fast
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(name)
    import importlib

    return getattr(importlib.import_module(home), name)


def __dir__() -> list[str]:
    return sorted(__all__)
