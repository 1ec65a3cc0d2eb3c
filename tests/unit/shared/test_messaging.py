"""The reliable event handler's pure decisions: which failures are an outage (waited out) and
which are poison (retried, then parked), and the queue arguments of each mode."""
from __future__ import annotations

import sqlalchemy.exc

from services.shared.contracts.events import SUBSCRIPTIONS
from services.shared.platform.messaging import (
    consumer_queue_arguments,
    dead_letter_queue_arguments,
    is_operational,
    retry_queue_arguments,
)


def _raised_from(cause: BaseException) -> BaseException:
    try:
        try:
            raise cause
        except BaseException as error:
            raise RuntimeError("the use case failed") from error
    except RuntimeError as wrapped:
        return wrapped


def test_an_unreachable_database_or_broker_is_an_outage_not_poison():
    unreachable = sqlalchemy.exc.OperationalError("SELECT 1", {}, Exception("no route"))
    assert is_operational(unreachable)
    assert is_operational(_raised_from(unreachable))
    assert is_operational(ConnectionRefusedError())
    assert not is_operational(KeyError("event_id"))
    assert not is_operational(sqlalchemy.exc.IntegrityError("INSERT", {}, Exception("dup")))
    assert not is_operational(None)


def test_classic_mode_keeps_the_arguments_queues_always_had(monkeypatch):
    monkeypatch.delenv("AMQP_QUORUM_QUEUES", raising=False)
    subscription = SUBSCRIPTIONS[0]
    assert consumer_queue_arguments(subscription) is None
    assert dead_letter_queue_arguments(subscription) is None
    assert retry_queue_arguments(subscription, 1000) == {
        "x-message-ttl": 1000, "x-dead-letter-exchange": "",
        "x-dead-letter-routing-key": subscription.queue}


def test_quorum_mode_dead_letters_at_least_once_after_the_delivery_limit(monkeypatch):
    monkeypatch.setenv("AMQP_QUORUM_QUEUES", "true")
    subscription = SUBSCRIPTIONS[0]
    arguments = consumer_queue_arguments(subscription)
    assert arguments["x-delivery-limit"] == 20
    assert arguments["x-dead-letter-routing-key"] == f"{subscription.queue}.dlq"
    assert arguments["x-dead-letter-strategy"] == "at-least-once"
    assert arguments["x-overflow"] == "reject-publish"
    assert retry_queue_arguments(subscription, 1000)["x-queue-type"] == "quorum"
