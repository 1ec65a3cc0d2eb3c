"""Teams, members, establishment and lokus through the use cases: who may create and read
them, the database's invariants as refusals, the establishment PDF judged by its bytes."""
from __future__ import annotations

from datetime import date

import pytest

from services.pembinaan.domain.errors import (
    AlreadyMember,
    KetuaExists,
    LokusUnknown,
    NotTeamMember,
    SekretariatOnly,
    TeamExists,
    TeamUnknown,
)
from services.pembinaan.use_cases import teams
from services.shared.contracts.errors import InvalidInput, UnsupportedContent
from tests.service.pembinaan.fakes import InMemoryPembinaanUnitOfWork, InMemoryStorage
from tests.service.pembinaan.support import (
    ANGGOTA,
    KETUA,
    OUTSIDER,
    PDF,
    PNG,
    SEKRETARIAT,
    SUPERADMIN,
    make_lokus,
    make_team,
)


@pytest.fixture
def uow():
    return InMemoryPembinaanUnitOfWork()


def test_the_sekretariat_creates_teams_once_per_unit_and_year(uow):
    team = make_team(uow)
    assert (team["year"], team["level"], team["unit_code"]) == (2025, "kabkot", "3528")
    with pytest.raises(TeamExists):
        teams.create_team(uow, SUPERADMIN, 2025, "kabkot", "3528", "again")
    teams.create_team(uow, SEKRETARIAT, 2026, "kabkot", "3528", "next year")


def test_a_pembina_creates_no_team(uow):
    with pytest.raises(SekretariatOnly):
        teams.create_team(uow, KETUA, 2025, "kabkot", "3528", "Tim")


def test_members_are_pembina_accounts_with_one_ketua(uow):
    team = make_team(uow)
    with pytest.raises(KetuaExists):
        teams.add_member(uow, SEKRETARIAT, team["id"], "someone", "ketua", "pembina", None)
    with pytest.raises(AlreadyMember):
        teams.add_member(uow, SEKRETARIAT, team["id"], ANGGOTA.account_id, "koordinator",
                         "pembina", None)
    with pytest.raises(InvalidInput) as refused:
        teams.add_member(uow, SEKRETARIAT, team["id"], "a-mitra", "anggota", "mitra", None)
    assert list(refused.value.errors) == ["account_id"]
    with pytest.raises(TeamUnknown):
        teams.add_member(uow, SEKRETARIAT, "nope", "x", "anggota", "pembina", None)


def test_a_member_sees_its_own_team_only(uow):
    own = make_team(uow)
    other = make_team(uow, unit_code="3529", name="Tim Sumenep", members=((OUTSIDER, "ketua"),))
    assert [t["id"] for t in teams.list_teams(uow, KETUA, 2025, 1, 50)["items"]] == [own["id"]]
    assert teams.list_teams(uow, SEKRETARIAT, None, 1, 50)["total"] == 2
    assert teams.get_team(uow, ANGGOTA, own["id"])["establishment"] is None
    with pytest.raises(NotTeamMember):
        teams.get_team(uow, KETUA, other["id"])
    # The member list is the sekretariat's, who manages it: not even the own team reads it.
    for team_id in (own["id"], other["id"]):
        with pytest.raises(SekretariatOnly):
            teams.list_members(uow, KETUA, team_id)
    assert teams.list_members(uow, SEKRETARIAT, other["id"])["total"] == 1


def test_lokus_of_another_team_are_unknown_to_a_member(uow):
    own, other = make_team(uow), make_team(uow, unit_code="3529", members=())
    mine, theirs = make_lokus(uow, own["id"]), make_lokus(uow, other["id"], code="3529")
    assert teams.get_lokus(uow, KETUA, mine["id"])["team_id"] == own["id"]
    with pytest.raises(LokusUnknown):
        teams.get_lokus(uow, KETUA, theirs["id"])
    assert teams.get_lokus(uow, SEKRETARIAT, theirs["id"])["id"] == theirs["id"]
    assert [x["id"] for x in teams.list_lokus(uow, KETUA, None, 1, 50)["items"]] == [mine["id"]]
    with pytest.raises(NotTeamMember):
        teams.list_lokus(uow, KETUA, other["id"], 1, 50)
    with pytest.raises(InvalidInput):
        teams.create_lokus(uow, SEKRETARIAT, "no-team", "kl", "BPS", "x")


def test_the_establishment_is_a_pdf_judged_by_its_bytes(uow):
    team, storage = make_team(uow), InMemoryStorage()
    kept = teams.put_establishment(uow, storage, KETUA, team["id"], "sk", "B-1/35280/2025",
                                   date(2025, 1, 10), PDF, "application/pdf", 10_000)
    assert storage.get(kept["sha256"]) == PDF
    assert teams.get_team(uow, SEKRETARIAT, team["id"])["establishment"]["kind"] == "sk"
    with pytest.raises(UnsupportedContent):
        teams.put_establishment(uow, storage, KETUA, team["id"], "sk", "B-1", date(2025, 1, 10),
                                PNG, "application/pdf", 10_000)
    with pytest.raises(InvalidInput):
        teams.put_establishment(uow, storage, KETUA, team["id"], "perpres", "B-1",
                                date(2025, 1, 10), PDF, "application/pdf", 10_000)
    with pytest.raises(NotTeamMember):  # the sekretariat reads, members write
        teams.put_establishment(uow, storage, SEKRETARIAT, team["id"], "sk", "B-1",
                                date(2025, 1, 10), PDF, "application/pdf", 10_000)
