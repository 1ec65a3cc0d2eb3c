"""HTTP helpers for the pembinaan e2e tests: accounts of the pembinaan roles, teams with
members and lokus, and bodies with the juknis' fields."""
from __future__ import annotations

from datetime import date

from tests.support import api

P = "/api/v1/pembinaan"
PDF = api.PDF
PNG = api.PNG
JPEG = api.JPEG


def account(base_url: str, role: str, satker_code: str | None = None) -> api.Client:
    """An account of ``role`` made by the superadmin and signed in; ``.account_id`` and
    ``.email`` are set."""
    root = api.superadmin(base_url)
    email, password = api.unique_email(role), "pembina-password-1"
    response = root.post("/api/v1/admin/accounts", json={
        "email": email, "password": password, "full_name": f"Akun {role}", "role": role,
        "satker_code": satker_code})
    assert response.status_code == 201, response.text
    client = api.login(base_url, email, password)
    client.account_id, client.email = response.json()["id"], email
    return client


def created(response, status: int = 201) -> dict:
    assert response.status_code == status, response.text
    return response.json()


def team(sekretariat: api.Client, year: int, level: str, unit_code: str, name: str,
         members=()) -> dict:
    made = created(sekretariat.post(f"{P}/teams", json={
        "year": year, "level": level, "unit_code": unit_code, "name": name}))
    for client, position in members:
        created(sekretariat.post(f"{P}/teams/{made['id']}/members", json={
            "account_id": client.account_id, "position": position}))
    return made


def lokus(sekretariat: api.Client, team_id: str, kind: str, code: str, name: str) -> dict:
    return created(sekretariat.post(f"{P}/lokus", json={
        "team_id": team_id, "kind": kind, "code": code, "name": name}))


def contacts(**changes) -> dict:
    return {
        "pimpinan_nama": "Drs. Bupati", "pimpinan_jabatan": "Bupati",
        "instansi_email": "setda@pamekasankab.go.id", "walidata_unit": "Diskominfo",
        "walidata_unit_email": "kominfo@pamekasankab.go.id",
        "walidata_kepala_nama": "Kepala Dinas", "walidata_kepala_jabatan": "Kadis",
        "walidata_kepala_email": "kadis@pamekasankab.go.id", "epss_nama": "Ani",
        "epss_jabatan": "Statistisi", "epss_email": "ani@pamekasankab.go.id",
        "epss_whatsapp": "081234567890", "walidata_narahubung_nama": "Budi",
        "walidata_narahubung_jabatan": "Pranata Komputer",
        "walidata_narahubung_email": None, "walidata_narahubung_whatsapp": None, **changes}


def inventory(**changes) -> dict:
    return {"judul": "Kompilasi Data Kepegawaian", "periode": "tahunan", "tahun_terakhir": 2025,
            "unit_produsen": "BKPSDM", "cara_pengumpulan": 3, "data_utama": "Jumlah ASN",
            "data_prioritas": True, "pemanfaatan": "terbuka", **changes}


def epss(**changes) -> dict:
    return {"nama_kegiatan": "Survei Kepuasan Masyarakat", "tahun": 2026,
            "cara_pengumpulan": 2, "produsen_data": "Bagian Organisasi",
            "alasan": "mendukung data prioritas", "catatan": None, **changes}


def plan_item(on: date, penyelenggara: str = "non_bps", jenis: str = "non_fullday",
              **changes) -> dict:
    return {"nama_kegiatan": "Pembinaan", "tanggal_rencana": on.isoformat(),
            "mekanisme": "offline", "penyelenggara": penyelenggara, "jenis": jenis,
            "output": "notulen", "catatan": None, **changes}


def activity(on: date, inisiatif: str = "bps", work_plan_id: str | None = None,
             **changes) -> dict:
    return {"tanggal": on.isoformat(), "bentuk": "fgd",
            "materi": ["identifikasi_kegiatan", "kualitas_data"], "inisiatif": inisiatif,
            "work_plan_id": work_plan_id, "peserta": 15, "ringkasan": "FGD", **changes}


def establishment(client: api.Client, team_id: str, content: bytes = PDF,
                  content_type: str = "application/pdf", kind: str = "sk"):
    return client.put(f"{P}/teams/{team_id}/establishment", files={
        "file": ("sk.pdf", content, content_type)}, data={
        "kind": kind, "number": "B-001/35280/KP.650/2026", "date": "2026-01-10"})


def request_body(**changes) -> dict:
    return {"requester_kind": "pemda_kabkot", "requester_name": "Pemerintah Kabupaten "
            "Pamekasan", "satker_code": "3528", "subject": "Pendampingan Satu Data",
            "letter_number": "000.7/123/432.101/2026", "letter_date": "2026-02-03", **changes}
