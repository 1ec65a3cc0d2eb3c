"""Pembinaan's use cases on the real repositories, on SQLite and on PostgreSQL (each migrated
by its Alembic history): every scenario of the service-layer tests runs here again on a SQL
unit of work (one transaction per test, rolled back), so the fakes and the SQL answer alike;
and the invariants the database itself holds, even against raw SQL: one team per (year,
unit_code), one ketua per team, a request's history append-only (PostgreSQL trigger)."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError, IntegrityError

from services.pembinaan.persistence.unit_of_work import PembinaanUnitOfWork
from services.shared.ops.migrate import upgrade
from services.shared.platform.database import create_engine, session_factory, utcnow
from tests.service.pembinaan.test_monitoring import *  # noqa: F403  (the scenarios)
from tests.service.pembinaan.test_records import *  # noqa: F403
from tests.service.pembinaan.test_requests import *  # noqa: F403
from tests.service.pembinaan.test_teams import *  # noqa: F403
from tests.support.infra import postgres_databases
from tests.support.memory import QueuedMail, RecordedEvents


@pytest.fixture(scope="module")
def engines(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('pembinaan') / 'pembinaan.db'}"
    upgrade("pembinaan", url)
    with postgres_databases(["pembinaan"]) as urls:
        upgrade("pembinaan", urls["pembinaan"])
        made = {"sqlite": create_engine(url), "postgres": create_engine(urls["pembinaan"])}
        yield made
        for engine in made.values():
            engine.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def session(request, engines):
    """One session in one transaction for the whole test, rolled back at its end."""
    sessions = session_factory(engines[request.param])
    with sessions() as session:
        yield session
        session.rollback()


class _TeeEvents(RecordedEvents):
    """Into the outbox table, and kept for the scenario's assertions."""

    def __init__(self, outbox):
        super().__init__()
        self.outbox = outbox

    def record(self, event_type, payload):
        self.outbox.record(event_type, payload)
        super().record(event_type, payload)


class _TeeMail(QueuedMail):
    def __init__(self, queue):
        super().__init__()
        self.sql_queue = queue

    def queue(self, recipient, subject, body):
        self.sql_queue.queue(recipient, subject, body)
        super().queue(recipient, subject, body)


@pytest.fixture
def uow(session):  # noqa: F811  (the service tests' fake, replaced by the SQL one)
    sql = PembinaanUnitOfWork(session)
    sql.events, sql.mail = _TeeEvents(sql.events), _TeeMail(sql.mail)
    return sql


def _team(session, team_id, unit_code, year=2025):
    now = utcnow()
    session.execute(sa.text(
        "INSERT INTO teams (id, year, level, unit_code, name, created_at, updated_at) "
        "VALUES (:id, :year, 'kabkot', :unit, 'Tim', :now, :now)"),
        {"id": team_id, "year": year, "unit": unit_code, "now": now})


def _member(session, team_id, account_id, position):
    now = utcnow()
    session.execute(sa.text(
        "INSERT INTO members (id, team_id, account_id, position, created_at, updated_at) "
        "VALUES (:id, :team, :account, :position, :now, :now)"),
        {"id": account_id + team_id, "team": team_id, "account": account_id,
         "position": position, "now": now})


def test_one_team_per_unit_and_year_even_for_raw_sql(session):
    _team(session, "t1", "3528")
    _team(session, "t2", "3528", year=2026)
    with pytest.raises(IntegrityError), session.begin_nested():
        _team(session, "t3", "3528")


def test_one_ketua_per_team_even_for_raw_sql(session):
    _team(session, "t1", "3528")
    _member(session, "t1", "a", "ketua")
    _member(session, "t1", "b", "anggota")
    _member(session, "t1", "c", "anggota")
    with pytest.raises(IntegrityError), session.begin_nested():
        _member(session, "t1", "d", "ketua")
    with pytest.raises(IntegrityError), session.begin_nested():
        _member(session, "t1", "a", "anggota")  # one membership per account


@pytest.mark.parametrize("session", ["postgres"], indirect=True)
def test_the_request_history_is_append_only_on_postgres(session):
    now = utcnow()
    session.execute(sa.text(
        "INSERT INTO requests (id, requester_kind, requester_name, satker_code, subject, "
        "letter_number, letter_date, status, created_by, created_at, updated_at) VALUES "
        "('r1', 'kl', 'K/L', '0000', 's', 'n', '2025-01-01', 'disposed', 'x', :now, :now)"),
        {"now": now})
    session.execute(sa.text(
        "INSERT INTO request_history (request_id, from_status, to_status, by, at) "
        "VALUES ('r1', 'submitted', 'disposed', 'x', :now)"), {"now": now})
    for statement in ("UPDATE request_history SET note = 'changed'",
                      "DELETE FROM request_history", "TRUNCATE request_history CASCADE"):
        with pytest.raises(DBAPIError, match="request_history is append-only"), \
                session.begin_nested():
            session.execute(sa.text(statement))
    assert session.execute(sa.text("SELECT count(*) FROM request_history")).scalar_one() == 1
