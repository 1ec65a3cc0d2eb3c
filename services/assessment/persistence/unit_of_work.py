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

# The advisory locks of the timekeeper: closing attempts at their deadline and reporting
# no-shows (the nameko service); the heartbeat and outage credit (the attempt server). Two
# locks: a long closing run at a session's end must never hold the heartbeat back (a skipped
# beat after beat would read as an outage).
TIMEKEEPER_LOCK = 0x7E57_C10C
HEARTBEAT_LOCK = 0x7E57_BEA7


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
        """Whether this replica closes and reports in this transaction; one at a time does."""
        return take_turn(self.session, TIMEKEEPER_LOCK)

    def take_heartbeat_turn(self) -> bool:
        """Whether this replica beats in this transaction; one at a time does."""
        return take_turn(self.session, HEARTBEAT_LOCK)
