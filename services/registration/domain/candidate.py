"""The candidate as the other services see them: the typed snapshot of the stored profile and
documents, built here once and carried as it is by registration's events."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Protocol

from services.shared.contracts import regions
from services.shared.contracts.candidate import DocumentSnapshot, ProfileSnapshot, Statements
from services.shared.contracts.vocabulary import STATEMENT_KEYS


class StoredProfile(Protocol):
    """A profile as registration stores it (see ``profile.stored_values``)."""

    nik: str
    full_name: str
    sex: str
    birth_date: date
    phone: str
    address: str
    kecamatan_code: str
    domicile_regency_code: str
    education: str
    occupation: str
    is_asn: bool
    has_other_institution_contract: bool
    has_bps_experience: bool
    has_capi_experience: bool
    owns_smartphone: bool
    can_use_computer: bool
    can_ride_motorbike: bool
    statements: Mapping[str, bool]


class StoredDocument(Protocol):
    kind: str
    sha256: str
    size: int
    content_type: str


# Both codes were checked when the profile was stored; a region dropped from the data set
# since then keeps its code and loses only its name.
def kecamatan_name(code: str) -> str:
    kecamatan = regions.kecamatan(code)
    return kecamatan.name if kecamatan else ""


def regency_name(code: str) -> str:
    regency = regions.regency(code)
    return regency.name if regency else ""


def profile_snapshot(profile: StoredProfile, email: str) -> ProfileSnapshot:
    """The candidate's snapshot, with the names of the kecamatan and the domicile regency."""
    return ProfileSnapshot(
        nik=profile.nik, full_name=profile.full_name, sex=profile.sex,
        birth_date=profile.birth_date, phone=profile.phone, email=email,
        address=profile.address, kecamatan_code=profile.kecamatan_code,
        kecamatan_name=kecamatan_name(profile.kecamatan_code),
        domicile_regency_code=profile.domicile_regency_code,
        domicile_regency_name=regency_name(profile.domicile_regency_code),
        education=profile.education, occupation=profile.occupation, is_asn=profile.is_asn,
        has_other_institution_contract=profile.has_other_institution_contract,
        has_bps_experience=profile.has_bps_experience,
        has_capi_experience=profile.has_capi_experience,
        owns_smartphone=profile.owns_smartphone, can_use_computer=profile.can_use_computer,
        can_ride_motorbike=profile.can_ride_motorbike,
        # Only a statement ticked true counts as made.
        statements=Statements(**{key: profile.statements.get(key) is True
                                 for key in STATEMENT_KEYS}),
    )


def document_snapshots(documents: Iterable[StoredDocument]) -> list[DocumentSnapshot]:
    return [DocumentSnapshot(kind=d.kind, sha256=d.sha256, size=d.size,
                             content_type=d.content_type) for d in documents]
