"""The candidate as the other services see them: the typed snapshot of the stored profile and
documents, built here once and carried as it is by registration's events."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields
from typing import Any

from services.shared.contracts import regions
from services.shared.contracts.candidate import DocumentSnapshot, ProfileSnapshot, Statements
from services.shared.contracts.vocabulary import STATEMENT_KEYS


# Both codes were checked when the profile was stored; a region dropped from the data set
# since then keeps its code and loses only its name.
def kecamatan_name(code: str) -> str:
    kecamatan = regions.kecamatan(code)
    return kecamatan.name if kecamatan else ""


def regency_name(code: str) -> str:
    regency = regions.regency(code)
    return regency.name if regency else ""


# What registration adds to the stored profile to make the snapshot.
_DERIVED = ("email", "kecamatan_name", "domicile_regency_name", "statements")
_STORED = tuple(f.name for f in fields(ProfileSnapshot) if f.name not in _DERIVED)


def profile_snapshot(profile: Any, email: str) -> ProfileSnapshot:
    """The candidate's snapshot from the stored profile (any object with the snapshot's
    stored fields as attributes), with the names of the kecamatan and the domicile regency."""
    return ProfileSnapshot(
        **{name: getattr(profile, name) for name in _STORED}, email=email,
        kecamatan_name=kecamatan_name(profile.kecamatan_code),
        domicile_regency_name=regency_name(profile.domicile_regency_code),
        # Only a statement ticked true counts as made.
        statements=Statements(**{key: profile.statements.get(key) is True
                                 for key in STATEMENT_KEYS}),
    )


def document_snapshots(documents: Iterable[Any]) -> list[DocumentSnapshot]:
    return [DocumentSnapshot(kind=d.kind, sha256=d.sha256, size=d.size,
                             content_type=d.content_type) for d in documents]
