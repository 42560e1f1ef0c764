"""build(): load → validate → compute → context → render → write, gathering before writing."""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import os
import stat
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from arendegen import codes
from arendegen.diagnostics import Diagnostic, KeyPath, Rule, diagnostic, printable
from arendegen.errors import ArendegenError, InputError, PathError, reason
from arendegen.output import (
    MANIFEST,
    RESERVED,
    Manifest,
    digest,
    discard,
    locked,
    remove_leftovers,
    reserved_part,
    safe_name,
    same_name_key,
    stage,
)
from arendegen.paths import (
    inside,
    is_plain_file,
    read_plain,
    repository_root,
    resolves_inside,
    walk_files,
)
from arendegen.results import CaseResult, case_files
from arendegen.schema.findings import Finding
from arendegen.schema.gaps import DRAFT_MARK, documents_with_gaps, gaps
from arendegen.shards import Shard
from arendegen.shards import case_id as shard_case_id

if TYPE_CHECKING:
    from arendegen.render.remote import Pool


@dataclass(frozen=True)
class Planned:
    """One output, rendered in memory and not yet written."""

    relative: str
    data: bytes
    case: str
    source: str | None = None  # for a PDF: the key of the .docx and options it was made from
    date: dt.date | None = None  # the date the document states, for the PDF's metadata
    draft: bool = False  # a draft: marked on every page, and its PDF never PDF/A


@dataclass(frozen=True)
class Options:
    """How to build: which formats, which PDF, how many LibreOffice processes."""

    formats: tuple[str, ...] = ("docx", "pdf")
    archive_pdf: bool = True
    jobs: int = 2
    timeout: float = 60.0
    bundle: bool = False
    force: bool = False
    drafts: bool = False
    """--utkast: a case with facts not known yet is built as a draft instead of not at all.
    Not part of `key`: a draft's outputs are marked as such whichever way they were asked for."""
    converter: Pool | None = None
    """--converter: the unoserver instances to convert through; None, local LibreOffice batches.
    Not part of `key`: both give the same bytes."""

    def key(self) -> str:
        """What of the options changes the outputs."""
        return f"{sorted(self.formats)} archive={self.archive_pdf} bundle={self.bundle}" + (
            " drafts" if self.drafts else ""
        )


@dataclass
class BuildReport:
    """What a build did."""

    results: list[CaseResult] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
    """Problems of the build rather than of one case (a damaged manifest)."""
    notes: list[str] = field(default_factory=list)
    """What the person running the build should know, though nothing is wrong."""
    incomplete: list[str] = field(default_factory=list)
    """Case files not built because facts are not known yet and drafts were not asked for."""
    elsewhere: int = 0
    """Case files found that belong to other parts (--shard), and were left to them."""

    @property
    def failed(self) -> list[CaseResult]:
        return [r for r in self.results if r.errors]


def _stem(result: CaseResult) -> str:
    assert result.case is not None
    from arendegen.formatting import without_label

    number = result.case.diarienummer
    return safe_name(without_label(number) if number else Path(result.file).stem)


def output_names(result: CaseResult, folder: str) -> list[str]:
    """The output path (relative to the output folder) of each document of a valid case."""
    assert result.case is not None
    stem = _stem(result)
    names = []
    for doc in result.case.handlingar:
        name = f"{stem}-{safe_name(doc.id or doc.typ)}.docx"
        names.append(f"{folder}/{name}" if folder else name)
    return names


def bundle_name(result: CaseResult, folder: str) -> str:
    """The output path of a case's decision package (--bundle)."""
    name = f"{_stem(result)}-handlingar.pdf"
    return f"{folder}/{name}" if folder else name


@dataclass(frozen=True)
class _Work:
    """A checked case whose documents are to be rendered, and the names they will have."""

    path: Path
    folder: str
    result: CaseResult
    names: list[tuple[str, str]]
    """Each output's path and what it is ('handlingar[0] (id 'del 1')', 'handlingspaketet')."""


Claimed = dict[str, tuple[str, str, str]]
"""Each output name taken in this build, compared as a file system that ignores case would:
its name as written, the case file making it, and what it is."""


@dataclass
class _Checking:
    """What a build knows while it checks the cases, and what it has found so far."""

    manifest: Manifest
    options: Options
    templates: Sequence[Path]
    strict: bool
    report: BuildReport
    claimed: Claimed = field(default_factory=dict)
    keys: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Per checked case file: what the manifest will keep about it besides its outputs."""


def build(
    paths: Sequence[Path],
    out: Path,
    *,
    templates: Sequence[Path] = (),
    strict: bool = False,
    options: Options | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    wait: float = 600.0,
    waiting: Callable[[Path], None] | None = None,
    shard: Shard | None = None,
) -> BuildReport:
    """Check every case, render the documents of the valid ones, then write them all.

    `progress(done, total, case)` is called before each case, for a progress bar. While
    another build holds the output folder, this one waits up to `wait` seconds (calling
    `waiting` once), then raises InputError. With `shard`, only the cases of that part are
    built, and only their outputs are ever removed.
    """
    options = options or Options(formats=("docx",))
    report = BuildReport()
    _forget_lookups()
    _ANCHORS[:] = [out.resolve().parent]
    files, refused = case_files(paths)
    if shard is not None:
        found = len(files) + len(refused)
        files = [(p, base) for p, base in files if shard.holds(_case_id(p))]
        refused = [r for r in refused if shard.holds(_case_id(Path(r.file)))]
        report.elsewhere = found - len(files) - len(refused)
    report.results += refused
    with locked(out, wait=wait, waiting=waiting):
        remove_leftovers(out)
        manifest = Manifest.read(out, shard=shard)
        if manifest.damaged is not None:
            report.warnings.append(_damaged(out, manifest.damaged))
        elif not manifest.signed:
            report.notes.append(
                f"manifestet i {printable(out)} är inte signerat av arendegen här (ändrat, eller "
                "gjort på en annan maskin, som en ny CI-körning): varje ärende byggs och jämförs, "
                "och inget tas bort; spara ~/.cache/arendegen med utmappen för stegvisa byggen"
            )
        checking = _Checking(manifest, options, templates, strict, report)
        work = _unclaimed(_gather(checking, files, progress), checking.claimed)
        work = _not_recorded_for_others(work, manifest, {_case_id(path) for path, _ in files})
        plans = _render_valid(work, templates, options.jobs)
        plans = _formats(plans, manifest, options, report)
        kinds = set(options.formats) | ({"bundle"} if options.bundle else set())
        bases = [base for _, base in files] or list(paths)
        _write(plans, manifest, report, checking.keys, bases, kinds)
    return report


def _damaged(out: Path, reason: str) -> Diagnostic:
    return diagnostic(
        codes.MANIFEST_DAMAGED,
        str(out / MANIFEST),
        f"förteckningen över arendegens filer är skadad ({reason}); allt byggs om och "
        "inget tas bort i detta bygge",
    )


def _gather(
    checking: _Checking,
    files: list[tuple[Path, Path]],
    progress: Callable[[int, int, str], None] | None,
) -> list[_Work]:
    """Check each case; note the unchanged ones' outputs, and return those to render."""
    manifest, options, templates = checking.manifest, checking.options, checking.templates
    report, claimed, keys = checking.report, checking.claimed, checking.keys
    work = []
    for number, (path, base) in enumerate(files):
        if progress is not None:
            progress(number, len(files), str(path))
        folder = path.parent.relative_to(base).as_posix() if path.parent != base else ""
        if not options.force and _unchanged(manifest, path, options, templates, folder):
            report.results.append(CaseResult(str(path)))
            _keep(manifest, path, report, claimed)
            continue
        from arendegen.validate import check_file

        result = check_file(path, templates=templates, render=False)
        report.results.append(result)
        if not _buildable(result, checking.strict):
            continue
        if _incomplete(result, options.drafts):
            report.incomplete.append(result.file)
            continue
        keys[result.file] = _record(path, result, options, folder)
        if not options.force and _up_to_date(manifest, path, keys[result.file]["inputs"]):
            _keep(manifest, path, report, claimed)
            continue
        names = _names(result, folder, options)
        reserved = _reserved(names, checking.manifest.folder)
        problem = reserved or _same_names(names)
        if problem is not None:
            rule = codes.RESERVED_NAME if reserved else codes.SAME_FILE_NAME
            result.diagnostics.append(_error(result, problem, rule))
            continue
        work.append(_Work(path, folder, result, names))
    return work


def _buildable(result: CaseResult, strict: bool) -> bool:
    if result.errors or result.case is None:
        return False
    if strict and result.warnings:
        result.diagnostics.append(
            _error(result, "byggs inte: varningar räknas som fel (--strict)", codes.STRICT)
        )
        return False
    return True


def _incomplete(result: CaseResult, drafts: bool) -> bool:
    """True, with a warning, for a case with facts not known yet when drafts were not asked
    for: it is not built, so nothing unfinished passes for a finished document."""
    assert result.case is not None
    missing = gaps(result.case)
    if missing and not (drafts or result.case.utkast):
        named = ", ".join(gap.what for gap in missing[:3]) + (" …" if len(missing) > 3 else "")
        count = "1 uppgift är" if len(missing) == 1 else f"{len(missing)} uppgifter är"
        known = "känd" if len(missing) == 1 else "kända"
        result.diagnostics.append(
            _error(
                result,
                f"byggs inte: {count} inte {known} ännu ({named}); bygg ärendet som utkast med "
                "--utkast, eller skriv `utkast: true` i ärendet",
                codes.NOT_BUILT_YET,
            )
        )
        return True
    return False


def drafts_of(result: CaseResult) -> frozenset[int]:
    """The documents built as drafts: every one of a case that says it is a draft, else
    those that show a fact not known yet (the case is built only when drafts are asked for)."""
    case = result.case
    if case is None:
        return frozenset()
    if case.utkast:
        return frozenset(range(len(case.handlingar)))
    return frozenset(documents_with_gaps(case))


def _keep(manifest: Manifest, path: Path, report: BuildReport, claimed: Claimed) -> None:
    """An unchanged case: its outputs stay, and their names are taken."""
    outputs = manifest.cases[_case_id(path)]["outputs"]
    report.unchanged += outputs
    _claim(claimed, [(o, "") for o in outputs], str(path))


def _names(result: CaseResult, folder: str, options: Options) -> list[tuple[str, str]]:
    """Every output a case will make (its .docx, .pdf and .odt, its package), with what each
    is."""
    assert result.case is not None
    names = []
    for index, (doc, name) in enumerate(
        zip(result.case.handlingar, output_names(result, folder), strict=True)
    ):
        label = f"handlingar[{index}] (" + (f"id '{doc.id}')" if doc.id else f"{doc.typ})")
        stem = name[: -len(".docx")]
        names += [(name, label), (stem + ".pdf", label), (stem + ".odt", label)]
    if options.bundle:
        names.append((bundle_name(result, folder), "handlingspaketet"))
    return names


def _reserved(names: list[tuple[str, str]], out: Path) -> str | None:
    """An output whose path takes a name kept for arendegen's own files (a case folder named
    like the manifest would make the manifest's place a folder): the problem, naming it."""
    for name, label in names:
        part = reserved_part(name)
        if part is not None:
            return (
                f"{label} skulle skrivas som {out / name}, men namn som börjar med "
                f"'{RESERVED}' ({part}) är arendegens egna; byt namn på mappen"
            )
    return None


def _same_names(names: list[tuple[str, str]]) -> str | None:
    """Two outputs of one case that would be one file: the problem, naming both."""
    seen: dict[str, tuple[str, str]] = {}
    for name, label in names:
        first = seen.setdefault(same_name_key(name), (name, label))
        if first[1] != label:
            return (
                f"{first[1]} och {label} får samma filnamn, {name}; ge handlingarna id som "
                "skiljer sig åt i mer än skiftläge och skiljetecken"
            )
    return None


def _unclaimed(work: list[_Work], claimed: Claimed) -> list[_Work]:
    """The cases whose outputs no other case of this build makes; the rest get an error."""
    kept = []
    for item in work:
        folder = _folder_clash(item, claimed)
        if folder is not None:
            item.result.diagnostics.append(_error(item.result, folder, codes.FOLDER_CLASH))
            continue
        clash = next(((n, lab) for n, lab in item.names if same_name_key(n) in claimed), None)
        if clash is None:
            _claim(claimed, item.names, item.result.file)
            kept.append(item)
            continue
        name, label = clash
        other_name, other_case, other_label = claimed[same_name_key(name)]
        other = ", ".join(part for part in (other_label, other_name) if part)
        item.result.diagnostics.append(
            _error(
                item.result,
                f"{label} får filnamnet {name}, som {other_case} redan gör ({other}); ge "
                "handlingen ett annat id eller ärendet ett annat diarienummer",
                codes.FILE_NAME_TAKEN,
            )
        )
    return kept


def _not_recorded_for_others(work: list[_Work], manifest: Manifest, built: set[str]) -> list[_Work]:
    """The cases none of whose outputs the manifest records for another case, one not in
    this build whose file still exists; the rest get an error naming that case.

    A build of one folder or file mirrors from there, so its outputs can take the names of
    another case's (made by a build of the whole repository): that file is never replaced.
    """
    if not work or not manifest.cases:
        return work
    recorded = {
        same_name_key(output): case_id
        for case_id, record in manifest.cases.items()
        if case_id not in built
        for output in record["outputs"]
    }
    kept = []
    for item in work:
        clash = next(
            (
                (name, label, recorded[same_name_key(name)])
                for name, label in item.names
                if same_name_key(name) in recorded
                and _exists(recorded[same_name_key(name)])
                and not _same_file(recorded[same_name_key(name)], item.path)
            ),
            None,
        )
        if clash is None:
            kept.append(item)
            continue
        name, label, other = clash
        item.result.diagnostics.append(
            _error(
                item.result,
                f"{label} får filnamnet {name}, som {other} redan gör (ett annat ärende, byggt "
                "tidigare); ge handlingen ett annat id eller ärendet ett annat diarienummer",
                codes.FILE_NAME_TAKEN,
            )
        )
    return kept


def _exists(case_id: str) -> bool:
    """Whether the case file a manifest names (relative to the output folder's) exists."""
    try:
        return (_anchor() / case_id).exists()
    except (OSError, ValueError):
        return False


def _same_file(case_id: str, path: Path) -> bool:
    """Whether a case the manifest names is this very file under another name: absolute, as
    an older build run from outside the repository recorded it."""
    recorded = Path(case_id)
    try:
        return recorded.is_absolute() and recorded.exists() and os.path.samefile(recorded, path)
    except (OSError, ValueError):
        return False


def _claim(claimed: Claimed, names: list[tuple[str, str]], case: str) -> None:
    """Take a case's output names, and the folders on their way (keys ending in '/')."""
    for name, label in names:
        claimed[same_name_key(name)] = (name, case, label)
        for folder in _folders(name):
            claimed.setdefault(same_name_key(folder) + "/", (folder, case, label))


def _folders(name: str) -> list[str]:
    parts = name.split("/")
    return ["/".join(parts[:end]) for end in range(1, len(parts))]


def _folder_clash(item: _Work, claimed: Claimed) -> str | None:
    """An output of this case that is a folder of another case's outputs, or a folder on the
    way to one of its outputs that another case makes as a file: the problem, naming both."""
    for name, label in item.names:
        if same_name_key(name) + "/" in claimed:
            _, other_case, _ = claimed[same_name_key(name) + "/"]
            return (
                f"{label} får filnamnet {name}, men {other_case} skriver sina filer i en mapp "
                "med det namnet; ge ärendet ett annat diarienummer eller byt namn på mappen"
            )
        for folder in _folders(name):
            if same_name_key(folder) in claimed:
                _, other_case, other_label = claimed[same_name_key(folder)]
                other = ", ".join(part for part in (other_label, folder) if part)
                return (
                    f"{label} skulle skrivas i mappen {folder}, men {other_case} gör en fil "
                    f"med det namnet ({other}); byt namn på mappen eller ge ärendet ett annat "
                    "diarienummer"
                )
    return None


def _render_valid(work: list[_Work], templates: Sequence[Path], jobs: int) -> list[Planned]:
    """Render the cases' documents; a case whose rendering fails gets the error."""
    plans: list[Planned] = []
    pending = [(item.path, item.folder, item.result, drafts_of(item.result)) for item in work]
    rendered = _render_all(pending, templates, jobs)
    for item, (case_plans, problem) in zip(work, rendered, strict=True):
        if problem is not None:
            item.result.diagnostics.append(problem)
        else:
            plans += case_plans
    return plans


def _formats(
    plans: list[Planned], manifest: Manifest, options: Options, report: BuildReport
) -> list[Planned]:
    """From the rendered .docx files, the outputs the options ask for: .docx, .pdf, .odt and
    packages. A case whose document LibreOffice cannot convert gets an error, and no files."""
    made: list[Planned] = []
    failed: set[str] = set()
    for target in ("pdf", "odt"):
        if target in options.formats or (target == "pdf" and options.bundle):
            converted, stopped = _converted(plans, manifest, options, report, target)
            made += converted
            failed |= stopped
    plans = [p for p in [*plans, *made] if p.case not in failed]
    if options.bundle:
        plans += _bundles(plans, report)
    if "pdf" not in options.formats:
        plans = [p for p in plans if not p.relative.endswith(".pdf") or p.source == "bundle"]
    if "docx" not in options.formats:
        plans = [p for p in plans if not p.relative.endswith(".docx")]
    return plans


Rendered = tuple[list[Planned], Diagnostic | None]


def _render_all(
    pending: list[tuple[Path, str, CaseResult, frozenset[int]]],
    templates: Sequence[Path],
    jobs: int,
) -> list[Rendered]:
    """Render each case's documents, in `jobs` processes when there is more than one case.

    A worker checks its case again rather than receiving it, so only file names and the
    finished bytes cross between processes; the bytes are the same as a serial build's.
    """
    if jobs <= 1 or len(pending) <= 1:
        return [_render_checked(result, folder, draft) for _, folder, result, draft in pending]
    from concurrent.futures import ProcessPoolExecutor

    work = [(path, folder, tuple(templates), draft) for path, folder, _, draft in pending]
    with ProcessPoolExecutor(max_workers=min(jobs, len(pending))) as pool:
        return list(pool.map(_render_in_worker, work, chunksize=max(1, len(work) // (jobs * 4))))


def _render_in_worker(job: tuple[Path, str, tuple[Path, ...], frozenset[int]]) -> Rendered:
    path, folder, templates, draft = job
    from arendegen.validate import check_file

    return _render_checked(check_file(path, templates=templates, render=False), folder, draft)


def _render_checked(
    result: CaseResult, folder: str, draft: frozenset[int] = frozenset()
) -> Rendered:
    """A case's documents, or the diagnostic of what stopped them (a template's, at its file)."""
    from arendegen.layout.compose import LayoutProblem
    from arendegen.packs import template_error
    from arendegen.render.docx import TemplateProblem

    try:
        return render_case(result, folder, draft), None
    except TemplateProblem as exc:
        assert result.pack is not None
        return [], template_error(result.pack, exc.template, exc.detail, exc.rule)
    except LayoutProblem as exc:
        assert result.pack is not None
        pack_yaml = result.pack.folder / "pack.yaml"
        return [], template_error(result.pack, pack_yaml, str(exc), codes.LAYOUT_FAILED)
    except ArendegenError as exc:
        return [], _error(result, str(exc), codes.BUILD_FAILED)


def trial_render(result: CaseResult) -> list[Diagnostic]:
    """Render a checked case's documents in memory, keeping nothing: what stops a template
    from filling in this case's documents, as the build would report it."""
    _, problem = _render_checked(result, "")
    return [problem] if problem is not None else []


def _up_to_date(manifest: Manifest, path: Path, key: str) -> bool:
    """True when a case's inputs are as they were and its outputs are all still ours."""
    record = manifest.cases.get(_case_id(path))
    if record is None or record["inputs"] != key:
        return False
    return all(manifest.intact(o) for o in record["outputs"])


def _case_id(path: Path) -> str:
    """A case file's name in the manifest: relative to the folder that holds the output
    folder (the repository, usually) where possible, so builds run from any working folder
    name a case alike."""
    if path not in _IDS:
        _IDS[path] = shard_case_id(path, _anchor())
    return _IDS[path]


def _inputs_key(
    path: Path, pack_folder: Path, attached: Sequence[str], options: Options, mirror: str
) -> str:
    """The hash of everything a case's outputs are made from: the case file, its attached
    files, every file of its pack, arendegen's version, the options, and the subfolder its
    outputs go to (a build of one file puts them elsewhere than a build of its folder)."""
    from arendegen import __version__

    parts = [__version__.encode(), options.key().encode(), mirror.encode(), path.read_bytes()]
    root = repository_root(path) if attached else path.parent
    for name in attached:
        file = path.parent / name
        # The names may come from the manifest: read only files inside the repository.
        if resolves_inside(file, root) and file.is_file():
            parts.append(_contents(file))
    parts.append(_folder_digest(pack_folder).encode())
    return digest(b"\0".join(parts))


def _contents(path: Path) -> bytes:
    """What stands for a file's bytes in a hash: the hash of its contents, read in pieces (a
    pack may hold a file of gigabytes); a file that cannot be read, or is no regular file
    (a FIFO would never end), hashes as its error."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO must not block the open
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return b"not a regular file"
            return hashlib.file_digest(handle, "sha256").digest()
    except OSError as exc:
        return f"{type(exc).__name__} {exc.errno}".encode()


_FOLDERS: dict[Path, str] = {}
_IDS: dict[Path, str] = {}
_ANCHORS: list[Path] = []
"""The folder case ids are relative to during a build: the one holding its output folder."""


def _anchor() -> Path:
    return _ANCHORS[-1] if _ANCHORS else Path.cwd().resolve()


_PACKS: dict[tuple[Path, ...], dict[str, Path]] = {}


def _forget_lookups() -> None:
    """Empty the lookups a build makes once (pack folders and their hashes, case ids): a
    build assumes its packs and working folder do not change while it runs."""
    from arendegen.packs import forget_resolved

    forget_resolved()
    _FOLDERS.clear()
    _IDS.clear()
    _PACKS.clear()


def _folder_digest(folder: Path) -> str:
    """The hash of every file in a pack folder, computed once per build for each folder."""
    if folder not in _FOLDERS:
        files, _ = walk_files(folder)  # what lies deeper is no template the pack can name
        parts = [
            part
            for p in files
            for part in (os.fsencode(p.relative_to(folder)), _pack_file(p, folder))
        ]
        _FOLDERS[folder] = digest(b"\0".join(parts))
    return _FOLDERS[folder]


def _pack_file(path: Path, folder: Path) -> bytes:
    """What of a pack's file goes into its hash: its bytes, or, for a link leading out of
    the pack, where it leads (a file outside is never read; validation refuses it)."""
    if path.is_symlink() and not resolves_inside(path, folder):
        return os.fsencode(os.readlink(path))
    return _contents(path)


def _record(path: Path, result: CaseResult, options: Options, mirror: str) -> dict[str, Any]:
    """What the manifest keeps about a checked case, besides its outputs."""
    assert result.pack is not None and result.case is not None
    # Normalised ('./a.pdf' and 'a//b.pdf' name 'a.pdf' and 'a/b.pdf'), as the manifest
    # takes names: validate has refused absolute names and '..'.
    attached = [PurePosixPath(a.fil).as_posix() for a in result.case.bilagor if a.fil]
    folder = result.pack.folder
    return {
        "inputs": _inputs_key(path, folder, attached, options, mirror),
        "pack": result.pack.name,
        "folder": str(folder),
        "attached": attached,
    }


def _unchanged(
    manifest: Manifest, path: Path, options: Options, templates: Sequence[Path], mirror: str
) -> bool:
    """True when nothing a case's outputs were made from has changed: decided by hashing
    alone, without reading the case, so that a no-op build of many cases is quick."""
    record = manifest.cases.get(_case_id(path))
    if record is None or not record.get("pack"):
        return False
    from arendegen.packs import available

    search = tuple(templates)
    if search not in _PACKS:
        _PACKS[search] = available(templates)
    folder = _PACKS[search].get(record["pack"])
    if folder is None or str(folder) != record["folder"]:
        return False
    key = _inputs_key(path, folder, record["attached"], options, mirror)
    return key == record["inputs"] and _up_to_date(manifest, path, key)


def _converted(
    plans: list[Planned], manifest: Manifest, options: Options, report: BuildReport, target: str
) -> tuple[list[Planned], set[str]]:
    """A .pdf (or .odt) for every .docx, converting only those whose .docx or options
    changed; and the cases whose conversion failed."""
    from arendegen.render.pdf import Job, convert

    out = manifest.folder
    by_case = {r.file: r for r in report.results}
    made: list[Planned] = []
    jobs = []
    for plan in plans:
        relative = plan.relative[: -len(".docx")] + f".{target}"
        # a draft is never PDF/A: an archive takes PDF/A as a finished document
        archive = target == "pdf" and options.archive_pdf and not plan.draft
        mode = target if target != "pdf" else "pdfa-2b" if archive else "plain"
        key = f"{digest(plan.data)} {mode}"
        target_path = out / relative
        reuse = not options.force and manifest.sources.get(relative) == key
        if reuse and manifest.intact(relative):
            made.append(
                Planned(relative, read_plain(target_path), plan.case, key, draft=plan.draft)
            )
            continue
        jobs.append((relative, key, plan, Job(relative, plan.data, plan.date), archive))
    converted = {}
    for archive in (True, False):
        batch = [item for item in jobs if item[4] is archive]
        results = (
            convert(
                [job for _, _, _, job, _ in batch],
                archive=archive,
                workers=max(1, options.jobs),
                timeout_per_document=options.timeout,
                target=target,
                pool=options.converter,
            )
            if batch
            else []
        )
        converted.update({item[0]: result for item, result in zip(batch, results, strict=True)})
    failed = set()
    for relative, key, plan, _, _ in jobs:
        result = converted[relative]
        if result.pdf is None:
            what = "PDF" if target == "pdf" else target.upper()
            rule = codes.NO_PDF if target == "pdf" else codes.NO_ODT
            by_case[plan.case].diagnostics.append(
                _error(by_case[plan.case], f"{relative}: ingen {what}: {result.problem}", rule),
            )
            failed.add(plan.case)
        else:
            made.append(Planned(relative, result.pdf, plan.case, key, draft=plan.draft))
    return made, failed


def _bundles(plans: list[Planned], report: BuildReport) -> list[Planned]:
    """Per case: the main documents, then the annexes in number order, as one PDF."""
    from arendegen.render.bundling import bundle
    from arendegen.render.pdf import Part

    pdfs = {p.relative: p for p in plans if p.relative.endswith(".pdf")}
    made = []
    for result in report.results:
        if result.case is None or result.errors:
            continue
        folder = _folder_of(plans, result)
        names = output_names(result, folder)
        main: list[Part] = []
        annexes: list[tuple[int, Part]] = []
        for doc, name in zip(result.case.handlingar, names, strict=True):
            planned = pdfs.get(name[: -len(".docx")] + ".pdf")
            if planned is None or doc.typ == "protokollsutdrag":
                continue
            title = doc.titel or result.case.titel
            if doc.bilaga:
                label = f"Bilaga {doc.bilaga}"
                annexes.append((doc.bilaga, Part(planned.data, f"{label}. {title}", label)))
            else:
                main.append(Part(planned.data, title))
        if not main:
            continue
        own = [part.pdf for part in main] + [part.pdf for _, part in annexes]
        attached = _attached(result, {number for number, _ in annexes}, own)
        if attached is None:
            continue
        parts = main + [part for _, part in sorted(annexes + attached, key=lambda a: a[0])]
        relative = bundle_name(result, folder)
        try:
            dated = result.case.date_of(result.case.handlingar[0])
            case = result.case
            author = case.handläggare.namn if case.handläggare else case.organisation or ""
            made_of = bundle(
                parts, dated, case.titel, number=case.diarienummer or "", author=author
            )
        except Exception as exc:  # a PDF pikepdf read but cannot merge
            result.diagnostics.append(
                _error(result, f"handlingspaketet kunde inte göras: {exc}", codes.PACKAGE_FAILED)
            )
            continue
        own_archival = all(p.title not in made_of.not_archival for p in parts if not p.attached)
        plain = [p.title for p in parts if p.attached and p.title in made_of.not_archival]
        if own_archival and plain:
            result.diagnostics.append(
                _error(
                    result,
                    f"{relative}: blir inte PDF/A, eftersom den bifogade filen "
                    + " och ".join(f"'{t}'" for t in plain)
                    + " inte är PDF/A; paketet skrivs som vanlig PDF",
                    codes.PACKAGE_NOT_PDFA,
                )
            )
        made.append(Planned(relative, made_of.pdf, result.file, "bundle"))
    return made


Attached = tuple[int, int, str, str, Path]
"""An attached PDF of a case: index in `bilagor`, annex number, name as written, title, path."""


def _attached(
    result: CaseResult, taken: set[int], own: list[bytes]
) -> list[tuple[int, Any]] | None:
    """The case's attached PDF files (bilagor with `fil`), numbered as Beslutsunderlag says,
    or None when one of them, or the package with its own documents `own`, is out of bounds
    or unreadable (each reported at its key)."""
    from arendegen.loader import load_file

    assert result.case is not None
    chosen: list[Attached] = [
        (index, number, annex.fil, annex.titel, Path(result.file).parent / annex.fil)
        for index, annex in enumerate(result.case.bilagor)
        if annex.fil is not None
        and annex.fil.lower().endswith(".pdf")
        and (number := annex.nummer or index + 1) not in taken
    ]
    found: list[tuple[int, Any]] = []
    problems = _size_problems(chosen, own) or _page_problems(chosen, own, found)
    if problems:
        loaded = load_file(Path(result.file))
        result.diagnostics += [loaded.diagnostic(f.path, f.message, f.rule) for f in problems]
        return None
    return found


def _size_problems(chosen: list[Attached], own: list[bytes]) -> list[Finding]:
    """Files and package too large, told from the file system before anything is read."""
    from arendegen.schema.common import MAX_ATTACHED_MB, MAX_PACKAGE_MB, MIB

    problems: list[Finding] = []
    size = sum(len(data) for data in own)
    for index, _, name, _, path in chosen:
        try:
            bytes_ = path.stat().st_size
        except OSError:
            problems.append(
                Finding(
                    ("bilagor", index, "fil"),
                    f"den bifogade filen '{name}' finns inte",
                    codes.ATTACHMENT_MISSING,
                )
            )
            continue
        size += bytes_
        if bytes_ > MAX_ATTACHED_MB * MIB:
            problems.append(
                Finding(
                    ("bilagor", index, "fil"),
                    f"den bifogade filen '{name}' är {_mb(bytes_)} MB; en bifogad fil får vara "
                    f"högst {MAX_ATTACHED_MB} MB",
                    codes.ATTACHMENT_TOO_LARGE,
                )
            )
    if not problems and size > MAX_PACKAGE_MB * MIB:
        problems.append(
            Finding(
                ("bilagor",),
                f"handlingspaketet skulle bli {_mb(size)} MB; ett paket får vara högst "
                f"{MAX_PACKAGE_MB} MB",
                codes.PACKAGE_TOO_LARGE,
            )
        )
    return problems


def _page_problems(
    chosen: list[Attached], own: list[bytes], found: list[tuple[int, Any]]
) -> list[Finding]:
    """Files unreadable or with too many pages, and a package with too many; the files
    that pass are added to `found`. Pages are counted without walking past the bound."""
    from arendegen.render.pdf import Part, UnreadablePdf, page_count
    from arendegen.schema.common import MAX_ATTACHED_PAGES, MAX_PACKAGE_PAGES

    problems: list[Finding] = []
    pages = sum(page_count(data, MAX_PACKAGE_PAGES) for data in own)
    for index, number, name, title, path in chosen:
        where: KeyPath = ("bilagor", index, "fil")
        data = path.read_bytes()
        try:
            count = page_count(data, MAX_ATTACHED_PAGES)
        except UnreadablePdf as exc:
            problems.append(
                Finding(where, f"den bifogade filen '{name}' {exc}", codes.ATTACHMENT_BROKEN)
            )
            continue
        if count > MAX_ATTACHED_PAGES:
            most = _grouped(MAX_ATTACHED_PAGES)
            problems.append(
                Finding(
                    where,
                    f"den bifogade filen '{name}' har fler än {most} sidor; en bifogad fil får "
                    f"ha högst {most} sidor",
                    codes.ATTACHMENT_TOO_MANY_PAGES,
                )
            )
            continue
        pages += count
        part = Part(data, f"Bilaga {number}. {title}", f"Bilaga {number}", attached=True)
        found.append((number, part))
    if not problems and pages > MAX_PACKAGE_PAGES:
        problems.append(
            Finding(
                ("bilagor",),
                f"handlingspaketet skulle få {_grouped(pages)} sidor; ett paket får ha högst "
                f"{_grouped(MAX_PACKAGE_PAGES)} sidor",
                codes.PACKAGE_TOO_MANY_PAGES,
            )
        )
    return problems


def _grouped(number: int) -> str:
    """2 000: thousands grouped as Swedish writes them."""
    return f"{number:,}".replace(",", " ")


def _mb(size: int) -> int:
    """Whole megabytes (MiB), rounded up: a file just over the bound never reads as equal."""
    from arendegen.schema.common import MIB

    return -(-size // MIB)


def _folder_of(plans: list[Planned], result: CaseResult) -> str:
    for plan in plans:
        if plan.case == result.file:
            return plan.relative.rpartition("/")[0]
    return ""


def render_case(
    result: CaseResult, folder: str, drafts: frozenset[int] = frozenset()
) -> list[Planned]:
    """Each document of the case, in memory; those in `drafts` marked as drafts."""
    from arendegen.context import document_context
    from arendegen.packs import template_path
    from arendegen.render.docx import Properties, render_docx

    case, pack, computed = result.case, result.pack, result.computed
    assert case is not None and pack is not None and computed is not None
    plans = []
    for index, (doc, name) in enumerate(
        zip(case.handlingar, output_names(result, folder), strict=True)
    ):
        context = document_context(case, computed, pack, index)
        house = context["org"]["namn"] or ""
        by_name = pack.config.husregler.författare == "handläggare" and case.handläggare
        properties = Properties(
            title=context["dokument"]["titel"],
            # the diarienummer says what the document is about; without one, its kind
            subject=case.diarienummer or context["dokument"]["typ"],
            author=case.handläggare.namn if by_name and case.handläggare else house,
            keywords=case.diarienummer or "",
            date=case.date_of(doc),
            draft=DRAFT_MARK if index in drafts else None,
            first_page=pages.första if (pages := getattr(doc, "sidor", None)) else 1,
        )
        data = render_docx(template_path(pack, doc.typ), context, properties)
        plans.append(Planned(name, data, result.file, date=properties.date, draft=index in drafts))
    return plans


_DISK = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO}
"""Write failures of the output folder as a whole: they stop the build, not one case."""


def _write(
    plans: list[Planned],
    manifest: Manifest,
    report: BuildReport,
    keys: dict[str, dict[str, Any]],
    bases: Sequence[Path],
    kinds: set[str],
) -> None:
    """Write every planned output; a case with any output it may not replace writes none.

    Every new file is first written in full beside its place; the manifest then records
    them as pending, and only then are they renamed into place: a build killed (or out of
    disk) at any point leaves whole files that the next build knows as its own.
    """
    by_case = {r.file: r for r in report.results}
    identical = _check_targets(plans, manifest, by_case)
    _commit(_stage_all(plans, identical, manifest.folder, by_case), manifest, report, by_case)
    blocked = {r.file for r in report.results if r.errors}
    for plan in plans:
        if plan.case in blocked:
            continue
        if plan.source is not None:
            manifest.sources[plan.relative] = plan.source
        if plan.relative in identical:
            manifest.record(plan.relative, plan.data)
            report.unchanged.append(plan.relative)
    _record_cases(plans, manifest, report, keys, blocked, kinds)
    _remove_deleted_cases(manifest, report, bases)
    # A build of every case takes the parts of sharded builds into the manifest.
    if plans or report.removed or (manifest.parts and manifest.shard is None):
        try:
            manifest.save()
        except OSError as exc:
            raise InputError.unwritable(
                path=manifest.folder / MANIFEST, reason=reason(exc)
            ) from None
    elif manifest.learned:
        manifest.save_stats()


def _check_targets(
    plans: list[Planned], manifest: Manifest, by_case: dict[str, CaseResult]
) -> set[str]:
    """Report each output that may not be written (a link on its way, a file that is not
    ours); return those already holding exactly the planned bytes."""
    out = manifest.folder
    identical = set()
    for plan in plans:
        result = by_case[plan.case]
        try:
            target = inside(out, plan.relative)
        except PathError as exc:
            result.diagnostics.append(
                _error(result, f"{out / plan.relative} kan inte skrivas: {exc}", codes.CANNOT_WRITE)
            )
            continue
        if _holds(target, plan.data):
            identical.add(plan.relative)
        elif not manifest.owns(plan.relative):
            result.diagnostics.append(
                _error(
                    result,
                    f"{target} finns redan och är inte gjord av arendegen (eller har ändrats "
                    "sedan); flytta eller ta bort den, arendegen skriver inte över den",
                    codes.NOT_OURS,
                )
            )
    return identical


def _holds(target: Path, data: bytes) -> bool:
    """Whether `target` is a regular file holding exactly `data`."""
    try:
        return is_plain_file(target) and read_plain(target) == data
    except OSError:
        return False


Staged = list[tuple[Planned, Path, Path]]
"""Each output written to its temporary file: the plan, the temporary file, its place."""


def _stage_all(
    plans: list[Planned], identical: set[str], out: Path, by_case: dict[str, CaseResult]
) -> Staged:
    """Write each output of the cases without errors to a temporary file beside its place.

    A file that cannot be written is its case's error (and the case writes nothing); a full
    or read-only disk stops the build, leaving no temporary file behind.
    """
    blocked = {case for case, result in by_case.items() if result.errors}
    staged: Staged = []
    try:
        for plan in plans:
            if plan.case in blocked or plan.relative in identical:
                continue
            target = out / plan.relative
            try:
                staged.append((plan, stage(target, plan.data), target))
            except OSError as exc:
                why = reason(exc)
                if exc.errno in _DISK:
                    raise InputError.unwritable(path=target, reason=why) from None
                result = by_case[plan.case]
                result.diagnostics.append(
                    _error(result, f"{target} kan inte skrivas: {why}", codes.CANNOT_WRITE)
                )
                blocked.add(plan.case)
    except BaseException:
        for _, temporary, _ in staged:
            discard(temporary)
        raise
    for _, temporary, _ in (s for s in staged if s[0].case in blocked):
        discard(temporary)
    return [s for s in staged if s[0].case not in blocked]


def _commit(
    staged: Staged, manifest: Manifest, report: BuildReport, by_case: dict[str, CaseResult]
) -> None:
    """Record the staged files as pending in the manifest, then rename each into place."""
    if not staged:
        return
    try:
        manifest.save_pending({plan.relative: digest(plan.data) for plan, _, _ in staged})
    except OSError as exc:
        for _, temporary, _ in staged:
            discard(temporary)
        raise InputError.unwritable(path=manifest.folder / MANIFEST, reason=reason(exc)) from None
    remaining = list(reversed(staged))
    try:
        while remaining:
            plan, temporary, target = remaining.pop()
            try:
                os.replace(temporary, target)
            except OSError as exc:
                discard(temporary)
                result = by_case[plan.case]
                why = reason(exc)
                result.diagnostics.append(
                    _error(result, f"{target} kan inte skrivas: {why}", codes.CANNOT_WRITE)
                )
                continue
            manifest.record(plan.relative, plan.data)
            report.written.append(plan.relative)
    finally:
        for _, temporary, _ in remaining:
            discard(temporary)


def _record_cases(
    plans: list[Planned],
    manifest: Manifest,
    report: BuildReport,
    keys: dict[str, dict[str, Any]],
    blocked: set[str],
    kinds: set[str],
) -> None:
    """Remember what each rebuilt case made; remove what it made before and no longer does."""
    by_case: dict[str, list[str]] = {}
    for plan in plans:
        by_case.setdefault(plan.case, []).append(plan.relative)
    made = {plan.relative for plan in plans}
    # how many cases name each output: one another case still names is not stale (a rename)
    named = Counter(o for record in manifest.cases.values() for o in record["outputs"])
    for case, outputs in by_case.items():
        if case in blocked:
            continue
        case_id = _case_id(Path(case))
        old = manifest.cases.get(case_id, {}).get("outputs", [])
        kept = [
            o for o in old if _kind(o) not in kinds
        ]  # another format: not this build's to judge
        others = {o for o in old if named[o] > 1}  # also named by another case
        for stale in sorted(set(old) - set(outputs) - set(kept) - made - others):
            if manifest.remove(stale):
                report.removed.append(stale)
        manifest.cases[case_id] = {**keys[case], "outputs": sorted({*outputs, *kept})}


def _kind(relative: str) -> str:
    if relative.endswith("-handlingar.pdf"):
        return "bundle"
    return relative.rpartition(".")[2]


def _remove_deleted_cases(manifest: Manifest, report: BuildReport, bases: Sequence[Path]) -> None:
    """Remove the outputs of case files that no longer exist below the folders built."""
    roots = [base.resolve() for base in bases]
    shard = manifest.shard
    gone = []
    for case_id in sorted(manifest.cases):
        if shard is not None and not shard.holds(case_id):
            continue  # another part's case: that part's build judges it
        path = Path(case_id) if Path(case_id).is_absolute() else _anchor() / case_id
        if path.exists() or not any(path.resolve().is_relative_to(root) for root in roots):
            continue
        gone.append((case_id, manifest.cases.pop(case_id)["outputs"]))
    # a case renamed makes the same files under its new name: those are its, not the old's
    claimed = {o for record in manifest.cases.values() for o in record["outputs"]}
    for _case_id, outputs in gone:
        for output in outputs:
            if output not in claimed and manifest.remove(output):
                report.removed.append(output)


def _error(result: CaseResult, message: str, rule: Rule) -> Diagnostic:
    return diagnostic(rule, result.file, message)
