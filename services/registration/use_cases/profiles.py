"""The candidate's own data: the profile and the uploaded documents. Every change tells
selection the candidate's current data (``profile_updated``), so open reviews follow it."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from services.registration.adapters.storage import DocumentStorage
from services.registration.domain import documents as document_rules
from services.registration.domain.candidate import (
    document_snapshots,
    kecamatan_name,
    profile_snapshot,
    regency_name,
)
from services.registration.domain.errors import (
    InvalidProfile,
    NikTaken,
    ProfileMissing,
    RegionUnknown,
)
from services.registration.domain.profile import PROFILE_FIELDS, profile_problems, stored_values
from services.registration.domain.regions import describe_region
from services.shared.contracts.events import PROFILE_UPDATED
from services.shared.contracts.identity import Identity
from services.shared.platform import config
from services.shared.platform.database import utcnow

if TYPE_CHECKING:
    from services.registration.persistence.models import Document, Profile
    from services.registration.persistence.unit_of_work import RegistrationUnitOfWork


def _profile_reply(profile: Profile) -> dict:
    reply = {field: getattr(profile, field) for field in PROFILE_FIELDS}
    reply["statements"] = dict(profile.statements)
    reply.update(kecamatan_code=profile.kecamatan_code,
                 kecamatan_name=kecamatan_name(profile.kecamatan_code),
                 domicile_regency_name=regency_name(profile.domicile_regency_code),
                 updated_at=profile.updated_at)
    return reply


def _document_reply(document: Document) -> dict:
    return {"kind": document.kind, "sha256": document.sha256, "size": document.size,
            "content_type": document.content_type, "uploaded_at": document.uploaded_at}


def _record_profile_updated(uow: RegistrationUnitOfWork, account_id: str,
                            updated_at: datetime) -> None:
    data_version = uow.accounts.bump_data_version(account_id)
    account = uow.accounts.get(account_id)
    profile = uow.profiles.get(account_id)
    uow.events.record(PROFILE_UPDATED, {
        "account_id": account_id, "updated_at": updated_at, "data_version": data_version,
        "profile": profile_snapshot(profile, account.email) if profile else None,
        "documents": document_snapshots(uow.documents.of_account(account_id)),
    })


def put_profile(uow: RegistrationUnitOfWork, identity: Identity,
                fields: Mapping[str, Any], now: datetime | None = None) -> dict:
    """``fields`` holds the profile as the candidate fills it in, ``birth_date`` a date;
    ``now`` the moment of saving (the clock by default)."""
    now = now or utcnow()
    problems = profile_problems(fields, now)
    if problems:
        raise InvalidProfile(problems)
    values = stored_values(fields)
    owner = uow.profiles.owner_of_nik(values["nik"])
    if owner is not None and owner != identity.account_id:
        raise NikTaken()
    profile = uow.profiles.save(identity.account_id, values, now)
    _record_profile_updated(uow, identity.account_id, now)
    return _profile_reply(profile)


def get_profile(uow: RegistrationUnitOfWork, identity: Identity) -> dict:
    profile = uow.profiles.get(identity.account_id)
    if profile is None:
        raise ProfileMissing()
    return _profile_reply(profile)


def put_document(uow: RegistrationUnitOfWork, storage: DocumentStorage, identity: Identity,
                 kind: str, content_type: str, content: bytes) -> dict:
    """Store an upload of ``kind``, its type judged from the bytes (``content_type`` is what
    the candidate declared). The pakta integritas only once an application of the candidate
    was finally accepted and announced."""
    document_rules.check_kind(kind)
    document_rules.check_upload_open(
        kind, kind == document_rules.PAKTA_INTEGRITAS
        and uow.applications.accepted_announced(identity.account_id))
    judged = document_rules.judge_upload(content, content_type, config.upload_max_bytes())
    now = utcnow()
    document = uow.documents.save(
        account_id=identity.account_id, kind=kind, sha256=storage.put(content),
        size=len(content), content_type=judged, uploaded_at=now)
    _record_profile_updated(uow, identity.account_id, now)
    return _document_reply(document)


def list_documents(uow: RegistrationUnitOfWork, identity: Identity) -> dict:
    return {"items": [_document_reply(d) for d in uow.documents.of_account(identity.account_id)]}


def region(code: str) -> dict:
    """A region code's names (public reference data: no unit of work)."""
    described = describe_region(code)
    if described is None:
        raise RegionUnknown()
    return described
