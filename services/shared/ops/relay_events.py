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

Each message carries its envelope's correlation id as the header ``x-correlation-id``; the
relay's own log lines carry an id of its own per round. For Prometheus, by service:
``relay_events_published_total`` (by event type), ``relay_outbox_backlog`` (rows not yet
published) and ``relay_outbox_oldest_age_seconds`` (the oldest of them), refreshed every
METRICS_REFRESH_SECONDS whatever the broker does, and ``relay_dlq_depth`` (by queue: the DLQs of
this service's events' subscribers, a passive declare every DLQ_REFRESH_SECONDS while
connected).
"""
from __future__ import annotations

import logging
from datetime import timedelta

import sqlalchemy as sa
from prometheus_client import Counter, Gauge

from services.shared.contracts.events import subscriptions_of_producer
from services.shared.platform import config, correlation
from services.shared.platform.database import PlatformTables, is_postgres, unit_of_work, utcnow
from services.shared.platform.messaging import (
    connect,
    dead_letter_queue_name,
    declare_topology,
    event_exchange,
)

log = logging.getLogger("relay.events")

BATCH = 200
RETRY_SECONDS = 1.0
FRAMES_PER_ROUND = 100  # at most this many waiting frames (heartbeats, notices) read per round
METRICS_REFRESH_SECONDS = 5.0
DLQ_REFRESH_SECONDS = 15.0

PUBLISHED = Counter("relay_events_published_total", "Outbox events the broker confirmed, by "
                    "service and event type", ["service", "event_type"])
BACKLOG = Gauge("relay_outbox_backlog", "Outbox rows not yet published", ["service"])
OLDEST_AGE = Gauge("relay_outbox_oldest_age_seconds", "Age of the oldest outbox row not yet "
                   "published (0: none waiting)", ["service"])
DLQ_DEPTH = Gauge("relay_dlq_depth", "Messages parked in a DLQ of this service's events' "
                  "subscribers", ["service", "queue"])


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
                headers = {}
                if correlation.valid((row.envelope or {}).get("correlation_id")):
                    headers[correlation.MESSAGE_HEADER] = row.envelope["correlation_id"]
                self.producer.publish(row.envelope, exchange=self.exchange,
                                      routing_key=row.event_type, serializer="json",
                                      delivery_mode=2, message_id=row.event_id,
                                      mandatory=True, confirm_timeout=confirm_timeout,
                                      headers=headers)
                if row.event_id in self.returned:
                    self.returned.discard(row.event_id)
                    unroutable.append(row)
                    # An alert for the operator: the contracts name no subscriber of it, or
                    # its queue was deleted. Under the id of the request that caused it.
                    with correlation.bound(headers.get(correlation.MESSAGE_HEADER)):
                        log.error("relay for %s: no queue is bound to %s events; event %s is "
                                  "kept and published again in %.0f s", self.service,
                                  row.event_type, row.event_id,
                                  config.outbox_unroutable_retry_seconds())
                else:
                    published.append(row)
                    PUBLISHED.labels(self.service, row.event_type).inc()
        finally:
            done = {r.id for r in published} | {r.id for r in unroutable}
            self._settle([r.id for r in published], [r.id for r in unroutable],
                         [r.id for r in rows if r.id not in done])
        return len(published)

    # Metrics ---------------------------------------------------------------------------------

    def refresh_backlog(self, now: float) -> None:
        if now < getattr(self, "backlog_at", 0.0):
            return
        self.backlog_at = now + METRICS_REFRESH_SECONDS
        table = self.tables.outbox
        try:
            with self.sessions.kw["bind"].connect() as connection:
                count, oldest = connection.execute(sa.select(
                    sa.func.count(), sa.func.min(table.c.created_at)).where(
                    table.c.published_at.is_(None))).one()
        except Exception as error:  # the database is down: the round itself says so
            log.debug("relay for %s: backlog not measured (%s)", self.service, error)
            return
        BACKLOG.labels(self.service).set(count)
        if oldest is not None and oldest.tzinfo is None:
            oldest = oldest.replace(tzinfo=utcnow().tzinfo)
        OLDEST_AGE.labels(self.service).set(
            0 if oldest is None else max(0.0, (utcnow() - oldest).total_seconds()))

    def refresh_dead_letters(self, now: float) -> None:
        if self.connection is None or now < getattr(self, "dlq_at", 0.0):
            return
        self.dlq_at = now + DLQ_REFRESH_SECONDS
        for subscription in subscriptions_of_producer(self.service):
            queue = dead_letter_queue_name(subscription)
            channel = self.connection.channel()
            try:
                _, depth, _ = channel.queue_declare(queue=queue, passive=True)
                DLQ_DEPTH.labels(self.service, queue).set(depth)
            except Exception as error:  # not there (yet): it is declared at connect
                log.debug("relay for %s: depth of %s not read (%s)", self.service, queue, error)
            finally:
                try:
                    channel.close()
                except Exception:
                    pass

    def step(self, now: float) -> int:
        """One round: how many events went out (0 while backing off after a failure, or while
        the broker blocks the connection)."""
        with correlation.bound():
            self.refresh_backlog(now)
            return self._step(now)

    def _step(self, now: float) -> int:
        if now < self.retry_at:
            return 0
        try:
            if self.connection is None:
                self.connect()
            self._service_connection()
            if self.blocked:
                return 0
            self.refresh_dead_letters(now)
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
