"""Assessment's unit of work over one transaction: its repositories, its outbox and mail
queue, and the turn of the one replica that keeps time."""
from __future__ import annotations

from sqlalchemy.orm import Session

from services.assessment.persistence.models import platform_tables
from services.assessment.persistence.repositories import (
    SqlActivityRepository,
    SqlApplicationRepository,
    SqlAttemptRepository,
    SqlBookingRepository,
    SqlClock,
    SqlQuestionRepository,
    SqlSessionRepository,
)
from services.shared.platform.database import take_turn
from services.shared.platform.unit_of_work import SqlUnitOfWork

# The advisory lock of the timekeeper (heartbeat, outage credit, deadlines, no-shows).
TIMEKEEPER_LOCK = 0x7E57_C10C


class AssessmentUnitOfWork(SqlUnitOfWork):
    producer = "assessment"
    tables = platform_tables

    def __init__(self, session: Session):
        super().__init__(session)
        self.activities = SqlActivityRepository(session)
        self.applications = SqlApplicationRepository(session)
        self.questions = SqlQuestionRepository(session)
        self.sessions = SqlSessionRepository(session)
        self.bookings = SqlBookingRepository(session)
        self.attempts = SqlAttemptRepository(session)
        self.clock = SqlClock(session)

    def take_timekeeper_turn(self) -> bool:
        """Whether this replica keeps time in this transaction; one replica at a time does."""
        return take_turn(self.session, TIMEKEEPER_LOCK)
