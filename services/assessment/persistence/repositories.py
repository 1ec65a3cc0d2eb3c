"""Assessment's queries, behind the unit of work; they speak in domain values."""
from __future__ import annotations

import dataclasses

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.assessment.domain.eligibility import Decision
from services.assessment.persistence.models import ApplicationRecord

_DECISION_FIELDS = tuple(field.name for field in dataclasses.fields(Decision))


class SqlApplicationRepository:
    """Each application's current administrative decision."""

    def __init__(self, session: Session):
        self.session = session

    def get(self, application_id: str, for_update: bool = False) -> Decision | None:
        # for_update: two decisions on one application are applied one after the other
        # (PostgreSQL row lock; SQLite transactions are serialized anyway). Two first
        # decisions racing to insert: the loser's primary-key violation fails its handler,
        # whose retry then finds the row and compares.
        query = sa.select(ApplicationRecord).where(
            ApplicationRecord.application_id == application_id)
        record = self.session.execute(
            query.with_for_update() if for_update else query).scalar_one_or_none()
        if record is None:
            return None
        return Decision(**{name: getattr(record, name) for name in _DECISION_FIELDS})

    def save(self, decision: Decision) -> None:
        self.session.merge(ApplicationRecord(**dataclasses.asdict(decision)))
