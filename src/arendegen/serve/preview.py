"""The preview beside the form: the real pipeline, kept warm.

A checked case → its documents as .docx (the pack's Word template, as a build makes them) →
one document's PDF by a LibreOffice kept running for the session (render.warm), or by the
batch converter when that cannot start → its pages as JPEG pictures (poppler's pdftoppm),
which any browser shows. (JPEG, not PNG: measured on a 3-page document, pdftoppm took
0.30 s to write PNG pages and 0.12 s to write JPEG, more than the warm conversion itself.) Each preview is kept under the digest of the text it was made
from, so the browser fetches pages and downloads of exactly what it was shown.

A case of the repository's own pack is rendered in a worker process, in whose main thread
the sandbox's alarm interrupts a template that never ends (in the server's threads only the
output and work bounds hold); a worker that still does not answer is killed. The built-in
packs, arendegen's own tested templates, render in the server's thread.

One preview is made at a time. A request for a text that is no longer the newest one when
its turn comes is answered 'superseded' without converting, so a person typing quickly
waits for the last edit only.
"""

from __future__ import annotations

import hashlib
import subprocess
import tempfile
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from arendegen.errors import ArendegenError
from arendegen.results import CaseResult

RESOLUTION = 96
"""Dots per inch of the preview's pages: an A4 page is 794 × 1123 pixels."""
QUALITY = 85
MAX_PAGES = 60
"""Pages shown of one document; a longer one shows these and says so."""
KEPT = 24
"""Previews kept for the browser to fetch (pages and downloads), the newest ones."""
PAGE_TIMEOUT = 30.0


class PreviewError(ArendegenError):
    """A preview could not be made; the message says why, in Swedish."""


@dataclass(frozen=True)
class Preview:
    """One document of a case as shown: its name, its pages as JPEG, its DOCX and PDF."""

    key: str
    name: str
    docx: bytes
    pdf: bytes
    pages: list[bytes]
    total_pages: int
    seconds: float
    converter: str


@dataclass
class Previewer:
    """Makes previews one at a time, with a LibreOffice kept warm for the session."""

    kept: OrderedDict[str, Preview] = field(default_factory=OrderedDict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    newest: dict[str, str] = field(default_factory=dict)
    """Per case, the key of the newest preview asked for."""
    _office: Any = None
    _warm_failed: str | None = None
    _pool: Any = None
    render_seconds: float | None = None
    """A template's time in the worker process (None: the sandbox's own bound)."""

    def start(self) -> None:
        """Start LibreOffice now, so that the first preview is as quick as the others (a
        start that fails is tried again at the first preview)."""
        from arendegen.render.warm import Unavailable

        office = self._warm()
        if office is not None:
            try:
                office.start()
            except Unavailable as exc:
                self._give_up(str(exc))
            except ArendegenError:
                pass

    def _give_up(self, why: str) -> None:
        self._warm_failed = f"{why}; förhandsvisningen startar LibreOffice för varje ändring"
        if self._office is not None:
            self._office.close()
            self._office = None

    def close(self) -> None:
        if self._office is not None:
            self._office.close()
            self._office = None
        self._stop_pool()

    def _warm(self) -> Any:
        if self._office is None and self._warm_failed is None:
            try:
                from arendegen.render.warm import WarmOffice, available
            except ImportError as exc:
                self._warm_failed = f"ingen varm LibreOffice ({exc})"
                return None
            if not available():
                self._give_up("LibreOffice:s Python-gränssnitt (Debians python3-uno) saknas")
                return None
            self._office = WarmOffice()
        return self._office

    def get(self, key: str) -> Preview | None:
        with self.lock:
            return self.kept.get(key)

    def preview(
        self,
        case: str,
        result: CaseResult,
        text: str,
        document: int,
        source: tuple[Path, tuple[Path, ...]] = (Path("ärende.yaml"), ()),
    ) -> Preview | None:
        """The preview of document `document` of the checked case, or None when a newer text
        of the same case was asked for while this one waited. `source`: the case file's path
        and the template folders, for a worker process to check the text again."""
        key = _key(case, text, document)
        self.newest[case] = key
        with self.lock:
            if key in self.kept:
                self.kept.move_to_end(key)
                return self.kept[key]
            if self.newest.get(case) != key:
                return None
            started = time.perf_counter()
            made = self._make(key, result, document, (text, *source))
            made = Preview(**{**made.__dict__, "seconds": time.perf_counter() - started})
            self.kept[key] = made
            while len(self.kept) > KEPT:
                self.kept.popitem(last=False)
            return made

    def _make(self, key: str, result: CaseResult, document: int, job: Job) -> Preview:
        from arendegen.packs import is_builtin

        if result.case is None or result.errors:
            raise PreviewError("ärendet har fel; rätta dem så visas handlingen igen")
        if not 0 <= document < len(result.case.handlingar):
            raise PreviewError(f"ärendet har ingen handling nummer {document + 1}")
        if result.pack is not None and is_builtin(result.pack):
            name, docx, date, draft = render_one(result, document)
        else:
            name, docx, date, draft = self._render_elsewhere((*job, document, self.render_seconds))
        pdf, converter = self._pdf(docx, date, archive=not draft)
        pages, total = pictures(pdf)
        return Preview(key, name, docx, pdf, pages, total, 0.0, converter)

    def _render_elsewhere(self, job: WorkerJob) -> Rendered:
        from concurrent.futures import TimeoutError as Late
        from concurrent.futures.process import BrokenProcessPool

        from arendegen.render.sandbox import RENDER_SECONDS

        if self._pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            context = multiprocessing.get_context("spawn")  # not a fork of a threaded server
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=context)
        try:
            bound = (self.render_seconds or RENDER_SECONDS) * 3 + 20
            return self._pool.submit(_render_job, job).result(timeout=bound)  # type: ignore[no-any-return]
        except Late:
            self._stop_pool()
            raise PreviewError("mallen svarade inte och avbröts") from None
        except BrokenProcessPool:
            self._stop_pool()
            raise PreviewError("mallen fick arbetsprocessen att avslutas") from None

    def _stop_pool(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            for process in list(getattr(pool, "_processes", {}).values()):
                process.kill()
            pool.shutdown(wait=False, cancel_futures=True)

    def _pdf(self, docx: bytes, date: Any, *, archive: bool) -> tuple[bytes, str]:
        office = self._warm()
        if office is not None:
            from arendegen.render.pdf import ConversionError
            from arendegen.render.warm import Unavailable

            try:
                return office.convert(docx, date, archive=archive), "varm"
            except Unavailable as exc:
                self._give_up(str(exc))
            except ConversionError as exc:
                raise PreviewError(f"ingen PDF: {exc}") from None
        from arendegen.render.pdf import Job, convert

        done = convert([Job("förhandsvisning", docx, date)], archive=archive, workers=1)[0]
        if done.pdf is None:
            raise PreviewError(f"ingen PDF: {done.problem}")
        return done.pdf, "kall"

    @property
    def note(self) -> str | None:
        """Why the preview is slower than it should be, when it is."""
        return self._warm_failed


Job = tuple[str, Path, tuple[Path, ...]]
"""A case's text, its file's path and the template folders."""
WorkerJob = tuple[str, Path, tuple[Path, ...], int, float | None]
"""A job and the document to render, with the template's time bound."""
Rendered = tuple[str, bytes, Any, bool]
"""A document's file name, its .docx, its date and whether it is a draft."""


def render_one(result: CaseResult, document: int) -> Rendered:
    """One document of a checked case, as a build renders it (a template's problem is a
    PreviewError with the build's words)."""
    from arendegen.pipeline import _render_checked, drafts_of, output_names

    plans, problem = _render_checked(result, "", drafts_of(result))
    if problem is not None:
        raise PreviewError(problem.message)
    plan = plans[document]
    name = output_names(result, "")[document].rpartition("/")[2]
    return name, plan.data, plan.date, plan.draft


def _render_job(job: WorkerJob) -> Rendered:
    """In the worker process: check the text again, then render (its main thread's alarm
    bounds a template's time)."""
    from arendegen.loader import load_bytes
    from arendegen.render import sandbox
    from arendegen.validate import check_loaded

    text, path, templates, document, seconds = job
    if seconds is not None:
        sandbox.RENDER_SECONDS = seconds
    result = check_loaded(load_bytes(text.encode("utf-8"), file=str(path)), templates, render=False)
    if result.case is None or result.errors:
        raise PreviewError("ärendet har fel; rätta dem så visas handlingen igen")
    return render_one(result, document)


def _key(case: str, text: str, document: int) -> str:
    digest = hashlib.sha256(f"{case}\0{document}\0{text}".encode()).hexdigest()
    return digest[:32]


def pictures(pdf: bytes) -> tuple[list[bytes], int]:
    """The PDF's pages as JPEG (at most MAX_PAGES), and how many pages it has."""
    from arendegen.render.pdf import page_count

    total = page_count(pdf, MAX_PAGES * 10)
    with tempfile.TemporaryDirectory(prefix="arendegen-preview-") as work:
        source = Path(work) / "d.pdf"
        source.write_bytes(pdf)
        command = ["pdftoppm", "-jpeg", "-jpegopt", f"quality={QUALITY}", "-r", str(RESOLUTION)]
        command += ["-l", str(MAX_PAGES)]
        try:
            subprocess.run(
                [*command, str(source), str(Path(work) / "p")],
                check=True,
                capture_output=True,
                timeout=PAGE_TIMEOUT,
            )
        except FileNotFoundError:
            raise PreviewError("pdftoppm saknas; installera poppler-utils") from None
        except (subprocess.SubprocessError, OSError) as exc:
            raise PreviewError(f"sidorna kunde inte visas: {exc}") from None
        files = sorted(Path(work).glob("p-*.jpg"), key=lambda p: int(p.stem.rpartition("-")[2]))
        return [f.read_bytes() for f in files], total
