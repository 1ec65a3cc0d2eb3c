"""Selection's unit of work over one transaction: its repositories, its outbox and mail queue,
and the turn of the one replica that announces results."""
from __future__ import annotations

from sqlalchemy.orm import Session

from services.selection.persistence.models import platform_tables
from services.selection.persistence.repositories import (
    SqlActivityRepository,
    SqlApplicationRepository,
    SqlAuditTrail,
    SqlCandidateDataRepository,
    SqlFinalCriteriaRepository,
    SqlFinalDecisions,
    SqlInterviewScores,
)
from services.shared.platform.database import take_turn
from services.shared.platform.unit_of_work import SqlUnitOfWork

# The advisory lock of the announcement timer (one replica announces at a time).
ANNOUNCER_LOCK = 0x5E1E_C7ED


class SelectionUnitOfWork(SqlUnitOfWork):
    producer = "selection"
    tables = platform_tables

    def __init__(self, session: Session):
        super().__init__(session)
        self.activities = SqlActivityRepository(session)
        self.candidates = SqlCandidateDataRepository(session)
        self.applications = SqlApplicationRepository(session)
        self.decisions = SqlAuditTrail(session)
        self.final_criteria = SqlFinalCriteriaRepository(session)
        self.interview_scores = SqlInterviewScores(session)
        self.final_decisions = SqlFinalDecisions(session)

    def take_announcer_turn(self) -> bool:
        """Whether this replica announces in this transaction; one replica at a time does."""
        return take_turn(self.session, ANNOUNCER_LOCK)
