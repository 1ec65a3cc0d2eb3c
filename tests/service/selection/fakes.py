"""Selection's in-memory unit of work: dict-backed repositories with the same methods as
services/selection/persistence/repositories.py. The domain values are frozen, so what a
repository hands out cannot change what it holds: a use case that forgets to save loses its
change here as it would in the database."""
from __future__ import annotations

from collections.abc import Iterable

from services.selection.domain.decisions import ApplicationStatus
from services.selection.domain.model import Activity, Application, AuditEntry, CandidateData
from tests.support.memory import InMemoryUnitOfWork


class DuplicateKey(Exception):
    """What the database's primary key would refuse (the handler's retry then sorts it)."""


class InMemoryActivityRepository:
    def __init__(self) -> None:
        self.rows: dict[str, Activity] = {}

    def get(self, activity_id: str, for_update: bool = False) -> Activity | None:
        return self.rows.get(activity_id)

    def add(self, activity: Activity) -> None:
        if activity.id in self.rows:
            raise DuplicateKey(activity.id)
        self.rows[activity.id] = activity

    def save(self, activity: Activity) -> None:
        self.rows[activity.id] = activity


class InMemoryCandidateDataRepository:
    def __init__(self) -> None:
        self.rows: dict[str, CandidateData] = {}

    def lock(self, account_id: str) -> CandidateData:
        return self.rows.setdefault(account_id, CandidateData(account_id, -1, None, ()))

    def save(self, data: CandidateData) -> None:
        self.rows[data.account_id] = data


class InMemoryApplicationRepository:
    def __init__(self) -> None:
        self.rows: dict[str, Application] = {}

    def add(self, application: Application) -> None:
        if application.id in self.rows:
            raise DuplicateKey(application.id)
        self.rows[application.id] = application

    def save(self, application: Application) -> None:
        self.rows[application.id] = application

    def get(self, application_id: str, for_update: bool = False) -> Application | None:
        return self.rows.get(application_id)

    def open_of_candidate(self, account_id: str, statuses: Iterable[str]) -> list[Application]:
        statuses = tuple(statuses)
        return sorted((a for a in self.rows.values() if a.account_id == account_id
                       and a.administrative_status in statuses), key=lambda a: a.id)

    def page_of_activity(self, activity_id: str, status: str | None, page: int,
                         per_page: int) -> tuple[list[Application], int]:
        matching = [a for a in self.of_activity(activity_id)
                    if status is None or a.administrative_status == status]
        start = (page - 1) * per_page
        return matching[start:start + per_page], len(matching)

    def of_activity(self, activity_id: str) -> list[Application]:
        return sorted((a for a in self.rows.values() if a.activity_id == activity_id),
                      key=lambda a: a.registration_number)

    def statuses_of(self, account_id: str,
                    application_ids: Iterable[str]) -> list[ApplicationStatus]:
        return [ApplicationStatus(a.id, a.administrative_status, a.administrative_reason,
                                  a.test.status if a.test else None,
                                  a.test.score if a.test else None, a.final_status)
                for application_id in set(application_ids)
                if (a := self.rows.get(application_id)) and a.account_id == account_id]


class InMemoryAuditTrail:
    def __init__(self) -> None:
        self.entries: list[AuditEntry] = []

    def add(self, entry: AuditEntry) -> None:
        self.entries.append(entry)

    def of_application(self, application_id: str) -> list[AuditEntry]:
        return [e for e in self.entries if e.application_id == application_id]


class InMemorySelectionUnitOfWork(InMemoryUnitOfWork):
    def __init__(self) -> None:
        super().__init__()
        self.activities = InMemoryActivityRepository()
        self.candidates = InMemoryCandidateDataRepository()
        self.applications = InMemoryApplicationRepository()
        self.decisions = InMemoryAuditTrail()
