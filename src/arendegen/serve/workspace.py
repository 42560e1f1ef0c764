"""The case repository as `arendegen serve` sees it: its cases, and the ones open for editing.

Every file the browser names is a path relative to the repository, refused unless it is a
case file (.yaml/.yml) that lies inside the repository with its links resolved. An open
case is held as text: each edit of the form is applied to that text in place
(arendegen.editing), checked with the same code as `arendegen validate`, and written back
only when the person saves, atomically and never over a change made by someone else.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from arendegen import editing
from arendegen.diagnostics import Diagnostic, format_path, printable, sort_diagnostics
from arendegen.errors import ArendegenError, PathError
from arendegen.loader import MAX_DEPTH, MAX_FILE_BYTES, MAX_NODES, _Loader
from arendegen.paths import relative_parts, resolves_inside
from arendegen.results import CASE_SUFFIXES, CaseResult


class Refused(ArendegenError):
    """A request names something outside what the app may touch (answered 403/404)."""


@dataclass
class Buffer:
    """One case open for editing: the file as read, and the text as edited since."""

    opened: editing.Opened
    text: str
    where: Path
    """Where the file's path led when it was opened (links resolved): a save or a read that
    finds it leading elsewhere (a folder swapped for a link by a checkout) is refused."""
    version: int = 0
    """Counts the changes of `text`: a change sent from a tab that has not seen the latest
    one is refused rather than made on a text it did not show."""
    result: CaseResult | None = None
    checked: str | None = None
    """The text `result` was checked from."""
    lock: threading.RLock = field(default_factory=threading.RLock)

    @property
    def dirty(self) -> bool:
        return editing.digest(self.text) != self.opened.digest


@dataclass
class Workspace:
    """A case repository: where its cases, packs and outputs are."""

    root: Path
    templates: list[Path]
    out: Path
    pack: str | None = None
    cases: Path | None = None
    """The folder of the case files (`cases/`, else the repository): the only files the app
    reads as cases or writes."""
    buffers: dict[str, Buffer] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    _listed: dict[str, tuple[tuple[int, int], dict[str, Any]]] = field(default_factory=dict)
    _checking: bool = False

    @classmethod
    def at(cls, folder: Path) -> Workspace:
        """The repository at `folder`, with its settings (arendegen.yaml) when it has them."""
        from arendegen.repo import read_config

        root = folder.resolve()
        config = read_config(root)  # refuses `mallar`/`ut` that lead out of the repository
        templates = []
        if config is not None and config.mallar and (root / config.mallar).is_dir():
            templates.append(root / config.mallar)
        elif (root / "templates").is_dir():
            if not resolves_inside(root / "templates", root):
                raise Refused(
                    "templates är en länk som leder ut ur ärenderepot; mallarna används inte"
                )
            templates.append(root / "templates")
        out = root / (config.ut if config is not None else "output")
        cases = root / "cases" if (root / "cases").is_dir() else root
        if not resolves_inside(cases, root):
            raise Refused("cases är en länk som leder ut ur ärenderepot")
        return cls(root, templates, out, config.mall if config is not None else None, cases)

    # --- Which files --------------------------------------------------------------------

    def key(self, relative: str) -> str:
        """The browser's name for a case file, written one way ('cases//a/./b.yaml' is
        'cases/a/b.yaml'), and refused unless it names a case file inside the cases folder:
        a .yaml/.yml name of printable characters, no link leading out."""
        try:
            parts = relative_parts(relative)
        except PathError as exc:
            raise Refused(f"{printable(relative)}: {exc}") from None
        key = "/".join(parts)
        if len(parts) > 12:
            raise Refused(f"{printable(relative)}: ligger för djupt (högst 12 mappar)")
        if printable(key) != key:
            raise Refused(f"{printable(relative)}: namnet har tecken som inte syns")
        if PurePosixPath(key).suffix.lower() not in CASE_SUFFIXES:
            raise Refused(f"{printable(relative)}: är ingen ärendefil (.yaml)")
        cases = self.cases or self.root
        path = self.root / key
        if not resolves_inside(path, cases):
            raise Refused(f"{printable(relative)}: ligger inte i ärendemappen {cases.name}/")
        return key

    def case_path(self, relative: str) -> Path:
        """The case file the browser names (see `key`)."""
        return self.root / self.key(relative)

    def verify(self, relative: str, buffer: Buffer) -> Path:
        """The open case's path, refused when it now leads somewhere else than when opened."""
        path = self.case_path(relative)
        if path.resolve() != buffer.where:
            raise Refused(
                f"{printable(relative)}: sökvägen leder nu till en annan fil än när ärendet "
                "öppnades (en länk?); ingenting läses eller skrivs där"
            )
        return path

    def relative(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def case_files(self) -> list[Path]:
        from arendegen.results import case_files

        found, _refused = case_files([self.cases or self.root])
        return [path for path, _ in found if resolves_inside(path, self.root)]

    # --- The list of cases ------------------------------------------------------------------

    def listing(self, budget: float = 1.0) -> list[dict[str, Any]]:
        """Every case with what the list shows: organisation, year, title, diarienummer,
        its state (valid, warnings, errors) and when it was last built. A case is checked
        again only when its file changed; those not checked within `budget` seconds are
        listed by their file name, as 'kontrolleras', and checked by a thread meanwhile (a
        repository of thousands of cases lists at once, and fills in as the page asks again)."""
        from arendegen.output import Manifest

        manifest = Manifest.read(self.out) if self.out.is_dir() else None
        ends = time.monotonic() + budget
        rows, waiting = [], []
        for path in self.case_files():
            relative = self.relative(path)
            try:
                stat = path.stat()
            except OSError:
                continue
            stamp = (stat.st_mtime_ns, stat.st_size)
            known = self._listed.get(relative)
            if (known is None or known[0] != stamp) and time.monotonic() < ends:
                known = (stamp, _summary(self.check_file(path)))
                self._listed[relative] = known
            if known is None or known[0] != stamp:
                waiting.append((path, relative, stamp))
                summary: dict[str, Any] = {"titel": None, "tillstånd": "kontrolleras"}
            else:
                summary = known[1]
            row = dict(summary, fil=relative, byggd=self._built(manifest, relative))
            buffer = self.buffers.get(relative)
            row["osparad"] = bool(buffer and buffer.dirty)
            rows.append(row)
        if waiting:
            self._check_later(waiting)
        return rows

    def _check_later(self, waiting: list[tuple[Path, str, tuple[int, int]]]) -> None:
        """Check the cases the list could not wait for, in one thread at a time."""
        with self.lock:
            if self._checking:
                return
            self._checking = True

        def run() -> None:
            try:
                for path, relative, stamp in waiting:
                    self._listed[relative] = (stamp, _summary(self.check_file(path)))
            finally:
                self._checking = False

        threading.Thread(target=run, daemon=True, name="arendegen-lista").start()

    def _built(self, manifest: Any, relative: str) -> str | None:
        if manifest is None:
            return None
        outputs = manifest.cases.get(relative, {}).get("outputs") or []
        times = []
        for name in outputs:
            try:
                times.append((self.out / name).stat().st_mtime)
            except (OSError, ValueError):
                continue
        if not times:
            return None
        return dt.datetime.fromtimestamp(max(times)).strftime("%Y-%m-%d %H:%M")

    def check_file(self, path: Path) -> CaseResult:
        from arendegen.validate import check_file

        return check_file(path, templates=self.templates, render=False)  # as check() says

    # --- Editing ------------------------------------------------------------------------------

    def open(self, relative: str) -> Buffer:
        """The case open for editing (read now, or as it was left unsaved)."""
        key = self.key(relative)
        with self.lock:
            buffer = self.buffers.get(key)
            if buffer is not None:
                self.verify(key, buffer)
                return buffer
            path = self.root / key
            if not path.is_file():
                raise Refused(f"{printable(relative)}: finns inte")
            if path.stat().st_size > MAX_FILE_BYTES:
                raise Refused(
                    f"{printable(relative)}: är större än en ärendefil får vara "
                    f"({MAX_FILE_BYTES // 1024 // 1024} MB)"
                )
            try:
                opened = editing.open_case(path)
            except UnicodeDecodeError:
                raise Refused(f"{printable(relative)}: är inte UTF-8-text") from None
            buffer = Buffer(opened, opened.text, path.resolve())
            self.buffers[key] = buffer
            return buffer

    def forget(self, relative: str) -> None:
        with self.lock:
            self.buffers.pop(self.key(relative), None)

    def check(self, relative: str, buffer: Buffer) -> CaseResult:
        """The buffer's text checked as `arendegen validate` checks the file."""
        from arendegen.loader import load_bytes
        from arendegen.validate import check_loaded

        path = buffer.opened.path
        if buffer.result is None or buffer.checked != buffer.text:
            # not rendered here: a repository's own templates run only in the preview's
            # worker process, where a template that never ends is interrupted
            loaded = load_bytes(buffer.text.encode("utf-8"), file=str(path))
            result = check_loaded(loaded, self.templates, render=False)
            result.file = relative
            for index, d in enumerate(result.diagnostics):
                if d.file.endswith(path.name):
                    result.diagnostics[index] = _renamed(d, relative)
            buffer.result, buffer.checked = result, buffer.text
        return buffer.result

    def new_case(self, kind: str, relative: str) -> str:
        """A new case file from the kind's skeleton (as `arendegen new`), never over a file."""
        from arendegen.skeleton import write_skeleton

        path = self.case_path(relative)
        if not path.parent.resolve().is_relative_to(self.root):
            raise Refused(f"{printable(relative)}: leder ut ur ärenderepot")
        write_skeleton(kind, path, self.pack)
        return self.relative(path)


def _renamed(d: Diagnostic, relative: str) -> Diagnostic:
    return Diagnostic(relative, d.line, d.column, d.severity, d.path, d.message, d.code)


def _summary(result: CaseResult) -> dict[str, Any]:
    """What the list shows of a checked case."""
    case = result.case
    errors, warnings = len(result.errors), len(result.warnings)
    state = "fel" if errors or case is None else "varningar" if warnings else "giltig"
    if case is None:
        return {
            "titel": None,
            "organisation": None,
            "år": None,
            "diarienummer": None,
            "tillstånd": state,
            "fel": errors,
            "varningar": warnings,
        }
    dates = [d for d in (getattr(case, "datum", None),) if isinstance(d, dt.date)]
    return {
        "titel": str(case.titel) if case.titel else None,
        "organisation": str(case.organisation) if case.organisation else None,
        "år": dates[0].year if dates else None,
        "diarienummer": str(case.diarienummer) if case.diarienummer else None,
        "tillstånd": state,
        "fel": errors,
        "varningar": warnings,
        "handlingar": [doc.typ for doc in case.handlingar],
    }


def diagnostics_json(diagnostics: list[Diagnostic]) -> list[dict[str, Any]]:
    return [
        {
            "rad": d.line,
            "kolumn": d.column,
            "väg": d.path,
            "nivå": "fel" if d.is_error else "varning",
            "kod": d.code,
            "text": d.message,
            "som_validate": d.as_text(),
        }
        for d in sort_diagnostics(diagnostics)
    ]


# --- The text as a tree the form is drawn from ---------------------------------------------


def tree(text: str) -> Any:
    """The case text as the form reads it: each value as written (a date stays '2025-03-02',
    an amount '1 240'), mappings in the file's order. None when the text is not YAML, or is
    larger than a case file may be.

    A list or mapping that an alias repeats is shown once, where its anchor is; each repeat is
    an `alias` leaf (edited in the YAML view). So a few lines of aliases cannot expand into
    millions of fields, and one that contains itself ends."""
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        return None
    try:
        node = yaml.compose(text, Loader=_Loader)
    except (yaml.YAMLError, RecursionError):
        return None
    if node is None:
        return {"k": "map", "v": []}
    return _Tree().of(node, 0)


class _Tree:
    def __init__(self) -> None:
        self.seen: set[int] = set()
        self.left = MAX_NODES

    def of(self, node: yaml.Node, depth: int) -> dict[str, Any]:
        self.left -= 1
        if self.left < 0 or depth > MAX_DEPTH:
            return {"k": "alias"}
        if isinstance(node, yaml.MappingNode | yaml.SequenceNode):
            if id(node) in self.seen:
                return {"k": "alias"}
            self.seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            pairs = [
                [k.value, self.of(v, depth + 1)]
                for k, v in node.value
                if isinstance(k, yaml.ScalarNode)
            ]
            return {"k": "map", "v": pairs, "flow": bool(node.flow_style)}
        if isinstance(node, yaml.SequenceNode):
            items = [self.of(v, depth + 1) for v in node.value]
            return {"k": "list", "v": items, "flow": bool(node.flow_style)}
        assert isinstance(node, yaml.ScalarNode)
        if node.style is None and node.value in {"", "~", "null", "Null", "NULL"}:
            return {"k": "null"}
        return {"k": "str", "v": node.value}


def path_from(parts: list[Any]) -> tuple[str | int, ...]:
    """A key path from the browser (strings and whole numbers), checked."""
    out: list[str | int] = []
    for part in parts:
        if isinstance(part, bool) or not isinstance(part, str | int):
            raise Refused(f"ogiltig nyckelväg {printable(format_path(tuple(out)))}")
        out.append(part)
    return tuple(out)


def show_table(text: str, section: tuple[str | int, ...], table: str) -> str:
    """`text` with the table `table` shown after the section at `section`: added to its
    `tabeller`; a section written as one text becomes `text:` and `tabeller:`."""
    node = _at(tree(text), section)
    if node is None:
        raise editing.EditError(f"{format_path(section)}: avsnittet finns inte")
    if node["k"] in {"str", "null"}:
        value: dict[str, editing.Value] = {"tabeller": [table]}
        if node["k"] == "str":
            value = {"text": node["v"], **value}
        return editing.replace_value(text, section, value)
    if node["k"] != "map":
        raise editing.EditError(f"{format_path(section)}: är inget avsnitt")
    listed = dict(node["v"]).get("tabeller")
    if listed is None:
        return editing.add_key(text, section, "tabeller", [table])
    if listed["k"] == "list" and any(i.get("v") == table for i in listed["v"]):
        return text
    count = len(listed["v"]) if listed["k"] == "list" else 0
    return editing.insert_item(text, (*section, "tabeller"), count, table)


def _at(node: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        if node is None:
            return None
        if node["k"] == "map" and isinstance(part, str):
            node = dict(node["v"]).get(part)
        elif node["k"] == "list" and isinstance(part, int) and 0 <= part < len(node["v"]):
            node = node["v"][part]
        else:
            return None
    return node
