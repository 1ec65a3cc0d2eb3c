"""Applicant export: CSV and XLSX a satker admin opens in Excel."""
from __future__ import annotations

import codecs
import csv
import io
from datetime import UTC, datetime, timedelta, timezone

import pytest
from openpyxl import load_workbook

from services.selection.adapters.spreadsheet import (
    COLUMNS,
    CONTENT_TYPES,
    export,
    export_rows,
    to_csv,
    to_xlsx,
)

HEADERS = [header for _, header in COLUMNS]
NIK = "3528011204950001"
PHONE = "+6281234567890"


def application(**overrides) -> dict:
    base = {
        "registration_number": "SE2026-0001",
        "full_name": "Siti Nurhaliza Ṣāliḥ",
        "nik": NIK,
        "sex": "P",
        "age": 29,
        "education": "S1",
        "kecamatan_name": "Pamekasan",
        "domicile_regency_name": "Kabupaten Pamekasan",
        "phone": PHONE,
        "email": "siti@example.id",
        "mandatory_failures": [],
        "preferred_met": ["Pengalaman sensus", "Memiliki sepeda motor"],
        "preferred_score": 2,
        "administrative_status": "needs_confirmation",
        "administrative_reason": None,
        # 17:30 UTC is 00:30 the next day in WIB.
        "submitted_at": datetime(2026, 3, 1, 17, 30, tzinfo=UTC),
    }
    base.update(overrides)
    return base


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith(codecs.BOM_UTF8)
    return list(csv.reader(io.StringIO(content[len(codecs.BOM_UTF8):].decode("utf-8"))))


def read_xlsx(content: bytes):
    return load_workbook(io.BytesIO(content)).active


def cell(row: list, key: str):
    return row[[k for k, _ in COLUMNS].index(key)]


# --- columns and rows ---------------------------------------------------------------------

def test_columns() -> None:
    assert [key for key, _ in COLUMNS] == [
        "registration_number", "full_name", "nik", "sex", "age", "education", "kecamatan",
        "domicile", "phone", "email", "mandatory_failures", "preferred_met", "preferred_score",
        "administrative_status", "administrative_reason", "submitted_at",
    ]
    assert HEADERS[0] == "No. Pendaftaran" and HEADERS[-1] == "Waktu Pendaftaran"


def test_export_rows_display_values() -> None:
    (row,) = export_rows([application(mandatory_failures=["Umur", "Pendidikan"])])
    assert len(row) == len(COLUMNS)
    assert cell(row, "sex") == "Perempuan"
    assert cell(row, "age") == 29
    assert cell(row, "kecamatan") == "Pamekasan"
    assert cell(row, "domicile") == "Kabupaten Pamekasan"
    assert cell(row, "mandatory_failures") == "Umur, Pendidikan"
    assert cell(row, "preferred_met") == "Pengalaman sensus, Memiliki sepeda motor"
    assert cell(row, "preferred_score") == 2
    assert cell(row, "administrative_status") == "Perlu konfirmasi data"
    assert cell(row, "administrative_reason") == ""
    assert cell(row, "submitted_at") == "2026-03-02 00:30 WIB"


@pytest.mark.parametrize(
    ("status", "label"),
    [
        ("pending", "Menunggu pemeriksaan"),
        ("needs_confirmation", "Perlu konfirmasi data"),
        ("accepted", "Diterima"),
        ("rejected", "Tidak diterima"),
    ],
)
def test_status_labels(status: str, label: str) -> None:
    (row,) = export_rows([application(administrative_status=status)])
    assert cell(row, "administrative_status") == label


def test_sex_labels_and_other_zone() -> None:
    jayapura_ten = datetime(2026, 3, 1, 10, 0, tzinfo=timezone(timedelta(hours=9)))
    (row,) = export_rows([application(sex="L", submitted_at=jayapura_ten)])
    assert cell(row, "sex") == "Laki-laki"
    assert cell(row, "submitted_at") == "2026-03-01 08:00 WIB"


def test_naive_submitted_at_is_refused() -> None:
    with pytest.raises(ValueError):
        export_rows([application(submitted_at=datetime(2026, 3, 1, 10, 0))])


# --- CSV ----------------------------------------------------------------------------------

def test_csv_round_trip() -> None:
    content = to_csv([application(administrative_reason="Ijazah tidak terbaca")])
    assert b"\r\n" in content
    header, row = read_csv(content)
    assert header == HEADERS
    assert cell(row, "nik") == NIK
    assert cell(row, "phone") == PHONE  # no apostrophe on a valid E.164 number
    assert cell(row, "full_name") == "Siti Nurhaliza Ṣāliḥ"
    assert cell(row, "sex") == "Perempuan"
    assert cell(row, "age") == "29"
    assert cell(row, "administrative_status") == "Perlu konfirmasi data"
    assert cell(row, "administrative_reason") == "Ijazah tidak terbaca"
    assert cell(row, "submitted_at") == "2026-03-02 00:30 WIB"


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_formula_injection_guard(prefix: str) -> None:
    name = f'{prefix}HYPERLINK("http://evil.example","klik")'
    (_, row) = read_csv(to_csv([application(full_name=name, administrative_reason=name)]))
    assert cell(row, "full_name") == "'" + name
    assert cell(row, "administrative_reason") == "'" + name


def test_csv_guard_on_joined_lists() -> None:
    (_, row) = read_csv(to_csv([application(preferred_met=["=1+1", "ok"])]))
    assert cell(row, "preferred_met") == "'=1+1, ok"


def test_csv_identifier_not_of_the_validated_shape_is_guarded() -> None:
    (_, row) = read_csv(to_csv([application(phone="=cmd|' /C calc'!A0", nik="-1")]))
    assert cell(row, "phone") == "'=cmd|' /C calc'!A0"
    assert cell(row, "nik") == "'-1"


def test_csv_empty_list_is_just_the_header() -> None:
    assert read_csv(to_csv([])) == [HEADERS]


# --- XLSX ---------------------------------------------------------------------------------

def test_xlsx_read_back() -> None:
    applications = [application(), application(nik="3528011204950002")]
    sheet = read_xlsx(to_xlsx(applications, "Sensus Ekonomi 2026"))
    assert sheet.title == "Sensus Ekonomi 2026"
    assert [c.value for c in sheet[1]] == HEADERS
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:P3"
    assert sheet.max_row == 3

    row = sheet[2]
    nik = cell(row, "nik")
    assert nik.value == NIK and isinstance(nik.value, str)
    assert nik.number_format == "@"
    phone = cell(row, "phone")
    assert phone.value == PHONE and isinstance(phone.value, str)
    assert phone.number_format == "@"
    age = cell(row, "age")
    assert age.value == 29 and isinstance(age.value, int)
    assert isinstance(cell(row, "preferred_score").value, int)
    assert cell(row, "sex").value == "Perempuan"
    assert cell(row, "submitted_at").value == "2026-03-02 00:30 WIB"
    assert cell(row, "administrative_reason").value is None
    assert sheet.column_dimensions["B"].width >= len("Siti Nurhaliza Ṣāliḥ")


def test_xlsx_formula_injection_guard() -> None:
    name = '=HYPERLINK("http://evil.example","klik")'
    sheet = read_xlsx(to_xlsx([application(full_name=name)], "Kegiatan"))
    full_name = cell(sheet[2], "full_name")
    # XLSX: the name as written, in a text cell (never a formula); the apostrophe is CSV's.
    assert full_name.value == name
    assert full_name.data_type == "s"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Survei [Ubinan]: Padi/Jagung*?\\", "Survei Ubinan PadiJagung"),
        ("x" * 40, "x" * 31),
        ("[]:*?/\\", "Pelamar"),
    ],
)
def test_xlsx_sheet_title(title: str, expected: str) -> None:
    assert read_xlsx(to_xlsx([], title)).title == expected


def test_xlsx_empty_list_is_just_the_header() -> None:
    sheet = read_xlsx(to_xlsx([], "Kegiatan"))
    assert sheet.max_row == 1
    assert [c.value for c in sheet[1]] == HEADERS
    assert sheet.auto_filter.ref == "A1:P1"


# --- export -------------------------------------------------------------------------------

def test_export_dispatch() -> None:
    content, content_type = export([application()], "csv", "Kegiatan")
    assert content_type == CONTENT_TYPES["csv"] == "text/csv; charset=utf-8"
    assert content.startswith(codecs.BOM_UTF8)

    content, content_type = export([application()], "xlsx", "Kegiatan")
    assert content_type == CONTENT_TYPES["xlsx"]
    assert content_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert content.startswith(b"PK")


@pytest.mark.parametrize("format", ["pdf", "", "CSV", "xls"])
def test_export_of_an_unchecked_format_is_a_programming_error(format: str) -> None:
    # The use case refuses an unknown format to the admin before it gets here.
    with pytest.raises(ValueError):
        export([application()], format, "Kegiatan")
