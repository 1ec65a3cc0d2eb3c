"""Monitoring as an XLSX workbook the sekretariat can send on: "Monitoring", one row per team
(documentation status per type with its date, completeness, plan vs realisation, capacity
building, internalisation, notes), and "Lokus", one row per lokus with its IPS and grade.
Labels in Indonesian; every text cell through the platform's formula guard."""
from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from services.shared.contracts.calendar import WIB
from services.shared.platform.spreadsheets import as_text, xlsx_text

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_STATUS = {"on_time": "tepat waktu", "late": "terlambat", "missing": "belum ada"}
_TYPES = (("establishment", "Penetapan tim"), ("contacts", "Narahubung"),
          ("statistical_activities", "Kegiatan statistik"),
          ("epss_candidates", "Kandidat EPSS"), ("work_plan", "Rencana kerja"))
_FLAGS = {"too_many_kl": "lebih dari 6 K/L",
          "internalisation_missing": "internalisasi belum didokumentasikan",
          "internalisation_late": "internalisasi melewati minggu ke-2 Januari"}
_GRADES = {"memuaskan": "Memuaskan", "sangat_baik": "Sangat Baik", "baik": "Baik",
           "cukup": "Cukup", "kurang": "Kurang"}
TEAM_HEADER = (
    ["Tim", "Tingkat", "Kode unit"]
    + [label for _, title in _TYPES for label in (title, f"{title} (tanggal)")]
    + ["Kelengkapan narahubung", "Rencana", "Realisasi", "Tingkat realisasi",
       "Anggota terlatih", "Anggota", "Internalisasi", "Catatan"])
LOKUS_HEADER = ["Tim", "Lokus", "IPS", "Predikat"]


def _text(value) -> str | None:
    return None if value is None else xlsx_text(str(value))


def _when(moment) -> str | None:
    return None if moment is None else moment.astimezone(WIB).strftime("%Y-%m-%d %H:%M WIB")


def _header(sheet, header) -> None:
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)


def write_monitoring(year: int, semester: int, items: list[dict]) -> bytes:
    workbook = Workbook()
    teams = workbook.active
    teams.title = "Monitoring"
    _header(teams, TEAM_HEADER)
    for item in items:
        documentation = []
        for kind, _ in _TYPES:
            entry = item["documentation"][kind]
            documentation += [_STATUS[entry["status"]], _when(entry["at"])]
        teams.append([
            _text(item["name"]), item["level"], _text(item["unit_code"]), *documentation,
            item["completeness"], item["plan"]["planned"], item["plan"]["realised"],
            item["plan"]["realisation_rate"], item["members_trained"], item["members_total"],
            _STATUS[item["internalisation"]["status"]],
            "; ".join(_FLAGS.get(flag, flag) for flag in item["flags"]) or None,
        ])
    lokus = workbook.create_sheet("Lokus")
    _header(lokus, LOKUS_HEADER)
    for item in items:
        for entry in item["lokus"]:
            lokus.append([_text(item["name"]), _text(entry["name"]), entry["ips"],
                          _GRADES.get(entry["grade"]) if entry["grade"] else None])
    about = workbook.create_sheet("Keterangan")
    about.append(["Tahun", year])
    about.append(["Semester", semester])
    about.append(["Dihitung", "dari catatan yang direkam sampai akhir semester (WIB)"])
    for sheet in (teams, lokus, about):
        as_text(sheet)  # "=..." in a name stays text, never a formula
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
