"""Keeping selection's read model of applications from registration's events, with the
automatic checks computed on the registration date."""
from __future__ import annotations

from dataclasses import asdict, is_dataclass
from datetime import date, datetime, timedelta, timezone

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.selection.domain.decisions import after_profile_update
from services.selection.domain.eligibility import evaluate
from services.selection.persistence.models import ApplicationRecord, CandidateData
from services.selection.reviews import record_transition
from services.shared.platform.database import utcnow
from services.shared.contracts.requirements import parse_requirements
from services.shared.contracts.vocabulary import age_on

# "Age at registration" (the seeds) counts on the date of the satker's calendar; WIB is the
# clock BPS announcements use.
WIB = timezone(timedelta(hours=7), "WIB")
OPEN_STATUSES = ("pending", "needs_confirmation")


def registration_date(submitted_at: datetime) -> date:
    return submitted_at.astimezone(WIB).date()


def _stored_profile(profile: dict) -> dict:
    stored = dict(profile)
    stored["birth_date"] = profile["birth_date"].isoformat()
    return stored


def _review(record: ApplicationRecord, profile: dict, documents: list[dict],
            data_version: int) -> None:
    """(Re)compute age and checks from the snapshot: they inform, the admin decides."""
    registered_on = registration_date(record.submitted_at)
    checks = evaluate(parse_requirements(record.requirements), profile,
                      {d["kind"] for d in documents}, record.satker_code, registered_on)
    record.age = age_on(profile["birth_date"], registered_on)
    record.checks = checks.to_dict()
    record.profile = _stored_profile(profile)
    record.documents = documents
    record.data_version = data_version
    record.updated_at = utcnow()


def _candidate(session: Session, account_id: str) -> CandidateData:
    """The candidate's row, locked: the two handlers of one candidate take turns. Two first
    events racing to create it: one fails on the key and is retried by its handler."""
    candidate = session.get(CandidateData, account_id, with_for_update=True)
    if candidate is None:
        candidate = CandidateData(account_id=account_id, data_version=-1, profile=None,
                                  documents=[])
        session.add(candidate)
        session.flush()
    return candidate


def _remember(candidate: CandidateData, payload: dict) -> None:
    candidate.data_version = payload["data_version"]
    candidate.profile = _stored_profile(payload["profile"]) if payload["profile"] else None
    candidate.documents = payload["documents"]


def _newest(candidate: CandidateData, payload: dict) -> tuple[dict, list[dict], int]:
    """The application's snapshot, or the newer data a profile change already brought."""
    if candidate.data_version > payload["data_version"] and candidate.profile is not None:
        profile = dict(candidate.profile)
        profile["birth_date"] = date.fromisoformat(profile["birth_date"])
        return profile, candidate.documents, candidate.data_version
    return payload["profile"], payload["documents"], payload["data_version"]


def _as_dicts(payload: dict) -> dict:
    payload = dict(payload)
    if is_dataclass(payload["profile"]):
        payload["profile"] = asdict(payload["profile"])
    payload["documents"] = [asdict(d) if is_dataclass(d) else d for d in payload["documents"]]
    return payload


def record_submitted_application(session: Session, envelope: dict, payload: dict) -> None:
    payload = _as_dicts(payload)
    candidate = _candidate(session, payload["account_id"])
    profile, documents, data_version = _newest(candidate, payload)
    if data_version == payload["data_version"]:
        _remember(candidate, payload)
    record = ApplicationRecord(
        id=payload["application_id"], activity_id=payload["activity_id"],
        activity_name=payload["activity_name"], satker_code=payload["satker_code"],
        year=payload["year"], account_id=payload["account_id"],
        registration_number=payload["registration_number"],
        submitted_at=payload["submitted_at"], requirements=payload["requirements"],
        administrative_status="pending", received_at=utcnow())
    _review(record, profile, documents, data_version)
    session.add(record)


def follow_profile_update(session: Session, envelope: dict, payload: dict) -> None:
    """Open reviews follow the candidate's current data; one waiting for the candidate's
    confirmation goes back to pending. Decided ones keep what they were decided on."""
    payload = _as_dicts(payload)
    candidate = _candidate(session, payload["account_id"])
    if candidate.data_version >= payload["data_version"]:
        return  # an older change, overtaken on its way by newer data we hold
    _remember(candidate, payload)
    if payload["profile"] is None:
        return
    records = session.scalars(sa.select(ApplicationRecord).where(
        ApplicationRecord.account_id == payload["account_id"],
        ApplicationRecord.administrative_status.in_(OPEN_STATUSES)).with_for_update()).all()
    for record in records:
        if record.data_version >= payload["data_version"]:
            continue  # an older change, overtaken on its way by the snapshot we hold
        _review(record, payload["profile"], payload["documents"], payload["data_version"])
        transition = after_profile_update(record.administrative_status)
        if transition is not None:
            record_transition(session, record, transition, payload["account_id"], "mitra")
