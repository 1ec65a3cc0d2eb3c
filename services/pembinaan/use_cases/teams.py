"""Teams (Tim Pembina), their members, the establishment document (SK / Surat Tugas), their
lokus binaan and their internalisation."""
from __future__ import annotations

import dataclasses
from datetime import date

from services.pembinaan.domain.errors import Invalid, TeamUnknown
from services.pembinaan.domain.teams import (
    check_lokus,
    check_member_role,
    check_position,
    check_team,
    check_year,
)
from services.pembinaan.use_cases import access
from services.shared.contracts.documents import judge_bytes
from services.shared.contracts.identity import Identity
from services.shared.contracts.vocabulary import PEMBINAAN_ESTABLISHMENT_KINDS
from services.shared.platform.database import utcnow

PDF = ("application/pdf",)
TEXT_MAX = 300


def _text(value: str | None, field: str, max_length: int = TEXT_MAX) -> str:
    if value is None or not value.strip():
        raise Invalid(field, "Required.")
    if len(value) > max_length:
        raise Invalid(field, f"Use at most {max_length} characters.")
    return value.strip()


def create_team(uow, identity: Identity, year: int, level: str, unit_code: str,
                name: str) -> dict:
    access.require_sekretariat(identity)
    check_team(year, level, unit_code, name)
    return dataclasses.asdict(uow.teams.add(year, level, unit_code, _text(name, "name"),
                                            utcnow()))


def list_teams(uow, identity: Identity, year: int | None, page: int, per_page: int) -> dict:
    if year is not None:
        check_year(year)
    visible = access.visible_team_ids(uow, identity)
    teams, total = uow.teams.list(year, visible, (page - 1) * per_page, per_page)
    return {"items": [dataclasses.asdict(team) for team in teams], "total": total}


def get_team(uow, identity: Identity, team_id: str) -> dict:
    team = access.team(uow, identity, team_id)
    return {**dataclasses.asdict(team), "establishment": uow.establishments.get(team_id)}


def add_member(uow, identity: Identity, team_id: str, account_id: str, position: str,
               account_role: str | None, email: str | None) -> dict:
    """``account_role`` and ``email`` are the account's as registration holds them (the
    gateway looks them up): the account must be a pembina's; the e-mail is kept for the
    team's mail."""
    access.require_sekretariat(identity)
    if uow.teams.get(team_id) is None:
        raise TeamUnknown()
    check_position(position)
    if not account_id or not account_id.strip():
        raise Invalid("account_id", "Required.")
    check_member_role(account_role)
    return dataclasses.asdict(uow.members.add(team_id, account_id, position, email or None,
                                              utcnow()))


def list_members(uow, identity: Identity, team_id: str) -> dict:
    """The team's members, for the sekretariat who manages them (API.md)."""
    access.require_sekretariat(identity)
    access.team(uow, identity, team_id)
    members = uow.members.of_team(team_id)
    return {"items": [dataclasses.asdict(member) for member in members],
            "total": len(members)}


def put_establishment(uow, storage, identity: Identity, team_id: str, kind: str, number: str,
                      on: date, content: bytes, content_type: str | None,
                      max_bytes: int) -> dict:
    access.team(uow, identity, team_id, write=True)
    if kind not in PEMBINAAN_ESTABLISHMENT_KINDS:
        raise Invalid("kind", f"Use one of {', '.join(PEMBINAAN_ESTABLISHMENT_KINDS)}.")
    number = _text(number, "number", 200)
    judge_bytes(content, content_type, PDF, max_bytes)
    sha256 = storage.put(content)
    return uow.establishments.put(team_id, kind, number, on, sha256, len(content), utcnow())


def create_lokus(uow, identity: Identity, team_id: str, kind: str, code: str,
                 name: str) -> dict:
    access.require_sekretariat(identity)
    if uow.teams.get(team_id) is None:
        raise Invalid("team_id", "No Tim Pembina has this id.")
    check_lokus(kind, code, name)
    return dataclasses.asdict(uow.lokus.add(team_id, kind, _text(code, "code", 50),
                                            _text(name, "name"), utcnow()))


def list_lokus(uow, identity: Identity, team_id: str | None, page: int,
               per_page: int) -> dict:
    if team_id is not None:
        access.team(uow, identity, team_id)
        team_ids = [team_id]
    else:
        team_ids = access.visible_team_ids(uow, identity)
    found, total = uow.lokus.list(team_ids, (page - 1) * per_page, per_page)
    return {"items": [dataclasses.asdict(lokus) for lokus in found], "total": total}


def get_lokus(uow, identity: Identity, lokus_id: str) -> dict:
    return dataclasses.asdict(access.lokus(uow, identity, lokus_id))


def add_internalisation(uow, identity: Identity, team_id: str, on: date,
                        ringkasan: str | None) -> dict:
    access.team(uow, identity, team_id, write=True)
    if ringkasan is not None and len(ringkasan) > 2000:
        raise Invalid("ringkasan", "Use at most 2000 characters.")
    return uow.settings.add_internalisation(team_id, on, ringkasan, utcnow())
