"""The event envelope every service publishes and consumes, and its outbox writer.

Envelope: ``event_id`` (UUID), ``type``, ``occurred_at``, ``producer``, ``schema_version``,
``correlation_id``, ``payload``. ``correlation_id`` is the id of the work that caused the event
(``services.shared.platform.correlation``): the one given, else the one bound (the request's,
through the ``rpc`` wrapper, or the event being handled), else a new one (a timer's event).
The payload schema of each event type lives in
``services.shared.contracts.events`` and is checked on both ends.

Routing follows nameko's convention (topic exchange ``<producer>.events``, routing key = event
type), so nameko event handlers and any other AMQP client can subscribe.
"""
from __future__ import annotations

import marshmallow as ma
import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.shared.platform import correlation
from services.shared.platform.database import PlatformTables, new_id, utcnow


def exchange_name(producer: str) -> str:
    return f"{producer}.events"


class EnvelopeSchema(ma.Schema):
    event_id = ma.fields.UUID(required=True)
    type = ma.fields.String(required=True)
    occurred_at = ma.fields.AwareDateTime(required=True)
    producer = ma.fields.String(required=True)
    schema_version = ma.fields.Integer(required=True)
    correlation_id = ma.fields.String(required=True, allow_none=True)
    payload = ma.fields.Dict(required=True)


def make_envelope(producer: str, event_type: str, payload: dict, schema: ma.Schema,
                  correlation_id: str | None = None, schema_version: int = 1) -> dict:
    """A JSON-ready envelope; ``payload`` is validated and serialised by ``schema``."""
    dumped = schema.dump(payload)
    errors = schema.validate(dumped)
    if errors:
        raise ValueError(f"{event_type} payload does not match its schema: {sorted(errors)}")
    return {
        "event_id": new_id(),
        "type": event_type,
        "occurred_at": utcnow().isoformat(),
        "producer": producer,
        "schema_version": schema_version,
        "correlation_id": correlation_id or correlation.current() or correlation.new_id(),
        "payload": dumped,
    }


def record_event(session: Session, tables: PlatformTables, producer: str, event_type: str,
                 payload: dict, schema: ma.Schema, correlation_id: str | None = None) -> dict:
    """Write the event into the outbox, in the caller's transaction; the relay publishes it."""
    envelope = make_envelope(producer, event_type, payload, schema, correlation_id)
    session.execute(sa.insert(tables.outbox).values(
        event_id=envelope["event_id"], event_type=event_type, envelope=envelope,
        created_at=utcnow(), attempts=0))
    return envelope


def parse_envelope(body: dict, schema: ma.Schema) -> tuple[dict, dict]:
    """Validate an incoming envelope and its payload; returns (envelope, loaded payload)."""
    envelope = EnvelopeSchema().load(body, unknown=ma.EXCLUDE)
    payload = schema.load(body["payload"])
    return envelope, payload
