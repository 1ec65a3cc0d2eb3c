"""Finding 11 of the security review: in XLSX, text is typed as text (a 16-digit NIK keeps
every digit, "=..." is never a formula) and carries no CSV apostrophe; CSV keeps its guard."""
from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook, load_workbook

from services.shared.platform.spreadsheets import as_text, formula_safe, xlsx_text

NIK, PHONE = "3528015403950001", "+6281234567890"


def saved(values: list) -> bytes:
    workbook = Workbook()
    workbook.active.append([xlsx_text(v) if isinstance(v, str) else v for v in values])
    as_text(workbook.active)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_text_cells_stay_text_with_every_digit_and_no_apostrophe():
    content = saved([NIK, PHONE, "=HYPERLINK(\"http://x\")", "-hitung", "Budi\x01", 42])
    xml = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in xml  # no formula anywhere
    sheet = load_workbook(io.BytesIO(content)).active
    values = [cell.value for cell in sheet[1]]
    assert values == [NIK, PHONE, "=HYPERLINK(\"http://x\")", "-hitung", "Budi", 42]
    assert [cell.data_type for cell in sheet[1]] == ["s", "s", "s", "s", "s", "n"]
    assert sheet["A1"].number_format == "@"


def test_the_apostrophe_guard_is_csvs():
    assert formula_safe("=1+1") == "'=1+1" and formula_safe("Budi") == "Budi"
    assert xlsx_text("=1+1") == "=1+1"
