"""The gateway's bodies of the competency test routes (routes/assessment.py)."""
from __future__ import annotations

from marshmallow import fields, validate

from services.gateway.schemas.base import (
    IsoDate,
    IsoDateTime,
    Schema,
    StrictInteger,
    page,
    per_page,
    text,
)

# What a candidate receives (sessions, bookings, attempts, answers saved) has no field that
# could carry a correct answer: only QuestionOut, the admin's item bank, has answer_index.

class QuestionBody(Schema):
    # options before text: the field named ``text`` hides the helper below it.
    options = fields.List(text(1000), required=True, validate=validate.Length(min=4, max=5))
    text = text(4000)
    answer_index = StrictInteger(required=True, validate=validate.Range(min=0, max=4))
    category = fields.String(load_default=None, allow_none=True,
                             validate=validate.Length(max=100))


class QuestionsBody(Schema):
    items = fields.List(fields.Nested(QuestionBody), required=True,
                        validate=validate.Length(min=1, max=5000))


class QuestionsCreatedOut(Schema):
    created = fields.Integer()


class QuestionOut(QuestionBody):
    id = fields.String()
    created_at = fields.String(metadata={"format": "date-time"})


class QuestionListOut(Schema):
    items = fields.List(fields.Nested(QuestionOut))
    total = fields.Integer()


class ListQuestionsQuery(Schema):
    page = page()
    per_page = per_page()


class TestSessionBody(Schema):
    starts_at = IsoDateTime(required=True)
    ends_at = IsoDateTime(required=True)
    capacity = StrictInteger(required=True, validate=validate.Range(min=1, max=100_000))


class TestScheduleBody(Schema):
    first_day = IsoDate(required=True, metadata={"description": "on the satker's clock"})
    days = StrictInteger(required=True, validate=validate.Range(min=1, max=60))
    slots_per_day = StrictInteger(required=True, validate=validate.Range(min=1, max=24))
    first_slot_starts = fields.String(
        load_default="07:00", validate=validate.Regexp(r"^([01]\d|2[0-3]):[0-5]\d$",
                                                        error="Use HH:MM, e.g. 07:00."),
        metadata={"description": "local time of the satker (WIB, WITA or WIT)"})
    slot_minutes = StrictInteger(load_default=120, validate=validate.Range(min=15, max=1440))
    capacity = StrictInteger(required=True, validate=validate.Range(min=1, max=100_000))


class TestSessionOut(Schema):
    id = fields.String()
    activity_id = fields.String()
    starts_at = fields.String(metadata={"format": "date-time"})
    ends_at = fields.String(metadata={"format": "date-time"})
    capacity = fields.Integer()
    booked = fields.Integer()


class TestSessionListOut(Schema):
    items = fields.List(fields.Nested(TestSessionOut))


class BookingOut(Schema):
    id = fields.String()
    session_id = fields.String()
    application_id = fields.String()
    activity_id = fields.String()
    booked_at = fields.String(metadata={"format": "date-time"})
    starts_at = fields.String(metadata={"format": "date-time"})
    ends_at = fields.String(metadata={"format": "date-time"})


class AttemptQuestionOut(Schema):
    id = fields.String()
    text = fields.String()
    options = fields.List(fields.String(), metadata={
        "description": "in the order this candidate is shown them"})


class AttemptOut(Schema):
    attempt_id = fields.String()
    status = fields.String(metadata={"enum": ["open", "submitted", "closed"]})
    started_at = fields.String(metadata={"format": "date-time"})
    deadline = fields.String(metadata={"format": "date-time"})
    seconds_left = fields.Integer()
    questions = fields.List(fields.Nested(AttemptQuestionOut))
    answers = fields.Dict(keys=fields.String(), values=fields.Integer(), metadata={
        "description": "question id -> option index as shown to this candidate"})


class AnswerBody(Schema):
    option_index = StrictInteger(required=True, validate=validate.Range(min=0, max=4))


class AnswerSavedOut(Schema):
    attempt_id = fields.String()
    question_id = fields.String()
    option_index = fields.Integer()
    saved_at = fields.String(metadata={"format": "date-time"})
    seconds_left = fields.Integer()


class SubmittedOut(Schema):
    attempt_id = fields.String()
    status = fields.String(metadata={"enum": ["submitted"]})


class AttemptStateOut(Schema):
    attempt_id = fields.String()
    status = fields.String(metadata={"enum": ["open", "submitted", "closed"]})
    deadline = fields.String(metadata={"format": "date-time"})
    seconds_left = fields.Integer()
    answered = fields.Integer()
    question_count = fields.Integer()


class ItemAnalysisQuery(Schema):
    session_id = fields.String(validate=validate.Length(min=1, max=36))


class ItemAnalysisExportQuery(ItemAnalysisQuery):
    format = fields.String(load_default="xlsx", validate=validate.OneOf(["xlsx"]))


class OptionCountOut(Schema):
    index = fields.Integer()
    chosen = fields.Integer()
    correct = fields.Boolean()


class ItemStatisticsOut(Schema):
    question_id = fields.String()
    text = fields.String()
    category = fields.String()
    presented = fields.Integer()
    answered = fields.Integer()
    unanswered = fields.Integer()
    facility = fields.Float(metadata={"description": "share of correct answers, 0..1"})
    discrimination = fields.Float(allow_none=True, metadata={
        "description": "point-biserial correlation with the rest score; null if undefined"})
    options = fields.List(fields.Nested(OptionCountOut))
    flags = fields.List(fields.String(metadata={
        "enum": ["everyone_correct", "negative_discrimination"]}))


class ItemAnalysisOut(Schema):
    activity_id = fields.String()
    attempts = fields.Integer()
    method = fields.String()
    items = fields.List(fields.Nested(ItemStatisticsOut))
