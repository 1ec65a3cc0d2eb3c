"""Issue 8: a service's pool does not ping every connection it hands out (one round trip on
every call of test day's hot path). These prove on PostgreSQL that a connection the server
closed (a restart, a failover: here its backend is terminated) still costs no caller an
error: the ``rpc`` wrapper and the health check run a transaction whose first statement met
a closed connection once more on a new one, a connection idle in the pool is pinged when
taken, and a failure after the first statement is never run again
(services/shared/platform/database.py, "a connection the server closed")."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from grpc import StatusCode
from grpc_health.v1 import health_pb2
from nameko_grpc.errors import GrpcError

from services.shared.platform import database
from services.shared.platform.database import (
    create_engine,
    normalise_url,
    session_factory,
    unit_of_work,
)
from services.shared.platform.rpc import HealthCheck, rpc
from tests.support.infra import TEST_DATABASE_URL, postgres_databases, wait_until
from tests.support.rpc_service import SERVING, UnitOfWork, metadata, rpc_context, things


class Service(HealthCheck):
    unit_of_work = UnitOfWork

    def __init__(self, sessions, between=None):
        self.db = SimpleNamespace(sessions=sessions)
        self.between, self.calls = between, 0

    @rpc(public=True, idempotent=True)
    def AddThing(self, request, identity, uow):
        self.calls += 1
        uow.session.execute(sa.insert(things))
        if self.between is not None:
            self.between()
            uow.session.execute(sa.insert(things))
        return SERVING


def context(key: str | None = None):
    return rpc_context(None, key)


@pytest.fixture(autouse=True)
def settings(monkeypatch):
    monkeypatch.setenv("JWT_SECRET", "a-secret-for-the-rpc-tests-only-32-bytes")


@pytest.fixture
def system():
    """A service's engine (the pool of the settings) on a fresh database, and a way to make
    the server close every connection the service holds."""
    admin = sa.create_engine(normalise_url(TEST_DATABASE_URL), isolation_level="AUTOCOMMIT")
    with postgres_databases(["reconnect"]) as urls:
        name = sa.engine.make_url(urls["reconnect"]).database
        engine = create_engine(urls["reconnect"])
        metadata.create_all(engine)

        def backends() -> int:
            with admin.connect() as connection:
                return connection.execute(sa.text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = :name"),
                    {"name": name}).scalar()

        def server_closes_all():
            with admin.connect() as connection:
                connection.execute(sa.text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"), {"name": name})
            wait_until(lambda: backends() == 0, timeout=10,
                       message="the service's backends terminated")

        try:
            yield SimpleNamespace(engine=engine, sessions=session_factory(engine),
                                  server_closes_all=server_closes_all, backends=backends)
        finally:
            engine.dispose()
    admin.dispose()


def count(sessions) -> int:
    with unit_of_work(sessions) as session:
        return session.execute(sa.select(sa.func.count()).select_from(things)).scalar()


def hold_connections(sessions, n: int) -> None:
    """n connections used at once, then back in the pool."""
    held = [sessions() for _ in range(n)]
    for session in held:
        session.execute(sa.text("SELECT 1"))
    for session in held:
        session.close()


@pytest.mark.parametrize("key", [None, "k-1"])
def test_calls_right_after_the_server_closed_the_pooled_connections_all_succeed(system, key):
    service = Service(system.sessions)
    hold_connections(system.sessions, 3)
    assert system.engine.pool.checkedin() == 3
    system.server_closes_all()

    # Used a moment ago: not pinged; the first statement finds each closed.
    for i in range(4):
        assert service.AddThing(health_pb2.HealthCheckRequest(),
                                context(key and f"{key}-{i}")) == SERVING
    # The first call's transaction ran once more on a new connection (without a key the
    # work's own insert was its first statement, so the work started twice; with one the
    # key's look-up was); SQLAlchemy replaced the other closed connections as they were
    # taken (all older than the one found closed): no second retry.
    assert service.calls == (5 if key is None else 4)
    assert count(system.sessions) == 4


def test_the_health_check_stays_serving_across_closed_connections(system):
    service = Service(system.sessions)
    hold_connections(system.sessions, 2)
    system.server_closes_all()
    assert service.Check(health_pb2.HealthCheckRequest(), context()) == SERVING


def test_a_connection_idle_in_the_pool_is_pinged_when_taken(system, monkeypatch):
    hold_connections(system.sessions, 1)
    system.server_closes_all()
    # A plain transaction (an event handler's, a timer's) has no second try: the ping
    # replaces a connection that sat idle for the threshold before it is handed out.
    monkeypatch.setattr(database, "PING_AFTER_IDLE_SECONDS", 0.0)
    with unit_of_work(system.sessions) as session:
        session.execute(sa.insert(things))
    assert count(system.sessions) == 1


def test_a_connection_lost_after_the_first_statement_is_not_tried_again(system):
    # The work has written when its connection goes: its transaction is lost, and running
    # it again could repeat what is not the database's (only a clean start is retried).
    service = Service(system.sessions, between=system.server_closes_all)
    with pytest.raises(GrpcError) as raised:
        service.AddThing(health_pb2.HealthCheckRequest(), context())
    assert raised.value.code == StatusCode.INTERNAL
    assert service.calls == 1
    service.between = None
    assert service.AddThing(health_pb2.HealthCheckRequest(), context()) == SERVING
    assert count(system.sessions) == 1
