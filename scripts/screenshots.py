"""Take the README's pictures of `arendegen serve` (docs/images/serve-*.png).

    .venv/bin/python scripts/screenshots.py

Starts the server on a copy of cases/examples/ in a temporary repository and drives Debian's
Chromium (Playwright) through the main views: the list of cases, a case with its budget
table and its preview, and a misspelt date with its error beside the field. Look at the
pictures before committing them.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

from arendegen.repo import init
from arendegen.serve import address, start

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "images"
CASE = "cases/kf-2025-investering-forskola.yaml"


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="arendegen-shots-") as work:
        folder = Path(work) / "kommunen"
        init(folder)
        shutil.rmtree(folder / "cases" / "exempel")
        for case in sorted((ROOT / "cases" / "examples").glob("*.yaml")):
            shutil.copy(case, folder / "cases" / case.name)
        httpd, app = start(folder, warm=False)
        app.previewer.start()
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        try:
            shoot(address(app))
        finally:
            httpd.shutdown()
            httpd.server_close()
            app.previewer.close()


def shoot(url: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium") or "chromium", args=["--no-sandbox"]
        )
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.goto(url)
        page.wait_for_selector("#cases tbody tr")
        page.screenshot(path=str(IMAGES / "serve-list.png"))

        page.click(f'tr[data-file="{CASE}"]')
        page.wait_for_selector("#pages img")
        page.locator('[data-path="tabeller.norrby"]').scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        page.screenshot(path=str(IMAGES / "serve-form.png"))

        date = page.locator('.form input[data-path="datum"]')
        date.scroll_into_view_if_needed()
        date.fill("2025-02-30")
        date.press("Tab")
        page.wait_for_selector('.field[data-path="datum"] > .diags .diag.fel')
        page.wait_for_timeout(500)
        page.screenshot(path=str(IMAGES / "serve-error.png"))
        browser.close()


if __name__ == "__main__":
    main()
