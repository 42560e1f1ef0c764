"""The one boundary for paths that come from untrusted input: a case, a pack, the settings
file or the output manifest.

Everything in a case repository is untrusted (CI builds whatever a pull request holds), so
each such path is resolved here against the folder it must stay in. Two rules:

- for writing and deleting (`inside`): a relative path with no '..', and no component below
  the folder that is a link; links are never followed, wherever they lead;
- for reading (`inside(..., links=True)`, `resolves_inside`): links are allowed when the
  whole path, links resolved, stays in the folder (as for attached files).

The folder itself comes from the person running the command (the command line) or has been
checked by these rules before, so its own components may be links.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path, PurePath

from arendegen.errors import PathError


def relative_parts(relative: str | PurePath) -> tuple[str, ...]:
    """The components of a relative path; an absolute path, '..' or an empty one is refused."""
    text = str(relative)
    # Plain string work: a manifest of thousands of names is checked on every build.
    if os.path.isabs(text) or os.path.splitdrive(text)[0]:
        raise PathError.absolute(path=text)
    parts = tuple(part for part in text.replace(os.sep, "/").split("/") if part not in ("", "."))
    if ".." in parts:
        raise PathError.parent(path=text)
    if not parts or "\0" in text:
        raise PathError.empty(path=text)
    return parts


def inside(root: Path, relative: str | PurePath, *, links: bool = False) -> Path:
    """`root / relative`, refused (PathError) unless it stays in `root`.

    Without `links`, no existing component below `root` may be a link (each is checked with
    lstat; the components that do not exist yet are made as plain folders by the writer).
    With `links`, links are followed, and the path they lead to must lie inside `root`.
    """
    parts = relative_parts(relative)
    if links:
        try:
            target = root.joinpath(*parts).resolve()
            inner = target.is_relative_to(root.resolve())
        except (OSError, RuntimeError):  # RuntimeError: a link loop (Python 3.11)
            raise PathError.unresolvable(path=str(relative)) from None
        if not inner:
            raise PathError.outside(path=str(relative), target=target, root=root)
        return root.joinpath(*parts)
    here = root
    for part in parts:
        parent, here = here, here / part
        try:
            mode = os.lstat(here).st_mode
        except FileNotFoundError:
            break  # the rest does not exist yet: there is no link to follow
        except NotADirectoryError:
            raise PathError.not_a_folder(path=parent) from None
        if stat.S_ISLNK(mode):
            raise PathError.link(path=here)
    return root.joinpath(*parts)


def resolves_inside(path: Path, root: Path) -> bool:
    """Whether `path`, links resolved, lies inside `root` (links resolved too); a link loop
    lies nowhere."""
    try:
        return path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):
        return False


def is_plain_file(path: Path) -> bool:
    """Whether `path` is a regular file itself, not a link to one."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def read_plain(path: Path) -> bytes:
    """The bytes of a regular file, refusing to open it through a link at its last component."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as handle:
        return handle.read()


def crossing_links(root: Path, names: Iterable[str]) -> dict[str, PathError]:
    """Of relative names already checked by `relative_parts`, those whose path below `root`
    passes through a link (or through a file where a folder should be).

    Each folder is looked at once, so checking a manifest of many files stays cheap.
    """
    seen: dict[str, PathError | None] = {}
    found: dict[str, PathError] = {}
    for name in names:
        prefix = ""
        for part in name.split("/"):
            parent, prefix = prefix, f"{prefix}/{part}" if prefix else part
            if prefix not in seen:
                seen[prefix] = _link_at(root, parent, prefix)
            problem = seen[prefix]
            if problem is not None:
                found[name] = problem
                break
    return found


def _link_at(root: Path, parent: str, prefix: str) -> PathError | None:
    try:
        mode = os.lstat(os.path.join(root, prefix)).st_mode
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        return PathError.not_a_folder(path=root / parent)
    return PathError.link(path=root / prefix) if stat.S_ISLNK(mode) else None


def repository_root(case_file: Path) -> Path:
    """The folder a case's files must stay in: the working folder if the case is in it."""
    here = Path.cwd().resolve()
    resolved = case_file.resolve()
    return here if resolved.is_relative_to(here) else resolved.parent


MAX_DEPTH = 64
"""Folder levels walked below a folder named: Python's own walk recurses, and a repository
of 1 000 nested folders (which git stores without complaint) would end it in a RecursionError."""


def walk_files(root: Path, *, max_depth: int = MAX_DEPTH) -> tuple[list[Path], list[Path]]:
    """Every file below `root` (a link to a file included, links to folders not entered), in
    sorted order, and the folders that were not walked: deeper than `max_depth`, or
    unreadable. Iterative, so no depth of folders can exhaust Python's stack."""
    files: list[Path] = []
    skipped: list[Path] = []
    stack: list[tuple[Path, int]] = [(root, 0)]
    while stack:
        folder, depth = stack.pop()
        if depth > max_depth:
            skipped.append(folder)
            continue
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    path = folder / entry.name
                    try:
                        if entry.is_dir(follow_symlinks=False):
                            stack.append((path, depth + 1))
                        elif entry.is_file():
                            files.append(path)
                    except OSError:  # a link that loops: listed, for its caller to refuse by
                        # name, rather than losing the folder's other files with it
                        if entry.is_symlink():
                            files.append(path)
        except OSError:
            skipped.append(folder)
    return sorted(files), sorted(skipped)
