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
