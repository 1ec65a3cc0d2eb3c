"""Nothing lost: events written while the outbox relay is down are published when it comes
back; duplicates the broker delivers are applied once; a failing handler is retried with
back-off, and an event that keeps failing is parked in a DLQ, not dropped."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from datetime import UTC, datetime

import kombu
import sqlalchemy as sa

from services.shared.contracts.events import Subscription
from services.shared.ops.dlq import drain, replay
from services.shared.platform.database import normalise_url
from services.shared.platform.messaging import RETRY_HEADER, dead_letter_queue_name, event_exchange
from tests.support import api
from tests.support.infra import wait_until


def _engine(url):
    return sa.create_engine(normalise_url(url))


def _selection_rows(engine, ids):
    with engine.connect() as connection:
        return connection.execute(sa.text(
            "SELECT count(*) FROM applications WHERE id IN :ids").bindparams(
            sa.bindparam("ids", expanding=True)), {"ids": list(ids)}).scalar()


def _queue_depth(amqp_uri, queue):
    with kombu.Connection(amqp_uri) as connection:
        return connection.default_channel.queue_declare(queue, passive=True).message_count


SELECTION_QUEUE = "evt-registration-application_submitted--selection.on_application_submitted"


def test_events_written_while_the_relay_is_down_all_arrive_once(
        system, base_url, mail_sink, database_urls, amqp_uri):
    admin = api.admin_of(base_url, "3528")
    activity = admin.post("/api/v1/activities", json=api.activity_body("3528")).json()
    candidates = [api.complete_candidate(base_url, mail_sink) for _ in range(6)]
    registration, selection = _engine(database_urls["registration"]), _engine(
        database_urls["selection"])

    system.stop("relay-registration")
    ids = []
    for candidate in candidates:
        response = candidate.post(f"/api/v1/activities/{activity['id']}/applications", json={})
        assert response.status_code == 201
        ids.append(response.json()["id"])
    with registration.connect() as connection:
        waiting = connection.execute(sa.text(
            "SELECT count(*) FROM outbox WHERE published_at IS NULL AND event_type = "
            "'application_submitted'")).scalar()
    assert waiting == len(ids)  # kept in the outbox, nothing published
    assert _selection_rows(selection, ids) == 0

    system.start("relay-registration")
    wait_until(lambda: _selection_rows(selection, ids) == len(ids),
               message="every event at selection after the relay restarts")

    # Now the broker delivers every one of them again (a relay that crashed after publishing
    # and before marking the rows): selection is stopped meanwhile so that we can count.
    system.stop("selection")
    with registration.begin() as connection:
        connection.execute(sa.text("UPDATE outbox SET published_at = NULL WHERE "
                                   "envelope::jsonb -> 'payload' ->> 'activity_id' = :id"),
                           {"id": activity["id"]})
    wait_until(lambda: _queue_depth(amqp_uri, SELECTION_QUEUE) == len(ids),
               message="the duplicates queued for selection")
    system.start("selection")
    wait_until(lambda: _queue_depth(amqp_uri, SELECTION_QUEUE) == 0,
               message="selection consumed the duplicates")
    system.stop("selection")  # graceful: in-flight messages are finished and acked
    assert _queue_depth(amqp_uri, SELECTION_QUEUE) == 0
    system.start("selection")
    assert _selection_rows(selection, ids) == len(ids)
    with selection.connect() as connection:
        processed = connection.execute(sa.text(
            "SELECT count(*) FROM processed_events WHERE handler = "
            "'selection.on_application_submitted'")).scalar()
        total = connection.execute(sa.text("SELECT count(*) FROM applications")).scalar()
    assert processed == total  # one processed record per application: none applied twice
    system.wait_ready()
    registration.dispose()
    selection.dispose()


def test_a_failing_handler_is_retried_and_a_poison_event_is_parked(tmp_path, own_vhost):
    amqp_uri = own_vhost
    env = dict(os.environ, AMQP_URI=amqp_uri, EVENT_RETRY_DELAYS_MS="200,400",
               TEST_CONSUMER="flaky", FLAKY_DATABASE_URL=f"sqlite:///{tmp_path / 'flaky.db'}",
               PYTHONWARNINGS="ignore")
    log = open(tmp_path / "flaky.log", "wb")  # noqa: SIM115 (outlives this block: closed in finally)
    consumer = subprocess.Popen([sys.executable, "-m", "tests.support.event_consumer"], env=env,
                                stdout=log, stderr=subprocess.STDOUT)
    queue = "evt-registration-application_submitted--flaky.on_event"
    try:
        def queue_ready():
            try:
                return _queue_depth(amqp_uri, queue) == 0
            except Exception:
                return False
        wait_until(queue_ready, timeout=60, message="the flaky consumer's queue")

        good = [_envelope() for _ in range(3)]
        poison = _envelope(poison=True)
        with kombu.Connection(amqp_uri, transport_options={"confirm_publish": True}) as conn:
            producer = conn.Producer()
            for envelope in good + [poison]:
                producer.publish(envelope, exchange=event_exchange("registration"),
                                 routing_key="application_submitted", serializer="json",
                                 delivery_mode=2)

        engine = sa.create_engine(env["FLAKY_DATABASE_URL"])

        def received():
            with engine.connect() as connection:
                return dict(connection.execute(sa.text(
                    "SELECT event_id, attempt FROM received")).all())
        rows = wait_until(lambda: len(received()) == 3 and received(),
                          message="the three good events, each after one failure")
        assert rows == {e["event_id"]: 2 for e in good}

        dlq = "evt-registration-application_submitted--flaky.on_event.dlq"
        wait_until(lambda: _queue_depth(amqp_uri, dlq) == 1, message="the poison event parked")
        with kombu.Connection(amqp_uri) as connection:
            parked = list(drain(connection, dlq))
            assert [json.loads(m.body)["event_id"] for m in parked] == [poison["event_id"]]
            assert parked[0].headers[RETRY_HEADER] == 3  # two delayed retries, then parked
            parked[0].channel.basic_recover(requeue=True)

        # The operator's replay sends it through the handler again (and back here: it is
        # still poison), its retry count starting afresh.
        with kombu.Connection(amqp_uri, transport_options={"confirm_publish": True}) as conn:
            assert replay(conn, Subscription("registration", "application_submitted", "flaky",
                                             "on_event")) == 1
        wait_until(lambda: _queue_depth(amqp_uri, dlq) == 0, message="the replayed event")
        wait_until(lambda: _queue_depth(amqp_uri, dlq) == 1, message="parked again")
        engine.dispose()
    finally:
        consumer.terminate()
        consumer.wait(timeout=30)
        log.close()


def _envelope(poison=False):
    return {"event_id": str(uuid.uuid4()), "type": "application_submitted",
            "occurred_at": datetime.now(UTC).isoformat(), "producer": "registration",
            "schema_version": 1, "correlation_id": None,
            "payload": {"application_id": str(uuid.uuid4()), "poison": poison}}


def test_the_dlq_name_is_derived_from_the_subscription():
    from services.shared.contracts.events import SUBSCRIPTIONS
    assert dead_letter_queue_name(SUBSCRIPTIONS[0]) == SELECTION_QUEUE + ".dlq"
