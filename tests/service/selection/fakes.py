"""Selection's in-memory unit of work: dict-backed repositories with the same methods as
services/selection/persistence/repositories.py. The domain values are frozen, so what a
repository hands out cannot change what it holds: a use case that forgets to save loses its
change here as it would in the database."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from services.selection.domain.decisions import ApplicationStatus
from services.selection.domain.document_versions import SubmittedDocuments
from services.selection.domain.errors import AlreadyDecided
from services.selection.domain.final_selection import (
    CandidateFacts,
    FinalCriteria,
    FinalDecision,
    nik_digest,
)
from services.selection.domain.model import Activity, Application, AuditEntry, CandidateData
from services.shared.contracts.candidate import DocumentSnapshot
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

    def due_for_announcement(self, now: datetime, limit: int) -> list[Activity]:
        due = sorted((a for a in self.rows.values() if a.announcement_at is not None
                      and a.announcement_at <= now and a.announced_at is None),
                     key=lambda a: (a.announcement_at, a.id))
        return due[:limit]

    def mark_announced(self, activity_id: str, now: datetime) -> None:
        self.rows[activity_id] = replace(self.rows[activity_id], announced_at=now)


class InMemoryCandidateDataRepository:
    def __init__(self) -> None:
        self.rows: dict[str, CandidateData] = {}

    def lock(self, account_id: str) -> CandidateData:
        return self.rows.setdefault(account_id, CandidateData(account_id, -1, None, ()))

    def document_kinds(self, account_ids: Iterable[str]) -> dict[str, set[str]]:
        return {account_id: {d.kind for d in self.rows[account_id].documents}
                for account_id in account_ids if account_id in self.rows}

    def current_documents(self, account_ids: Iterable[str]
                          ) -> dict[str, tuple[DocumentSnapshot, ...]]:
        return {account_id: self.rows[account_id].documents
                for account_id in account_ids if account_id in self.rows}

    def save(self, data: CandidateData) -> None:
        self.rows[data.account_id] = data


class InMemoryApplicationRepository:
    def __init__(self, interview_scores=None, final_decisions=None, activities=None,
                 candidates=None) -> None:
        self.rows: dict[str, Application] = {}
        self._interviews = interview_scores
        self._decisions = final_decisions
        self._activities = activities
        self._candidates = candidates  # the candidate data the documents are joined with

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

    def documents_of_activity(self, activity_id: str, statuses: Iterable[str] | None
                              ) -> list[tuple[SubmittedDocuments, tuple[DocumentSnapshot, ...]]]:
        statuses = tuple(statuses) if statuses is not None else None
        held = self._candidates.rows if self._candidates is not None else {}
        return [(SubmittedDocuments(a.id, a.account_id, a.administrative_status, a.documents),
                 held[a.account_id].documents if a.account_id in held else ())
                for a in self.of_activity(activity_id)
                if statuses is None or a.administrative_status in statuses]

    def of_activity(self, activity_id: str) -> list[Application]:
        return sorted((a for a in self.rows.values() if a.activity_id == activity_id),
                      key=lambda a: a.registration_number)

    def ranking_facts(self, activity_id: str | None = None,
                      application_ids: Iterable[str] | None = None) -> list[CandidateFacts]:
        chosen = [a for a in self.rows.values()
                  if (activity_id is None or a.activity_id == activity_id)
                  and (application_ids is None or a.id in set(application_ids))]
        facts = []
        for a in chosen:
            decision = self._decisions.of_application(a.id) if self._decisions else None
            facts.append(CandidateFacts(
                application_id=a.id, registration_number=a.registration_number,
                full_name=a.profile.full_name, submitted_at=a.submitted_at,
                administrative_status=a.administrative_status,
                test_status=a.test.status if a.test else None,
                test_score=a.test.score if a.test else None,
                preferred_met=a.checks.preferred_score,
                preferred_total=a.checks.preferred_total,
                has_bps_experience=a.profile.has_bps_experience,
                education=a.profile.education,
                domicile_regency_code=a.profile.domicile_regency_code,
                satker_code=a.satker_code,
                interview=(self._interviews.of_application(a.id)
                           if self._interviews else None),
                performance=None, final_status=a.final_status,
                decision=decision.decision if decision else None))
        return facts

    def of_ids(self, application_ids: Iterable[str]) -> list[Application]:
        return sorted((self.rows[i] for i in set(application_ids) if i in self.rows),
                      key=lambda a: a.registration_number)

    def accounts_of(self, application_ids: Iterable[str]) -> dict[str, str]:
        return {i: self.rows[i].account_id for i in application_ids if i in self.rows}

    def _announced_mitra(self):
        """(application, announced_at) of every announced acceptance."""
        for a in self.rows.values():
            decision = self._decisions.of_application(a.id)
            activity = self._activities.get(a.activity_id)
            if decision and decision.decision == "accepted" and activity \
                    and activity.announced_at is not None:
                yield a, activity.announced_at

    def mitra_roster(self, nik_sha256: str, year: int) -> list[dict]:
        found = sorted(((at, a) for a, at in self._announced_mitra()
                        if nik_digest(a.profile.nik) == nik_sha256 and a.year == year),
                       key=lambda pair: (pair[0], pair[1].activity_id))
        return [{"satker_code": a.satker_code, "activity_id": a.activity_id,
                 "activity_name": a.activity_name, "announced_at": at} for at, a in found]

    def mitra_elsewhere(self, activity_id: str) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        mitra = list(self._announced_mitra())
        for own in self.of_activity(activity_id):
            satkers = sorted({a.satker_code for a, _ in mitra
                              if a.profile.nik == own.profile.nik and a.year == own.year
                              and a.activity_id != activity_id})
            if satkers:
                found[own.id] = satkers
        return found

    def set_final_status(self, application_ids: Iterable[str], status: str) -> None:
        for application_id in application_ids:
            self.rows[application_id] = replace(self.rows[application_id], final_status=status)

    def statuses_of(self, account_id: str,
                    application_ids: Iterable[str]) -> list[ApplicationStatus]:
        return [ApplicationStatus(a.id, a.administrative_status, a.administrative_reason,
                                  a.test.status if a.test else None,
                                  a.test.score if a.test else None, a.final_status,
                                  activity_id=a.activity_id)
                for application_id in set(application_ids)
                if (a := self.rows.get(application_id)) and a.account_id == account_id]


class InMemoryAuditTrail:
    def __init__(self) -> None:
        self.entries: list[AuditEntry] = []

    def add(self, entry: AuditEntry) -> None:
        self.entries.append(entry)

    def of_application(self, application_id: str) -> list[AuditEntry]:
        return [e for e in self.entries if e.application_id == application_id]


class InMemoryFinalCriteriaRepository:
    """The criteria and the counters, with the database's CHECK as an assertion."""

    def __init__(self) -> None:
        self.rows: dict[str, FinalCriteria] = {}
        self.counters: dict[str, tuple[int, int]] = {}

    def get(self, activity_id: str, for_update: bool = False) -> FinalCriteria | None:
        return self.rows.get(activity_id)

    def counts(self, activity_id: str) -> tuple[int, int]:
        return self.counters[activity_id]

    def save(self, activity_id: str, criteria: FinalCriteria, updated_by: str,
             now: datetime) -> None:
        self.rows[activity_id] = criteria
        self.counters.setdefault(activity_id, (0, 0))

    def take_places(self, activity_id: str, accepted: int, decided: int) -> bool:
        held_accepted, held_decided = self.counters[activity_id]
        if held_accepted + accepted > self.rows[activity_id].positions:
            return False
        self.counters[activity_id] = (held_accepted + accepted, held_decided + decided)
        return True


class InMemoryInterviewScores:
    def __init__(self) -> None:
        self.rows: dict[str, float] = {}

    def set(self, application_id: str, activity_id: str, score: float, entered_by: str,
            now: datetime) -> None:
        self.rows[application_id] = score

    def of_application(self, application_id: str) -> float | None:
        return self.rows.get(application_id)


class InMemoryFinalDecisions:
    def __init__(self) -> None:
        self.entries: list[FinalDecision] = []

    def add(self, decision: FinalDecision) -> None:
        if self.of_application(decision.application_id) is not None:
            raise AlreadyDecided()
        self.entries.append(decision)

    def of_application(self, application_id: str) -> FinalDecision | None:
        return next((e for e in self.entries if e.application_id == application_id), None)

    def of_activity(self, activity_id: str) -> list[FinalDecision]:
        return [e for e in self.entries if e.activity_id == activity_id]


class InMemorySelectionUnitOfWork(InMemoryUnitOfWork):
    def __init__(self) -> None:
        super().__init__()
        self.activities = InMemoryActivityRepository()
        self.candidates = InMemoryCandidateDataRepository()
        self.final_criteria = InMemoryFinalCriteriaRepository()
        self.interview_scores = InMemoryInterviewScores()
        self.final_decisions = InMemoryFinalDecisions()
        self.applications = InMemoryApplicationRepository(self.interview_scores,
                                                          self.final_decisions, self.activities,
                                                          self.candidates)
        self.decisions = InMemoryAuditTrail()
        self.announcer_turn_free = True

    def take_announcer_turn(self) -> bool:
        return self.announcer_turn_free
