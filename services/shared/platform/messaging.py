"""RabbitMQ topology, a confirming publisher, and an event handler that never drops a message.

nameko's own ``@event_handler`` acks and drops a message whose handler raised. The
``reliable_event_handler`` here instead tells two kinds of failure apart:

- an operational error (the database or the broker unreachable: ``is_operational``) is not
  the message's fault: the handler keeps the message (unacknowledged), waits
  (EVENT_OUTAGE_WAIT_SECONDS, doubling up to EVENT_OUTAGE_MAX_WAIT_SECONDS) and runs it again,
  for as long as the outage lasts, without spending its retries;
- anything else (poison) is republished to a delay queue (its TTL dead-letters it back to the
  handler's queue: retry with back-off) and, once the delays in EVENT_RETRY_DELAYS_MS are used
  up, parked in ``<queue>.dlq`` for an operator to inspect and replay
  (``python -m services.shared.ops.dlq``).

A message that cannot even be decoded (not JSON, an unknown content type) is parked raw in the
DLQ at once, with the reason in its headers (kombu's default would log it and drop it).

Queues are declared from ``contracts.SUBSCRIPTIONS`` by producer and consumer alike, with the
same arguments. With AMQP_QUORUM_QUEUES every queue is a quorum queue, and the consumer queue
dead-letters (at least once) to its DLQ a message delivered more than AMQP_DELIVERY_LIMIT times
(a consumer that keeps dying on it). Classic queues (the default, a laptop broker) keep the
arguments they always had: RabbitMQ refuses to redeclare a queue with other arguments.

While a handler runs, the envelope's correlation id is bound (``services.shared.platform.
correlation``): its log lines, and the line saying it handled the event, carry it. Prometheus
counts, by service, handler and event type: ``events_consumed_total`` (handled),
``events_failed_total`` (by kind: poison, operational, undecodable), ``events_retried_total``
(sent to a delay queue) and ``events_dead_lettered_total`` (parked in the DLQ).
"""
from __future__ import annotations

import functools
import logging
import os
import socket
from functools import partial

import amqp.exceptions
import kombu
import kombu.exceptions
import sqlalchemy.exc
from nameko.events import EventHandler
from nameko.messaging import Consumer
from prometheus_client import Counter

from services.shared.contracts.events import SUBSCRIPTIONS, Subscription, subscription_for
from services.shared.platform import config, correlation
from services.shared.platform.outbox import exchange_name

log = logging.getLogger(__name__)

RETRY_HEADER = "x-bps-retry"
UNDECODABLE_HEADER = "x-bps-undecodable"  # why a message parked raw could not be decoded

_HANDLER_LABELS = ["service", "handler", "event_type"]
EVENTS_CONSUMED = Counter("events_consumed_total", "Events a handler handled (acknowledged)",
                          _HANDLER_LABELS)
EVENTS_FAILED = Counter("events_failed_total", "Events a handler failed on, by kind: poison "
                        "(retried, then parked), operational (waited out), undecodable "
                        "(parked at once)", [*_HANDLER_LABELS, "kind"])
EVENTS_RETRIED = Counter("events_retried_total", "Failed events sent to a delay queue to be "
                         "tried again", _HANDLER_LABELS)
EVENTS_DEAD_LETTERED = Counter("events_dead_lettered_total", "Events parked in a DLQ",
                               _HANDLER_LABELS)

# The database or the broker could not be reached (or dropped the connection): the message is
# not at fault, and trying it again later will do. sqlalchemy's OperationalError also covers
# SQLite's "database is locked" and PostgreSQL's deadlocks and serialization failures, which
# are transient too.
OPERATIONAL_ERRORS = (
    sqlalchemy.exc.OperationalError, sqlalchemy.exc.DisconnectionError,
    sqlalchemy.exc.InterfaceError, sqlalchemy.exc.TimeoutError,
    kombu.exceptions.OperationalError, amqp.exceptions.RecoverableConnectionError,
    amqp.exceptions.ConnectionError, ConnectionError, TimeoutError, socket.gaierror,
)


def is_operational(error: BaseException | None) -> bool:
    """Whether ``error`` (or an error it was raised from) says a dependency is unreachable."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, OPERATIONAL_ERRORS):
            return True
        error = error.__cause__ or error.__context__
        seen += 1
    return False


def event_exchange(producer: str) -> kombu.Exchange:
    # The same declaration nameko makes for ``<service>.events``.
    return kombu.Exchange(exchange_name(producer), type="topic", durable=True,
                          delivery_mode=2, auto_delete=False)


def quorum_mode() -> bool:
    # Quorum queues in a production cluster; classic on a single laptop broker.
    return os.environ.get("AMQP_QUORUM_QUEUES", "").lower() in ("1", "true", "yes")


def _quorum_arguments(dead_letter_to: str | None = None) -> dict:
    arguments = {"x-queue-type": "quorum"}
    if dead_letter_to is not None:
        # at-least-once: the broker keeps a dead-lettered message until its target confirmed
        # it, which requires reject-publish (a full target refuses rather than drops).
        arguments.update({"x-dead-letter-exchange": "",
                          "x-dead-letter-routing-key": dead_letter_to,
                          "x-dead-letter-strategy": "at-least-once",
                          "x-overflow": "reject-publish"})
    return arguments


def consumer_queue_arguments(subscription: Subscription) -> dict | None:
    if not quorum_mode():
        return None  # classic: as always (changing it would break redeclaration)
    arguments = _quorum_arguments(dead_letter_queue_name(subscription))
    # RabbitMQ 4 drops a message after 20 deliveries unless told where to dead-letter it.
    arguments["x-delivery-limit"] = config.amqp_delivery_limit()
    return arguments


def retry_queue_arguments(subscription: Subscription, delay_ms: int) -> dict:
    # An expired message goes back, through the default exchange, to the handler's queue.
    arguments = {"x-message-ttl": delay_ms, "x-dead-letter-exchange": "",
                 "x-dead-letter-routing-key": subscription.queue}
    if quorum_mode():
        arguments.update(_quorum_arguments(subscription.queue))
    return arguments


def dead_letter_queue_arguments(subscription: Subscription) -> dict | None:
    return _quorum_arguments() if quorum_mode() else None


def consumer_queue(subscription: Subscription) -> kombu.Queue:
    return kombu.Queue(subscription.queue, exchange=event_exchange(subscription.producer),
                       routing_key=subscription.event_type, durable=True,
                       auto_delete=False, queue_arguments=consumer_queue_arguments(subscription))


def retry_queue_name(subscription: Subscription, delay_ms: int) -> str:
    return f"{subscription.queue}.retry.{delay_ms}ms"


def dead_letter_queue_name(subscription: Subscription) -> str:
    return f"{subscription.queue}.dlq"


def _side_queues(subscription: Subscription) -> list[kombu.Queue]:
    queues = [kombu.Queue(retry_queue_name(subscription, delay), durable=True, auto_delete=False,
                          queue_arguments=retry_queue_arguments(subscription, delay))
              for delay in config.event_retry_delays_ms()]
    queues.append(kombu.Queue(dead_letter_queue_name(subscription), durable=True,
                              auto_delete=False,
                              queue_arguments=dead_letter_queue_arguments(subscription)))
    return queues


def declare_topology(connection: kombu.Connection,
                     subscriptions=SUBSCRIPTIONS) -> None:
    """Declare exchanges, consumer queues, their delay queues and DLQs (idempotent)."""
    channel = connection.default_channel
    for subscription in subscriptions:
        event_exchange(subscription.producer)(channel).declare()
        # The DLQ first: a quorum consumer queue dead-letters to it.
        for queue in reversed(_side_queues(subscription)):
            queue(channel).declare()
        consumer_queue(subscription)(channel).declare()


def connect(uri: str | None = None, *, heartbeat: int = 0, on_blocked=None,
            on_unblocked=None) -> kombu.Connection:
    """A connection whose publishes wait for the broker's confirm (or raise). No socket read
    or write waits longer than AMQP_CONFIRM_TIMEOUT_SECONDS: a broker that stopped answering
    (blocked, or a network that stopped forwarding) is an error, not a hang."""
    timeout = config.amqp_confirm_timeout_seconds()
    options = {"confirm_publish": True, "read_timeout": timeout, "write_timeout": timeout}
    if on_blocked is not None:
        options.update(on_blocked=on_blocked, on_unblocked=on_unblocked)
    return kombu.Connection(uri or config.amqp_uri(), transport_options=options,
                            heartbeat=heartbeat, connect_timeout=5)


def publish_to_queue(queue: str, body, headers: dict, content_type, content_encoding) -> None:
    """Publish ``body`` as it is (no serialisation) to ``queue``; raises unless confirmed."""
    with connect() as connection:
        connection.Producer().publish(
            body, exchange="", routing_key=queue, headers=headers, content_type=content_type,
            content_encoding=content_encoding, delivery_mode=2, retry=True,
            retry_policy={"max_retries": 3}, mandatory=True,
            confirm_timeout=config.amqp_confirm_timeout_seconds())


class ReliableEventHandler(EventHandler):
    """nameko event handler of a subscription in the contracts: retries, parks, never drops."""

    def __init__(self, *args, **kwargs):
        # nameko logs these as expected (a warning), not as a worker's error: an outage is
        # waited out (handle_message_processed).
        kwargs.setdefault("expected_exceptions", OPERATIONAL_ERRORS)
        super().__init__(*args, **kwargs)

    def setup(self):
        self.subscription = subscription_for(self.container.service_name, self.method_name)
        if (self.subscription.producer, self.subscription.event_type) != (
                self.source_service, self.event_type):
            raise LookupError(f"{self.subscription} does not match the handler's decorator")
        self.queue = consumer_queue(self.subscription)
        with connect() as connection:
            declare_topology(connection, [self.subscription])
        # nameko passes its consumer options on to kombu's Consumer: replaces kombu's default
        # (log the raw body, which may hold personal data, and ack: the message is gone).
        self.consumer_options["on_decode_error"] = self.park_undecodable
        Consumer.setup(self)  # nameko's queue name, our queue arguments

    def park_undecodable(self, message, error):
        target = dead_letter_queue_name(self.subscription)
        headers = dict(message.headers or {})
        # Kept as it came, but no longer marked compressed: kombu would refuse to hand the
        # operator's tool (services/shared/ops/dlq.py) a body it cannot decompress.
        compression = headers.pop("compression", None)
        reason = f"{type(error).__name__}: {error}"
        if compression:
            reason += f" (compression: {compression})"
        headers[UNDECODABLE_HEADER] = reason[:300]
        self._count(EVENTS_FAILED, "undecodable")
        self._count(EVENTS_DEAD_LETTERED)
        log.error("handler %s got a message it cannot decode (%s, content type %r); parking "
                  "it raw in %s", self.method_name, type(error).__name__, message.content_type,
                  target)
        try:
            publish_to_queue(target, message.body, headers, message.content_type,
                             message.content_encoding)
        except Exception:  # not acked: the broker will deliver it again
            log.exception("could not park an undecodable message in %s; requeueing it", target)
            self.consumer.requeue_message(message)
            return
        self.consumer.ack_message(message)

    def _count(self, counter, *more_labels: str) -> None:
        counter.labels(self.container.service_name, self.method_name, self.event_type,
                       *more_labels).inc()

    def handle_message_processed(self, message, result=None, exc_info=None):
        body = message.payload if isinstance(message.payload, dict) else None
        with correlation.bound(correlation.from_message(message.headers, body)):
            self._processed(message, body, exc_info)

    def _processed(self, message, body, exc_info):
        if exc_info is None:
            self.consumer.ack_message(message)
            self._count(EVENTS_CONSUMED)
            log.info("handler %s handled %s event %s", self.method_name, self.event_type,
                     (body or {}).get("event_id"))
            return
        if is_operational(exc_info[1]):
            self._count(EVENTS_FAILED, "operational")
            self._wait_out_the_outage(message, exc_info[1])
            return
        self._count(EVENTS_FAILED, "poison")
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
            publish_to_queue(target, message.body, headers, message.content_type,
                             message.content_encoding)
        except Exception:  # the broker will redeliver the unacked message: nothing is lost
            log.exception("could not move a failed %s event to %s; requeueing it",
                          self.event_type, target)
            self.consumer.requeue_message(message)
            return
        self.consumer.ack_message(message)
        self._count(EVENTS_RETRIED if attempt <= len(delays) else EVENTS_DEAD_LETTERED)

    def _wait_out_the_outage(self, message, error):
        # The message stays unacknowledged meanwhile: if this process dies, the broker delivers
        # it again. Not requeued: a quorum queue would count each requeue as a delivery.
        waits = getattr(message, "bps_outage_waits", 0)
        message.bps_outage_waits = waits + 1
        delay = min(config.event_outage_wait_seconds() * 2 ** min(waits, 30),
                    config.event_outage_max_wait_seconds())
        log.warning("handler %s could not reach a dependency on a %s event (%s); trying it "
                    "again in %.1f s, its retries untouched", self.method_name, self.event_type,
                    type(error).__name__, delay)
        self.container.spawn_managed_thread(
            partial(self._run_again, message, delay),
            identifier=f"ReliableEventHandler.outage_wait[{self.method_name}]")

    def _run_again(self, message, delay):
        import eventlet  # imported here: importing it warns, and only nameko's processes need it

        eventlet.sleep(delay)
        if self.consumer.should_stop:
            self.consumer.requeue_message(message)
            return
        self.handle_message(message.payload, message)


def reliable_event_handler(source_service: str, event_type: str, **kwargs):
    """``@reliable_event_handler(producer, event_type)`` on ``fn(self, body)``: the entrypoint,
    with the envelope's correlation id bound while ``fn`` runs (in the worker's greenthread)."""
    def decorate(fn):
        @functools.wraps(fn)
        def handler(self, body):
            envelope = body if isinstance(body, dict) else None
            with correlation.bound(correlation.from_message(None, envelope)):
                return fn(self, body)
        return ReliableEventHandler.decorator(source_service, event_type, **kwargs)(handler)
    return decorate
