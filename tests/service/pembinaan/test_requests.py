"""Requests from outside BPS through the use cases: the juknis' flow kabkot -> escalated to
provinsi -> confirmed -> in progress -> documented, kept append-only with who/when/note,
published, mailed in Indonesian to the team on a disposition or escalation; and the refusals:
409 from the state, 403 for the wrong caller, 422 for a wrong team or activity."""
from __future__ import annotations

from datetime import date

import pytest

from services.pembinaan.domain.errors import (
    RequestUnknown,
    TransitionNotAllowed,
    TransitionNotPermitted,
)
from services.pembinaan.use_cases import records, requests
from services.shared.contracts.errors import InvalidInput, NotInScope
from services.shared.contracts.identity import Identity
from tests.service.pembinaan.fakes import InMemoryPembinaanUnitOfWork
from tests.service.pembinaan.support import (
    ANGGOTA,
    HEAD_3320,
    HEAD_3528,
    KETUA,
    OUTSIDER,
    SEKRETARIAT,
    activity,
    deliver,
    make_lokus,
    make_team,
)

PROV = Identity("pembina-prov", "pembina")
DIREKTORAT = Identity("pembina-dir", "pembina")


@pytest.fixture
def uow():
    return InMemoryPembinaanUnitOfWork()


@pytest.fixture
def world(uow):
    kabkot = make_team(uow)
    provinsi = make_team(uow, level="provinsi", unit_code="3500", name="Tim Pembina Jatim",
                         members=((PROV, "koordinator"),))
    direktorat = make_team(uow, level="direktorat", unit_code="03200", name="Tim Diseminasi",
                           members=((DIREKTORAT, "ketua"),))
    other_province = make_team(uow, level="provinsi", unit_code="3300", name="Tim Jateng",
                               members=((OUTSIDER, "ketua"),))
    return {"kabkot": kabkot, "provinsi": provinsi, "direktorat": direktorat,
            "other_province": other_province}


def new_request(uow, by=HEAD_3528):
    return requests.create_request(uow, by, "pemda_kabkot", "Pemkab Pamekasan", "3528",
                                   "Pendampingan Satu Data", "B-12/2025", date(2025, 2, 3))


def step(uow, by, request_id, to, note=None, team_id=None, activity_id=None):
    return requests.transition(uow, by, request_id, to, note, team_id, activity_id)


def test_the_whole_flow_with_escalation(uow, world):
    request = new_request(uow)
    assert (request["status"], request["history"]) == ("submitted", [])
    step(uow, HEAD_3528, request["id"], "disposed", "segera", world["kabkot"]["id"])
    step(uow, KETUA, request["id"], "escalated", "lintas satker", world["provinsi"]["id"])
    step(uow, PROV, request["id"], "capacity_confirmed")
    step(uow, PROV, request["id"], "in_progress")
    lokus = make_lokus(uow, world["provinsi"]["id"], code="3500", kind="pemda_provinsi")
    done = records.add_activity(uow, PROV, lokus["id"], activity(inisiatif="non_bps"))
    final = step(uow, PROV, request["id"], "documented", activity_id=done["id"])
    assert final["status"] == "documented" and final["activity_id"] == done["id"]
    assert [(h["from"], h["to"], h["by"]) for h in final["history"]] == [
        ("submitted", "disposed", HEAD_3528.account_id),
        ("disposed", "escalated", KETUA.account_id),
        ("escalated", "capacity_confirmed", PROV.account_id),
        ("capacity_confirmed", "in_progress", PROV.account_id),
        ("in_progress", "documented", PROV.account_id)]
    assert final["history"][0]["note"] == "segera" and final["history"][0]["at"] is not None
    assert [e["to_status"] for e in uow.events.of_type("request_transitioned")] == [
        "disposed", "escalated", "capacity_confirmed", "in_progress", "documented"]
    # The notifier: mail on the disposition (to the kabkot team's members) and the escalation
    # (to the provinsi team's); and to the provinsi team's koordinator for its documented
    # activity.
    assert uow.mail == []  # the transitions themselves mail nobody: the notifier does
    deliver(uow)
    requests_mail = [m for m in uow.mail if m["subject"].startswith("Permintaan pembinaan")]
    assert sorted(m["recipient"] for m in requests_mail) == [
        "pembina-anggota@bps.go.id", "pembina-ketua@bps.go.id", "pembina-prov@bps.go.id"]
    assert "didisposisikan" in requests_mail[0]["body"] and "segera" in requests_mail[0]["body"]
    assert "dieskalasi" in [m for m in requests_mail
                            if m["recipient"].startswith("pembina-prov")][0]["body"]
    [documented] = [m for m in uow.mail if m["subject"].startswith("Aktivitas pembinaan")]
    assert documented["recipient"] == "pembina-prov@bps.go.id"
    assert "FGD" in documented["body"] and "non-BPS" in documented["body"]
    # The kabkot team still sees the request it once had; another province's does not.
    assert requests.get_request(uow, ANGGOTA, request["id"])["status"] == "documented"
    with pytest.raises(RequestUnknown):
        requests.get_request(uow, OUTSIDER, request["id"])


def test_escalation_from_provinsi_goes_to_a_direktorat(uow, world):
    request = new_request(uow)
    step(uow, SEKRETARIAT, request["id"], "disposed", team_id=world["kabkot"]["id"])
    with pytest.raises(InvalidInput):  # another province's team is not one level up
        step(uow, KETUA, request["id"], "escalated", team_id=world["other_province"]["id"])
    with pytest.raises(InvalidInput):  # two levels up
        step(uow, KETUA, request["id"], "escalated", team_id=world["direktorat"]["id"])
    step(uow, KETUA, request["id"], "escalated", team_id=world["provinsi"]["id"])
    with pytest.raises(TransitionNotPermitted):  # the kabkot team no longer holds it
        step(uow, KETUA, request["id"], "escalated", team_id=world["provinsi"]["id"])
    moved = step(uow, PROV, request["id"], "escalated", team_id=world["direktorat"]["id"])
    assert moved["team_id"] == world["direktorat"]["id"]
    step(uow, DIREKTORAT, request["id"], "capacity_confirmed")


def test_refusals_by_state_role_and_body(uow, world):
    request = new_request(uow)
    with pytest.raises(TransitionNotAllowed):
        step(uow, HEAD_3528, request["id"], "in_progress")
    with pytest.raises(TransitionNotPermitted):  # another satker's head
        step(uow, HEAD_3320, request["id"], "disposed", team_id=world["kabkot"]["id"])
    with pytest.raises(TransitionNotPermitted):  # the team confirms, it does not dispose
        step(uow, KETUA, request["id"], "disposed", team_id=world["kabkot"]["id"])
    with pytest.raises(InvalidInput):
        step(uow, HEAD_3528, request["id"], "disposed")  # no team
    with pytest.raises(InvalidInput):
        step(uow, HEAD_3528, request["id"], "closed")
    step(uow, HEAD_3528, request["id"], "disposed", team_id=world["kabkot"]["id"])
    with pytest.raises(TransitionNotPermitted):  # the head disposes; the team confirms
        step(uow, HEAD_3528, request["id"], "capacity_confirmed")
    step(uow, ANGGOTA, request["id"], "capacity_confirmed")
    step(uow, ANGGOTA, request["id"], "in_progress")
    lokus = make_lokus(uow, world["kabkot"]["id"])
    bps_activity = records.add_activity(uow, KETUA, lokus["id"], activity(inisiatif="bps"))
    with pytest.raises(InvalidInput):  # a BPS-initiative activity documents no request
        step(uow, KETUA, request["id"], "documented", activity_id=bps_activity["id"])
    with pytest.raises(InvalidInput):
        step(uow, KETUA, request["id"], "documented", activity_id="nope")
    assert uow.requests.get(request["id"]).status == "in_progress"
    assert len(uow.requests.history([request["id"]])[request["id"]]) == 3


def test_who_records_and_sees_requests(uow, world):
    with pytest.raises(NotInScope):
        new_request(uow, by=HEAD_3320)
    with pytest.raises(InvalidInput):
        requests.create_request(uow, SEKRETARIAT, "swasta", "PT X", "3528", "x", "1",
                                date(2025, 1, 1))
    mine = new_request(uow)
    new_request(uow, by=SEKRETARIAT)
    assert requests.list_requests(uow, HEAD_3528, None, 1, 50)["total"] == 2
    assert requests.list_requests(uow, HEAD_3320, None, 1, 50)["total"] == 0
    assert requests.list_requests(uow, KETUA, None, 1, 50)["total"] == 0  # not yet its
    step(uow, HEAD_3528, mine["id"], "disposed", team_id=world["kabkot"]["id"])
    assert [r["id"] for r in requests.list_requests(uow, KETUA, "disposed", 1, 50)["items"]] \
        == [mine["id"]]
    with pytest.raises(InvalidInput):
        requests.list_requests(uow, SEKRETARIAT, "open", 1, 50)


def test_the_notifier_mails_dispositions_and_escalations_only(uow, world):
    request = new_request(uow)
    step(uow, HEAD_3528, request["id"], "disposed", team_id=world["kabkot"]["id"])
    step(uow, KETUA, request["id"], "capacity_confirmed")
    step(uow, KETUA, request["id"], "in_progress")
    deliver(uow)
    assert sorted(m["recipient"] for m in uow.mail) == [
        "pembina-anggota@bps.go.id", "pembina-ketua@bps.go.id"]
    body = uow.mail[0]["body"]
    assert body.startswith("Yth. Tim Pembina Pamekasan,")
    assert "B-12/2025" in body and "03-02-2025" in body and "Catatan" not in body


def test_the_escalation_targets_are_the_teams_one_level_up(uow, world):
    request = new_request(uow)
    make_team(uow, year=2026, level="provinsi", unit_code="3500", name="Tim Jatim 2026",
              members=())  # another year: never a target
    assert requests.escalation_targets(uow, SEKRETARIAT, request["id"])["items"] == []  # no team
    step(uow, HEAD_3528, request["id"], "disposed", None, world["kabkot"]["id"])
    targets = requests.escalation_targets(uow, KETUA, request["id"])
    assert [team["id"] for team in targets["items"]] == [world["provinsi"]["id"]]  # own province
    step(uow, KETUA, request["id"], "escalated", None, world["provinsi"]["id"])
    assert [team["id"] for team in requests.escalation_targets(uow, PROV, request["id"])[
        "items"]] == [world["direktorat"]["id"]]
    step(uow, PROV, request["id"], "escalated", None, world["direktorat"]["id"])
    assert requests.escalation_targets(uow, DIREKTORAT, request["id"]) == {
        "items": [], "total": 0}  # the last level


def test_a_pembina_who_never_held_the_request_learns_nothing_of_it(uow, world):
    request = new_request(uow)
    step(uow, HEAD_3528, request["id"], "disposed", None, world["kabkot"]["id"])
    with pytest.raises(RequestUnknown):
        requests.escalation_targets(uow, OUTSIDER, request["id"])
