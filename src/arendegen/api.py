"""arendegen as a library: check a case, read what it computed, render its documents, build.

    from arendegen import check, render_documents

    result = check("cases/2025/ks-2025-95.yaml")      # a path, as str or Path
    if result.ok:
        for document in render_documents(result, formats=("docx", "pdf")):
            print(document.name, len(document.docx), len(document.pdf or b""))

Nothing here raises for what a case file says: every problem is a `Diagnostic` in
`result.diagnostics` (Swedish, at file:line:column), as `arendegen validate` prints it.
Rendering raises `ArendegenError` only for what the machine lacks (LibreOffice for PDF) or
when asked to render a case that has errors.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from arendegen.errors import ArendegenError
from arendegen.pipeline import BuildReport, Options
from arendegen.results import CaseResult
from arendegen.review import CaseDiff

PathLike = str | os.PathLike[str]


def check(path: PathLike, *, templates: Sequence[PathLike] = ()) -> CaseResult:
    """Load and check one case file: schema, rules and every computed figure. `templates`:
    folders of the repository's own packs (as `--templates`)."""
    from arendegen.validate import check_file

    return check_file(Path(path), templates=[Path(t) for t in templates])


def check_text(
    text: str,
    *,
    name: str = "ärende.yaml",
    folder: PathLike = ".",
    templates: Sequence[PathLike] = (),
) -> CaseResult:
    """Check a case given as YAML text (an editor's buffer, a web form). `name` is how
    diagnostics name it; `folder` is where its attached files (`bilagor[].fil`) and the
    repository's settings are looked for, as if the text were a file there."""
    from arendegen.loader import load_bytes
    from arendegen.validate import check_loaded

    file = str(Path(folder) / name)
    return check_loaded(load_bytes(text.encode("utf-8"), file=file), [Path(t) for t in templates])


def check_all(paths: Iterable[PathLike], *, templates: Sequence[PathLike] = ()) -> list[CaseResult]:
    """Check every case file named, or found below the folders named."""
    from arendegen.validate import check_paths

    return check_paths([Path(p) for p in paths], templates=[Path(t) for t in templates])


@dataclass(frozen=True)
class Document:
    """One rendered document of a case: its file name, its kind, its bytes."""

    name: str
    """The name a build would write it under, e.g. 'KS-2025-95-tjänsteskrivelse.docx'."""
    kind: str
    docx: bytes
    pdf: bytes | None = None
    """The PDF (PDF/A-2b unless `archival=False`), when asked for."""
    odt: bytes | None = None
    """The OpenDocument text, when asked for."""


def render_documents(
    result: CaseResult,
    *,
    formats: Sequence[str] = ("docx",),
    archival: bool = True,
    draft: bool = False,
) -> list[Document]:
    """Each document of a checked case, in memory, in the order of its `handlingar`.

    `formats`: "docx", and "pdf" and "odt" through LibreOffice (which must be installed).
    `draft`: mark every document as a draft (as `build --utkast`), which a case with missing
    facts needs. A case with errors is not rendered: ArendegenError says so."""
    from arendegen.output import FORMATS
    from arendegen.pipeline import drafts_of, output_names, render_case
    from arendegen.render.pdf import Job, convert

    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise ArendegenError(
            f"okänt format {', '.join(sorted(unknown))}; välj bland {', '.join(FORMATS)}"
        )
    if result.case is None or result.errors:
        raise ArendegenError(f"{result.file}: ärendet har fel och kan inte göras till handlingar")
    drafts = frozenset(range(len(result.case.handlingar))) if draft else drafts_of(result)
    plans = render_case(result, "", drafts)
    names = [n.rpartition("/")[2] for n in output_names(result, "")]
    pdfs: list[bytes | None] = [None] * len(plans)
    if "pdf" in formats:
        jobs = [Job(str(i), p.data, p.date) for i, p in enumerate(plans)]
        for archive in (True, False):
            chosen = [i for i, p in enumerate(plans) if (archival and not p.draft) is archive]
            for i, done in zip(
                chosen, convert([jobs[i] for i in chosen], archive=archive), strict=True
            ):
                if done.pdf is None:
                    raise ArendegenError(f"{names[i]}: ingen PDF: {done.problem}")
                pdfs[i] = done.pdf
    odts: list[bytes | None] = [None] * len(plans)
    if "odt" in formats:
        jobs = [Job(str(i), p.data, p.date) for i, p in enumerate(plans)]
        for i, done in enumerate(convert(jobs, target="odt")):
            if done.pdf is None:
                raise ArendegenError(f"{names[i]}: ingen ODT: {done.problem}")
            odts[i] = done.pdf
    return [
        Document(name, doc.typ, plan.data, pdf, odt)
        for name, doc, plan, pdf, odt in zip(
            names, result.case.handlingar, plans, pdfs, odts, strict=True
        )
    ]


def build(
    paths: Iterable[PathLike],
    out: PathLike,
    *,
    templates: Sequence[PathLike] = (),
    strict: bool = False,
    options: Options | None = None,
) -> BuildReport:
    """Build every case under `paths` into `out`, as `arendegen build` does (DOCX and
    PDF/A by default; only what changed since the last build is made again)."""
    from arendegen.pipeline import build as run

    return run(
        [Path(p) for p in paths],
        Path(out),
        templates=[Path(t) for t in templates],
        strict=strict,
        options=options or Options(),
    )


def diff_cases(old: CaseResult | None, new: CaseResult | None) -> CaseDiff:
    """What changed in substance between two checked versions of a case, as `arendegen
    diff` shows it: each `Change` with its place, old and new value and, for a figure, the
    difference ('+150 tkr'). None: the case is not in that version (added or removed).

        before, after = check_text(old_yaml), check_text(new_yaml)
        for change in diff_cases(before, after).changes:
            print(change.section, change.label, change.old, "→", change.new, change.difference)

    Versions that do not validate are compared only by their error counts here (the
    command, which has the YAML, compares it as written)."""
    from arendegen.review import diff_cases as compare

    return compare(old, new)
