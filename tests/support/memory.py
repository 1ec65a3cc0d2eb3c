"""In-memory twins of the platform's unit-of-work parts, for the fast service-layer tests
(cosmicpython's FakeUnitOfWork): each service's in-memory unit of work adds its fake
repositories to ``InMemoryUnitOfWork``. Events are checked against their contract schema, as
the outbox would, so a test cannot record a payload the real one would refuse."""
from __future__ import annotations

import inspect
from typing import Any

from services.shared.contracts.events import PAYLOAD_SCHEMAS


class RecordedEvents(list):
    """(event_type, payload as it would travel) in the order they were recorded."""

    def record(self, event_type: str, payload: dict[str, Any]) -> None:
        schema = PAYLOAD_SCHEMAS[event_type]()
        dumped = schema.dump(payload)
        errors = schema.validate(dumped)
        if errors:
            raise ValueError(f"{event_type} payload does not match its schema: {errors}")
        self.append((event_type, dumped))

    def of_type(self, event_type: str) -> list[dict]:
        return [payload for kind, payload in self if kind == event_type]


class QueuedMail(list):
    def queue(self, recipient: str, subject: str, body: str) -> None:
        self.append({"recipient": recipient, "subject": subject, "body": body})


class InMemoryUnitOfWork:
    def __init__(self) -> None:
        self.events = RecordedEvents()
        self.mail = QueuedMail()


def public_methods(cls) -> dict[str, list[str]]:
    """A repository's public methods and their parameter names: a fake must answer to the
    same ones as the SQL repository it stands in for."""
    return {name: list(inspect.signature(member).parameters)
            for name, member in inspect.getmembers(cls, inspect.isfunction)
            if not name.startswith("_")}
