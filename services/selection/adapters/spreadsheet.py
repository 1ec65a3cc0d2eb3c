"""The applicants of one activity as a file a satker admin opens in Excel (CSV or XLSX).

Pure: every function takes the applications as mappings and returns bytes in memory; no file
system, no database. ``export_rows`` gives the display values (Indonesian labels, WIB time);
``to_csv`` and ``to_xlsx`` add the formula-injection guard and the file format.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from services.selection.domain.decisions import status_label_id
from services.shared.contracts.calendar import WIB
from services.shared.platform.spreadsheets import as_text, formula_safe, xlsx_text

__all__ = [
    "COLUMNS",
    "CONTENT_TYPES",
    "export",
    "export_rows",
    "to_csv",
    "to_xlsx",
]

COLUMNS: tuple[tuple[str, str], ...] = (
    ("registration_number", "No. Pendaftaran"),
    ("full_name", "Nama Lengkap"),
    ("nik", "NIK"),
    ("sex", "Jenis Kelamin"),
    ("age", "Umur"),
    ("education", "Pendidikan"),
    ("kecamatan", "Kecamatan (KTP)"),
    ("domicile", "Domisili (Kab/Kota)"),
    ("phone", "No. HP"),
    ("email", "E-mail"),
    ("mandatory_failures", "Syarat wajib tidak terpenuhi"),
    ("preferred_met", "Syarat diutamakan terpenuhi"),
    ("preferred_score", "Skor diutamakan"),
    ("administrative_status", "Status Administrasi"),
    ("administrative_reason", "Alasan/Keterangan"),
    ("submitted_at", "Waktu Pendaftaran"),
)

CONTENT_TYPES: dict[str, str] = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

_KEYS = tuple(key for key, _ in COLUMNS)
_HEADERS = [header for _, header in COLUMNS]
_INDEX = {key: i for i, key in enumerate(_KEYS)}

_SEX_LABELS = {"L": "Laki-laki", "P": "Perempuan"}

# Columns whose values are identifiers made of digits (NIK) or E.164 (phone), checked upstream.
_IDENTIFIER_COLUMNS = frozenset({"nik", "phone"})
_IDENTIFIER_RE = re.compile(r"\+?[0-9]+")
_NUMBER_COLUMNS = frozenset({"age", "preferred_score"})

_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_SHEET_TITLE_MAX = 31
_DEFAULT_SHEET_TITLE = "Pelamar"

_MIN_WIDTH, _MAX_WIDTH = 8, 60


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _joined(values: Iterable[object] | None) -> str:
    return ", ".join(_text(v) for v in values or ())


def _wib(moment: datetime | None) -> str:
    if moment is None:
        return ""
    if moment.tzinfo is None or moment.utcoffset() is None:
        # A naive time has no defined zone: refuse rather than print a wrong hour.
        raise ValueError("submitted_at must be an aware datetime.")
    return moment.astimezone(WIB).strftime("%Y-%m-%d %H:%M WIB")


def _row(application: Mapping) -> list:
    sex = application.get("sex")
    status = application.get("administrative_status")
    age = application.get("age")
    score = application.get("preferred_score")
    return [
        _text(application.get("registration_number")),
        _text(application.get("full_name")),
        _text(application.get("nik")),
        _SEX_LABELS.get(sex, _text(sex)),
        "" if age is None else age,
        _text(application.get("education")),
        _text(application.get("kecamatan_name")),
        _text(application.get("domicile_regency_name")),
        _text(application.get("phone")),
        _text(application.get("email")),
        _joined(application.get("mandatory_failures")),
        _joined(application.get("preferred_met")),
        "" if score is None else score,
        "" if status is None else status_label_id(status),
        _text(application.get("administrative_reason")),
        _wib(application.get("submitted_at")),
    ]


def export_rows(applications: Iterable[Mapping]) -> list[list]:
    """One display row per application, in ``COLUMNS`` order (no header, no guard)."""
    return [_row(application) for application in applications]


def _guard(key: str, value: object) -> object:
    """The value as it may safely go into a spreadsheet cell.

    Free-text columns (names, reason, requirement lists, ...) get OWASP's leading apostrophe
    when they start with a formula trigger. NIK and phone take a different route: they are
    validated upstream as digits / E.164, and a leading "'" would corrupt "+6281234567890"
    for whoever re-imports the file, so a value of that exact shape (optional "+", then
    digits only: it can call nothing) is written unchanged; in the XLSX it is also stored as
    a text cell, so Excel keeps every digit. Should a value of those columns not have that
    shape after all, it falls back to the same guard as free text.
    """
    if not isinstance(value, str) or not value:
        return value
    if key in _IDENTIFIER_COLUMNS and _IDENTIFIER_RE.fullmatch(value):
        return value
    return formula_safe(value)


def _guarded_rows(applications: Iterable[Mapping]) -> list[list]:
    return [
        [_guard(key, value) for key, value in zip(_KEYS, row, strict=True)]
        for row in export_rows(applications)
    ]


def to_csv(applications: Iterable[Mapping]) -> bytes:
    """UTF-8 CSV with a BOM (so Excel reads Indonesian names right), header then rows."""
    buffer = io.StringIO()
    # Every text field is quoted, so a separator inside a name (Excel with an Indonesian
    # locale splits on ";") cannot start a new cell behind the guard's back.
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_NONNUMERIC)
    writer.writerow(_HEADERS)
    writer.writerows(_guarded_rows(applications))
    return buffer.getvalue().encode("utf-8-sig")


def _sheet_title(title: str) -> str:
    cleaned = _SHEET_TITLE_FORBIDDEN.sub("", _text(title))[:_SHEET_TITLE_MAX]
    # Excel also refuses a title that starts or ends with an apostrophe, or is blank.
    cleaned = cleaned.strip("'")
    return cleaned if cleaned.strip() else _DEFAULT_SHEET_TITLE


def _cell_width(value: object) -> int:
    text = _text(value)
    return max((len(line) for line in text.splitlines()), default=0)


def to_xlsx(applications: Iterable[Mapping], sheet_title: str) -> bytes:
    """An XLSX workbook with one sheet: bold frozen header, autofilter, text NIK and phone."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(sheet_title)

    sheet.append(_HEADERS)
    bold = Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold

    widths = [len(header) for header in _HEADERS]
    rows = export_rows(applications)  # the CSV's apostrophe guard is not for XLSX: text cells
    for row_number, row in enumerate(rows, start=2):
        for column, (key, value) in enumerate(zip(_KEYS, row, strict=True), start=1):
            if value == "":
                value = None  # an empty cell, not an empty string
            elif isinstance(value, str):
                value = xlsx_text(value)
            cell = sheet.cell(row=row_number, column=column)
            cell.value = value
            if key in _IDENTIFIER_COLUMNS:
                cell.number_format = "@"
                if value is not None:
                    cell.data_type = "s"  # text, never a number or a formula
            elif key in _NUMBER_COLUMNS and value is not None:
                cell.number_format = "0"
            widths[column - 1] = max(widths[column - 1], _cell_width(value))

    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = min(
            max(width + 2, _MIN_WIDTH), _MAX_WIDTH
        )
    sheet.freeze_panes = "A2"
    last_column = get_column_letter(len(_HEADERS))
    sheet.auto_filter.ref = f"A1:{last_column}{len(rows) + 1}"
    as_text(sheet)  # every string a text cell: "=..." is never a formula

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export(applications: Iterable[Mapping], format: str, sheet_title: str) -> tuple[bytes, str]:
    """The file in ``format`` ("csv" or "xlsx", checked by the caller) and its content type."""
    if format == "csv":
        return to_csv(applications), CONTENT_TYPES["csv"]
    if format == "xlsx":
        return to_xlsx(applications, sheet_title), CONTENT_TYPES["xlsx"]
    raise ValueError(f"Unknown export format: {format!r}.")


# -- the final selection's export --------------------------------------------------------------

FINAL_COLUMNS: tuple[tuple[str, str], ...] = (
    ("rank", "Peringkat"),
    ("registration_number", "No. Pendaftaran"),
    ("full_name", "Nama Lengkap"),
    ("test_score", "Nilai Tes"),
    ("preferred_score", "Syarat Diutamakan"),
    ("experience", "Pengalaman Survei BPS"),
    ("education", "Pendidikan"),
    ("domicile", "Domisili"),
    ("interview", "Wawancara"),
    ("performance", "Kinerja Mitra"),
    ("total", "Nilai Akhir"),
    ("final_status", "Status Akhir"),
    ("pakta_integritas", "Pakta Integritas"),
)
_FINAL_KEYS = tuple(key for key, _ in FINAL_COLUMNS)
_FINAL_HEADERS = [header for _, header in FINAL_COLUMNS]
_FINAL_LABELS = {"pending": "Belum diputuskan", "accepted": "Diterima",
                 "rejected": "Tidak diterima", "withdrawn": "Mengundurkan diri"}


def _final_row(entry: Mapping) -> list:
    components = entry.get("components") or {}
    status = entry.get("final_status")
    return [
        "" if entry.get("rank") is None else entry["rank"],
        _text(entry.get("registration_number")),
        _text(entry.get("full_name")),
        *[components.get(key, "") for key in _FINAL_KEYS[3:10]],
        entry.get("total", ""),
        _FINAL_LABELS.get(status, _text(status)),
        "Ya" if entry.get("pakta_integritas") else "Tidak",
    ]


def final_export(entries: Iterable[Mapping], format: str, sheet_title: str) -> tuple[bytes, str]:
    """The ranking as a file (``format`` "csv" or "xlsx", checked by the caller): one row per
    ranked candidate in rank order, then those listed apart; free text behind the formula
    guard."""
    rows = [_final_row(entry) for entry in entries]
    if format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_NONNUMERIC)
        writer.writerow(_FINAL_HEADERS)
        writer.writerows([[formula_safe(value) if isinstance(value, str) else value
                           for value in row] for row in rows])
        return buffer.getvalue().encode("utf-8-sig"), CONTENT_TYPES["csv"]
    if format != "xlsx":
        raise ValueError(f"Unknown export format: {format!r}.")
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(sheet_title)
    sheet.append(_FINAL_HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([None if value == "" else xlsx_text(value)
                      if isinstance(value, str) else value for value in row])
    for column, header in enumerate(_FINAL_HEADERS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = max(len(header) + 2,
                                                                       _MIN_WIDTH)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(_FINAL_HEADERS))}{len(rows) + 1}"
    as_text(sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), CONTENT_TYPES["xlsx"]
