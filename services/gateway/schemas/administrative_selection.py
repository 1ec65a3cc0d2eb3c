"""The gateway's bodies of the administrative selection routes
(routes/administrative_selection.py)."""
from __future__ import annotations

from marshmallow import fields, validate

from services.gateway.schemas.activities import AdministrativeOut
from services.gateway.schemas.base import Schema, page, per_page
from services.shared.contracts.vocabulary import (
    ADMINISTRATIVE_DECISIONS,
    ADMINISTRATIVE_STATUSES,
    EXPORT_FORMATS,
)


class ReviewQueueQuery(Schema):
    administrative_status = fields.String(validate=validate.OneOf(ADMINISTRATIVE_STATUSES))
    needs_rereview = fields.Boolean(metadata={
        "description": "true: only the applications marked for re-review; false: only those "
                       "not marked; absent: all"})
    page = page()
    per_page = per_page()


class DecisionBody(Schema):
    decision = fields.String(required=True, validate=validate.OneOf(ADMINISTRATIVE_DECISIONS))
    reason = fields.String(load_default=None, allow_none=True,
                           validate=validate.Length(max=1000))


class ExportQuery(Schema):
    format = fields.String(load_default="csv", validate=validate.OneOf(EXPORT_FORMATS))


class ChecksOut(Schema):
    mandatory_failures = fields.List(fields.String())
    preferred_met = fields.List(fields.String())
    preferred_score = fields.Integer()
    preferred_total = fields.Integer()


class DocumentVersionOut(Schema):
    sha256 = fields.String()
    size = fields.Integer()
    content_type = fields.String()


class DocumentRefOut(Schema):
    kind = fields.String()
    sha256 = fields.String(metadata={
        "description": "of the bytes GET /applications/{id}/documents/{kind} serves"})
    size = fields.Integer()
    content_type = fields.String()
    submitted = fields.Boolean(metadata={
        "description": "true: submitted with the application (what the review is about, "
                       "whatever the candidate uploads later); false: a kind the candidate "
                       "first uploaded after submitting, as it is now"})
    newer_version = fields.Nested(DocumentVersionOut, allow_none=True, metadata={
        "description": "the candidate's current document of this kind when it differs from "
                       "the submitted one (another sha256); null otherwise. The download "
                       "still serves the submitted one"})


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
    documents = fields.List(fields.Nested(DocumentRefOut), metadata={
        "description": "the documents as submitted (each with its newer version, if any), "
                       "then the kinds uploaded after submitting (submitted: false)"})
    checks = fields.Nested(ChecksOut)
    administrative = fields.Nested(AdministrativeReviewOut)
    needs_rereview = fields.Boolean(metadata={
        "description": "true when the application is still undecided (pending, "
                       "needs_confirmation) and has a newer version of a submitted "
                       "document or a kind uploaded after submitting; a decided "
                       "application is never reopened (its newer versions are only shown)"})


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
