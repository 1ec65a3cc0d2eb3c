"""Selection's unit of work over one transaction: its repositories, its outbox and mail queue."""
from __future__ import annotations

from sqlalchemy.orm import Session

from services.selection.persistence.models import platform_tables
from services.selection.persistence.repositories import (
    SqlActivityRepository,
    SqlApplicationRepository,
    SqlAuditTrail,
    SqlCandidateDataRepository,
)
from services.shared.platform.unit_of_work import SqlUnitOfWork


class SelectionUnitOfWork(SqlUnitOfWork):
    producer = "selection"
    tables = platform_tables

    def __init__(self, session: Session):
        super().__init__(session)
        self.activities = SqlActivityRepository(session)
        self.candidates = SqlCandidateDataRepository(session)
        self.applications = SqlApplicationRepository(session)
        self.decisions = SqlAuditTrail(session)
