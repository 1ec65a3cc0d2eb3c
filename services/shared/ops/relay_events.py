"""The event side of a relay: publishes a service's outbox rows to its topic exchange.

A row is marked published only after the broker confirmed it; a crash between the two
publishes it again, which the idempotent consumers absorb.
"""
from __future__ import annotations

import logging

import sqlalchemy as sa

from services.shared.contracts.events import subscriptions_of_producer
from services.shared.platform.database import PlatformTables, is_postgres, unit_of_work, utcnow
from services.shared.platform.messaging import connect, declare_topology, event_exchange

log = logging.getLogger("relay.events")

BATCH = 200
RETRY_SECONDS = 1.0


class EventRelay:
    def __init__(self, service: str, sessions, tables: PlatformTables, amqp_uri: str):
        self.service, self.sessions, self.tables = service, sessions, tables
        self.amqp_uri = amqp_uri
        self.exchange = event_exchange(service)
        self.connection = self.producer = None
        self.retry_at = 0.0

    def _unpublished(self):
        table = self.tables.outbox
        query = sa.select(table).where(table.c.published_at.is_(None)).order_by(
            table.c.id).limit(BATCH)
        if is_postgres(self.sessions.kw["bind"]):
            # Several relays may run: each takes rows no other one holds.
            query = query.with_for_update(skip_locked=True)
        return query

    def connect(self) -> None:
        self.connection = connect(self.amqp_uri)
        # Its own exchange, even while no one subscribes yet.
        self.exchange(self.connection.default_channel).declare()
        declare_topology(self.connection, subscriptions_of_producer(self.service))
        self.producer = self.connection.Producer()
        log.info("relay for %s connected to the broker", self.service)

    def publish_batch(self) -> int:
        table = self.tables.outbox
        with unit_of_work(self.sessions) as session:
            rows = session.execute(self._unpublished()).all()
            for row in rows:
                self.producer.publish(row.envelope, exchange=self.exchange,
                                      routing_key=row.event_type, serializer="json",
                                      delivery_mode=2, message_id=row.event_id,
                                      retry=True, retry_policy={"max_retries": 3})
            if rows:
                session.execute(sa.update(table).where(table.c.id.in_([r.id for r in rows]))
                                .values(published_at=utcnow(), attempts=table.c.attempts + 1))
        return len(rows)

    def step(self, now: float) -> int:
        """One round: how many events went out (0 while backing off after a failure)."""
        if now < self.retry_at:
            return 0
        try:
            if self.connection is None:
                self.connect()
            return self.publish_batch()
        except Exception:
            log.exception("relay for %s could not publish; retrying in %.0f s", self.service,
                          RETRY_SECONDS)
            self.close()
            self.retry_at = now + RETRY_SECONDS
            return 0

    def close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.release()
            except Exception:  # already broken: nothing to release
                pass
        self.connection = self.producer = None
