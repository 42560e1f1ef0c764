""".docx → PDF (or OpenDocument text) through LibreOffice, the only module that runs it for a
build (render/warm.py keeps one running for the live preview, with the same options and bytes).

Documents are converted in batches, one headless `soffice` per batch (at most BATCH_SIZE
documents) with a profile of its own, as many batches at once as `jobs`. A batch that hangs
or crashes is killed with its whole process group; the documents without a PDF are tried
once more, then each alone, so one bad document is reported and the others still converted.
The PDFs are then made reproducible (dates and /ID from the case, not the clock) with pikepdf,
in as many processes as `jobs`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import html
import io
import json
import os
import re
import shutil
import signal
import struct
import subprocess
import tempfile
import zipfile
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from arendegen.errors import ArendegenError

if TYPE_CHECKING:
    from arendegen.render.remote import Pool

ARCHIVE_OPTIONS = {
    "SelectPdfVersion": {"type": "long", "value": "2"},  # PDF/A-2b
    "UseTaggedPDF": {"type": "boolean", "value": "true"},
    "PDFUACompliance": {"type": "boolean", "value": "true"},
}
PLAIN_OPTIONS = {"UseTaggedPDF": {"type": "boolean", "value": "true"}}
BATCH_SIZE = 200
"""Documents per `soffice` call. LibreOffice (7.4, Debian's) silently ignores the files after
about the 247th argument and still exits 0; measured here: 700 files given, 246 converted."""
STARTUP_GRACE = 20.0
"""Seconds a batch may take beyond its per-document time, for LibreOffice to start."""
INSTALL = "sudo apt-get install --no-install-recommends libreoffice-writer-nogui fonts-liberation fonts-crosextra-carlito"


class ConversionError(ArendegenError):
    """LibreOffice could not convert a document."""


@dataclass(frozen=True)
class Job:
    """One document to convert: its .docx bytes and what its PDF should say about itself."""

    key: str
    docx: bytes
    date: dt.date | None


@dataclass(frozen=True)
class Converted:
    """The outcome for one job: the PDF bytes, or why there are none."""

    key: str
    pdf: bytes | None
    problem: str | None = None


def soffice() -> str:
    """The LibreOffice program to run (ARENDEGEN_SOFFICE overrides, for other installs)."""
    program = (
        os.environ.get("ARENDEGEN_SOFFICE")
        or shutil.which("soffice")
        or shutil.which("libreoffice")
    )
    if not program or shutil.which(program) is None:  # checked here: run through unshare,
        # a missing program would only show as unshare's failure
        raise ConversionError(f"LibreOffice saknas; installera det med: {INSTALL}")
    return program


ODT = "odt:writer8"
"""LibreOffice's filter for OpenDocument text."""


def convert(
    jobs: Sequence[Job],
    *,
    archive: bool = True,
    workers: int = 2,
    timeout_per_document: float = 30.0,
    target: str = "pdf",
    pool: Pool | None = None,
) -> list[Converted]:
    """Convert every job to `target` ("pdf", or "odt" for OpenDocument text); the result keeps
    the jobs' order. (`Converted.pdf` holds the converted bytes either way.) With `pool`, PDFs
    are made by its unoserver instances (render/remote.py) instead of local batches; the
    options and the fix-up are the same, and so are the bytes. ODT is made locally even then:
    unoserver opens a document with a view, whose size and place LibreOffice writes into the
    .odt's settings.xml, so its .odt would not be the local bytes."""
    if not jobs:
        return []
    options = ARCHIVE_OPTIONS if archive else PLAIN_OPTIONS
    if pool is not None and target == "pdf":
        from arendegen.render.remote import convert_raw, request_for

        converted = convert_raw(pool, jobs, request_for(options), timeout_per_document)
    else:
        converted = _local(jobs, target, options, workers, timeout_per_document)
    if target == "odt":
        return [_fix_odt(c, job) for c, job in zip(converted, jobs, strict=True)]
    return _fix_up(converted, jobs, workers)


def _local(
    jobs: Sequence[Job],
    target: str,
    options: dict[str, dict[str, str]],
    workers: int,
    timeout_per_document: float,
) -> list[Converted]:
    """The jobs converted by local LibreOffice batches, `workers` at once, not yet fixed up."""
    program = soffice()
    conversion = ODT if target == "odt" else "pdf:writer_pdf_Export:" + json.dumps(options)
    batches = [list(jobs[i::workers]) for i in range(min(workers, len(jobs)))]
    with ThreadPoolExecutor(max_workers=len(batches)) as threads:
        done = threads.map(lambda b: _batch(program, b, conversion, timeout_per_document), batches)
        by_key = {c.key: c for result in done for c in result}
    return [by_key[job.key] for job in jobs]


def _fix_odt(converted: Converted, job: Job) -> Converted:
    from arendegen.render.odf import reproducible_odt

    if converted.pdf is None:
        return converted
    try:
        return Converted(converted.key, reproducible_odt(converted.pdf, job.date))
    except (ValueError, KeyError, zipfile.BadZipFile) as exc:
        return Converted(converted.key, None, f"LibreOffice gav en trasig ODT-fil: {exc}")


def _fix_up(converted: list[Converted], jobs: Sequence[Job], workers: int) -> list[Converted]:
    """LibreOffice's PDFs made reproducible, in `workers` processes: pikepdf holds Python's
    lock, so two threads fixing PDFs at once were slower than one (8.7 vs 6.2 ms a PDF;
    two processes 3.3 ms)."""
    work = [(c.pdf, job.date, job.docx) for c, job in zip(converted, jobs, strict=True) if c.pdf]
    if workers > 1 and len(work) >= 2 * workers:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            fixed = iter(list(pool.map(_fix_one, work, chunksize=max(1, len(work) // workers))))
    else:
        fixed = iter([_fix_one(item) for item in work])
    results = []
    for c in converted:
        if c.pdf is None:
            results.append(c)
        else:
            pdf, problem = next(fixed)
            results.append(Converted(c.key, pdf, problem))
    return results


def _fix_one(item: tuple[bytes, dt.date | None, bytes]) -> tuple[bytes | None, str | None]:
    data, date, source = item
    try:
        return reproducible_pdf(data, date, source), None
    except Exception as exc:  # pikepdf raises its own kinds for a damaged file
        return None, f"LibreOffice gav en trasig PDF: {exc}"


def _batch(program: str, jobs: list[Job], conversion: str, timeout: float) -> list[Converted]:
    """One worker's documents, converted BATCH_SIZE at a time."""
    settled: dict[str, Converted] = {}
    for start in range(0, len(jobs), BATCH_SIZE):
        settled.update(_settle(program, jobs[start : start + BATCH_SIZE], conversion, timeout))
    return [settled[job.key] for job in jobs]


def _settle(program: str, jobs: list[Job], conversion: str, timeout: float) -> dict[str, Converted]:
    """Convert the jobs; those without a PDF are tried once more together, then each alone,
    so that one document LibreOffice cannot read costs only its own PDF."""
    settled: dict[str, Converted] = {}
    pending = jobs
    for _attempt in range(2):
        results, _ = _run(program, pending, conversion, timeout * len(pending) + STARTUP_GRACE)
        settled.update((r.key, r) for r in results)
        pending = [job for job in pending if settled[job.key].pdf is None]
        if not pending:
            return settled
    if len(pending) > 1:
        for job in pending:
            settled.update(_settle(program, [job], conversion, timeout))
    return settled


def _run(
    program: str, jobs: list[Job], conversion: str, timeout: float
) -> tuple[list[Converted], str | None]:
    with tempfile.TemporaryDirectory(prefix="arendegen-lo-") as work:
        root = Path(work)
        (root / "in").mkdir()
        names = {}
        for index, job in enumerate(jobs):
            name = f"d{index:05d}"
            (root / "in" / f"{name}.docx").write_bytes(job.docx)
            names[job.key] = name
        command = [
            *offline(),
            program,
            f"-env:UserInstallation={(root / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            conversion,
            "--outdir",
            str(root / "out"),
            *(str(root / "in" / f"{names[j.key]}.docx") for j in jobs),
        ]
        failure = _execute(command, timeout)
        results = []
        for job in jobs:
            pdf_path = root / "out" / f"{names[job.key]}.{conversion.split(':')[0]}"
            if pdf_path.is_file() and pdf_path.stat().st_size > 0:
                results.append(Converted(job.key, pdf_path.read_bytes()))  # fixed up later
            else:
                problem = failure or "LibreOffice kunde inte konvertera dokumentet"
                results.append(Converted(job.key, None, problem))
        return results, failure


@functools.cache
def offline() -> tuple[str, ...]:
    """What runs LibreOffice without a network, where the machine allows it: `unshare --net`
    (util-linux) gives it a network namespace of its own, with nothing in it.

    Defence in depth behind render/package.py: a picture or link in a document that makes
    LibreOffice fetch a web address cannot reach the CI runner's network (its services, its
    cloud's metadata address). Where namespaces are not allowed (no privilege), LibreOffice
    runs as before and the package check is the only guard; ARENDEGEN_NETWORK=1 keeps the
    network on purpose.
    """
    if os.environ.get("ARENDEGEN_NETWORK") == "1":
        return ()
    unshare = shutil.which("unshare")
    if unshare is None:
        return ()
    for prefix in ((unshare, "--net"), (unshare, "--net", "--map-root-user")):
        try:
            probe = subprocess.run([*prefix, "true"], capture_output=True, timeout=10)
        except (OSError, subprocess.SubprocessError):
            continue
        if probe.returncode == 0:
            return prefix
    return ()


def _execute(command: list[str], timeout: float) -> str | None:
    """Run LibreOffice in its own process group; kill the whole group on timeout."""
    try:
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
        )
    except OSError as exc:
        raise ConversionError(
            f"LibreOffice kunde inte startas ({exc}); installera det med: {INSTALL}"
        ) from None
    try:
        _, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(process)
        return f"LibreOffice svarade inte inom {timeout:.0f} s och avbröts"
    if process.returncode != 0:
        detail = stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        return f"LibreOffice avslutades med kod {process.returncode} {detail[0]}".strip()
    return None


def _kill(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()


def _pdf_date(moment: dt.datetime) -> str:
    return moment.strftime("D:%Y%m%d%H%M%SZ")


def document_moment(date: dt.date | None) -> dt.datetime:
    """The time a document says it was made: its date, else SOURCE_DATE_EPOCH, else 2000-01-01."""
    if date is not None:
        return dt.datetime.combine(date, dt.time(0, 0), tzinfo=dt.UTC)
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    return dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def _icc_at(profile: bytes, moment: dt.datetime) -> bytes:
    """An ICC profile whose creation time is `moment` (LibreOffice stamps the clock in it)."""
    if len(profile) < 128:
        return profile
    stamp = struct.pack(
        ">6H", moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second
    )
    data = bytearray(profile)
    data[24:36] = stamp
    if any(data[84:100]):  # the profile ID is an MD5 with flags, intent and ID zeroed
        hashed = bytearray(data)
        hashed[44:48] = hashed[64:68] = bytes(4)
        hashed[84:100] = bytes(16)
        data[84:100] = hashlib.md5(hashed, usedforsecurity=False).digest()
    return bytes(data)


def reproducible_pdf(data: bytes, date: dt.date | None, source: bytes = b"") -> bytes:
    """Replace LibreOffice's clock times and random /ID, keeping PDF/A identification valid.

    The first /ID half comes from the source .docx, the second from the PDF's own content.
    """
    import pikepdf

    from arendegen.render.tagging import retag

    moment = document_moment(date)
    iso = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    with pikepdf.open(io.BytesIO(data)) as pdf:
        left = retag(pdf, source) if source else ["ingen källa"]
        keywords = _keywords(source) or None
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            for key in ("xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate"):
                meta[key] = iso
            if keywords is not None:  # as typed: LibreOffice splits 'KS 2025/95' at spaces
                meta["pdf:Keywords"] = keywords
            if left and "pdfuaid:part" in meta:  # PDF/UA only when its checks pass
                del meta["pdfuaid:part"]
        if keywords is not None:
            pdf.docinfo["/Keywords"] = keywords
        tab_order(pdf)
        describe_ua_schema(pdf)
        pdf.docinfo["/CreationDate"] = _pdf_date(moment)
        pdf.docinfo["/ModDate"] = _pdf_date(moment)
        if "/DocChecksum" in pdf.trailer:  # LibreOffice's own checksum, of a random-seeded file
            del pdf.trailer["/DocChecksum"]
        for intent in pdf.Root.get("/OutputIntents", []):
            profile = intent.get("/DestOutputProfile")
            if profile is not None:
                profile.write(_icc_at(profile.read_bytes(), moment))
        first = hashlib.sha256(source or data).digest()[:16]
        pdf.trailer.ID = pikepdf.Array([pikepdf.String(first), pikepdf.String(first)])
        if "/Lang" not in pdf.Root:
            pdf.Root.Lang = pikepdf.String("sv-SE")
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, compress_streams=True)
    return out.getvalue()


def tab_order(pdf: Any) -> None:
    """Every page with annotations moves through them in structure order (/Tabs /S, a name,
    as PDF/UA asks: LibreOffice 7.4 writes the string '(S)' on some pages)."""
    import pikepdf

    for page in pdf.pages:
        tabs = page.obj.get("/Tabs")
        if ("/Annots" in page.obj or tabs is not None) and not isinstance(tabs, pikepdf.Name):
            page.obj.Tabs = pikepdf.Name.S


_UA_SCHEMA = (
    '<rdf:Description rdf:about="" '
    'xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" '
    'xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" '
    'xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">'
    '<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">'
    "<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>"
    "<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>"
    "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>"
    '<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">'
    "<pdfaProperty:name>part</pdfaProperty:name>"
    "<pdfaProperty:valueType>Integer</pdfaProperty:valueType>"
    "<pdfaProperty:category>internal</pdfaProperty:category>"
    "<pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed"
    "</pdfaProperty:description></rdf:li></rdf:Seq></pdfaSchema:property>"
    "</rdf:li></rdf:Bag></pdfaExtension:schemas></rdf:Description>"
)
"""PDF/A's description of the PDF/UA identification schema: ISO 19005-2 (6.6.2.3) lets XMP
use a schema PDF/A does not predefine only when the file describes it."""


def describe_ua_schema(pdf: Any) -> None:
    """The PDF/UA schema described in the XMP, when the file is both PDF/A and PDF/UA."""
    stream = pdf.Root.get("/Metadata")
    if stream is None:
        return
    xmp = stream.read_bytes().decode("utf-8", "replace")
    if (
        "pdfuaid" not in xmp
        or "pdfaid" not in xmp
        or "http://www.aiim.org/pdfua/ns/id/</pdfaSchema" in xmp
    ):
        return
    if "</rdf:RDF>" not in xmp:
        return
    stream.write(xmp.replace("</rdf:RDF>", _UA_SCHEMA + "</rdf:RDF>", 1).encode("utf-8"))


def _core(source: bytes) -> str:
    try:
        return zipfile.ZipFile(io.BytesIO(source)).read("docProps/core.xml").decode("utf-8")
    except (KeyError, zipfile.BadZipFile, OSError, UnicodeDecodeError):
        return ""


def _keywords(source: bytes) -> str | None:
    """The .docx's keywords as written there (the diarienummer, whole)."""
    found = re.search(r"<cp:keywords>([^<]*)</cp:keywords>", _core(source)) if source else None
    return html.unescape(found.group(1)) if found else None


@dataclass(frozen=True)
class Part:
    """One document of a decision package: its PDF, its bookmark and its page-label prefix."""

    pdf: bytes
    title: str
    label: str = ""
    attached: bool = False
    """A file the case attaches (`bilagor[].fil`), not a document arendegen made."""


class UnreadablePdf(ArendegenError):
    """A file that should be a PDF and cannot be read as one; the message is in Swedish."""


def page_count(data: bytes, most: int) -> int:
    """How many pages a PDF has, or `most + 1` when it has more than `most`.

    Cheap whatever the file holds: it is opened without pushing inherited attributes down to
    every page (which walks them all), the page tree's own /Count answers most files at once,
    and the tree is then walked only until `most` pages are seen, so a /Count that lies, a
    page listed 100 000 times or a tree that loops cannot make the count slow.
    """
    import pikepdf

    try:
        pdf = pikepdf.open(io.BytesIO(data), inherit_page_attributes=False)
    except pikepdf.PasswordError:
        raise UnreadablePdf("är lösenordsskyddad; bifoga den utan lösenord") from None
    except (pikepdf.PdfError, ValueError, RuntimeError):
        raise UnreadablePdf("går inte att läsa som PDF; den är skadad eller ingen PDF") from None
    with pdf:
        try:
            root = pdf.Root.Pages
            stated = root.get("/Count")
            if isinstance(stated, int) and stated > most:
                return most + 1
            return _walk_pages(root, most)
        except (pikepdf.PdfError, AttributeError, KeyError, TypeError, ValueError):
            raise UnreadablePdf("har en skadad sidstruktur och går inte att läsa") from None


def _walk_pages(root: object, most: int) -> int:
    """Count the leaves of a page tree, stopping past `most` pages or nodes.

    Each /Kids array is read one entry at a time: a node with 100 000 kids costs no more
    than the `most` of them looked at."""
    import pikepdf

    end = object()
    pages = visited = 0
    stack = [iter([root])]
    while stack:
        node = next(stack[-1], end)
        if node is end:
            stack.pop()
            continue
        visited += 1
        if visited > 4 * most + 100:  # a tree of empty branches: as bad as too many pages
            return most + 1
        if not isinstance(node, pikepdf.Dictionary):
            raise ValueError("a page tree node that is no dictionary")
        if node.get("/Type") == pikepdf.Name.Pages or "/Kids" in node:
            stack.append(iter(node.Kids))
        else:
            pages += 1
            if pages > most:
                return most + 1
    return pages
