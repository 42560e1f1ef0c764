"""Writing outputs: safe names, atomic replacement, and a manifest of what arendegen made.

arendegen only ever replaces a file that its manifest says it wrote and that nobody has
changed since; anything else in the output folder is left alone. The manifest lies in the
output folder, so it is untrusted input: every path in it is checked (paths.py) before use.
"""

from __future__ import annotations

import contextlib
import enum
import errno
import hashlib
import hmac
import json
import os
import re
import secrets
import stat
import sys
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from arendegen.errors import InputError, PathError, reason
from arendegen.paths import (
    crossing_links,
    inside,
    is_plain_file,
    read_plain,
    relative_parts,
    walk_files,
)
from arendegen.shards import MAX_SHARDS, Shard, shard_of

if sys.platform != "win32":
    import fcntl

MANIFEST = ".arendegen-manifest.json"
_PART = re.compile(r"\.arendegen-manifest\.shard-([1-9][0-9]{0,2})-of-([1-9][0-9]{0,2})\.json")
MANIFEST_PARTS = 1024
"""The most manifest parts (one per --shard K/N built here) read with the manifest; beyond
that the manifest is damaged. A matrix of N jobs leaves N parts; parts of another N stay
until a build without --shard (or merge-manifests) takes them into the manifest."""
MANIFEST_DIVISIONS = 8
"""The most different N among the parts read (a matrix changed from 4 to 8 jobs leaves two);
beyond that the manifest is damaged (each N costs one pass over every case)."""
LOCK = ".arendegen-lock"
RESERVED = ".arendegen"
"""Names in the output folder starting so are arendegen's own (manifest, lock, temporary
files): no output, and no folder on an output's way, may take one."""
NAME_BYTES = 100
"""The most UTF-8 bytes of one part of a file name (the case's or the document's): two parts,
a dash and the longest suffix arendegen adds stay well inside the 255 bytes file systems allow."""
MANIFEST_BYTES = 64 * 1024 * 1024
MANIFEST_NAMES = 500_000
"""Bounds on a manifest read, its parts counted with it (beyond them it is damaged: a warning, a full build, nothing
deleted). A case with two documents built as .docx and .pdf takes about 12 names and 750
bytes, so a repository of 10 000 cases (a large municipality's decisions over several years)
takes 120 000 names and 8 MB: 40 000 cases fit the names, 85 000 the bytes. Every name is
checked (and its folders looked at for links), about 10 µs a name: a manifest at the bound
costs some seconds and 400 MB once, as a save keeps only what belongs to a case."""
FORMATS = ("docx", "pdf", "odt")
"""The formats a document is made in: Word's, PDF and OpenDocument text (both from the .docx,
through LibreOffice)."""


def parse_formats(text: str) -> tuple[str, ...]:
    """'docx,pdf' → ('docx', 'pdf'); ValueError, in Swedish, for a word that is no format."""
    words = [w.strip().lower() for w in text.split(",")]
    unknown = [w for w in words if w not in FORMATS]
    if unknown or not words:
        listed = ", ".join(FORMATS)
        raise ValueError(f"'{text}' är inget format; ange ett eller flera av {listed}, med komma")
    return tuple(dict.fromkeys(words))


_UNSAFE = re.compile(r"[^\w.\-]+")
_TEMPORARY = re.compile(r"\.arendegen-([0-9a-f]{16})-([0-9a-f]{16})\.tmp")
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


def safe_name(text: str, *, max_bytes: int = NAME_BYTES) -> str:
    """A file name part from case data: letters (å, ä, ö too), digits, '.', '-' and '_' only,
    cut to `max_bytes` bytes of UTF-8 (file systems count bytes, not characters)."""
    name = _UNSAFE.sub("-", unicodedata.normalize("NFC", text)).strip("-._")
    name = re.sub(r"-{2,}", "-", name)
    name = name.encode("utf-8")[:max_bytes].decode("utf-8", "ignore").rstrip("-._")
    return name or "handling"


def reserved_part(relative: str) -> str | None:
    """The component of an output path that takes a name kept for arendegen's own files
    (compared as a file system that ignores case would), if one does."""
    return next((p for p in relative.split("/") if p.casefold().startswith(RESERVED)), None)


def could_be_output(relative: str) -> bool:
    """Whether a path is one arendegen could give an output: a .docx, .pdf or .odt file (a decision
    package is one), not hidden, in no folder of arendegen's own names. Only such files are
    ever deleted, whatever the manifest says."""
    last = relative.rpartition("/")[2]
    return (
        last.endswith((".docx", ".pdf", ".odt"))
        and not last.startswith(".")
        and reserved_part(relative) is None
    )


def same_name_key(relative: str) -> str:
    """What two names share when a file system that ignores case and Unicode normalisation
    (macOS, Windows) takes them for one file."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", relative).casefold())


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def cache_folder() -> Path:
    """arendegen's folder in the user's cache (outside every case repository)."""
    root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / "arendegen"


_KEY: list[bytes] = []


def _user_key() -> bytes:
    """The secret that marks a temporary file's name, and signs a manifest, as made by this
    user's arendegen.

    It is kept in the user's cache folder, which no repository can write, so neither can be
    forged in an output folder. Without a cache folder the key lives for this process only:
    leftovers of earlier builds are then left alone, and their manifests are not trusted.
    """
    if not _KEY:
        _KEY.append(_load_key(cache_folder() / "temporary-key"))
    return _KEY[0]


def _load_key(path: Path) -> bytes:
    with contextlib.suppress(OSError):
        key = path.read_bytes()
        if len(key) == 32:
            return key
    fresh = secrets.token_bytes(32)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        spare = path.with_name(f".temporary-key-{secrets.token_hex(8)}")
        fd = os.open(spare, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(fresh)
        try:
            os.link(spare, path)  # made only if no other build made it first
        except FileExistsError:
            if len(path.read_bytes()) != 32:
                os.replace(spare, path)  # a damaged key: replace it
        finally:
            spare.unlink(missing_ok=True)
        key = path.read_bytes()
    except OSError:
        return fresh
    return key if len(key) == 32 else fresh


def _mac(token: str) -> str:
    return hmac.new(_user_key(), token.encode("ascii"), hashlib.sha256).hexdigest()[:16]


def _signature(content: dict[str, Any], name: str = MANIFEST) -> str:
    """The manifest's signature: an HMAC, under this user's key, of its content written in
    one canonical way (keys sorted, ASCII, no spaces), so that reading and writing agree. A
    part's signature covers its file name too: a signed part copied to another part's name,
    or to the manifest's, does not verify there."""
    text = json.dumps(content, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    if name != MANIFEST:
        text = f"{name}\n{text}"
    key = hmac.new(_user_key(), b"arendegen manifest", hashlib.sha256).digest()
    return hmac.new(key, text.encode("ascii"), hashlib.sha256).hexdigest()


def _signed(raw: dict[str, Any], name: str = MANIFEST) -> bool:
    """Whether a manifest (without its signature, which this takes out) was written by this
    user's arendegen and not changed since. An empty one claims nothing."""
    signature = raw.pop("signature", None)
    if not raw:
        return True
    if not _is_digest(signature):
        return False
    try:
        return hmac.compare_digest(str(signature), _signature(raw, name))
    except (RecursionError, ValueError, TypeError):
        return False


def made_by_arendegen(name: str) -> bool:
    """Whether a file name is one of the temporary names this user's arendegen makes."""
    match = _TEMPORARY.fullmatch(name)
    return match is not None and hmac.compare_digest(match[2], _mac(match[1]))


def temporary_name() -> str:
    """A fresh temporary file name that `made_by_arendegen` recognises."""
    token = secrets.token_hex(8)
    return f".arendegen-{token}-{_mac(token)}.tmp"


def stage(path: Path, data: bytes) -> Path:
    """Write `data` to a new temporary file beside `path`, on disk (fsync); return its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.parent / temporary_name()
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o644)
    except BaseException:
        discard(temporary)
        raise
    return temporary


def discard(temporary: Path) -> None:
    """Remove a temporary file that will not be renamed into place."""
    with contextlib.suppress(OSError):
        os.unlink(temporary)


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that readers see the old file or the new one, never a part.

    `os.replace` replaces a link at `path` itself; it never writes through it.
    """
    temporary = stage(path, data)
    try:
        os.replace(temporary, path)
    except BaseException:
        discard(temporary)
        raise


def remove_leftovers(folder: Path) -> list[Path]:
    """Delete temporary files an interrupted build left behind (killed mid-write).

    Only names made by this user's arendegen are deleted, only regular files, and links to
    folders are not entered: a user's `.arendegen-notmine.tmp` stays. Call it holding the
    folder's lock, so that no running build's temporary file is taken for a leftover.
    """
    left = []
    files, _ = walk_files(folder)  # iterative and bounded in depth; links are not entered
    for path in files:
        if made_by_arendegen(path.name) and is_plain_file(path):
            with contextlib.suppress(OSError):
                path.unlink()
                left.append(path)
    return left


@contextlib.contextmanager
def locked(
    folder: Path, *, wait: float, waiting: Callable[[Path], None] | None = None
) -> Iterator[None]:
    """Hold the output folder's lock while a build reads and writes there.

    A second build into the same folder waits (telling `waiting` once) up to `wait` seconds,
    then gives up with a clear error. The lock file is never opened through a link, and is
    removed again (with the folder, if this build made it and left it empty): a build that
    writes nothing leaves nothing behind.
    """
    made = _make_folder(folder)
    fd = _lock(folder, time.monotonic() + wait, wait, waiting)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(folder / LOCK)  # a build waiting for it notices and takes a new one
        for empty in made:
            with contextlib.suppress(OSError):
                empty.rmdir()
        os.close(fd)


def _make_folder(folder: Path) -> list[Path]:
    """Make `folder` and its missing parents; return those made, innermost first."""
    made = [p for p in (folder, *folder.parents) if not p.exists()]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError.unwritable(path=folder, reason=reason(exc)) from None
    return made


def _lock(
    folder: Path, deadline: float, wait: float, waiting: Callable[[Path], None] | None
) -> int:
    """Open and lock the folder's lock file; a file removed while waiting is opened anew."""
    lock = folder / LOCK
    while True:
        try:
            folder.mkdir(parents=True, exist_ok=True)  # the holder may have removed it
        except OSError as exc:
            raise InputError.unwritable(path=folder, reason=reason(exc)) from None
        _refuse_odd(lock, "låsfil")
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT | _NOFOLLOW, 0o644)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise PathError.link(path=lock) from None
            if exc.errno in (errno.EISDIR, errno.ENXIO):
                raise InputError.unwritable(path=lock, reason=_odd("låsfil", dir=True)) from None
            raise InputError.unwritable(path=lock, reason=reason(exc)) from None
        try:
            _acquire(fd, folder, deadline, wait, waiting)
            if _same_file(fd, lock):
                return fd
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)
        waiting = None  # said once is enough


def _odd(what: str, *, dir: bool) -> str:
    found = "en mapp" if dir else "något som inte är en vanlig fil"
    return f"{found} ligger där arendegen har sin {what}; ta bort den"


def _refuse_odd(path: Path, what: str) -> None:
    """A clear error, naming the file, when one of arendegen's own files (the lock, the
    manifest) is a folder or a special file that it could never replace."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise InputError.unwritable(path=path, reason=reason(exc)) from None
    if not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
        raise InputError.unwritable(path=path, reason=_odd(what, dir=stat.S_ISDIR(mode)))


def _same_file(fd: int, path: Path) -> bool:
    try:
        found, held = os.lstat(path), os.fstat(fd)
    except OSError:
        return False
    return (found.st_dev, found.st_ino) == (held.st_dev, held.st_ino)


def _acquire(
    fd: int, folder: Path, deadline: float, wait: float, waiting: Callable[[Path], None] | None
) -> None:
    if sys.platform == "win32":
        return  # no flock; builds into one folder at a time are then the user's care
    told = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise InputError.busy(folder=folder, seconds=wait) from None
        if not told and waiting is not None:
            waiting(folder)
        told = True
        time.sleep(0.1)


def _stats_file(folder: Path) -> Path:
    name = hashlib.sha256(os.fsencode(folder.resolve())).hexdigest()[:32]
    return cache_folder() / "outputs" / f"{name}.json"


def _read_stats(folder: Path) -> dict[str, tuple[int, int, str]]:
    """Each file's size, time and hash as this user's arendegen last saw them."""
    try:
        raw = json.loads(_stats_file(folder).read_text(encoding="utf-8"))
        return {str(k): (int(v[0]), int(v[1]), str(v[2])) for k, v in raw.items()}
    except (OSError, ValueError, AttributeError, TypeError, IndexError, RecursionError):
        return {}


class _State(enum.Enum):
    MISSING = "missing"
    OURS = "ours"
    FOREIGN = "foreign"


class Damaged(Exception):
    """The manifest on disk cannot be trusted, for the reason given."""


@dataclass
class Manifest:
    """Which files in an output folder arendegen wrote, with the hash of each."""

    folder: Path
    files: dict[str, str] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    """For a derived file (a PDF): the key of what it was made from (source hash and options)."""
    cases: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Per case file: the hash of everything its outputs were made from, and those outputs."""
    stats: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Each file's size and modification time (ns) when it was last known to be ours; kept
    in the user's cache folder, so that an unchanged file need not be hashed again."""
    learned: bool = False
    pending: dict[str, str] = field(default_factory=dict)
    """The hashes of files being written, saved before they are renamed into place: a build
    killed (or out of disk) before the manifest is saved again still knows them as ours."""
    damaged: str | None = None
    """Why the manifest on disk was not trusted; then this build deletes nothing."""
    signed: bool = True
    """Whether the manifest on disk carries this user's signature (or there was none): one
    that does not (changed by hand or by a pull request, or made on another machine, such
    as a CI runner with a fresh cache) skips no case and deletes nothing. With parts: whether
    the manifest and every part carry it."""
    shard: Shard | None = None
    """The part of the cases this build makes (--shard K/N). Trusted, it saves only those
    cases and their files, in a manifest part of its own; the manifest and the other parts
    stay as they are, and no other part's case is deleted. Not trusted, it saves the whole
    manifest as a build without --shard does (with nothing to vouch for, the parts are not
    kept apart)."""
    parts: list[str] = field(default_factory=list)
    """The manifest parts read with the manifest (file names in the output folder)."""
    generation: int = 0
    """The highest generation read: each save writes one more, so that of a case named in
    the manifest and in a part (or in two parts), the record saved last is the one read."""
    keep: bool = False
    """Keep the cases and sources of a manifest that is not trusted (for merge-manifests,
    which then writes it unsigned): never for a build."""
    _own: set[str] = field(default_factory=set)
    """Names a part keeps besides its cases' outputs: those its own file listed, and those
    this build wrote or found."""
    _others: set[str] | None = None

    @property
    def trusted(self) -> bool:
        """Whether the manifest's word is taken to skip a case or delete a file."""
        return self.signed and self.damaged is None

    @classmethod
    def read(cls, folder: Path, *, shard: Shard | None = None, keep: bool = False) -> Manifest:
        """The folder's manifest, with its parts; a missing one counts as empty.

        A damaged one (not JSON, wrongly shaped, or naming a path that leaves the folder or
        passes through a link) gives a full build that deletes nothing: its cases are
        forgotten, and its files whose paths are sound stay known as ours, as do those this
        user's arendegen remembers, so the build can still replace its own outputs. A sound
        one without this user's signature is treated the same, without a warning. A part
        that is damaged or unsigned makes the whole so.
        """
        seen = _read_stats(folder)
        problems: list[str] = []
        pieces = _pieces(folder, problems)
        manifest = cls(folder, signed=all(p.signed for p in pieces), shard=shard, keep=keep)
        manifest.parts = [p.name for p in pieces if p.name != MANIFEST]
        manifest.generation = max((p.generation for p in pieces), default=0)
        _merge(manifest, pieces)
        if shard is not None:
            own = part_name(shard)
            manifest._own = {n for p in pieces if p.name == own for n in (*p.files, *p.pending)}
        manifest._drop_linked(problems)
        if problems:
            manifest.damaged = problems[0]
        if not manifest.trusted and not keep:
            manifest.sources, manifest.cases = {}, {}
            for name, (_, _, hashed) in seen.items():
                sound = _output_problem(name) is None and not crossing_links(folder, [name])
                # What this user's arendegen wrote is ours, whatever the manifest says.
                if sound and manifest.files.setdefault(name, hashed) != hashed:
                    manifest.pending[name] = hashed
        manifest.stats = {k: (s, t) for k, (s, t, h) in seen.items() if manifest.files.get(k) == h}
        return manifest

    def _drop_linked(self, problems: list[str]) -> None:
        """Forget every entry whose path passes through a link in the output folder."""
        names = {*self.files, *self.pending, *self.sources}
        names.update(o for record in self.cases.values() for o in record["outputs"])
        linked = crossing_links(self.folder, names)
        if not linked:
            return
        problems += [str(problem) for problem in linked.values()]
        for table in (self.files, self.pending, self.sources):
            for name in linked.keys() & table.keys():
                del table[name]

    def record(self, relative: str, data: bytes) -> None:
        """The file at `relative` now holds `data`, written (or found) by arendegen."""
        self.files[relative] = digest(data)
        self.pending.pop(relative, None)
        self._own.add(relative)
        stat_result = os.lstat(self.folder / relative)
        self.stats[relative] = (stat_result.st_size, stat_result.st_mtime_ns)
        self.learned = True

    def remove(self, relative: str) -> bool:
        """Delete an output if it is ours and unchanged; forget it either way.

        With a damaged or unsigned manifest nothing is deleted, nor forgotten.
        """
        if not self.trusted or relative in self._outputs_of_others():
            return False
        removed = False
        ours = could_be_output(relative) and _reachable(self.folder, relative)
        if ours and self.intact(relative):
            with contextlib.suppress(OSError):
                os.unlink(self.folder / relative)
                removed = True
        for table in (self.files, self.sources, self.stats, self.pending):
            table.pop(relative, None)
        return removed

    def _outputs_of_others(self) -> set[str]:
        """The outputs of the cases of the other parts (none without --shard): never this
        build's to delete, whatever its own cases say."""
        if self._others is None:
            shard = self.shard
            self._others = {
                o
                for case, record in self.cases.items()
                if shard is not None and not shard.holds(case)
                for o in record["outputs"]
            }
        return self._others

    def intact(self, relative: str) -> bool:
        """True when the file exists as a regular file, is ours and is unchanged.

        Only for names read from the manifest, whose way from the output folder was checked
        for links when it was read.
        """
        return self._state(relative) is _State.OURS

    def owns(self, relative: str) -> bool:
        """True when the file is ours and unchanged since we wrote it (or does not exist)."""
        return self._state(relative) is not _State.FOREIGN

    def _state(self, relative: str) -> _State:
        """Whether the file is missing, ours and unchanged, or anything else.

        A file whose size and modification time are those recorded when it was written is
        not read again (as git's index does); any other file is hashed. A link, a folder or
        anything but a regular file is never ours.
        """
        path = self.folder / relative
        try:
            found = os.lstat(path)
        except OSError:
            return _State.MISSING  # (writing there reports any other problem)
        expected, pending = self.files.get(relative), self.pending.get(relative)
        if not stat.S_ISREG(found.st_mode) or (expected is None and pending is None):
            return _State.FOREIGN
        signature = (found.st_size, found.st_mtime_ns)
        if expected is not None and self.stats.get(relative) == signature:
            return _State.OURS
        try:
            actual = digest(read_plain(path))
        except OSError:
            return _State.FOREIGN
        if actual not in (expected, pending):
            return _State.FOREIGN
        self.files[relative] = actual  # a pending file that did reach its place is ours
        self.pending.pop(relative, None)
        self.stats[relative] = signature
        self.learned = True  # worth saving, so that the next build need not hash it
        return _State.OURS

    def save_pending(self, hashes: dict[str, str]) -> None:
        """Record the files about to be renamed into place, before they are."""
        self.pending.update(hashes)
        self._own.update(hashes)
        self._write()

    def save(self) -> None:
        self._settle()
        self._prune()
        self._write()
        self.save_stats()

    def _prune(self) -> None:
        """Forget files no case records as its output, unless they are there (an unsigned
        manifest's files, kept so a later build may replace them): names a manifest brought
        in that lead nowhere are not carried from build to build."""
        outputs = {o for record in self.cases.values() for o in record["outputs"]}
        folder = os.fspath(self.folder)
        for name in [n for n in self.files if n not in outputs]:
            try:
                there = stat.S_ISREG(os.lstat(os.path.join(folder, name)).st_mode)
            except OSError:
                there = False
            if not there:
                del self.files[name]
        self.sources = {k: v for k, v in self.sources.items() if k in self.files}

    def _settle(self) -> None:
        """Pending files left by an interrupted build: ours if they reached their place."""
        for relative, hashed in sorted(self.pending.items()):
            del self.pending[relative]
            try:
                path = inside(self.folder, relative)
                if is_plain_file(path) and digest(read_plain(path)) == hashed:
                    self.files[relative] = hashed
            except (PathError, OSError):
                continue

    def _write(self) -> None:
        """Save the manifest (signed when trusted, or when a build made it), or this build's
        part; a saved manifest takes in every part, which are then removed."""
        part = self.shard is not None and self.trusted
        files, sources, cases, pending = self._content(own_part=part)
        data: dict[str, Any] = {
            "version": 2,
            "generation": self.generation + 1,
            "files": dict(sorted(files.items())),
            "sources": dict(sorted(sources.items())),
            "cases": dict(sorted(cases.items())),
            "pending": dict(sorted(pending.items())),
        }
        name = part_name(self.shard) if part and self.shard is not None else MANIFEST
        if not self.keep or self.trusted:  # merge-manifests vouches for nothing it cannot
            data["signature"] = _signature(data, name)
        # ASCII escapes: any name at all can be written (a lone surrogate from an odd file
        # name would stop a UTF-8 encoder, and with it every later build).
        text = json.dumps(data, ensure_ascii=True, indent=2) + "\n"
        write_atomic(self.folder / name, text.encode("ascii"))
        if name == MANIFEST:
            self._remove_parts()

    def _content(
        self, *, own_part: bool
    ) -> tuple[dict[str, str], dict[str, str], dict[str, dict[str, Any]], dict[str, str]]:
        """Files, sources, cases and pending files to save: all, or this part's own."""
        if not own_part or self.shard is None:
            return self.files, self.sources, self.cases, self.pending
        shard = self.shard
        cases = {c: r for c, r in self.cases.items() if shard.holds(c)}
        keep = {o for record in cases.values() for o in record["outputs"]} | self._own
        return (
            {k: v for k, v in self.files.items() if k in keep},
            {k: v for k, v in self.sources.items() if k in keep},
            cases,
            {k: v for k, v in self.pending.items() if k in keep},
        )

    def _remove_parts(self) -> None:
        """Remove the parts read, now in the manifest: regular files of a part's name only
        (a link is removed itself, never what it leads to)."""
        for name in self.parts:
            with contextlib.suppress(OSError):
                mode = os.lstat(self.folder / name).st_mode
                if stat.S_ISREG(mode) or stat.S_ISLNK(mode):
                    os.unlink(self.folder / name)
        self.parts = []

    def save_stats(self) -> None:
        """Remember the files' sizes and times, outside the output folder (they differ from
        build to build, and the folder's contents should not)."""
        stats = {
            k: [size, mtime, self.files[k]]
            for k, (size, mtime) in sorted(self.stats.items())
            if k in self.files
        }
        with contextlib.suppress(OSError):
            write_atomic(_stats_file(self.folder), json.dumps(stats).encode("utf-8"))


@dataclass
class Merged:
    """What merge_manifests did."""

    parts: list[str]
    """The parts taken into the manifest (and removed)."""
    signed: bool
    """Whether the manifest written is signed: only when every part verified here."""
    damaged: str | None
    clashes: list[tuple[str, str, str]]
    """Outputs two cases claim (parts built apart cannot see each other): name, both cases."""


def merge_manifests(
    folder: Path, *, wait: float = 600.0, waiting: Callable[[Path], None] | None = None
) -> Merged:
    """Take the manifest parts of sharded builds into the folder's one manifest.

    It signs the manifest only when the manifest and every part verify under this user's
    key (built on this machine); otherwise it writes it unsigned, so that nothing made
    elsewhere is vouched for here: the next build then skips no case and deletes nothing,
    as with the parts themselves."""
    if not folder.is_dir():
        raise InputError.not_found(path=folder)
    with locked(folder, wait=wait, waiting=waiting):
        manifest = Manifest.read(folder, keep=True)
        merged = Merged(list(manifest.parts), manifest.trusted, manifest.damaged, [])
        merged.clashes = _clashes(manifest.cases)
        if manifest.parts:
            manifest._settle()
            manifest._prune()
            manifest._write()
            if manifest.trusted:
                manifest.save_stats()
    return merged


def _clashes(cases: dict[str, dict[str, Any]]) -> list[tuple[str, str, str]]:
    """Each output that two cases name (as a file system ignoring case would compare)."""
    seen: dict[str, str] = {}
    clashes = []
    for case, record in sorted(cases.items()):
        for output in record["outputs"]:
            other = seen.setdefault(same_name_key(output), case)
            if other != case:
                clashes.append((output, other, case))
    return clashes


def _count(raw: dict[str, Any]) -> int:
    """How many names a manifest's JSON holds, counted before any is checked."""
    tables = [raw.get(key) for key in ("files", "pending", "sources", "cases")]
    count = sum(len(table) for table in tables if isinstance(table, dict))
    cases = raw.get("cases")
    for record in cases.values() if isinstance(cases, dict) else ():
        if isinstance(record, dict):
            count += sum(
                len(v) for k in ("outputs", "attached") if isinstance(v := record.get(k), list)
            )
    return count


def _reachable(folder: Path, relative: str) -> bool:
    """Whether `relative` leads to a place in `folder` without passing through a link."""
    try:
        inside(folder, relative)
    except PathError:
        return False
    return True


def part_name(shard: Shard) -> str:
    """The file name of the manifest part that a build of --shard K/N saves."""
    return f".arendegen-manifest.shard-{shard.index}-of-{shard.count}.json"


def _part_shard(name: str) -> Shard | None:
    """The part a manifest part's file name is for, if it is one's name."""
    match = _PART.fullmatch(name)
    if match is None or not 1 <= int(match[1]) <= int(match[2]) <= MAX_SHARDS:
        return None
    return Shard(int(match[1]), int(match[2]))


@dataclass
class _Piece:
    """The manifest or one of its parts, as read and checked."""

    name: str
    shard: Shard | None
    signed: bool = True
    generation: int = 0
    files: dict[str, str] = field(default_factory=dict)
    pending: dict[str, str] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    cases: dict[str, dict[str, Any]] = field(default_factory=dict)


def _pieces(folder: Path, problems: list[str]) -> list[_Piece]:
    """The manifest and its parts, each checked; the bounds hold for all of them together.

    A piece that is damaged counts as unsigned and empty (its problem is added)."""
    names = [MANIFEST, *_part_names(folder, problems)]
    pieces, budget, count = [], MANIFEST_BYTES, 0
    for name in names:
        piece = _Piece(name, _part_shard(name))
        pieces.append(piece)
        try:
            raw, size = _load(folder, name, budget)
        except Damaged as exc:
            problems.append(str(exc) if name == MANIFEST else f"{name}: {exc}")
            piece.signed = False
            continue
        budget -= size
        count += _count(raw)
        if count > MANIFEST_NAMES:
            problems.append(f"fler än {MANIFEST_NAMES:_} namn".replace("_", " "))
            piece.signed = False
            continue
        _fill(piece, raw, problems)
    return pieces


def _part_names(folder: Path, problems: list[str]) -> list[str]:
    """The names of the manifest parts in the output folder (its own level only), sorted."""
    try:
        with os.scandir(folder) as entries:
            names = sorted(e.name for e in entries if _part_shard(e.name) is not None)
    except OSError:
        return []
    if len(names) > MANIFEST_PARTS:
        problems.append(f"fler än {MANIFEST_PARTS} delar")
        names = names[:MANIFEST_PARTS]
    counts = sorted({shard.count for n in names if (shard := _part_shard(n)) is not None})
    if len(counts) > MANIFEST_DIVISIONS:  # each N costs a pass over every case when merged
        problems.append(f"delar av fler än {MANIFEST_DIVISIONS} olika indelningar (N)")
        kept = set(counts[:MANIFEST_DIVISIONS])
        names = [n for n in names if (shard := _part_shard(n)) is not None and shard.count in kept]
    return names


def _fill(piece: _Piece, raw: dict[str, Any], problems: list[str]) -> None:
    """Check a piece's JSON and keep its sound entries in `piece`."""
    piece.signed = _signed(raw, piece.name)
    found: list[str] = []
    generation = raw.get("generation", 0)
    if not isinstance(generation, int) or not 0 <= generation < 2**53:
        found.append("'generation' är inget heltal")
        generation = 0
    piece.generation = generation
    piece.files = _entries(raw, "files", found)
    piece.pending = _entries(raw, "pending", found)
    piece.sources = _entries(raw, "sources", found)
    piece.cases = _cases(raw, found)
    shard = piece.shard
    for case in [c for c in piece.cases if shard is not None and not shard.holds(c)]:
        found.append(f"ärendet '{shown(case)}' hör inte till del {shard}")
        del piece.cases[case]
    problems += found if piece.name == MANIFEST else [f"{piece.name}: {p}" for p in found]


def _merge(manifest: Manifest, pieces: list[_Piece]) -> None:
    """Take the pieces into `manifest`, the last saved last: the manifest speaks for every
    case, a part K/N for the cases of part K of N, what it does not name included (a case
    it deleted). A file two pieces name with different hashes is ours in either version
    (the other is kept as pending), so a build that stopped between saving the manifest and
    removing the parts leaves no file that looks foreign.

    The cases are indexed by their part once per N, so a piece costs the cases it names
    and drops, not a pass over every case (a thousand parts of a large manifest took a
    minute)."""
    index: dict[int, dict[int, set[str]]] = {}

    def by_part(count: int) -> dict[int, set[str]]:
        if count not in index:
            table: dict[int, set[str]] = {}
            for case in manifest.cases:
                table.setdefault(shard_of(case, count), set()).add(case)
            index[count] = table
        return index[count]

    for piece in sorted(pieces, key=lambda p: (p.generation, p.name != MANIFEST, p.name)):
        shard = piece.shard
        if shard is None:
            manifest.cases = {}
            index.clear()
        else:
            for case in by_part(shard.count).pop(shard.index, set()):
                manifest.cases.pop(case, None)  # an index entry may be stale: dropped before
        for case, record in piece.cases.items():
            manifest.cases[case] = record
            for count, table in index.items():
                table.setdefault(shard_of(case, count), set()).add(case)
        for name, hashed in piece.files.items():
            before = manifest.files.get(name)
            if before is not None and before != hashed:
                manifest.pending.setdefault(name, before)
            manifest.files[name] = hashed
        manifest.pending.update(piece.pending)
        manifest.sources.update(piece.sources)


def _load(folder: Path, name: str, budget: int) -> tuple[dict[str, Any], int]:
    """The JSON object of the manifest (or of the part `name`), or an empty one when there
    is none, and its size; at most `budget` bytes are read."""
    path = folder / name
    if os.path.isdir(path) and not os.path.islink(path):  # it could never be saved again
        raise InputError.unwritable(path=path, reason=_odd("förteckning", dir=True))
    try:
        inside(folder, name)
        # Not blocking: a named pipe in the manifest's place must not hang the build.
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
        with open(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise Damaged("ingen vanlig fil")
            data = handle.read(budget + 1)
    except FileNotFoundError:
        return {}, 0
    except (OSError, PathError) as exc:
        raise Damaged(f"kan inte läsas: {exc}") from None
    if len(data) > budget:
        raise Damaged(f"större än {MANIFEST_BYTES // (1024 * 1024)} MiB")
    try:
        raw = json.loads(data.decode("utf-8"))
    except RecursionError:
        raise Damaged("för djupt nästlad") from None
    except ValueError:
        raise Damaged("ingen giltig JSON") from None
    if not isinstance(raw, dict):
        raise Damaged("ingen JSON-tabell")
    return raw, len(data)


def shown(text: str) -> str:
    """Text from the manifest as it can be printed: a lone surrogate (valid JSON, no valid
    UTF-8) and a NUL are shown as escapes instead of stopping the printing."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8").replace("\0", "\\x00")


def _text_problem(text: object) -> str | None:
    """Why a text from the manifest could not be a name or value arendegen wrote, if not.

    arendegen never writes a lone surrogate or a NUL (it refuses case files whose names are
    not UTF-8), and either would stop the build where the text meets the file system or an
    encoder."""
    if not isinstance(text, str):
        return f"{text!r} är ingen text"
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError:
        return f"'{shown(text)}' är inte giltig UTF-8"
    if "\0" in text:
        return f"'{shown(text)}' innehåller ett nolltecken"
    if size > _PATH_BYTES or any(len(p.encode()) > _PART_BYTES for p in text.split("/")):
        return f"'{shown(text[:100])}…' är längre än en sökväg kan vara"
    return None


def _path_problem(name: object) -> str | None:
    """Why a name from the manifest is no sound path inside the output folder, if it is not."""
    if not isinstance(name, str):
        return f"{name!r} är ingen sökväg"
    text = _text_problem(name)
    if text is not None:
        return text
    try:
        parts = relative_parts(name)
    except PathError as exc:
        return str(exc)
    if "/".join(parts) != name:
        return f"'{name}' är ingen enkel sökväg"
    return None


def _entries(raw: dict[str, Any], key: str, problems: list[str]) -> dict[str, str]:
    """The manifest's table `key` of path → text; entries with unsound paths are left out."""
    table = raw.get(key, {})
    if not isinstance(table, dict):
        problems.append(f"'{key}' är ingen tabell")
        return {}
    kept = {}
    valid = _is_digest if key in ("files", "pending") else _is_text
    for name, value in table.items():
        problem = _output_problem(name) or (
            None if valid(value) else f"'{name}' har inget giltigt värde"
        )
        if problem is None:
            kept[name] = value
        else:
            problems.append(problem)
    return kept


def _output_problem(name: object) -> str | None:
    """Why a name from the manifest cannot be an output arendegen wrote, if it cannot."""
    problem = _path_problem(name)
    if problem is None and not could_be_output(str(name)):
        return f"'{name}' är inget namn som arendegen ger en handling"
    return problem


_DIGEST = re.compile(r"[0-9a-f]{64}")
_PART_BYTES = 255
_PATH_BYTES = 4096
"""What file systems take (a name, a whole path): a longer text in the manifest is nothing
arendegen wrote, and would stop the build with "File name too long" where it is looked up."""


def _is_digest(value: object) -> bool:
    return isinstance(value, str) and _DIGEST.fullmatch(value) is not None


def _is_text(value: object) -> bool:
    return _text_problem(value) is None


def _cases(raw: dict[str, Any], problems: list[str]) -> dict[str, dict[str, Any]]:
    """The manifest's record of each case; a record that is not sound is left out."""
    table = raw.get("cases", {})
    if not isinstance(table, dict):
        problems.append("'cases' är ingen tabell")
        return {}
    kept = {}
    for case, record in table.items():
        try:
            problem = _text_problem(case)
            if problem is not None:
                raise Damaged(problem)
            kept[case] = _case_record(record)
        except Damaged as exc:
            problems.append(f"ärendet '{shown(case)}': {exc}")
    return kept


def _case_record(record: Any) -> dict[str, Any]:
    if not isinstance(record, dict):
        raise Damaged("ingen tabell")
    texts = {k: record.get(k, "") for k in ("inputs", "pack", "folder")}
    lists = {k: record.get(k, []) for k in ("outputs", "attached")}
    if (
        not _is_digest(texts["inputs"])
        or not all(_is_text(v) for v in texts.values())
        or not all(isinstance(v, list) for v in lists.values())
    ):
        raise Damaged("fel form")
    for name in lists["attached"]:
        problem = _path_problem(name)
        if problem is not None:
            raise Damaged(problem)
    for name in lists["outputs"]:
        problem = _output_problem(name)
        if problem is not None:
            raise Damaged(problem)
    return {**texts, **lists}
