"""marshmallow schemas of the gateway's HTTP bodies: they validate every request (unknown
fields -> 422, JSON types checked strictly) and are the source of the OpenAPI document.
Field names are API.md's."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

EDUCATION = ("SD", "SMP", "SMA", "D1", "D2", "D3", "D4", "S1", "S2", "S3")
ROLES_CREATED_BY_SUPERADMIN = ("admin_satker", "pembina", "sekretariat", "superadmin")
RULES = ("mandatory", "preferred")
DOCUMENT_KINDS = ("photo", "ktp", "ijazah", "cv", "phone_spec", "application_letter",
                  "pakta_integritas")
SATKER_CODE = validate.Regexp(r"^\d{4}$", error="Use the 4-digit BPS satker code.")


class StrictBoolean(fields.Boolean):
    """JSON true/false only: "yes", 1 or "true" are a client bug, not a boolean."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class StrictInteger(fields.Integer):
    """JSON integers only: no strings, no booleans, no 1.5."""

    def __init__(self, **kwargs):
        super().__init__(strict=True, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


def text(max_length: int, required: bool = True, **kwargs) -> fields.String:
    return fields.String(required=required, validate=validate.Length(min=1, max=max_length),
                         **kwargs)


class Schema(ma.Schema):
    class Meta:
        unknown = ma.RAISE


# -- accounts ---------------------------------------------------------------------------

class CreateAccountBody(Schema):
    email = fields.Email(required=True, validate=validate.Length(max=320))
    password = fields.String(required=True, validate=validate.Length(min=8, max=128))
    full_name = text(200)


class ActivateAccountBody(Schema):
    token = text(200)


class TokenBody(Schema):
    email = fields.String(required=True, validate=validate.Length(min=1, max=320))
    password = fields.String(required=True, validate=validate.Length(min=1, max=128))


class CreateAdminAccountBody(CreateAccountBody):
    role = fields.String(required=True, validate=validate.OneOf(ROLES_CREATED_BY_SUPERADMIN))
    satker_code = fields.String(load_default=None, allow_none=True, validate=SATKER_CODE)


class AccountOut(Schema):
    id = fields.String()
    email = fields.String()
    full_name = fields.String()
    role = fields.String()
    satker_code = fields.String(allow_none=True)
    status = fields.String(metadata={"enum": ["pending_activation", "active"]})


class ActivationOut(Schema):
    status = fields.String(metadata={"enum": ["active"]})


class TokenOut(Schema):
    access_token = fields.String()
    token_type = fields.String(metadata={"enum": ["Bearer"]})
    expires_in = fields.Integer()
    role = fields.String()
    satker_code = fields.String(allow_none=True)


# -- profile and documents --------------------------------------------------------------

class StatementsBody(Schema):
    healthy = StrictBoolean(required=True)
    disciplined = StrictBoolean(required=True)
    willing_contract = StrictBoolean(required=True)
    willing_training = StrictBoolean(required=True)
    literate = StrictBoolean(required=True)


class ProfileBody(Schema):
    nik = fields.String(required=True, validate=validate.Length(max=32))
    full_name = text(200)
    sex = fields.String(required=True, validate=validate.OneOf(("L", "P")))
    birth_date = fields.Date(required=True)
    phone = text(30)
    address = text(500)
    domicile_regency_code = fields.String(
        required=True, validate=validate.Regexp(r"^\d{4}$", error="Use a 4-digit regency code."))
    education = fields.String(required=True, validate=validate.OneOf(EDUCATION))
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


# -- activities and applications --------------------------------------------------------

class RuleBody(Schema):
    rule = fields.String(required=True, validate=validate.OneOf(RULES))


class AgeRuleBody(RuleBody):
    min = StrictInteger(required=True)
    max = StrictInteger(required=True)


class EducationRuleBody(RuleBody):
    min = fields.String(required=True, validate=validate.OneOf(EDUCATION))


class RequirementsBody(Schema):
    age = fields.Nested(AgeRuleBody)
    education = fields.Nested(EducationRuleBody)
    domicile = fields.Nested(RuleBody)
    not_asn = fields.Nested(RuleBody)
    bps_experience = fields.Nested(RuleBody)
    devices = fields.Nested(RuleBody)
    motorbike = fields.Nested(RuleBody)
    no_other_contract = fields.Nested(RuleBody)
    extra_documents = fields.List(fields.String(validate=validate.OneOf(DOCUMENT_KINDS)))


class ActivityBody(Schema):
    satker_code = fields.String(required=True, validate=SATKER_CODE)
    name = text(200)
    year = StrictInteger(required=True, validate=validate.Range(min=2000, max=2100))
    registration_opens_at = fields.AwareDateTime(required=True)
    registration_closes_at = fields.AwareDateTime(required=True)
    announcement_at = fields.AwareDateTime(required=True)
    quota = StrictInteger(load_default=None, allow_none=True, validate=validate.Range(min=1))
    requirements = fields.Nested(RequirementsBody, load_default=dict)


class ActivityChangesBody(Schema):
    """PATCH: any subset; ``quota: null`` removes the quota. Satker and year stay."""
    name = text(200, required=False)
    registration_opens_at = fields.AwareDateTime()
    registration_closes_at = fields.AwareDateTime()
    announcement_at = fields.AwareDateTime()
    quota = StrictInteger(allow_none=True, validate=validate.Range(min=1))
    requirements = fields.Nested(RequirementsBody)


class ActivityOut(ActivityBody):
    id = fields.String()
    satker_name = fields.String()
    application_count = fields.Integer()
    is_open = fields.Boolean()
    created_at = fields.String(metadata={"format": "date-time"})


class ActivityListOut(Schema):
    items = fields.List(fields.Nested(ActivityOut))
    total = fields.Integer()


class ListActivitiesQuery(Schema):
    satker_code = fields.String(validate=SATKER_CODE)
    open = fields.Boolean()
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class EmptyBody(Schema):
    """Booking, applying and the like take ``{}`` (or no body)."""


class ApplicationOut(Schema):
    id = fields.String()
    registration_number = fields.String()
    status = fields.String(metadata={"enum": ["submitted"]})
    activity_id = fields.String()
    submitted_at = fields.String(metadata={"format": "date-time"})


class AdministrativeOut(Schema):
    status = fields.String(metadata={"enum": ["pending", "needs_confirmation", "accepted",
                                              "rejected"]})
    reason = fields.String(allow_none=True)


class TestOut(Schema):
    session_id = fields.String(allow_none=True)
    status = fields.String(metadata={"enum": ["not_booked", "booked", "in_progress",
                                              "completed", "missed"]})
    score = fields.Float(allow_none=True)


class FinalOut(Schema):
    status = fields.String()


class MyApplicationOut(Schema):
    id = fields.String()
    activity_id = fields.String()
    activity_name = fields.String()
    satker_code = fields.String()
    registration_number = fields.String()
    submitted_at = fields.String(metadata={"format": "date-time"})
    administrative = fields.Nested(AdministrativeOut)
    test = fields.Nested(TestOut)
    final = fields.Nested(FinalOut)


class MyApplicationListOut(Schema):
    items = fields.List(fields.Nested(MyApplicationOut))


class Problem(Schema):
    type = fields.String()
    title = fields.String()
    status = fields.Integer()
    detail = fields.String()
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))


# -- administrative selection -----------------------------------------------------------

DECISIONS = ("accepted", "rejected", "needs_confirmation")
ADMINISTRATIVE_STATUSES = ("pending", "needs_confirmation", "accepted", "rejected")


class ReviewQueueQuery(Schema):
    administrative_status = fields.String(validate=validate.OneOf(ADMINISTRATIVE_STATUSES))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class DecisionBody(Schema):
    decision = fields.String(required=True, validate=validate.OneOf(DECISIONS))
    reason = fields.String(load_default=None, allow_none=True,
                           validate=validate.Length(max=1000))


class ExportQuery(Schema):
    format = fields.String(load_default="csv", validate=validate.OneOf(("csv", "xlsx")))


class ChecksOut(Schema):
    mandatory_failures = fields.List(fields.String())
    preferred_met = fields.List(fields.String())
    preferred_score = fields.Integer()
    preferred_total = fields.Integer()


class DocumentRefOut(Schema):
    kind = fields.String()
    sha256 = fields.String()
    size = fields.Integer()
    content_type = fields.String()


class AdministrativeReviewOut(AdministrativeOut):
    decided_at = fields.String(allow_none=True, metadata={"format": "date-time"})


class ApplicationReviewOut(Schema):
    id = fields.String()
    activity_id = fields.String()
    satker_code = fields.String()
    registration_number = fields.String()
    submitted_at = fields.String(metadata={"format": "date-time"})
    age = fields.Integer(metadata={"description": "on the registration date"})
    profile = fields.Dict(metadata={"description": "the profile snapshot, with email"})
    documents = fields.List(fields.Nested(DocumentRefOut))
    checks = fields.Nested(ChecksOut)
    administrative = fields.Nested(AdministrativeReviewOut)


class ApplicationReviewListOut(Schema):
    items = fields.List(fields.Nested(ApplicationReviewOut))
    total = fields.Integer()


class DecisionOut(Schema):
    from_status = fields.String()
    to_status = fields.String()
    reason = fields.String(allow_none=True)
    decided_by = fields.String()
    decided_by_role = fields.String()
    decided_at = fields.String(metadata={"format": "date-time"})


class DecisionListOut(Schema):
    items = fields.List(fields.Nested(DecisionOut))
