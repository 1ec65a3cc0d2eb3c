"""Fixtures of the browser tests (test_web_*.py): one headless Chromium per module, and a
phone-sized or a desk-sized context per test whose pages must work under their own CSP."""
from __future__ import annotations

import pytest

from tests.support import browser


@pytest.fixture(scope="module")
def chromium():
    with browser.chromium() as running:
        yield running


@pytest.fixture
def phone(chromium):
    with browser.watched_context(chromium, browser.PHONE) as context:
        yield context


@pytest.fixture
def desk(chromium):
    with browser.watched_context(chromium, browser.DESK) as context:
        yield context
