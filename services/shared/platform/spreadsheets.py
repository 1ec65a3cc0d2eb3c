"""What every export a satker opens in Excel or LibreOffice needs: text that cannot run.

A cell starting with one of ``FORMULA_TRIGGERS`` is read as a formula (tab and carriage return
can hide one); OWASP's "CSV Injection" advice is a leading apostrophe. Written once here for
every service's CSV and XLSX files.
"""
from __future__ import annotations

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(text: str) -> str:
    """The text as it may go into a cell: an apostrophe before a formula trigger."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text
