"""A consumer that applies each event once and fails on nothing of its own: started as its own
process by the fault tests of the shared ``reliable_event_handler`` (a message it cannot
decode, a database it cannot reach), which then look at its ``received`` table and its queues.

python -m tests.support.steady_consumer   (AMQP_URI and STEADY_DATABASE_URL from the env)
"""
from __future__ import annotations

import eventlet

eventlet.monkey_patch()

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

SUBSCRIPTION = contracts.Subscription("registration", contracts.APPLICATION_SUBMITTED,
                                      "steady", "on_event")
QUEUE = SUBSCRIPTION.queue
contracts.SUBSCRIPTIONS = contracts.SUBSCRIPTIONS + (SUBSCRIPTION,)

metadata = sa.MetaData()
tables = add_platform_tables(metadata)
received = sa.Table("received", metadata,
                    sa.Column("event_id", sa.String(36), primary_key=True))


class SteadyUnitOfWork(SqlUnitOfWork):
    producer = "steady"
    tables = tables


class AnyPayload(ma.Schema):
    class Meta:
        unknown = ma.INCLUDE


class SteadyService:
    name = "steady"
    db = Database("steady")

    @reliable_event_handler("registration", contracts.APPLICATION_SUBMITTED)
    def on_event(self, body):
        handle_once(self.db.sessions, SteadyUnitOfWork, "steady.on_event", body, AnyPayload(),
                    lambda uow, payload: uow.session.execute(
                        sa.insert(received).values(event_id=body["event_id"])))


def main() -> None:
    configure_logging()
    engine = create_engine(config.database_url("steady"))
    metadata.create_all(engine)
    engine.dispose()
    nameko_config.setup({"AMQP_URI": config.amqp_uri()})
    run(SteadyService)


if __name__ == "__main__":
    main()
