"""The mail side of a relay: delivers a service's queued mail (the outgoing_mail table) over
SMTP, or as .eml files when no SMTP server is configured."""
from __future__ import annotations

import logging

import sqlalchemy as sa

from services.shared.platform.config import MailSettings
from services.shared.platform.database import PlatformTables, is_postgres, unit_of_work, utcnow
from services.shared.platform.mail import build_message, deliver

log = logging.getLogger("relay.mail")

BATCH = 200
RETRY_SECONDS = 5.0


class MailServerUnavailable(Exception):
    pass


class MailRelay:
    def __init__(self, service: str, sessions, tables: PlatformTables, settings: MailSettings):
        self.service, self.sessions, self.tables = service, sessions, tables
        self.settings = settings
        self.retry_at = 0.0

    def _unsent(self):
        table = self.tables.outgoing_mail
        query = sa.select(table).where(table.c.sent_at.is_(None)).order_by(
            table.c.id).limit(BATCH)
        if is_postgres(self.sessions.kw["bind"]):
            query = query.with_for_update(skip_locked=True)
        return query

    def deliver_batch(self) -> int:
        """Deliver queued mail; returns how many went out. Stops at the first failure (the
        server is likely down): that mail stays queued, what went out is marked sent, and
        MailServerUnavailable tells the loop to back off."""
        table = self.tables.outgoing_mail
        delivered, failure = 0, None
        with unit_of_work(self.sessions) as session:
            rows = session.execute(self._unsent()).all()
            for row in rows:
                try:
                    deliver(self.settings, build_message(
                        self.settings, row.recipient, row.subject, row.body or ""))
                except Exception as error:
                    session.execute(sa.update(table).where(table.c.id == row.id).values(
                        attempts=table.c.attempts + 1, last_error=type(error).__name__))
                    failure = error
                    break
                session.execute(sa.update(table).where(table.c.id == row.id).values(
                    sent_at=utcnow(), body=None, attempts=table.c.attempts + 1))
                delivered += 1
        if failure is not None:
            log.warning("mail not delivered (%s); retrying in %.0f s",
                        type(failure).__name__, RETRY_SECONDS)
            raise MailServerUnavailable() from failure
        return delivered

    def step(self, now: float) -> int:
        """One round: how many mails went out (0 while backing off after a failure)."""
        if now < self.retry_at:
            return 0
        try:
            return self.deliver_batch()
        except MailServerUnavailable:
            self.retry_at = now + RETRY_SECONDS
        except Exception:
            log.exception("relay for %s could not read its mail queue", self.service)
            self.retry_at = now + 1.0
        return 0
