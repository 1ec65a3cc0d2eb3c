"""The event side of the read model: applications arriving from registration, and the
candidate's data changing under the reviews still open.

Registration's events travel on different queues, so an older profile change can arrive after
the application snapshot that already holds a newer one, or a newer one before the
application: the candidate data version decides, not the arrival order.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from services.selection.domain.decisions import OPEN_STATUSES, PENDING, after_profile_update
from services.selection.domain.eligibility import automatic_review
from services.selection.domain.model import Application, CandidateData
from services.selection.use_cases.transitions import record_transition


def record_submitted_application(uow, payload: dict) -> None:
    """An application_submitted event: the application enters the admin's queue as pending,
    with age and checks computed from the candidate's newest data selection holds."""
    held = uow.candidates.lock(payload["account_id"])
    # The documents stay as submitted: the bytes the admin opens (registration keeps them).
    submitted = tuple(payload["documents"])
    if held.data_version > payload["data_version"] and held.profile is not None:
        # A profile change overtook this snapshot on its way: review the newer data (a newer
        # document is shown beside the submitted one, reviews/document_versions).
        profile, documents, data_version = held.profile, held.documents, held.data_version
    else:
        profile, documents = payload["profile"], submitted
        data_version = payload["data_version"]
        if data_version >= held.data_version:
            uow.candidates.save(CandidateData(payload["account_id"], data_version, profile,
                                              documents))
    review = automatic_review(payload["requirements"], profile, documents,
                              payload["satker_code"], payload["submitted_at"])
    now = datetime.now(UTC)
    uow.applications.add(Application(
        id=payload["application_id"], activity_id=payload["activity_id"],
        activity_name=payload["activity_name"], satker_code=payload["satker_code"],
        year=payload["year"], account_id=payload["account_id"],
        registration_number=payload["registration_number"],
        submitted_at=payload["submitted_at"], requirements=payload["requirements"],
        profile=profile, documents=submitted, age=review.age, checks=review.checks,
        administrative_status=PENDING, administrative_reason=None,
        administrative_decided_at=None, received_at=now, data_version=data_version,
        updated_at=now))


def follow_profile_update(uow, payload: dict) -> None:
    """A profile_updated event: open reviews follow the candidate's current profile (their
    checks the current documents too), and one waiting for the candidate's confirmation goes
    back to pending if the change was made after the admin asked. Decided ones keep what they
    were decided on. Every application keeps the documents it was submitted with: a newer
    upload is shown beside them in the queue (domain/document_versions.py)."""
    account_id, data_version = payload["account_id"], payload["data_version"]
    held = uow.candidates.lock(account_id)
    if held.data_version >= data_version:
        return  # an older change, overtaken on its way by newer data we hold
    profile, documents = payload["profile"], tuple(payload["documents"])
    uow.candidates.save(CandidateData(account_id, data_version, profile, documents))
    if profile is None:
        return  # no profile yet: no application either
    # Every application was reviewed on data no newer than the candidate data held, which
    # this change is newer than.
    for application in uow.applications.open_of_candidate(account_id, OPEN_STATUSES):
        review = automatic_review(application.requirements, profile, documents,
                                  application.satker_code, application.submitted_at)
        reviewed = replace(application, profile=profile, age=review.age,
                           checks=review.checks, data_version=data_version,
                           updated_at=datetime.now(UTC))
        # When the change was made, not when it arrived: a change saved before the admin
        # asked for confirmation but delivered after it leaves the request standing.
        # ``updated_at`` is registration's clock, ``administrative_decided_at`` selection's:
        # a candidate answers only after reading the request mail, far longer after the
        # decision than the seconds NTP-kept hosts may differ.
        transition = after_profile_update(reviewed.administrative_status,
                                          payload["updated_at"],
                                          application.administrative_decided_at)
        if transition is None:
            uow.applications.save(reviewed)
        else:
            record_transition(uow, reviewed, transition, account_id, "mitra")
