"""Assessment's in-memory unit of work: dict-backed repositories with the same methods as
services/assessment/persistence/repositories.py."""
from __future__ import annotations

from services.assessment.domain.eligibility import Decision
from tests.support.memory import InMemoryUnitOfWork


class InMemoryApplicationRepository:
    def __init__(self) -> None:
        self.rows: dict[str, Decision] = {}

    def get(self, application_id: str, for_update: bool = False) -> Decision | None:
        return self.rows.get(application_id)

    def save(self, decision: Decision) -> None:
        self.rows[decision.application_id] = decision


class InMemoryAssessmentUnitOfWork(InMemoryUnitOfWork):
    def __init__(self) -> None:
        super().__init__()
        self.applications = InMemoryApplicationRepository()
