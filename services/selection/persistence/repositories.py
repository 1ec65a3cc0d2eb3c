"""Selection's queries, behind the unit of work; they speak in the domain's values.

The JSON columns hold the candidate snapshot in its wire form: dumped with the contract's
schemas when stored, loaded back typed when read, here and nowhere else.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.selection.domain.assessment_results import CompetencyTestResult
from services.selection.domain.decisions import ApplicationStatus
from services.selection.domain.eligibility import Checks
from services.selection.domain.model import Activity, Application, AuditEntry, CandidateData
from services.selection.persistence.models import (
    ActivityRecord,
    AdministrativeDecision,
    ApplicationRecord,
)
from services.selection.persistence.models import CandidateData as CandidateDataRecord
from services.shared.contracts.candidate import DocumentSnapshotSchema, ProfileSnapshotSchema

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

    def save(self, data: CandidateData) -> None:
        self.session.merge(CandidateDataRecord(
            account_id=data.account_id, data_version=data.data_version,
            profile=_PROFILE.dump(data.profile) if data.profile is not None else None,
            documents=_DOCUMENTS.dump(data.documents)))


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
                  checks=application.checks.to_dict())
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

    def of_activity(self, activity_id: str) -> list[Application]:
        """Every application of an activity, in registration-number order."""
        rows = self.session.scalars(sa.select(ApplicationRecord).where(
            ApplicationRecord.activity_id == activity_id).order_by(
            ApplicationRecord.registration_number)).all()
        return [_application(row) for row in rows]

    def statuses_of(self, account_id: str,
                    application_ids: Iterable[str]) -> list[ApplicationStatus]:
        """The statuses of those of ``application_ids`` that are the candidate's."""
        rows = self.session.execute(sa.select(
            ApplicationRecord.id, ApplicationRecord.administrative_status,
            ApplicationRecord.administrative_reason, ApplicationRecord.test_status,
            ApplicationRecord.test_score, ApplicationRecord.final_status).where(
            ApplicationRecord.account_id == account_id,
            ApplicationRecord.id.in_(tuple(application_ids)))).all()
        return [ApplicationStatus(row.id, row.administrative_status, row.administrative_reason,
                                  row.test_status, row.test_score, row.final_status)
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
