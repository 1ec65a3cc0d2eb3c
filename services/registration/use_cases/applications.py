"""Applications: a candidate applies to an open activity with a complete profile and gets a
registration number; selection learns of it (``application_submitted``, with the candidate's
snapshot). An admin opens the documents of its own satker's applications. At the
announcement selection tells which applications were finally accepted
(``results_announced``): their candidates may then upload the pakta integritas."""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from services.registration.adapters.storage import DocumentStorage
from services.registration.domain import activity as rules
from services.registration.domain.candidate import document_snapshots, profile_snapshot
from services.registration.domain.errors import (
    ActivityUnknown,
    AlreadyApplied,
    ApplicationIncomplete,
    ApplicationUnknown,
    DocumentMissing,
    QuotaFull,
)
from services.shared.contracts.events import APPLICATION_SUBMITTED
from services.shared.contracts.identity import Identity
from services.shared.contracts.requirements import parse_requirements
from services.shared.platform.database import new_id, utcnow

if TYPE_CHECKING:
    from services.registration.persistence.models import Activity, Application
    from services.registration.persistence.unit_of_work import RegistrationUnitOfWork

log = logging.getLogger(__name__)


def _application_reply(application: Application, activity: Activity) -> dict:
    return {"id": application.id, "activity_id": application.activity_id,
            "registration_number": application.registration_number,
            "status": application.status, "submitted_at": application.submitted_at,
            "activity_name": activity.name, "satker_code": activity.satker_code}


def submit_application(uow: RegistrationUnitOfWork, identity: Identity,
                       activity_id: str) -> dict:
    now = utcnow()
    activity = uow.activities.get(activity_id)
    if activity is None:
        raise ActivityUnknown()
    if uow.applications.exists(activity.id, identity.account_id):
        raise AlreadyApplied()
    refusal = rules.window_refusal(activity.registration_opens_at,
                                   activity.registration_closes_at, now)
    if refusal:
        raise refusal
    account = uow.accounts.get(identity.account_id)
    profile = uow.profiles.get(identity.account_id)
    snapshot = profile_snapshot(profile, account.email) if profile else None
    documents = uow.documents.of_account(identity.account_id)
    missing = rules.missing_for_application(snapshot, {d.kind for d in documents},
                                            parse_requirements(activity.requirements))
    if missing:
        raise ApplicationIncomplete(missing)
    seq = uow.activities.take_place(activity.id)
    if seq is None:
        raise QuotaFull()
    application = uow.applications.add(
        id=new_id(), activity_id=activity.id, account_id=identity.account_id,
        registration_number=rules.registration_number(activity.satker_code, activity.year,
                                                      seq),
        status=rules.SUBMITTED, submitted_at=now)
    uow.applications.keep_documents(application.id, documents)
    uow.events.record(APPLICATION_SUBMITTED, {
        "application_id": application.id, "activity_id": activity.id,
        "activity_name": activity.name, "satker_code": activity.satker_code,
        "year": activity.year, "account_id": identity.account_id,
        "registration_number": application.registration_number, "submitted_at": now,
        "requirements": activity.requirements, "data_version": account.data_version,
        "profile": snapshot, "documents": document_snapshots(documents),
    })
    return _application_reply(application, activity)


def list_my_applications(uow: RegistrationUnitOfWork, identity: Identity) -> dict:
    return {"items": [_application_reply(application, activity) for application, activity
                      in uow.applications.of_account(identity.account_id)]}


def get_application_document(uow: RegistrationUnitOfWork, storage: DocumentStorage,
                             identity: Identity, application_id: str, kind: str) -> dict:
    """An admin opens a candidate's document, for an application of its own satker: the one
    submitted with the application (what was reviewed), whatever was uploaded since; a kind
    first uploaded after submitting (the pakta integritas after the announcement) as it is
    now. An application it may not see is as unknown as one that does not exist."""
    found = uow.applications.with_activity(application_id)
    if found is None or not identity.may_act_for_satker(found[1].satker_code):
        raise ApplicationUnknown()
    application, _ = found
    document = (uow.applications.document(application_id, kind)
                or uow.documents.get(application.account_id, kind))
    if document is None:
        raise DocumentMissing()
    return {"kind": kind, "content_type": document.content_type, "sha256": document.sha256,
            "content": storage.get(document.sha256)}


def record_announced_results(uow: RegistrationUnitOfWork, payload: dict) -> int:
    """Marks the applications ``results_announced`` names as finally accepted and
    announced (at ``announced_at``); returns how many were marked now. Idempotent: one marked
    already stays as it is, and an id that is no application of the activity is skipped."""
    accepted = [candidate["application_id"] for candidate in payload["accepted"]]
    marked = uow.applications.mark_accepted_announced(payload["activity_id"], accepted,
                                                      payload["announced_at"])
    log.info("results of activity %s announced: %d of %d accepted applications marked",
             payload["activity_id"], marked, len(accepted))
    return marked
