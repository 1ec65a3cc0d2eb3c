"""Monitoring through the use cases: documentation status per type against the deadlines
(on time, late, missing) counted up to the semester's end, completeness, plan vs realisation,
capacity building, IPS and grade, the internalisation and >6 K/L flags, scope, and the XLSX."""
from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook

from services.pembinaan.domain.records import CONTACT_FIELDS
from services.pembinaan.use_cases import monitoring, records, settings, teams
from services.shared.contracts.errors import InvalidInput
from tests.service.pembinaan.fakes import InMemoryPembinaanUnitOfWork, InMemoryStorage
from tests.service.pembinaan.support import (
    ANGGOTA,
    KETUA,
    OUTSIDER,
    PDF,
    SEKRETARIAT,
    activity,
    make_lokus,
    make_team,
    plan_item,
)


class Clock:
    def __init__(self, monkeypatch):
        self.now = datetime(2025, 1, 2, tzinfo=UTC)
        for module in (teams, records, settings):
            monkeypatch.setattr(module, "utcnow", lambda: self.now)

    def at(self, *args):
        self.now = datetime(*args, tzinfo=UTC)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def uow():
    return InMemoryPembinaanUnitOfWork()


def test_the_figures_of_a_semester(uow, clock):
    team = make_team(uow)
    other = make_team(uow, unit_code="3529", name="Tim Sumenep", members=((OUTSIDER, "ketua"),))
    first, second = make_lokus(uow, team["id"]), make_lokus(uow, team["id"], code="DINKES")
    settings.put_deadlines(uow, SEKRETARIAT, 2025, {
        "establishment": date(2025, 1, 31), "contacts": date(2025, 2, 28),
        "statistical_activities": date(2025, 3, 31), "epss_candidates": date(2025, 3, 31),
        "work_plan": date(2025, 3, 31)})
    clock.at(2025, 1, 10)
    teams.add_internalisation(uow, KETUA, team["id"], date(2025, 1, 9), "materi PSS")
    teams.put_establishment(uow, InMemoryStorage(), KETUA, team["id"], "surat_tugas", "ST-1",
                            date(2025, 1, 9), PDF, "application/pdf", 10_000)
    clock.at(2025, 2, 1)  # contacts: both lokus by the deadline, half the fields of one
    records.put_contacts(uow, KETUA, first["id"], dict.fromkeys(CONTACT_FIELDS[:8], "x") | {
        "instansi_email": "a@b.go.id", "walidata_unit_email": "c@d.go.id",
        "walidata_kepala_email": "e@f.go.id"})
    records.put_contacts(uow, KETUA, second["id"], dict.fromkeys(CONTACT_FIELDS, None) | {
        "pimpinan_nama": "Kadis"})
    clock.at(2025, 4, 1, 17, 0)  # 2 April 00:00 WIB: the plan of the first lokus is late
    items = [records.add_plan_item(uow, KETUA, first["id"], plan_item(
        tanggal_rencana=date(2025, month, 1))) for month in (3, 5, 9)]
    records.add_plan_item(uow, KETUA, second["id"], plan_item(tanggal_rencana=date(2025, 6, 1)))
    records.add_activity(uow, KETUA, first["id"], activity(work_plan_id=items[0]["id"]))
    clock.at(2025, 7, 5)  # after the first semester: counted in the second only
    records.add_activity(uow, KETUA, first["id"], activity(work_plan_id=items[1]["id"]))
    records.add_epss_candidate(uow, KETUA, first["id"], {
        "nama_kegiatan": "Survei", "tahun": 2025, "cara_pengumpulan": 2,
        "produsen_data": "Dinkes", "alasan": "prioritas", "catatan": None})
    settings.add_training(uow, SEKRETARIAT, KETUA.account_id, "Pelatihan PSS", date(2025, 1, 5))
    settings.put_ips(uow, SEKRETARIAT, first["id"], 2025, 3.5)

    report = monitoring.monitoring(uow, SEKRETARIAT, 2025, 1)
    [item] = [i for i in report["items"] if i["team_id"] == team["id"]]
    documentation = {kind: entry["status"] for kind, entry in item["documentation"].items()}
    assert documentation == {"establishment": "on_time", "contacts": "on_time",
                             "statistical_activities": "missing", "epss_candidates": "missing",
                             "work_plan": "late"}
    assert item["documentation"]["work_plan"]["at"] == datetime(2025, 4, 1, 17, tzinfo=UTC)
    assert item["completeness"] == round((8 + 1) / 32, 4)  # 8 + 1 of 2 x 16 fields
    # planned up to 30 June: March, May (first lokus) and June (second); realised: March
    assert item["plan"] == {"planned": 3, "realised": 1, "realisation_rate": 0.3333}
    assert (item["members_trained"], item["members_total"]) == (1, 2)
    assert item["internalisation"]["status"] == "on_time" and item["flags"] == []
    assert {x["id"]: (x["ips"], x["grade"]) for x in item["lokus"]} == {
        first["id"]: (3.5, "sangat_baik"), second["id"]: (None, None)}
    [other_item] = [i for i in report["items"] if i["team_id"] == other["id"]]
    assert other_item["flags"] == ["internalisation_missing"]
    assert other_item["completeness"] == 0.0

    second_half = monitoring.monitoring(uow, SEKRETARIAT, 2025, 2)
    [item] = [i for i in second_half["items"] if i["team_id"] == team["id"]]
    assert item["plan"] == {"planned": 4, "realised": 2, "realisation_rate": 0.5}
    assert item["documentation"]["epss_candidates"]["status"] == "missing"  # second lokus none


def test_a_member_sees_its_own_team_and_teams_made_later_are_not_listed(uow, clock):
    team = make_team(uow)
    clock.at(2025, 8, 1)
    make_team(uow, unit_code="3529", members=((OUTSIDER, "ketua"),))
    assert [i["team_id"] for i in monitoring.monitoring(uow, ANGGOTA, 2025, 2)["items"]] == [
        team["id"]]
    assert len(monitoring.monitoring(uow, SEKRETARIAT, 2025, 1)["items"]) == 1
    assert len(monitoring.monitoring(uow, SEKRETARIAT, 2025, 2)["items"]) == 2
    with pytest.raises(InvalidInput):
        monitoring.monitoring(uow, SEKRETARIAT, 2025, 3)


def test_late_internalisation_and_a_pusat_team_with_seven_kl_are_flagged(uow, clock):
    team = make_team(uow, level="direktorat", unit_code="03200", name="Tim Diseminasi")
    for n in range(7):
        make_lokus(uow, team["id"], code=f"KL{n}", kind="kl", name=f"K/L {n}")
    clock.at(2025, 1, 15)
    teams.add_internalisation(uow, KETUA, team["id"], date(2025, 1, 15), None)
    [item] = monitoring.monitoring(uow, SEKRETARIAT, 2025, 1)["items"]
    assert item["flags"] == ["too_many_kl", "internalisation_late"]


def test_the_xlsx_holds_the_figures(uow, clock):
    team = make_team(uow, name="=HYPERLINK(\"x\")")
    lokus = make_lokus(uow, team["id"])
    settings.put_ips(uow, SEKRETARIAT, lokus["id"], 2025, 4.2)
    exported = monitoring.export_monitoring(uow, SEKRETARIAT, 2025, 1, "xlsx")
    assert exported["filename"] == "monitoring-pembinaan-2025-s1.xlsx"
    workbook = load_workbook(io.BytesIO(exported["content"]))
    rows = list(workbook["Monitoring"].iter_rows(values_only=True))
    # The name as written, in a text cell: no formula, no apostrophe added (that is CSV's).
    assert rows[0][0] == "Tim" and rows[1][0] == "=HYPERLINK(\"x\")"
    assert workbook["Monitoring"].cell(row=2, column=1).data_type == "s"
    assert rows[1][3] == "belum ada"  # no establishment
    assert list(workbook["Lokus"].iter_rows(values_only=True))[1][2:] == (4.2, "Memuaskan")
    with pytest.raises(InvalidInput):
        monitoring.export_monitoring(uow, SEKRETARIAT, 2025, 1, "csv")
