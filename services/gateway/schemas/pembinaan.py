"""The gateway's bodies of the pembinaan statistik sektoral routes (routes/pembinaan.py). The
enumerations come from the shared vocabulary; a value outside one, a wrong type or an unknown
field -> 422 here; what needs pembinaan's data (a lokus or team of another team, a plan item of
another lokus, the state of a request) is the service's to refuse."""
from __future__ import annotations

from marshmallow import fields, validate

from services.gateway.schemas.base import (
    IsoDate,
    IsoDateTime,
    QueryInteger,
    Schema,
    StrictBoolean,
    StrictInteger,
    page,
    per_page,
    text,
)
from services.shared.contracts.vocabulary import (
    PEMBINAAN_COLLECTION_METHODS,
    PEMBINAAN_DATA_USES,
    PEMBINAAN_DOCUMENTATION_STATUSES,
    PEMBINAAN_ESTABLISHMENT_KINDS,
    PEMBINAAN_FORMS,
    PEMBINAAN_INITIATIVES,
    PEMBINAAN_IPS_GRADES,
    PEMBINAAN_LOKUS_KINDS,
    PEMBINAAN_MECHANISMS,
    PEMBINAAN_MEETING_KINDS,
    PEMBINAAN_ORGANISERS,
    PEMBINAAN_PERIODS,
    PEMBINAAN_PLAN_PROBLEMS,
    PEMBINAAN_POSITIONS,
    PEMBINAAN_REQUEST_STATUSES,
    PEMBINAAN_TEAM_LEVELS,
    PEMBINAAN_TOPICS,
)

KL_COUNT = validate.Range(min=1, max=1000)  # K/L of one pembinaan meeting
YEAR = {"minimum": 2000, "maximum": 2100}
ID = 36


def one_of(choices) -> validate.OneOf:
    return validate.OneOf(choices)


def enum(choices, required: bool = True, **kwargs) -> fields.String:
    return fields.String(required=required, validate=one_of(choices), **kwargs)


def optional_text(max_length: int) -> fields.String:
    return fields.String(load_default=None, allow_none=True,
                         validate=validate.Length(max=max_length))


class Stamped(Schema):
    id = fields.String()
    created_at = IsoDateTime()
    updated_at = IsoDateTime()


class ListQuery(Schema):
    page = page()
    per_page = per_page()


# -- budget calculators --------------------------------------------------------------------

class BudgetQuery(Schema):
    kl_count = QueryInteger(required=True, minimum=1, maximum=1000,
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


# -- teams ----------------------------------------------------------------------------------

class TeamBody(Schema):
    year = StrictInteger(required=True, **YEAR)
    level = enum(PEMBINAAN_TEAM_LEVELS)
    unit_code = text(20, metadata={"description": "the direktorat's code for a pusat team, "
                                                  "else the BPS satker code (3500, 3528)"})
    name = text(200)


class TeamsQuery(ListQuery):
    year = QueryInteger(**YEAR)


class EstablishmentOut(Schema):
    kind = enum(PEMBINAAN_ESTABLISHMENT_KINDS)
    number = fields.String()
    date = IsoDate()
    sha256 = fields.String()
    size = fields.Integer()


class TeamOut(Stamped):
    year = fields.Integer()
    level = enum(PEMBINAAN_TEAM_LEVELS)
    unit_code = fields.String()
    name = fields.String()
    establishment = fields.Nested(EstablishmentOut, allow_none=True)


class TeamListOut(Schema):
    items = fields.List(fields.Nested(TeamOut))
    total = fields.Integer()


class MemberBody(Schema):
    account_id = text(ID)
    position = enum(PEMBINAAN_POSITIONS)


class MemberOut(Stamped):
    team_id = fields.String()
    account_id = fields.String()
    position = enum(PEMBINAAN_POSITIONS)
    email = fields.String(allow_none=True)


class MemberListOut(Schema):
    items = fields.List(fields.Nested(MemberOut))
    total = fields.Integer()


class EstablishmentForm(Schema):
    """The multipart form's text fields (the PDF comes as its ``file`` part)."""

    kind = enum(PEMBINAAN_ESTABLISHMENT_KINDS)
    number = text(200)
    date = IsoDate(required=True)


class InternalisationBody(Schema):
    tanggal = IsoDate(required=True)
    ringkasan = optional_text(2000)


class InternalisationOut(Stamped):
    team_id = fields.String()
    tanggal = IsoDate()
    ringkasan = fields.String(allow_none=True)


class LokusBody(Schema):
    team_id = text(ID)
    kind = enum(PEMBINAAN_LOKUS_KINDS)
    code = text(50)
    name = text(300)


class LokusQuery(ListQuery):
    team_id = fields.String(validate=validate.Length(min=1, max=ID))


class LokusOut(Stamped):
    team_id = fields.String()
    kind = enum(PEMBINAAN_LOKUS_KINDS)
    code = fields.String()
    name = fields.String()


class LokusListOut(Schema):
    items = fields.List(fields.Nested(LokusOut))
    total = fields.Integer()


# -- documentation --------------------------------------------------------------------------

CONTACT_FIELDS = (
    "pimpinan_nama", "pimpinan_jabatan", "instansi_email", "walidata_unit",
    "walidata_unit_email", "walidata_kepala_nama", "walidata_kepala_jabatan",
    "walidata_kepala_email", "epss_nama", "epss_jabatan", "epss_email", "epss_whatsapp",
    "walidata_narahubung_nama", "walidata_narahubung_jabatan", "walidata_narahubung_email",
    "walidata_narahubung_whatsapp",
)


def _contact_field(name: str) -> fields.Field:
    if name.endswith("email"):
        return fields.Email(load_default=None, allow_none=True,
                            validate=validate.Length(max=254))
    if name.endswith("whatsapp"):
        return fields.String(load_default=None, allow_none=True,
                             validate=validate.Regexp(
                                 r"^(\+62|62|0)8[1-9][0-9 \-.]{7,16}$",
                                 error="Use an Indonesian mobile number, e.g. 081234567890."),
                             metadata={"description": "an Indonesian mobile number"})
    return optional_text(300)


ContactsBody = Schema.from_dict({name: _contact_field(name) for name in CONTACT_FIELDS},
                                name="ContactsBody")
ContactsOut = type("ContactsOut", (Stamped,), {
    "lokus_id": fields.String(),
    **{name: fields.String(allow_none=True) for name in CONTACT_FIELDS}})

COLLECTION = {"required": True, "validate": one_of(PEMBINAAN_COLLECTION_METHODS),
              "metadata": {"description": "1 sensus/pendataan lengkap, 2 survei, "
                                          "3 kompilasi produk administrasi, 4 cara lain"}}


class StatisticalActivityBody(Schema):
    judul = text(2000)
    periode = enum(PEMBINAAN_PERIODS)
    tahun_terakhir = StrictInteger(load_default=None, allow_none=True, minimum=1900,
                                   maximum=2100)
    unit_produsen = text(2000)
    cara_pengumpulan = StrictInteger(**COLLECTION)
    data_utama = text(2000)
    data_prioritas = StrictBoolean(required=True)
    pemanfaatan = enum(PEMBINAAN_DATA_USES)


class StatisticalActivityPatch(Schema):
    judul = text(2000, required=False)
    periode = enum(PEMBINAAN_PERIODS, required=False)
    tahun_terakhir = StrictInteger(minimum=1900, maximum=2100)
    unit_produsen = text(2000, required=False)
    cara_pengumpulan = StrictInteger(validate=one_of(PEMBINAAN_COLLECTION_METHODS))
    data_utama = text(2000, required=False)
    data_prioritas = StrictBoolean()
    pemanfaatan = enum(PEMBINAAN_DATA_USES, required=False)


class StatisticalActivityOut(Stamped):
    lokus_id = fields.String()
    judul = fields.String()
    periode = fields.String()
    tahun_terakhir = fields.Integer(allow_none=True)
    unit_produsen = fields.String()
    cara_pengumpulan = fields.Integer()
    data_utama = fields.String()
    data_prioritas = fields.Boolean()
    pemanfaatan = fields.String()


class StatisticalActivityListOut(Schema):
    items = fields.List(fields.Nested(StatisticalActivityOut))
    total = fields.Integer()


class EpssCandidateBody(Schema):
    nama_kegiatan = text(2000)
    tahun = StrictInteger(required=True, minimum=1900, maximum=2100)
    cara_pengumpulan = StrictInteger(**COLLECTION)
    produsen_data = text(2000, metadata={"description": "unit kerja setingkat eselon 2"})
    alasan = text(2000)
    catatan = optional_text(2000)


class EpssCandidateOut(Stamped):
    lokus_id = fields.String()
    nama_kegiatan = fields.String()
    tahun = fields.Integer()
    cara_pengumpulan = fields.Integer()
    produsen_data = fields.String()
    alasan = fields.String()
    catatan = fields.String(allow_none=True)


class EpssCandidateListOut(Schema):
    items = fields.List(fields.Nested(EpssCandidateOut))
    total = fields.Integer()


class PlanItemBody(Schema):
    nama_kegiatan = text(2000)
    tanggal_rencana = IsoDate(required=True)
    mekanisme = enum(PEMBINAAN_MECHANISMS)
    penyelenggara = enum(PEMBINAAN_ORGANISERS, metadata={
        "description": "who pays for the activity or sends the invitation"})
    jenis = enum(PEMBINAAN_MEETING_KINDS)
    output = optional_text(2000)
    catatan = optional_text(2000)


class PlanItemPatch(Schema):
    nama_kegiatan = text(2000, required=False)
    tanggal_rencana = IsoDate()
    mekanisme = enum(PEMBINAAN_MECHANISMS, required=False)
    penyelenggara = enum(PEMBINAAN_ORGANISERS, required=False)
    jenis = enum(PEMBINAAN_MEETING_KINDS, required=False)
    output = fields.String(validate=validate.Length(max=2000))
    catatan = fields.String(validate=validate.Length(max=2000))


class PlanItemOut(Stamped):
    lokus_id = fields.String()
    nama_kegiatan = fields.String()
    tanggal_rencana = IsoDate()
    mekanisme = fields.String()
    penyelenggara = fields.String()
    jenis = fields.String()
    output = fields.String(allow_none=True)
    catatan = fields.String(allow_none=True)


class PlanItemListOut(Schema):
    items = fields.List(fields.Nested(PlanItemOut))
    total = fields.Integer()


class PlanProblemOut(Schema):
    code = enum(PEMBINAAN_PLAN_PROBLEMS)
    detail = fields.String()
    count = fields.Integer()
    minimum = fields.Integer()
    budget = fields.Integer()
    work_plan_id = fields.String()
    activity_id = fields.String()


class PlanCheckOut(Schema):
    ok = fields.Boolean()
    problems = fields.List(fields.Nested(PlanProblemOut))


class RealisedActivityBody(Schema):
    tanggal = IsoDate(required=True)
    bentuk = enum(PEMBINAAN_FORMS)
    materi = fields.List(enum(PEMBINAAN_TOPICS), required=True,
                         validate=validate.Length(min=1, max=len(PEMBINAAN_TOPICS)))
    inisiatif = enum(PEMBINAAN_INITIATIVES)
    work_plan_id = fields.String(load_default=None, allow_none=True,
                                 validate=validate.Length(min=1, max=ID))
    peserta = StrictInteger(required=True, minimum=0, maximum=100_000)
    ringkasan = optional_text(2000)


class EvidenceOut(Schema):
    activity_id = fields.String()
    n = fields.Integer()
    sha256 = fields.String()
    content_type = fields.String()
    size = fields.Integer()
    uploaded_at = IsoDateTime()


class RealisedActivityOut(Stamped):
    lokus_id = fields.String()
    tanggal = IsoDate()
    bentuk = fields.String()
    materi = fields.List(fields.String())
    inisiatif = fields.String()
    work_plan_id = fields.String(allow_none=True)
    peserta = fields.Integer()
    ringkasan = fields.String(allow_none=True)
    evidence = fields.List(fields.Nested(EvidenceOut))


class RealisedActivityListOut(Schema):
    items = fields.List(fields.Nested(RealisedActivityOut))
    total = fields.Integer()


# -- requests -------------------------------------------------------------------------------

class RequestBody(Schema):
    requester_kind = enum(PEMBINAAN_LOKUS_KINDS)
    requester_name = text(300)
    satker_code = fields.String(required=True, validate=validate.Regexp(
        r"^\d{4}$", error="Use the 4-digit BPS satker code."))
    subject = text(2000)
    letter_number = text(200)
    letter_date = IsoDate(required=True)


class RequestsQuery(ListQuery):
    status = enum(PEMBINAAN_REQUEST_STATUSES, required=False)


class TransitionBody(Schema):
    to = fields.String(required=True, validate=validate.Length(min=1, max=40), metadata={
        "description": "the status to go to: " + ", ".join(PEMBINAAN_REQUEST_STATUSES)})
    note = optional_text(2000)
    team_id = fields.String(load_default=None, allow_none=True,
                            validate=validate.Length(min=1, max=ID))
    activity_id = fields.String(load_default=None, allow_none=True,
                                validate=validate.Length(min=1, max=ID))


HistoryEntryOut = Schema.from_dict({
    "from": fields.String(), "to": fields.String(), "by": fields.String(),
    "at": IsoDateTime(), "note": fields.String(allow_none=True)}, name="HistoryEntryOut")


class RequestOut(Stamped):
    requester_kind = fields.String()
    requester_name = fields.String()
    satker_code = fields.String()
    subject = fields.String()
    letter_number = fields.String()
    letter_date = IsoDate()
    status = enum(PEMBINAAN_REQUEST_STATUSES)
    team_id = fields.String(allow_none=True)
    activity_id = fields.String(allow_none=True)
    history = fields.List(fields.Nested(HistoryEntryOut))


class RequestListOut(Schema):
    items = fields.List(fields.Nested(RequestOut))
    total = fields.Integer()


# -- the sekretariat's values ---------------------------------------------------------------

class StrictNumber(fields.Float):
    """A JSON number: no strings, no booleans."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


class IpsBody(Schema):
    value = StrictNumber(required=True, allow_nan=False,
                         validate=validate.Range(min=1.0, max=5.0))


class IpsOut(Schema):
    lokus_id = fields.String()
    year = fields.Integer()
    value = fields.Float()
    grade = enum(PEMBINAAN_IPS_GRADES)


class DeadlinesBody(Schema):
    establishment = IsoDate(required=True)
    contacts = IsoDate(required=True)
    statistical_activities = IsoDate(required=True)
    epss_candidates = IsoDate(required=True)
    work_plan = IsoDate(required=True)


class DeadlinesOut(DeadlinesBody):
    year = fields.Integer()
    created_at = IsoDateTime()
    updated_at = IsoDateTime()


class BudgetBody(Schema):
    fullday_meetings = StrictInteger(required=True, minimum=0, maximum=1000)


class BudgetOut(Schema):
    year = fields.Integer()
    team_id = fields.String()
    fullday_meetings = fields.Integer()
    created_at = IsoDateTime()
    updated_at = IsoDateTime()


class TrainingBody(Schema):
    account_id = text(ID)
    title = text(300)
    date = IsoDate(required=True)


class TrainingsQuery(ListQuery):
    year = QueryInteger(**YEAR)


class TrainingOut(Stamped):
    account_id = fields.String()
    title = fields.String()
    date = IsoDate()


class TrainingListOut(Schema):
    items = fields.List(fields.Nested(TrainingOut))
    total = fields.Integer()


# -- monitoring -----------------------------------------------------------------------------

class MonitoringQuery(Schema):
    year = QueryInteger(required=True, **YEAR)
    semester = QueryInteger(required=True, minimum=1, maximum=2, metadata={
        "description": "1: January-June, 2: July-December (WIB)"})
    format = fields.String(validate=validate.OneOf(("json", "xlsx")), load_default="json")


class DocumentationStatusOut(Schema):
    status = enum(PEMBINAAN_DOCUMENTATION_STATUSES)
    at = IsoDateTime(allow_none=True)


DocumentationOut = Schema.from_dict({
    name: fields.Nested(DocumentationStatusOut) for name in (
        "establishment", "contacts", "statistical_activities", "epss_candidates",
        "work_plan")}, name="DocumentationOut")


class PlanFiguresOut(Schema):
    planned = fields.Integer()
    realised = fields.Integer()
    realisation_rate = fields.Float()


class LokusIpsOut(Schema):
    id = fields.String()
    name = fields.String()
    kind = fields.String()
    ips = fields.Float(allow_none=True)
    grade = fields.String(allow_none=True)


class MonitoringItemOut(Schema):
    team_id = fields.String()
    name = fields.String()
    level = fields.String()
    unit_code = fields.String()
    documentation = fields.Nested(DocumentationOut)
    completeness = fields.Float()
    plan = fields.Nested(PlanFiguresOut)
    members_trained = fields.Integer()
    members_total = fields.Integer()
    capacity_building = fields.Float()
    internalisation = fields.Nested(DocumentationStatusOut)
    flags = fields.List(fields.String())
    lokus = fields.List(fields.Nested(LokusIpsOut))


class MonitoringOut(Schema):
    year = fields.Integer()
    semester = fields.Integer()
    items = fields.List(fields.Nested(MonitoringItemOut))
