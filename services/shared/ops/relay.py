"""The outbox relay of one service: publishes its outbox events and delivers its queued mail.

Run as its own process (``python -m services.shared.ops.relay registration``) beside the
service: it can be stopped and started without touching the service, and rows written
meanwhile wait in the outbox. Events (``relay_events``) and mail (``relay_mail``) are relayed
independently: a broker outage does not hold mail back, an SMTP outage does not hold events
back; each backs off on its own failure. The same loop runs the retention job (``retention``)
every RETENTION_INTERVAL_SECONDS.

An idle relay waits for PostgreSQL to notify it of a new outbox or mail row (platform_0005,
``RelayWakeup``), looking anyway every RELAY_IDLE_SECONDS; on SQLite it polls every
OUTBOX_POLL_SECONDS (events) and MAIL_POLL_SECONDS (mail).

Each round binds a correlation id of its own for its log lines (an event keeps the id of the
request that caused it, in its envelope and message header).

Counters (mail sent / deferred / failed, rows removed by retention, events published, the
outbox backlog and its age, DLQ depths: relay_events.py) are served for Prometheus
on RELAY_METRICS_PORT + the service's place in SERVICES when RELAY_METRICS_PORT is set: the
relay is a plain process with no HTTP server of its own, and the gateway's /metrics lives in
another process.
"""
from __future__ import annotations

import argparse
import logging
import signal
import threading
import time

import sqlalchemy as sa
from prometheus_client import start_http_server

from services.shared.ops.relay_events import EventRelay
from services.shared.ops.relay_mail import MailRelay
from services.shared.ops.retention import Retention
from services.shared.platform import config, correlation
from services.shared.platform.database import (
    RelayWakeup,
    add_platform_tables,
    create_engine,
    polling_sqlite_lock,
    session_factory,
)
from services.shared.platform.logs import configure_logging

log = logging.getLogger("relay")


class OutboxRelay:
    def __init__(self, service: str, database_url: str | None = None,
                 amqp_uri: str | None = None):
        self.service = service
        self.engine = create_engine(database_url or config.database_url(service), pool_size=2)
        self.sessions = session_factory(polling_sqlite_lock(self.engine))
        self.tables = add_platform_tables(sa.MetaData())
        self.events = EventRelay(service, self.sessions, self.tables,
                                 amqp_uri or config.amqp_uri())
        self.mail = MailRelay(service, self.sessions, self.tables, config.mail_settings(),
                              config.mail_delivery_settings())
        self.retention = Retention(service, self.sessions, self.tables,
                                   config.retention_settings())
        self.stopping = threading.Event()

    def run(self) -> None:
        """Events in a thread of their own, mail and retention in this one: connecting to a
        broker that is down blocks for its connect timeout, and must not hold mail back."""
        events = threading.Thread(
            target=self._loop, args=(self.events.step, config.outbox_poll_seconds(),
                                     RelayWakeup(self.engine, "outbox", self.stopping)),
            name=f"relay-{self.service}-events", daemon=True)
        events.start()
        try:
            self._loop(lambda now: self.mail.step(now) + self.retention.step(now),
                       config.mail_poll_seconds(),
                       RelayWakeup(self.engine, "outgoing_mail", self.stopping))
        finally:
            self.stopping.set()
            events.join()
            self.events.close()

    def _loop(self, step, poll: float, wakeup: RelayWakeup) -> None:
        idle = config.relay_idle_seconds()
        try:
            while not self.stopping.is_set():
                with correlation.bound():
                    done = step(time.monotonic())
                if not done:
                    wakeup.wait(idle, poll)
        finally:
            wakeup.close()


def start_metrics_server(service: str) -> None:
    port = config.relay_metrics_port(service)
    if not port:
        return
    try:
        start_http_server(port, addr=config.grpc_bind_host())
    except OSError as error:
        # Delivering mail and events matters more than counting them: run on, say so.
        log.error("relay for %s serves no metrics: port %d unavailable (%s)", service, port,
                  error)
        return
    log.info("relay for %s serves metrics on port %d", service, port)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("service", choices=config.SERVICES)
    args = parser.parse_args(argv)
    configure_logging()
    start_metrics_server(args.service)
    relay = OutboxRelay(args.service)
    signal.signal(signal.SIGTERM, lambda *_: relay.stopping.set())
    signal.signal(signal.SIGINT, lambda *_: relay.stopping.set())
    relay.run()


if __name__ == "__main__":
    main()
