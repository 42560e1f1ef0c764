"""Check case files: load → schema → rules → compute, gathering every problem of a file."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from arendegen import codes
from arendegen.compute import Mismatch, compute
from arendegen.diagnostics import Diagnostic, Rule, Severity, diagnostic, sort_diagnostics
from arendegen.formatting import format_money, format_number
from arendegen.loader import Loaded, load_file
from arendegen.money import Money, Unit, decimals_of
from arendegen.packs import (
    Pack,
    forget_resolved,
    is_builtin,
    load_pack,
    pack_problems,
    suggest,
    uses_layout,
)
from arendegen.paths import repository_root
from arendegen.results import CASE_SUFFIXES, CaseResult, case_files, find_case_files
from arendegen.schema import Case
from arendegen.schema.common import MAX_ATTACHED_MB, MIB
from arendegen.schema.findings import Finding
from arendegen.schema.gaps import with_unknown_units
from arendegen.schema.messages import diagnostics_from
from arendegen.schema.rules import check
from arendegen.schema.tables import Table
from arendegen.shards import Shard, case_id

__all__ = [
    "CASE_SUFFIXES",
    "CaseResult",
    "check_file",
    "check_loaded",
    "check_paths",
    "find_case_files",
]


def check_paths(paths: Iterable[Path], *, templates: Sequence[Path] = ()) -> list[CaseResult]:
    """Check every case file under `paths`."""
    return check_part(paths, templates=templates)[0]


def check_part(
    paths: Iterable[Path],
    *,
    templates: Sequence[Path] = (),
    shard: Shard | None = None,
    out: Path = Path("output"),
) -> tuple[list[CaseResult], int]:
    """Check the case files under `paths` of part `shard` (all without one), each named as
    a build into `out` names it; and how many were left to other parts."""
    forget_resolved()
    pairs, refused = case_files(paths)
    files = list(dict.fromkeys(path for path, _ in pairs))
    found = len(files) + len(refused)
    if shard is not None:
        anchor = out.resolve().parent
        files = [p for p in files if shard.holds(case_id(p, anchor))]
        refused = [r for r in refused if shard.holds(case_id(Path(r.file), anchor))]
    results = [*refused, *(check_file(p, templates=templates) for p in files)]
    return results, found - len(results)


def check_file(
    path: Path | str,
    *,
    templates: Sequence[Path] = (),
    display: str | None = None,
    render: bool = True,
) -> CaseResult:
    """Check one case file; every problem becomes a diagnostic, nothing raises.

    With a pack of the repository's own (not a built-in one), a valid case's documents are
    also rendered in memory (`render`), so that what a template does with this case's data
    fails here as it would in the build. A build, which renders anyway, passes False.
    """
    return check_loaded(load_file(Path(path), display=display), templates, render=render)


def check_loaded(
    loaded: Loaded, templates: Sequence[Path] = (), *, render: bool = True
) -> CaseResult:
    """Check a case already read (a file, or text given another way): as `check_file`."""
    result = CaseResult(loaded.file, diagnostics=list(loaded.diagnostics))
    if loaded.data is None and not loaded.diagnostics:
        result.diagnostics.append(loaded.diagnostic((), "filen är tom", codes.EMPTY_FILE))
    if loaded.data is not None:
        _check_loaded(loaded, result, templates)
    own_pack = result.pack is not None and not is_builtin(result.pack)
    if render and own_pack and result.case is not None and not result.errors:
        from arendegen.pipeline import trial_render

        result.diagnostics += trial_render(result)
    result.diagnostics = _at_most(sort_diagnostics(result.diagnostics), result.file)
    return result


MAX_DIAGNOSTICS = 200
"""Problems shown per file: a hostile file (a merge bomb) can repeat one problem thousands of
times, which helps nobody reading a CI log."""


def _at_most(diagnostics: list[Diagnostic], file: str) -> list[Diagnostic]:
    """The first MAX_DIAGNOSTICS, errors before warnings, and a line saying how many more."""
    if len(diagnostics) <= MAX_DIAGNOSTICS:
        return diagnostics
    errors = [d for d in diagnostics if d.is_error]
    shown = sort_diagnostics((errors or diagnostics)[:MAX_DIAGNOSTICS])
    hidden = len(diagnostics) - len(shown)
    last = shown[-1]
    return [
        *shown,
        diagnostic(
            codes.MORE_NOT_SHOWN,
            file,
            f"ytterligare {hidden} problem i filen visas inte ({_what_is_shown(shown, errors)})",
            line=last.line,
            column=last.column,
            severity=Severity.ERROR if errors else Severity.WARNING,
        ),
    ]


def _what_is_shown(shown: list[Diagnostic], errors: list[Diagnostic]) -> str:
    """'de första 200 visas', or that only errors are: warnings wait until they are fixed."""
    if errors and len(errors) < MAX_DIAGNOSTICS:
        count = "felet" if len(shown) == 1 else f"de {len(shown)} felen"
        return f"{count} visas; varningarna visas när felen är rättade"
    return f"de första {len(shown)} visas"


def _check_loaded(loaded: Loaded, result: CaseResult, templates: Sequence[Path]) -> None:
    if not isinstance(loaded.data, dict):
        result.diagnostics.append(
            loaded.diagnostic(
                (),
                "en ärendefil ska vara en mappning med nycklar som titel och handlingar",
                codes.NOT_A_MAPPING,
            )
        )
        return
    pack = _pack(loaded, result, templates)
    try:
        case = Case.model_validate(loaded.data)
    except ValidationError as exc:
        result.diagnostics += _not_already_reported(loaded, diagnostics_from(exc, Case, loaded))
        _check_tables_alone(loaded, result)
        return
    if not loaded.ok:
        return  # the loader's errors (traps, duplicates) make the data untrustworthy
    case = with_unknown_units(case)
    result.case = case
    if pack is not None:
        result.diagnostics += pack_problems(pack, [d.typ for d in case.handlingar])
    result.diagnostics += _attached_files(loaded, case)
    result.diagnostics += _same_file_names(loaded, case)
    config = pack.config if pack else None
    findings = check(
        case,
        diarienummer_pattern=config.diarienummer_mönster if config else None,
        examples=config.diarienummer_exempel if config else (),
        required=config.kräver if config else None,
        pack_name=pack.name if pack else "",
    )
    result.diagnostics += _from_findings(loaded, findings)
    if pack is not None:
        result.diagnostics += _from_findings(loaded, _not_shown(case, pack))
    broken = [f.path for f in findings if f.severity is Severity.ERROR]
    result.computed = compute(case, broken=broken)
    labels = config.unit_labels if config else None
    result.diagnostics += [_mismatch(loaded, m, labels) for m in result.computed.mismatches]
    result.diagnostics += [
        loaded.diagnostic(d.path, d.message, d.rule) for d in result.computed.disagreements
    ]


def _not_shown(case: Case, pack: Pack) -> list[Finding]:
    """A warning for what the case says that none of its documents shows (layout/coverage)."""
    from arendegen.layout import coverage
    from arendegen.layout.resolve import effective

    layouts = [
        (
            f"{doc.typ} ({pack.name})",
            effective(pack, doc.typ) if uses_layout(pack, doc.typ) else None,
            pack.config.husregler,
        )
        for doc in case.handlingar
    ]
    return coverage.findings(case, layouts)


def _same_file_names(loaded: Loaded, case: Case) -> list[Diagnostic]:
    """Two documents of the case whose files would be one (`del 1` and `del-1`; `Del-1` on a
    file system that ignores case): the build refuses them, so validate says so, at the id."""
    from arendegen.output import safe_name, same_name_key

    seen: dict[str, int] = {}
    problems = []
    for index, doc in enumerate(case.handlingar):
        name = same_name_key(safe_name(doc.id or doc.typ))
        first = seen.setdefault(name, index)
        other = case.handlingar[first]
        if first != index and (doc.id or doc.typ) != (other.id or other.typ):  # else: rules.py
            problems.append(
                loaded.diagnostic(
                    ("handlingar", index, "id") if doc.id else ("handlingar", index),
                    f"handlingen får samma filnamn som handlingar[{first}] "
                    f"('{other.id or other.typ}'); ge handlingarna id som skiljer sig åt i mer "
                    "än skiftläge och skiljetecken",
                    codes.SAME_FILE_NAME,
                )
            )
    return problems


def _attached_files(loaded: Loaded, case: Case) -> list[Diagnostic]:
    """Attached files must exist and stay inside the case repository (no '..', no escaping links)."""
    problems = []
    case_file = Path(loaded.file)
    root = repository_root(case_file)
    for index, annex in enumerate(case.bilagor):
        if annex.fil is None:
            continue
        where = ("bilagor", index, "fil")
        named = Path(annex.fil)
        target = (case_file.parent / named).resolve()
        if named.is_absolute() or ".." in named.parts or not target.is_relative_to(root):
            problems.append(
                loaded.diagnostic(
                    where,
                    f"'{annex.fil}' ligger utanför ärenderepot; ange en sökväg inom det",
                    codes.OUTSIDE_REPOSITORY,
                )
            )
        elif not target.is_file():
            problems.append(
                loaded.diagnostic(
                    where, f"den bifogade filen '{annex.fil}' finns inte", codes.ATTACHMENT_MISSING
                )
            )
        elif target.suffix.lower() != ".pdf":
            problems.append(
                loaded.diagnostic(
                    where,
                    f"'{annex.fil}' är ingen PDF och tas inte med i handlingspaketet (--bundle)",
                    codes.ATTACHMENT_NOT_PDF,
                )
            )
        elif (problem := _attached_pdf_problem(target, annex.fil)) is not None:
            problems.append(loaded.diagnostic(where, *problem))
    return problems


def _attached_pdf_problem(target: Path, name: str) -> tuple[str, Rule] | None:
    """What is wrong with an attached PDF that can be seen without opening it: its size
    (checked before anything reads it) and the header every PDF starts with."""
    size = target.stat().st_size
    if size > MAX_ATTACHED_MB * MIB:
        return (
            f"den bifogade filen '{name}' är {-(-size // MIB)} MB; en bifogad fil får vara "
            f"högst {MAX_ATTACHED_MB} MB",
            codes.ATTACHMENT_TOO_LARGE,
        )
    with target.open("rb") as file:
        head = file.read(1024)
    if b"%PDF-" not in head:  # the header may follow a little junk, as readers allow
        return (
            f"den bifogade filen '{name}' är ingen PDF (den börjar inte med %PDF-)",
            codes.ATTACHMENT_BROKEN,
        )
    return None


def _not_already_reported(loaded: Loaded, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """Leave out schema errors about values the loader has already explained."""
    explained = {d.path for d in loaded.diagnostics if d.path}

    def covered(path: str) -> bool:
        return any(path == p or path.startswith((p + ".", p + "[")) for p in explained)

    return [d for d in diagnostics if not covered(d.path)]


def _pack(loaded: Loaded, result: CaseResult, templates: Sequence[Path]) -> Pack | None:
    name = loaded.data.get("mall", "region")
    if not isinstance(name, str):
        return None  # the schema reports the wrong type
    pack, problems = load_pack(name, templates)
    result.diagnostics += problems
    if pack is None and not problems:
        result.diagnostics.append(
            loaded.diagnostic(("mall",), suggest(name, templates), codes.UNKNOWN_PACK)
        )
    result.pack = pack
    return pack


def _check_tables_alone(loaded: Loaded, result: CaseResult) -> None:
    """When the case as a whole is invalid, still prove the sums of each valid table."""
    tables: Any = loaded.data.get("tabeller")
    if not isinstance(tables, dict):
        return
    adapter: TypeAdapter[Any] = TypeAdapter(Table)
    valid = {}
    for key, raw in tables.items():
        try:
            valid[key] = adapter.validate_python(raw)
        except ValidationError:
            continue  # already reported through the case
    standalone = {
        k: t for k, t in valid.items() if t.typ in {"budget", "fördelning", "budgetavvikelse"}
    }
    if not standalone:
        return
    shell = Case.model_construct(titel="", tabeller=standalone, handlingar=[])
    findings = [f for f in check(shell) if f.path[:1] == ("tabeller",)]
    result.diagnostics += _from_findings(loaded, findings)
    broken = [f.path for f in findings if f.severity is Severity.ERROR]
    result.diagnostics += [
        _mismatch(loaded, m, None) for m in compute(shell, broken=broken).mismatches
    ]


def _from_findings(loaded: Loaded, findings: Iterable[Finding]) -> list[Diagnostic]:
    return [loaded.diagnostic(f.path, f.message, f.rule) for f in findings]


def _mismatch(loaded: Loaded, m: Mismatch, labels: dict[Unit, str] | None) -> Diagnostic:
    unit = m.declared.unit
    if m.plain:  # a count: its numbers as written, no unit
        declared, computed = (
            format_number(x.kronor / unit.factor, decimals_of(x.kronor / unit.factor))
            for x in (m.declared, m.computed)
        )
        message = f"angiven {m.label} {declared}, {m.basis} är {computed}"
        return loaded.diagnostic(m.path, message, codes.FIGURE_MISMATCH)
    shown = m.computed.as_unit(unit)
    places = max(shown.decimals, m.declared.decimals)
    if unit is Unit.KR and places:
        places = max(places, 2)  # kronor and öre: 16 687,50 kr
    shown = Money(shown.kronor, unit, places)
    stated = Money(m.declared.kronor, unit, places if unit is Unit.KR else m.declared.decimals)
    declared, computed = format_money(stated, labels=labels), format_money(shown, labels=labels)
    if computed == declared:  # differs only beyond the shown decimals
        declared = format_money(m.declared, unit=Unit.KR, labels=labels)
        computed = format_money(m.computed, unit=Unit.KR, labels=labels)
    message = f"angiven {m.label} {declared}, {m.basis} är {computed}"
    return loaded.diagnostic(m.path, message, codes.FIGURE_MISMATCH)
