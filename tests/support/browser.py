"""Headless Chromium for the browser tests: Debian's ``/usr/bin/chromium`` driven by Playwright
for Python (Playwright's own browsers are never downloaded; ``make browser`` installs the
system one). A phone-sized context, and screenshots saved as test artefacts."""
from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2,
         "is_mobile": True, "has_touch": True, "locale": "id-ID"}
DESK = {"viewport": {"width": 1280, "height": 900}, "locale": "id-ID", "accept_downloads": True}
TIMEOUT_MS = 20_000
ARTEFACTS = Path(os.environ.get("TEST_ARTEFACTS_DIR",
                                Path(tempfile.gettempdir()) / "sobat-test-artefacts"))


@contextmanager
def chromium():
    from playwright.sync_api import sync_playwright  # only the browser tests need it

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                             headless=True)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def watched_context(browser, options: dict):
    """A context of ``browser`` whose pages must work under their own Content-Security-Policy:
    a script or style the policy blocked, or an uncaught error in a page, fails the test when
    the context closes."""
    context = browser.new_context(**options)
    context.set_default_timeout(TIMEOUT_MS)
    blocked: list[str] = []
    context.on("console", lambda message: blocked.append(message.text)
               if "Content Security Policy" in message.text else None)
    context.on("weberror", lambda error: blocked.append(str(error.error)))
    try:
        yield context
    finally:
        context.close()
    assert blocked == []


class Screenshots:
    """Numbered screenshots of one test in its own folder under ARTEFACTS (printed)."""

    def __init__(self, name: str):
        self.folder = ARTEFACTS / name
        self.folder.mkdir(parents=True, exist_ok=True)
        self.count = 0
        print(f"screenshots: {self.folder}")

    def __call__(self, page, label: str) -> Path:
        self.count += 1
        path = self.folder / f"{self.count:02d}-{label}.png"
        page.screenshot(path=str(path), full_page=True)
        return path
