"""Registration's unit of work over one transaction: its repositories, its outbox and mail queue."""
from __future__ import annotations

from sqlalchemy.orm import Session

from services.registration.persistence.models import platform_tables
from services.registration.persistence.repositories import (
    AccountRepository,
    ActivationTokenRepository,
    ActivityRepository,
    ApplicationRepository,
    DocumentRepository,
    ProfileRepository,
)
from services.shared.platform.unit_of_work import SqlUnitOfWork


class RegistrationUnitOfWork(SqlUnitOfWork):
    producer = "registration"
    tables = platform_tables

    def __init__(self, session: Session):
        super().__init__(session)
        self.accounts = AccountRepository(session)
        self.activation_tokens = ActivationTokenRepository(session)
        self.profiles = ProfileRepository(session)
        self.documents = DocumentRepository(session)
        self.activities = ActivityRepository(session)
        self.applications = ApplicationRepository(session)
