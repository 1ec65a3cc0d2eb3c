"""The question bank as the satker admins keep it in Excel, and the item analysis as a workbook.

``read_question_sheet`` parses an uploaded XLSX (one row per question, the first row names the
columns, Indonesian or English) into rows that keep their sheet row number, so the item bank's
rules can name the row an admin must fix. It only parses: a value that cannot be read as what
its column means (an answer "Z") is a row problem; whether a question is acceptable (4-5
options, text length) is the domain's call. ``write_item_analysis`` gives the statistics of a
session back as a workbook. Pure: bytes in, values or bytes out.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from services.assessment.domain.errors import UnreadableSheet
from services.assessment.domain.item_analysis import (
    EVERYONE_CORRECT,
    NEGATIVE_DISCRIMINATION,
    ItemAnalysis,
)
from services.assessment.domain.item_bank import MAX_QUESTIONS_PER_REQUEST
from services.shared.platform.spreadsheets import as_text, xlsx_text

__all__ = ["CONTENT_TYPE", "SheetRow", "read_question_sheet", "write_item_analysis"]

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

LETTERS = "ABCDE"

# Each field and the header names that mean it, compared lower-case with spaces and hyphens
# read as "_" ("Opsi A" = "opsi-a" = "opsi_a"). The first name is the one messages use.
_ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("pertanyaan", "question", "text", "soal"),
    **{
        f"option_{letter}": (f"opsi_{letter}", letter, f"option_{letter}", f"pilihan_{letter}")
        for letter in LETTERS.lower()
    },
    "answer": ("jawaban", "answer", "kunci_jawaban", "kunci"),
    "category": ("kategori", "category"),
}
_FIELD_OF = {alias: name for name, aliases in _ALIASES.items() for alias in aliases}
_REQUIRED = ("text", "option_a", "option_b", "option_c", "option_d", "answer")
_OPTION_FIELDS = tuple(f"option_{letter}" for letter in LETTERS.lower())

# Bounds on the work one upload may cause: the unpacked size (a zip bomb stops here, before
# openpyxl reads anything), the rows a sheet can have at all (a row number in the XML is
# otherwise unbounded, and openpyxl fills the gap up to it), and the questions.
_MAX_UNPACKED_BYTES = 64 * 1024 * 1024
_MAX_SHEET_ROW = 1_048_576  # Excel's own limit
_MAX_QUESTIONS = MAX_QUESTIONS_PER_REQUEST

_HEADER_SPACES = re.compile(r"[\s\-]+")


@dataclass(frozen=True)
class SheetRow:
    """One question as read from the sheet; ``row`` is the sheet's own (1-based) row number,
    ``answer_index`` is 0-based in the sheet's option order, None when no answer was given or
    it could not be read (then ``problems`` says why)."""

    row: int
    text: str
    options: list[str]
    answer_index: int | None
    category: str
    problems: list[str] = field(default_factory=list)


def _text(value: object) -> str:
    if value is None:
        return ""
    return value.strip() if isinstance(value, str) else str(value).strip()


def _header_name(value: object) -> str:
    return _HEADER_SPACES.sub("_", _text(value).lower())


def _columns(header: tuple) -> dict[str, int]:
    """Each known field's 0-based column; UnreadableSheet when one is named twice or a
    required one is missing."""
    columns: dict[str, int] = {}
    for position, value in enumerate(header):
        name = _FIELD_OF.get(_header_name(value))
        if name is None:
            continue
        if name in columns:
            first = get_column_letter(columns[name] + 1)
            raise UnreadableSheet(
                f"Columns {first} and {get_column_letter(position + 1)} both name "
                f"'{_ALIASES[name][0]}'; keep one.")
        columns[name] = position
    missing = [_ALIASES[name][0] for name in _REQUIRED if name not in columns]
    if missing:
        raise UnreadableSheet(
            f"The first row must name the columns; missing: {', '.join(missing)}.")
    return columns


def _answer(value: object) -> tuple[int | None, str | None]:
    """The 0-based answer index from a letter A-E or a number 1-5, or a problem."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None  # no answer: the domain asks for one
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value == int(value) and 1 <= value <= len(LETTERS):
            return int(value) - 1, None
    elif isinstance(value, str):
        answer = value.strip().upper()
        if len(answer) == 1 and answer in LETTERS:
            return LETTERS.index(answer), None
        if len(answer) == 1 and answer in "12345":
            return int(answer) - 1, None
    shown = _text(value)
    shown = shown if len(shown) <= 20 else shown[:20] + "..."
    return None, f"The answer '{shown}' is not a letter A-E or a number 1-5."


def _row(number: int, cells: tuple, columns: dict[str, int]) -> SheetRow:
    options = [_text(cells[columns[name]]) for name in _OPTION_FIELDS if name in columns]
    while options and not options[-1]:
        options.pop()  # a 4-option question leaves E blank; a gap inside stays, for the domain
    answer_index, problem = _answer(cells[columns["answer"]])
    category = _text(cells[columns["category"]]) if "category" in columns else ""
    return SheetRow(row=number, text=_text(cells[columns["text"]]), options=options,
                    answer_index=answer_index, category=category,
                    problems=[problem] if problem else [])


def _check_archive(content: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise UnreadableSheet("The file is not an Excel workbook (.xlsx).") from exc
    if unpacked > _MAX_UNPACKED_BYTES:
        raise UnreadableSheet("The workbook is too large once unpacked.")


def _read(workbook) -> list[SheetRow]:
    if not workbook.worksheets:
        raise UnreadableSheet("The workbook has no worksheet.")
    sheet = workbook.worksheets[0]
    # Read-only mode trusts the sheet's stated dimension, which some writers leave at "A1" or
    # set wrong: rows beyond it would be dropped without a word. Read what is there instead.
    sheet.reset_dimensions()
    header = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), None)
    columns = _columns(header or ())
    # Only the columns that are read: a claimed width of 16,384 columns costs nothing.
    width = max(columns.values()) + 1
    rows = []
    for number, cells in enumerate(
            sheet.iter_rows(min_row=2, max_col=width, values_only=True), start=2):
        if number > _MAX_SHEET_ROW:
            raise UnreadableSheet("The sheet has more rows than Excel allows.")
        if cells.count(None) == len(cells) or all(not _text(value) for value in cells):
            continue  # (the first test is the fast one, for the gaps openpyxl fills)
        if len(rows) == _MAX_QUESTIONS:
            raise UnreadableSheet(f"At most {_MAX_QUESTIONS} questions per sheet.")
        rows.append(_row(number, cells, columns))
    return rows


def read_question_sheet(content: bytes) -> list[SheetRow]:
    """Every non-empty row below the header of the first worksheet, in sheet order.

    UnreadableSheet when the bytes are not an XLSX workbook, the header lacks a required
    column (question, options A-D, answer; E and category are optional) or the sheet has more
    than 5,000 questions."""
    _check_archive(content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a broken file; all mean this
        raise UnreadableSheet("The file is not an Excel workbook (.xlsx).") from exc
    try:
        return _read(workbook)
    except UnreadableSheet:
        raise
    except Exception as exc:  # a broken worksheet inside a valid archive
        raise UnreadableSheet("The worksheet cannot be read.") from exc
    finally:
        workbook.close()


# --- The item analysis as a workbook -------------------------------------------------------

_ANALYSIS_SHEET = "Analisis butir"
_METHOD_SHEET = "Metode"
_ANALYSIS_HEADER = [
    "No", "ID soal", "Kategori", "Pertanyaan", "Disajikan", "Dijawab",
    "Indeks kesukaran (facility)", "Daya beda (discrimination)",
    *LETTERS, "Kosong", "Catatan",
]
_FLAG_LABELS = {EVERYONE_CORRECT: "semua benar", NEGATIVE_DISCRIMINATION: "daya beda negatif"}
_CORRECT_MARK = " *"
_WIDTHS = {"B": 38, "C": 18, "D": 60, "G": 14, "H": 14, "O": 24}

def _safe(value: str) -> str:
    """Text as it may go into a cell: no control characters XLSX refuses (the cells are
    typed as text before saving: no formula, no apostrophe)."""
    return xlsx_text(value)


def _option_cells(item) -> list:
    cells: list = [None] * len(LETTERS)
    for option in item.options[:len(LETTERS)]:
        cells[option.index] = f"{option.chosen}{_CORRECT_MARK}" if option.correct else option.chosen
    return cells


def _bold_header(sheet, header: list[str]) -> None:
    sheet.append(header)
    bold = Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
    sheet.freeze_panes = "A2"


def write_item_analysis(analysis: ItemAnalysis) -> bytes:
    """An XLSX workbook: "Analisis butir", one row per question (the chosen count of each
    option, the correct one marked "12 *"; flags in Indonesian), and "Metode", how the
    figures were computed and over how many attempts."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _ANALYSIS_SHEET
    _bold_header(sheet, _ANALYSIS_HEADER)
    for number, item in enumerate(analysis.items, start=1):
        notes = "; ".join(_FLAG_LABELS.get(flag, flag) for flag in item.flags)
        sheet.append([
            number, _safe(item.question_id), _safe(item.category), _safe(item.text),
            item.presented, item.answered, item.facility, item.discrimination,
            *_option_cells(item), item.unanswered, notes or None,
        ])
    for letter, width in _WIDTHS.items():
        sheet.column_dimensions[letter].width = width
    last_column = get_column_letter(len(_ANALYSIS_HEADER))
    sheet.auto_filter.ref = f"A1:{last_column}{len(analysis.items) + 1}"

    method = workbook.create_sheet(_METHOD_SHEET)
    method.append(["Metode", _safe(analysis.method)])
    method.append(["Jumlah percobaan", analysis.attempts])
    method.append(["Tanda *", "opsi jawaban yang benar"])
    method.column_dimensions["A"].width = 20
    method.column_dimensions["B"].width = 100

    for worksheet in (sheet, method):
        as_text(worksheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
