"""An idle relay on PostgreSQL is woken by the database (platform_0005's trigger, LISTEN in
``RelayWakeup``) instead of asking 50 times a second: a committed outbox row ends its wait at
once, a row of the other table or an uncommitted one does not, and a listening connection the
server killed costs one fallback sleep, then the wait listens again."""
from __future__ import annotations

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from services.shared.ops.migrate import upgrade
from services.shared.platform.database import (
    RelayWakeup,
    add_platform_tables,
    create_engine,
    session_factory,
    unit_of_work,
    utcnow,
)
from tests.support.infra import postgres_databases

TABLES = add_platform_tables(sa.MetaData())
IDLE = 20.0  # a wait's idle time: far beyond every wait below that is meant to be woken


@pytest.fixture(scope="module")
def engine():
    with postgres_databases(["registration"]) as urls:
        upgrade("registration", urls["registration"])
        engine = create_engine(urls["registration"], pool_size=2)
        yield engine
        engine.dispose()


def add_event(engine) -> None:
    with unit_of_work(session_factory(engine)) as session:
        session.execute(sa.insert(TABLES.outbox).values(
            event_id=str(uuid.uuid4()), event_type="wakeup_probe", envelope={},
            created_at=utcnow(), attempts=0))


def timed_wait(wakeup: RelayWakeup, idle: float = IDLE) -> float:
    started = time.monotonic()
    wakeup.wait(idle, fallback=idle)
    return time.monotonic() - started


def test_a_committed_outbox_row_wakes_the_idle_relay(engine):
    wakeup = RelayWakeup(engine, "outbox", threading.Event())
    try:
        assert timed_wait(wakeup, idle=0.3) >= 0.3  # listening now; nothing came: idle
        with ThreadPoolExecutor(1) as pool:
            waiting = pool.submit(timed_wait, wakeup)
            time.sleep(0.3)  # the waiter is inside its wait (nothing to wait on for that)
            add_event(engine)
            assert waiting.result(IDLE + 5) < IDLE / 2  # woken, not timed out

        # A row of the mail queue is the mail loop's: the events loop sleeps on.
        with engine.begin() as connection:
            connection.exec_driver_sql("SELECT pg_notify('bps_relay', 'outgoing_mail')")
        assert timed_wait(wakeup, idle=0.5) >= 0.5
    finally:
        wakeup.close()


def test_a_killed_listening_connection_costs_one_fallback_then_it_listens_again(engine):
    stopping = threading.Event()
    wakeup = RelayWakeup(engine, "outbox", stopping)
    try:
        timed_wait(wakeup, idle=0.1)
        pid = wakeup.connection.get_backend_pid()
        with engine.begin() as connection:
            connection.exec_driver_sql(f"SELECT pg_terminate_backend({pid})")
        started = time.monotonic()
        wakeup.wait(IDLE, fallback=0.2)  # the dead connection: the fallback sleep
        assert time.monotonic() - started < IDLE / 2 and wakeup.connection is None
        with ThreadPoolExecutor(1) as pool:
            waiting = pool.submit(timed_wait, wakeup)
            time.sleep(0.3)
            add_event(engine)
            assert waiting.result(IDLE + 5) < IDLE / 2
        assert wakeup.connection.get_backend_pid() != pid
    finally:
        wakeup.close()
