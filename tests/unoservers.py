"""Local unoserver instances for tests/test_pool.py and bench/converter_pool.py.

The unoserver is the one scripts/install-unoserver puts in tools/unoserver/.venv (a venv of
Debian's Python, which has LibreOffice's `uno`). Each instance listens on 127.0.0.1 with an
XML-RPC port, a LibreOffice UNO port and a profile of its own, in a process group of its own,
so that stopping (or killing) it takes its LibreOffice too.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import tempfile
import time
import xmlrpc.client
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UNOSERVER = ROOT / "tools" / "unoserver" / ".venv" / "bin" / "unoserver"
INSTALL = "scripts/install-unoserver"
START_WITHIN = 90.0
"""Seconds an instance may take to answer (unoserver itself waits 7 s before it serves)."""


@dataclass
class Instance:
    """One running unoserver: its address and its process (the group leader)."""

    port: int
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def kill(self) -> None:
        """Kill it with its LibreOffice at once, as a crash would."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        """End it gently (unoserver passes SIGTERM on to LibreOffice), then by force."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=2)
        self.kill()


def missing() -> str | None:
    """Why no unoserver can start here, or None."""
    if not UNOSERVER.is_file():
        return f"unoserver är inte installerad ({UNOSERVER}); kör {INSTALL}"
    return None


def free_ports(count: int) -> list[int]:
    """Ports free on 127.0.0.1 now (held open together, so that they differ)."""
    sockets = []
    try:
        for _ in range(count):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            sockets.append(s)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def _answers(port: int) -> bool:
    proxy = xmlrpc.client.ServerProxy(f"http://127.0.0.1:{port}")
    try:
        proxy.system.listMethods()
    except (OSError, xmlrpc.client.Error):
        return False
    finally:
        proxy("close")()
    return True


@contextlib.contextmanager
def running(count: int) -> Iterator[list[Instance]]:
    """`count` unoserver instances started together, answering; all stopped at the end."""
    with tempfile.TemporaryDirectory(prefix="arendegen-unoserver-") as work:
        ports = free_ports(2 * count)
        instances = []
        try:
            for index in range(count):
                port, uno_port = ports[2 * index], ports[2 * index + 1]
                log = Path(work) / f"unoserver-{port}.log"
                with log.open("wb") as out:
                    process = subprocess.Popen(
                        [
                            str(UNOSERVER),
                            "--interface",
                            "127.0.0.1",
                            "--port",
                            str(port),
                            "--uno-interface",
                            "127.0.0.1",
                            "--uno-port",
                            str(uno_port),
                            "--user-installation",
                            str(Path(work) / f"profile-{port}"),
                        ],
                        stdin=subprocess.DEVNULL,
                        stdout=out,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,
                    )
                instances.append(Instance(port, process, log))
            deadline = time.monotonic() + START_WITHIN
            for instance in instances:
                while not _answers(instance.port):
                    if instance.process.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(
                            f"unoserver på {instance.address} startade inte:\n"
                            + instance.log.read_text(errors="replace")[-2000:]
                        )
                    time.sleep(0.2)
            yield instances
        finally:
            for instance in instances:
                instance.stop()
