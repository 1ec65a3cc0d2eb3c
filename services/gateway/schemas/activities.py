"""The gateway's bodies of the activities and applications routes (routes/activities.py)."""
from __future__ import annotations

from marshmallow import fields, validate

from services.gateway.schemas.base import (
    SATKER_CODE,
    IsoDateTime,
    Schema,
    StrictInteger,
    page,
    per_page,
    text,
)
from services.shared.contracts.requirements import RULES, SIMPLE_REQUIREMENTS
from services.shared.contracts.vocabulary import (
    ADMINISTRATIVE_STATUSES,
    DOCUMENT_KINDS,
    EDUCATION_LEVELS,
)

AGE_MIN, AGE_MAX = 0, 150  # years; a requirement outside them could never be met
QUOTA_MAX = 1_000_000


class RuleBody(Schema):
    rule = fields.String(required=True, validate=validate.OneOf(RULES))


class AgeRuleBody(RuleBody):
    min = StrictInteger(minimum=AGE_MIN, maximum=AGE_MAX, required=True)
    max = StrictInteger(minimum=AGE_MIN, maximum=AGE_MAX, required=True)


class EducationRuleBody(RuleBody):
    min = fields.String(required=True, validate=validate.OneOf(EDUCATION_LEVELS))


RequirementsBody = Schema.from_dict({
    "age": fields.Nested(AgeRuleBody),
    "education": fields.Nested(EducationRuleBody),
    **{name: fields.Nested(RuleBody) for name in SIMPLE_REQUIREMENTS},
    "extra_documents": fields.List(fields.String(validate=validate.OneOf(DOCUMENT_KINDS))),
}, name="RequirementsBody")


class ActivityBody(Schema):
    satker_code = fields.String(required=True, validate=SATKER_CODE)
    name = text(200)
    year = StrictInteger(required=True, validate=validate.Range(min=2000, max=2100))
    registration_opens_at = IsoDateTime(required=True)
    registration_closes_at = IsoDateTime(required=True)
    announcement_at = IsoDateTime(required=True)
    quota = StrictInteger(minimum=1, maximum=QUOTA_MAX, load_default=None, allow_none=True)
    requirements = fields.Nested(RequirementsBody, load_default=dict)


class ActivityChangesBody(Schema):
    """PATCH: any subset; ``quota: null`` removes the quota. Satker and year stay."""
    name = text(200, required=False)
    registration_opens_at = IsoDateTime()
    registration_closes_at = IsoDateTime()
    announcement_at = IsoDateTime()
    quota = StrictInteger(minimum=1, maximum=QUOTA_MAX, allow_none=True)
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
    page = page()
    per_page = per_page()




class ApplicationOut(Schema):
    id = fields.String()
    registration_number = fields.String()
    status = fields.String(metadata={"enum": ["submitted"]})
    activity_id = fields.String()
    submitted_at = fields.String(metadata={"format": "date-time"})


class AdministrativeOut(Schema):
    status = fields.String(metadata={"enum": list(ADMINISTRATIVE_STATUSES)})
    reason = fields.String(allow_none=True)


class TestOut(Schema):
    session_id = fields.String(allow_none=True)
    status = fields.String(metadata={"enum": ["not_booked", "booked", "in_progress",
                                              "completed", "missed"]})
    score = fields.Float(allow_none=True)


class FinalOut(Schema):
    status = fields.String(metadata={"enum": ["pending", "accepted", "rejected", "withdrawn"]})
    score = fields.Float(allow_none=True, metadata={
        "description": "the own total, from the announcement, where scores are disclosed"})


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
