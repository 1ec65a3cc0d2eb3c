"""RabbitMQ topology, a confirming publisher, and an event handler that never drops a message.

nameko's own ``@event_handler`` acks and drops a message whose handler raised. The
``reliable_event_handler`` here instead republishes a failed message to a delay queue (its TTL
dead-letters it back to the handler's queue: retry with back-off) and, once the delays in
EVENT_RETRY_DELAYS_MS are used up, parks it in ``<queue>.dlq`` for an operator to inspect and
replay (``python -m services.shared.ops.dlq``). Queues are declared from ``contracts.SUBSCRIPTIONS``
by producer and consumer alike, with the same arguments.
"""
from __future__ import annotations

import logging
import os

import kombu
from nameko.events import EventHandler
from nameko.messaging import Consumer

from services.shared.contracts.events import SUBSCRIPTIONS, Subscription, subscription_for
from services.shared.platform import config
from services.shared.platform.outbox import exchange_name

log = logging.getLogger(__name__)

RETRY_HEADER = "x-bps-retry"


def event_exchange(producer: str) -> kombu.Exchange:
    # The same declaration nameko makes for ``<service>.events``.
    return kombu.Exchange(exchange_name(producer), type="topic", durable=True,
                          delivery_mode=2, auto_delete=False)


def _queue_arguments() -> dict:
    # Quorum queues in a production cluster; classic on a single laptop broker.
    if os.environ.get("AMQP_QUORUM_QUEUES", "").lower() in ("1", "true", "yes"):
        return {"x-queue-type": "quorum"}
    return {}


def consumer_queue(subscription: Subscription) -> kombu.Queue:
    return kombu.Queue(subscription.queue, exchange=event_exchange(subscription.producer),
                       routing_key=subscription.event_type, durable=True,
                       auto_delete=False, queue_arguments=_queue_arguments() or None)


def retry_queue_name(subscription: Subscription, delay_ms: int) -> str:
    return f"{subscription.queue}.retry.{delay_ms}ms"


def dead_letter_queue_name(subscription: Subscription) -> str:
    return f"{subscription.queue}.dlq"


def _side_queues(subscription: Subscription) -> list[kombu.Queue]:
    queues = []
    for delay in config.event_retry_delays_ms():
        # An expired message goes back, through the default exchange, to the handler's queue.
        queues.append(kombu.Queue(
            retry_queue_name(subscription, delay), durable=True, auto_delete=False,
            queue_arguments={"x-message-ttl": delay, "x-dead-letter-exchange": "",
                             "x-dead-letter-routing-key": subscription.queue}))
    queues.append(kombu.Queue(dead_letter_queue_name(subscription), durable=True,
                              auto_delete=False, queue_arguments=_queue_arguments() or None))
    return queues


def declare_topology(connection: kombu.Connection,
                     subscriptions=SUBSCRIPTIONS) -> None:
    """Declare exchanges, consumer queues, their delay queues and DLQs (idempotent)."""
    channel = connection.default_channel
    for subscription in subscriptions:
        event_exchange(subscription.producer)(channel).declare()
        consumer_queue(subscription)(channel).declare()
        for queue in _side_queues(subscription):
            queue(channel).declare()


def connect(uri: str | None = None) -> kombu.Connection:
    """A connection whose publishes wait for the broker's confirm (or raise)."""
    return kombu.Connection(uri or config.amqp_uri(), transport_options={"confirm_publish": True},
                            heartbeat=0, connect_timeout=5)


class ReliableEventHandler(EventHandler):
    """nameko event handler of a subscription in the contracts: retries, parks, never drops."""

    def setup(self):
        self.subscription = subscription_for(self.container.service_name, self.method_name)
        if (self.subscription.producer, self.subscription.event_type) != (
                self.source_service, self.event_type):
            raise LookupError(f"{self.subscription} does not match the handler's decorator")
        self.queue = consumer_queue(self.subscription)
        with connect() as connection:
            declare_topology(connection, [self.subscription])
        Consumer.setup(self)  # nameko's queue name, our queue arguments

    def handle_message_processed(self, message, result=None, exc_info=None):
        if exc_info is None:
            self.consumer.ack_message(message)
            return
        headers = dict(message.headers or {})
        attempt = int(headers.get(RETRY_HEADER, 0)) + 1
        delays = config.event_retry_delays_ms()
        if attempt <= len(delays):
            target = retry_queue_name(self.subscription, delays[attempt - 1])
        else:
            target = dead_letter_queue_name(self.subscription)
        headers[RETRY_HEADER] = attempt
        # Logged without the body: a payload may hold personal data.
        log.warning("handler %s failed on a %s event (%s: attempt %d), moving it to %s",
                    self.method_name, self.event_type, exc_info[0].__name__, attempt, target)
        try:
            with connect() as connection:
                connection.Producer().publish(
                    message.body, exchange="", routing_key=target, headers=headers,
                    content_type=message.content_type,
                    content_encoding=message.content_encoding, delivery_mode=2, retry=True,
                    retry_policy={"max_retries": 3})
        except Exception:  # the broker will redeliver the unacked message: nothing is lost
            log.exception("could not move a failed %s event to %s; requeueing it",
                          self.event_type, target)
            self.consumer.requeue_message(message)
            return
        self.consumer.ack_message(message)


reliable_event_handler = ReliableEventHandler.decorator
