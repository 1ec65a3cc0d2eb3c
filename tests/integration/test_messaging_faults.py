"""The event relay and the queue topology under broker faults, on a throw-away vhost of the
real broker: an event no queue is bound to stays in the outbox; a broker that stops answering
(a TCP proxy that stops forwarding) neither hangs the relay nor holds the database; a blocked
connection publishes nothing; heartbeats notice a silent broker; quorum mode dead-letters to
the DLQ and keeps classic mode's queues as they were."""
from __future__ import annotations

import sqlite3
import threading
import time
from urllib.parse import quote, unquote, urlsplit

import kombu
import marshmallow as ma
import pytest
import requests
import sqlalchemy as sa

from services.shared.contracts.events import Subscription
from services.shared.ops.relay_events import EventRelay
from services.shared.platform.database import (
    add_platform_tables,
    create_engine,
    session_factory,
    unit_of_work,
)
from services.shared.platform.messaging import (
    consumer_queue,
    dead_letter_queue_name,
    declare_topology,
    event_exchange,
    retry_queue_name,
)
from services.shared.platform.outbox import record_event
from tests.support.infra import MANAGEMENT_URL, wait_until
from tests.support.tcp_proxy import (
    connection_blocked_frame,
    connection_unblocked_frame,
    proxy_for,
)


class Payload(ma.Schema):
    n = ma.fields.Integer()


@pytest.fixture
def outbox(tmp_path):
    """A service's SQLite database with the platform tables, as the relay sees it."""
    path = tmp_path / "service.db"
    metadata = sa.MetaData()
    tables = add_platform_tables(metadata)
    engine = create_engine(f"sqlite:///{path}")
    metadata.create_all(engine)
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE service_writes (n INTEGER)")
    yield path, session_factory(engine), tables
    engine.dispose()


def _record(sessions, tables, producer, event_type):
    with unit_of_work(sessions) as session:
        return record_event(session, tables, producer, event_type, {"n": 1}, Payload())


def _row(sessions, tables, event_id):
    with unit_of_work(sessions) as session:
        return session.execute(sa.select(tables.outbox).where(
            tables.outbox.c.event_id == event_id)).one()


def _depth(uri, queue):
    with kombu.Connection(uri) as connection:
        return connection.default_channel.queue_declare(queue, passive=True).message_count


def test_an_event_no_queue_is_bound_to_stays_in_the_outbox_until_one_is(
        outbox, own_vhost, monkeypatch):
    monkeypatch.setenv("OUTBOX_UNROUTABLE_RETRY_SECONDS", "0.3")
    _, sessions, tables = outbox
    # "ghost" is no producer in the contracts: no subscription declares a queue for it.
    relay = EventRelay("ghost", sessions, tables, own_vhost)
    envelope = _record(sessions, tables, "ghost", "ghost_appeared")
    try:
        assert relay.step(time.monotonic()) == 0
        row = _row(sessions, tables, envelope["event_id"])
        assert row.published_at is None  # the broker returned it: not published
        assert row.last_error.startswith("unroutable") and row.attempts == 1
        assert relay.step(time.monotonic()) == 0  # not sent again before its retry time
        assert _row(sessions, tables, envelope["event_id"]).attempts == 1

        with kombu.Connection(own_vhost) as connection:
            kombu.Queue("ghost-watcher", exchange=event_exchange("ghost"),
                        routing_key="ghost_appeared")(connection.default_channel).declare()
        wait_until(lambda: relay.step(time.monotonic()) == 1, timeout=10,
                   message="the event published once a queue is bound")
        row = _row(sessions, tables, envelope["event_id"])
        assert row.published_at is not None and row.claimed_until is None
        assert _depth(own_vhost, "ghost-watcher") == 1
    finally:
        relay.close()


def test_the_relay_declares_its_subscribers_queues_before_it_publishes(outbox, own_vhost):
    _, sessions, tables = outbox
    relay = EventRelay("selection", sessions, tables, own_vhost)
    envelope = _record(sessions, tables, "selection", "administrative_decided")
    try:
        assert relay.step(time.monotonic()) == 1  # assessment never started here
    finally:
        relay.close()
    assert _row(sessions, tables, envelope["event_id"]).published_at is not None
    assert _depth(own_vhost, "evt-selection-administrative_decided--assessment."
                             "on_administrative_decided") == 1


def test_a_stalled_broker_neither_hangs_the_relay_nor_holds_the_database(
        outbox, own_vhost, monkeypatch):
    monkeypatch.setenv("AMQP_CONFIRM_TIMEOUT_SECONDS", "1")
    path, sessions, tables = outbox
    proxy = proxy_for(own_vhost)
    relay = EventRelay("registration", sessions, tables, proxy.uri_for(own_vhost))
    try:
        with proxy:
            assert relay.step(time.monotonic()) == 0 and relay.connection is not None
            envelope = _record(sessions, tables, "registration", "application_submitted")
            proxy.pause()
            outcome = {}

            def one_round():
                outcome["published"] = relay.step(time.monotonic())
                outcome["done"] = time.monotonic()
            started = time.monotonic()
            worker = threading.Thread(target=one_round, daemon=True)
            worker.start()
            wait_until(lambda: proxy.held_bytes > 0, timeout=5,
                       message="the relay's publish held by the stalled network")

            # The service writes meanwhile, as a request would (its own connection, a short
            # busy timeout): the relay holds no lock while it waits for the broker.
            begun = time.monotonic()
            service = sqlite3.connect(path, timeout=3, isolation_level=None)
            try:
                service.execute("BEGIN IMMEDIATE")
                service.execute("INSERT INTO service_writes (n) VALUES (1)")
                service.execute("COMMIT")
            finally:
                service.close()
            write_seconds = time.monotonic() - begun
            assert write_seconds < 0.5

            worker.join(timeout=10)
            assert not worker.is_alive(), "the relay hangs on the stalled broker"
            assert outcome["published"] == 0
            gave_up_after = outcome["done"] - started
            assert gave_up_after < 1 + 1.5  # the confirm timeout, and a little
            row = _row(sessions, tables, envelope["event_id"])
            assert row.published_at is None and row.claimed_until is None  # free again
            print(f"service write while the relay waited: {write_seconds * 1000:.1f} ms; "
                  f"relay gave up after {gave_up_after:.2f} s")

            proxy.resume()
            wait_until(lambda: relay.step(time.monotonic()) == 1, timeout=10,
                       message="the relay publishes once the broker answers again")
            assert _row(sessions, tables, envelope["event_id"]).published_at is not None
    finally:
        relay.close()  # after the proxy closed: a relay stuck on it is released too


def test_while_the_broker_blocks_the_relay_it_publishes_nothing(outbox, own_vhost):
    _, sessions, tables = outbox
    with proxy_for(own_vhost, amqp=True) as proxy:
        relay = EventRelay("registration", sessions, tables, proxy.uri_for(own_vhost))
        try:
            assert relay.step(time.monotonic()) == 0 and relay.connection is not None
            proxy.send_to_clients(connection_blocked_frame("low on memory"))
            envelope = _record(sessions, tables, "registration", "application_submitted")
            assert relay.step(time.monotonic()) == 0
            assert relay.blocked
            row = _row(sessions, tables, envelope["event_id"])
            assert (row.published_at, row.claimed_until, row.attempts) == (None, None, 0)

            proxy.send_to_clients(connection_unblocked_frame())
            wait_until(lambda: relay.step(time.monotonic()) == 1, timeout=5,
                       message="publishing again once unblocked")
            assert relay.blocked is None
        finally:
            relay.close()


def test_an_idle_relay_notices_a_silent_broker_by_its_heartbeats(
        outbox, own_vhost, monkeypatch):
    monkeypatch.setenv("AMQP_HEARTBEAT_SECONDS", "1")
    _, sessions, tables = outbox
    with proxy_for(own_vhost) as proxy:
        relay = EventRelay("registration", sessions, tables, proxy.uri_for(own_vhost))
        try:
            relay.step(time.monotonic())
            connection = relay.connection
            assert connection.connection.heartbeat == 1
            # Healthy: serviced at every round, the idle connection outlives several intervals.
            until = time.monotonic() + 3
            while time.monotonic() < until:
                relay.step(time.monotonic())
                assert relay.connection is connection
                time.sleep(0.1)  # the relay's poll interval

            proxy.pause()
            noticed = time.monotonic()

            def dropped():
                relay.step(time.monotonic())
                return relay.connection is None
            wait_until(dropped, timeout=6, interval=0.1,
                       message="the relay dropping a connection whose broker went silent")
            noticed_after = time.monotonic() - noticed
            assert noticed_after < 4
            print(f"silent broker noticed after {noticed_after:.2f} s (heartbeat 1 s)")
        finally:
            relay.close()


# Quorum mode -------------------------------------------------------------------------------

PROBE = Subscription("ghost", "ghost_appeared", "probe", "on_ghost")


def _queue(uri, name):
    vhost = unquote(urlsplit(uri).path[1:])
    response = requests.get(f"{MANAGEMENT_URL}/api/queues/{quote(vhost, safe='')}/"
                            f"{quote(name, safe='')}", auth=("guest", "guest"), timeout=10)
    response.raise_for_status()
    return response.json()


def test_quorum_mode_makes_every_queue_quorum_and_dead_letters_to_the_dlq(
        own_vhost, monkeypatch):
    monkeypatch.setenv("AMQP_QUORUM_QUEUES", "true")
    monkeypatch.setenv("AMQP_DELIVERY_LIMIT", "1")
    monkeypatch.setenv("EVENT_RETRY_DELAYS_MS", "100")
    dlq, retry = dead_letter_queue_name(PROBE), retry_queue_name(PROBE, 100)
    dead_lettering = {"x-dead-letter-exchange": "", "x-dead-letter-strategy": "at-least-once",
                      "x-overflow": "reject-publish"}
    with kombu.Connection(own_vhost, transport_options={"confirm_publish": True}) as connection:
        declare_topology(connection, [PROBE])
        declare_topology(connection, [PROBE])  # idempotent

        consumer, parked, delayed = (_queue(own_vhost, name)
                                     for name in (PROBE.queue, dlq, retry))
        assert {consumer["type"], parked["type"], delayed["type"]} == {"quorum"}
        assert consumer["arguments"] == {"x-queue-type": "quorum", "x-delivery-limit": 1,
                                         "x-dead-letter-routing-key": dlq, **dead_lettering}
        assert delayed["arguments"] == {"x-queue-type": "quorum", "x-message-ttl": 100,
                                        "x-dead-letter-routing-key": PROBE.queue,
                                        **dead_lettering}

        producer = connection.Producer()
        # A retry queue's message comes back to the consumer queue when its delay is over.
        producer.publish({"n": 1}, exchange="", routing_key=retry, serializer="json",
                         delivery_mode=2)
        wait_until(lambda: _depth(own_vhost, PROBE.queue) == 1, timeout=10,
                   message="the delayed message back in the consumer queue")

        # A message whose consumers keep dying on it (returned unacknowledged) is parked in
        # the DLQ after the delivery limit: not dropped, not redelivered forever.
        queue = consumer_queue(PROBE)(connection.default_channel)

        def returned_until_parked():
            message = queue.get(no_ack=False)
            if message is not None:
                message.reject(requeue=True)
            return _depth(own_vhost, dlq) == 1
        wait_until(returned_until_parked, timeout=10, message="the message dead-lettered")
        assert _depth(own_vhost, PROBE.queue) == 0


def test_classic_mode_redeclares_the_queues_of_a_running_system_unchanged(
        own_vhost, monkeypatch):
    """Queues as the earlier releases declared them (classic mode) are declared again without
    a PRECONDITION_FAILED: an upgrade needs no queue migration."""
    monkeypatch.delenv("AMQP_QUORUM_QUEUES", raising=False)
    monkeypatch.setenv("EVENT_RETRY_DELAYS_MS", "1000,5000")
    with kombu.Connection(own_vhost) as connection:
        channel = connection.default_channel
        earlier = [(PROBE.queue, None), (f"{PROBE.queue}.dlq", None)] + [
            (f"{PROBE.queue}.retry.{delay}ms",
             {"x-message-ttl": delay, "x-dead-letter-exchange": "",
              "x-dead-letter-routing-key": PROBE.queue}) for delay in (1000, 5000)]
        for name, arguments in earlier:
            kombu.Queue(name, durable=True, auto_delete=False,
                        queue_arguments=arguments)(channel).declare()
        declare_topology(connection, [PROBE])
    assert _queue(own_vhost, PROBE.queue)["type"] == "classic"
