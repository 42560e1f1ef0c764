"""build --converter unoserver://…: a pool of unoserver instances gives the local build's bytes,
and a bad document, a hung or killed instance, or no instance at all costs only what it must.

The instances are real unoservers (scripts/install-unoserver); outside CI a machine without
one skips the tests that need it, under CI (CI set) its absence is a failure.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner

from arendegen.cli import cli
from arendegen.pipeline import BuildReport, Options, build
from arendegen.render.pdf import Job, convert
from arendegen.render.remote import Pool, Server, parse_converter
from conftest import ROOT
from unoservers import Instance, free_ports, missing, running

EXAMPLES = ROOT / "cases" / "examples"
SOME = [
    EXAMPLES / "ks-2025-172-vatten-och-avlopp.yaml",
    EXAMPLES / "kf-2025-investeringsbudget.yaml",
]


def needs_unoserver() -> None:
    why = missing()
    if why is not None:
        if os.environ.get("CI"):
            pytest.fail(why)
        pytest.skip(why)


@pytest.fixture(scope="module")
def instances() -> Iterator[list[Instance]]:
    needs_unoserver()
    with running(2) as started:
        yield started


def pool_of(*instances: Instance) -> Pool:
    pool = parse_converter("unoserver://" + ",".join(i.address for i in instances))
    assert pool is not None
    return pool


@pytest.fixture(scope="module")
def local(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The examples built the default way: local LibreOffice batches."""
    out = tmp_path_factory.mktemp("lokal")
    report = build([EXAMPLES], out, options=Options(jobs=2))
    assert report.failed == []
    return out


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def conversions(instance: Instance) -> int:
    return instance.log.read_text(errors="replace").count("Exporting to")


def test_a_pool_of_two_builds_the_examples_byte_for_byte(
    instances: list[Instance], local: Path, tmp_path: Path
) -> None:
    before = [conversions(i) for i in instances]
    report = build([EXAMPLES], tmp_path, options=Options(jobs=2, converter=pool_of(*instances)))
    assert report.failed == []
    pooled = tree(tmp_path)
    assert len([n for n in pooled if n.endswith(".pdf")]) >= 10
    assert pooled == tree(local)
    # both instances took documents
    assert all(conversions(i) > b for i, b in zip(instances, before, strict=True))


def test_pooled_pdfs_pass_the_archive_checks(instances: list[Instance], tmp_path: Path) -> None:
    report = build(SOME[:1], tmp_path, options=Options(converter=pool_of(*instances)))
    assert report.failed == []
    path = tmp_path / "KS-2025-172-tjänsteutlåtande.pdf"
    with pikepdf.open(path) as pdf:
        with pdf.open_metadata() as meta:
            assert meta["pdfaid:part"] == "2"
            assert meta["pdfaid:conformance"] == "B"
        assert "/StructTreeRoot" in pdf.Root
        assert pdf.Root.MarkInfo.Marked
        assert str(pdf.Root.Lang) == "sv-SE"
    fonts = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True)
    rows = fonts.stdout.splitlines()[2:]
    assert rows and all(" yes " in row for row in rows)


def test_plain_pdf_through_the_pool_is_the_local_bytes_and_odt_is_made_locally(
    instances: list[Instance], tmp_path: Path
) -> None:
    for kind in ("lokal", "pool"):
        options = Options(
            formats=("pdf", "odt"),
            archive_pdf=False,
            converter=pool_of(*instances) if kind == "pool" else None,
        )
        assert build(SOME, tmp_path / kind, options=options).failed == []
    assert tree(tmp_path / "pool") == tree(tmp_path / "lokal")


def test_a_document_the_server_cannot_read_is_reported_alone(
    instances: list[Instance], local: Path
) -> None:
    docx = sorted(local.rglob("*.docx"))[:3]
    jobs = [Job("trasig", b"PK\x03\x04 inte ett dokument", None)]
    jobs += [Job(p.name, p.read_bytes(), dt.date(2025, 4, 22)) for p in docx]
    pooled = convert(jobs, pool=pool_of(*instances), timeout_per_document=30)
    assert pooled[0].pdf is None
    assert pooled[0].problem and "kunde inte konvertera dokumentet" in pooled[0].problem
    expected = convert(jobs[1:], workers=1, timeout_per_document=30)
    assert [c.pdf for c in pooled[1:]] == [c.pdf for c in expected]
    assert all(c.pdf for c in expected)


def test_a_hung_instance_is_left_and_the_other_converts(
    instances: list[Instance], local: Path
) -> None:
    docx = sorted(local.rglob("*.docx"))[:4]
    jobs = [Job(p.name, p.read_bytes(), None) for p in docx]
    with socket.socket() as hung:  # accepts connections (the kernel's backlog), never answers
        hung.bind(("127.0.0.1", 0))
        hung.listen(8)
        pool = Pool((Server("127.0.0.1", hung.getsockname()[1]), *pool_of(instances[0]).servers))
        started = time.monotonic()
        pooled = convert(jobs, pool=pool, timeout_per_document=3)
    assert all(c.pdf for c in pooled), [c.problem for c in pooled]
    assert time.monotonic() - started < 30  # waited for the hung one once, not per document
    assert [c.pdf for c in pooled] == [c.pdf for c in convert(jobs, workers=1)]


def test_killing_an_instance_mid_build_leaves_every_document_to_the_other(
    instances: list[Instance], local: Path, tmp_path: Path
) -> None:
    with running(1) as (victim,):
        pool = pool_of(victim, instances[1])
        done: list[BuildReport] = []
        builder = threading.Thread(
            target=lambda: done.append(build([EXAMPLES], tmp_path, options=Options(converter=pool)))
        )
        builder.start()
        deadline = time.monotonic() + 120
        while conversions(victim) == 0 and builder.is_alive() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert builder.is_alive(), "the build ended before the instance could be killed"
        victim.kill()
        builder.join(timeout=300)
        assert conversions(victim) >= 1
    (report,) = done
    assert report.failed == [], [d.as_text() for r in report.results for d in r.diagnostics]
    assert tree(tmp_path) == tree(local)


def test_with_no_instance_left_every_document_is_reported(tmp_path: Path) -> None:
    (port,) = free_ports(1)  # nothing listens there
    jobs = [Job(f"d{i}", b"PK\x03\x04", None) for i in range(3)]
    results = convert(jobs, pool=Pool((Server("127.0.0.1", port),)), timeout_per_document=5)
    for result in results:
        assert result.pdf is None
        assert result.problem == (
            f"ingen unoserver kvar att konvertera med (unoserver 127.0.0.1:{port} svarar inte "
            "(Connection refused))"
        )
    done = CliRunner().invoke(
        cli,
        [
            "build",
            str(SOME[0]),
            "--out",
            str(tmp_path),
            "--converter",
            f"unoserver://127.0.0.1:{port}",
        ],
    )
    assert done.exit_code == 1, done.output
    assert done.exception is None or isinstance(done.exception, SystemExit)
    assert "ingen PDF: ingen unoserver kvar att konvertera med" in done.output
    assert "Traceback" not in done.output


class _Liar:
    """An XML-RPC server that answers every call with `answer` (bytes after the request),
    written `pace` seconds a byte when given: a server gone wrong, on 127.0.0.1."""

    def __init__(self, answer: bytes, pace: float = 0.0) -> None:
        self.answer, self.pace = answer, pace
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(8)
        self.port = self.socket.getsockname()[1]
        self.socket.settimeout(0.1)
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def close(self) -> None:
        """Stop accepting, then close: a thread left in accept() on a closed socket would
        take the connections of whatever socket gets its file number next."""
        self.stopped.set()
        self.thread.join()
        self.socket.close()

    def _serve(self) -> None:
        while not self.stopped.is_set():
            try:
                connection, _ = self.socket.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            connection.settimeout(30)
            threading.Thread(target=self._answer, args=(connection,), daemon=True).start()

    def _answer(self, connection: socket.socket) -> None:
        with connection:
            received = b""
            while b"</methodCall>" not in received:
                chunk = connection.recv(65536)
                if not chunk:
                    return
                received += chunk
            try:
                if not self.pace:
                    connection.sendall(self.answer)
                for byte in self.answer if self.pace else b"":
                    connection.sendall(bytes([byte]))
                    time.sleep(self.pace)
            except OSError:
                return


def _reply(body: str, headers: str = "") -> bytes:
    xml = f"<?xml version='1.0'?><methodResponse>{body}</methodResponse>".encode()
    head = (
        f"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\n{headers}Content-Length: {len(xml)}\r\n\r\n"
    )
    return head.encode() + xml


@pytest.mark.parametrize(
    ("answer", "pace"),
    [
        # a fault without its code: xmlrpc.client raised TypeError, the thread died, the build
        # gave a traceback (one instance) or waited for ever holding the output folder (two)
        (
            _reply(
                "<fault><value><struct><member><name>faultString</name><value><string>x"
                "</string></value></member></struct></value></fault>"
            ),
            0.0,
        ),
        (_reply("<fault><value><int>3</int></value></fault>"), 0.0),
        # a valid answer a byte every 0.2 s: each read was within the timeout, the whole not
        (
            _reply(
                "<params><param><value><base64>" + "QUFB" * 100 + "</base64></value></param>"
                "</params>"
            ),
            0.2,
        ),
        # a compressed answer (a gzip bomb) is not taken
        (_reply("<params/>", "Content-Encoding: gzip\r\n"), 0.0),
    ],
    ids=["fault-without-code", "fault-not-a-struct", "trickle", "gzip"],
)
def test_an_instance_that_answers_wrongly_costs_its_documents_only(
    answer: bytes, pace: float
) -> None:
    liar = _Liar(answer, pace)
    try:
        jobs = [Job(f"d{i}", b"PK\x03\x04", None) for i in range(2)]
        started = time.monotonic()
        pool = Pool((Server("127.0.0.1", liar.port),))
        results = convert(jobs, pool=pool, timeout_per_document=2)
        assert time.monotonic() - started < 20
        assert [r.pdf for r in results] == [None, None]
        assert all(r.problem and r.problem.startswith("ingen unoserver kvar") for r in results)
    finally:
        liar.close()


def test_converter_values_parse() -> None:
    assert parse_converter("lokal") is None
    pool = parse_converter("unoserver://127.0.0.1:2003, [::1]:2004,uno-1.kommun.se:65535")
    assert pool is not None
    assert [str(s) for s in pool.servers] == [
        "127.0.0.1:2003",
        "[::1]:2004",
        "uno-1.kommun.se:65535",
    ]
    assert pool.servers[1].url() == "http://[::1]:2004"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("unoserver://", "'' är ingen adress till en unoserver; ange värd:port"),
        ("unoserver://uno.kommun.se", "'uno.kommun.se' är ingen adress till en unoserver"),
        ("unoserver://uno:0", "'uno:0': porten 0 finns inte; ange en port 1–65535"),
        ("unoserver://uno:65536", "'uno:65536': porten 65536 finns inte"),
        ("unoserver://uno:http", "'uno:http' är ingen adress till en unoserver"),
        ("unoserver://a:2003,a:2003", "unoserver a:2003 anges två gånger"),
        ("unoserver://[zz]:2003", "'[zz]:2003': 'zz' är ingen IPv6-adress"),
        ("unoserver://bad_host:2003", "'bad_host:2003': 'bad_host' är inget värdnamn"),
        ("http://uno:2003", "'http://uno:2003' är ingen konverterare; ange lokal"),
    ],
)
def test_bad_converter_values_are_usage_errors(tmp_path: Path, value: str, message: str) -> None:
    done = CliRunner().invoke(
        cli, ["build", str(SOME[0]), "--out", str(tmp_path), "--converter", value]
    )
    assert done.exit_code == 2
    assert message in done.output
    assert not list(tmp_path.iterdir())
