"""Idempotent consumption: an event is applied at most once per handler, whatever the broker
or the relay redelivers. The processed_events row and the handler's writes commit together;
a concurrent duplicate waits on the row's key and then skips. The envelope's correlation id is
bound while the event is applied: the handler's log lines and the events it records carry it."""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import marshmallow as ma
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from services.shared.platform import correlation
from services.shared.platform.database import unit_of_work, utcnow
from services.shared.platform.outbox import parse_envelope

log = logging.getLogger(__name__)


def handle_once(sessions: sessionmaker, unit_of_work_class, handler: str, body: dict,
                schema: ma.Schema, apply: Callable[[Any, dict], None]) -> bool:
    """Apply ``apply(uow, payload)`` unless this handler already did; returns whether it was
    applied. ``uow`` is a ``unit_of_work_class`` over the transaction that also records the
    event as processed. A payload that fails its schema raises (retried, then parked)."""
    envelope, payload = parse_envelope(body, schema)
    with correlation.bound(envelope.get("correlation_id")):
        return _handle_once(sessions, unit_of_work_class, handler, envelope, payload, apply)


def _handle_once(sessions, unit_of_work_class, handler: str, envelope: dict, payload: dict,
                 apply) -> bool:
    event_id = str(envelope["event_id"])
    table = unit_of_work_class.tables.processed_events
    try:
        with unit_of_work(sessions) as session:
            session.execute(sa.insert(table).values(
                event_id=event_id, event_type=envelope["type"], handler=handler,
                processed_at=utcnow()))
            session.flush()
            apply(unit_of_work_class(session), payload)
        return True
    except IntegrityError:
        with unit_of_work(sessions) as session:
            seen = session.execute(sa.select(table.c.event_id).where(
                table.c.event_id == event_id, table.c.handler == handler)).first()
        if seen is None:
            raise
        log.info("%s: event %s already processed, skipped", handler, event_id)
        return False
