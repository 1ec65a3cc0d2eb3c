"""A lokus' documentation through the use cases: contacts kept normalised, the plan check's
exact problems, activities linked to their lokus' plan only and published as events, evidence
judged by its bytes, and the sekretariat reading but not writing."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.pembinaan.domain.errors import (
    LokusUnknown,
    NotTeamMember,
    RecordUnknown,
)
from services.pembinaan.use_cases import records, settings
from services.shared.contracts.errors import InvalidInput, UnsupportedContent
from tests.service.pembinaan.fakes import InMemoryPembinaanUnitOfWork, InMemoryStorage
from tests.service.pembinaan.support import (
    KETUA,
    OUTSIDER,
    PDF,
    PNG,
    SEKRETARIAT,
    activity,
    make_lokus,
    make_team,
    plan_item,
)


@pytest.fixture
def uow():
    return InMemoryPembinaanUnitOfWork()


@pytest.fixture
def lokus(uow):
    team = make_team(uow)
    make_team(uow, unit_code="3529", members=((OUTSIDER, "ketua"),))
    return make_lokus(uow, team["id"])


def test_contacts_are_kept_normalised_and_nulls_allowed(uow, lokus):
    kept = records.put_contacts(uow, KETUA, lokus["id"], {
        "pimpinan_nama": "Bupati", "epss_email": "EPSS@pamekasankab.go.id",
        "epss_whatsapp": "0812 3456 7890"})
    assert kept["epss_email"] == "epss@pamekasankab.go.id"
    assert kept["epss_whatsapp"] == "6281234567890"
    assert kept["walidata_unit"] is None
    assert records.get_contacts(uow, SEKRETARIAT, lokus["id"])["pimpinan_nama"] == "Bupati"
    with pytest.raises(InvalidInput):
        records.put_contacts(uow, KETUA, lokus["id"], {"epss_whatsapp": "021-123456"})
    with pytest.raises(LokusUnknown):  # another team's lokus: as unknown as none
        records.put_contacts(uow, OUTSIDER, lokus["id"], {})
    with pytest.raises(NotTeamMember):
        records.put_contacts(uow, SEKRETARIAT, lokus["id"], {})


def test_the_check_shows_exactly_the_expected_problems(uow, lokus):
    team_id = lokus["team_id"]
    overdue = records.add_plan_item(uow, KETUA, lokus["id"], plan_item(
        tanggal_rencana=datetime(2025, 2, 1).date(), penyelenggara="bps", jenis="fullday"))
    for _ in range(3):
        records.add_plan_item(uow, KETUA, lokus["id"], plan_item())
    unplanned = records.add_activity(uow, KETUA, lokus["id"], activity())
    settings.put_budget(uow, SEKRETARIAT, 2025, team_id, 2)
    check = records.check_work_plan(uow, KETUA, lokus["id"],
                                    now=datetime(2025, 6, 1, tzinfo=UTC))
    assert check["ok"] is False
    assert [(p["code"], p.get("work_plan_id"), p.get("activity_id"))
            for p in check["problems"]] == [
        ("too_few_items", None, None), ("fullday_budget_mismatch", None, None),
        ("overdue_unrealised", overdue["id"], None), ("unplanned_activity", None, unplanned["id"])]
    # Fixed: a fifth item, the second fullday, the overdue item realised, the activity planned.
    records.add_plan_item(uow, KETUA, lokus["id"], plan_item(penyelenggara="bps",
                                                             jenis="fullday"))
    records.add_activity(uow, KETUA, lokus["id"], activity(work_plan_id=overdue["id"]))
    uow.records.update("activities", unplanned["id"], {"work_plan_id": overdue["id"]},
                       datetime(2025, 6, 1, tzinfo=UTC))
    assert records.check_work_plan(uow, SEKRETARIAT, lokus["id"],
                                   now=datetime(2025, 6, 1, tzinfo=UTC)) == {
        "ok": True, "problems": []}


def test_an_activity_links_a_plan_item_of_its_own_lokus_only(uow, lokus):
    other = make_lokus(uow, lokus["team_id"], code="3528-DINKES", name="Dinkes")
    item = records.add_plan_item(uow, KETUA, other["id"], plan_item())
    with pytest.raises(InvalidInput) as refused:
        records.add_activity(uow, KETUA, lokus["id"], activity(work_plan_id=item["id"]))
    assert list(refused.value.errors) == ["work_plan_id"]
    assert uow.events == []


def test_a_documented_activity_is_published(uow, lokus):
    item = records.add_plan_item(uow, KETUA, lokus["id"], plan_item())
    kept = records.add_activity(uow, KETUA, lokus["id"], activity(work_plan_id=item["id"]))
    [event] = uow.events.of_type("pembinaan_activity_documented")
    assert (event["activity_id"], event["lokus_id"], event["work_plan_id"],
            event["documented_by"]) == (kept["id"], lokus["id"], item["id"], KETUA.account_id)


def test_evidence_is_judged_by_its_bytes(uow, lokus):
    storage = InMemoryStorage()
    kept = records.add_activity(uow, KETUA, lokus["id"], activity())
    evidence = records.put_evidence(uow, storage, KETUA, kept["id"], 1, PNG, "image/png", 10_000)
    assert evidence["content_type"] == "image/png" and storage.get(evidence["sha256"]) == PNG
    records.put_evidence(uow, storage, KETUA, kept["id"], 2, PDF, "application/pdf", 10_000)
    with pytest.raises(UnsupportedContent):
        records.put_evidence(uow, storage, KETUA, kept["id"], 3, PDF, "image/png", 10_000)
    with pytest.raises(UnsupportedContent):
        records.put_evidence(uow, storage, KETUA, kept["id"], 3, b"GIF89a....", None, 10_000)
    with pytest.raises(InvalidInput):
        records.put_evidence(uow, storage, KETUA, kept["id"], 11, PDF, None, 10_000)
    with pytest.raises(RecordUnknown):
        records.put_evidence(uow, storage, OUTSIDER, kept["id"], 1, PDF, None, 10_000)
    listed = records.list_activities(uow, SEKRETARIAT, lokus["id"], 1, 50)
    assert [e["n"] for e in listed["items"][0]["evidence"]] == [1, 2]


def test_inventory_and_epss_candidates(uow, lokus):
    kept = records.add_statistical_activity(uow, KETUA, lokus["id"], {
        "judul": "Kompilasi data kepegawaian", "periode": "tahunan", "tahun_terakhir": 2023,
        "unit_produsen": "BKPSDM", "cara_pengumpulan": 3, "data_utama": "Jumlah ASN",
        "data_prioritas": False, "pemanfaatan": "terbuka"})
    changed = records.update_statistical_activity(uow, KETUA, kept["id"], {"periode": "bulanan"})
    assert changed["periode"] == "bulanan" and changed["judul"] == kept["judul"]
    with pytest.raises(InvalidInput):
        records.update_statistical_activity(uow, KETUA, kept["id"], {"pemanfaatan": "publik"})
    with pytest.raises(RecordUnknown):
        records.update_statistical_activity(uow, OUTSIDER, kept["id"], {"periode": "bulanan"})
    records.add_epss_candidate(uow, KETUA, lokus["id"], {
        "nama_kegiatan": "Survei IKM", "tahun": 2025, "cara_pengumpulan": 2,
        "produsen_data": "Diskominfo", "alasan": "data prioritas", "catatan": None})
    assert records.list_records(uow, SEKRETARIAT, "epss_candidates", lokus["id"], 1, 50)[
        "total"] == 1
