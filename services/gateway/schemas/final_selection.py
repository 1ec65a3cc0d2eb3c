"""The gateway's bodies of the final selection and announcement routes
(routes/final_selection.py)."""
from __future__ import annotations

import math

from marshmallow import ValidationError, fields, validate

from services.gateway.schemas.base import Schema, StrictBoolean, StrictInteger, page, per_page
from services.shared.contracts.vocabulary import EXPORT_FORMATS

# The components of API.md, in its order (selection's domain holds the same list and checks
# it again: the gateway only refuses early what can never pass).
COMPONENTS = ("test_score", "preferred_score", "experience", "education", "domicile",
              "interview", "performance")
FINAL_DECISIONS = ("accepted", "rejected")


class StrictNumber(fields.Float):
    """A JSON number (integer or decimal), finite: no strings, no booleans."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.make_error("invalid")
        if not math.isfinite(value):
            raise self.make_error("special")
        return super()._deserialize(value, attr, data, **kwargs)


def _weight() -> StrictNumber:
    return StrictNumber(validate=validate.Range(min=0, max=1_000_000))


class WeightsBody(Schema):
    """Weights by component; a component left out weighs 0; unknown names -> 422."""

    test_score = _weight()
    preferred_score = _weight()
    experience = _weight()
    education = _weight()
    domicile = _weight()
    interview = _weight()
    performance = _weight()


def _some_weight(weights: dict) -> None:
    if not any(weights.values()):
        raise ValidationError("At least one weight must be above 0.")


class FinalCriteriaBody(Schema):
    positions = StrictInteger(required=True, validate=validate.Range(min=1, max=100_000))
    weights = fields.Nested(WeightsBody, required=True, validate=_some_weight)
    min_test_score = StrictNumber(load_default=0, validate=validate.Range(min=0, max=100))
    disclose_scores = StrictBoolean(load_default=False)


class FinalCriteriaOut(Schema):
    positions = fields.Integer()
    weights = fields.Dict(keys=fields.String(), values=fields.Float())
    min_test_score = fields.Float()
    disclose_scores = fields.Boolean()


class InterviewScoreBody(Schema):
    score = StrictNumber(required=True, validate=validate.Range(min=0, max=100))


class InterviewScoreOut(Schema):
    application_id = fields.String()
    score = fields.Float()


class RankedCandidateOut(Schema):
    application_id = fields.String()
    registration_number = fields.String()
    full_name = fields.String()
    rank = fields.Integer(allow_none=True)
    total = fields.Float()
    components = fields.Dict(keys=fields.String(), values=fields.Float(),
                             metadata={"description": "each component 0-100"})
    test_score = fields.Float()
    interview_score = fields.Float(allow_none=True, metadata={
        "description": "the interview score as entered; null when none was entered (its "
                       "component is then 0)"})
    final_status = fields.String(metadata={"enum": ["pending", "accepted", "rejected",
                                                    "withdrawn"]})
    mitra_elsewhere = fields.List(fields.String(), metadata={
        "description": "satker codes whose announced results accepted this person as mitra "
                       "in the same year"})


class RankingQuery(Schema):
    page = page()
    per_page = per_page()


class RankingOut(Schema):
    items = fields.List(fields.Nested(RankedCandidateOut))
    below_minimum = fields.List(fields.Nested(RankedCandidateOut))
    total = fields.Integer(metadata={"description": "ranked candidates in all pages"})
    below_minimum_total = fields.Integer(
        metadata={"description": "candidates listed apart in all pages"})


class FinalDecisionBody(Schema):
    decision = fields.String(required=True, validate=validate.OneOf(FINAL_DECISIONS))
    reason = fields.String(load_default=None, allow_none=True,
                           validate=validate.Length(max=1000))


class FinalDecisionOut(Schema):
    application_id = fields.String()
    decision = fields.String(metadata={"enum": list(FINAL_DECISIONS)})
    reason = fields.String(allow_none=True)
    decided_by = fields.String()
    decided_by_role = fields.String()
    decided_at = fields.String(metadata={"format": "date-time"})


class FinalDecisionListOut(Schema):
    items = fields.List(fields.Nested(FinalDecisionOut))


class AcceptTopBody(Schema):
    count = StrictInteger(required=True, validate=validate.Range(min=1, max=100_000))


class AcceptedOut(Schema):
    accepted = fields.List(fields.String())


class PublicResultOut(Schema):
    registration_number = fields.String()
    full_name = fields.String()
    kecamatan = fields.String()


class ResultsOut(Schema):
    items = fields.List(fields.Nested(PublicResultOut))
    total = fields.Integer()


class PaktaIntegritasEntryOut(Schema):
    application_id = fields.String()
    registration_number = fields.String()
    full_name = fields.String()
    uploaded = fields.Boolean()


class PaktaIntegritasOut(Schema):
    items = fields.List(fields.Nested(PaktaIntegritasEntryOut))
    total = fields.Integer()
    uploaded = fields.Integer()


class FinalExportQuery(Schema):
    format = fields.String(load_default="csv", validate=validate.OneOf(EXPORT_FORMATS))
