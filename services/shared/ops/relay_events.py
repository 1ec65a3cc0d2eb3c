"""The event side of a relay: publishes a service's outbox rows to its topic exchange.

A round takes a batch of rows in a short transaction (it claims them: ``claimed_until``, a
lease), publishes them with no transaction open, then marks them in a second one. So a broker
that blocks or stops answering never holds a database lock (on SQLite that would freeze the
service's writes). A row is marked published only after the broker confirmed it *and* routed
it (``mandatory``: an event no queue is bound to comes back, and is tried again after
OUTBOX_UNROUTABLE_RETRY_SECONDS); a crash between publishing and marking publishes it again
once the lease ran out, which the idempotent consumers absorb.

The connection has heartbeats (AMQP_HEARTBEAT_SECONDS), serviced at every round, and no wait on
the broker lasts longer than AMQP_CONFIRM_TIMEOUT_SECONDS; while the broker says the connection
is blocked (a resource alarm) the relay publishes nothing.
"""
from __future__ import annotations

import logging
from datetime import timedelta

import sqlalchemy as sa

from services.shared.contracts.events import subscriptions_of_producer
from services.shared.platform import config
from services.shared.platform.database import PlatformTables, is_postgres, unit_of_work, utcnow
from services.shared.platform.messaging import connect, declare_topology, event_exchange

log = logging.getLogger("relay.events")

BATCH = 200
RETRY_SECONDS = 1.0
FRAMES_PER_ROUND = 100  # at most this many waiting frames (heartbeats, notices) read per round


class EventRelay:
    def __init__(self, service: str, sessions, tables: PlatformTables, amqp_uri: str):
        self.service, self.sessions, self.tables = service, sessions, tables
        self.amqp_uri = amqp_uri
        self.exchange = event_exchange(service)
        self.connection = self.producer = None
        self.retry_at = 0.0
        self.blocked: str | None = None  # the broker's reason while it blocks this connection
        self.returned: set[str] = set()  # event ids the broker returned as unroutable

    # The broker's side ----------------------------------------------------------------------

    def connect(self) -> None:
        self.blocked = None
        self.returned.clear()
        self.connection = connect(self.amqp_uri, heartbeat=config.amqp_heartbeat_seconds(),
                                  on_blocked=self._on_blocked, on_unblocked=self._on_unblocked)
        # Its own exchange, even while no one subscribes yet.
        self.exchange(self.connection.default_channel).declare()
        # Every subscriber's queue, so that an event of a known subscription is never
        # unroutable, even before the subscriber ever started.
        declare_topology(self.connection, subscriptions_of_producer(self.service))
        self.producer = self.connection.Producer(on_return=self._on_return)
        log.info("relay for %s connected to the broker", self.service)

    def _on_blocked(self, reason: str) -> None:
        self.blocked = reason or "blocked"
        log.warning("the broker blocked the relay for %s (%s): publishing stops until it is "
                    "unblocked", self.service, self.blocked)

    def _on_unblocked(self) -> None:
        self.blocked = None
        log.info("the broker unblocked the relay for %s", self.service)

    def _on_return(self, error, exchange, routing_key, message) -> None:
        # Arrives before the publish's confirm, while the publish waits for it.
        self.returned.add(message.properties.get("message_id"))

    def _service_connection(self) -> None:
        """Read what the broker sent meanwhile (heartbeats, blocked/unblocked notices) and send
        a heartbeat if one is due; raises if the broker has gone silent."""
        amqp_connection = self.connection.connection
        for _ in range(FRAMES_PER_ROUND):
            try:
                amqp_connection.drain_events(timeout=0)
            except TimeoutError:  # socket.timeout: nothing more waiting
                break
        self.connection.heartbeat_check()

    # The database's side --------------------------------------------------------------------

    def _claim(self) -> list:
        table = self.tables.outbox
        now = utcnow()
        query = sa.select(table.c.id, table.c.event_id, table.c.event_type,
                          table.c.envelope).where(
            table.c.published_at.is_(None),
            sa.or_(table.c.claimed_until.is_(None), table.c.claimed_until <= now),
        ).order_by(table.c.id).limit(BATCH)
        engine = self.sessions.kw["bind"]
        if not is_postgres(engine):
            # SQLite is the one-machine set-up, one relay per database: nothing to claim
            # against, and a read in WAL mode takes no lock, so the relay does not queue for
            # the write lock behind the service's stream of transactions (under load that
            # queue was most of an event's trip: bench/README.md).
            with engine.connect().execution_options(sqlite_read_only=True) as connection:
                return connection.execute(query).all()
        # Several relays may run: each takes rows no other one holds.
        query = query.with_for_update(skip_locked=True)
        with unit_of_work(self.sessions) as session:
            rows = session.execute(query).all()
            if rows:
                session.execute(sa.update(table).where(table.c.id.in_([r.id for r in rows]))
                                .values(claimed_until=now + timedelta(
                                    seconds=config.outbox_claim_seconds()),
                                        attempts=table.c.attempts + 1))
        return rows

    def _settle(self, published: list, unroutable: list, untried: list) -> None:
        table = self.tables.outbox
        now = utcnow()
        # A claim counts the attempt; unclaimed rows (SQLite) count it here.
        tried = {} if is_postgres(self.sessions.kw["bind"]) else {
            "attempts": table.c.attempts + 1}
        with unit_of_work(self.sessions) as session:
            if published:
                session.execute(sa.update(table).where(table.c.id.in_(published)).values(
                    published_at=now, claimed_until=None, last_error=None, **tried))
            if unroutable:
                session.execute(sa.update(table).where(table.c.id.in_(unroutable)).values(
                    claimed_until=now + timedelta(
                        seconds=config.outbox_unroutable_retry_seconds()),
                    last_error="unroutable: no queue is bound to its routing key", **tried))
            if untried:  # free for the next round (or another relay) at once
                session.execute(sa.update(table).where(table.c.id.in_(untried)).values(
                    claimed_until=None))

    # A round ---------------------------------------------------------------------------------

    def publish_batch(self) -> int:
        rows = self._claim()
        if not rows:
            return 0
        published, unroutable = [], []
        confirm_timeout = config.amqp_confirm_timeout_seconds()
        try:
            for row in rows:
                if self.blocked:
                    break
                self.returned.discard(row.event_id)
                self.producer.publish(row.envelope, exchange=self.exchange,
                                      routing_key=row.event_type, serializer="json",
                                      delivery_mode=2, message_id=row.event_id,
                                      mandatory=True, confirm_timeout=confirm_timeout)
                if row.event_id in self.returned:
                    self.returned.discard(row.event_id)
                    unroutable.append(row)
                    # An alert for the operator: the contracts name no subscriber of it, or
                    # its queue was deleted.
                    log.error("relay for %s: no queue is bound to %s events; event %s is kept "
                              "and published again in %.0f s", self.service, row.event_type,
                              row.event_id, config.outbox_unroutable_retry_seconds())
                else:
                    published.append(row)
        finally:
            done = {r.id for r in published} | {r.id for r in unroutable}
            self._settle([r.id for r in published], [r.id for r in unroutable],
                         [r.id for r in rows if r.id not in done])
        return len(published)

    def step(self, now: float) -> int:
        """One round: how many events went out (0 while backing off after a failure, or while
        the broker blocks the connection)."""
        if now < self.retry_at:
            return 0
        try:
            if self.connection is None:
                self.connect()
            self._service_connection()
            if self.blocked:
                return 0
            return self.publish_batch()
        except Exception as error:
            log.warning("relay for %s could not publish (%s: %s); retrying in %.0f s",
                        self.service, type(error).__name__, error, RETRY_SECONDS,
                        exc_info=log.isEnabledFor(logging.DEBUG))
            self.close(broken=True)
            self.retry_at = now + RETRY_SECONDS
            return 0

    def close(self, broken: bool = False) -> None:
        if self.connection is not None:
            try:
                if broken:
                    # No closing handshake: a broker that stopped answering would never reply.
                    self.connection.collect()
                else:
                    self.connection.release()
            except Exception:  # already broken: nothing to release
                pass
        self.connection = self.producer = None
