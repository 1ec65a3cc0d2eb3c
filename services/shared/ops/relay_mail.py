"""The mail side of a relay: delivers a service's queued mail (the outgoing_mail table) over
SMTP, or as .eml files when no SMTP server is configured.

A round: claim the due rows (one short transaction moves their ``next_attempt_at`` ahead by
the claim, so no other relay takes them meanwhile), send them one by one over one connection,
and record each outcome in its own short transaction right after the server answered. A crash
mid-round re-sends at most the one mail that was on its way; the other claimed rows were either
marked or never sent, and are taken again once the claim has run out.

Each mail is judged on its own (services/shared/platform/mail.py): a 5xx parks it as failed
for good (``failed_at``, ``last_error``), a 4xx or a connection cut off while it was sent puts
it back with an exponential back-off (``attempts``, ``next_attempt_at``) until
MAIL_MAX_ATTEMPTS, then parks it. Rows are taken in ``next_attempt_at`` order, so a row
waiting for its retry never holds the others back. Only a server that cannot be reached at
all makes the whole mail side back off.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from prometheus_client import Counter

from services.shared.platform.config import MailDeliverySettings, MailSettings
from services.shared.platform.database import PlatformTables, is_postgres, unit_of_work, utcnow
from services.shared.platform.mail import (
    MailDeferred,
    MailRejected,
    MailServerDown,
    build_message,
    transport,
)

log = logging.getLogger("relay.mail")

BATCH = 200
RETRY_SECONDS = 5.0

MAIL = Counter("relay_mail", "Mails handled by the relay, by outcome: sent, deferred (a 4xx "
               "or a cut connection: retried later), failed (parked for good)",
               ["service", "outcome"])


class MailServerUnavailable(Exception):
    pass


@dataclass(frozen=True)
class MailRound:
    sent: int = 0
    deferred: int = 0
    failed: int = 0

    @property
    def handled(self) -> int:
        return self.sent + self.deferred + self.failed


class MailRelay:
    def __init__(self, service: str, sessions, tables: PlatformTables, settings: MailSettings,
                 delivery: MailDeliverySettings):
        self.service, self.sessions, self.tables = service, sessions, tables
        self.settings, self.delivery = settings, delivery
        self.retry_at = 0.0

    def _message_key(self, row) -> str:
        # The row's id within this service's database, and when it was queued (ids of a new
        # database start again at 1).
        return f"{self.service}.{row.id}.{row.created_at.strftime('%Y%m%dT%H%M%S%f')}"

    def _due(self, now):
        table = self.tables.outgoing_mail
        query = sa.select(table).where(
            table.c.sent_at.is_(None), table.c.failed_at.is_(None),
            table.c.next_attempt_at <= now,
        ).order_by(table.c.next_attempt_at, table.c.id).limit(BATCH)
        if is_postgres(self.sessions.kw["bind"]):
            # Several relays may run: each takes rows no other one holds.
            query = query.with_for_update(skip_locked=True)
        return query

    def claim(self) -> list:
        """Take the due rows for one claim period, committed before anything is sent."""
        table = self.tables.outgoing_mail
        now = utcnow()
        with unit_of_work(self.sessions) as session:
            rows = session.execute(self._due(now)).all()
            if rows:
                session.execute(sa.update(table).where(table.c.id.in_([r.id for r in rows]))
                                .values(next_attempt_at=now + timedelta(
                                    seconds=self.delivery.claim_seconds)))
        return rows

    def _record(self, row_id: int, **values) -> None:
        table = self.tables.outgoing_mail
        with unit_of_work(self.sessions) as session:
            session.execute(sa.update(table).where(table.c.id == row_id).values(**values))

    def _sent(self, row) -> None:
        # The body is emptied: it may hold a one-time token.
        self._record(row.id, sent_at=utcnow(), body=None, attempts=row.attempts + 1,
                     last_error=None)

    def _failed(self, row, code: str) -> None:
        # Never sent, never retried: its token is of no use either.
        self._record(row.id, failed_at=utcnow(), body=None, attempts=row.attempts + 1,
                     last_error=code)
        log.error("mail %s parked as failed (%s)", row.id, code)

    def _deferred(self, row, code: str) -> bool:
        """Back off this row; park it once it has had its attempts. True if parked."""
        attempts = row.attempts + 1
        if attempts >= self.delivery.max_attempts:
            self._failed(row, code)
            return True
        delay = min(self.delivery.retry_base_seconds * 2 ** (attempts - 1),
                    self.delivery.retry_max_seconds)
        self._record(row.id, attempts=attempts, last_error=code,
                     next_attempt_at=utcnow() + timedelta(seconds=delay))
        log.warning("mail %s deferred (%s), attempt %d, next in %.0f s", row.id, code,
                    attempts, delay)
        return False

    def _release(self, rows) -> None:
        """Claimed but not tried: due again at once (for this or another relay)."""
        if rows:
            table = self.tables.outgoing_mail
            with unit_of_work(self.sessions) as session:
                session.execute(sa.update(table).where(
                    table.c.id.in_([r.id for r in rows]), table.c.sent_at.is_(None),
                    table.c.failed_at.is_(None)).values(next_attempt_at=utcnow()))

    def deliver_batch(self) -> MailRound:
        """Deliver the due mail, each on its own. Raises MailServerUnavailable when the server
        cannot be reached: the rows not tried yet are released, and the loop backs off."""
        rows = self.claim()
        if not rows:
            return MailRound()
        # Stop well inside the claim: past it another relay may take these rows too.
        stop_at = time.monotonic() + self.delivery.claim_seconds / 2
        sent = deferred = failed = 0
        sender = transport(self.settings)
        try:
            for index, row in enumerate(rows):
                if time.monotonic() > stop_at:
                    self._release(rows[index:])
                    break
                try:
                    sender.send(build_message(self.settings, row.recipient, row.subject,
                                              row.body or "", self._message_key(row)))
                except MailServerDown as error:
                    self._release(rows[index:])
                    log.warning("mail server unavailable (%s); retrying in %.0f s", error.code,
                                RETRY_SECONDS)
                    raise MailServerUnavailable() from error
                except MailRejected as error:
                    self._failed(row, error.code)
                    failed += 1
                    continue
                except MailDeferred as error:
                    if self._deferred(row, error.code):
                        failed += 1
                    else:
                        deferred += 1
                    continue
                except ValueError as error:  # a header the email package refuses
                    self._failed(row, type(error).__name__)
                    failed += 1
                    continue
                self._sent(row)
                sent += 1
        finally:
            sender.close()
            for outcome, count in (("sent", sent), ("deferred", deferred), ("failed", failed)):
                if count:
                    MAIL.labels(self.service, outcome).inc(count)
        return MailRound(sent, deferred, failed)

    def step(self, now: float) -> int:
        """One round: how many mails were handled (0 while backing off after a failure)."""
        if now < self.retry_at:
            return 0
        try:
            return self.deliver_batch().handled
        except MailServerUnavailable:
            self.retry_at = now + RETRY_SECONDS
        except Exception:
            log.exception("relay for %s could not work through its mail queue", self.service)
            self.retry_at = now + 1.0
        return 0
