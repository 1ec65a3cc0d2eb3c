"""Who may see and change what (API.md "Pembinaan statistik sektoral"): a team's members read
and write their own team's records; the sekretariat (and superadmin) read everything and
manage teams, deadlines, IPS values, budgets and trainings; a pembina of another team gets 403
on the team's routes and 404 for a record of the team (it may not learn it exists)."""
from __future__ import annotations

from services.pembinaan.domain.errors import (
    LokusUnknown,
    NotTeamMember,
    RecordUnknown,
    SekretariatOnly,
    TeamUnknown,
)
from services.pembinaan.domain.records import Stored
from services.pembinaan.domain.teams import PEMBINA_ROLE, Lokus, Team
from services.shared.contracts.identity import Identity

SEKRETARIAT_ROLES = ("sekretariat", "superadmin")


def is_sekretariat(identity: Identity) -> bool:
    return identity.role in SEKRETARIAT_ROLES


def require_sekretariat(identity: Identity) -> None:
    if not is_sekretariat(identity):
        raise SekretariatOnly()


def is_member(uow, identity: Identity, team_id: str) -> bool:
    return identity.role == PEMBINA_ROLE and uow.members.is_member(team_id, identity.account_id)


def visible_team_ids(uow, identity: Identity) -> list[str] | None:
    """The teams whose records the caller reads: None = all (the sekretariat)."""
    if is_sekretariat(identity):
        return None
    if identity.role != PEMBINA_ROLE:
        return []
    return uow.members.teams_of_account(identity.account_id)


def team(uow, identity: Identity, team_id: str, write: bool = False) -> Team:
    """The team, for reading (members, the sekretariat) or writing (members): unknown -> 404,
    not the caller's -> 403."""
    found = uow.teams.get(team_id)
    if found is None:
        raise TeamUnknown()
    if is_member(uow, identity, team_id) or (not write and is_sekretariat(identity)):
        return found
    raise NotTeamMember()


def _of_a_team(uow, identity: Identity, found, unknown: type[Exception], write: bool):
    """``found`` (a lokus or a record, None when there is none) if the caller may reach it: a
    member of its team reads and writes it, the sekretariat reads it and writes nothing (403);
    for anyone else another team's is as unknown as none (404)."""
    if found is None:
        raise unknown()
    if is_member(uow, identity, found.team_id):
        return found
    if is_sekretariat(identity):
        if write:
            raise NotTeamMember()
        return found
    raise unknown()


def lokus(uow, identity: Identity, lokus_id: str, write: bool = False) -> Lokus:
    """A lokus of the caller's team (see _of_a_team)."""
    return _of_a_team(uow, identity, uow.lokus.get(lokus_id), LokusUnknown, write)


def record(uow, identity: Identity, kind: str, record_id: str, write: bool = False) -> Stored:
    """A record of the caller's team (see _of_a_team)."""
    return _of_a_team(uow, identity, uow.records.get(kind, record_id), RecordUnknown, write)
