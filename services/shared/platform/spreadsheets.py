"""What every export a satker opens in Excel or LibreOffice needs: text that stays text.

Two formats, two different dangers, so two different guards (security review, finding 11):

- **CSV** has no types: a cell starting with one of ``FORMULA_TRIGGERS`` is read as a formula
  (tab and carriage return can hide one). OWASP's "CSV Injection" advice is a leading
  apostrophe: ``formula_safe``, for CSV only.
- **XLSX** has types: a cell typed as text is shown as written and never evaluated, so the
  apostrophe would only be a stray character in the data. Text goes in as text cells
  (``as_text``/``text_cells``): a NIK or phone number stays all its digits (a 16-digit NIK
  written as a number is rounded by every spreadsheet), a name starting with "=" stays a
  name. ``xlsx_text`` drops the control characters XLSX cannot hold.
"""
from __future__ import annotations

from collections.abc import Iterable

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
TEXT_FORMAT = "@"  # the spreadsheet's own "Text" number format


def formula_safe(text: str) -> str:
    """CSV only: the text as it may go into a CSV cell, an apostrophe before a formula
    trigger. (In XLSX use ``xlsx_text`` and text cells instead.)"""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def xlsx_text(text: str) -> str:
    """The text as an XLSX cell can hold it (control characters but tab and newline
    removed); no apostrophe: the cell is typed as text instead (``text_cells``)."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def text_cells(cells: Iterable) -> None:
    """Type every openpyxl cell among ``cells`` that holds a string as text: a value starting
    with "=" is a string, never a formula, and a digit string (NIK, phone) stays a string
    shown with the Text format, never a number."""
    for cell in cells:
        if isinstance(cell.value, str):
            cell.data_type = "s"
            cell.number_format = TEXT_FORMAT


def as_text(sheet) -> None:
    """``text_cells`` over a whole worksheet (call it once the sheet is filled)."""
    for row in sheet.iter_rows():
        text_cells(row)
