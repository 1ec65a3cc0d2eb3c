"""Pembinaan's queries, behind the unit of work; they speak in domain values.

The invariants are the database's: one team per (year, unit_code) and one ketua per team
(a unique constraint and a partial unique index: a violation becomes the named refusal, never
a second row), the history of a request append-only (a trigger on PostgreSQL).

Monitoring reads with set-based queries: one query per kind of record for all the teams asked
about (grouped by lokus or team), never one per team."""
from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.pembinaan.domain.errors import AlreadyMember, KetuaExists, LokusExists, TeamExists
from services.pembinaan.domain.records import CONTACT_FIELDS, Stored
from services.pembinaan.domain.requests import HistoryEntry, Request
from services.pembinaan.domain.teams import KETUA, Lokus, Member, Team
from services.pembinaan.persistence.models import (
    ActivityRecord,
    BudgetRecord,
    ContactsRecord,
    DeadlineRecord,
    EpssCandidateRecord,
    EstablishmentRecord,
    EvidenceRecord,
    InternalisationRecord,
    IpsRecord,
    LokusRecord,
    MemberRecord,
    RequestHistoryRecord,
    RequestRecord,
    StatisticalActivityRecord,
    TeamRecord,
    TrainingRecord,
    WorkPlanItemRecord,
)
from services.shared.platform.database import new_id

DEADLINE_FIELDS = ("establishment", "contacts", "statistical_activities", "epss_candidates",
                   "work_plan")
# The lokus-scoped documentation kept as plain records, by the name the use cases give it.
RECORD_MODELS = {
    "statistical_activities": StatisticalActivityRecord,
    "epss_candidates": EpssCandidateRecord,
    "work_plan": WorkPlanItemRecord,
    "activities": ActivityRecord,
}
_BASE_COLUMNS = ("id", "lokus_id", "team_id", "created_at", "updated_at")


def _fields(model) -> tuple[str, ...]:
    return tuple(column.name for column in model.__table__.columns
                 if column.name not in _BASE_COLUMNS)


RECORD_FIELDS = {kind: _fields(model) for kind, model in RECORD_MODELS.items()}


def _team(row) -> Team:
    return Team(row.id, row.year, row.level, row.unit_code, row.name, row.created_at,
                row.updated_at)


def _member(row) -> Member:
    return Member(row.id, row.team_id, row.account_id, row.position, row.email,
                  row.created_at, row.updated_at)


def _lokus(row) -> Lokus:
    return Lokus(row.id, row.team_id, row.kind, row.code, row.name, row.created_at,
                 row.updated_at)


def _page(session: Session, query, offset: int | None, limit: int | None):
    total = session.execute(sa.select(sa.func.count()).select_from(
        query.order_by(None).subquery())).scalar_one()
    rows = session.execute(query.offset(offset).limit(limit)).scalars().all()
    return rows, total


def _inserted(session: Session, row) -> bool:
    """Insert ``row``; False when a constraint refuses it (the transaction stays usable: the
    insert ran in a savepoint)."""
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        return False
    return True


class SqlTeamRepository:
    def __init__(self, session: Session):
        self.session = session

    def add(self, year: int, level: str, unit_code: str, name: str, now: datetime) -> Team:
        row = TeamRecord(id=new_id(), year=year, level=level, unit_code=unit_code, name=name,
                         created_at=now, updated_at=now)
        if not _inserted(self.session, row):
            raise TeamExists()
        return _team(row)

    def get(self, team_id: str) -> Team | None:
        row = self.session.get(TeamRecord, team_id)
        return None if row is None else _team(row)

    def list(self, year: int | None, team_ids: list[str] | None, offset: int | None = None,
             limit: int | None = None) -> tuple[list[Team], int]:
        query = sa.select(TeamRecord).order_by(TeamRecord.year, TeamRecord.level,
                                               TeamRecord.unit_code, TeamRecord.id)
        if year is not None:
            query = query.where(TeamRecord.year == year)
        if team_ids is not None:
            query = query.where(TeamRecord.id.in_(team_ids))
        rows, total = _page(self.session, query, offset, limit)
        return [_team(row) for row in rows], total


class SqlMemberRepository:
    def __init__(self, session: Session):
        self.session = session

    def add(self, team_id: str, account_id: str, position: str, email: str | None,
            now: datetime) -> Member:
        row = MemberRecord(id=new_id(), team_id=team_id, account_id=account_id,
                           position=position, email=email, created_at=now, updated_at=now)
        if not _inserted(self.session, row):
            # Which one: the same account again, or a second ketua (the partial index).
            taken = self.session.execute(sa.select(MemberRecord.id).where(
                MemberRecord.team_id == team_id,
                MemberRecord.account_id == account_id)).first()
            if taken is None and position == KETUA:
                raise KetuaExists()
            raise AlreadyMember()
        return _member(row)

    def of_team(self, team_id: str) -> list[Member]:
        rows = self.session.execute(sa.select(MemberRecord).where(
            MemberRecord.team_id == team_id).order_by(MemberRecord.created_at, MemberRecord.id))
        return [_member(row) for row in rows.scalars()]

    def teams_of_account(self, account_id: str) -> list[str]:
        return list(self.session.execute(sa.select(MemberRecord.team_id).where(
            MemberRecord.account_id == account_id)).scalars())

    def is_member(self, team_id: str, account_id: str) -> bool:
        return self.session.execute(sa.select(MemberRecord.id).where(
            MemberRecord.team_id == team_id,
            MemberRecord.account_id == account_id)).first() is not None


class SqlEstablishmentRepository:
    def __init__(self, session: Session):
        self.session = session

    def put(self, team_id: str, kind: str, number: str, on: date, sha256: str, size: int,
            now: datetime) -> dict:
        row = self.session.get(EstablishmentRecord, team_id)
        if row is None:
            row = EstablishmentRecord(team_id=team_id, created_at=now)
            self.session.add(row)
        row.kind, row.number, row.date, row.sha256, row.size = kind, number, on, sha256, size
        row.updated_at = now
        self.session.flush()
        return self.get(team_id)

    def get(self, team_id: str) -> dict | None:
        row = self.session.get(EstablishmentRecord, team_id)
        if row is None:
            return None
        return {"team_id": row.team_id, "kind": row.kind, "number": row.number,
                "date": row.date, "sha256": row.sha256, "size": row.size,
                "created_at": row.created_at, "updated_at": row.updated_at}


class SqlLokusRepository:
    def __init__(self, session: Session):
        self.session = session

    def add(self, team_id: str, kind: str, code: str, name: str, now: datetime) -> Lokus:
        row = LokusRecord(id=new_id(), team_id=team_id, kind=kind, code=code, name=name,
                          created_at=now, updated_at=now)
        if not _inserted(self.session, row):
            raise LokusExists()
        return _lokus(row)

    def get(self, lokus_id: str) -> Lokus | None:
        row = self.session.get(LokusRecord, lokus_id)
        return None if row is None else _lokus(row)

    def list(self, team_ids: list[str] | None, offset: int | None = None,
             limit: int | None = None) -> tuple[list[Lokus], int]:
        query = sa.select(LokusRecord).order_by(LokusRecord.team_id, LokusRecord.code,
                                                LokusRecord.id)
        if team_ids is not None:
            query = query.where(LokusRecord.team_id.in_(team_ids))
        rows, total = _page(self.session, query, offset, limit)
        return [_lokus(row) for row in rows], total



class SqlContactsRepository:
    def __init__(self, session: Session):
        self.session = session

    def put(self, lokus_id: str, team_id: str, contacts: dict, now: datetime) -> Stored:
        row = self.session.get(ContactsRecord, lokus_id)
        if row is None:
            row = ContactsRecord(lokus_id=lokus_id, team_id=team_id, created_at=now)
            self.session.add(row)
        for name in CONTACT_FIELDS:
            setattr(row, name, contacts.get(name))
        row.updated_at = now
        self.session.flush()
        return self.get(lokus_id)

    def get(self, lokus_id: str) -> Stored | None:
        row = self.session.get(ContactsRecord, lokus_id)
        if row is None:
            return None
        return Stored(row.lokus_id, row.lokus_id, row.team_id,
                      {name: getattr(row, name) for name in CONTACT_FIELDS},
                      row.created_at, row.updated_at)


class SqlRecordRepository:
    """The lokus' documentation records (inventory, EPSS candidates, plan items, realised
    activities), each kind in its own table."""

    def __init__(self, session: Session):
        self.session = session

    @staticmethod
    def _stored(kind: str, row) -> Stored:
        return Stored(row.id, row.lokus_id, row.team_id,
                      {name: getattr(row, name) for name in RECORD_FIELDS[kind]},
                      row.created_at, row.updated_at)

    def add(self, kind: str, lokus_id: str, team_id: str, fields: dict,
            now: datetime) -> Stored:
        model = RECORD_MODELS[kind]
        row = model(id=new_id(), lokus_id=lokus_id, team_id=team_id, created_at=now,
                    updated_at=now, **{name: fields.get(name) for name in RECORD_FIELDS[kind]})
        self.session.add(row)
        self.session.flush()
        return self._stored(kind, row)

    def get(self, kind: str, record_id: str) -> Stored | None:
        row = self.session.get(RECORD_MODELS[kind], record_id)
        return None if row is None else self._stored(kind, row)

    def update(self, kind: str, record_id: str, changes: dict, now: datetime) -> Stored:
        row = self.session.get(RECORD_MODELS[kind], record_id)
        for name, value in changes.items():
            setattr(row, name, value)
        row.updated_at = now
        self.session.flush()
        return self._stored(kind, row)

    def of_lokus(self, kind: str, lokus_id: str, offset: int | None = None,
                 limit: int | None = None) -> tuple[list[Stored], int]:
        model = RECORD_MODELS[kind]
        query = sa.select(model).where(model.lokus_id == lokus_id).order_by(
            model.created_at, model.id)
        rows, total = _page(self.session, query, offset, limit)
        return [self._stored(kind, row) for row in rows], total

    def of_team(self, kind: str, team_id: str) -> list[Stored]:
        model = RECORD_MODELS[kind]
        rows = self.session.execute(sa.select(model).where(model.team_id == team_id).order_by(
            model.created_at, model.id)).scalars()
        return [self._stored(kind, row) for row in rows]


class SqlEvidenceRepository:
    def __init__(self, session: Session):
        self.session = session

    def put(self, activity_id: str, n: int, sha256: str, content_type: str, size: int,
            now: datetime) -> dict:
        row = self.session.get(EvidenceRecord, (activity_id, n))
        if row is None:
            row = EvidenceRecord(activity_id=activity_id, n=n)
            self.session.add(row)
        row.sha256, row.content_type, row.size, row.uploaded_at = sha256, content_type, size, now
        self.session.flush()
        return {"activity_id": activity_id, "n": n, "sha256": sha256,
                "content_type": content_type, "size": size, "uploaded_at": now}

    def of_activity(self, activity_id: str) -> list[dict]:
        rows = self.session.execute(sa.select(EvidenceRecord).where(
            EvidenceRecord.activity_id == activity_id).order_by(EvidenceRecord.n)).scalars()
        return [{"activity_id": row.activity_id, "n": row.n, "sha256": row.sha256,
                 "content_type": row.content_type, "size": row.size,
                 "uploaded_at": row.uploaded_at} for row in rows]


def _request(row) -> Request:
    return Request(row.id, row.requester_kind, row.requester_name, row.satker_code,
                   row.subject, row.letter_number, row.letter_date, row.status, row.team_id,
                   row.activity_id, row.created_by, row.created_at, row.updated_at)


class SqlRequestRepository:
    def __init__(self, session: Session):
        self.session = session

    def add(self, requester_kind: str, requester_name: str, satker_code: str, subject: str,
            letter_number: str, letter_date: date, created_by: str, now: datetime) -> Request:
        row = RequestRecord(id=new_id(), requester_kind=requester_kind,
                            requester_name=requester_name, satker_code=satker_code,
                            subject=subject, letter_number=letter_number,
                            letter_date=letter_date, status="submitted", created_by=created_by,
                            created_at=now, updated_at=now)
        self.session.add(row)
        self.session.flush()
        return _request(row)

    def get(self, request_id: str, for_update: bool = False) -> Request | None:
        # for_update: two transitions of one request take turns (the second sees the first).
        row = self.session.get(RequestRecord, request_id, with_for_update=for_update)
        return None if row is None else _request(row)

    def list(self, status: str | None, satker_code: str | None, team_ids: list[str] | None,
             offset: int | None = None, limit: int | None = None) -> tuple[list[Request], int]:
        """Requests, optionally of one status; ``satker_code``/``team_ids`` narrow them to what
        an admin_satker (its satker's) or a pembina (its teams' now or before) may see."""
        query = sa.select(RequestRecord).order_by(RequestRecord.created_at, RequestRecord.id)
        if status is not None:
            query = query.where(RequestRecord.status == status)
        if satker_code is not None:
            query = query.where(RequestRecord.satker_code == satker_code)
        if team_ids is not None:
            ever = sa.select(RequestHistoryRecord.request_id).where(
                RequestHistoryRecord.team_id.in_(team_ids))
            query = query.where(sa.or_(RequestRecord.team_id.in_(team_ids),
                                       RequestRecord.id.in_(ever)))
        rows, total = _page(self.session, query, offset, limit)
        return [_request(row) for row in rows], total

    def seen_by_teams(self, request_id: str, team_ids: list[str]) -> bool:
        """Whether the request is, or was, with one of these teams."""
        if not team_ids:
            return False
        now_with = sa.select(RequestRecord.id).where(RequestRecord.id == request_id,
                                                     RequestRecord.team_id.in_(team_ids))
        was_with = sa.select(RequestHistoryRecord.id).where(
            RequestHistoryRecord.request_id == request_id,
            RequestHistoryRecord.team_id.in_(team_ids))
        return (self.session.execute(now_with).first() is not None
                or self.session.execute(was_with).first() is not None)

    def move(self, request_id: str, status: str, team_id: str | None,
             activity_id: str | None, now: datetime) -> None:
        self.session.execute(sa.update(RequestRecord).where(RequestRecord.id == request_id)
                             .values(status=status, team_id=team_id, activity_id=activity_id,
                                     updated_at=now))

    def append_history(self, request_id: str, entry: HistoryEntry,
                       team_id: str | None) -> None:
        self.session.add(RequestHistoryRecord(
            request_id=request_id, from_status=entry.from_status, to_status=entry.to_status,
            by=entry.by, at=entry.at, note=entry.note, team_id=team_id))
        self.session.flush()

    def history(self, request_ids: list[str]) -> dict[str, list[HistoryEntry]]:
        found: dict[str, list[HistoryEntry]] = {request_id: [] for request_id in request_ids}
        if not request_ids:
            return found
        rows = self.session.execute(sa.select(RequestHistoryRecord).where(
            RequestHistoryRecord.request_id.in_(request_ids)).order_by(
            RequestHistoryRecord.id)).scalars()
        for row in rows:
            found[row.request_id].append(HistoryEntry(row.from_status, row.to_status, row.by,
                                                      row.at, row.note))
        return found

    def member_emails(self, team_id: str) -> list[str]:
        return list(self.session.execute(sa.select(MemberRecord.email).where(
            MemberRecord.team_id == team_id, MemberRecord.email.is_not(None)).order_by(
            MemberRecord.email)).scalars())


class SqlSettingsRepository:
    """The sekretariat's values: IPS per lokus and year, deadlines per year, budgets per team
    and year, trainings attended; and the teams' internalisations."""

    def __init__(self, session: Session):
        self.session = session

    def _upsert(self, model, key: dict, values: dict, now: datetime):
        row = self.session.get(model, tuple(key.values()))
        if row is None:
            row = model(**key, created_at=now)
            self.session.add(row)
        for name, value in values.items():
            setattr(row, name, value)
        row.updated_at = now
        self.session.flush()
        return row

    def put_ips(self, lokus_id: str, year: int, value: float, now: datetime) -> None:
        self._upsert(IpsRecord, {"lokus_id": lokus_id, "year": year}, {"value": value}, now)

    def put_deadlines(self, year: int, deadlines: dict, now: datetime) -> dict:
        self._upsert(DeadlineRecord, {"year": year},
                     {name: deadlines[name] for name in DEADLINE_FIELDS}, now)
        return self.deadlines(year)

    def deadlines(self, year: int) -> dict | None:
        row = self.session.get(DeadlineRecord, year)
        if row is None:
            return None
        return {"year": year, **{name: getattr(row, name) for name in DEADLINE_FIELDS},
                "created_at": row.created_at, "updated_at": row.updated_at}

    def put_budget(self, year: int, team_id: str, fullday_meetings: int, now: datetime) -> dict:
        row = self._upsert(BudgetRecord, {"year": year, "team_id": team_id},
                           {"fullday_meetings": fullday_meetings}, now)
        return {"year": year, "team_id": team_id, "fullday_meetings": fullday_meetings,
                "created_at": row.created_at, "updated_at": row.updated_at}

    def budget(self, year: int, team_id: str) -> int | None:
        row = self.session.get(BudgetRecord, (year, team_id))
        return None if row is None else row.fullday_meetings

    def add_training(self, account_id: str, title: str, on: date, now: datetime) -> dict:
        row = TrainingRecord(id=new_id(), account_id=account_id, title=title, date=on,
                             created_at=now, updated_at=now)
        self.session.add(row)
        self.session.flush()
        return self._training(row)

    @staticmethod
    def _training(row) -> dict:
        return {"id": row.id, "account_id": row.account_id, "title": row.title,
                "date": row.date, "created_at": row.created_at, "updated_at": row.updated_at}

    def trainings(self, year: int | None, offset: int | None = None,
                  limit: int | None = None) -> tuple[list[dict], int]:
        query = sa.select(TrainingRecord).order_by(TrainingRecord.date, TrainingRecord.id)
        if year is not None:
            query = query.where(TrainingRecord.date >= date(year, 1, 1),
                                TrainingRecord.date <= date(year, 12, 31))
        rows, total = _page(self.session, query, offset, limit)
        return [self._training(row) for row in rows], total

    def add_internalisation(self, team_id: str, on: date, ringkasan: str | None,
                            now: datetime) -> dict:
        row = InternalisationRecord(id=new_id(), team_id=team_id, tanggal=on,
                                    ringkasan=ringkasan, created_at=now, updated_at=now)
        self.session.add(row)
        self.session.flush()
        return {"id": row.id, "team_id": team_id, "tanggal": on, "ringkasan": ringkasan,
                "created_at": now, "updated_at": now}


class SqlMonitoringQueries:
    """Monitoring's figures for all the teams of a year at once (or those of ``team_ids``):
    each method is one grouped query, whose teams are a subquery (never a list of ids sent
    along, nor a query per team)."""

    def __init__(self, session: Session):
        self.session = session

    @staticmethod
    def _teams(year: int, team_ids: list[str] | None, before: datetime):
        scope = sa.select(TeamRecord.id).where(TeamRecord.year == year,
                                               TeamRecord.created_at < before)
        return scope if team_ids is None else scope.where(TeamRecord.id.in_(team_ids))

    def teams(self, year: int, team_ids: list[str] | None, before: datetime) -> list[Team]:
        """The teams of the year that existed by ``before``, in the report's order."""
        columns = TeamRecord.__table__.c
        query = sa.select(columns.id, columns.year, columns.level, columns.unit_code,
                          columns.name, columns.created_at, columns.updated_at).where(
            columns.id.in_(self._teams(year, team_ids, before))).order_by(
            columns.level, columns.unit_code, columns.id)
        return [Team(*row) for row in self.session.execute(query)]

    def lokus(self, year: int, team_ids: list[str] | None, before: datetime) -> list[Lokus]:
        columns = LokusRecord.__table__.c
        query = sa.select(columns.id, columns.team_id, columns.kind, columns.code,
                          columns.name, columns.created_at, columns.updated_at).where(
            columns.team_id.in_(self._teams(year, team_ids, before)),
            columns.created_at < before).order_by(columns.team_id, columns.code, columns.id)
        return [Lokus(*row) for row in self.session.execute(query)]

    def first_records(self, kind: str, year: int, team_ids: list[str] | None,
                      before: datetime) -> dict[str, datetime]:
        """Per lokus: when its first record of ``kind`` was made (before ``before``)."""
        model = ContactsRecord if kind == "contacts" else RECORD_MODELS[kind]
        rows = self.session.execute(
            sa.select(model.lokus_id, sa.func.min(model.created_at).label("first"))
            .where(model.team_id.in_(self._teams(year, team_ids, before)),
                   model.created_at < before)
            .group_by(model.lokus_id))
        return {row.lokus_id: _aware(row.first) for row in rows}

    def establishments(self, year: int, team_ids: list[str] | None,
                       before: datetime) -> dict[str, datetime]:
        rows = self.session.execute(sa.select(
            EstablishmentRecord.team_id, EstablishmentRecord.created_at).where(
            EstablishmentRecord.team_id.in_(self._teams(year, team_ids, before)),
            EstablishmentRecord.created_at < before))
        return {row.team_id: _aware(row.created_at) for row in rows}

    def internalisations(self, year: int, team_ids: list[str] | None,
                         before: datetime) -> dict[str, datetime]:
        rows = self.session.execute(
            sa.select(InternalisationRecord.team_id,
                      sa.func.min(InternalisationRecord.created_at).label("first"))
            .where(InternalisationRecord.team_id.in_(self._teams(year, team_ids, before)),
                   InternalisationRecord.created_at < before)
            .group_by(InternalisationRecord.team_id))
        return {row.team_id: _aware(row.first) for row in rows}

    def filled_contacts(self, year: int, team_ids: list[str] | None,
                        before: datetime) -> dict[str, int]:
        """Per team: the contact fields filled over its lokus."""
        filled = sum((sa.case((getattr(ContactsRecord, name).is_not(None), 1), else_=0)
                      for name in CONTACT_FIELDS), sa.literal(0))
        rows = self.session.execute(
            sa.select(ContactsRecord.team_id, sa.func.sum(filled).label("filled"))
            .where(ContactsRecord.team_id.in_(self._teams(year, team_ids, before)),
                   ContactsRecord.created_at < before)
            .group_by(ContactsRecord.team_id))
        return {row.team_id: int(row.filled or 0) for row in rows}

    def plan(self, year: int, team_ids: list[str] | None, before: datetime, until: date
             ) -> dict[str, tuple[int, int]]:
        """Per team: (planned, realised) of the plan items recorded before ``before`` with a
        planned date up to ``until``; realised: with a linked activity recorded by then."""
        realised = sa.exists().where(ActivityRecord.work_plan_id == WorkPlanItemRecord.id,
                                     ActivityRecord.created_at < before)
        rows = self.session.execute(
            sa.select(WorkPlanItemRecord.team_id, sa.func.count().label("planned"),
                      sa.func.sum(sa.case((realised, 1), else_=0)).label("realised"))
            .where(WorkPlanItemRecord.team_id.in_(self._teams(year, team_ids, before)),
                   WorkPlanItemRecord.created_at < before,
                   WorkPlanItemRecord.tanggal_rencana <= until)
            .group_by(WorkPlanItemRecord.team_id))
        return {row.team_id: (int(row.planned), int(row.realised or 0)) for row in rows}

    def members(self, year: int, team_ids: list[str] | None, before: datetime,
                trained_from: date, trained_until: date) -> dict[str, tuple[int, int]]:
        """Per team: (members, members with a training from ``trained_from`` to
        ``trained_until``)."""
        trained = sa.exists().where(TrainingRecord.account_id == MemberRecord.account_id,
                                    TrainingRecord.date >= trained_from,
                                    TrainingRecord.date <= trained_until)
        rows = self.session.execute(
            sa.select(MemberRecord.team_id, sa.func.count().label("total"),
                      sa.func.sum(sa.case((trained, 1), else_=0)).label("trained"))
            .where(MemberRecord.team_id.in_(self._teams(year, team_ids, before)),
                   MemberRecord.created_at < before)
            .group_by(MemberRecord.team_id))
        return {row.team_id: (int(row.total), int(row.trained or 0)) for row in rows}

    def ips(self, year: int, team_ids: list[str] | None, before: datetime
            ) -> dict[str, float]:
        """Per lokus of these teams: its IPS of the year."""
        lokus = sa.select(LokusRecord.id).where(
            LokusRecord.team_id.in_(self._teams(year, team_ids, before)))
        rows = self.session.execute(sa.select(IpsRecord.lokus_id, IpsRecord.value).where(
            IpsRecord.year == year, IpsRecord.lokus_id.in_(lokus)))
        return {row.lokus_id: float(row.value) for row in rows}


def _aware(moment: datetime) -> datetime:
    # An aggregate keeps the column's type (UtcDateTime); a naive value is UTC all the same.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
