"""marshmallow schemas of the gateway's HTTP bodies: they validate every request (unknown
fields -> 422, JSON types checked strictly) and are the source of the OpenAPI document.
Field names are the HTTP contract's. Validated values stay as the client wrote them (a date
is still its string) and travel as such to the service, which parses them once; the
enumerations come from the shared contracts, never re-declared here."""
from __future__ import annotations

import re
from datetime import date, datetime

import marshmallow as ma
from marshmallow import fields, validate

from services.shared.contracts.identity import MITRA, ROLES
from services.shared.contracts.requirements import RULES, SIMPLE_REQUIREMENTS
from services.shared.contracts.vocabulary import (
    ADMINISTRATIVE_DECISIONS,
    ADMINISTRATIVE_STATUSES,
    DOCUMENT_KINDS,
    EDUCATION_LEVELS,
    EXPORT_FORMATS,
    SEXES,
)

# Every role but the candidate's own, which only sign-up gives.
ROLES_CREATED_BY_SUPERADMIN = tuple(role for role in ROLES if role not in MITRA)
SATKER_CODE = validate.Regexp(r"^\d{4}$", error="Use the 4-digit BPS satker code.")
KL_COUNT = validate.Range(min=1, max=1000)  # K/L of one pembinaan meeting


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


class _IsoText(fields.String):
    """A date or date-time in its ISO form: checked here, handed on to the service as
    written (the service parses it, once)."""

    openapi_format: str
    _FORM: re.Pattern

    def __init__(self, **kwargs):
        kwargs["metadata"] = {"format": self.openapi_format, **kwargs.get("metadata", {})}
        super().__init__(**kwargs)

    @staticmethod
    def _readable(text: str) -> bool:
        raise NotImplementedError

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            if not (self._FORM.fullmatch(text) and self._readable(text)):
                raise ValueError
        except ValueError:
            raise self.make_error("invalid_iso") from None
        return text


class IsoDate(_IsoText):
    """A date as ``YYYY-MM-DD``."""

    openapi_format = "date"
    default_error_messages = {"invalid_iso": "Use a date as YYYY-MM-DD."}
    _FORM = re.compile(r"\d{4}-\d{2}-\d{2}")

    @staticmethod
    def _readable(text: str) -> bool:
        return date.fromisoformat(text) is not None


class IsoDateTime(_IsoText):
    """An ISO 8601 date-time with its offset (``2026-11-01T08:00:00+07:00``, or ``Z``)."""

    openapi_format = "date-time"
    default_error_messages = {
        "invalid_iso": "Use an ISO 8601 date-time with offset, e.g. "
                       "2026-11-01T08:00:00+07:00."}
    _FORM = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?"
                       r"(Z|[+-]\d{2}(:?\d{2})?)")

    @staticmethod
    def _readable(text: str) -> bool:
        return datetime.fromisoformat(text).tzinfo is not None


def text(max_length: int, required: bool = True, **kwargs) -> fields.String:
    return fields.String(required=required, validate=validate.Length(min=1, max=max_length),
                         **kwargs)


class Schema(ma.Schema):
    class Meta:
        unknown = ma.RAISE


# -- accounts ---------------------------------------------------------------------------

class CreateAccountBody(Schema):
    email = fields.Email(required=True, validate=validate.Length(max=320))
    password = fields.String(required=True)  # the policy is registration's (422 on `password`)
    full_name = text(200)


class ActivateAccountBody(Schema):
    token = text(200)


class TokenBody(Schema):
    email = fields.String(required=True, validate=validate.Length(min=1, max=320))
    password = fields.String(required=True)


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


# -- activities and applications --------------------------------------------------------

class RuleBody(Schema):
    rule = fields.String(required=True, validate=validate.OneOf(RULES))


class AgeRuleBody(RuleBody):
    min = StrictInteger(required=True)
    max = StrictInteger(required=True)


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
    quota = StrictInteger(load_default=None, allow_none=True, validate=validate.Range(min=1))
    requirements = fields.Nested(RequirementsBody, load_default=dict)


class ActivityChangesBody(Schema):
    """PATCH: any subset; ``quota: null`` removes the quota. Satker and year stay."""
    name = text(200, required=False)
    registration_opens_at = IsoDateTime()
    registration_closes_at = IsoDateTime()
    announcement_at = IsoDateTime()
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
    status = fields.String(metadata={"enum": list(ADMINISTRATIVE_STATUSES)})
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
    code = fields.String(metadata={"description": "the refusal's stable name, e.g. quota_full"})
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))


# -- administrative selection -----------------------------------------------------------


class ReviewQueueQuery(Schema):
    administrative_status = fields.String(validate=validate.OneOf(ADMINISTRATIVE_STATUSES))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


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


# -- pembinaan statistik sektoral ---------------------------------------------------------

class BudgetQuery(Schema):
    kl_count = fields.Integer(required=True, validate=KL_COUNT,
                              metadata={"description": "the K/L of the meeting"})


class FulldayBreakdownOut(Schema):
    walidata = fields.Integer()
    produsen_data = fields.Integer()
    tim_pembina = fields.Integer()
    pimpinan_bps = fields.Integer()
    narasumber = fields.Integer()
    pendukung = fields.Integer()


class FulldayBudgetOut(Schema):
    participants = fields.Integer()
    breakdown = fields.Nested(FulldayBreakdownOut)


class TransportBudgetOut(Schema):
    trips = fields.Integer()


# -- competency test ---------------------------------------------------------------------
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
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=1_000_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


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
