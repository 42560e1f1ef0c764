"""Editors: the schema is standard JSON Schema that Ajv takes in strict mode, and Ajv,
yaml-language-server (as VS Code runs it) and `arendegen validate` agree on what is wrong.

The node tools are the ones tools/editors/package-lock.json pins, which scripts/test installs.
Outside CI a machine without them skips these tests; under CI (CI set) they must run.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pytest
from click.testing import CliRunner
from pydantic import TypeAdapter

from arendegen.cli import cli
from arendegen.schema import types
from arendegen.schema.documents import DOCUMENT_KINDS
from arendegen.schema.jsonschema import case_schema
from arendegen.validate import check_file
from conftest import CASES, ROOT

TOOLS = ROOT / "tools" / "editors"
CHECK = TOOLS / "check.mjs"
SERVER = TOOLS / "node_modules" / "yaml-language-server" / "bin" / "yaml-language-server"
BROKEN = ROOT / "tests" / "broken"
TIMEOUT = 60.0
"""Seconds any one answer from a node tool may take before the test fails instead of hanging."""


@pytest.fixture(scope="module")
def node() -> str:
    """The node that runs the pinned tools; under CI their absence is a failure, not a skip."""
    found = shutil.which("node")
    missing = [
        what
        for what, there in [
            ("node", found),
            ("yaml-language-server", SERVER.is_file()),
            ("ajv", (TOOLS / "node_modules" / "ajv").is_dir()),
        ]
        if not there
    ]
    if missing:
        why = f"saknas: {', '.join(missing)}; scripts/test installerar dem (npm ci i {TOOLS})"
        if os.environ.get("CI"):
            pytest.fail(why)
        pytest.skip(why)
    assert found is not None
    return found


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A case repository as `arendegen init` writes it, with its schema and examples."""
    folder = tmp_path_factory.mktemp("editors") / "arenden"
    result = CliRunner().invoke(cli, ["init", str(folder)])
    assert result.exit_code == 0, result.output
    return folder


@pytest.fixture(scope="module")
def skeletons(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """What `arendegen new KIND FILE` writes, for every kind of document."""
    folder = tmp_path_factory.mktemp("skeletons")
    paths = []
    for kind in DOCUMENT_KINDS:
        path = folder / f"{kind}.yaml"
        result = CliRunner().invoke(cli, ["new", kind, str(path)])
        assert result.exit_code == 0, result.output
        paths.append(path)
    return paths


def ajv(node: str, schema: Path, files: list[Path]) -> dict[str, dict[str, Any]]:
    """Ajv's verdict (strict mode) on each file, read as an editor reads YAML (1.2)."""
    done = subprocess.run(
        [node, str(CHECK), str(schema), *map(str, files)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert lines and lines[0] == {"schema": "ok"}, done.stdout + done.stderr
    assert done.returncode == 0, done.stderr
    return {line["file"]: line for line in lines[1:]}


def error_lines(path: Path) -> set[int]:
    return {d.line for d in check_file(path).errors}


def test_the_schema_init_writes_is_the_schema_and_compiles_in_strict_mode(
    node: str, repo: Path
) -> None:
    written = json.loads((repo / "arendegen.schema.json").read_text(encoding="utf-8"))
    assert written == case_schema()
    assert "discriminator" not in json.dumps(written)
    ajv(node, repo / "arendegen.schema.json", [])


def test_every_example_and_skeleton_is_valid_to_ajv_and_to_validate(
    node: str, repo: Path, skeletons: list[Path]
) -> None:
    examples = sorted(CASES.rglob("*.yaml"))
    written = sorted((repo / "cases" / "exempel").glob("*.yaml"))
    assert len(examples) > 10
    assert len(written) == len(skeletons) == len(DOCUMENT_KINDS)
    files = examples + written + skeletons
    verdicts = ajv(node, repo / "arendegen.schema.json", files)
    for path in files:
        assert verdicts[str(path)]["valid"], (path, verdicts[str(path)]["errors"][:5])
        assert not check_file(path).errors, path


def test_what_ajv_rejects_validate_rejects_too(node: str, repo: Path) -> None:
    """Validate has rules across fields that no schema says; the schema none that validate
    lacks. A wrong date, time, flag or number is an error to both, on the same line."""
    files = sorted(BROKEN.glob("*.yaml"))
    verdicts = ajv(node, repo / "arendegen.schema.json", files)
    rejected = [path for path in files if not verdicts[str(path)]["valid"]]
    assert len(rejected) >= 10
    for path in rejected:
        assert check_file(path).errors, path
    wrong_values = BROKEN / "ogiltiga-varden.yaml"
    ajv_lines = {e["line"] for e in verdicts[str(wrong_values)]["errors"]}
    # '3/2 2026', '2026-02-30', 'tjugotvå', 0, 'kanske', a list for a text
    assert {3, 9, 13, 14, 16, 19} <= ajv_lines & error_lines(wrong_values)
    times = BROKEN / "period-och-klockslag.yaml"
    assert 25 in {e["line"] for e in verdicts[str(times)]["errors"]} & error_lines(times)


# Values as an editor's YAML 1.2 reader hands them over: text, or a number for plain digits.
SAMPLES: dict[Any, list[Any]] = {
    types.Date: [
        *["2026-03-12", " 2026-03-12 ", "1900-01-01", "2099-12-31", "2024-02-29", "2000-02-29"],
        *["1900-02-29", "2025-02-29", "2026-13-45", "2026-04-31", "2026-00-10", "1899-12-31"],
        *["2100-01-01", "2026-3-12", "26-03-12", "2026/03/12", "3/2 2026", "12 mars"],
        *["12 mars 2026", "3 Februari 2025", "3 FEB 2025", "03 febr. 2025", "1 jan 1900"],
        *["30 februari 2025", "29 feb 2024", "29 feb 2023", "31 april 2026", "31 dec 2099"],
        *["3 febuari 2025", "3 fe 2025", "3 ja. 2025", "den 3 mars 2026", "32 mars 2026"],
        *["0 mars 2026", "3 mars 26", "3  mars\t2026", "mars 2026", "", "okänd", 2026],
    ],
    types.LooseDate: [
        *["2026-03-12", "30 januari", "den 30 januari", "den  1 maj", "29 februari"],
        *["30 februari", "31 juni", "den 30 januari 2026", "Den 30 januari", "30 jan."],
        *["3 mars 2026", "mars", "30", "januari 30", "2026-02-29"],
    ],
    types.Time: [
        *["13.00", "13:00", "9.30", "09.30", " 8:05 ", "24.00", "0.00", "00:00"],
        *["25.00", "13.60", "13.5", "1300", "13", "13.000", "13 .00", "kl. 13"],
        *[13, 9.3, 24, 0, 25, -1, 13.75],
    ],
    types.Flag: [True, False, "ja", "Nej", " JA ", "nejj", "kanske", "true", "", 1],
    types.Integer: ["12", "-3", " 7 ", "999999999", "1234567890", "1,5", "tjugo", 12, -3],
    types.PositiveInteger: ["1", "007", "0", "-1", "00", "1000000000", 1, 0, -5],
    types.Year: ["2026", "1900", "2200", "2201", "1899", "002026", 2026, 1899, 2201],
    types.Party: ["M", "KD", "(FR)", "FR)", "m", "Miljöpartiet", "S/V", "()", "M P"],
    types.ParagraphRange: ["§§ 28–45", "28-45", "§ 1 - 2", "28", "§§ 28–1234567", "a–b"],
    types.PeriodText: ["jan–juni 2025", "2025", 2025, "T2 2025"],
}


def reads(annotation: Any, value: Any) -> bool:
    """Whether arendegen's reader takes the value (numbers arrive as the text typed)."""
    text = value if isinstance(value, str | bool) else json.dumps(value)
    try:
        TypeAdapter(annotation).validate_python(text)
    except ValueError:
        return False
    return True


# The schema may be looser than the reader only where a number cannot show what was typed:
# 9.3 may have been `9.30`, which validate reads, or `9.3`, which it does not. Each number but
# 13.75 has a form validate reads.
LOOSER = {(types.Time, value) for value in (9.3, 13, 24, 0, 13.75)}


def test_the_schemas_patterns_take_what_arendegen_reads(node: str) -> None:
    requests = [
        {"schema": TypeAdapter(annotation).json_schema(), "value": value}
        for annotation, values in SAMPLES.items()
        for value in values
    ]
    done = subprocess.run(
        [node, str(CHECK), "--values"],
        input=json.dumps(requests),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=True,
    )
    answers = iter(json.loads(done.stdout))
    disagree = []
    for annotation, values in SAMPLES.items():
        for value in values:
            schema_says, reader_says = next(answers), reads(annotation, value)
            if schema_says != reader_says and (annotation, value) not in LOOSER:
                disagree.append((annotation, value, schema_says, reader_says))
    assert disagree == []
    assert all(reads(types.Time, f"{v:.2f}") for _, v in LOOSER if v != 13.75)


class LanguageServer:
    """yaml-language-server over stdio, spoken to as an editor speaks: JSON-RPC messages with
    Content-Length headers. Every wait has a deadline, so a silent server fails the test."""

    def __init__(self, node: str, root: Path) -> None:
        self.process = subprocess.Popen(
            [node, str(SERVER), "--stdio"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=root,
        )
        self.messages: queue.Queue[dict[str, Any]] = queue.Queue()
        self.diagnostics: dict[str, list[dict[str, Any]]] = {}
        self.next_id = 0
        assert self.process.stdout is not None
        threading.Thread(target=self._read, args=(self.process.stdout,), daemon=True).start()
        self.settings = {
            "yaml": {
                "validate": True,
                "completion": True,
                "hover": True,
                # no schema catalogue from the network: only the file's own modeline
                "schemaStore": {"enable": False},
                "kubernetesCRDStore": {"enable": False},
                "schemas": {},
            }
        }
        self.request(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": root.as_uri(),
                "workspaceFolders": [{"uri": root.as_uri(), "name": root.name}],
                "capabilities": {
                    "textDocument": {
                        "publishDiagnostics": {},
                        "completion": {"completionItem": {"snippetSupport": False}},
                    }
                },
            },
        )
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration", {"settings": self.settings})

    def _read(self, stream: IO[bytes]) -> None:
        while True:
            length = 0
            while (header := stream.readline()) not in (b"\r\n", b""):
                name, _, value = header.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            if not header:
                return
            self.messages.put(json.loads(stream.read(length)))

    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def notify(self, method: str, params: dict[str, Any]) -> None:
        self._send({"method": method, "params": params})

    def request(self, method: str, params: dict[str, Any]) -> Any:
        self.next_id += 1
        self._send({"id": self.next_id, "method": method, "params": params})
        answer = self._wait(lambda m: m.get("id") == self.next_id and "method" not in m)
        assert "error" not in answer, answer
        return answer["result"]

    def _wait(self, wanted: Any) -> dict[str, Any]:
        deadline = time.monotonic() + TIMEOUT
        while True:
            left = deadline - time.monotonic()
            assert left > 0, "yaml-language-server svarade inte i tid"
            message = self.messages.get(timeout=left)
            if message.get("method") == "textDocument/publishDiagnostics":
                params = message["params"]
                self.diagnostics[params["uri"]] = params["diagnostics"]
            elif "method" in message and "id" in message:  # the server asks the editor
                self._answer(message)
            if wanted(message):
                return message

    def _answer(self, message: dict[str, Any]) -> None:
        result: Any = None
        if message["method"] == "workspace/configuration":
            result = [
                self.settings.get(i.get("section", ""), None) for i in message["params"]["items"]
            ]
        self._send({"id": message["id"], "result": result})

    def open(self, path: Path, text: str | None = None) -> list[dict[str, Any]]:
        """Open the file as an editor does and return the server's diagnostics for it."""
        uri = path.as_uri()
        assert uri not in self.diagnostics, "öppna varje fil en gång: servern har den kvar"
        document = {
            "uri": uri,
            "languageId": "yaml",
            "version": 1,
            "text": path.read_text(encoding="utf-8") if text is None else text,
        }
        self.notify("textDocument/didOpen", {"textDocument": document})
        self._wait(
            lambda m: (
                m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri
            )
        )
        return self.diagnostics[uri]

    def close(self) -> None:
        try:
            self.request("shutdown", {})
            self.notify("exit", {})
            self.process.wait(timeout=10)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()


@pytest.fixture(scope="module")
def server(node: str, repo: Path) -> Iterator[LanguageServer]:
    started = LanguageServer(node, repo)
    try:
        yield started
    finally:
        started.close()


MODELINE = "# yaml-language-server: $schema=../../arendegen.schema.json\n"


def errors(diagnostics: list[dict[str, Any]], offset: int = 0) -> dict[int, str]:
    """The server's errors by line (1-based, less `offset` lines put before the file)."""
    return {
        d["range"]["start"]["line"] + 1 - offset: d["message"]
        for d in diagnostics
        if d.get("severity", 1) == 1
    }


def test_yaml_language_server_finds_nothing_wrong_in_the_examples_init_writes(
    server: LanguageServer, repo: Path
) -> None:
    examples = sorted((repo / "cases" / "exempel").glob("*.yaml"))
    assert len(examples) == len(DOCUMENT_KINDS)
    for path in examples:
        assert path.read_text(encoding="utf-8").startswith(MODELINE)
        assert server.open(path) == [], path.name
    # `arendegen new sammanträdesprotokoll` quotes its times; unquoted, 13.00 is a number to
    # the editor and text to validate, and both take it.
    minutes = repo / "cases" / "exempel" / "sammantradesprotokoll.yaml"
    text = minutes.read_text(encoding="utf-8")
    assert 'från: "13.00"' in text
    unquoted = minutes.with_name("utan-citattecken.yaml")
    assert server.open(unquoted, text.replace('från: "13.00"', "från: 13.00")) == []


# A file that YAML cannot read gets only its syntax error from validate, not the schema's.
UNREADABLE = {"syntaxfel.yaml", "tabb.yaml"}


def test_yaml_language_server_marks_what_validate_marks(server: LanguageServer, repo: Path) -> None:
    """Each error the editor shows in a broken case, validate reports too, on the same line
    (a missing key: in the same mapping)."""
    marked: dict[str, set[int]] = {}
    for broken in sorted(BROKEN.glob("*.yaml")):
        copy = repo / "cases" / "exempel" / f"trasig-{broken.name}"
        copy.write_bytes(MODELINE.encode() + broken.read_bytes())
        try:
            shown = errors(server.open(copy), offset=1)
        finally:
            copy.unlink()
        reported = check_file(broken).errors
        assert reported or not shown, broken.name
        if broken.name in UNREADABLE:
            continue
        lines = {d.line for d in reported}
        for line, message in shown.items():
            # a missing key: the server marks the key above the mapping, validate its first line
            key = message.split('"')[1] if message.startswith("Missing property") else None
            named = any(d.path.rpartition(".")[2] == key for d in reported)
            assert line in lines or named, (broken.name, line, message)
        marked[broken.name] = set(shown)
    assert len([name for name, lines in marked.items() if lines]) >= 8
    # '3/2 2026' and '2026-02-30' are no dates, then 'tjugotvå', 0, 'kanske' and a list
    assert marked["ogiltiga-varden.yaml"] == {3, 9, 13, 14, 16, 19}
    assert marked["period-och-klockslag.yaml"] == {25}  # '25.00' is no time
    assert marked["okanda-nycklar.yaml"] == {4, 8, 12, 15}  # misspelt keys


def completion(server: LanguageServer, path: Path, text: str, line: int, column: int) -> list[str]:
    server.open(path, text)
    found = server.request(
        "textDocument/completion",
        {"textDocument": {"uri": path.as_uri()}, "position": {"line": line, "character": column}},
    )
    return [item["label"] for item in (found["items"] if isinstance(found, dict) else found)]


def test_yaml_language_server_completes_the_keys_of_the_schema(
    server: LanguageServer, repo: Path
) -> None:
    folder = repo / "cases" / "exempel"
    top = completion(server, folder / "ny.yaml", MODELINE + "mall: region\n\n", 2, 0)
    assert {"titel", "handlingar", "diarienummer"} <= set(top)
    assert "mall" not in top  # already there
    # in a document, the keys of the kind its `typ` names, from the `oneOf` by `typ`
    meeting = MODELINE + "titel: x\nhandlingar:\n  - typ: sammanträdesprotokoll\n    \n"
    keys = completion(server, folder / "nytt-protokoll.yaml", meeting, 4, 4)
    assert {"sammanträde", "paragrafer"} <= set(keys)
    assert "beslutsfattare" not in keys  # a delegationsbeslut's
