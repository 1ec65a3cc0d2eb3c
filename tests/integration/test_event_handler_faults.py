"""The shared ``reliable_event_handler`` under faults, in a consumer process of its own
(tests/support/event_consumer.py, steady) on a throw-away vhost: a message it cannot decode
is parked raw in its DLQ (and the operator's tool shows it); a database outage longer than the whole
retry budget parks nothing, and the event is applied once when the database is back."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime

import kombu
import sqlalchemy as sa

from services.shared.contracts import events as contracts
from services.shared.ops import dlq
from services.shared.platform.database import normalise_url
from services.shared.platform.messaging import (
    UNDECODABLE_HEADER,
    dead_letter_queue_name,
    event_exchange,
    retry_queue_name,
)
from tests.support import infra
from tests.support.infra import wait_until

# As tests/support/event_consumer.py subscribes (that module patches eventlet on import).
SUBSCRIPTION = contracts.Subscription("registration", contracts.APPLICATION_SUBMITTED,
                                      "steady", "on_event")
QUEUE, DLQ = SUBSCRIPTION.queue, dead_letter_queue_name(SUBSCRIPTION)


def _depth(uri, queue):
    with kombu.Connection(uri) as connection:
        return connection.default_channel.queue_declare(queue, passive=True).message_count


@contextmanager
def steady_consumer(tmp_path, amqp_uri, database_url, **settings):
    env = dict(os.environ, AMQP_URI=amqp_uri, STEADY_DATABASE_URL=database_url,
               TEST_CONSUMER="steady", PYTHONWARNINGS="ignore", **settings)
    log_path = tmp_path / "steady.log"
    log = open(log_path, "wb")  # noqa: SIM115 (outlives this block: closed in finally)
    process = subprocess.Popen([sys.executable, "-m", "tests.support.event_consumer"],
                               env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        def ready():
            try:
                return _depth(amqp_uri, QUEUE) == 0
            except Exception:
                return False
        wait_until(ready, timeout=60, message="the steady consumer's queue")
        yield log_path
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def _envelope():
    return {"event_id": str(uuid.uuid4()), "type": "application_submitted",
            "occurred_at": datetime.now(UTC).isoformat(), "producer": "registration",
            "schema_version": 1, "correlation_id": None,
            "payload": {"application_id": str(uuid.uuid4())}}


def _publish_event(amqp_uri, envelope):
    with kombu.Connection(amqp_uri, transport_options={"confirm_publish": True}) as connection:
        connection.Producer().publish(envelope, exchange=event_exchange("registration"),
                                      routing_key="application_submitted", serializer="json",
                                      delivery_mode=2)


def _received(engine):
    with engine.connect() as connection:
        return [row.event_id for row in connection.execute(sa.text(
            "SELECT event_id FROM received"))]


def test_an_undecodable_message_is_parked_raw_in_the_dlq(tmp_path, own_vhost, monkeypatch,
                                                         capsys):
    url = f"sqlite:///{tmp_path / 'steady.db'}"
    garbage = [(b'{"event_id": "half a JSON', "application/json"),
               (b"\x00\x01 not ours", "application/x-unheard-of")]
    with steady_consumer(tmp_path, own_vhost, url):
        with kombu.Connection(own_vhost,
                              transport_options={"confirm_publish": True}) as connection:
            for body, content_type in garbage:
                connection.Producer().publish(body, exchange="", routing_key=QUEUE,
                                              content_type=content_type,
                                              content_encoding="binary", delivery_mode=2)
        good = _envelope()
        _publish_event(own_vhost, good)  # and the handler goes on with the next one
        engine = sa.create_engine(url)
        wait_until(lambda: _received(engine) == [good["event_id"]],
                   message="the good event after the garbage")
        engine.dispose()
        wait_until(lambda: _depth(own_vhost, DLQ) == 2, timeout=10,
                   message="both parked in the DLQ")

    with kombu.Connection(own_vhost) as connection:
        parked = list(dlq.drain(connection, DLQ))
        assert sorted((m.body, m.content_type) for m in parked) == sorted(garbage)
        assert all(UNDECODABLE_HEADER in m.headers for m in parked)
        parked[0].channel.basic_recover(requeue=True)

    # The operator's tool shows them (without their bodies) and leaves them parked.
    monkeypatch.setenv("AMQP_URI", own_vhost)
    monkeypatch.setattr(dlq, "SUBSCRIPTIONS", contracts.SUBSCRIPTIONS + (SUBSCRIPTION,))
    capsys.readouterr()
    dlq.main(["show", QUEUE])
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and all(line.startswith("undecodable") for line in lines)
    assert not any("half a JSON" in line for line in lines)
    assert _depth(own_vhost, DLQ) == 2


def test_a_database_outage_longer_than_the_retry_budget_parks_nothing(tmp_path, own_vhost):
    admin = sa.create_engine(normalise_url(infra.TEST_DATABASE_URL), isolation_level="AUTOCOMMIT")
    with infra.postgres_databases(["steady"]) as urls:
        name = sa.engine.make_url(urls["steady"]).database

        def database_reachable(reachable: bool):
            with admin.connect() as connection:
                connection.exec_driver_sql(
                    f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {str(reachable).lower()}')
                if not reachable:
                    connection.execute(sa.text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = :name AND pid <> pg_backend_pid()"), {"name": name})

        # A retry budget of 0.3 s; the outage waits are short to keep the test quick.
        with steady_consumer(tmp_path, own_vhost, urls["steady"],
                             EVENT_RETRY_DELAYS_MS="100,200", EVENT_OUTAGE_WAIT_SECONDS="0.2",
                             EVENT_OUTAGE_MAX_WAIT_SECONDS="0.5") as log_path:
            database_reachable(False)
            try:
                event = _envelope()
                _publish_event(own_vhost, event)

                def waits():
                    return log_path.read_text(errors="replace").count(
                        "could not reach a dependency")
                # Four tries during the outage take 1.3 s or more: over four times the budget.
                wait_until(lambda: waits() >= 4 or _depth(own_vhost, DLQ) > 0, timeout=30,
                           message="the handler trying during the outage")
                assert _depth(own_vhost, DLQ) == 0
                assert all(_depth(own_vhost, retry_queue_name(SUBSCRIPTION, delay)) == 0
                           for delay in (100, 200))
            finally:
                database_reachable(True)

            engine = sa.create_engine(normalise_url(urls["steady"]))
            wait_until(lambda: _received(engine) == [event["event_id"]], timeout=30,
                       message="the event applied once the database is back")
            with engine.connect() as connection:
                processed = connection.execute(sa.text(
                    "SELECT count(*) FROM processed_events")).scalar()
            engine.dispose()
            assert processed == 1
            assert _depth(own_vhost, DLQ) == 0 and _depth(own_vhost, QUEUE) == 0
    admin.dispose()


def test_show_describes_an_event_and_a_raw_message_alike():
    class Parked:
        def __init__(self, body, content_type, headers):
            self.body, self.content_type, self.headers = body, content_type, headers

    event = _envelope()
    assert dlq.describe(Parked(json.dumps(event).encode(), "application/json",
                               {"x-bps-retry": 3})) == (
        f"{event['event_id']} application_submitted {event['occurred_at']} attempts: 3")
    assert dlq.describe(Parked(b"\xff\xfe", "application/json", {})).startswith(
        "undecodable: content type 'application/json', 2 bytes")
