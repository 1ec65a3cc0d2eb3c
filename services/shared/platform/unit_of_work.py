"""The unit of work a use case is given: its service's repositories, plus the two things every
state change may also write in the same transaction, an event (the outbox) and a mail (the
outgoing-mail queue).

Each service's ``persistence/unit_of_work.py`` subclasses ``SqlUnitOfWork`` and adds its
repositories; ``tests/support/memory.py`` has the in-memory twins the fast service-layer
tests use. The transaction itself (commit, rollback, idempotency) belongs to the ``rpc``
wrapper and ``handle_once``, which hand the use case a unit of work over their session.
"""
from __future__ import annotations

from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.shared.contracts.events import PAYLOAD_SCHEMAS
from services.shared.platform.database import PlatformTables, utcnow
from services.shared.platform.outbox import record_event


class EventLog(Protocol):
    def record(self, event_type: str, payload: dict[str, Any]) -> None: ...


class MailQueue(Protocol):
    def queue(self, recipient: str, subject: str, body: str) -> None: ...


class SqlOutbox:
    """Events written to the outbox table in the caller's transaction; the relay sends them."""

    def __init__(self, session: Session, tables: PlatformTables, producer: str):
        self.session, self.tables, self.producer = session, tables, producer

    def record(self, event_type: str, payload: dict[str, Any]) -> None:
        record_event(self.session, self.tables, self.producer, event_type, payload,
                     PAYLOAD_SCHEMAS[event_type]())


class SqlMailQueue:
    """Mail written to the outgoing_mail table in the caller's transaction; the relay
    delivers it (an SMTP outage delays mail, never loses it)."""

    def __init__(self, session: Session, tables: PlatformTables):
        self.session, self.tables = session, tables

    def queue(self, recipient: str, subject: str, body: str) -> None:
        self.session.execute(sa.insert(self.tables.outgoing_mail).values(
            recipient=recipient, subject=subject, body=body, created_at=utcnow(), attempts=0))


class SqlUnitOfWork:
    """Base of a service's unit of work over one session of the caller's transaction."""

    producer: str  # the service name, as its events' producer
    tables: PlatformTables

    def __init__(self, session: Session):
        self.session = session
        self.events: EventLog = SqlOutbox(session, self.tables, self.producer)
        self.mail: MailQueue = SqlMailQueue(session, self.tables)
