"""The outbox relay of one service: publishes its outbox events and delivers its queued mail.

Run as its own process (``python -m services.shared.ops.relay registration``) beside the
service: it can be stopped and started without touching the service, and rows written
meanwhile wait in the outbox. Events (``relay_events``) and mail (``relay_mail``) are relayed
independently: a broker outage does not hold mail back, an SMTP outage does not hold events
back; each backs off on its own failure.
"""
from __future__ import annotations

import argparse
import signal
import threading
import time

import sqlalchemy as sa

from services.shared.ops.relay_events import EventRelay
from services.shared.ops.relay_mail import MailRelay
from services.shared.platform import config
from services.shared.platform.database import add_platform_tables, create_engine, session_factory
from services.shared.platform.logs import configure_logging


class OutboxRelay:
    def __init__(self, service: str, database_url: str | None = None,
                 amqp_uri: str | None = None):
        self.service = service
        self.engine = create_engine(database_url or config.database_url(service), pool_size=2)
        self.sessions = session_factory(self.engine)
        self.tables = add_platform_tables(sa.MetaData())
        self.events = EventRelay(service, self.sessions, self.tables,
                                 amqp_uri or config.amqp_uri())
        self.mail = MailRelay(service, self.sessions, self.tables, config.mail_settings())
        self.stopping = threading.Event()

    def run(self) -> None:
        poll = config.outbox_poll_seconds()
        while not self.stopping.is_set():
            now = time.monotonic()
            moved = self.events.step(now) + self.mail.step(now)
            if not moved:
                self.stopping.wait(poll)
        self.events.close()


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
