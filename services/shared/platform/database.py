"""Database plumbing every service uses: engines, the unit of work, the platform tables.

Each service owns its own database (``<SERVICE>_DATABASE_URL``); PostgreSQL in production and
in the tests that prove locking, SQLite files for a zero-setup run. The platform tables
(outbox, processed events, idempotency records, outgoing mail) are added to each service's
own metadata, so a state change and its event or mail commit in one transaction.
"""
from __future__ import annotations

import contextlib
import logging
import os
import select
import sqlite3
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event as sa_event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from services.shared.platform import config

_log = logging.getLogger(__name__)

# Constraint names every service's metadata uses, so migrations name them the same way.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s", "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return str(uuid.uuid4())


class UtcDateTime(TypeDecorator):
    """Aware datetimes stored as UTC; SQLite gives naive values back, so re-attach UTC."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("naive datetime given to a UtcDateTime column")
            value = value.astimezone(UTC)
            if dialect.name == "sqlite":
                value = value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


def is_postgres(engine_or_url) -> bool:
    url = engine_or_url.url if isinstance(engine_or_url, Engine) else sa.engine.make_url(
        engine_or_url)
    return url.get_backend_name() == "postgresql"


def normalise_url(url: str) -> sa.engine.URL:
    """SQLAlchemy 2.1 maps ``postgresql://`` to psycopg 3; we use psycopg2, which psycogreen
    makes cooperate with eventlet."""
    parsed = sa.engine.make_url(url)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg2")
    return parsed


def _private_sqlite_file(path: str | None) -> None:
    """A SQLite database holds personal data: its file is created 0600 in a 0700 directory
    before SQLite opens it (SQLite gives its -wal and -shm files the database file's mode)."""
    if not path or path == ":memory:" or path.startswith("file:"):
        return
    database = Path(path)
    if not database.parent.exists():
        database.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.close(os.open(database, os.O_CREAT | os.O_WRONLY, 0o600))
    if database.stat().st_mode & 0o077:
        database.chmod(0o600)  # made before this rule: world-readable no longer


def create_engine(url: str, pool_size: int | None = None) -> Engine:
    """An engine for ``url``. A service's workers get the pool of the settings
    (``config.database_pool``: a connection for every worker, a wait for one shorter than the
    gateway's deadline); a tool (relay, migrations, start-up) names its own small pool."""
    url = normalise_url(url)
    if url.get_backend_name() == "sqlite":
        _private_sqlite_file(url.database)
        engine = sa.create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @sa_event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        # pysqlite's own transaction handling defers BEGIN; take the write lock at BEGIN so
        # that read-then-write transactions serialize instead of failing with "locked".
        @sa_event.listens_for(engine, "connect")
        def _no_pysqlite_begin(dbapi_connection, _record):
            dbapi_connection.isolation_level = None

        @sa_event.listens_for(engine, "begin")
        def _begin_immediate(conn):
            options = conn.get_execution_options()
            if options.get("sqlite_read_only"):
                # Only reads: in WAL mode it needs no lock and must not queue behind writers.
                conn.exec_driver_sql("BEGIN")
            elif options.get("sqlite_poll_lock"):
                _begin_polling(conn.connection.dbapi_connection)
            else:
                conn.exec_driver_sql("BEGIN IMMEDIATE")

        # SQLite waits for its write lock inside C, which blocks the whole eventlet hub: if
        # the greenthread holding the lock yields (e.g. to hash a password in the thread
        # pool), the waiter never lets it finish. One transaction at a time per process,
        # queued on a (green) lock, keeps the waiting cooperative.
        engine.sqlite_transaction_lock = threading.RLock()
        return engine
    if pool_size is not None:
        return sa.create_engine(url, pool_size=pool_size, max_overflow=pool_size,
                                pool_pre_ping=True, pool_recycle=1800)
    pool = config.database_pool()
    # A service's connections start with the longest statement time any caller allows (the
    # gateway's deadline): the rpc wrapper then sets a shorter one only when a call has less
    # left, instead of a round trip on every call (services/shared/platform/rpc.py).
    timeout_ms = int(config.gateway_deadline_seconds() * 1000)
    engine = sa.create_engine(url, pool_size=pool.size, max_overflow=pool.max_overflow,
                              pool_timeout=pool.timeout_seconds, pool_use_lifo=True,
                              pool_recycle=1800,
                              connect_args={"options": f"-c statement_timeout={timeout_ms}"})
    _optimistic_disconnects(engine)
    return engine


# -- a connection the server closed (a restart, a failover, an idle cut) -------------------
#
# A service's pool does not ping every connection it hands out (``pool_pre_ping``: one round
# trip more on every call of the hot path). Instead:
# - a connection that sat unused in the pool for PING_AFTER_IDLE_SECONDS or longer is pinged
#   when taken, as pre-ping would (a dead one is replaced, and every connection older than
#   it with it); the pool hands out the most recently used connection first (LIFO), so
#   under load the ping is rare and the idle ones are those the server may have cut;
# - a connection in steady use that the server closed meanwhile fails at its first
#   statement. SQLAlchemy then drops it and every pooled connection older than it, and the
#   error is marked ``STALE_CONNECTION``: nothing of that transaction reached the database,
#   so the caller may run the transaction once more on a new connection
#   (``once_more_on_stale_connection``; the rpc wrapper and the health check do). A failure
#   after the first statement (the commit among them) is never retried: its outcome may be
#   unknown.
PING_AFTER_IDLE_SECONDS = 2.0
STALE_CONNECTION = "bps_stale_connection"
_IDLE_SINCE, _UNUSED = "bps_idle_since", "bps_unused"


def _optimistic_disconnects(engine: Engine) -> None:
    dialect = engine.dialect

    @sa_event.listens_for(engine, "checkin")
    def _idle_from_now(dbapi_connection, record):
        if dbapi_connection is not None:
            record.info[_IDLE_SINCE] = time.monotonic()

    @sa_event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_connection, record, proxy):
        record.info[_UNUSED] = True
        idle_since = record.info.get(_IDLE_SINCE)
        if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_SECONDS:
            return
        try:
            alive = dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:
            if not dialect.is_disconnect(error, dbapi_connection, None):
                raise
            alive = False
        if not alive:
            # The pool replaces it (and every connection made before it) and hands out a
            # new one.
            raise sa.exc.InvalidatePoolError("an idle pooled connection was closed")

    @sa_event.listens_for(engine, "after_cursor_execute")
    def _used(conn, cursor, statement, parameters, context, executemany):
        conn.info.pop(_UNUSED, None)

    @sa_event.listens_for(engine, "handle_error")
    def _mark_stale(context):
        connection = context.connection
        if (context.is_disconnect and connection is not None
                and context.sqlalchemy_exception is not None
                and connection.info.get(_UNUSED)):
            setattr(context.sqlalchemy_exception, STALE_CONNECTION, True)


def once_more_on_stale_connection(run):
    """``run()`` (one whole transaction), and once more if it failed because its connection
    had been closed by the server before its first statement (see above)."""
    try:
        return run()
    except sa.exc.DBAPIError as error:
        if not getattr(error, STALE_CONNECTION, False):
            raise
        _log.warning("a pooled database connection was closed by the server; the "
                     "transaction runs again on a new connection")
    return run()


def _begin_polling(dbapi_connection, timeout: float = 30.0) -> None:
    """BEGIN IMMEDIATE, asking for the lock every fraction of a millisecond. SQLite's own
    busy handler sleeps up to 100 ms between tries, and a service's back-to-back transactions
    leave gaps far shorter than that: a second process (the relay) waiting that way starved
    for seconds under load. Only for plain threads (the relay), never under eventlet."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout = 0")
    give_up = time.monotonic() + timeout
    try:
        while True:
            try:
                cursor.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() > give_up:
                    raise
                time.sleep(0.0002)
    finally:
        cursor.execute("PRAGMA busy_timeout = 30000")
        cursor.close()


def polling_sqlite_lock(engine: Engine) -> Engine:
    """The engine for a plain-threaded process that writes beside a busy service (the
    relay): on SQLite its transactions take the write lock by polling (``_begin_polling``)."""
    if engine.url.get_backend_name() != "sqlite":
        return engine
    polling = engine.execution_options(sqlite_poll_lock=True)
    polling.sqlite_transaction_lock = engine.sqlite_transaction_lock
    return polling


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextlib.contextmanager
def unit_of_work(factory: sessionmaker[Session]):
    """One transaction: commit on success, roll back on any exception."""
    lock = getattr(factory.kw.get("bind"), "sqlite_transaction_lock", None)
    with lock if lock is not None else contextlib.nullcontext():
        session = factory()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()


@dataclass(frozen=True)
class PlatformTables:
    outbox: sa.Table
    processed_events: sa.Table
    idempotency_records: sa.Table
    outgoing_mail: sa.Table


def add_platform_tables(metadata: sa.MetaData) -> PlatformTables:
    outbox = sa.Table(
        "outbox", metadata,
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"),
                  primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(36), nullable=False, unique=True),
        sa.Column("event_type", sa.String(100), nullable=False),
        sa.Column("envelope", sa.JSON, nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("published_at", UtcDateTime, nullable=True),
        sa.Column("attempts", sa.Integer, nullable=False, default=0),
        # A relay took the row and publishes it outside its transaction: no other relay takes
        # it before this (its lease; after a return, the retry time). services/shared/ops/
        # relay_events.py
        sa.Column("claimed_until", UtcDateTime, nullable=True),
        # Why the last publish failed ("unroutable", an exception's name), never the payload.
        sa.Column("last_error", sa.String(300), nullable=True),
        sa.Index("ix_outbox_unpublished", "id", postgresql_where=sa.text("published_at IS NULL"),
                 sqlite_where=sa.text("published_at IS NULL")),
        # Retention finds old rows by these times (services/shared/ops/retention.py).
        sa.Index("ix_outbox_published_at", "published_at"),
    )
    processed_events = sa.Table(
        "processed_events", metadata,
        sa.Column("event_id", sa.String(36), primary_key=True),
        sa.Column("event_type", sa.String(100), nullable=False),
        sa.Column("handler", sa.String(200), primary_key=True),
        sa.Column("processed_at", UtcDateTime, nullable=False),
        sa.Index("ix_processed_events_processed_at", "processed_at"),
    )
    idempotency_records = sa.Table(
        "idempotency_records", metadata,
        sa.Column("caller", sa.String(64), primary_key=True),
        sa.Column("method", sa.String(100), primary_key=True),
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("response", sa.LargeBinary, nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Index("ix_idempotency_records_created_at", "created_at"),
    )
    outgoing_mail = sa.Table(
        "outgoing_mail", metadata,
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"),
                  primary_key=True, autoincrement=True),
        sa.Column("recipient", sa.String(320), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        # Emptied once sent: a body may hold a one-time token.
        sa.Column("body", sa.Text, nullable=True),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("sent_at", UtcDateTime, nullable=True),
        sa.Column("attempts", sa.Integer, nullable=False, default=0),
        # Why the last try failed: an SMTP code or an exception name, never the server's text.
        sa.Column("last_error", sa.String(300), nullable=True),
        # The earliest time a relay takes the row: now for new mail, ahead by the back-off
        # after a 4xx, ahead by the claim while a relay sends it (services/shared/ops/
        # relay_mail.py), so a waiting row never blocks the others.
        sa.Column("next_attempt_at", UtcDateTime, nullable=False, default=utcnow),
        # Parked for good: a 5xx answer, or the last of its attempts.
        sa.Column("failed_at", UtcDateTime, nullable=True),
        sa.Index("ix_outgoing_mail_due", "next_attempt_at", "id",
                 postgresql_where=sa.text("sent_at IS NULL AND failed_at IS NULL"),
                 sqlite_where=sa.text("sent_at IS NULL AND failed_at IS NULL")),
        sa.Index("ix_outgoing_mail_sent_at", "sent_at"),
        sa.Index("ix_outgoing_mail_failed_at", "failed_at"),
    )
    return PlatformTables(outbox, processed_events, idempotency_records, outgoing_mail)


def take_turn(session: Session, key: int) -> bool:
    """Whether this transaction may do a job that one replica at a time does (a timer's run):
    on PostgreSQL a transaction-scoped advisory lock, ``key`` being any number no other job
    locks on; a replica that does not get it skips its turn. SQLite's engine took the
    database's write lock at BEGIN already, so turns queue behind one another there."""
    if not is_postgres(session.get_bind()):
        return True
    return bool(session.execute(sa.select(sa.func.pg_try_advisory_xact_lock(key))).scalar())


# -- waking the relay (PostgreSQL) ---------------------------------------------------------

RELAY_CHANNEL = "bps_relay"  # platform_0005: NOTIFY bps_relay, '<table>' on each insert


class RelayWakeup:
    """Waits until a row is added to ``table`` (the outbox, or the outgoing mail) or the idle
    time is over, whichever comes first: PostgreSQL notifies at commit (platform_0005), on a
    connection of this waiter's own that LISTENs. A notification for the other table is
    skipped. When that connection breaks, the wait is a plain sleep of ``fallback`` and the
    next wait connects again; SQLite has no notifications, so the wait is always that sleep.
    A lost notification costs at most one idle time: the relay looks anyway then."""

    def __init__(self, engine: Engine, table: str, stopping: threading.Event):
        self.engine, self.table, self.stopping = engine, table, stopping
        self.listening = is_postgres(engine)
        self.connection = None

    def wait(self, idle: float, fallback: float) -> None:
        if not self.listening:
            self.stopping.wait(fallback)
            return
        try:
            connection = self._connected()
            deadline = time.monotonic() + idle
            while not self._woken(connection):
                left = deadline - time.monotonic()
                if left <= 0 or self.stopping.is_set():
                    return
                select.select([connection], [], [], min(left, 0.5))  # 0.5: see a stop soon
                connection.poll()
        except Exception as error:  # noqa: BLE001 - any failure: sleep, then connect again
            _log.warning("relay wake-up: listening failed (%s); polling meanwhile",
                         type(error).__name__)
            self.close()
            self.stopping.wait(fallback)

    def _woken(self, connection) -> bool:
        woken = any(notice.payload == self.table for notice in connection.notifies)
        connection.notifies.clear()
        return woken

    def _connected(self):
        if self.connection is None:
            import psycopg2
            cargs, cparams = self.engine.dialect.create_connect_args(self.engine.url)
            connection = psycopg2.connect(*cargs, **cparams)
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute(f"LISTEN {RELAY_CHANNEL}")
            self.connection = connection
        return self.connection

    def close(self) -> None:
        connection, self.connection = self.connection, None
        if connection is not None:
            with contextlib.suppress(Exception):
                connection.close()
