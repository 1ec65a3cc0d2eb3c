"""What the pembinaan service tests share: identities, a team with lokus and members, bodies."""
from __future__ import annotations

from datetime import date

from services.pembinaan.use_cases import teams
from services.shared.contracts.identity import Identity

SEKRETARIAT = Identity("sek-1", "sekretariat")
SUPERADMIN = Identity("root-1", "superadmin")
KETUA = Identity("pembina-ketua", "pembina")
ANGGOTA = Identity("pembina-anggota", "pembina")
OUTSIDER = Identity("pembina-other", "pembina")
HEAD_3528 = Identity("admin-3528", "admin_satker", "3528")
HEAD_3320 = Identity("admin-3320", "admin_satker", "3320")
MITRA = Identity("mitra-1", "mitra")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00"
       b"\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
       b"\x00\x00\x00IEND\xaeB`\x82")


def make_team(uow, year=2025, level="kabkot", unit_code="3528", name="Tim Pembina Pamekasan",
              members=((KETUA, "ketua"), (ANGGOTA, "anggota"))) -> dict:
    team = teams.create_team(uow, SEKRETARIAT, year, level, unit_code, name)
    for identity, position in members:
        teams.add_member(uow, SEKRETARIAT, team["id"], identity.account_id, position,
                         "pembina", f"{identity.account_id}@bps.go.id")
    return team


def make_lokus(uow, team_id, code="3528", kind="pemda_kabkot", name="Pemkab Pamekasan") -> dict:
    return teams.create_lokus(uow, SEKRETARIAT, team_id, kind, code, name)


def plan_item(**changes) -> dict:
    return {"nama_kegiatan": "FGD identifikasi", "tanggal_rencana": date(2025, 9, 1),
            "mekanisme": "offline", "penyelenggara": "non_bps", "jenis": "non_fullday",
            "output": "daftar kegiatan", "catatan": None, **changes}


def activity(**changes) -> dict:
    return {"tanggal": date(2025, 3, 1), "bentuk": "fgd", "materi": ["identifikasi_kegiatan"],
            "inisiatif": "bps", "work_plan_id": None, "peserta": 12,
            "ringkasan": "FGD", **changes}


def deliver(uow) -> None:
    """Hand every recorded event to the notifier, loaded as handle_once loads it."""
    from services.pembinaan.use_cases import notifications
    from services.shared.contracts.events import PAYLOAD_SCHEMAS
    handlers = {"request_transitioned": notifications.request_transitioned,
                "pembinaan_activity_documented": notifications.pembinaan_activity_documented}
    for event_type, payload in list(uow.events):
        handlers[event_type](uow, PAYLOAD_SCHEMAS[event_type]().load(payload))
