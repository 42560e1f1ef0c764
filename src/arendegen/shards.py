"""--shard K/N: a stable partition of the cases, so that N jobs build each case once.

A case's part is decided by its own name alone (the case id the manifest gives it: its path
relative to the folder that holds the output folder, the repository usually), so a case
stays in its part as others are added or removed; only a new N moves cases.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

MAX_SHARDS = 256
"""More parts than a CI matrix usefully runs (GitHub runs at most 256 jobs of one matrix)."""

_SHARD = re.compile(r"\s*(\d{1,4})\s*/\s*(\d{1,4})\s*")


def case_id(path: Path, anchor: Path) -> str:
    """A case file's name in the manifest: relative to `anchor` (the resolved folder that
    holds the output folder) where possible, so builds run from any working folder name a
    case alike; else its whole resolved path."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(anchor).as_posix()
    except ValueError:
        return resolved.as_posix()


def shard_of(case_id: str, count: int) -> int:
    """The part (1…count) a case id falls in: a hash of its name in NFC (macOS writes file
    names decomposed, Linux as typed), so every machine puts a case in the same part."""
    name = unicodedata.normalize("NFC", case_id).encode("utf-8", "surrogatepass")
    return int.from_bytes(hashlib.sha256(name).digest()[:8], "big") % count + 1


@dataclass(frozen=True)
class Shard:
    """Part `index` of `count`."""

    index: int
    count: int

    def holds(self, case_id: str) -> bool:
        """Whether the case of this id is built (and checked) in this part."""
        return shard_of(case_id, self.count) == self.index

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def parse_shard(text: str) -> Shard:
    """'2/4' → Shard(2, 4); ValueError, in Swedish, for anything else."""
    match = _SHARD.fullmatch(text)
    if match is not None:
        index, count = int(match[1]), int(match[2])
        if 1 <= index <= count <= MAX_SHARDS:
            return Shard(index, count)
    raise ValueError(
        f"'{text}' är ingen del; ange K/N, del K av N med 1 ≤ K ≤ N ≤ {MAX_SHARDS}, t.ex. 1/4"
    )
