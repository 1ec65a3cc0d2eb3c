"""Registration's unit of work over one transaction: its repositories, its outbox and mail queue."""
from __future__ import annotations

import contextlib

from sqlalchemy.orm import Session

from services.registration.persistence.models import platform_tables
from services.registration.persistence.repositories import (
    AccountRepository,
    ActivationTokenRepository,
    ActivityRepository,
    ApplicationRepository,
    DocumentRepository,
    PasswordResetTokenRepository,
    ProfileRepository,
    ServiceTokenRepository,
)
from services.shared.platform.unit_of_work import SqlUnitOfWork


class RegistrationUnitOfWork(SqlUnitOfWork):
    producer = "registration"
    tables = platform_tables

    def __init__(self, session: Session):
        super().__init__(session)
        self.accounts = AccountRepository(session)
        self.activation_tokens = ActivationTokenRepository(session)
        self.password_reset_tokens = PasswordResetTokenRepository(session)
        self.service_tokens = ServiceTokenRepository(session)
        self.profiles = ProfileRepository(session)
        self.documents = DocumentRepository(session)
        self.activities = ActivityRepository(session)
        self.applications = ApplicationRepository(session)

    @contextlib.contextmanager
    def outside_transaction(self):
        """Slow work (a password hash) outside any transaction: what was read so far is
        committed (only reads may come before), and on SQLite the process's one-transaction-
        at-a-time lock (services/shared/platform/database.py) is let go meanwhile, so every
        other call of the service runs while argon2 does. The next query begins a new
        transaction, under the lock again."""
        self.session.commit()
        lock = getattr(self.session.get_bind(), "sqlite_transaction_lock", None)
        if lock is None or not lock._is_owned():
            yield
            return
        state = lock._release_save()  # as threading.Condition.wait does: fully, then back
        try:
            yield
        finally:
            lock._acquire_restore(state)
