"""Assessment's unit of work over one transaction: its repositories, its outbox and mail
queue."""
from __future__ import annotations

from sqlalchemy.orm import Session

from services.assessment.persistence.models import platform_tables
from services.assessment.persistence.repositories import SqlApplicationRepository
from services.shared.platform.unit_of_work import SqlUnitOfWork


class AssessmentUnitOfWork(SqlUnitOfWork):
    producer = "assessment"
    tables = platform_tables

    def __init__(self, session: Session):
        super().__init__(session)
        self.applications = SqlApplicationRepository(session)
