"""The outbox relay of one service: publishes its outbox events and delivers its queued mail.

Run as its own process (``python -m services.shared.ops.relay registration``) beside the service:
it can be stopped and started without touching the service, and rows written meanwhile wait
in the outbox. A row is marked published only after the broker confirmed it; a crash between
the two publishes it again, which the idempotent consumers absorb.
"""
from __future__ import annotations

import argparse
import logging
import signal
import threading
import time

import sqlalchemy as sa

from services.shared.contracts.events import subscriptions_of_producer
from services.shared.platform import config
from services.shared.platform.database import (
    add_platform_tables,
    create_engine,
    is_postgres,
    session_factory,
    unit_of_work,
    utcnow,
)
from services.shared.platform.logs import configure_logging
from services.shared.platform.mail import build_message, deliver
from services.shared.platform.messaging import connect, declare_topology, event_exchange

log = logging.getLogger("relay")

BATCH = 200
MAIL_RETRY_SECONDS = 5.0


class OutboxRelay:
    def __init__(self, service: str, database_url: str | None = None,
                 amqp_uri: str | None = None):
        self.service = service
        self.engine = create_engine(database_url or config.database_url(service), pool_size=2)
        self.sessions = session_factory(self.engine)
        self.tables = add_platform_tables(sa.MetaData())
        self.amqp_uri = amqp_uri or config.amqp_uri()
        self.exchange = event_exchange(service)
        self.mail_settings = config.mail_settings()
        self.stopping = threading.Event()

    def _unsent(self, table, sent_column, extra=None):
        query = sa.select(table).where(sent_column.is_(None)).order_by(table.c.id).limit(BATCH)
        if extra is not None:
            query = query.where(extra)
        if is_postgres(self.engine):
            # Several relays may run: each takes rows no other one holds.
            query = query.with_for_update(skip_locked=True)
        return query

    def publish_batch(self, producer) -> int:
        table = self.tables.outbox
        with unit_of_work(self.sessions) as session:
            rows = session.execute(self._unsent(table, table.c.published_at)).all()
            for row in rows:
                producer.publish(row.envelope, exchange=self.exchange,
                                 routing_key=row.event_type, serializer="json",
                                 delivery_mode=2, message_id=row.event_id,
                                 retry=True, retry_policy={"max_retries": 3})
            if rows:
                session.execute(sa.update(table).where(table.c.id.in_([r.id for r in rows]))
                                .values(published_at=utcnow(), attempts=table.c.attempts + 1))
        return len(rows)

    def deliver_mail_batch(self) -> int:
        """Deliver queued mail; returns how many went out. Stops at the first failure (the
        server is likely down): that mail stays queued, what went out is marked sent, and
        MailServerUnavailable tells the loop to back off."""
        table = self.tables.outgoing_mail
        delivered, failure = 0, None
        with unit_of_work(self.sessions) as session:
            rows = session.execute(self._unsent(table, table.c.sent_at)).all()
            for row in rows:
                try:
                    deliver(self.mail_settings, build_message(
                        self.mail_settings, row.recipient, row.subject, row.body or ""))
                except Exception as error:
                    session.execute(sa.update(table).where(table.c.id == row.id).values(
                        attempts=table.c.attempts + 1, last_error=type(error).__name__))
                    failure = error
                    break
                session.execute(sa.update(table).where(table.c.id == row.id).values(
                    sent_at=utcnow(), body=None, attempts=table.c.attempts + 1))
                delivered += 1
        if failure is not None:
            log.warning("mail not delivered (%s); retrying in %.0f s",
                        type(failure).__name__, MAIL_RETRY_SECONDS)
            raise MailServerUnavailable() from failure
        return delivered

    def run(self) -> None:
        """Events and mail are relayed independently: a broker outage does not hold mail
        back, an SMTP outage does not hold events back. Each backs off on its own failure."""
        poll = config.outbox_poll_seconds()
        connection = producer = None
        events_retry_at = mail_retry_at = 0.0
        while not self.stopping.is_set():
            moved = 0
            now = time.monotonic()
            if now >= events_retry_at:
                try:
                    if connection is None:
                        connection = connect(self.amqp_uri)
                        # Its own exchange, even while no one subscribes yet.
                        self.exchange(connection.default_channel).declare()
                        declare_topology(connection, subscriptions_of_producer(self.service))
                        producer = connection.Producer()
                        log.info("relay for %s connected to the broker", self.service)
                    moved += self.publish_batch(producer)
                except Exception:
                    log.exception("relay for %s could not publish; retrying in 1 s",
                                  self.service)
                    connection = _close(connection)
                    events_retry_at = now + 1.0
            if now >= mail_retry_at:
                try:
                    moved += self.deliver_mail_batch()
                except MailServerUnavailable:
                    mail_retry_at = now + MAIL_RETRY_SECONDS
                except Exception:
                    log.exception("relay for %s could not read its mail queue", self.service)
                    mail_retry_at = now + 1.0
            if not moved:
                self.stopping.wait(poll)
        _close(connection)


class MailServerUnavailable(Exception):
    pass


def _close(connection):
    if connection is not None:
        try:
            connection.release()
        except Exception:  # already broken: nothing to release
            pass
    return None


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("service", choices=config.SERVICES)
    args = parser.parse_args(argv)
    configure_logging()
    relay = OutboxRelay(args.service)
    signal.signal(signal.SIGTERM, lambda *_: relay.stopping.set())
    signal.signal(signal.SIGINT, lambda *_: relay.stopping.set())
    relay.run()


if __name__ == "__main__":
    main()
