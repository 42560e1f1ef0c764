"""`arendegen serve` in a real browser (Playwright driving Debian's Chromium, headless), doing
what an official does: open the app, make a new tjänsteskrivelse, fill in its title,
att-satser and a budget table (and see the total), see an error beside a misspelt date and
fix it, watch the preview follow, save, and find the saved file valid with its comments.

Outside CI a machine without Chromium or Playwright skips these tests; under CI (CI set)
their absence is a failure: scripts/test installs both.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from arendegen import check
from arendegen.repo import init

TIMEOUT = 60_000
"""Milliseconds any one wait of the browser may take (a cold LibreOffice start included)."""


def chromium() -> str:
    program = os.environ.get("ARENDEGEN_CHROMIUM") or shutil.which("chromium")
    try:
        import playwright  # noqa: F401
    except ImportError:
        program = None
    if program is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium or Playwright is missing; scripts/test installs both")
        pytest.skip("Chromium (Debian: chromium) or Playwright for Python is not installed")
    return program


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    from arendegen.serve import address, start

    folder = tmp_path_factory.mktemp("serve") / "ärenden"
    init(folder)
    httpd, app = start(folder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield address(app), folder
    finally:
        httpd.shutdown()
        httpd.server_close()
        app.previewer.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    program = chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=program, args=["--no-sandbox"])
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1500, "height": 950}, accept_downloads=True)
    opened = context.new_page()
    opened.set_default_timeout(TIMEOUT)
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    failed = getattr(request.node, "failed_call", False)
    if failed:  # what the browser showed, for whoever reads the failure
        opened.screenshot(path=str(tmp_path / "failure.png"), full_page=True)
        print(f"screenshot of the failure: {tmp_path / 'failure.png'}")
    context.close()
    assert errors == [], errors  # no script error on the way


def _text(locator: Any) -> str:
    return re.sub(r"\s+", " ", locator.inner_text()).strip()


def _settled(page: Any) -> None:
    """Every edit sent has been answered."""
    page.wait_for_function("() => window.arendegen && window.arendegen.pending === 0")


def _preview_after(page: Any, before: str | None) -> str:
    """The key of a new preview, once its pages are shown."""
    page.wait_for_function(
        "(before) => { const p = document.getElementById('pages');"
        " return p.dataset.key && p.dataset.key !== before && !p.classList.contains('stale')"
        " && p.querySelectorAll('img').length > 0; }",
        arg=before,
    )
    return str(page.locator("#pages").get_attribute("data-key"))


def _fill(page: Any, path: str, value: str) -> None:
    field = page.locator(f'.form input[data-path="{path}"], .form textarea[data-path="{path}"]')
    field.fill(value)
    field.press("Tab")  # a field sends its value when left, or after a pause in typing
    _settled(page)


def test_an_official_writes_a_new_tjansteskrivelse(page: Any, server: tuple[str, Path]) -> None:
    url, folder = server
    page.goto(url)
    page.wait_for_selector("#cases tbody tr")
    assert page.locator("#cases tbody tr").count() >= 10  # the examples `init` wrote

    # a new case of the kind, from the same skeleton as `arendegen new`
    page.select_option("#new-kind", "tjänsteskrivelse")
    page.fill("#new-file", "cases/2026/lovskola.yaml")
    page.click("#new-button")
    page.wait_for_selector('.form input[data-path="titel"]')
    key = _preview_after(page, None)
    written = folder / "cases" / "2026" / "lovskola.yaml"
    comments = [line for line in written.read_text("utf-8").splitlines() if line.startswith("#")]
    assert len(comments) > 10

    _fill(page, "titel", "Lovskola sommaren 2026")
    assert _text(page.locator("#save-state")) == "Osparade ändringar"

    # a second att-sats
    page.click('[data-add="förslag_till_beslut.att"]')
    _settled(page)
    _fill(page, "förslag_till_beslut.att[1]", "finansiera lovskolan ur resultatutjämningsreserven.")

    # a budget table: added, given a unit, a column and two rows; the total shows at once
    page.select_option('fieldset[data-group="Tabeller"] select[data-adder]', "tabeller")
    _settled(page)
    page.fill('input[aria-label="Ny nyckel i tabeller"]', "lovskola")
    page.select_option('select[aria-label="Sort i tabeller"]', "budget")
    page.click('[data-add="tabeller"]')
    _settled(page)
    page.select_option('select[data-adder="tabeller.lovskola"]', "enhet")
    _settled(page)
    _fill(page, "tabeller.lovskola.enhet", "tkr")
    _fill(page, "tabeller.lovskola.kolumner[0]", "2026")
    _fill(page, "tabeller.lovskola.rader[0].rubrik", "Lärare")
    _fill(page, "tabeller.lovskola.rader[0].belopp.2026", "120")
    page.click('[data-add="tabeller.lovskola.rader"]')
    _settled(page)
    _fill(page, "tabeller.lovskola.rader[1].rubrik", "Material")
    _fill(page, "tabeller.lovskola.rader[1].belopp.2026", "30")
    total = page.locator('table.grid[data-table="lovskola"] [data-sum="totalt"]')
    assert _text(total) == "150 tkr"
    page.select_option('select[aria-label="Visa tabellen lovskola under avsnitt"]', "ekonomi")
    _settled(page)
    assert "Visas under: Ekonomi" in _text(page.locator(".placement"))

    # a yes/no field is written as YAML's true, not as the text "true"; removed, it goes
    page.select_option('fieldset[data-group="Huvud"] select[data-adder]', "utkast")
    _settled(page)
    page.select_option('.form select[data-path="utkast"]', "true")
    _settled(page)
    state = page.evaluate("() => window.arendegen.state")
    assert "\nutkast: true\n" in state["text"]
    assert not [d for d in state["diagnostik"] if d["väg"] == "utkast"]
    page.click('button[aria-label="Ta bort fältet Utkast"]')
    _settled(page)
    assert "utkast:" not in page.evaluate("() => window.arendegen.state.text")

    # a misspelt date: the error beside the field, in validate's words; fixed, it goes
    _fill(page, "datum", "2026-13-02")
    error = page.locator('.field[data-path="datum"] > .diags .diag.fel')
    error.wait_for()
    assert "2026-13-02" in _text(error)
    assert page.locator("#case-state").inner_text().endswith("fel")
    _fill(page, "datum", "2026-06-15")
    page.wait_for_selector('.field[data-path="datum"] > .diags .diag.fel', state="detached")

    # the preview follows: its PDF has the title, the new clause and the table's total
    key = _preview_after(page, key)
    href = page.locator("#download-pdf").get_attribute("href")
    pdf = page.request.get(url.split("/?")[0] + href).body()
    shown = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode("utf-8")
    for words in ["Lovskola sommaren 2026", "resultatutjämningsreserven", "150", "Material"]:
        assert words in shown, words

    # saved: the file is valid and keeps every comment the skeleton had
    page.click("#save")
    page.wait_for_function("() => document.getElementById('save-state').textContent === 'Sparat'")
    saved = written.read_text("utf-8")
    assert [line for line in saved.splitlines() if line.startswith("#")] == comments
    result = check(written)
    assert result.errors == [], [d.as_text() for d in result.errors]
    assert result.case is not None and result.case.titel == "Lovskola sommaren 2026"
    assert len(result.case.förslag_till_beslut.att) == 2  # type: ignore[union-attr]


def test_the_yaml_view_completes_keys_and_stays_in_step_with_the_form(
    page: Any, server: tuple[str, Path]
) -> None:
    url, folder = server
    page.goto(url)
    page.click('tr[data-file="cases/exempel/tjansteskrivelse.yaml"]')
    page.wait_for_selector('.form input[data-path="titel"]')
    page.click("#tab-yaml")
    area = page.locator("#yaml")
    text = area.input_value()
    assert text == (folder / "cases/exempel/tjansteskrivelse.yaml").read_text("utf-8")

    # a key typed on a line of its own: Ctrl+Space offers what the format allows there
    at = text.index("\ntitel:") + 1
    area.evaluate("(a, at) => { a.focus(); a.setSelectionRange(at, at); }", at)
    page.keyboard.type("över")
    page.keyboard.press("Control+Space")
    offered = page.locator("#completions li")
    offered.first.wait_for()
    assert "överväganden" in [
        offered.nth(i).get_attribute("data-key") for i in range(offered.count())
    ]
    page.keyboard.press("Enter")
    page.keyboard.type("Vi har vägt två alternativ.\n")
    page.wait_for_function(
        "() => window.arendegen.state.text.includes('överväganden: Vi har vägt två alternativ.')"
    )
    _settled(page)
    page.click("#tab-form")
    field = page.locator('.form [data-path="överväganden"]:is(input, textarea)')
    assert field.input_value() == "Vi har vägt två alternativ."


def test_a_file_changed_on_disk_while_open_is_shown_and_the_person_chooses(
    page: Any, server: tuple[str, Path]
) -> None:
    url, folder = server
    relative = "cases/exempel/bilaga.yaml"
    path = folder / relative
    page.goto(url)
    page.click(f'tr[data-file="{relative}"]')
    page.wait_for_selector('.form input[data-path="titel"]')
    _fill(page, "titel", "Min titel")
    theirs = path.read_text("utf-8").replace(
        "diarienummer:", "# ändrad av någon annan\ndiarienummer:"
    )
    path.write_text(theirs, encoding="utf-8")
    page.click("#save")
    page.locator("#conflict").wait_for()
    assert "ändrad av någon annan" in page.locator("#theirs").input_value()
    assert "titel: Min titel" in page.locator("#mine").input_value()
    assert path.read_text("utf-8") == theirs  # nothing written before the person chooses
    page.click("#keep-mine")
    page.wait_for_function("() => document.getElementById('save-state').textContent === 'Sparat'")
    assert "titel: Min titel" in path.read_text("utf-8")


def test_two_tabs_on_one_case_stay_in_step(page: Any, server: tuple[str, Path]) -> None:
    """Both tabs edit the one text the server holds; the other tab shows a change within a
    few seconds, and neither loses the other's edit."""
    url, _ = server
    relative = "cases/exempel/kallelse.yaml"
    other = page.context.new_page()
    for tab in (page, other):
        tab.goto(url)
        tab.click(f'tr[data-file="{relative}"]')
        tab.wait_for_selector('.form input[data-path="titel"]')
    _fill(page, "titel", "Ändrad i första fliken")
    other.wait_for_function(
        "() => document.querySelector('.form input[data-path=\"titel\"]').value"
        " === 'Ändrad i första fliken'",
        timeout=15_000,
    )
    _fill(other, "datum", "2026-04-01")
    page.wait_for_function(
        "() => window.arendegen.state.text.includes('datum: 2026-04-01')", timeout=15_000
    )
    assert "Ändrad i första fliken" in page.evaluate("() => window.arendegen.state.text")
    other.close()


def test_the_form_shows_every_value_of_every_example(page: Any, server: tuple[str, Path]) -> None:
    """Nothing a case says is hidden by the form: every value of every example (and every
    seed) has its field, where a person can read and change it."""
    from conftest import CASES

    url, folder = server
    copied = folder / "cases" / "alla"
    copied.mkdir(exist_ok=True)
    names = []
    for case in sorted(CASES.rglob("*.yaml")):
        target = copied / f"{case.parent.name}-{case.name}"
        shutil.copy(case, target)
        names.append(target.relative_to(folder).as_posix())
    page.goto(url)
    page.wait_for_selector("#cases tbody tr")
    missing: dict[str, list[str]] = {}
    for name in names:
        page.evaluate(
            "(name) => { location.hash = encodeURIComponent(name); location.reload(); }", name
        )
        page.wait_for_function(
            "(name) => window.arendegen && window.arendegen.file === name && window.arendegen.state",
            arg=name,
        )
        page.wait_for_selector(".form .field")
        lost = page.evaluate(
            """() => {
              const leaves = [];
              const walk = (node, path) => {
                if (node.k === 'map') for (const [k, v] of node.v) walk(v, path + (path ? '.' : '') + k);
                else if (node.k === 'list') node.v.forEach((v, i) => walk(v, path + '[' + i + ']'));
                else if (node.k !== 'alias') leaves.push(path);
              };
              walk(window.arendegen.state.träd, '');
              const shown = new Set([...document.querySelectorAll('.form [data-path]:is(input, textarea, select)')].map((e) => e.dataset.path));
              return leaves.filter((p) => !shown.has(p));
            }"""
        )
        if lost:
            missing[name] = lost
    assert missing == {}


def test_a_secretary_adds_yrkanden_and_clears_a_field_in_a_protocol(
    page: Any, server: tuple[str, Path]
) -> None:
    """From a new-user trial of a real protocol: yrkanden could not be added from the form
    (a field with nothing required got a key ''), and a cell emptied stayed as '' (an error)."""
    url, _ = server
    relative = "cases/exempel/sammantradesprotokoll.yaml"
    page.goto(url)
    page.click(f'tr[data-file="{relative}"]')
    page.wait_for_selector(".form .field")
    paragraph = "handlingar[0].paragrafer[0]"
    page.select_option(f'select[data-adder="{paragraph}"]', "yrkanden")
    _settled(page)
    assert page.locator("#notice").inner_text() == ""
    state = page.evaluate("() => window.arendegen.state")
    assert "yrkanden:" in state["text"]
    first = page.locator(f'.form [data-path^="{paragraph}.yrkanden[0]."]:is(input, select)').first
    first.wait_for()

    # a member's role, typed quickly into several cells: every letter arrives
    members = "handlingar[0].sammanträde.ledamöter"
    cells = page.locator(f'.form input[data-path^="{members}["][data-path$="].parti"]')
    count = min(cells.count(), 4)
    assert count >= 2
    for index in range(count):
        cells.nth(index).fill("")
        cells.nth(index).press_sequentially(f"P{index}X", delay=0)
    page.keyboard.press("Tab")
    _settled(page)
    page.wait_for_timeout(600)
    _settled(page)
    text = page.evaluate("() => window.arendegen.state.text")
    for index in range(count):
        assert f"P{index}X" in text, index

    # an optional cell emptied and left: the key goes, no error is left behind
    cell = page.locator(f'.form input[data-path="{members}[0].parti"]')
    cell.fill("")
    cell.press("Tab")
    _settled(page)
    page.wait_for_timeout(400)
    _settled(page)
    state = page.evaluate("() => window.arendegen.state")
    assert "P0X" not in state["text"]
    assert not [d for d in state["diagnostik"] if d["väg"] == f"{members}[0].parti"]
