"""The far end of render/warm.py: one LibreOffice, driven through UNO, one document at a time.

Run by Debian's own Python (/usr/bin/python3), the only one that can import `uno`
(package python3-uno), so it uses the standard library and `uno` only, never arendegen.

    /usr/bin/python3 warm_worker.py '{"command": [...], "pipe": "NAME", "folder": "/tmp/…"}'

It starts `command` (soffice, accepting UNO connections on the pipe NAME) as its child, in
its own process group, which the parent made for it and kills whole when something hangs,
and then talks over stdin and stdout, one JSON object a line:

    out  {"ready": true}                        once LibreOffice answers
         {"failed": "uno", "detail": "..."} or {"failed": "office", "code": N}, and it exits
    in   {"source": "/…/d.docx", "target": "/…/d.pdf", "filter": "writer_pdf_Export",
          "options": {"UseTaggedPDF": {"type": "boolean", "value": "true"}, ...}}
    out  {"ok": true} | {"ok": false, "reason": "load" | "store" | "gone", "detail": "..."}
    in   {"quit": true}, or the end of stdin: LibreOffice is told to end, then the worker ends.

`folder` holds the profile and the documents: the parent removes it, or this worker when the
parent has gone (its stdin ends without a "quit"). Words for people are the parent's business:
replies name a reason, never a message.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

try:  # no stubs exist: these are typed Any here
    import uno  # type: ignore[import-not-found]
    from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
    from com.sun.star.connection import NoConnectException  # type: ignore[import-not-found]
except ImportError as exc:  # reported to the parent, which knows what to install
    print(json.dumps({"failed": "uno", "detail": str(exc)}), flush=True)
    sys.exit(3)

WRITER_DOCX = "MS Word 2007 XML"
"""The only import filter used: a file that is no .docx fails instead of opening as text."""
NEVER_EXECUTE = 0  # com.sun.star.document.MacroExecMode.NEVER_EXECUTE
NO_UPDATE = 0  # com.sun.star.document.UpdateDocMode.NO_UPDATE
KINDS: dict[str, Callable[[str], Any]] = {
    "boolean": lambda value: value == "true",
    "long": int,
    "short": int,
    "hyper": int,
    "double": float,
    "string": str,
}
"""The value types `soffice --convert-to` accepts in JSON filter options, as Python values."""


def reply(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def properties(values: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(PropertyValue(Name=name, Value=value) for name, value in values.items())


def connect(pipe: str, office: subprocess.Popen[bytes]) -> Any:
    """The office's desktop, once it answers on the pipe; None when it ended first."""
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    while office.poll() is None:
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except NoConnectException:
            time.sleep(0.05)
            continue
        return context.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", context
        )
    return None


def filter_data(options: dict[str, dict[str, str]]) -> Any:
    """The export options, typed as the filter reads them (a sequence of PropertyValue: a
    plain tuple would reach LibreOffice as a sequence of any, which the filter ignores)."""
    values = {name: KINDS[option["type"]](option["value"]) for name, option in options.items()}
    return uno.Any("[]com.sun.star.beans.PropertyValue", properties(values))


def convert(desktop: Any, request: dict[str, Any]) -> dict[str, Any]:
    """Load the document hidden (no macros, no links updated), store it through the filter,
    close it."""
    load = {
        "Hidden": True,
        "ReadOnly": True,
        "Silent": True,
        "FilterName": WRITER_DOCX,
        "MacroExecutionMode": NEVER_EXECUTE,
        "UpdateDocMode": NO_UPDATE,
    }
    source = uno.systemPathToFileUrl(request["source"])
    try:
        document = desktop.loadComponentFromURL(source, "_blank", 0, properties(load))
    except Exception as exc:  # UNO's IllegalArgumentException, IOException, bridge errors
        return failure("load", exc, desktop)
    if document is None:
        return failure("load", None, desktop)
    store = properties({"FilterName": request["filter"], "Overwrite": True})
    store += (PropertyValue(Name="FilterData", Value=filter_data(request["options"])),)
    try:
        uno.invoke(
            document,
            "storeToURL",
            (
                uno.systemPathToFileUrl(request["target"]),
                uno.Any("[]com.sun.star.beans.PropertyValue", store),
            ),
        )
    except Exception as exc:
        return failure("store", exc, desktop)
    finally:
        close(document)
    return {"ok": True}


def failure(reason: str, exc: BaseException | None, desktop: Any) -> dict[str, Any]:
    detail = getattr(exc, "Message", "") or (str(exc) if exc else "")
    return {"ok": False, "reason": reason if answers(desktop) else "gone", "detail": detail}


def answers(desktop: Any) -> bool:
    """Whether LibreOffice is still there to talk to."""
    try:
        desktop.getFrames().getCount()
    except Exception:  # DisposedException, or the bridge's RuntimeException
        return False
    return True


def close(document: Any) -> None:
    try:
        document.close(True)
    except Exception:  # a close vetoed, or the office gone: dispose is all that is left
        with contextlib.suppress(Exception):
            document.dispose()


def end(desktop: Any, office: subprocess.Popen[bytes], folder: str | None) -> None:
    """Ask LibreOffice to end (it then removes its pipes from /tmp); remove `folder` when
    given (the parent has gone, and nobody else will); kill the process group, this worker
    included, when LibreOffice has not ended within ten seconds."""
    if desktop is not None:
        with contextlib.suppress(Exception):  # already gone, or the bridge closed as it ended
            desktop.terminate()
    try:
        office.wait(timeout=10)
        ended = True
    except subprocess.TimeoutExpired:
        ended = False
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
    if not ended and os.getpgid(0) == os.getpid():  # a group of our own, never the parent's
        os.killpg(0, signal.SIGKILL)


def serve(desktop: Any) -> bool:
    """Convert what the parent asks for; whether it went away without saying so."""
    for line in sys.stdin:
        request = json.loads(line)
        if request.get("quit"):
            return False
        answer = convert(desktop, request)
        reply(answer)
        if answer.get("reason") == "gone":
            return False
    return True


def main() -> None:
    config = json.loads(sys.argv[1])
    # LibreOffice's control socket (/tmp/OSL_PIPE_…) takes its mode from the umask: only this
    # user may connect to it, whatever umask the session has (with 000 another user could
    # drive this LibreOffice, and so run macros as this user)
    os.umask(0o077)
    office = subprocess.Popen(
        config["command"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL
    )
    desktop = None
    orphaned = False
    try:
        desktop = connect(config["pipe"], office)
        if desktop is None:
            reply({"failed": "office", "code": office.returncode})
            return
        reply({"ready": True})
        orphaned = serve(desktop)
    except BrokenPipeError:  # the parent has gone while this worker spoke
        orphaned = True
    finally:
        end(desktop, office, config["folder"] if orphaned else None)


if __name__ == "__main__":
    main()
