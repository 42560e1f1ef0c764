"""The two versions `arendegen diff` compares: two files, two folders, or the case files of
a git repository at two revisions.

The repository is untrusted (a pull request's): revisions are checked before git sees them,
git is run without a shell and with `--` before paths, paths must lie inside the repository,
and a file is read only when it is no larger than the loader accepts.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Sequence
from pathlib import Path

from arendegen import codes
from arendegen.diagnostics import Diagnostic, Rule, Severity, printable
from arendegen.errors import InputError, UsageError
from arendegen.loader import MAX_FILE_BYTES, load_bytes
from arendegen.results import CASE_SUFFIXES, CaseResult, find_case_files
from arendegen.review import Review, Side, diff_sides

MAX_CASE_FILES = 10_000
"""Most case files one side of a diff may hold."""
GIT_TIMEOUT = 120
"""Seconds one git command may take."""


def diff_files(old: Path, new: Path, *, templates: Sequence[Path] = ()) -> Review:
    """Compare two case files, or the case files of two folders (paired by their path
    below the folder)."""
    if old.is_dir() and new.is_dir():
        before = {p.relative_to(old).as_posix(): p for p in find_case_files([old])}
        after = {p.relative_to(new).as_posix(): p for p in find_case_files([new])}
        names = sorted({*before, *after})
        cases = [
            diff_sides(
                name,
                _read_file(before[name], templates) if name in before else None,
                _read_file(after[name], templates) if name in after else None,
            )
            for name in names
        ]
        return Review(printable(old), printable(new), cases)
    for path in (old, new):
        if not path.exists():
            raise InputError.not_found(path=path)
        if path.is_dir():
            raise UsageError(
                f"{printable(path)} är en mapp; jämför två filer eller två mappar, "
                "eller två revisioner med --git"
            )
    name = printable(new) if old.name == new.name else f"{printable(old)} → {printable(new)}"
    case = diff_sides(name, _read_file(old, templates), _read_file(new, templates))
    return Review(printable(old), printable(new), [case])


def _read_file(path: Path, templates: Sequence[Path]) -> Side:
    try:
        size = path.stat().st_size
        raw = path.read_bytes() if size <= MAX_FILE_BYTES else None
    except OSError as exc:
        from arendegen.errors import reason

        raise InputError.unreadable(path=path, reason=reason(exc)) from None
    return _side(printable(path), raw, size, templates)


def _side(
    name: str, raw: bytes | None, size: int, templates: Sequence[Path], problem: str = ""
) -> Side:
    """Check one version of a case file given as bytes (None: too large, or `problem`)."""
    from arendegen.validate import check_loaded

    if raw is None:
        message = problem or f"filen är {size} byte; gränsen är {MAX_FILE_BYTES} byte"
        rule = codes.FILE_UNREADABLE if problem else codes.FILE_TOO_LARGE
        return Side(CaseResult(name, diagnostics=[_error(name, message, rule)]))
    loaded = load_bytes(raw, file=name)
    digest = hashlib.sha256(raw).hexdigest()
    return Side(check_loaded(loaded, templates, render=False), loaded.data, digest)


def _error(name: str, message: str, rule: Rule) -> Diagnostic:
    return Diagnostic(name, 1, 1, Severity.ERROR, "", message, rule.code)


# --- git ------------------------------------------------------------------------------------


def diff_revisions(
    old: str, new: str, paths: Sequence[Path] = (), *, templates: Sequence[Path] = ()
) -> Review:
    """Compare the case files below `paths` (default: cases/) at two git revisions of the
    repository the working folder is in."""
    top = _toplevel()
    commits = [_commit(top, revision) for revision in (old, new)]
    specs = [_inside(top, path) for path in (paths or [Path("cases")])]
    before, after = (_tree(top, commit, specs) for commit in commits)
    if not before and not after:
        shown = ", ".join(printable(p) for p in (paths or [Path("cases")]))
        raise UsageError(f"inga ärendefiler (.yaml) under {shown} i {old} eller {new}")
    here = Path.cwd()
    cases = []
    for name in sorted({*before, *after}):
        a, b = before.get(name), after.get(name)
        if a is not None and b is not None and a[0] == b[0]:
            continue  # the same bytes: nothing can differ
        shown = printable(os.path.relpath(top / name, here))
        cases.append(
            diff_sides(
                shown,
                _blob(top, shown, a, templates) if a else None,
                _blob(top, shown, b, templates) if b else None,
            )
        )
    compared = {name for name in {*before, *after} if before.get(name) != after.get(name)}
    others = [
        printable(os.path.relpath(top / name, here))
        for name in _changed(top, commits)
        if name not in compared
    ]
    return Review(f"{old} ({commits[0][:7]})", f"{new} ({commits[1][:7]})", cases, others)


MAX_OTHERS = 1000
"""Other changed files listed at most (a reviewer reads the list; a bigger change says so)."""


def _changed(top: Path, commits: list[str]) -> list[str]:
    """Every path that differs between the commits, as git's tree comparison finds them (no
    renames, no content filters: names only)."""
    done = _git(top, "diff-tree", "-r", "-z", "--name-only", "--no-renames", *commits)
    if done.returncode != 0:
        return []
    names = [os.fsdecode(n) for n in done.stdout.split(b"\0") if n]
    if len(names) > MAX_OTHERS:
        return [*names[:MAX_OTHERS], f"… och {len(names) - MAX_OTHERS} filer till"]
    return names


def _git(top: Path | None, *args: str) -> subprocess.CompletedProcess[bytes]:
    """Run git (no shell), its pathspecs taken literally, never prompting."""
    env = {**os.environ, "GIT_LITERAL_PATHSPECS": "1", "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    command = ["git", "-c", "core.fsmonitor=false"]
    if top is not None:
        command += ["-C", str(top)]
    try:
        return subprocess.run(
            [*command, *args], capture_output=True, env=env, timeout=GIT_TIMEOUT, check=False
        )
    except FileNotFoundError:
        raise UsageError("git finns inte på datorn; --git behöver git") from None
    except subprocess.TimeoutExpired:
        raise InputError(f"git svarade inte inom {GIT_TIMEOUT} s ({args[0]})") from None


def _toplevel() -> Path:
    done = _git(None, "rev-parse", "--show-toplevel")
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UsageError(
            "arbetsmappen ligger inte i ett git-repo som går att läsa; --git jämför revisioner "
            f"i ett (git: {printable(said[0] if said else done.returncode)})"
        )
    return Path(os.fsdecode(done.stdout.rstrip(b"\n")))


def _commit(top: Path, revision: str) -> str:
    """The commit a revision names; a name git could read as an option is refused."""
    if not revision or revision.startswith("-") or any(ord(c) < 32 for c in revision):
        raise UsageError(
            f"'{printable(revision)}' är ingen revision (t.ex. main, HEAD~1, en commit)"
        )
    done = _git(
        top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}"
    )
    if done.returncode != 0:
        raise UsageError(f"revisionen '{printable(revision)}' finns inte i repot")
    return done.stdout.decode("ascii").strip()


def _inside(top: Path, path: Path) -> str:
    """A path named on the command line, relative to the repository's top; refused when it
    leads out of the repository."""
    target = Path(os.path.normpath(Path.cwd() / path))
    try:
        relative = target.relative_to(os.path.normpath(top.resolve()))
    except ValueError:
        try:
            relative = target.resolve().relative_to(top.resolve())
        except ValueError:
            raise UsageError(
                f"{printable(path)} ligger utanför git-repot {printable(top)}"
            ) from None
    return relative.as_posix() if relative.parts else "."


Blob = tuple[str, int]
"""A file in a revision: its object id and size."""


def _tree(top: Path, commit: str, specs: Sequence[str]) -> dict[str, Blob]:
    """The case files (.yaml, .yml) below `specs` in a commit; links and submodules left out."""
    done = _git(top, "ls-tree", "-r", "-z", "--long", "--full-tree", commit, "--", *specs)
    if done.returncode != 0:
        raise InputError(
            f"git ls-tree misslyckades: {printable(done.stderr.decode('utf-8', 'replace').strip())}"
        )
    files: dict[str, Blob] = {}
    for record in done.stdout.split(b"\0"):
        if not record:
            continue
        meta, _, raw_name = record.partition(b"\t")
        mode, kind, object_id, size = meta.split()
        name = os.fsdecode(raw_name)
        if kind != b"blob" or mode == b"120000" or not name.lower().endswith(CASE_SUFFIXES):
            continue
        files[name] = (object_id.decode("ascii"), int(size))
        if len(files) > MAX_CASE_FILES:
            raise UsageError(
                f"fler än {MAX_CASE_FILES} ärendefiler i {commit[:7]}; ange färre mappar"
            )
    return files


def _blob(top: Path, name: str, blob: Blob, templates: Sequence[Path]) -> Side:
    object_id, size = blob
    if size > MAX_FILE_BYTES:
        return _side(name, None, size, templates)
    done = _git(top, "cat-file", "blob", object_id)
    if done.returncode != 0:
        return _side(name, None, size, templates, "filen kan inte läsas ur git")
    if len(done.stdout) > MAX_FILE_BYTES:
        return _side(name, None, len(done.stdout), templates)
    return _side(name, done.stdout, size, templates)
