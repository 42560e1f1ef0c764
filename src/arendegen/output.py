"""Writing outputs: safe names, atomic replacement, and a manifest of what arendegen made.

arendegen only ever replaces a file that its manifest says it wrote and that nobody has
changed since; anything else in the output folder is left alone.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MANIFEST = ".arendegen-manifest.json"
_UNSAFE = re.compile(r"[^\w.\-]+")


def safe_name(text: str) -> str:
    """A file name part from case data: letters (å, ä, ö too), digits, '.', '-' and '_' only."""
    name = _UNSAFE.sub("-", text).strip("-._")
    return re.sub(r"-{2,}", "-", name)[:120] or "handling"


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that readers see the old file or the new one, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=".arendegen-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def remove_leftovers(folder: Path) -> list[Path]:
    """Delete temporary files an interrupted build left behind (killed mid-write)."""
    if not folder.is_dir():
        return []
    left = [p for p in folder.rglob(".arendegen-*.tmp") if p.is_file()]
    for path in left:
        with contextlib.suppress(OSError):
            path.unlink()
    return left


def _stats_file(folder: Path) -> Path:
    root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    name = hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:32]
    return Path(root) / "arendegen" / "outputs" / f"{name}.json"


def _read_stats(folder: Path, files: dict[str, str]) -> dict[str, tuple[int, int]]:
    """Sizes and times of the files recorded with the same hash as the manifest's."""
    try:
        raw = json.loads(_stats_file(folder).read_text(encoding="utf-8"))
        return {str(k): (int(v[0]), int(v[1])) for k, v in raw.items() if files.get(str(k)) == v[2]}
    except (OSError, ValueError, AttributeError, TypeError, IndexError):
        return {}


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

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        """The folder's manifest; a missing or damaged one counts as empty."""
        try:
            raw = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
            files = {str(k): str(v) for k, v in raw.get("files", {}).items()}
            sources = {str(k): str(v) for k, v in raw.get("sources", {}).items()}
            cases = {
                str(k): {
                    "inputs": str(v["inputs"]),
                    "outputs": [str(o) for o in v["outputs"]],
                    "pack": str(v.get("pack", "")),
                    "folder": str(v.get("folder", "")),
                    "attached": [str(a) for a in v.get("attached", [])],
                }
                for k, v in raw.get("cases", {}).items()
            }
        except (OSError, ValueError, AttributeError, KeyError, TypeError):
            files, sources, cases = {}, {}, {}
        return cls(folder, files, sources, cases, _read_stats(folder, files))

    def record(self, relative: str, data: bytes) -> None:
        """The file at `relative` now holds `data`, written (or found) by arendegen."""
        self.files[relative] = digest(data)
        stat = (self.folder / relative).stat()
        self.stats[relative] = (stat.st_size, stat.st_mtime_ns)
        self.learned = True

    def remove(self, relative: str) -> bool:
        """Delete an output if it is ours and unchanged; forget it either way."""
        path = self.folder / relative
        removed = False
        if path.is_file() and self.owns(relative):
            path.unlink()
            removed = True
        self.files.pop(relative, None)
        self.sources.pop(relative, None)
        self.stats.pop(relative, None)
        return removed

    def owns(self, relative: str) -> bool:
        """True when the file is ours and unchanged since we wrote it (or does not exist).

        A file whose size and modification time are those recorded when it was written is
        not read again (as git's index does); any other file is hashed.
        """
        path = self.folder / relative
        try:
            stat = path.stat()
        except OSError:
            return True  # no such file (writing there reports any other problem)
        expected = self.files.get(relative)
        if expected is None:
            return False
        signature = (stat.st_size, stat.st_mtime_ns)
        if self.stats.get(relative) == signature:
            return True
        if expected != digest(path.read_bytes()):
            return False
        self.stats[relative] = signature
        self.learned = True  # worth saving, so that the next build need not hash it
        return True

    def save(self) -> None:
        data = {
            "version": 1,
            "files": dict(sorted(self.files.items())),
            "sources": dict(sorted(self.sources.items())),
            "cases": dict(sorted(self.cases.items())),
        }
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        write_atomic(self.folder / MANIFEST, text.encode("utf-8"))
        self.save_stats()

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
