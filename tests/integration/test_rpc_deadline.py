"""Issue 7, findings 6 and 11: a service does not commit work whose caller has given up. The
``rpc`` wrapper, on a real database: the caller's deadline passing during the work rolls it
back (DEADLINE_EXCEEDED, the gateway's 503 "try again" is then true), work is not started
once the deadline has passed, and on PostgreSQL a statement waiting on a lock is cancelled
at the deadline instead of waiting on."""
from __future__ import annotations

import hashlib
import threading
import time
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from grpc import StatusCode
from grpc_health.v1 import health_pb2
from nameko_grpc.errors import GrpcError

from services.shared.platform import rpc as rpc_module
from services.shared.platform.database import (
    create_engine,
    normalise_url,
    session_factory,
)
from services.shared.platform.rpc import rpc
from tests.support.infra import postgres_databases
from tests.support.rpc_service import (
    SERVING,
    TABLES,
    UnitOfWork,
    metadata,
    rpc_context,
    things,
)


class Service:
    """A service as the wrapper sees it: ``db.sessions`` and its unit of work."""

    unit_of_work = UnitOfWork

    def __init__(self, sessions, during=lambda context: None):
        self.db = SimpleNamespace(sessions=sessions)
        self.during, self.calls = during, 0

    @rpc(public=True, idempotent=True)
    def AddThing(self, request, identity, uow):
        self.calls += 1
        uow.session.execute(sa.insert(things))
        uow.session.flush()
        self.during(self.context)
        return SERVING


context = rpc_context


def call(service, ctx):
    service.context = ctx
    return service.AddThing(health_pb2.HealthCheckRequest(), ctx)


def count(sessions, table) -> int:
    with sessions() as session:
        return session.execute(sa.select(sa.func.count()).select_from(table)).scalar()


@pytest.fixture(autouse=True)
def settings(monkeypatch):
    monkeypatch.setenv("JWT_SECRET", "a-secret-for-the-rpc-tests-only-32-bytes")
    monkeypatch.setenv("RPC_COMMIT_MARGIN_SECONDS", "0.2")


@pytest.fixture
def sessions(sqlite_sessions):
    return sqlite_sessions(metadata)


class Clock:
    """The wrapper's clock, moved on by the work instead of the work sleeping."""

    def __init__(self):
        self.ahead = 0.0

    def monotonic(self) -> float:
        return time.monotonic() + self.ahead


@pytest.mark.parametrize("key", [None, "k-1"])
def test_work_whose_caller_gave_up_meanwhile_is_rolled_back(sessions, key, monkeypatch):
    clock = Clock()
    monkeypatch.setattr(rpc_module, "time", clock)

    def slow_work(ctx):
        clock.ahead += 11  # the work took longer than the caller's 10 s

    service = Service(sessions, during=slow_work)
    with pytest.raises(GrpcError) as refused:
        call(service, context(10, key))
    assert refused.value.code == StatusCode.DEADLINE_EXCEEDED
    assert service.calls == 1
    assert count(sessions, things) == 0
    assert count(sessions, TABLES.idempotency_records) == 0  # a retry with the key acts


def test_with_time_left_or_no_deadline_the_work_commits(sessions):
    assert call(Service(sessions), context(10)) == SERVING
    assert call(Service(sessions), context(None)) == SERVING
    assert count(sessions, things) == 2


def test_too_close_to_the_deadline_the_work_is_not_started(sessions):
    service = Service(sessions)
    for seconds_left in (-1, 0.1):  # 0.1 s left: less than the commit margin
        with pytest.raises(GrpcError) as refused:
            call(service, context(seconds_left))
        assert refused.value.code == StatusCode.DEADLINE_EXCEEDED
    assert service.calls == 0 and count(sessions, things) == 0


def test_a_sign_ups_request_is_not_kept_as_a_plain_hash(sessions):
    """The idempotency record keeps a keyed hash: a request holding a password must not be
    guessable from the database at SHA-256 speed."""
    call(Service(sessions), context(10, "k-2"))
    with sessions() as session:
        kept = session.execute(sa.select(TABLES.idempotency_records.c.request_hash)).scalar()
    plain = hashlib.sha256(health_pb2.HealthCheckRequest().SerializeToString(
        deterministic=True)).hexdigest()
    assert kept and kept != plain


def test_on_postgresql_a_statement_waiting_on_a_lock_is_cancelled_at_the_deadline():
    with postgres_databases(["rpc_deadline"]) as urls:
        url = urls["rpc_deadline"]
        engine = create_engine(url)
        metadata.create_all(engine)
        sessions = session_factory(engine)
        locker = sa.create_engine(normalise_url(url))
        try:
            outcome = {}

            def attempt():
                try:
                    outcome["reply"] = call(Service(sessions), context(1.0))
                except GrpcError as error:
                    outcome["error"] = error

            with locker.connect() as connection:
                transaction = connection.begin()
                connection.execute(sa.text("LOCK TABLE things IN ACCESS EXCLUSIVE MODE"))
                waiting = threading.Thread(target=attempt)
                waiting.start()
                waiting.join(timeout=3)  # the deadline, not the lock, must end the wait
                ended_while_locked = not waiting.is_alive()
                transaction.rollback()
                waiting.join()
            assert ended_while_locked
            assert outcome["error"].code == StatusCode.DEADLINE_EXCEEDED
            assert count(sessions, things) == 0
        finally:
            engine.dispose()
            locker.dispose()
