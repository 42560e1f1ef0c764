"""Measure `arendegen serve`'s live preview: edit → new preview, over a scripted session.

    .venv/bin/python bench/preview_latency.py [EDITS]

Starts the server on a copy of cases/examples/ks-2025-172-vatten-och-avlopp.yaml (its first
document, the tjänsteutlåtande, is 3 pages) and makes EDITS edits (default 40) as an
official would: the title, an att-sats, the background, the summary, in turn. Each is timed from the edit sent until the new preview's every page
has been fetched: the edit answered (the case checked again), the documents rendered, the
PDF made by the LibreOffice kept warm, the pages drawn. Prints the median and the 95th
percentile with the machine's details. Issue 20 asks for a median within 1 s on this
2-core machine.

The page adds its own waits before it sends an edit: 250 ms after the last keystroke (or at
once when the field is left), then 50 ms before it asks for the preview; these are printed
beside the figures, not measured. Not part of the test suite.
"""

from __future__ import annotations

import http.client
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CASE = ROOT / "cases" / "examples" / "ks-2025-172-vatten-och-avlopp.yaml"
RELATIVE = "cases/ks-2025-172.yaml"
PAGE_WAITS_MS = 250 + 50


def main(edits: int) -> None:
    from arendegen.repo import init
    from arendegen.serve import start

    with tempfile.TemporaryDirectory(prefix="arendegen-bench-") as work:
        folder = Path(work) / "repo"
        init(folder)
        shutil.copy(CASE, folder / RELATIVE)
        started = time.perf_counter()
        httpd, app = start(folder, warm=False)
        app.previewer.start()
        warm_start = time.perf_counter() - started
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        client = Client(app.port, app.token, app.cookie)
        try:
            state = client.post("/api/oppna", {"fil": RELATIVE})
            first = client.preview()
            session = [client.timed_edit(edit) for edit in script(state, edits)]
        finally:
            httpd.shutdown()
            httpd.server_close()
            app.previewer.close()
    report(session, warm_start, first)


def script(state: dict[str, Any], count: int) -> list[dict[str, Any]]:
    """The session's edits: four fields changed in turn, each to a new value every time."""
    import yaml

    assert state["fel"] == 0, state["diagnostik"]
    data = yaml.safe_load(state["text"])
    background, summary = data["bakgrund"]["text"], data["sammanfattning"]
    fields = [
        (["titel"], lambda n: f"Reviderad VA-plan 2025–2035, version {n}"),
        (["förslag_till_beslut", "att", 0, "text"], lambda n: f"anta VA-planen, förslag {n}."),
        (["bakgrund", "text"], lambda n: f"Planen har setts över igen ({n}). {background}"),
        (["sammanfattning"], lambda n: f"{summary.rstrip()} Tillägg {n}.\n"),
    ]
    return [
        {"fil": RELATIVE, "op": "sätt", "väg": fields[n % 4][0], "värde": fields[n % 4][1](n)}
        for n in range(count)
    ]


class Client:
    def __init__(self, port: int, token: str, cookie: str) -> None:
        self.port, self.token, self.cookie = port, token, cookie

    def request(self, method: str, path: str, body: Any = None) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {"Host": f"127.0.0.1:{self.port}", "Cookie": f"arendegen={self.cookie}"}
        data = None
        if body is not None:
            headers |= {"Content-Type": "application/json", "X-Arendegen-Token": self.token}
            data = json.dumps(body).encode()
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        answer = response.read()
        connection.close()
        return response.status, answer

    def post(self, path: str, body: Any) -> dict[str, Any]:
        status, answer = self.request("POST", path, body)
        data: dict[str, Any] = json.loads(answer)
        if status != 200:
            raise SystemExit(f"{path}: {status} {data}")
        return data

    def preview(self) -> dict[str, Any]:
        shown = self.post("/api/forhandsvisa", {"fil": RELATIVE, "handling": 0})
        for page in range(1, shown["sidor"] + 1):
            status, _ = self.request("GET", f"/api/sida/{shown['nyckel']}/{page}.jpg")
            assert status == 200
        return shown

    def timed_edit(self, edit: dict[str, Any]) -> tuple[float, dict[str, Any]]:
        started = time.perf_counter()
        state = self.post("/api/andra", edit)
        assert state["fel"] == 0, state["diagnostik"]
        shown = self.preview()
        return time.perf_counter() - started, shown


def report(session: list[tuple[float, dict[str, Any]]], warm_start: float, first: Any) -> None:
    seconds = sorted(s for s, _ in session)
    p95 = seconds[min(len(seconds) - 1, round(0.95 * len(seconds)) - 1)]
    pages = {shown["sidor_totalt"] for _, shown in session}
    converters = {shown["omvandlare"] for _, shown in session}
    server = statistics.median(shown["sekunder"] for _, shown in session)
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {cpu}")
    print(f"document: {first['namn']}, {'/'.join(map(str, sorted(pages)))} pages")
    print(f"LibreOffice kept warm: started in {warm_start * 1000:.0f} ms; converter {converters}")
    print(f"edits: {len(seconds)}")
    print(
        f"edit → new preview: median {statistics.median(seconds) * 1000:.0f} ms, "
        f"95th percentile {p95 * 1000:.0f} ms, slowest {seconds[-1] * 1000:.0f} ms"
    )
    print(f"  of which preview (render + PDF + pages), median {server * 1000:.0f} ms")
    print(f"  the page waits {PAGE_WAITS_MS} ms more before sending (typing pause + preview)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 40)
