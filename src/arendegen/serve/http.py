"""The web app's HTTP side: a small server on 127.0.0.1 and the routes the page calls.

Who may ask: the person who started `arendegen serve`. The address it prints carries a
random login key; a visit with it gets a cookie of another random value (HttpOnly,
SameSite=Strict), and the page a third, which it sends in a header with every change. The
browser is opened through a file only this user can read, so the key never stands on a
command line other users can list. So another web site open in
the same browser can neither read the app (no cross-origin answers) nor change a file (it
cannot know the token, and the cookie is never sent with its requests); the Host header must
name this server, which defeats DNS rebinding.

Every route answers JSON or a file; a broken case, an edit that cannot be made or a failure
inside the pipeline is answered as an error of that request, and the server goes on.
"""

from __future__ import annotations

import contextlib
import hmac
import json
import re
import secrets
import sys
import threading
import traceback
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

from arendegen import editing
from arendegen.errors import ArendegenError
from arendegen.loader import MAX_FILE_BYTES
from arendegen.serve.preview import Previewer, PreviewError
from arendegen.serve.state import case_state
from arendegen.serve.workspace import Buffer, Refused, Workspace, path_from, show_table

MAX_BODY = 4 * 1024 * 1024
"""Bytes of one request (a case file may hold 1 MB of YAML, sent as JSON)."""
COOKIE = "arendegen"
MIME = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
STATIC = {
    "app.js": "text/javascript; charset=utf-8",
    "app.css": "text/css; charset=utf-8",
    "form.js": "text/javascript; charset=utf-8",
}
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:; "
        "connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "Cache-Control": "no-store",
}


class App:
    """What the routes share: the repository, the previews and the session's token."""

    def __init__(self, workspace: Workspace, previewer: Previewer) -> None:
        self.workspace = workspace
        self.previewer = previewer
        self.login = secrets.token_urlsafe(32)
        """In the address printed: trades for the cookie."""
        self.cookie = secrets.token_urlsafe(32)
        self.token = secrets.token_urlsafe(32)
        """In the page: sent in a header with every change."""
        self.port = 0

    def hosts(self) -> set[str]:
        return {f"127.0.0.1:{self.port}", f"localhost:{self.port}"}


MAX_CONNECTIONS = 32
"""Connections served at once; more are closed at once (another local user holding many
idle connections cannot exhaust the threads and files)."""


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, app: App, port: int = 0) -> None:
        self.app = app
        self.slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        super().__init__(("127.0.0.1", port), Handler)
        app.port = self.server_address[1]

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self.slots.acquire(blocking=False):
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()


class Handler(BaseHTTPRequestHandler):
    server: Server
    timeout = 30  # seconds a connection may stay silent
    protocol_version = "HTTP/1.1"
    server_version = "arendegen"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:
        pass  # a request log is noise to an official; errors are printed where they occur

    @property
    def app(self) -> App:
        return self.server.app

    # --- Who asks -------------------------------------------------------------------------

    def _host_ok(self) -> bool:
        return self.headers.get("Host", "") in self.app.hosts()

    def _cookie_ok(self) -> bool:
        for part in self.headers.get("Cookie", "").split(";"):
            name, _, value = part.strip().partition("=")
            if name == COOKIE and hmac.compare_digest(value.encode(), self.app.cookie.encode()):
                return True
        return False

    def _token_ok(self) -> bool:
        sent = self.headers.get("X-Arendegen-Token", "")
        return hmac.compare_digest(sent.encode(), self.app.token.encode())

    def _origin_ok(self) -> bool:
        origin = self.headers.get("Origin")
        return origin is None or origin in {f"http://{h}" for h in self.app.hosts()}

    # --- Answers ------------------------------------------------------------------------------

    def _send(
        self, status: int, body: bytes, kind: str, extra: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        for name, value in {**SECURITY_HEADERS, **(extra or {})}.items():
            self.send_header(name, value)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, data: Any) -> None:
        body = json.dumps(data, ensure_ascii=False).encode("utf-8")
        self._send(status, body, "application/json; charset=utf-8")

    def _error(self, status: int, message: str, **more: Any) -> None:
        self._json(status, {"fel": message, **more})

    # --- GET ----------------------------------------------------------------------------------

    def do_GET(self) -> None:
        self._guarded(self._get)

    def do_POST(self) -> None:
        self._guarded(self._post)

    def _guarded(self, handle: Any) -> None:
        if not self._host_ok():
            self._error(
                HTTPStatus.FORBIDDEN, "okänd värd; öppna adressen som arendegen serve skrev ut"
            )
            return
        try:
            handle()
        except Refused as exc:
            self._error(HTTPStatus.FORBIDDEN, str(exc))
        except editing.ChangedOnDisk as exc:
            self._error(HTTPStatus.CONFLICT, str(exc))
        except (editing.EditError, PreviewError) as exc:
            self._error(HTTPStatus.UNPROCESSABLE_ENTITY, str(exc))
        except ArendegenError as exc:
            self._error(HTTPStatus.UNPROCESSABLE_ENTITY, str(exc))
        except (BrokenPipeError, ConnectionResetError):
            pass
        except Exception as exc:  # one broken request never takes the server down
            traceback.print_exc(file=sys.stderr)
            with contextlib.suppress(OSError):
                self._error(
                    HTTPStatus.INTERNAL_SERVER_ERROR, f"internt fel: {type(exc).__name__}: {exc}"
                )

    def _get(self) -> None:
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        if url.path == "/" and "token" in query:
            given = query["token"][0]
            if not hmac.compare_digest(given.encode(), self.app.login.encode()):
                self._error(
                    HTTPStatus.FORBIDDEN, "fel nyckel; öppna adressen som arendegen serve skrev ut"
                )
                return
            cookie = f"{COOKIE}={self.app.cookie}; HttpOnly; SameSite=Strict; Path=/"
            self._send(
                HTTPStatus.SEE_OTHER, b"", "text/plain", {"Location": "/", "Set-Cookie": cookie}
            )
            return
        if url.path == "/favicon.ico":
            self._send(HTTPStatus.NO_CONTENT, b"", "image/x-icon")
            return
        if url.path.startswith("/static/") and url.path[8:] in STATIC:
            name = url.path[8:]
            body = (resources.files("arendegen.serve") / "static" / name).read_bytes()
            self._send(HTTPStatus.OK, body, STATIC[name])
            return
        if not self._cookie_ok():
            self._send(
                HTTPStatus.FORBIDDEN,
                "Öppna adressen som arendegen serve skrev ut (med ?token=…).\n".encode(),
                "text/plain; charset=utf-8",
            )
            return
        if url.path == "/":
            html = (resources.files("arendegen.serve") / "static" / "index.html").read_text("utf-8")
            body = html.replace("{{token}}", self.app.token).encode("utf-8")
            self._send(HTTPStatus.OK, body, "text/html; charset=utf-8")
        elif url.path == "/api/cases":
            self._json(HTTPStatus.OK, {"ärenden": self.app.workspace.listing(), **self._about()})
        elif url.path == "/api/schema":
            self._json(HTTPStatus.OK, _schema())
        elif page := re.fullmatch(r"/api/sida/([0-9a-f]{32})/([0-9]{1,3})\.jpg", url.path):
            self._page(page.group(1), int(page.group(2)))
        elif file := re.fullmatch(r"/api/hamta/([0-9a-f]{32})\.(pdf|docx)", url.path):
            self._download(file.group(1), file.group(2))
        else:
            self._error(HTTPStatus.NOT_FOUND, "finns inte")

    def _page(self, key: str, number: int) -> None:
        shown = self.app.previewer.get(key)
        if shown is None or not 1 <= number <= len(shown.pages):
            self._error(HTTPStatus.NOT_FOUND, "förhandsvisningen finns inte längre")
            return
        self._send(
            HTTPStatus.OK,
            shown.pages[number - 1],
            "image/jpeg",
            {"Cache-Control": "private, max-age=3600"},
        )

    def _download(self, key: str, kind: str) -> None:
        """The previewed document's DOCX or PDF, named as a build names it."""
        shown = self.app.previewer.get(key)
        if shown is None:
            self._error(HTTPStatus.NOT_FOUND, "förhandsvisningen finns inte längre")
            return
        data = shown.pdf if kind == "pdf" else shown.docx
        name = shown.name.rpartition(".")[0] + "." + kind
        ascii_name = re.sub(r"[^A-Za-z0-9._-]", "_", name)
        disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
        self._send(HTTPStatus.OK, data, MIME[kind], {"Content-Disposition": disposition})

    def _about(self) -> dict[str, Any]:
        from arendegen.skeleton import FILES

        return {
            "repo": self.app.workspace.root.name,
            "sorter": sorted(FILES),
            "förhandsvisning": self.app.previewer.note,
        }

    # --- POST -------------------------------------------------------------------------------

    def _body(self) -> dict[str, Any]:
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            raise Refused("ogiltig längd") from None
        if not 0 <= length <= MAX_BODY:
            raise Refused(f"begäran är större än {MAX_BODY // 1024 // 1024} MB")
        raw = self.rfile.read(length)
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise Refused("begäran är inte JSON") from None
        if not isinstance(data, dict):
            raise Refused("begäran är inte ett JSON-objekt")
        return data

    def _post(self) -> None:
        if not (self._token_ok() and self._origin_ok()):
            self._error(HTTPStatus.FORBIDDEN, "begäran saknar sessionens nyckel")
            return
        if not self.headers.get("Content-Type", "").startswith("application/json"):
            self._error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "skicka JSON")
            return
        body = self._body()
        route = ROUTES.get(urlsplit(self.path).path)
        if route is None:
            self._error(HTTPStatus.NOT_FOUND, "finns inte")
            return
        status, answer = route(self.app, body)
        self._json(status, answer)


# --- The routes that change or compute something ------------------------------------------


def _text(body: dict[str, Any], key: str) -> str:
    value = body.get(key)
    if not isinstance(value, str):
        raise Refused(f"'{key}' saknas")
    return value


def _state(app: App, relative: str) -> tuple[int, dict[str, Any]]:
    key = app.workspace.key(relative)
    buffer = app.workspace.open(key)
    with buffer.lock:
        path = app.workspace.verify(key, buffer)
        result = app.workspace.check(key, buffer)
        return HTTPStatus.OK, case_state(key, buffer, result, path)


STALE = (
    "ärendet har ändrats i en annan flik sedan den här visade det; formuläret visar nu det senaste"
)
LIST_EDITS = {"lägg_till_post", "ta_bort_post", "flytta_post"}
"""Edits that name an item by its place: made only on the text the tab last saw (a value set
by its key path lands where it was meant whatever else changed)."""


def _stale(app: App, relative: str, body: dict[str, Any], buffer: Buffer) -> bool:
    seen = body.get("version")
    return isinstance(seen, int) and not isinstance(seen, bool) and seen != buffer.version


def open_case(app: App, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    return _state(app, _text(body, "fil"))


def edit(app: App, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """One change of the form, applied to the text in place."""
    relative = _text(body, "fil")
    buffer = app.workspace.open(relative)
    operation = body.get("op")
    path = path_from(body.get("väg") or [])
    value = body.get("värde", "")
    if not _is_value(value):
        raise Refused("ogiltigt värde")
    with buffer.lock:
        if operation in LIST_EDITS and _stale(app, relative, body, buffer):
            return HTTPStatus.CONFLICT, {"fel": STALE, "läge": _state(app, relative)[1]}
        text = buffer.text
        if operation == "sätt" and body.get("sanningsvärde") is True and value in {"true", "false"}:
            text = editing.set_flag(text, path, value == "true")
        elif operation == "sätt":
            text = editing.replace_value(text, path, value)
        elif operation == "lägg_till_nyckel":
            after = body.get("efter") if isinstance(body.get("efter"), str) else None
            text = editing.add_key(text, path, _text(body, "nyckel"), value, after=after)
        elif operation == "ta_bort_nyckel":
            text = editing.remove_key(text, path)
        elif operation == "lägg_till_post":
            text = editing.insert_item(text, path, _index(body, "plats"), value)
        elif operation == "ta_bort_post":
            text = editing.remove_item(text, path, _index(body, "plats"))
        elif operation == "visa_tabell":
            text = show_table(text, path, _text(body, "tabell"))
        elif operation == "flytta_post":
            text = editing.move_item(text, path, _index(body, "plats"), _index(body, "till"))
        else:
            raise Refused(f"okänd ändring {operation!r}")
        if text != buffer.text:
            buffer.text, buffer.version = text, buffer.version + 1
    return _state(app, relative)


def _is_value(value: Any, depth: int = 0) -> bool:
    if depth > 12:
        return False
    if isinstance(value, str):
        return True
    if isinstance(value, list):
        return all(_is_value(v, depth + 1) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _is_value(v, depth + 1) for k, v in value.items())
    return False


def _index(body: dict[str, Any], key: str) -> int:
    value = body.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise Refused(f"'{key}' ska vara ett heltal")
    return value


def replace_text(app: App, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """The YAML view's text, as typed there."""
    relative = _text(body, "fil")
    text = _text(body, "text")
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        raise Refused(f"texten är större än en ärendefil får vara ({MAX_FILE_BYTES // 1024} kB)")
    buffer = app.workspace.open(relative)
    with buffer.lock:
        if _stale(app, relative, body, buffer):  # the whole text, from a tab behind
            return HTTPStatus.CONFLICT, {"fel": STALE, "läge": _state(app, relative)[1]}
        if text != buffer.text:
            buffer.text, buffer.version = text, buffer.version + 1
    return _state(app, relative)


def save(app: App, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """Write the text to the file; refused (409, with the file's text) when someone else
    changed it, unless the person chose to keep theirs (`skriv_över`)."""
    relative = app.workspace.key(_text(body, "fil"))
    buffer = app.workspace.open(relative)
    with buffer.lock:
        path = app.workspace.verify(relative, buffer)  # still the file that was opened
        if _stale(app, relative, body, buffer):
            return HTTPStatus.CONFLICT, {"fel": STALE, "läge": _state(app, relative)[1]}
        if body.get("skriv_över") is True and path.exists():
            disk = _disk_text(path)
            buffer.opened = editing.Opened(path, disk, editing.digest(disk))
        try:
            buffer.opened = editing.save(buffer.opened, buffer.text)
        except editing.ChangedOnDisk:
            return HTTPStatus.CONFLICT, {
                "fel": f"{relative} har ändrats av någon annan sedan du öppnade det.",
                "på_disk": _disk_text(path),
                "min": buffer.text,
            }
    return _state(app, relative)


def _disk_text(path: Path) -> str:
    """The file as it is on disk now, as text (at most a case file's size)."""
    with path.open("rb") as handle:
        return handle.read(MAX_FILE_BYTES + 1).decode("utf-8", "replace")


def reload(app: App, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """Forget the edits and read the file as it is on disk now."""
    relative = _text(body, "fil")
    app.workspace.forget(relative)
    return _state(app, relative)


def new(app: App, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    relative = app.workspace.new_case(_text(body, "sort"), _text(body, "fil"))
    return _state(app, relative)


def preview(app: App, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    relative = _text(body, "fil")
    document = body.get("handling", 0)
    if isinstance(document, bool) or not isinstance(document, int):
        raise Refused("'handling' ska vara ett heltal")
    buffer = app.workspace.open(relative)
    with buffer.lock:
        text = buffer.text
        result = app.workspace.check(relative, buffer)
    source = (buffer.opened.path, tuple(app.workspace.templates))
    shown = app.previewer.preview(relative, result, text, document, source)
    if shown is None:
        return HTTPStatus.OK, {"ersatt": True}
    return HTTPStatus.OK, {
        "nyckel": shown.key,
        "namn": shown.name,
        "sidor": len(shown.pages),
        "sidor_totalt": shown.total_pages,
        "sekunder": round(shown.seconds, 3),
        "omvandlare": shown.converter,
    }


def markdown(app: App, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """A section's Markdown as HTML, for the text area's own preview (HTML typed in the
    text is shown as text, as the document shows it)."""
    from markdown_it import MarkdownIt

    text = _text(body, "text")[:200_000]
    return HTTPStatus.OK, {"html": MarkdownIt("commonmark", {"html": False}).render(text)}


def complete(app: App, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    from arendegen.serve.completion import completions

    text = _text(body, "text")
    offset = _index(body, "plats")
    return HTTPStatus.OK, {"förslag": completions(text, offset)}


ROUTES = {
    "/api/oppna": open_case,
    "/api/andra": edit,
    "/api/text": replace_text,
    "/api/spara": save,
    "/api/las_om": reload,
    "/api/nytt": new,
    "/api/forhandsvisa": preview,
    "/api/markdown": markdown,
    "/api/komplettera": complete,
}


_SCHEMA: dict[str, Any] = {}
_SCHEMA_LOCK = threading.Lock()


def _schema() -> dict[str, Any]:
    with _SCHEMA_LOCK:
        if not _SCHEMA:
            from arendegen.schema.jsonschema import case_schema

            _SCHEMA.update(case_schema())
        return _SCHEMA
