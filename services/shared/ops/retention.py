"""Retention: what the platform tables may forget, run from the relay loop
(services/shared/ops/relay.py) every RETENTION_INTERVAL_SECONDS.

- outbox rows published more than RETENTION_OUTBOX_DAYS ago are deleted; rows not yet
  published are never touched;
- a published envelope's payload is erased RETENTION_EVENT_PAYLOAD_HOURS after publication:
  the broker has confirmed it and its consumers hold their own copy, so the outbox keeps only
  what an operator traces an event by (event_id, type, producer, occurred_at, correlation_id).
  The whole payload goes, not a list of fields: a profile snapshot holds more than NIK, phone
  and address (name, birth date, e-mail), a decision's reason is free text, and a field added
  to a contract later is covered without touching this file;
- processed_events rows older than RETENTION_PROCESSED_EVENTS_DAYS (a redelivery older than
  that would be applied again: keep it well above any redelivery window);
- idempotency records older than IDEMPOTENCY_TTL_HOURS (a retry after that acts again);
- sent or failed mail older than RETENTION_MAIL_DAYS (their bodies were emptied already).

One replica at a time: on PostgreSQL the run takes a transaction-scoped advisory lock with
``pg_try_advisory_xact_lock`` and a replica that does not get it skips its turn; SQLite's
engine takes the database's write lock at BEGIN (services/shared/platform/database.py), so
runs there queue behind one another and the later one finds nothing left. Each kind removes at
most RETENTION_BATCH rows per run, so the transaction stays short; a run that hit the limit is
followed by the next one at once. What a run removed is counted (metric
``relay_retention_removed_total`` and one log line); no content is ever logged.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

import sqlalchemy as sa
from prometheus_client import Counter

from services.shared.platform.config import RetentionSettings
from services.shared.platform.database import PlatformTables, take_turn, unit_of_work, utcnow

log = logging.getLogger("relay.retention")

# The advisory lock's key: any number no other code locks on. Advisory locks are per database,
# and every service has a database of its own.
LOCK_KEY = 0x5E7E_4710

REMOVED = Counter("relay_retention_removed", "Rows removed (or payloads erased, kind "
                  "outbox_payloads) by the relay's retention job", ["service", "kind"])
RUNS = Counter("relay_retention_runs", "Retention runs by result: done, or skipped because "
               "another replica held the lock", ["service", "result"])


class Retention:
    def __init__(self, service: str, sessions, tables: PlatformTables,
                 settings: RetentionSettings):
        self.service, self.sessions, self.tables = service, sessions, tables
        self.settings = settings
        self.next_run = 0.0

    def _delete(self, session, table, keys: list[sa.Column], *conditions) -> int:
        """Delete at most one batch of the rows matching ``conditions``, by primary key."""
        chosen = sa.select(*keys).where(*conditions).limit(self.settings.batch)
        key = keys[0] if len(keys) == 1 else sa.tuple_(*keys)
        return session.execute(sa.delete(table).where(key.in_(chosen))).rowcount

    def _erase_payloads(self, session, cutoff: datetime, now: datetime) -> int:
        outbox = self.tables.outbox
        rows = session.execute(sa.select(outbox.c.id, outbox.c.envelope).where(
            outbox.c.published_at < cutoff,
            outbox.c.envelope["payload_erased_at"].as_string().is_(None),
        ).limit(self.settings.batch)).all()
        if rows:
            erased_at = now.isoformat()
            session.execute(
                sa.update(outbox).where(outbox.c.id == sa.bindparam("row_id"))
                .values(envelope=sa.bindparam("erased")),
                [{"row_id": row.id,
                  "erased": {**row.envelope, "payload": {}, "payload_erased_at": erased_at}}
                 for row in rows])
        return len(rows)

    def run_once(self, now: datetime | None = None) -> dict[str, int] | None:
        """One run; returns what it removed by kind, or None if another replica runs it."""
        now = now or utcnow()
        settings, tables = self.settings, self.tables
        outbox, processed = tables.outbox, tables.processed_events
        idempotency, mail = tables.idempotency_records, tables.outgoing_mail
        with unit_of_work(self.sessions) as session:
            if not take_turn(session, LOCK_KEY):
                RUNS.labels(self.service, "skipped").inc()
                log.info("retention for %s skipped: another replica is running it",
                         self.service)
                return None
            removed = {
                "outbox": self._delete(
                    session, outbox, [outbox.c.id],
                    outbox.c.published_at < now - timedelta(days=settings.outbox_days)),
                "outbox_payloads": self._erase_payloads(
                    session, now - timedelta(hours=settings.event_payload_hours), now),
                "processed_events": self._delete(
                    session, processed, [processed.c.event_id, processed.c.handler],
                    processed.c.processed_at < now - timedelta(
                        days=settings.processed_events_days)),
                "idempotency_records": self._delete(
                    session, idempotency,
                    [idempotency.c.caller, idempotency.c.method, idempotency.c.key],
                    idempotency.c.created_at < now - timedelta(
                        hours=settings.idempotency_hours)),
                "outgoing_mail": self._delete(
                    session, mail, [mail.c.id],
                    sa.or_(mail.c.sent_at < now - timedelta(days=settings.mail_days),
                           mail.c.failed_at < now - timedelta(days=settings.mail_days))),
            }
        RUNS.labels(self.service, "done").inc()
        for kind, count in removed.items():
            if count:
                REMOVED.labels(self.service, kind).inc(count)
        if any(removed.values()):
            log.info("retention for %s removed %s", self.service,
                     " ".join(f"{kind}={count}" for kind, count in removed.items()))
        return removed

    def step(self, now: float) -> int:
        """Run when due; how many rows it removed. A run that filled a batch is due again at
        once, otherwise after the interval (or after a minute, if it failed)."""
        if not self.settings.interval_seconds or now < self.next_run:
            return 0
        try:
            removed = self.run_once()
        except Exception:
            log.exception("retention for %s failed", self.service)
            self.next_run = now + min(60.0, self.settings.interval_seconds)
            return 0
        total = sum((removed or {}).values())
        full = any(count >= self.settings.batch for count in (removed or {}).values())
        self.next_run = now if full else now + self.settings.interval_seconds
        return total
