"""Pembinaan's in-memory unit of work: dict-backed repositories with the same methods as
services/pembinaan/persistence/repositories.py, and the same refusals where the database keeps
an invariant (one team per (year, unit_code), one ketua per team, one membership per account
and team, one lokus code per team). The domain values are frozen; dicts are copied."""
from __future__ import annotations

import dataclasses
import hashlib
from datetime import date, datetime

from services.pembinaan.domain.errors import AlreadyMember, KetuaExists, LokusExists, TeamExists
from services.pembinaan.domain.records import CONTACT_FIELDS, Stored
from services.pembinaan.domain.requests import HistoryEntry, Request
from services.pembinaan.domain.teams import KETUA, Lokus, Member, Team
from services.pembinaan.persistence.repositories import DEADLINE_FIELDS, RECORD_FIELDS
from services.shared.platform.database import new_id
from tests.support.memory import InMemoryUnitOfWork


def _page(items: list, offset: int | None, limit: int | None) -> tuple[list, int]:
    start = offset or 0
    return items[start:None if limit is None else start + limit], len(items)


class InMemoryTeamRepository:
    def __init__(self) -> None:
        self.rows: dict[str, Team] = {}

    def add(self, year: int, level: str, unit_code: str, name: str, now: datetime) -> Team:
        if any((t.year, t.unit_code) == (year, unit_code) for t in self.rows.values()):
            raise TeamExists()
        team = Team(new_id(), year, level, unit_code, name, now, now)
        self.rows[team.id] = team
        return team

    def get(self, team_id: str) -> Team | None:
        return self.rows.get(team_id)

    def list(self, year: int | None, team_ids: list[str] | None, offset: int | None = None,
             limit: int | None = None):
        teams = sorted((t for t in self.rows.values()
                        if (year is None or t.year == year)
                        and (team_ids is None or t.id in team_ids)),
                       key=lambda t: (t.year, t.level, t.unit_code, t.id))
        return _page(teams, offset, limit)


class InMemoryMemberRepository:
    def __init__(self) -> None:
        self.rows: list[Member] = []

    def add(self, team_id: str, account_id: str, position: str, email: str | None,
            now: datetime) -> Member:
        if any((m.team_id, m.account_id) == (team_id, account_id) for m in self.rows):
            raise AlreadyMember()
        if position == KETUA and any(m.team_id == team_id and m.position == KETUA
                                     for m in self.rows):
            raise KetuaExists()
        member = Member(new_id(), team_id, account_id, position, email, now, now)
        self.rows.append(member)
        return member

    def of_team(self, team_id: str) -> list[Member]:
        return [m for m in self.rows if m.team_id == team_id]

    def teams_of_account(self, account_id: str) -> list[str]:
        return [m.team_id for m in self.rows if m.account_id == account_id]

    def is_member(self, team_id: str, account_id: str) -> bool:
        return any((m.team_id, m.account_id) == (team_id, account_id) for m in self.rows)


class InMemoryEstablishmentRepository:
    def __init__(self) -> None:
        self.rows: dict[str, dict] = {}

    def put(self, team_id: str, kind: str, number: str, on: date, sha256: str, size: int,
            now: datetime) -> dict:
        created = self.rows.get(team_id, {}).get("created_at", now)
        self.rows[team_id] = {"team_id": team_id, "kind": kind, "number": number, "date": on,
                              "sha256": sha256, "size": size, "created_at": created,
                              "updated_at": now}
        return dict(self.rows[team_id])

    def get(self, team_id: str) -> dict | None:
        row = self.rows.get(team_id)
        return None if row is None else dict(row)


class InMemoryLokusRepository:
    def __init__(self) -> None:
        self.rows: dict[str, Lokus] = {}

    def add(self, team_id: str, kind: str, code: str, name: str, now: datetime) -> Lokus:
        if any((x.team_id, x.code) == (team_id, code) for x in self.rows.values()):
            raise LokusExists()
        lokus = Lokus(new_id(), team_id, kind, code, name, now, now)
        self.rows[lokus.id] = lokus
        return lokus

    def get(self, lokus_id: str) -> Lokus | None:
        return self.rows.get(lokus_id)

    def list(self, team_ids: list[str] | None, offset: int | None = None,
             limit: int | None = None):
        found = sorted((x for x in self.rows.values()
                        if team_ids is None or x.team_id in team_ids),
                       key=lambda x: (x.team_id, x.code, x.id))
        return _page(found, offset, limit)


class InMemoryContactsRepository:
    def __init__(self) -> None:
        self.rows: dict[str, Stored] = {}

    def put(self, lokus_id: str, team_id: str, contacts: dict, now: datetime) -> Stored:
        old = self.rows.get(lokus_id)
        self.rows[lokus_id] = Stored(lokus_id, lokus_id, team_id,
                                     {name: contacts.get(name) for name in CONTACT_FIELDS},
                                     old.created_at if old else now, now)
        return self.get(lokus_id)

    def get(self, lokus_id: str) -> Stored | None:
        row = self.rows.get(lokus_id)
        return None if row is None else dataclasses.replace(row, fields=dict(row.fields))


class InMemoryRecordRepository:
    def __init__(self) -> None:
        self.rows: dict[str, dict[str, Stored]] = {kind: {} for kind in RECORD_FIELDS}

    def add(self, kind: str, lokus_id: str, team_id: str, fields: dict,
            now: datetime) -> Stored:
        stored = Stored(new_id(), lokus_id, team_id,
                        {name: fields.get(name) for name in RECORD_FIELDS[kind]}, now, now)
        self.rows[kind][stored.id] = stored
        return self.get(kind, stored.id)

    def get(self, kind: str, record_id: str) -> Stored | None:
        row = self.rows[kind].get(record_id)
        return None if row is None else dataclasses.replace(row, fields=dict(row.fields))

    def update(self, kind: str, record_id: str, changes: dict, now: datetime) -> Stored:
        row = self.rows[kind][record_id]
        self.rows[kind][record_id] = dataclasses.replace(
            row, fields={**row.fields, **changes}, updated_at=now)
        return self.get(kind, record_id)

    def of_lokus(self, kind: str, lokus_id: str, offset: int | None = None,
                 limit: int | None = None):
        found = sorted((r for r in self.rows[kind].values() if r.lokus_id == lokus_id),
                       key=lambda r: (r.created_at, r.id))
        return _page([self.get(kind, r.id) for r in found], offset, limit)

    def of_team(self, kind: str, team_id: str) -> list[Stored]:
        return [self.get(kind, r.id) for r in sorted(
            (r for r in self.rows[kind].values() if r.team_id == team_id),
            key=lambda r: (r.created_at, r.id))]


class InMemoryEvidenceRepository:
    def __init__(self) -> None:
        self.rows: dict[tuple[str, int], dict] = {}

    def put(self, activity_id: str, n: int, sha256: str, content_type: str, size: int,
            now: datetime) -> dict:
        self.rows[(activity_id, n)] = {"activity_id": activity_id, "n": n, "sha256": sha256,
                                       "content_type": content_type, "size": size,
                                       "uploaded_at": now}
        return dict(self.rows[(activity_id, n)])

    def of_activity(self, activity_id: str) -> list[dict]:
        return [dict(row) for key, row in sorted(self.rows.items()) if key[0] == activity_id]


class InMemoryRequestRepository:
    def __init__(self, members: InMemoryMemberRepository) -> None:
        self.rows: dict[str, Request] = {}
        self.log: list[tuple[str, HistoryEntry, str | None]] = []
        self.members = members

    def add(self, requester_kind: str, requester_name: str, satker_code: str, subject: str,
            letter_number: str, letter_date: date, created_by: str, now: datetime) -> Request:
        request = Request(new_id(), requester_kind, requester_name, satker_code, subject,
                          letter_number, letter_date, "submitted", None, None, created_by,
                          now, now)
        self.rows[request.id] = request
        return request

    def get(self, request_id: str, for_update: bool = False) -> Request | None:
        return self.rows.get(request_id)

    def _ever_with(self, request: Request, team_ids: list[str]) -> bool:
        return request.team_id in team_ids or any(
            request_id == request.id and team_id in team_ids
            for request_id, _, team_id in self.log)

    def list(self, status: str | None, satker_code: str | None, team_ids: list[str] | None,
             offset: int | None = None, limit: int | None = None):
        found = sorted((r for r in self.rows.values()
                        if (status is None or r.status == status)
                        and (satker_code is None or r.satker_code == satker_code)
                        and (team_ids is None or self._ever_with(r, team_ids))),
                       key=lambda r: (r.created_at, r.id))
        return _page(found, offset, limit)

    def seen_by_teams(self, request_id: str, team_ids: list[str]) -> bool:
        return bool(team_ids) and self._ever_with(self.rows[request_id], team_ids)

    def move(self, request_id: str, status: str, team_id: str | None,
             activity_id: str | None, now: datetime) -> None:
        self.rows[request_id] = dataclasses.replace(
            self.rows[request_id], status=status, team_id=team_id, activity_id=activity_id,
            updated_at=now)

    def append_history(self, request_id: str, entry: HistoryEntry,
                       team_id: str | None) -> None:
        self.log.append((request_id, entry, team_id))

    def history(self, request_ids: list[str]) -> dict[str, list[HistoryEntry]]:
        return {request_id: [entry for rid, entry, _ in self.log if rid == request_id]
                for request_id in request_ids}

    def member_emails(self, team_id: str) -> list[str]:
        return sorted(m.email for m in self.members.of_team(team_id) if m.email)


class InMemorySettingsRepository:
    def __init__(self) -> None:
        self.ips: dict[tuple[str, int], float] = {}
        self.deadline_rows: dict[int, dict] = {}
        self.budgets: dict[tuple[int, str], int] = {}
        self.training_rows: list[dict] = []
        self.internalisation_rows: list[dict] = []

    def put_ips(self, lokus_id: str, year: int, value: float, now: datetime) -> None:
        self.ips[(lokus_id, year)] = value

    def put_deadlines(self, year: int, deadlines: dict, now: datetime) -> dict:
        created = self.deadline_rows.get(year, {}).get("created_at", now)
        self.deadline_rows[year] = {"year": year, **{n: deadlines[n] for n in DEADLINE_FIELDS},
                                    "created_at": created, "updated_at": now}
        return self.deadlines(year)

    def deadlines(self, year: int) -> dict | None:
        row = self.deadline_rows.get(year)
        return None if row is None else dict(row)

    def put_budget(self, year: int, team_id: str, fullday_meetings: int, now: datetime) -> dict:
        self.budgets[(year, team_id)] = fullday_meetings
        return {"year": year, "team_id": team_id, "fullday_meetings": fullday_meetings,
                "created_at": now, "updated_at": now}

    def budget(self, year: int, team_id: str) -> int | None:
        return self.budgets.get((year, team_id))

    def add_training(self, account_id: str, title: str, on: date, now: datetime) -> dict:
        row = {"id": new_id(), "account_id": account_id, "title": title, "date": on,
               "created_at": now, "updated_at": now}
        self.training_rows.append(row)
        return dict(row)

    def trainings(self, year: int | None, offset: int | None = None,
                  limit: int | None = None):
        found = sorted((dict(r) for r in self.training_rows
                        if year is None or r["date"].year == year),
                       key=lambda r: (r["date"], r["id"]))
        return _page(found, offset, limit)

    def add_internalisation(self, team_id: str, on: date, ringkasan: str | None,
                            now: datetime) -> dict:
        row = {"id": new_id(), "team_id": team_id, "tanggal": on, "ringkasan": ringkasan,
               "created_at": now, "updated_at": now}
        self.internalisation_rows.append(row)
        return dict(row)


class InMemoryMonitoringQueries:
    """The same figures as SqlMonitoringQueries, computed over the fakes' rows."""

    def __init__(self, uow: InMemoryPembinaanUnitOfWork) -> None:
        self.uow = uow

    def _team_ids(self, year: int, team_ids: list[str] | None, before: datetime) -> set[str]:
        return {t.id for t in self.uow.teams.rows.values()
                if t.year == year and t.created_at < before
                and (team_ids is None or t.id in team_ids)}

    def teams(self, year: int, team_ids: list[str] | None, before: datetime) -> list[Team]:
        scope = self._team_ids(year, team_ids, before)
        return sorted((t for t in self.uow.teams.rows.values() if t.id in scope),
                      key=lambda t: (t.level, t.unit_code, t.id))

    def lokus(self, year: int, team_ids: list[str] | None, before: datetime) -> list[Lokus]:
        scope = self._team_ids(year, team_ids, before)
        return sorted((x for x in self.uow.lokus.rows.values()
                       if x.team_id in scope and x.created_at < before),
                      key=lambda x: (x.team_id, x.code, x.id))

    def first_records(self, kind: str, year: int, team_ids: list[str] | None,
                      before: datetime) -> dict[str, datetime]:
        scope = self._team_ids(year, team_ids, before)
        rows = (self.uow.contacts.rows.values() if kind == "contacts"
                else self.uow.records.rows[kind].values())
        first: dict[str, datetime] = {}
        for row in rows:
            if row.team_id in scope and row.created_at < before:
                first[row.lokus_id] = min(first.get(row.lokus_id, row.created_at),
                                          row.created_at)
        return first

    def establishments(self, year: int, team_ids: list[str] | None,
                       before: datetime) -> dict[str, datetime]:
        scope = self._team_ids(year, team_ids, before)
        return {team_id: row["created_at"]
                for team_id, row in self.uow.establishments.rows.items()
                if team_id in scope and row["created_at"] < before}

    def internalisations(self, year: int, team_ids: list[str] | None,
                         before: datetime) -> dict[str, datetime]:
        scope = self._team_ids(year, team_ids, before)
        first: dict[str, datetime] = {}
        for row in self.uow.settings.internalisation_rows:
            if row["team_id"] in scope and row["created_at"] < before:
                first[row["team_id"]] = min(first.get(row["team_id"], row["created_at"]),
                                            row["created_at"])
        return first

    def filled_contacts(self, year: int, team_ids: list[str] | None,
                        before: datetime) -> dict[str, int]:
        scope = self._team_ids(year, team_ids, before)
        filled: dict[str, int] = {}
        for row in self.uow.contacts.rows.values():
            if row.team_id in scope and row.created_at < before:
                filled[row.team_id] = filled.get(row.team_id, 0) + sum(
                    1 for name in CONTACT_FIELDS if row.fields.get(name) is not None)
        return filled

    def plan(self, year: int, team_ids: list[str] | None, before: datetime, until: date
             ) -> dict[str, tuple[int, int]]:
        scope = self._team_ids(year, team_ids, before)
        linked = {a.fields["work_plan_id"] for a in self.uow.records.rows["activities"].values()
                  if a.created_at < before}
        figures: dict[str, tuple[int, int]] = {}
        for item in self.uow.records.rows["work_plan"].values():
            if item.team_id in scope and item.created_at < before and \
                    item.fields["tanggal_rencana"] <= until:
                planned, realised = figures.get(item.team_id, (0, 0))
                figures[item.team_id] = (planned + 1, realised + (item.id in linked))
        return figures

    def members(self, year: int, team_ids: list[str] | None, before: datetime,
                trained_from: date, trained_until: date) -> dict[str, tuple[int, int]]:
        scope = self._team_ids(year, team_ids, before)
        trained = {r["account_id"] for r in self.uow.settings.training_rows
                   if trained_from <= r["date"] <= trained_until}
        figures: dict[str, tuple[int, int]] = {}
        for member in self.uow.members.rows:
            if member.team_id in scope and member.created_at < before:
                total, count = figures.get(member.team_id, (0, 0))
                figures[member.team_id] = (total + 1, count + (member.account_id in trained))
        return figures

    def ips(self, year: int, team_ids: list[str] | None, before: datetime
            ) -> dict[str, float]:
        scope = self._team_ids(year, team_ids, before)
        return {lokus_id: value for (lokus_id, y), value in self.uow.settings.ips.items()
                if y == year and self.uow.lokus.rows[lokus_id].team_id in scope}


class InMemoryStorage:
    """The document storage: content-addressed, in a dict."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}

    def put(self, content: bytes) -> str:
        digest = hashlib.sha256(content).hexdigest()
        self.files[digest] = bytes(content)
        return digest

    def get(self, sha256: str) -> bytes:
        return self.files[sha256]


class InMemoryPembinaanUnitOfWork(InMemoryUnitOfWork):
    def __init__(self) -> None:
        super().__init__()
        self.teams = InMemoryTeamRepository()
        self.members = InMemoryMemberRepository()
        self.establishments = InMemoryEstablishmentRepository()
        self.lokus = InMemoryLokusRepository()
        self.contacts = InMemoryContactsRepository()
        self.records = InMemoryRecordRepository()
        self.evidence = InMemoryEvidenceRepository()
        self.requests = InMemoryRequestRepository(self.members)
        self.settings = InMemorySettingsRepository()
        self.monitoring = InMemoryMonitoringQueries(self)
