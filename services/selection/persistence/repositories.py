"""Selection's queries, behind the unit of work; they speak in the domain's values.

The JSON columns hold the candidate snapshot in its wire form: dumped with the contract's
schemas when stored, loaded back typed when read, here and nowhere else.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from services.selection.domain.assessment_results import CompetencyTestResult
from services.selection.domain.decisions import ApplicationStatus
from services.selection.domain.document_versions import SubmittedDocuments
from services.selection.domain.eligibility import Checks
from services.selection.domain.errors import AlreadyDecided, CriteriaLocked
from services.selection.domain.final_selection import (
    ACCEPTED,
    CandidateFacts,
    FinalCriteria,
    FinalDecision,
    nik_digest,
)
from services.selection.domain.model import Activity, Application, AuditEntry, CandidateData
from services.selection.persistence.models import (
    ActivityRecord,
    AdministrativeDecision,
    ApplicationRecord,
    FinalCriteriaRecord,
    FinalDecisionRecord,
    InterviewScoreRecord,
)
from services.selection.persistence.models import CandidateData as CandidateDataRecord
from services.shared.contracts.candidate import (
    DocumentSnapshot,
    DocumentSnapshotSchema,
    ProfileSnapshotSchema,
)

_PROFILE = ProfileSnapshotSchema()
_DOCUMENTS = DocumentSnapshotSchema(many=True)
_ACTIVITY_FIELDS = tuple(field.name for field in dataclasses.fields(Activity))
# The test result is kept flat, in the test_* columns (test_status, test_score, ...).
_APPLICATION_FIELDS = tuple(field.name for field in dataclasses.fields(Application)
                            if field.name != "test")
_TEST_FIELDS = tuple(field.name for field in dataclasses.fields(CompetencyTestResult))
_AUDIT_FIELDS = tuple(field.name for field in dataclasses.fields(AuditEntry))


class SqlActivityRepository:
    def __init__(self, session: Session):
        self.session = session

    def get(self, activity_id: str, for_update: bool = False) -> Activity | None:
        # for_update: the two activity events of one activity are applied one after the
        # other. Two first events racing to insert: the loser's primary-key violation fails
        # its handler, whose retry then finds the row and compares versions.
        row = self.session.get(ActivityRecord, activity_id, with_for_update=for_update)
        if row is None:
            return None
        return Activity(**{name: getattr(row, name) for name in _ACTIVITY_FIELDS})

    def add(self, activity: Activity) -> None:
        self.session.add(ActivityRecord(**dataclasses.asdict(activity)))

    def save(self, activity: Activity) -> None:
        self.session.merge(ActivityRecord(**dataclasses.asdict(activity)))

    def due_for_announcement(self, now: datetime, limit: int) -> list[Activity]:
        """Activities whose announcement time has come and that are not announced yet,
        locked (the earliest first)."""
        rows = self.session.scalars(sa.select(ActivityRecord).where(
            ActivityRecord.announcement_at <= now, ActivityRecord.announced_at.is_(None))
            .order_by(ActivityRecord.announcement_at, ActivityRecord.id).limit(limit)
            .with_for_update()).all()
        return [Activity(**{name: getattr(row, name) for name in _ACTIVITY_FIELDS})
                for row in rows]

    def mark_announced(self, activity_id: str, now: datetime) -> None:
        self.session.execute(sa.update(ActivityRecord).where(
            ActivityRecord.id == activity_id).values(announced_at=now))


class SqlCandidateDataRepository:
    def __init__(self, session: Session):
        self.session = session

    def lock(self, account_id: str) -> CandidateData:
        """The candidate's data, locked: the two handlers of one candidate take turns. A
        candidate not heard of yet gets an empty row (two first events racing to create it:
        one fails on the key and is retried by its handler)."""
        row = self.session.get(CandidateDataRecord, account_id, with_for_update=True)
        if row is None:
            row = CandidateDataRecord(account_id=account_id, data_version=-1, profile=None,
                                      documents=[])
            self.session.add(row)
            self.session.flush()
        return CandidateData(
            account_id=row.account_id, data_version=row.data_version,
            profile=_PROFILE.load(row.profile) if row.profile is not None else None,
            documents=tuple(_DOCUMENTS.load(row.documents)))

    def document_kinds(self, account_ids: Iterable[str]) -> dict[str, set[str]]:
        """The kinds of document each of these candidates has uploaded (newest data held)."""
        rows = self.session.execute(sa.select(
            CandidateDataRecord.account_id, CandidateDataRecord.documents).where(
            CandidateDataRecord.account_id.in_(tuple(account_ids)))).all()
        return {row.account_id: {document["kind"] for document in row.documents or ()}
                for row in rows}

    def current_documents(self, account_ids: Iterable[str]
                          ) -> dict[str, tuple[DocumentSnapshot, ...]]:
        """The documents each of these candidates has now (newest data held), unlocked."""
        rows = self.session.execute(sa.select(
            CandidateDataRecord.account_id, CandidateDataRecord.documents).where(
            CandidateDataRecord.account_id.in_(tuple(account_ids)))).all()
        return {row.account_id: tuple(_DOCUMENTS.load(row.documents or [])) for row in rows}

    def save(self, data: CandidateData) -> None:
        self.session.merge(CandidateDataRecord(
            account_id=data.account_id, data_version=data.data_version,
            profile=_PROFILE.dump(data.profile) if data.profile is not None else None,
            documents=_DOCUMENTS.dump(data.documents)))


def _flat_documents(stored: list[dict]) -> tuple[DocumentSnapshot, ...]:
    """Document snapshots from their wire form (flat, written by the contract's schema) without
    the schema: the re-review filter reads thousands, where a schema load costs a second."""
    return tuple(DocumentSnapshot(d["kind"], d["sha256"], d["size"], d["content_type"])
                 for d in stored)


def _application(row: ApplicationRecord) -> Application:
    values = {name: getattr(row, name) for name in _APPLICATION_FIELDS}
    values.update(profile=_PROFILE.load(row.profile),
                  documents=tuple(_DOCUMENTS.load(row.documents)),
                  checks=Checks.from_dict(row.checks),
                  test=CompetencyTestResult(**{name: getattr(row, f"test_{name}")
                                               for name in _TEST_FIELDS})
                  if row.test_status is not None else None)
    return Application(**values)


def _row(application: Application) -> ApplicationRecord:
    values = {name: getattr(application, name) for name in _APPLICATION_FIELDS}
    values.update(requirements=dict(application.requirements),
                  profile=_PROFILE.dump(application.profile),
                  documents=_DOCUMENTS.dump(application.documents),
                  checks=application.checks.to_dict(),
                  # The ranking's columns, from the same snapshot and checks.
                  full_name=application.profile.full_name,
                  education=application.profile.education,
                  has_bps_experience=application.profile.has_bps_experience,
                  domicile_regency_code=application.profile.domicile_regency_code,
                  preferred_met=application.checks.preferred_score,
                  preferred_total=application.checks.preferred_total,
                  nik_sha256=nik_digest(application.profile.nik))
    test = application.test
    values.update({f"test_{name}": getattr(test, name) if test is not None else None
                   for name in _TEST_FIELDS})
    return ApplicationRecord(**values)


class SqlApplicationRepository:
    def __init__(self, session: Session):
        self.session = session

    def add(self, application: Application) -> None:
        self.session.add(_row(application))

    def save(self, application: Application) -> None:
        self.session.merge(_row(application))

    def get(self, application_id: str, for_update: bool = False) -> Application | None:
        row = self.session.get(ApplicationRecord, application_id, with_for_update=for_update)
        return _application(row) if row is not None else None

    def open_of_candidate(self, account_id: str, statuses: Iterable[str]) -> list[Application]:
        """The candidate's applications in one of ``statuses``, locked for a change."""
        rows = self.session.scalars(sa.select(ApplicationRecord).where(
            ApplicationRecord.account_id == account_id,
            ApplicationRecord.administrative_status.in_(tuple(statuses)))
            .order_by(ApplicationRecord.id).with_for_update()).all()
        return [_application(row) for row in rows]

    def page_of_activity(self, activity_id: str, status: str | None, page: int,
                         per_page: int) -> tuple[list[Application], int]:
        """One page of an activity's applications (in registration-number order), and how
        many there are in all; ``status`` None for every status."""
        query = sa.select(ApplicationRecord).where(ApplicationRecord.activity_id == activity_id)
        if status is not None:
            query = query.where(ApplicationRecord.administrative_status == status)
        total = self.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
        rows = self.session.scalars(query.order_by(ApplicationRecord.registration_number)
                                    .offset((page - 1) * per_page).limit(per_page)).all()
        return [_application(row) for row in rows], total

    def documents_of_activity(self, activity_id: str, statuses: Iterable[str] | None
                              ) -> list[tuple[SubmittedDocuments, tuple[DocumentSnapshot, ...]]]:
        """The submitted and the candidate's current documents of an activity's applications
        (in registration-number order; ``statuses`` None for every status): what the queue's
        re-review filter reads, without the rest of each application."""
        query = sa.select(
            ApplicationRecord.id, ApplicationRecord.account_id,
            ApplicationRecord.administrative_status, ApplicationRecord.documents,
            CandidateDataRecord.documents.label("current")).outerjoin(
            CandidateDataRecord, CandidateDataRecord.account_id == ApplicationRecord.account_id
        ).where(ApplicationRecord.activity_id == activity_id)
        if statuses is not None:
            query = query.where(ApplicationRecord.administrative_status.in_(tuple(statuses)))
        rows = self.session.execute(query.order_by(ApplicationRecord.registration_number)).all()
        return [(SubmittedDocuments(row.id, row.account_id, row.administrative_status,
                                    _flat_documents(row.documents)),
                 _flat_documents(row.current or [])) for row in rows]

    def of_activity(self, activity_id: str) -> list[Application]:
        """Every application of an activity, in registration-number order."""
        rows = self.session.scalars(sa.select(ApplicationRecord).where(
            ApplicationRecord.activity_id == activity_id).order_by(
            ApplicationRecord.registration_number)).all()
        return [_application(row) for row in rows]

    def ranking_facts(self, activity_id: str | None = None,
                      application_ids: Iterable[str] | None = None) -> list[CandidateFacts]:
        """What the ranking needs of the applications of an activity (or of the given ids),
        read from the ranking's own columns: thousands at once, without loading a snapshot.
        Interview scores and final decisions are joined in."""
        record = ApplicationRecord
        query = sa.select(
            record.id, record.registration_number, record.submitted_at,
            record.administrative_status, record.test_status, record.test_score,
            record.satker_code, record.final_status, record.full_name, record.education,
            record.has_bps_experience, record.domicile_regency_code, record.preferred_met,
            record.preferred_total,
            InterviewScoreRecord.score.label("interview"),
            FinalDecisionRecord.decision,
        ).outerjoin(InterviewScoreRecord,
                    InterviewScoreRecord.application_id == ApplicationRecord.id
                    ).outerjoin(FinalDecisionRecord,
                                FinalDecisionRecord.application_id == ApplicationRecord.id)
        if activity_id is not None:
            query = query.where(ApplicationRecord.activity_id == activity_id)
        if application_ids is not None:
            query = query.where(ApplicationRecord.id.in_(tuple(application_ids)))
        return [CandidateFacts(
            application_id=row.id, registration_number=row.registration_number,
            full_name=row.full_name, submitted_at=row.submitted_at,
            administrative_status=row.administrative_status, test_status=row.test_status,
            test_score=row.test_score, preferred_met=row.preferred_met,
            preferred_total=row.preferred_total,
            has_bps_experience=bool(row.has_bps_experience), education=row.education,
            domicile_regency_code=row.domicile_regency_code,
            satker_code=row.satker_code, interview=row.interview, performance=None,
            final_status=row.final_status, decision=row.decision)
            for row in self.session.execute(query)]

    def of_ids(self, application_ids: Iterable[str]) -> list[Application]:
        """The applications with these ids, in registration-number order."""
        rows = self.session.scalars(sa.select(ApplicationRecord).where(
            ApplicationRecord.id.in_(tuple(application_ids))).order_by(
            ApplicationRecord.registration_number)).all()
        return [_application(row) for row in rows]

    def accounts_of(self, application_ids: Iterable[str]) -> dict[str, str]:
        """The candidate (account id) of each of these applications."""
        return dict(self.session.execute(sa.select(
            ApplicationRecord.id, ApplicationRecord.account_id).where(
            ApplicationRecord.id.in_(tuple(application_ids)))).tuples().all())

    def mitra_roster(self, nik_sha256: str, year: int) -> list[dict]:
        """Where the person with this NIK digest was announced accepted as mitra in ``year``:
        satker, activity and when, the earliest first."""
        rows = self.session.execute(sa.select(
            ApplicationRecord.satker_code, ApplicationRecord.activity_id,
            ApplicationRecord.activity_name, ActivityRecord.announced_at)
            .join(FinalDecisionRecord, FinalDecisionRecord.application_id == ApplicationRecord.id)
            .join(ActivityRecord, ActivityRecord.id == ApplicationRecord.activity_id)
            .where(ApplicationRecord.nik_sha256 == nik_sha256, ApplicationRecord.year == year,
                   FinalDecisionRecord.decision == ACCEPTED,
                   ActivityRecord.announced_at.is_not(None))
            .order_by(ActivityRecord.announced_at, ApplicationRecord.activity_id)).all()
        return [{"satker_code": row.satker_code, "activity_id": row.activity_id,
                 "activity_name": row.activity_name, "announced_at": row.announced_at}
                for row in rows]

    def mitra_elsewhere(self, activity_id: str) -> dict[str, list[str]]:
        """For the applications of an activity: the other satker whose announced results
        accepted the same person (by NIK digest) as mitra in the same year."""
        own, other = aliased(ApplicationRecord), aliased(ApplicationRecord)
        rows = self.session.execute(
            sa.select(own.id, other.satker_code).distinct()
            .join(other, sa.and_(other.nik_sha256 == own.nik_sha256, other.year == own.year,
                                 other.activity_id != own.activity_id))
            .join(FinalDecisionRecord, FinalDecisionRecord.application_id == other.id)
            .join(ActivityRecord, ActivityRecord.id == other.activity_id)
            .where(own.activity_id == activity_id, FinalDecisionRecord.decision == ACCEPTED,
                   ActivityRecord.announced_at.is_not(None))
            .order_by(own.id, other.satker_code)).all()
        found: dict[str, list[str]] = {}
        for application_id, satker_code in rows:
            found.setdefault(application_id, []).append(satker_code)
        return found

    def set_final_status(self, application_ids: Iterable[str], status: str) -> None:
        ids = tuple(application_ids)
        if ids:
            self.session.execute(sa.update(ApplicationRecord).where(
                ApplicationRecord.id.in_(ids)).values(final_status=status))

    def statuses_of(self, account_id: str,
                    application_ids: Iterable[str]) -> list[ApplicationStatus]:
        """The statuses of those of ``application_ids`` that are the candidate's."""
        rows = self.session.execute(sa.select(
            ApplicationRecord.id, ApplicationRecord.administrative_status,
            ApplicationRecord.administrative_reason, ApplicationRecord.test_status,
            ApplicationRecord.test_score, ApplicationRecord.final_status,
            ApplicationRecord.activity_id).where(
            ApplicationRecord.account_id == account_id,
            ApplicationRecord.id.in_(tuple(application_ids)))).all()
        return [ApplicationStatus(row.id, row.administrative_status, row.administrative_reason,
                                  row.test_status, row.test_score, row.final_status,
                                  activity_id=row.activity_id)
                for row in rows]


class SqlAuditTrail:
    """Append-only: nothing here changes or deletes an entry (on PostgreSQL a trigger also
    refuses both)."""

    def __init__(self, session: Session):
        self.session = session

    def add(self, entry: AuditEntry) -> None:
        self.session.add(AdministrativeDecision(**dataclasses.asdict(entry)))

    def of_application(self, application_id: str) -> list[AuditEntry]:
        """The entries of one application, oldest first."""
        rows = self.session.scalars(sa.select(AdministrativeDecision).where(
            AdministrativeDecision.application_id == application_id).order_by(
            AdministrativeDecision.id)).all()
        return [AuditEntry(**{name: getattr(row, name) for name in _AUDIT_FIELDS})
                for row in rows]


class SqlFinalCriteriaRepository:
    """The final criteria of each activity, with the counter of the accepted."""

    def __init__(self, session: Session):
        self.session = session

    def get(self, activity_id: str, for_update: bool = False) -> FinalCriteria | None:
        row = self.session.get(FinalCriteriaRecord, activity_id, with_for_update=for_update)
        if row is None:
            return None
        return FinalCriteria(row.positions, dict(row.weights), row.min_test_score,
                             row.disclose_scores)

    def counts(self, activity_id: str) -> tuple[int, int]:
        """(accepted, decided) so far."""
        row = self.session.execute(sa.select(
            FinalCriteriaRecord.accepted, FinalCriteriaRecord.decided).where(
            FinalCriteriaRecord.activity_id == activity_id)).one()
        return row.accepted, row.decided

    def save(self, activity_id: str, criteria: FinalCriteria, updated_by: str,
             now: datetime) -> None:
        """Set the criteria (the counters stay)."""
        values = {"positions": criteria.positions, "weights": dict(criteria.weights),
                  "min_test_score": criteria.min_test_score,
                  "disclose_scores": criteria.disclose_scores, "updated_by": updated_by,
                  "updated_at": now}
        row = self.session.get(FinalCriteriaRecord, activity_id)
        if row is None:
            try:
                with self.session.begin_nested():
                    self.session.add(FinalCriteriaRecord(activity_id=activity_id, accepted=0,
                                                         decided=0, **values))
                return
            except IntegrityError:
                # Another admin's first criteria for the activity committed meanwhile: a PUT
                # sets state, so these go over them, on the row now locked, unless a
                # decision already counted against them.
                row = self.session.get(FinalCriteriaRecord, activity_id, with_for_update=True,
                                       populate_existing=True)
                if row.decided > 0:
                    raise CriteriaLocked() from None
        for name, value in values.items():
            setattr(row, name, value)

    def take_places(self, activity_id: str, accepted: int, decided: int) -> bool:
        """Count ``decided`` decisions, ``accepted`` of them acceptances, if the positions
        allow them: the condition and the increment are one statement, so concurrent
        decisions queue on the row and the last position goes to one of them."""
        taken = self.session.execute(
            sa.update(FinalCriteriaRecord)
            .where(FinalCriteriaRecord.activity_id == activity_id,
                   FinalCriteriaRecord.accepted + accepted <= FinalCriteriaRecord.positions)
            .values(accepted=FinalCriteriaRecord.accepted + accepted,
                    decided=FinalCriteriaRecord.decided + decided))
        return taken.rowcount == 1


class SqlInterviewScores:
    def __init__(self, session: Session):
        self.session = session

    def set(self, application_id: str, activity_id: str, score: float, entered_by: str,
            now: datetime) -> None:
        self.session.merge(InterviewScoreRecord(
            application_id=application_id, activity_id=activity_id, score=score,
            entered_by=entered_by, entered_at=now))

    def of_application(self, application_id: str) -> float | None:
        return self.session.scalar(sa.select(InterviewScoreRecord.score).where(
            InterviewScoreRecord.application_id == application_id))


_FINAL_DECISION_FIELDS = tuple(field.name for field in dataclasses.fields(FinalDecision))


class SqlFinalDecisions:
    """The committee's final decisions: one per application, append-only."""

    def __init__(self, session: Session):
        self.session = session

    def add(self, decision: FinalDecision) -> None:
        self.session.add(FinalDecisionRecord(**dataclasses.asdict(decision)))
        try:
            self.session.flush()
        except IntegrityError:
            # Another decision on this application committed first (the unique key).
            raise AlreadyDecided() from None

    def of_application(self, application_id: str) -> FinalDecision | None:
        row = self.session.scalar(sa.select(FinalDecisionRecord).where(
            FinalDecisionRecord.application_id == application_id))
        return None if row is None else FinalDecision(
            **{name: getattr(row, name) for name in _FINAL_DECISION_FIELDS})

    def of_activity(self, activity_id: str) -> list[FinalDecision]:
        """The decisions of an activity, oldest first."""
        rows = self.session.scalars(sa.select(FinalDecisionRecord).where(
            FinalDecisionRecord.activity_id == activity_id).order_by(
            FinalDecisionRecord.id)).all()
        return [FinalDecision(**{name: getattr(row, name) for name in _FINAL_DECISION_FIELDS})
                for row in rows]
