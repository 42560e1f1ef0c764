"""One LibreOffice kept running for a session: the live preview of `arendegen serve`.

render/pdf.py starts a cold `soffice` for every batch: 0.8 s for a 3-page document on a quiet
2-core machine, up to 3 s on a busy one. A `WarmOffice` starts LibreOffice once and then
converts one document at a time through its UNO API (70 ms for the same document, fix-up
included: bench/NOTES.md), with the export options and the reproducible fix-up of a build, so
its PDF is byte for byte the PDF `render.pdf.convert` makes of the same document.

LibreOffice's UNO module is importable only by Debian's own Python (package python3-uno), not
by ours, so the UNO side is a small worker script (render/warm_worker.py) run by
/usr/bin/python3; this module talks to it over its stdin and stdout, one JSON object a line,
with the documents as files in a folder of its own. The worker, and LibreOffice under it, run
without a network (`render.pdf.offline()`) in a process group of their own, which is killed
whole when LibreOffice hangs, and on `close()` or at the interpreter's exit.

Where the worker cannot run (no python3-uno, no /usr/bin/python3), `available()` is false and
`WarmOffice` raises `Unavailable`; the caller then converts with a cold LibreOffice, as a build
does:

    try:
        pdf = office.convert(docx, date)
    except warm.Unavailable:
        (done,) = render.pdf.convert([Job("preview", docx, date)], archive=False, workers=1)
        pdf = done.pdf  # None, with done.problem, when LibreOffice could not convert it
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import os
import secrets
import select
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import weakref
from pathlib import Path
from types import TracebackType
from typing import Any

from arendegen.render.pdf import (
    ARCHIVE_OPTIONS,
    PLAIN_OPTIONS,
    STARTUP_GRACE,
    ConversionError,
    offline,
    reproducible_pdf,
    soffice,
)

WORKER = Path(__file__).with_name("warm_worker.py")
INSTALL_UNO = "sudo apt-get install --no-install-recommends python3-uno"
UNO_NEEDED = f"förhandsvisningen behöver Debians Python med LibreOffice:s gränssnitt: {INSTALL_UNO}"
QUIT_GRACE = 5.0
"""Seconds LibreOffice gets to end by itself on `close()` before its process group is killed."""


class Unavailable(ConversionError):
    """The warm LibreOffice cannot run here; `render.pdf.convert` (a cold one) still can."""


def system_python() -> str:
    """The Python that can import LibreOffice's `uno` (ARENDEGEN_UNO_PYTHON overrides)."""
    return os.environ.get("ARENDEGEN_UNO_PYTHON") or "/usr/bin/python3"


@functools.cache
def available() -> bool:
    """Whether a WarmOffice can run here: LibreOffice, and a Python that imports `uno`
    (asked once a process: it costs a Python start)."""
    try:
        soffice()
    except ConversionError:
        return False
    try:
        probe = subprocess.run(
            [system_python(), "-I", "-c", "import uno"], capture_output=True, timeout=30
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return probe.returncode == 0


class WarmOffice:
    """One LibreOffice kept running for a session (the preview of `arendegen serve`).

    Started by `start()` (so that the first preview is warm too) or else by the first
    `convert`, which then takes a cold start's time (about 1–3 s). Calls from several threads
    are safe and take turns: LibreOffice converts one document at a time. A document that
    LibreOffice cannot read, or that makes it hang (beyond `timeout` seconds) or die, raises
    ConversionError for that call only; a LibreOffice that hung or died is killed with its
    whole process group and started afresh by the next call. `close()` (or leaving a `with`
    block, or the interpreter's exit) ends LibreOffice and the worker.
    """

    def __init__(self, *, timeout: float = 30.0) -> None:
        self.timeout = timeout
        self._lock = threading.Lock()
        self._slot = _Slot()
        self._closed = False
        self._finalizer = weakref.finalize(self, self._slot.clear)

    def __enter__(self) -> WarmOffice:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def start(self) -> None:
        """Start LibreOffice now, unless it runs already; ConversionError when it cannot
        start (Unavailable when the worker cannot run here)."""
        with self._lock:
            self._running()

    def convert(self, docx: bytes, date: dt.date | None, *, archive: bool = False) -> bytes:
        """The document's PDF (PDF/A-2b when `archive`), with the same export options and the
        same reproducible fix-up (render.pdf.reproducible_pdf) as a build, so the bytes equal
        render.pdf.convert's."""
        options = ARCHIVE_OPTIONS if archive else PLAIN_OPTIONS
        with self._lock:
            made = self._convert(docx, options)
        try:  # outside the lock: LibreOffice can take the next document meanwhile
            return reproducible_pdf(made, date, docx)
        except Exception as exc:  # pikepdf raises its own kinds for a damaged file
            raise ConversionError(f"LibreOffice gav en trasig PDF: {exc}") from None

    def processes(self) -> list[int]:
        """The process ids of the worker and of LibreOffice, when they run (for a status page
        or a test)."""
        worker = self._slot.worker
        return worker.processes() if worker is not None else []

    def close(self) -> None:
        """End LibreOffice and the worker, and remove their files; the office cannot be used
        again."""
        with self._lock:
            self._closed = True
            self._finalizer()

    def _running(self) -> _Worker:
        if self._closed:
            raise ConversionError("förhandsvisningens LibreOffice är redan stängt")
        if self._slot.worker is None:
            self._slot.worker = _Worker.start()
        return self._slot.worker

    def _convert(self, docx: bytes, options: dict[str, dict[str, str]]) -> bytes:
        """LibreOffice's PDF; a LibreOffice found dead that was started by an earlier call
        (killed meanwhile, say) is started again and asked once more."""
        reused = self._slot.worker is not None
        try:
            return self._running().convert(docx, options, self.timeout)
        except _Gone as gone:  # the worker has killed its process group already
            self._slot.worker = None
            if isinstance(gone, _Hung) or not reused:
                raise ConversionError(str(gone)) from None
        try:
            return self._running().convert(docx, options, self.timeout)
        except _Gone as gone:
            self._slot.worker = None
            raise ConversionError(str(gone)) from None


class _Gone(Exception):
    """LibreOffice died, and its process group is killed; the message is Swedish."""


class _Hung(_Gone):
    """LibreOffice did not answer in time, and its process group is killed."""


DIED = "LibreOffice avslutades oväntat; det startas om vid nästa dokument"


class _Slot:
    """The running worker, if any: shared with the finalizer, which must not hold the office."""

    def __init__(self) -> None:
        self.worker: _Worker | None = None

    def clear(self) -> None:
        worker, self.worker = self.worker, None
        if worker is not None:
            worker.stop(polite=True)


class _Worker:
    """The worker process and LibreOffice under it: one process group, one folder."""

    def __init__(self, process: subprocess.Popen[bytes], folder: Path) -> None:
        self.process = process
        self.folder = folder
        self.last_words = ""
        """The last line the worker or LibreOffice wrote to stderr, once stopped."""
        self.sockets: list[Path] = []
        """LibreOffice's pipes in /tmp, which it removes when it ends, but not when killed."""
        self._buffer = b""

    @classmethod
    def start(cls) -> _Worker:
        """Start the worker, which starts LibreOffice; return once LibreOffice answers."""
        python = system_python()
        if shutil.which(python) is None:
            raise Unavailable(f"{python} saknas; {UNO_NEEDED}")
        program = soffice()
        folder = Path(tempfile.mkdtemp(prefix="arendegen-warm-"))
        pipe = f"arendegen-{os.getpid()}-{secrets.token_hex(6)}"
        command = [
            program,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--nodefault",
            f"--accept=pipe,name={pipe};urp;",  # a socket file in /tmp: it reaches across
            # the network namespace, where an abstract socket would not
        ]
        config = json.dumps({"command": command, "pipe": pipe, "folder": str(folder)})
        with (folder / "log").open("wb") as log:
            try:  # the worker offline too: it shares LibreOffice's namespaces, and its user id
                process = subprocess.Popen(
                    [*offline(), python, "-I", str(WORKER), config],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=log,
                    cwd=folder,
                    start_new_session=True,
                )
            except OSError as exc:
                shutil.rmtree(folder, ignore_errors=True)
                raise Unavailable(f"{python} kunde inte startas ({exc}); {UNO_NEEDED}") from None
        worker = cls(process, folder)
        worker._ready()
        return worker

    def _ready(self) -> None:
        """Wait for the worker's first line: LibreOffice answers, or why not."""
        try:
            first = self._line(STARTUP_GRACE)
        except _Hung:
            raise ConversionError(
                f"LibreOffice startade inte inom {STARTUP_GRACE:.0f} s och avbröts"
            ) from None
        except _Gone:
            first = {"failed": "office"}
        if first.get("ready"):
            self.sockets = self._sockets()
            return
        self.stop()
        if first.get("failed") == "uno":
            raise Unavailable(
                f"LibreOffice:s Python-gränssnitt saknas för {system_python()}; "
                f"installera det med: {INSTALL_UNO}"
            )
        code = first.get("code")
        why = f"avslutades med kod {code}" if code is not None else self.last_words
        raise ConversionError(f"LibreOffice kunde inte startas ({why or 'okänt varför'})")

    def convert(self, docx: bytes, options: dict[str, dict[str, str]], timeout: float) -> bytes:
        """The PDF LibreOffice makes of `docx`; ConversionError when it cannot read or convert
        it, _Gone when it died, _Hung when it hung (killed then, either way)."""
        source, target = self.folder / "d00000.docx", self.folder / "d00000.pdf"
        source.write_bytes(docx)  # the name a batch gives it too, should anything show it
        request = {
            "source": str(source),
            "target": str(target),
            "filter": "writer_pdf_Export",
            "options": options,
        }
        try:
            answer = self._ask(request, timeout)
            made = target.read_bytes() if answer.get("ok") and target.is_file() else b""
        finally:
            source.unlink(missing_ok=True)
            target.unlink(missing_ok=True)
        if made:
            return made
        if answer.get("reason") == "gone":
            self.stop()
            raise _Gone(DIED)
        if answer.get("reason") == "load":
            raise ConversionError("LibreOffice kunde inte läsa dokumentet som .docx")
        raise ConversionError("LibreOffice kunde inte konvertera dokumentet")

    def _ask(self, request: dict[str, Any], timeout: float) -> dict[str, Any]:
        assert self.process.stdin is not None
        with contextlib.suppress(OSError):  # a worker that has ended: _line tells
            self.process.stdin.write(json.dumps(request).encode() + b"\n")
            self.process.stdin.flush()
        return self._line(timeout)

    def _line(self, timeout: float) -> dict[str, Any]:
        """The worker's next line, as JSON; _Gone when it ends, _Hung when it says nothing in
        time (its process group is killed either way)."""
        assert self.process.stdout is not None
        fd = self.process.stdout.fileno()
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                self.stop()
                raise _Hung(f"LibreOffice svarade inte inom {timeout:.0f} s och avbröts")
            chunk = os.read(fd, 65536)
            if not chunk:
                self.stop()
                raise _Gone(DIED)
            self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        with contextlib.suppress(ValueError):
            answer = json.loads(line)
            if isinstance(answer, dict):
                return answer
        self.stop()
        raise _Gone(DIED)

    def processes(self) -> list[int]:
        """The ids of the processes in the worker's group (the worker's id is the group's)."""
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:  # ended meanwhile
                continue
            state, _parent, group = stat.rpartition(")")[2].split()[:3]
            if int(group) == self.process.pid and state != "Z":
                found.append(int(entry.name))
        return sorted(found)

    def _sockets(self) -> list[Path]:
        """The socket files LibreOffice listens on in /tmp: its UNO pipe and the pipe through
        which a second start would hand over to it (named by a hash of its profile's path)."""
        inodes = set()
        for pid in self.processes():
            with contextlib.suppress(OSError):
                for fd in Path(f"/proc/{pid}/fd").iterdir():
                    with contextlib.suppress(OSError):
                        inodes.add(os.readlink(fd))
        found = set()
        with contextlib.suppress(OSError):  # the sockets of the worker's network namespace
            table = Path(f"/proc/{self.process.pid}/net/unix").read_text()
            for row in table.splitlines()[1:]:
                fields = row.split()  # ... inode path
                if (
                    len(fields) == 8
                    and f"socket:[{fields[6]}]" in inodes
                    and fields[7].startswith("/tmp/OSL_PIPE_")
                ):
                    found.add(Path(fields[7]))
        return sorted(found)

    def stop(self, *, polite: bool = False) -> None:
        """Kill the worker's process group and remove its folder and sockets; when `polite`,
        the worker first asks LibreOffice to end, for QUIT_GRACE seconds at most."""
        if self.process.poll() is not None and self.process.stdout is None:
            return  # stopped already
        if polite and self.process.poll() is None:
            with contextlib.suppress(OSError):
                assert self.process.stdin is not None
                self.process.stdin.write(b'{"quit": true}\n')
                self.process.stdin.flush()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(QUIT_GRACE)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        self.process.stdin = self.process.stdout = None
        with contextlib.suppress(OSError):
            lines = (self.folder / "log").read_bytes().decode("utf-8", "replace").splitlines()
            self.last_words = next((line for line in reversed(lines) if line.strip()), "")
        shutil.rmtree(self.folder, ignore_errors=True)
        for socket in self.sockets:
            socket.unlink(missing_ok=True)
