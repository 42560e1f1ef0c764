"""`arendegen serve`: a case repository in the browser, as a form beside its document.

    workspace.py   the repository: its cases, paths kept inside it, cases open for editing
    state.py       what the page is told after each change: tree, diagnostics, figures
    completion.py  the YAML view's completion of keys, from the schema
    preview.py     checked case → .docx → PDF (a LibreOffice kept warm) → pages as PNG
    http.py        the server on 127.0.0.1, its session token and its routes
    static/        the page: plain HTML, CSS and JavaScript, no build step

Edits are made to the text in place (arendegen.editing), checked by the same code as
`arendegen validate`, and saved atomically; the file on disk is never overwritten behind
the back of someone who changed it.
"""

from __future__ import annotations

import os
import tempfile
import threading
import webbrowser
from collections.abc import Callable
from pathlib import Path

from arendegen.serve.http import App, Server
from arendegen.serve.preview import Previewer
from arendegen.serve.workspace import Workspace


def start(folder: Path, *, port: int = 0, warm: bool = True) -> tuple[Server, App]:
    """The server for the repository at `folder`, bound and ready (not yet serving)."""
    app = App(Workspace.at(folder), Previewer())
    server = Server(app, port)
    if warm:
        threading.Thread(target=app.previewer.start, daemon=True).start()
    return server, app


def address(app: App) -> str:
    return f"http://127.0.0.1:{app.port}/?token={app.login}"


def _open_privately(url: str, folder: Path) -> None:
    """Open `url` in the browser through a page in a folder only this user can read: the
    browser's command line, which every user of the machine can list, names only the file."""
    page = folder / "öppna.html"
    fd = os.open(page, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(
            f'<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0;url={url}">'
            f'<a href="{url}">arendegen</a>\n'
        )
    webbrowser.open(page.as_uri())


def serve(
    folder: Path,
    *,
    port: int = 0,
    open_browser: bool = True,
    announce: Callable[[str], None] = print,
) -> None:
    """Serve until interrupted (Ctrl+C); LibreOffice is stopped on the way out."""
    server, app = start(folder, port=port)
    url = address(app)
    announce(url)
    with tempfile.TemporaryDirectory(prefix="arendegen-serve-") as private:  # mode 700
        if open_browser:
            _open_privately(url, Path(private))
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
            app.previewer.close()
