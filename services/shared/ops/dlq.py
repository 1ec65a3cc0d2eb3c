"""Inspect and replay parked events (an operator's tool).

``python -m services.shared.ops.dlq list``            every dead-letter queue and its depth
``python -m services.shared.ops.dlq show QUEUE``      the parked events' ids and types (no payloads;
                                                  a message that could not be decoded: its
                                                  content type, size and why)
``python -m services.shared.ops.dlq replay QUEUE``    move them back to the handler's queue, with
                                                  their retry count reset
QUEUE is the consumer queue's name (``evt-...``), as contracts.SUBSCRIPTIONS names it.
"""
from __future__ import annotations

import argparse
import json

import kombu

from services.shared.contracts.events import SUBSCRIPTIONS
from services.shared.platform.messaging import (
    RETRY_HEADER,
    UNDECODABLE_HEADER,
    connect,
    dead_letter_queue_name,
    declare_topology,
)


def _subscription(queue: str):
    for subscription in SUBSCRIPTIONS:
        if subscription.queue == queue:
            return subscription
    raise SystemExit(f"unknown queue {queue!r}; see `list`")


def depth(connection, queue_name: str) -> int:
    return connection.default_channel.queue_declare(queue_name, passive=True).message_count


def drain(connection, queue_name: str, limit: int = 100_000):
    """Yield each parked message (unacknowledged), one by one, until the queue is empty."""
    queue = kombu.Queue(queue_name, no_declare=True)(connection.default_channel)
    for _ in range(limit):
        message = queue.get(no_ack=False, accept=["json"])
        if message is None:
            return
        yield message


def describe(message) -> str:
    """One line about a parked message, never its payload; whatever its body holds."""
    headers = message.headers or {}
    try:
        body = json.loads(message.body)
    except (TypeError, ValueError):  # not JSON, not UTF-8: parked as it came
        body = None
    if isinstance(body, dict) and UNDECODABLE_HEADER not in headers:
        return " ".join(str(part) for part in (
            body.get("event_id"), body.get("type"), body.get("occurred_at"),
            "attempts:", headers.get(RETRY_HEADER)))
    return (f"undecodable: content type {message.content_type!r}, "
            f"{len(message.body or b'')} bytes, "
            f"{headers.get(UNDECODABLE_HEADER) or 'not an event envelope'}")


def replay(connection, subscription) -> int:
    dlq = dead_letter_queue_name(subscription)
    producer = connection.Producer()
    moved = 0
    for message in drain(connection, dlq):
        headers = dict(message.headers or {})
        headers.pop(RETRY_HEADER, None)
        producer.publish(message.body, exchange="", routing_key=subscription.queue,
                         headers=headers, content_type=message.content_type,
                         content_encoding=message.content_encoding, delivery_mode=2)
        message.ack()  # only after the broker confirmed the copy
        moved += 1
    return moved


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=("list", "show", "replay"))
    parser.add_argument("queue", nargs="?")
    args = parser.parse_args(argv)
    with connect() as connection:
        declare_topology(connection)
        if args.command == "list":
            for subscription in SUBSCRIPTIONS:
                name = dead_letter_queue_name(subscription)
                print(f"{depth(connection, name):8d}  {name}")
        elif args.command == "show":
            dlq = dead_letter_queue_name(_subscription(args.queue))
            channel = connection.default_channel
            for message in drain(connection, dlq):
                print(describe(message))
            channel.basic_recover(requeue=True)  # show only: put them all back
        else:
            moved = replay(connection, _subscription(args.queue))
            print(f"replayed {moved} event(s) to {args.queue}")


if __name__ == "__main__":
    main()
