"""`arendegen serve` over HTTP, as the page (and anything else on the machine) talks to it:
who may ask, which files it touches, what an edit and a save do to the file, and that a
broken case or a failing request never takes the server down."""

from __future__ import annotations

import http.client
import json
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from arendegen.repo import init


@dataclass
class Served:
    port: int
    token: str
    folder: Path
    cookie: str = ""
    login: str = ""

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        token: str | None = None,
        cookie: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        sent = {"Host": f"127.0.0.1:{self.port}"}
        if body is not None:
            sent["Content-Type"] = "application/json"
            sent["X-Arendegen-Token"] = self.token if token is None else token
        if cookie is not None or body is None:
            sent["Cookie"] = f"arendegen={self.cookie if cookie is None else cookie}"
        sent.update(headers or {})
        data = json.dumps(body).encode() if body is not None else None
        connection.request(method, path, body=data, headers=sent)
        response = connection.getresponse()
        answer = response.read()
        connection.close()
        return response.status, dict(response.getheaders()), answer

    def post(self, route: str, body: dict[str, Any]) -> tuple[int, Any]:
        status, _, answer = self.request("POST", route, body)
        return status, json.loads(answer)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    from arendegen.serve import start

    folder = tmp_path_factory.mktemp("serve") / "repo"
    init(folder)
    httpd, app = start(folder, warm=False)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield Served(app.port, app.token, folder, app.cookie, app.login)
    finally:
        httpd.shutdown()
        httpd.server_close()
        app.previewer.close()


CASE = "cases/exempel/tjansteskrivelse.yaml"


# --- Who may ask ------------------------------------------------------------------------------


def test_the_printed_address_trades_its_key_for_a_strict_cookie(served: Served) -> None:
    """Three secrets: the address's key, the cookie, the page's header token, each its own
    random value (one seen does not give the others)."""
    assert len({served.login, served.cookie, served.token}) == 3
    status, headers, _ = served.request("GET", f"/?token={served.login}", cookie="")
    assert status == 303 and headers["Location"] == "/"
    cookie = headers["Set-Cookie"]
    assert f"arendegen={served.cookie}" in cookie
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    status, _, page = served.request("GET", "/")
    assert status == 200 and served.token.encode() in page  # for the page's own requests
    assert served.login.encode() not in page and served.cookie.encode() not in page
    for wrong in ["wrong", served.token, served.cookie]:
        status, _, _ = served.request("GET", f"/?token={wrong}", cookie="")
        assert status == 403
    assert served.request("GET", "/api/cases", cookie=served.token)[0] == 403


def test_without_the_session_token_nothing_is_read_or_changed(served: Served) -> None:
    assert served.request("GET", "/api/cases", cookie="")[0] == 403
    assert served.request("GET", "/", cookie="nope")[0] == 403
    before = (served.folder / CASE).read_bytes()
    edit = {"fil": CASE, "op": "sätt", "väg": ["titel"], "värde": "Kapad"}
    for token in ["", "fel"]:
        status, _, _ = served.request("POST", "/api/andra", edit, token=token)
        assert status == 403
    status, _, _ = served.request("POST", "/api/spara", {"fil": CASE}, token="")
    assert status == 403
    assert (served.folder / CASE).read_bytes() == before


def test_another_site_or_host_name_is_refused(served: Served) -> None:
    """DNS rebinding: a page of evil.example that resolves to 127.0.0.1 names its own host;
    a request from another origin carries its Origin."""
    status, _, _ = served.request("GET", "/api/cases", headers={"Host": "evil.example:80"})
    assert status == 403
    body = {"fil": CASE}
    status, _, _ = served.request(
        "POST", "/api/oppna", body, headers={"Origin": "http://evil.example"}
    )
    assert status == 403
    status, _, _ = served.request(
        "POST", "/api/oppna", body, headers={"Content-Type": "text/plain"}
    )
    assert status == 415  # a form another page can post without asking is not JSON


def test_pages_may_not_be_framed_or_run_other_scripts(served: Served) -> None:
    _, headers, _ = served.request("GET", "/")
    policy = headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert headers["X-Frame-Options"] == "DENY"


def test_the_server_listens_on_this_machine_only(served: Served) -> None:
    from arendegen.serve import start

    httpd, _ = start(served.folder, warm=False)
    try:
        assert httpd.server_address[0] == "127.0.0.1"
    finally:
        httpd.server_close()


# --- Which files --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["../utanför.yaml", "/etc/passwd", "cases/../../x.yaml", "arendegen.yaml.txt", "", "a\0.yaml"],
)
def test_only_case_files_inside_the_repository_are_opened(served: Served, name: str) -> None:
    status, answer = served.post("/api/oppna", {"fil": name})
    assert status == 403, answer
    assert answer["fel"]


def test_a_case_linked_out_of_the_repository_is_not_read(served: Served, tmp_path: Path) -> None:
    secret = tmp_path / "hemlig.yaml"
    secret.write_text("titel: hemligt\n", encoding="utf-8")
    link = served.folder / "cases" / "länk.yaml"
    link.symlink_to(secret)
    try:
        status, answer = served.post("/api/oppna", {"fil": "cases/länk.yaml"})
        assert status == 403 and "ärendemappen" in answer["fel"]
        status, _, listing = served.request("GET", "/api/cases")
        assert b"hemligt" not in listing
        status, answer = served.post(
            "/api/nytt", {"sort": "tjänsteskrivelse", "fil": "cases/länk.yaml"}
        )
        assert status in {403, 422}
        assert secret.read_text(encoding="utf-8") == "titel: hemligt\n"
    finally:
        link.unlink()


def test_a_new_case_is_never_written_over_a_file(served: Served) -> None:
    before = (served.folder / CASE).read_bytes()
    status, answer = served.post("/api/nytt", {"sort": "tjänsteskrivelse", "fil": CASE})
    assert status == 422 and "finns redan" in answer["fel"]
    assert (served.folder / CASE).read_bytes() == before


# --- Editing and saving -------------------------------------------------------------------------


def _fresh(served: Served, name: str) -> tuple[str, Path]:
    relative = f"cases/test/{name}.yaml"
    status, answer = served.post("/api/nytt", {"sort": "tjänsteskrivelse", "fil": relative})
    assert status == 200, answer
    return relative, served.folder / relative


def test_one_field_changed_and_saved_is_one_changed_line(served: Served) -> None:
    relative, path = _fresh(served, "en-rad")
    before = path.read_text(encoding="utf-8")
    status, state = served.post(
        "/api/andra", {"fil": relative, "op": "sätt", "väg": ["titel"], "värde": "Ny: titel"}
    )
    assert status == 200 and state["osparad"] is True
    assert path.read_text(encoding="utf-8") == before  # nothing written before saving
    status, state = served.post("/api/spara", {"fil": relative})
    assert status == 200 and state["osparad"] is False
    after = path.read_text(encoding="utf-8").splitlines()
    changed = [(a, b) for a, b in zip(before.splitlines(), after, strict=True) if a != b]
    assert changed == [("titel: Titel på ärendet", 'titel: "Ny: titel"')]


def test_a_case_saved_without_a_change_is_the_same_bytes(served: Served) -> None:
    for relative in [CASE, "cases/exempel/kallelse.yaml"]:
        before = (served.folder / relative).read_bytes()
        status, _ = served.post("/api/spara", {"fil": relative})
        assert status == 200
        assert (served.folder / relative).read_bytes() == before


def test_diagnostics_are_validates_own_words_at_the_field(served: Served) -> None:
    relative, _ = _fresh(served, "datum")
    status, state = served.post(
        "/api/andra", {"fil": relative, "op": "sätt", "väg": ["datum"], "värde": "2026-02-30"}
    )
    assert status == 200
    found = [d for d in state["diagnostik"] if d["väg"] == "datum"]
    assert found and found[0]["nivå"] == "fel" and "2026-02-30" in found[0]["text"]
    assert found[0]["som_validate"].startswith(f"{relative}:")  # as `validate` prints it


def test_a_file_changed_on_disk_is_never_overwritten_unasked(served: Served) -> None:
    relative, path = _fresh(served, "konflikt")
    served.post("/api/oppna", {"fil": relative})
    served.post("/api/andra", {"fil": relative, "op": "sätt", "väg": ["titel"], "värde": "Min"})
    theirs = path.read_text(encoding="utf-8").replace("Titel på ärendet", "Deras")
    path.write_text(theirs, encoding="utf-8")  # a git pull, another editor
    status, state = served.post("/api/oppna", {"fil": relative})
    assert state["ändrad_på_disk"] is True and "Deras" in state["på_disk"]
    status, answer = served.post("/api/spara", {"fil": relative})
    assert status == 409
    assert "Deras" in answer["på_disk"] and "titel: Min" in answer["min"]
    assert path.read_text(encoding="utf-8") == theirs
    status, _ = served.post("/api/spara", {"fil": relative, "skriv_över": True})
    assert status == 200 and "titel: Min" in path.read_text(encoding="utf-8")


def test_the_file_as_on_disk_can_be_taken_instead(served: Served) -> None:
    relative, path = _fresh(served, "ta-deras")
    served.post("/api/andra", {"fil": relative, "op": "sätt", "väg": ["titel"], "värde": "Min"})
    status, state = served.post("/api/las_om", {"fil": relative})
    assert status == 200 and state["osparad"] is False
    assert state["text"] == path.read_text(encoding="utf-8")


def test_list_edits_add_move_and_remove_att_satser(served: Served) -> None:
    relative, _ = _fresh(served, "att")
    att = ["förslag_till_beslut", "att"]
    served.post(
        "/api/andra",
        {"fil": relative, "op": "lägg_till_post", "väg": att, "plats": 1, "värde": "anvisa medel."},
    )
    status, state = served.post(
        "/api/andra", {"fil": relative, "op": "flytta_post", "väg": att, "plats": 1, "till": 0}
    )
    assert status == 200
    assert "  att:\n    - anvisa medel.\n    - godkänna förslaget.\n" in state["text"]
    status, state = served.post(
        "/api/andra", {"fil": relative, "op": "ta_bort_post", "väg": att, "plats": 1}
    )
    assert "godkänna förslaget" not in state["text"]


def test_an_edit_that_cannot_be_made_is_refused_and_changes_nothing(served: Served) -> None:
    relative, _ = _fresh(served, "vägrad")
    _, before = served.post("/api/oppna", {"fil": relative})
    for edit in [
        {"op": "sätt", "väg": ["finns_inte"], "värde": "x"},
        {"op": "sätt", "väg": ["handlingar"], "värde": "x"},
        {"op": "ta_bort_post", "väg": ["handlingar"], "plats": 0},
        {"op": "okänd", "väg": []},
        {"op": "sätt", "väg": [{"a": 1}], "värde": "x"},
        {"op": "sätt", "väg": ["titel"], "värde": 12},
    ]:
        status, answer = served.post("/api/andra", {"fil": relative, **edit})
        assert status in {403, 422}, (edit, answer)
        assert answer["fel"]
    _, after = served.post("/api/oppna", {"fil": relative})
    assert after["text"] == before["text"]


# --- A broken case, a broken request ---------------------------------------------------------


def test_a_case_that_is_not_yaml_is_shown_with_its_error_and_the_server_goes_on(
    served: Served,
) -> None:
    relative, _ = _fresh(served, "trasig")
    status, state = served.post("/api/text", {"fil": relative, "text": "titel: [öppen\n"})
    assert status == 200 and state["träd"] is None
    assert state["fel"] >= 1 and "[" in state["diagnostik"][0]["text"]
    status, answer = served.post("/api/forhandsvisa", {"fil": relative})
    assert status == 422 and "fel" in answer["fel"]
    status, _, _ = served.request("POST", "/api/oppna", None, headers={"Content-Length": "x"})
    assert served.request("GET", "/api/cases")[0] == 200  # still serving


def test_a_request_too_large_or_not_json_is_refused(served: Served) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=30)
    connection.putrequest("POST", "/api/text")
    for name, value in {
        "Host": f"127.0.0.1:{served.port}",
        "Content-Type": "application/json",
        "X-Arendegen-Token": served.token,
        "Content-Length": str(64 * 1024 * 1024),
    }.items():
        connection.putheader(name, value)
    connection.endheaders()
    response = connection.getresponse()
    assert response.status == 403
    connection.close()
    status, _, _ = served.request(
        "POST",
        "/api/oppna",
        None,
        headers={"X-Arendegen-Token": served.token, "Content-Type": "application/json"},
    )
    assert status == 403


# --- Help while writing --------------------------------------------------------------------------


def test_completion_offers_the_keys_allowed_where_the_cursor_is() -> None:
    from arendegen.serve.completion import completions

    text = "titel: X\nhandlingar:\n  - typ: protokollsutdrag\n    \n"
    offered = {c["nyckel"] for c in completions(text, text.index("\n    \n") + 5)}
    assert "paragraf" in offered and "typ" not in offered  # the kind's own, less those given
    top = {c["nyckel"] for c in completions("titel: X\nbe", len("titel: X\nbe"))}
    assert {"beredning", "beslutsordning"} <= top and "bakgrund" not in top


def test_markdown_typed_html_is_shown_as_text(served: Served) -> None:
    status, answer = served.post("/api/markdown", {"text": "**fet** <script>x()</script>"})
    assert status == 200
    assert "<strong>fet</strong>" in answer["html"] and "<script>" not in answer["html"]


def test_the_preview_is_the_documents_pages_and_its_downloads(served: Served) -> None:
    if os.system("command -v soffice >/dev/null") != 0:
        pytest.skip("LibreOffice is not installed")
    status, shown = served.post("/api/forhandsvisa", {"fil": CASE, "handling": 0})
    assert status == 200, shown
    assert shown["sidor"] >= 1 and shown["namn"].endswith(".docx")
    status, headers, picture = served.request("GET", f"/api/sida/{shown['nyckel']}/1.jpg")
    assert status == 200 and picture.startswith(b"\xff\xd8\xff")  # a JPEG
    status, headers, pdf = served.request("GET", f"/api/hamta/{shown['nyckel']}.pdf")
    assert status == 200 and pdf.startswith(b"%PDF")
    assert "attachment" in headers["Content-Disposition"]
    status, _, docx = served.request("GET", f"/api/hamta/{shown['nyckel']}.docx")
    assert status == 200 and docx.startswith(b"PK")
    assert served.request("GET", f"/api/sida/{'0' * 32}/1.jpg")[0] == 404


def test_what_the_preview_offers_for_download_is_what_a_build_writes(
    served: Served, tmp_path: Path
) -> None:
    from arendegen import build

    status, shown = served.post("/api/forhandsvisa", {"fil": CASE, "handling": 0})
    assert status == 200, shown
    out = tmp_path / "ut"
    build([served.folder / CASE], out)
    stem = shown["namn"].rpartition(".")[0]
    for kind in ["docx", "pdf"]:
        (built,) = out.rglob(f"{stem}.{kind}")
        _, _, offered = served.request("GET", f"/api/hamta/{shown['nyckel']}.{kind}")
        assert offered == built.read_bytes(), kind


def test_a_repositorys_template_that_never_ends_stops_its_preview_only(tmp_path: Path) -> None:
    """A pull request's pack with a loop that prints nothing: the list and the form answer at
    once (they do not render), the preview is stopped by the sandbox's alarm in the worker
    process and says why, and the server goes on."""
    import time

    from arendegen.serve import start
    from test_attack_templates import Repo

    repo = Repo(tmp_path)
    repo.paragraph(
        "{% set r = range(100000) %}{% for i in r %}{% for j in r %}{% endfor %}{% endfor %}"
    )
    repo.case()
    httpd, app = start(tmp_path, warm=False)
    app.previewer.render_seconds = 2.0
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    served = Served(app.port, app.token, tmp_path, app.cookie, app.login)
    try:
        started = time.monotonic()
        status, _, listing = served.request("GET", "/api/cases")
        assert status == 200 and b"cases/evil.yaml" in listing
        status, state = served.post("/api/oppna", {"fil": "cases/evil.yaml"})
        assert status == 200 and state["fel"] == 0
        assert time.monotonic() - started < 10
        status, answer = served.post("/api/forhandsvisa", {"fil": "cases/evil.yaml"})
        assert status == 422 and "sekunder" in answer["fel"], answer
        assert time.monotonic() - started < 40
        assert served.request("GET", "/api/cases")[0] == 200
    finally:
        httpd.shutdown()
        httpd.server_close()
        app.previewer.close()


def test_an_alias_bomb_or_an_alias_of_itself_opens_without_expanding(served: Served) -> None:
    """The form's tree shows what an alias repeats once, where its anchor is; a few lines
    cannot expand into millions of fields, and a value that contains itself ends."""
    import time

    lines = ["titel: x", 'a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    for name, previous in zip("bcdefg", "abcdef", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 10) + "]")
    bomb = served.folder / "cases" / "bomb.yaml"
    bomb.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cycle = served.folder / "cases" / "cykel.yaml"
    cycle.write_text("titel: &a [*a]\n", encoding="utf-8")
    started = time.monotonic()
    status, state = served.post("/api/oppna", {"fil": "cases/bomb.yaml"})
    assert status == 200 and state["fel"] >= 1  # the loader's own bound, at its line
    assert len(json.dumps(state)) < 100_000
    assert time.monotonic() - started < 10
    status, state = served.post("/api/oppna", {"fil": "cases/cykel.yaml"})
    assert status == 200 and state["fel"] >= 1


def test_only_files_in_the_cases_folder_are_edited(served: Served) -> None:
    """Not the settings, a pack's pack.yaml or a CI workflow, though they are YAML too."""
    workflow = served.folder / ".github" / "workflows" / "arendegen.yml"
    for name in ["arendegen.yaml", ".github/workflows/arendegen.yml", "templates/x/pack.yaml"]:
        status, answer = served.post("/api/oppna", {"fil": name})
        assert status == 403 and "ärendemappen" in answer["fel"], name
    status, _ = served.post("/api/nytt", {"sort": "kallelse", "fil": "../x.yaml"})
    assert status == 403
    assert workflow.exists()


def test_a_case_whose_folder_becomes_a_link_out_is_neither_read_nor_saved(
    served: Served, tmp_path: Path
) -> None:
    """A checkout swaps the case's folder for a link while it is open: saving is refused and
    nothing is written where the link leads."""
    relative, path = _fresh(served, "flyttad")
    served.post("/api/andra", {"fil": relative, "op": "sätt", "väg": ["titel"], "värde": "X"})
    outside = tmp_path / "utanför"
    outside.mkdir()
    folder = path.parent
    moved = folder.with_name("test-flyttad")
    folder.rename(moved)
    folder.symlink_to(outside)
    try:
        status, answer = served.post("/api/spara", {"fil": relative, "skriv_över": True})
        assert status == 403, answer
        assert list(outside.iterdir()) == []
    finally:
        folder.unlink()
        moved.rename(folder)


def test_a_case_larger_than_a_case_file_may_be_is_not_opened(served: Served) -> None:
    big = served.folder / "cases" / "stor.yaml"
    big.write_text("titel: x\n" + "# fyllnad\n" * 200_000, encoding="utf-8")
    status, answer = served.post("/api/oppna", {"fil": "cases/stor.yaml"})
    assert status == 403 and "större" in answer["fel"]


def test_a_tab_that_has_not_seen_the_latest_change_cannot_move_items_or_replace_the_text(
    served: Served,
) -> None:
    """Two tabs share one text: a change that names an item by its place, or the YAML view's
    whole text, from a tab behind is refused with the latest state, and nothing is lost."""
    relative, _ = _fresh(served, "flikar")
    _, seen = served.post("/api/oppna", {"fil": relative})
    version = seen["version"]
    att = ["förslag_till_beslut", "att"]
    status, first = served.post(
        "/api/andra",
        {"fil": relative, "version": version, "op": "sätt", "väg": ["titel"], "värde": "Flik A"},
    )
    assert status == 200 and first["version"] == version + 1
    status, answer = served.post(
        "/api/andra",
        {"fil": relative, "version": version, "op": "ta_bort_post", "väg": att, "plats": 0},
    )
    assert status == 409 and "Flik A" in answer["läge"]["text"]
    status, answer = served.post(
        "/api/text", {"fil": relative, "version": version, "text": seen["text"]}
    )
    assert status == 409
    _, now = served.post("/api/oppna", {"fil": relative})
    assert "titel: Flik A" in now["text"]


def test_a_list_of_many_cases_answers_at_once_and_fills_in(tmp_path: Path) -> None:
    """The list does not wait for every case to be checked: within its budget it checks
    what it can, lists the rest as being checked, and has them checked when asked again."""
    import shutil
    import time

    from arendegen.serve.workspace import Workspace

    init(tmp_path / "repo")
    source = tmp_path / "repo" / "cases" / "exempel" / "tjansteskrivelse.yaml"
    for number in range(60):
        shutil.copy(source, tmp_path / "repo" / "cases" / f"ärende-{number:02d}.yaml")
    workspace = Workspace.at(tmp_path / "repo")
    started = time.monotonic()
    rows = workspace.listing(budget=0.05)
    assert time.monotonic() - started < 2
    assert len(rows) >= 60
    assert any(row["tillstånd"] == "kontrolleras" for row in rows)
    for _ in range(200):
        time.sleep(0.1)
        rows = workspace.listing(budget=0)
        if all(row["tillstånd"] != "kontrolleras" for row in rows):
            break
    assert {row["tillstånd"] for row in rows} == {"giltig"}
    assert all(row["titel"] == "Titel på ärendet" for row in rows if "ärende-" in row["fil"])
