"""A test consumer of ``application_submitted`` built on the shared ``reliable_event_handler``,
started as its own process by the reliability tests, which then look at its ``received``
table and its queues. ``TEST_CONSUMER`` says how it behaves:

- ``flaky``: its handler fails the first time it sees each event, and always on a poison
  event (``payload.poison``): retries with back-off, then the DLQ;
- ``steady``: it fails on nothing of its own (a message it cannot decode, a database it
  cannot reach are the faults under test).

python -m tests.support.event_consumer   (TEST_CONSUMER, AMQP_URI and <NAME>_DATABASE_URL)
"""
from __future__ import annotations

import eventlet

eventlet.monkey_patch()

import collections  # noqa: E402
import os  # noqa: E402

import marshmallow as ma  # noqa: E402
import sqlalchemy as sa  # noqa: E402
from nameko import config as nameko_config  # noqa: E402

from services.shared.contracts import events as contracts  # noqa: E402
from services.shared.ops.runner import run  # noqa: E402  (also makes psycopg2 cooperative)
from services.shared.platform import config  # noqa: E402
from services.shared.platform.database import add_platform_tables, create_engine  # noqa: E402
from services.shared.platform.inbox import handle_once  # noqa: E402
from services.shared.platform.logs import configure_logging  # noqa: E402
from services.shared.platform.messaging import reliable_event_handler  # noqa: E402
from services.shared.platform.rpc import Database  # noqa: E402
from services.shared.platform.unit_of_work import SqlUnitOfWork  # noqa: E402

NAME = os.environ.get("TEST_CONSUMER", "steady")
FLAKY = NAME == "flaky"
SUBSCRIPTION = contracts.Subscription("registration", contracts.APPLICATION_SUBMITTED, NAME,
                                      "on_event")
contracts.SUBSCRIPTIONS = contracts.SUBSCRIPTIONS + (SUBSCRIPTION,)

metadata = sa.MetaData()
tables = add_platform_tables(metadata)
received = sa.Table("received", metadata,
                    sa.Column("event_id", sa.String(36), primary_key=True),
                    sa.Column("attempt", sa.Integer, nullable=False))


class ConsumerUnitOfWork(SqlUnitOfWork):
    producer = NAME
    tables = tables


class AnyPayload(ma.Schema):
    class Meta:
        unknown = ma.INCLUDE


class TestConsumer:
    name = NAME
    db = Database(NAME)
    attempts: collections.Counter = collections.Counter()

    @reliable_event_handler("registration", contracts.APPLICATION_SUBMITTED)
    def on_event(self, body):
        event_id = body["event_id"]
        TestConsumer.attempts[event_id] += 1
        attempt = TestConsumer.attempts[event_id]
        if FLAKY and (attempt == 1 or body["payload"].get("poison")):
            raise RuntimeError("this handler fails the first time")
        handle_once(self.db.sessions, ConsumerUnitOfWork, f"{NAME}.on_event", body,
                    AnyPayload(), lambda uow, payload: uow.session.execute(
                        sa.insert(received).values(event_id=event_id, attempt=attempt)))


def main() -> None:
    configure_logging()
    engine = create_engine(config.database_url(NAME))
    metadata.create_all(engine)
    engine.dispose()
    nameko_config.setup({"AMQP_URI": config.amqp_uri()})
    run(TestConsumer)


if __name__ == "__main__":
    main()
