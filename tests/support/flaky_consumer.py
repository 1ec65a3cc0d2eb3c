"""A consumer whose handler fails the first time it sees each event, and always on a poison
event: started as its own process by the reliability tests to show that the shared
``reliable_event_handler`` retries with back-off and parks what keeps failing.

python -m tests.support.flaky_consumer   (AMQP_URI and FLAKY_DATABASE_URL from the env)
"""
from __future__ import annotations

import eventlet

eventlet.monkey_patch()

import collections  # noqa: E402

import marshmallow as ma  # noqa: E402
import sqlalchemy as sa  # noqa: E402
from nameko import config as nameko_config  # noqa: E402

from services.shared.contracts import events as contracts  # noqa: E402
from services.shared.ops.runner import run  # noqa: E402
from services.shared.platform import config  # noqa: E402
from services.shared.platform.database import add_platform_tables  # noqa: E402
from services.shared.platform.inbox import handle_once  # noqa: E402
from services.shared.platform.logs import configure_logging  # noqa: E402
from services.shared.platform.messaging import reliable_event_handler  # noqa: E402
from services.shared.platform.rpc import Database  # noqa: E402
from services.shared.platform.unit_of_work import SqlUnitOfWork  # noqa: E402

SUBSCRIPTION = contracts.Subscription("registration", contracts.APPLICATION_SUBMITTED,
                                      "flaky", "on_event")
contracts.SUBSCRIPTIONS = contracts.SUBSCRIPTIONS + (SUBSCRIPTION,)

metadata = sa.MetaData()
tables = add_platform_tables(metadata)
received = sa.Table("received", metadata,
                    sa.Column("event_id", sa.String(36), primary_key=True),
                    sa.Column("attempt", sa.Integer, nullable=False))


class FlakyUnitOfWork(SqlUnitOfWork):
    producer = "flaky"
    tables = tables


class AnyPayload(ma.Schema):
    class Meta:
        unknown = ma.INCLUDE


class FlakyService:
    name = "flaky"
    db = Database("flaky")
    attempts: collections.Counter = collections.Counter()

    @reliable_event_handler("registration", contracts.APPLICATION_SUBMITTED)
    def on_event(self, body):
        event_id = body["event_id"]
        FlakyService.attempts[event_id] += 1
        attempt = FlakyService.attempts[event_id]
        if attempt == 1 or body["payload"].get("poison"):
            raise RuntimeError("this handler fails the first time")
        handle_once(self.db.sessions, FlakyUnitOfWork, "flaky.on_event", body, AnyPayload(),
                    lambda uow, payload: uow.session.execute(
                        sa.insert(received).values(event_id=event_id, attempt=attempt)))


def main() -> None:
    configure_logging()
    engine = sa.create_engine(config.database_url("flaky"))
    metadata.create_all(engine)
    engine.dispose()
    nameko_config.setup({"AMQP_URI": config.amqp_uri()})
    run(FlakyService)


if __name__ == "__main__":
    main()
