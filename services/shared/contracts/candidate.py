"""The candidate as other services see them: one typed snapshot of the profile and the
uploaded documents, built once by registration and carried in its events.

The marshmallow schemas here are the wire form (both ends of an event load and dump with
them) and the only place a snapshot is converted: ``load`` gives the dataclasses, with a real
``date`` for the birth date; ``dump`` gives JSON.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import marshmallow as ma

from services.shared.contracts.vocabulary import STATEMENT_KEYS


@dataclass(frozen=True)
class Statements:
    """What the candidate declares (sehat, disiplin, bersedia dikontrak/dilatih, melek huruf)."""

    healthy: bool
    disciplined: bool
    willing_contract: bool
    willing_training: bool
    literate: bool


@dataclass(frozen=True)
class ProfileSnapshot:
    nik: str
    full_name: str
    sex: str  # "L" or "P"
    birth_date: date
    phone: str  # E.164
    email: str
    address: str
    kecamatan_code: str  # from the NIK
    kecamatan_name: str
    domicile_regency_code: str
    domicile_regency_name: str
    education: str  # an EDUCATION_LEVELS code
    occupation: str
    is_asn: bool
    has_other_institution_contract: bool
    has_bps_experience: bool
    has_capi_experience: bool
    owns_smartphone: bool
    can_use_computer: bool
    can_ride_motorbike: bool
    statements: Statements


@dataclass(frozen=True)
class DocumentSnapshot:
    kind: str
    sha256: str
    size: int
    content_type: str


class StatementsSchema(ma.Schema):
    healthy = ma.fields.Boolean(required=True)
    disciplined = ma.fields.Boolean(required=True)
    willing_contract = ma.fields.Boolean(required=True)
    willing_training = ma.fields.Boolean(required=True)
    literate = ma.fields.Boolean(required=True)

    @ma.post_load
    def _typed(self, data, **_):
        return Statements(**data)


assert tuple(StatementsSchema().fields) == STATEMENT_KEYS  # one vocabulary


class ProfileSnapshotSchema(ma.Schema):
    nik = ma.fields.String(required=True)
    full_name = ma.fields.String(required=True)
    sex = ma.fields.String(required=True)
    birth_date = ma.fields.Date(required=True)
    phone = ma.fields.String(required=True)
    email = ma.fields.String(required=True)
    address = ma.fields.String(required=True)
    kecamatan_code = ma.fields.String(required=True)
    kecamatan_name = ma.fields.String(required=True)
    domicile_regency_code = ma.fields.String(required=True)
    domicile_regency_name = ma.fields.String(required=True)
    education = ma.fields.String(required=True)
    occupation = ma.fields.String(required=True)
    is_asn = ma.fields.Boolean(required=True)
    has_other_institution_contract = ma.fields.Boolean(required=True)
    has_bps_experience = ma.fields.Boolean(required=True)
    has_capi_experience = ma.fields.Boolean(required=True)
    owns_smartphone = ma.fields.Boolean(required=True)
    can_use_computer = ma.fields.Boolean(required=True)
    can_ride_motorbike = ma.fields.Boolean(required=True)
    statements = ma.fields.Nested(StatementsSchema, required=True)

    @ma.post_load
    def _typed(self, data, **_):
        return ProfileSnapshot(**data)


class DocumentSnapshotSchema(ma.Schema):
    kind = ma.fields.String(required=True)
    sha256 = ma.fields.String(required=True)
    size = ma.fields.Integer(required=True)
    content_type = ma.fields.String(required=True)

    @ma.post_load
    def _typed(self, data, **_):
        return DocumentSnapshot(**data)
