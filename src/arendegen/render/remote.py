"""DOCX → PDF through a pool of running `unoserver` instances (`build --converter
unoserver://host:port,host:port`), instead of render/pdf.py's local LibreOffice batches.

unoserver (PyPI `unoserver`, pinned for our tests in tools/unoserver/requirements.txt) keeps a
LibreOffice running behind an XML-RPC server; an organisation can run several, on several
machines. We speak its protocol with the standard library and depend on nothing of it. Its
method (API 3, unoserver 3.x) takes positional arguments only (SimpleXMLRPCServer):

    convert(inpath, indata, outpath, convert_to, filtername, filter_options, update_index)

We send the document's bytes (`indata`, base64) and get the converted bytes back (`convert_to`
set, `outpath` nil), so the servers need no shared folder. `filter_options` is a list of
"Name=Value" strings that unoserver types itself ("true"/"false" → boolean, digits → integer)
and hands to the export filter as its FilterData: the same options as `pdf.ARCHIVE_OPTIONS` /
`PLAIN_OPTIONS`. `update_index` is false, as `soffice --convert-to` does. The bytes returned
then go through the same reproducible fix-up as a local batch's, so a pooled build's PDFs are
byte for byte the local build's (tests/test_pool.py).

One thread per instance takes documents from a shared queue, one at a time (an instance
converts one document at a time anyway). A document the server cannot convert (an XML-RPC
fault) is tried once more, on whichever instance is free. An instance that fails (refuses the
connection, does not answer within the per-document timeout, drops the connection: its
LibreOffice crashed or hung) is out of the pool for the rest of the build, and the document it
held goes back to the queue (counted as a try, unless it never reached the server); when no
instance is left, every document not yet converted is reported, each with why.

unoserver's LibreOffice runs wherever the organisation runs it, not under `pdf.offline()`: the
package check of render/package.py is then the guard against documents that fetch addresses.
"""

from __future__ import annotations

import http.client
import ipaddress
import re
import socket
import threading
import time
import xmlrpc.client
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from xml.parsers.expat import ExpatError

if TYPE_CHECKING:
    from arendegen.render.pdf import Converted, Job

SCHEME = "unoserver://"
LOCAL = "lokal"
TRIES = 2
"""Tries per document: the first, and one more (as the local batches retry once)."""

_HOST = re.compile(
    r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"
)
_ADDRESS = re.compile(r"(?:\[(?P<ipv6>[^\]]*)\]|(?P<host>[^:\[\]]*)):(?P<port>\d{1,5})")


@dataclass(frozen=True)
class Server:
    """One unoserver instance."""

    host: str
    port: int

    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def __str__(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"


@dataclass(frozen=True)
class Pool:
    """The unoserver instances a build converts through, in the order given."""

    servers: tuple[Server, ...]

    def __str__(self) -> str:
        return SCHEME + ",".join(str(s) for s in self.servers)


def parse_converter(text: str) -> Pool | None:
    """'lokal' → None (local LibreOffice batches); 'unoserver://h:p[,h:p…]' → a Pool;
    ValueError, in Swedish, for anything else."""
    value = text.strip()
    if value.lower() in (LOCAL, "local"):
        return None
    if not value.lower().startswith(SCHEME):
        raise ValueError(
            f"'{text}' är ingen konverterare; ange {LOCAL} (LibreOffice på den här datorn) "
            f"eller {SCHEME}värd:port[,värd:port]... (en eller flera unoserver)"
        )
    servers: list[Server] = []
    for part in value[len(SCHEME) :].split(","):
        server = _server(part.strip())
        if server in servers:
            raise ValueError(f"unoserver {server} anges två gånger i '{text}'")
        servers.append(server)
    return Pool(tuple(servers))


def _server(part: str) -> Server:
    match = _ADDRESS.fullmatch(part)
    if match is None:
        raise ValueError(
            f"'{part}' är ingen adress till en unoserver; ange värd:port, t.ex. 127.0.0.1:2003"
        )
    port = int(match["port"])
    if not 1 <= port <= 65535:
        raise ValueError(f"'{part}': porten {port} finns inte; ange en port 1–65535")
    if match["ipv6"] is not None:
        try:
            host = str(ipaddress.IPv6Address(match["ipv6"]))
        except ValueError:
            raise ValueError(f"'{part}': '{match['ipv6']}' är ingen IPv6-adress") from None
    else:
        host = match["host"]
        if len(host) > 253 or not _HOST.fullmatch(host):
            raise ValueError(f"'{part}': '{host}' är inget värdnamn eller ingen IP-adress")
    return Server(host, port)


@dataclass(frozen=True)
class Request:
    """How the servers should convert: to which type, through which filter, with what options.

    (Only PDF: an .odt from unoserver keeps the size and place of the view it opened the
    document in, in settings.xml, and is not the local bytes; render.pdf.convert makes ODT
    locally.)"""

    convert_to: str
    filter_name: str
    options: tuple[str, ...] = ()


def request_for(options: dict[str, dict[str, str]]) -> Request:
    """The request for a PDF with `options` (pdf.ARCHIVE_OPTIONS or PLAIN_OPTIONS)."""
    return Request(
        "pdf", "writer_pdf_Export", tuple(f"{k}={v['value']}" for k, v in options.items())
    )


MAX_REPLY = 128 * 1024 * 1024
"""Bytes of one answer (a PDF in base64): more is an instance that has gone wrong."""


class _Transport(xmlrpc.client.Transport):
    """xmlrpc.client's transport with a timeout on each read (it has none of its own), a
    deadline on the whole answer (a server that trickles a byte at a time ends there), a
    bound on its size, and no compressed answers (a gzip bomb)."""

    accept_gzip_encoding = False

    def __init__(self, timeout: float) -> None:
        super().__init__()
        self._timeout = timeout
        self._deadline = time.monotonic() + timeout

    def make_connection(self, host: tuple[str, dict[str, str]] | str) -> http.client.HTTPConnection:
        connection = super().make_connection(host)
        connection.timeout = self._timeout
        return connection

    def parse_response(self, response: http.client.HTTPResponse) -> Any:
        if response.getheader("Content-Encoding", "identity").lower() != "identity":
            raise _ServerDown("svarade komprimerat, vilket arendegen inte tar emot", reached=True)
        parser, unmarshaller = self.getparser()
        size = 0
        while chunk := response.read1(64 * 1024):
            size += len(chunk)
            if size > MAX_REPLY:
                raise _ServerDown(
                    f"svarade med mer än {MAX_REPLY // 1024 // 1024} MB", reached=True
                )
            if time.monotonic() > self._deadline:
                raise TimeoutError
            parser.feed(chunk)
        parser.close()
        return unmarshaller.close()


class _ServerDown(Exception):
    """The instance failed; `reached` whether the document got to it first."""

    def __init__(self, why: str, *, reached: bool) -> None:
        super().__init__(why)
        self.reached = reached


def _call(server: Server, docx: bytes, request: Request, timeout: float) -> bytes:
    """The converted bytes; _ServerDown when the instance failed, ValueError (in Swedish) when
    it could not convert this document."""
    proxy = xmlrpc.client.ServerProxy(server.url(), transport=_Transport(timeout), allow_none=True)
    try:
        result = proxy.convert(
            None,
            xmlrpc.client.Binary(docx),
            None,
            request.convert_to,
            request.filter_name,
            list(request.options),
            False,
        )
    except xmlrpc.client.Fault as fault:
        detail = str(fault.faultString).strip().splitlines()[-1:] or [""]
        raise ValueError(
            f"unoserver {server} kunde inte konvertera dokumentet: {detail[0]}"
        ) from None
    except (ConnectionRefusedError, socket.gaierror) as exc:
        raise _ServerDown(f"svarar inte ({exc.strerror or exc})", reached=False) from None
    except TimeoutError:
        raise _ServerDown(f"svarade inte inom {timeout:.0f} s", reached=True) from None
    except (OSError, http.client.HTTPException, xmlrpc.client.ProtocolError, ExpatError) as exc:
        raise _ServerDown(f"bröt förbindelsen ({exc})", reached=True) from None
    except _ServerDown:
        raise
    except Exception:  # an answer xmlrpc.client cannot read (a fault without its code …)
        raise _ServerDown(
            "svarade med något som inte är ett svar från unoserver", reached=True
        ) from None
    finally:
        proxy("close")()
    if not isinstance(result, xmlrpc.client.Binary) or not result.data:
        raise ValueError(f"unoserver {server} gav ingen fil tillbaka")
    return result.data


@dataclass
class _Item:
    index: int
    job: Job
    tries: int = 0
    problem: str | None = None


@dataclass
class _Queue:
    """The documents not yet settled, shared by the instances' threads."""

    pending: deque[_Item]
    done: dict[int, Converted] = field(default_factory=dict)
    down: dict[Server, str] = field(default_factory=dict)
    busy: int = 0
    lock: threading.Condition = field(default_factory=threading.Condition)

    def take(self) -> _Item | None:
        """The next document, or None when every document is settled or held by another."""
        with self.lock:
            while not self.pending and self.busy:
                self.lock.wait()
            if not self.pending:
                return None
            self.busy += 1
            return self.pending.popleft()

    def settle(self, item: _Item, pdf: bytes | None, problem: str | None = None) -> None:
        from arendegen.render.pdf import Converted

        with self.lock:
            self.busy -= 1
            self.done[item.index] = Converted(item.job.key, pdf, problem)
            self.lock.notify_all()

    def again(self, item: _Item, problem: str, *, tried: bool) -> None:
        """Back to the queue, or settled without a PDF after its last try."""
        if tried:
            item.tries += 1
        item.problem = problem
        if item.tries >= TRIES:
            self.settle(item, None, problem)
            return
        with self.lock:
            self.busy -= 1
            self.pending.append(item)
            self.lock.notify_all()

    def fail(self, server: Server, why: str) -> None:
        with self.lock:
            self.down[server] = why


def _serve(server: Server, queue: _Queue, request: Request, timeout: float) -> None:
    """One instance's thread: convert until the queue is empty or the instance fails."""
    while (item := queue.take()) is not None:
        try:
            data = _call(server, item.job.docx, request, timeout)
        except ValueError as exc:
            queue.again(item, str(exc), tried=True)
        except _ServerDown as exc:
            why = f"unoserver {server} {exc}"
            queue.fail(server, why)
            queue.again(item, why, tried=exc.reached)
            return
        except BaseException:  # whatever it is, the item goes back and the others go on
            why = f"unoserver {server} gav ett fel arendegen inte väntade sig"
            queue.fail(server, why)
            queue.again(item, why, tried=True)
            return
        else:
            queue.settle(item, data)


def convert_raw(
    pool: Pool, jobs: Sequence[Job], request: Request, timeout_per_document: float
) -> list[Converted]:
    """Every job converted by the pool, not yet fixed up; the result keeps the jobs' order."""
    from arendegen.render.pdf import Converted

    queue = _Queue(deque(_Item(i, job) for i, job in enumerate(jobs)))
    threads = [
        threading.Thread(
            target=_serve,
            args=(server, queue, request, timeout_per_document),
            name=f"unoserver {server}",
            daemon=True,
        )
        for server in pool.servers
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    gone = "; ".join(queue.down.values())
    for item in queue.pending:  # no instance left to take them
        why = f"ingen unoserver kvar att konvertera med ({gone})"
        queue.done[item.index] = Converted(item.job.key, None, why)
    unsettled = Converted("", None, "dokumentet konverterades inte")
    return [
        queue.done.get(i, Converted(job.key, None, unsettled.problem)) for i, job in enumerate(jobs)
    ]
