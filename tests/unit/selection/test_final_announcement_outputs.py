"""What the final selection hands to people: the Indonesian announcement mail and the final
export's rows (labels, formula guard, both formats)."""
from __future__ import annotations

import csv
import io

import openpyxl

from services.selection.adapters.mail_templates import announcement_mail
from services.selection.adapters.spreadsheet import FINAL_COLUMNS, final_export

ACTIVITY = "Rekrutmen Mitra BPS 2027-Pendaftaran"


def test_the_acceptance_mail_asks_for_the_pakta_integritas_and_shows_a_disclosed_total():
    subject, body = announcement_mail("Siti Aminah", ACTIVITY, "3528-2026-00001", "accepted",
                                      76.666)
    assert subject == f"Pengumuman hasil seleksi: Diterima - {ACTIVITY}"
    assert "Yth. Siti Aminah," in body and "3528-2026-00001" in body
    assert "Pakta Integritas" in body
    assert "Nilai akhir Anda: 76.67." in body


def test_the_rejection_mail_shows_no_total_unless_disclosed():
    subject, body = announcement_mail("Siti\nAminah", ACTIVITY, "3528-2026-00002", "rejected",
                                      None)
    assert subject == f"Pengumuman hasil seleksi: Tidak diterima - {ACTIVITY}"
    assert "Yth. Siti Aminah," in body  # no line break from the name
    assert "Nilai akhir" not in body and "Pakta Integritas" not in body
    assert "mutlak" in body


ENTRIES = [
    {"rank": 1, "registration_number": "3528-2026-00001", "full_name": "=HYPERLINK(\"x\")",
     "components": {"test_score": 90.0, "preferred_score": 50.0, "experience": 100.0,
                    "education": 22.22, "domicile": 100.0, "interview": 0.0,
                    "performance": 0.0},
     "total": 80.5, "final_status": "accepted", "pakta_integritas": True},
    {"rank": None, "registration_number": "3528-2026-00002", "full_name": "Budi",
     "components": {"test_score": 30.0, "preferred_score": 0.0, "experience": 0.0,
                    "education": 0.0, "domicile": 0.0, "interview": 0.0, "performance": 0.0},
     "total": 15.0, "final_status": "pending", "pakta_integritas": False},
]


def test_the_final_csv():
    content, content_type = final_export(ENTRIES, "csv", ACTIVITY)
    assert content_type == "text/csv; charset=utf-8" and content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0] == [header for _, header in FINAL_COLUMNS]
    assert rows[1] == ["1", "3528-2026-00001", "'=HYPERLINK(\"x\")", "90.0", "50.0", "100.0",
                       "22.22", "100.0", "0.0", "0.0", "80.5", "Diterima", "Ya"]
    assert rows[2][0] == "" and rows[2][-2:] == ["Belum diputuskan", "Tidak"]


def test_the_final_xlsx():
    content, _ = final_export(ENTRIES, "xlsx", ACTIVITY)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[1][:3] == [1, "3528-2026-00001", "=HYPERLINK(\"x\")"]  # a text cell
    assert sheet.cell(row=2, column=3).data_type == "s"
    assert values[1][-3:] == [80.5, "Diterima", "Ya"]
    assert values[2][0] is None
