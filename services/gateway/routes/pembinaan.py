"""Pembinaan statistik sektoral (all under /api/v1/pembinaan/): teams and their members,
establishment and lokus; each lokus' documentation (contacts, inventory, EPSS candidates, work
plan and its check, realised activities and their evidence); requests from outside BPS; the
sekretariat's IPS values, deadlines, budgets and trainings; monitoring (JSON and XLSX); the
budget calculators. Who may touch which team's records is pembinaan's to decide; the roles
here only keep out those who may touch none (a mitra: 403 on every route)."""
from __future__ import annotations

import io

from nameko_grpc.errors import GrpcError
from werkzeug.formparser import MultiPartParser
from werkzeug.http import parse_options_header
from werkzeug.wrappers import Response

import pembinaan_pb2 as pem
import registration_pb2 as reg
from services.gateway.clients import TIMEOUT, Backends
from services.gateway.schemas import pembinaan as s
from services.gateway.web import Call, load, problem_from_grpc_error, route
from services.shared.contracts.errors import (
    InvalidInput,
    NotFound,
    UnsupportedContent,
)
from services.shared.contracts.vocabulary import DOCUMENT_CONTENT_TYPES
from services.shared.platform.proto import from_dict, to_dict

PREFIX = "/api/v1/pembinaan"
TAG = "pembinaan"
# Who reaches pembinaan's records at all (the service narrows it to a team's members).
PEMBINAAN = ("superadmin", "sekretariat", "pembina")
REQUESTERS = ("admin_satker", *PEMBINAAN)
SEKRETARIAT = ("superadmin", "sekretariat")
MULTIPART = ("multipart/form-data",)
YEARS = (2000, 2100)


def _year(call: Call) -> int:
    year = call.path_args["year"]
    if not YEARS[0] <= year <= YEARS[1]:
        raise InvalidInput({"year": [f"Use a year from {YEARS[0]} to {YEARS[1]}."]})
    return year


def _nulls(data: dict, schema) -> dict:
    """Every field the output schema names, ``None`` where the reply left it unset."""
    return {name: data.get(name) for name in schema._declared_fields}


def _team(team) -> dict:
    data = to_dict(team)
    data["establishment"] = (
        {key: data["establishment"][key] for key in ("kind", "number", "date", "sha256",
                                                     "size")}
        if team.HasField("establishment") else None)
    return data


def _member(member) -> dict:
    return _nulls(to_dict(member), s.MemberOut)


def _record(record, schema) -> dict:
    return _nulls(to_dict(record), schema)


def _activity(activity) -> dict:
    data = _record(activity, s.RealisedActivityOut)
    data["evidence"] = data["evidence"] or []
    data["materi"] = data["materi"] or []
    return data


def _request(request) -> dict:
    data = _record(request, s.RequestOut)
    data["history"] = [{"from": entry["from"], "to": entry["to"], "by": entry["by"],
                        "at": entry["at"], "note": entry.get("note")}
                       for entry in data["history"] or []]
    return data


def _listed(reply, convert) -> dict:
    return {"items": [convert(item) for item in reply.items], "total": reply.total}


def _status(entry) -> dict:
    return {"status": entry.status, "at": entry.at if entry.HasField("at") else None}


def _monitoring(report) -> dict:
    """The report as JSON, read field by field (hundreds of teams: MessageToDict's
    reflection would cost more than the service's queries)."""
    return {"year": report.year, "semester": report.semester, "items": [{
        "team_id": item.team_id, "name": item.name, "level": item.level,
        "unit_code": item.unit_code,
        "documentation": {kind: _status(getattr(item.documentation, kind)) for kind in (
            "establishment", "contacts", "statistical_activities", "epss_candidates",
            "work_plan")},
        "completeness": item.completeness,
        "plan": {"planned": item.plan.planned, "realised": item.plan.realised,
                 "realisation_rate": item.plan.realisation_rate},
        "members_trained": item.members_trained, "members_total": item.members_total,
        "capacity_building": item.capacity_building,
        "internalisation": _status(item.internalisation), "flags": list(item.flags),
        "lokus": [{"id": lokus.id, "name": lokus.name, "kind": lokus.kind,
                   "ips": lokus.ips if lokus.HasField("ips") else None,
                   "grade": lokus.grade if lokus.HasField("grade") else None}
                  for lokus in item.lokus]} for item in report.items]}


def _multipart(call: Call) -> tuple[dict, bytes, str | None]:
    """The establishment form: its text fields (validated) and its ``file`` part."""
    media_type, options = parse_options_header(call.request.headers.get("Content-Type", ""))
    boundary = options.get("boundary")
    if media_type != "multipart/form-data" or not boundary:
        raise UnsupportedContent("Send the form as multipart/form-data.")
    try:
        form, files = MultiPartParser(max_form_memory_size=64 * 1024, max_form_parts=20).parse(
            io.BytesIO(call.body), boundary.encode("latin-1"), len(call.body))
    except Exception:  # a form werkzeug cannot read: the client's fault, not ours
        raise InvalidInput({"file": ["The multipart form cannot be read."]}) from None
    upload = files.get("file")
    if upload is None:
        raise InvalidInput({"file": ["Attach the SK or Surat Tugas as the part 'file' (PDF)."]})
    fields = load(s.EstablishmentForm, {name: form.get(name) for name in form})
    return fields, upload.read(), upload.mimetype or None


class PembinaanRoutes(Backends):
    # -- budget calculators (any signed-in account) -------------------------------------------

    @route("GET", f"{PREFIX}/budget/fullday", summary="Participants of a fullday meeting "
           "with this many K/L, and who they are", tag=TAG, query=s.BudgetQuery,
           responses={200: s.FulldayBudgetOut})
    def fullday_budget(self, call: Call):
        reply = self.pembinaan.FulldayBudget(pem.BudgetRequest(kl_count=call.query["kl_count"]),
                                             metadata=call.metadata, timeout=TIMEOUT)
        return 200, {"participants": reply.participants, "breakdown": to_dict(reply.breakdown)}

    @route("GET", f"{PREFIX}/budget/transport", summary="Transport trips for this many K/L",
           tag=TAG, query=s.BudgetQuery, responses={200: s.TransportBudgetOut})
    def transport_budget(self, call: Call):
        reply = self.pembinaan.TransportBudget(
            pem.BudgetRequest(kl_count=call.query["kl_count"]), metadata=call.metadata,
            timeout=TIMEOUT)
        return 200, to_dict(reply)

    # -- teams --------------------------------------------------------------------------------

    @route("POST", f"{PREFIX}/teams", summary="Create a Tim Pembina (one per unit and year)",
           tag=TAG, roles=SEKRETARIAT, body=s.TeamBody, responses={201: s.TeamOut})
    def pembinaan_create_team(self, call: Call):
        team = self.pembinaan.CreateTeam(from_dict(call.body, pem.CreateTeamRequest),
                                         metadata=call.metadata, timeout=TIMEOUT)
        return 201, _team(team)

    @route("GET", f"{PREFIX}/teams", summary="Teams: all for the sekretariat, its own for a "
           "member", tag=TAG, roles=PEMBINAAN, query=s.TeamsQuery,
           responses={200: s.TeamListOut})
    def pembinaan_list_teams(self, call: Call):
        reply = self.pembinaan.ListTeams(from_dict(call.query, pem.ListTeamsRequest),
                                         metadata=call.metadata, timeout=TIMEOUT)
        return 200, _listed(reply, _team)

    @route("GET", f"{PREFIX}/teams/<string:team_id>", summary="A team and its establishment",
           tag=TAG, roles=PEMBINAAN, responses={200: s.TeamOut})
    def pembinaan_get_team(self, call: Call):
        team = self.pembinaan.GetTeam(pem.GetTeamRequest(team_id=call.path_args["team_id"]),
                                      metadata=call.metadata, timeout=TIMEOUT)
        return 200, _team(team)

    @route("POST", f"{PREFIX}/teams/<string:team_id>/members", summary="Add a member (an "
           "account of role pembina) as ketua, koordinator or anggota; one ketua per team",
           tag=TAG, roles=SEKRETARIAT, body=s.MemberBody, responses={201: s.MemberOut})
    def pembinaan_add_member(self, call: Call):
        try:
            account = self.registration.GetAccount(
                reg.GetAccountRequest(account_id=call.body["account_id"]),
                metadata=call.metadata, timeout=TIMEOUT)
        except GrpcError as error:
            refusal = problem_from_grpc_error(error)
            if isinstance(refusal, NotFound):
                raise InvalidInput({"account_id": ["No account has this id."]}) from None
            raise
        member = self.pembinaan.AddMember(pem.AddMemberRequest(
            team_id=call.path_args["team_id"], account_id=account.id,
            position=call.body["position"], account_role=account.role, email=account.email),
            metadata=call.metadata, timeout=TIMEOUT)
        return 201, _member(member)

    @route("GET", f"{PREFIX}/teams/<string:team_id>/members", summary="A team's members",
           tag=TAG, roles=SEKRETARIAT, responses={200: s.MemberListOut})
    def pembinaan_list_members(self, call: Call):
        reply = self.pembinaan.ListMembers(pem.GetTeamRequest(
            team_id=call.path_args["team_id"]), metadata=call.metadata, timeout=TIMEOUT)
        return 200, _listed(reply, _member)

    @route("PUT", f"{PREFIX}/teams/<string:team_id>/establishment", summary="The team's "
           "establishment document: a multipart form with kind (sk/surat_tugas), number, date "
           "and file (a PDF, judged by its bytes)", tag=TAG, roles=PEMBINAAN, upload=MULTIPART,
           responses={200: s.EstablishmentOut})
    def pembinaan_put_establishment(self, call: Call):
        fields, content, content_type = _multipart(call)
        kept = self.pembinaan.PutEstablishment(pem.PutEstablishmentRequest(
            team_id=call.path_args["team_id"], kind=fields["kind"], number=fields["number"],
            date=fields["date"], content=content, content_type=content_type or ""),
            metadata=call.metadata, timeout=TIMEOUT)
        data = to_dict(kept)
        return 200, {key: data[key] for key in ("kind", "number", "date", "sha256", "size")}

    @route("POST", f"{PREFIX}/teams/<string:team_id>/internalisations", summary="Document "
           "the internalisation of the training within the team (due by the second week of "
           "January)", tag=TAG, roles=PEMBINAAN, body=s.InternalisationBody,
           responses={201: s.InternalisationOut})
    def pembinaan_add_internalisation(self, call: Call):
        kept = self.pembinaan.AddInternalisation(from_dict(
            {"team_id": call.path_args["team_id"], **_given(call.body)},
            pem.AddInternalisationRequest), metadata=call.metadata, timeout=TIMEOUT)
        return 201, _record(kept, s.InternalisationOut)

    # -- lokus --------------------------------------------------------------------------------

    @route("POST", f"{PREFIX}/lokus", summary="Add a lokus binaan (K/L, pemda provinsi, "
           "pemda kabupaten/kota) to a team", tag=TAG, roles=SEKRETARIAT, body=s.LokusBody,
           responses={201: s.LokusOut})
    def pembinaan_create_lokus(self, call: Call):
        lokus = self.pembinaan.CreateLokus(from_dict(call.body, pem.CreateLokusRequest),
                                           metadata=call.metadata, timeout=TIMEOUT)
        return 201, to_dict(lokus)

    @route("GET", f"{PREFIX}/lokus", summary="Lokus binaan (of one team with ?team_id=)",
           tag=TAG, roles=PEMBINAAN, query=s.LokusQuery, responses={200: s.LokusListOut})
    def pembinaan_list_lokus(self, call: Call):
        reply = self.pembinaan.ListLokus(from_dict(call.query, pem.ListLokusRequest),
                                         metadata=call.metadata, timeout=TIMEOUT)
        return 200, _listed(reply, to_dict)

    @route("GET", f"{PREFIX}/lokus/<string:lokus_id>", summary="A lokus binaan", tag=TAG,
           roles=PEMBINAAN, responses={200: s.LokusOut})
    def pembinaan_get_lokus(self, call: Call):
        lokus = self.pembinaan.GetLokus(pem.GetLokusRequest(lokus_id=call.path_args["lokus_id"]),
                                        metadata=call.metadata, timeout=TIMEOUT)
        return 200, to_dict(lokus)

    # -- documentation of a lokus -------------------------------------------------------------

    @route("PUT", f"{PREFIX}/lokus/<string:lokus_id>/contacts", summary="The 16 narahubung "
           "fields (null: not known yet, counted as incomplete)", tag=TAG, roles=PEMBINAAN,
           body=s.ContactsBody, responses={200: s.ContactsOut})
    def pembinaan_put_contacts(self, call: Call):
        kept = self.pembinaan.PutContacts(from_dict(
            {"lokus_id": call.path_args["lokus_id"], **_given(call.body)}, pem.Contacts),
            metadata=call.metadata, timeout=TIMEOUT)
        return 200, _record(kept, s.ContactsOut)

    @route("GET", f"{PREFIX}/lokus/<string:lokus_id>/contacts", summary="The lokus' "
           "narahubung", tag=TAG, roles=PEMBINAAN, responses={200: s.ContactsOut})
    def pembinaan_get_contacts(self, call: Call):
        kept = self.pembinaan.GetContacts(pem.GetLokusRequest(
            lokus_id=call.path_args["lokus_id"]), metadata=call.metadata, timeout=TIMEOUT)
        return 200, _record(kept, s.ContactsOut)

    @route("POST", f"{PREFIX}/lokus/<string:lokus_id>/statistical-activities", summary="Add "
           "a kegiatan statistik to the lokus' inventory", tag=TAG, roles=PEMBINAAN,
           body=s.StatisticalActivityBody, responses={201: s.StatisticalActivityOut})
    def pembinaan_add_statistical_activity(self, call: Call):
        kept = self.pembinaan.AddStatisticalActivity(from_dict(
            {"lokus_id": call.path_args["lokus_id"], **_given(call.body)},
            pem.StatisticalActivity), metadata=call.metadata, timeout=TIMEOUT)
        return 201, _record(kept, s.StatisticalActivityOut)

    @route("GET", f"{PREFIX}/lokus/<string:lokus_id>/statistical-activities", summary="The "
           "lokus' inventory of kegiatan statistik", tag=TAG, roles=PEMBINAAN,
           query=s.ListQuery, responses={200: s.StatisticalActivityListOut})
    def pembinaan_list_statistical_activities(self, call: Call):
        reply = self.pembinaan.ListStatisticalActivities(_list_request(call),
                                                         metadata=call.metadata,
                                                         timeout=TIMEOUT)
        return 200, _listed(reply, lambda item: _record(item, s.StatisticalActivityOut))

    @route("PATCH", f"{PREFIX}/statistical-activities/<string:record_id>", summary="Change "
           "fields of an inventory entry", tag=TAG, roles=PEMBINAAN,
           body=s.StatisticalActivityPatch, responses={200: s.StatisticalActivityOut})
    def pembinaan_update_statistical_activity(self, call: Call):
        kept = self.pembinaan.UpdateStatisticalActivity(from_dict(
            {"id": call.path_args["record_id"], **_given(call.body)},
            pem.StatisticalActivityChanges), metadata=call.metadata, timeout=TIMEOUT)
        return 200, _record(kept, s.StatisticalActivityOut)

    @route("POST", f"{PREFIX}/lokus/<string:lokus_id>/epss-candidates", summary="Add a "
           "kandidat kegiatan statistik for EPSS", tag=TAG, roles=PEMBINAAN,
           body=s.EpssCandidateBody, responses={201: s.EpssCandidateOut})
    def pembinaan_add_epss_candidate(self, call: Call):
        kept = self.pembinaan.AddEpssCandidate(from_dict(
            {"lokus_id": call.path_args["lokus_id"], **_given(call.body)}, pem.EpssCandidate),
            metadata=call.metadata, timeout=TIMEOUT)
        return 201, _record(kept, s.EpssCandidateOut)

    @route("GET", f"{PREFIX}/lokus/<string:lokus_id>/epss-candidates", summary="The lokus' "
           "EPSS candidates", tag=TAG, roles=PEMBINAAN, query=s.ListQuery,
           responses={200: s.EpssCandidateListOut})
    def pembinaan_list_epss_candidates(self, call: Call):
        reply = self.pembinaan.ListEpssCandidates(_list_request(call), metadata=call.metadata,
                                                  timeout=TIMEOUT)
        return 200, _listed(reply, lambda item: _record(item, s.EpssCandidateOut))

    @route("POST", f"{PREFIX}/lokus/<string:lokus_id>/work-plan", summary="Add an item to "
           "the lokus' rencana kerja", tag=TAG, roles=PEMBINAAN, body=s.PlanItemBody,
           responses={201: s.PlanItemOut})
    def pembinaan_add_plan_item(self, call: Call):
        kept = self.pembinaan.AddPlanItem(from_dict(
            {"lokus_id": call.path_args["lokus_id"], **_given(call.body)}, pem.PlanItem),
            metadata=call.metadata, timeout=TIMEOUT)
        return 201, _record(kept, s.PlanItemOut)

    @route("GET", f"{PREFIX}/lokus/<string:lokus_id>/work-plan", summary="The lokus' "
           "rencana kerja", tag=TAG, roles=PEMBINAAN, query=s.ListQuery,
           responses={200: s.PlanItemListOut})
    def pembinaan_list_plan_items(self, call: Call):
        reply = self.pembinaan.ListPlanItems(_list_request(call), metadata=call.metadata,
                                             timeout=TIMEOUT)
        return 200, _listed(reply, lambda item: _record(item, s.PlanItemOut))

    @route("PATCH", f"{PREFIX}/work-plan/<string:record_id>", summary="Change fields of a "
           "plan item", tag=TAG, roles=PEMBINAAN, body=s.PlanItemPatch,
           responses={200: s.PlanItemOut})
    def pembinaan_update_plan_item(self, call: Call):
        kept = self.pembinaan.UpdatePlanItem(from_dict(
            {"id": call.path_args["record_id"], **_given(call.body)}, pem.PlanItemChanges),
            metadata=call.metadata, timeout=TIMEOUT)
        return 200, _record(kept, s.PlanItemOut)

    @route("GET", f"{PREFIX}/lokus/<string:lokus_id>/work-plan/check", summary="The plan's "
           "problems: too_few_items, fullday_budget_mismatch, overdue_unrealised, "
           "unplanned_activity", tag=TAG, roles=PEMBINAAN, responses={200: s.PlanCheckOut})
    def pembinaan_check_work_plan(self, call: Call):
        reply = self.pembinaan.CheckWorkPlan(pem.GetLokusRequest(
            lokus_id=call.path_args["lokus_id"]), metadata=call.metadata, timeout=TIMEOUT)
        data = to_dict(reply)
        return 200, {"ok": data["ok"], "problems": data.get("problems") or []}

    @route("POST", f"{PREFIX}/lokus/<string:lokus_id>/activities", summary="Document a "
           "realised activity (aktivitas pembinaan)", tag=TAG, roles=PEMBINAAN,
           body=s.RealisedActivityBody, responses={201: s.RealisedActivityOut})
    def pembinaan_add_activity(self, call: Call):
        kept = self.pembinaan.AddActivity(from_dict(
            {"lokus_id": call.path_args["lokus_id"], **_given(call.body)}, pem.Activity),
            metadata=call.metadata, timeout=TIMEOUT)
        return 201, _activity(kept)

    @route("GET", f"{PREFIX}/lokus/<string:lokus_id>/activities", summary="The lokus' "
           "realised activities with their evidence", tag=TAG, roles=PEMBINAAN,
           query=s.ListQuery, responses={200: s.RealisedActivityListOut})
    def pembinaan_list_activities(self, call: Call):
        reply = self.pembinaan.ListActivities(_list_request(call), metadata=call.metadata,
                                              timeout=TIMEOUT)
        return 200, _listed(reply, _activity)

    @route("PUT", f"{PREFIX}/activities/<string:activity_id>/evidence/<int:n>", summary="An "
           "evidence file of the activity (PDF, JPEG or PNG, judged by its bytes), number "
           "1-10", tag=TAG, roles=PEMBINAAN, upload=DOCUMENT_CONTENT_TYPES,
           responses={201: s.EvidenceOut})
    def pembinaan_put_evidence(self, call: Call):
        n = call.path_args["n"]
        if not 1 <= n <= 10:
            raise InvalidInput({"n": ["Use an evidence number from 1 to 10."]})
        kept = self.pembinaan.PutEvidence(pem.PutEvidenceRequest(
            activity_id=call.path_args["activity_id"], n=n, content=call.body,
            content_type=call.request.headers.get("Content-Type", "")),
            metadata=call.metadata, timeout=TIMEOUT)
        return 201, to_dict(kept)

    # -- requests from outside BPS ------------------------------------------------------------

    @route("POST", f"{PREFIX}/requests", summary="Record a request for pembinaan from a K/L "
           "or Pemda (inisiatif non-BPS)", tag=TAG, roles=REQUESTERS, body=s.RequestBody,
           responses={201: s.RequestOut})
    def pembinaan_create_request(self, call: Call):
        kept = self.pembinaan.CreateRequest(from_dict(call.body, pem.CreateRequestRequest),
                                            metadata=call.metadata, timeout=TIMEOUT)
        return 201, _request(kept)

    @route("GET", f"{PREFIX}/requests", summary="Requests the caller may see (admin_satker: "
           "its satker's; pembina: its teams'; sekretariat: all)", tag=TAG, roles=REQUESTERS,
           query=s.RequestsQuery, responses={200: s.RequestListOut})
    def pembinaan_list_requests(self, call: Call):
        reply = self.pembinaan.ListRequests(from_dict(call.query, pem.ListRequestsRequest),
                                            metadata=call.metadata, timeout=TIMEOUT)
        return 200, _listed(reply, _request)

    @route("GET", f"{PREFIX}/requests/<string:request_id>", summary="A request and its "
           "history", tag=TAG, roles=REQUESTERS, responses={200: s.RequestOut})
    def pembinaan_get_request(self, call: Call):
        kept = self.pembinaan.GetRequest(pem.GetRequestRequest(
            request_id=call.path_args["request_id"]), metadata=call.metadata, timeout=TIMEOUT)
        return 200, _request(kept)

    @route("GET", f"{PREFIX}/requests/<string:request_id>/escalation-targets", summary="The "
           "teams the request may be escalated to: one level up of its team, same year",
           tag=TAG, roles=PEMBINAAN, responses={200: s.TeamListOut})
    def pembinaan_escalation_targets(self, call: Call):
        reply = self.pembinaan.ListEscalationTargets(pem.GetRequestRequest(
            request_id=call.path_args["request_id"]), metadata=call.metadata, timeout=TIMEOUT)
        return 200, _listed(reply, _team)

    @route("POST", f"{PREFIX}/requests/<string:request_id>/transitions", summary="Move a "
           "request on: disposed (with team_id), capacity_confirmed, escalated (team_id one "
           "level up), in_progress, documented (with activity_id)", tag=TAG, roles=REQUESTERS,
           body=s.TransitionBody, responses={200: s.RequestOut})
    def pembinaan_transition_request(self, call: Call):
        kept = self.pembinaan.TransitionRequest(from_dict(
            {"request_id": call.path_args["request_id"], **_given(call.body)},
            pem.TransitionRequestRequest), metadata=call.metadata, timeout=TIMEOUT)
        return 200, _request(kept)

    # -- the sekretariat's values -------------------------------------------------------------

    @route("PUT", f"{PREFIX}/ips/<string:lokus_id>/<int:year>", summary="The lokus' IPS for "
           "the year (1.0-5.0) and its grade", tag=TAG, roles=SEKRETARIAT, body=s.IpsBody,
           responses={200: s.IpsOut})
    def pembinaan_put_ips(self, call: Call):
        kept = self.pembinaan.PutIps(pem.PutIpsRequest(
            lokus_id=call.path_args["lokus_id"], year=_year(call),
            value=float(call.body["value"])), metadata=call.metadata, timeout=TIMEOUT)
        return 200, to_dict(kept)

    @route("PUT", f"{PREFIX}/deadlines/<int:year>", summary="The reporting deadlines of the "
           "five documentation types for the year", tag=TAG, roles=SEKRETARIAT,
           body=s.DeadlinesBody, responses={200: s.DeadlinesOut})
    def pembinaan_put_deadlines(self, call: Call):
        kept = self.pembinaan.PutDeadlines(from_dict({"year": _year(call), **call.body},
                                                     pem.Deadlines),
                                           metadata=call.metadata, timeout=TIMEOUT)
        return 200, to_dict(kept)

    @route("GET", f"{PREFIX}/deadlines/<int:year>", summary="The year's reporting deadlines "
           "(none set -> 404)", tag=TAG, roles=PEMBINAAN, responses={200: s.DeadlinesOut})
    def pembinaan_get_deadlines(self, call: Call):
        kept = self.pembinaan.GetDeadlines(pem.DeadlinesRequest(year=_year(call)),
                                           metadata=call.metadata, timeout=TIMEOUT)
        return 200, to_dict(kept)

    @route("PUT", f"{PREFIX}/budgets/<int:year>/<string:team_id>", summary="The BPS-funded "
           "fullday meetings of the team for the year (2025: two per direktorat)", tag=TAG,
           roles=SEKRETARIAT, body=s.BudgetBody, responses={200: s.BudgetOut})
    def pembinaan_put_budget(self, call: Call):
        kept = self.pembinaan.PutBudget(pem.Budget(
            year=_year(call), team_id=call.path_args["team_id"],
            fullday_meetings=call.body["fullday_meetings"]), metadata=call.metadata,
            timeout=TIMEOUT)
        return 200, to_dict(kept)

    @route("POST", f"{PREFIX}/trainings", summary="Record capacity building a pembina "
           "attended", tag=TAG, roles=SEKRETARIAT, body=s.TrainingBody,
           responses={201: s.TrainingOut})
    def pembinaan_add_training(self, call: Call):
        kept = self.pembinaan.AddTraining(from_dict(call.body, pem.Training),
                                          metadata=call.metadata, timeout=TIMEOUT)
        return 201, to_dict(kept)

    @route("GET", f"{PREFIX}/trainings", summary="Capacity building attended (of a year with "
           "?year=)", tag=TAG, roles=SEKRETARIAT, query=s.TrainingsQuery,
           responses={200: s.TrainingListOut})
    def pembinaan_list_trainings(self, call: Call):
        reply = self.pembinaan.ListTrainings(from_dict(call.query, pem.ListTrainingsRequest),
                                             metadata=call.metadata, timeout=TIMEOUT)
        return 200, _listed(reply, to_dict)

    # -- monitoring ---------------------------------------------------------------------------

    @route("GET", f"{PREFIX}/monitoring", summary="Monitoring per year and semester: "
           "documentation status against the deadlines, completeness, plan vs realisation, "
           "capacity building, IPS; &format=xlsx for the workbook", tag=TAG, roles=PEMBINAAN,
           query=s.MonitoringQuery, responses={200: s.MonitoringOut})
    def pembinaan_monitoring(self, call: Call):
        asked = pem.MonitoringRequest(year=call.query["year"], semester=call.query["semester"],
                                      format=call.query["format"])
        if call.query["format"] == "xlsx":
            exported = self.pembinaan.ExportMonitoring(asked, metadata=call.metadata,
                                                       timeout=TIMEOUT)
            return Response(exported.content, content_type=exported.content_type, headers={
                "Content-Disposition": f'attachment; filename="{exported.filename}"',
                "Cache-Control": "private, no-store"})
        report = self.pembinaan.Monitoring(asked, metadata=call.metadata, timeout=TIMEOUT)
        return 200, _monitoring(report)


def _given(body: dict) -> dict:
    """The body without its nulls: an unset optional field is null on the other side."""
    return {name: value for name, value in body.items() if value is not None}


def _list_request(call: Call):
    return pem.ListRecordsRequest(lokus_id=call.path_args["lokus_id"],
                                  page=call.query["page"], per_page=call.query["per_page"])
