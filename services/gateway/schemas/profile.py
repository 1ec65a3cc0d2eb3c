"""The gateway's bodies of the profile and documents routes (routes/profile.py)."""
from __future__ import annotations

from marshmallow import fields, validate

from services.gateway.schemas.base import IsoDate, Schema, StrictBoolean, text
from services.shared.contracts.vocabulary import DOCUMENT_KINDS, EDUCATION_LEVELS, SEXES


class StatementsBody(Schema):
    healthy = StrictBoolean(required=True)
    disciplined = StrictBoolean(required=True)
    willing_contract = StrictBoolean(required=True)
    willing_training = StrictBoolean(required=True)
    literate = StrictBoolean(required=True)


class ProfileBody(Schema):
    nik = fields.String(required=True, validate=validate.Length(max=32))
    full_name = text(200)
    sex = fields.String(required=True, validate=validate.OneOf(SEXES))
    birth_date = IsoDate(required=True)
    phone = text(30)
    address = text(500)
    domicile_regency_code = fields.String(
        required=True, validate=validate.Regexp(r"^\d{4}$", error="Use a 4-digit regency code."))
    education = fields.String(required=True, validate=validate.OneOf(EDUCATION_LEVELS))
    occupation = text(200)
    is_asn = StrictBoolean(required=True)
    has_other_institution_contract = StrictBoolean(required=True)
    has_bps_experience = StrictBoolean(required=True)
    has_capi_experience = StrictBoolean(required=True)
    owns_smartphone = StrictBoolean(required=True)
    can_use_computer = StrictBoolean(required=True)
    can_ride_motorbike = StrictBoolean(required=True)
    statements = fields.Nested(StatementsBody, required=True)


class ProfileOut(ProfileBody):
    domicile_regency_name = fields.String()
    kecamatan_code = fields.String()
    kecamatan_name = fields.String()
    updated_at = fields.String(metadata={"format": "date-time"})


class DocumentOut(Schema):
    kind = fields.String(metadata={"enum": list(DOCUMENT_KINDS)})
    sha256 = fields.String()
    size = fields.Integer()
    content_type = fields.String()
    uploaded_at = fields.String(metadata={"format": "date-time"})


class DocumentListOut(Schema):
    items = fields.List(fields.Nested(DocumentOut))


class RegionOut(Schema):
    code = fields.String(required=True)
    level = fields.String(required=True, validate=validate.OneOf(
        ("provinsi", "kabupaten_kota", "kecamatan")))
    name = fields.String(required=True)
    regency_code = fields.String(metadata={"description": "empty for a province"})
    regency_name = fields.String()
    province_code = fields.String(required=True)
    province_name = fields.String(required=True)
