"""`make screenshots`: full-page screenshots of each demo role's main pages, at both sizes.

Serves the demo (a fresh SQLite database with demo data, as the browser tests do), logs in
as each role in headless Chromium and saves the login page and every page of the role's
menu (the links of the page's navigation) at 1280 × 800 and at 390 × 844, as
`var/screenshots/<size>/<role>-NN-<path>.png`. The folder is emptied first.

    python -m tests.browser.screenshots [FOLDER]
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from service.auth.models import Role
from tests.browser.a11y import SIZES
from tests.browser.conftest import CHROMIUM, LiveServer, login, serve_demo

FOLDER = Path("var/screenshots")
# The menu's links: those of the page's navigation, on this site, but not logging out.
MENU_LINKS = """() => [...new Set([...document.querySelectorAll('nav a[href]')]
  .filter((a) => a.origin === location.origin && !a.pathname.startsWith('/log-ud'))
  .map((a) => a.pathname + a.search))]"""


def file_name(role: str, number: int, path: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "forside"
    return f"{role}-{number:02d}-{slug}.png"


def shoot(page: Page, server: LiveServer, role: str, folder: Path) -> int:
    """Save the role's pages at each size; the number of files saved."""
    page.goto(f"{server.url}/" if role != "anonymous" else f"{server.url}/log-ind")
    paths = page.evaluate(MENU_LINKS) if role != "anonymous" else ["/log-ind"]
    saved = 0
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        (folder / size).mkdir(parents=True, exist_ok=True)
        for number, path in enumerate(paths, start=1):
            page.goto(server.url + path, wait_until="load")
            page.screenshot(path=folder / size / file_name(role, number, path), full_page=True)
            saved += 1
    return saved


def main(folder: Path) -> int:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    saved = 0
    with (
        tempfile.TemporaryDirectory() as tmp,
        serve_demo(Path(tmp)) as server,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM_PATH", CHROMIUM),
            headless=True,
            args=["--no-sandbox", "--disable-gpu"],
        )
        for role in ["anonymous", *(r.value for r in Role)]:
            context = browser.new_context(viewport=SIZES["1280"], locale="da-DK")
            page = context.new_page()
            if role != "anonymous":
                login(page, server, Role(role))
            count = shoot(page, server, role, folder)
            print(f"{role}: {count} screenshots")
            saved += count
            context.close()
        browser.close()
    print(f"{saved} screenshots in {folder}/")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else FOLDER))
