"""Pembinaan's entrypoints: the gRPC side (teams, lokus, documentation, requests, the
sekretariat's values, monitoring, the budget calculators; the health check comes from
HealthCheck) and the notifier following pembinaan's own events (idempotent, retried, never
dropped). Thin: translate, delegate to one use case."""
from __future__ import annotations

import pembinaan_pb2 as pb
import pembinaan_pb2_grpc
from services.pembinaan.persistence.unit_of_work import PembinaanUnitOfWork
from services.pembinaan.use_cases import (
    budget,
    monitoring,
    notifications,
    records,
    requests,
    settings,
    teams,
)
from services.shared.contracts.events import (
    PEMBINAAN_ACTIVITY_DOCUMENTED,
    REQUEST_TRANSITIONED,
    PembinaanActivityDocumentedPayload,
    RequestTransitionedPayload,
)
from services.shared.platform.config import upload_max_bytes
from services.shared.platform.inbox import handle_once
from services.shared.platform.messaging import reliable_event_handler
from services.shared.platform.proto import from_proto, page_bounds, to_proto
from services.shared.platform.rpc import Database, HealthCheck, grpc_entrypoint, rpc
from services.shared.platform.storage import default_storage

grpc = grpc_entrypoint(pembinaan_pb2_grpc.PembinaanStub)
# Who reaches pembinaan's records at all; the use cases narrow it to a team's members.
PEMBINAAN = ("pembina", "sekretariat", "superadmin")
REQUESTERS = ("admin_satker", *PEMBINAAN)
SEKRETARIAT = ("sekretariat", "superadmin")


def _page(asked: dict) -> tuple[int, int]:
    return page_bounds(asked["page"], asked["per_page"])


def _without_ids(asked: dict) -> dict:
    return {name: value for name, value in asked.items()
            if name not in ("id", "lokus_id", "created_at", "updated_at")}


def _status(entry: dict) -> pb.DocumentationStatus:
    return pb.DocumentationStatus(status=entry["status"], at=entry["at"].isoformat()
                                  if entry["at"] is not None else None)


def _monitoring_reply(report: dict) -> pb.MonitoringReport:
    """The report as its message, built field by field: the national picture has hundreds
    of teams, and to_proto's JSON round trip costs several times the queries (see
    bench/monitoring.py)."""
    return pb.MonitoringReport(year=report["year"], semester=report["semester"], items=[
        pb.MonitoringItem(
            team_id=item["team_id"], name=item["name"], level=item["level"],
            unit_code=item["unit_code"],
            documentation=pb.Documentation(**{kind: _status(entry) for kind, entry in
                                              item["documentation"].items()}),
            completeness=item["completeness"], plan=pb.PlanFigures(**item["plan"]),
            members_trained=item["members_trained"], members_total=item["members_total"],
            capacity_building=item["capacity_building"],
            internalisation=_status(item["internalisation"]), flags=item["flags"],
            lokus=[pb.LokusIps(**lokus) for lokus in item["lokus"]])
        for item in report["items"]])


class PembinaanService(HealthCheck):
    name = "pembinaan"
    db = Database("pembinaan")
    unit_of_work = PembinaanUnitOfWork
    storage = default_storage()

    # -- the notifier (its own events; see use_cases/notifications.py) ------------------------

    @reliable_event_handler("pembinaan", REQUEST_TRANSITIONED)
    def on_request_transitioned(self, body):
        handle_once(self.db.sessions, self.unit_of_work, "pembinaan.on_request_transitioned",
                    body, RequestTransitionedPayload(), notifications.request_transitioned)

    @reliable_event_handler("pembinaan", PEMBINAAN_ACTIVITY_DOCUMENTED)
    def on_activity_documented(self, body):
        handle_once(self.db.sessions, self.unit_of_work, "pembinaan.on_activity_documented",
                    body, PembinaanActivityDocumentedPayload(),
                    notifications.pembinaan_activity_documented)

    @grpc
    def Ping(self, request, context):
        return pb.PingReply()

    @grpc
    @rpc()
    def FulldayBudget(self, request, identity, uow):
        return to_proto(budget.fullday_budget(uow, from_proto(request)["kl_count"]),
                        pb.FulldayBudgetReply)

    @grpc
    @rpc()
    def TransportBudget(self, request, identity, uow):
        return to_proto(budget.transport_budget(uow, from_proto(request)["kl_count"]),
                        pb.TransportBudgetReply)

    # -- teams --------------------------------------------------------------------------------

    @grpc
    @rpc(roles=SEKRETARIAT, idempotent=True)
    def CreateTeam(self, request, identity, uow):
        return to_proto(teams.create_team(uow, identity, **from_proto(request)), pb.Team)

    @grpc
    @rpc(roles=PEMBINAAN)
    def ListTeams(self, request, identity, uow):
        asked = from_proto(request)
        return to_proto(teams.list_teams(uow, identity, asked["year"], *_page(asked)),
                        pb.TeamList)

    @grpc
    @rpc(roles=PEMBINAAN)
    def GetTeam(self, request, identity, uow):
        return to_proto(teams.get_team(uow, identity, request.team_id), pb.Team)

    @grpc
    @rpc(roles=SEKRETARIAT, idempotent=True)
    def AddMember(self, request, identity, uow):
        return to_proto(teams.add_member(uow, identity, **from_proto(request)), pb.Member)

    @grpc
    @rpc(roles=SEKRETARIAT)
    def ListMembers(self, request, identity, uow):
        return to_proto(teams.list_members(uow, identity, request.team_id), pb.MemberList)

    @grpc
    @rpc(roles=PEMBINAAN, idempotent=True)
    def PutEstablishment(self, request, identity, uow):
        asked = from_proto(request, dates=("date",))
        return to_proto(teams.put_establishment(
            uow, self.storage, identity, asked["team_id"], asked["kind"], asked["number"],
            asked["date"], asked["content"], asked["content_type"] or None,
            upload_max_bytes()), pb.Establishment)

    @grpc
    @rpc(roles=PEMBINAAN, idempotent=True)
    def AddInternalisation(self, request, identity, uow):
        asked = from_proto(request, dates=("tanggal",))
        return to_proto(teams.add_internalisation(uow, identity, asked["team_id"],
                                                  asked["tanggal"], asked["ringkasan"]),
                        pb.Internalisation)

    @grpc
    @rpc(roles=SEKRETARIAT, idempotent=True)
    def CreateLokus(self, request, identity, uow):
        return to_proto(teams.create_lokus(uow, identity, **from_proto(request)), pb.Lokus)

    @grpc
    @rpc(roles=PEMBINAAN)
    def ListLokus(self, request, identity, uow):
        asked = from_proto(request)
        return to_proto(teams.list_lokus(uow, identity, asked["team_id"], *_page(asked)),
                        pb.LokusList)

    @grpc
    @rpc(roles=PEMBINAAN)
    def GetLokus(self, request, identity, uow):
        return to_proto(teams.get_lokus(uow, identity, request.lokus_id), pb.Lokus)

    # -- documentation ------------------------------------------------------------------------

    @grpc
    @rpc(roles=PEMBINAAN, idempotent=True)
    def PutContacts(self, request, identity, uow):
        asked = from_proto(request)
        return to_proto(records.put_contacts(uow, identity, asked["lokus_id"],
                                             _without_ids(asked)), pb.Contacts)

    @grpc
    @rpc(roles=PEMBINAAN)
    def GetContacts(self, request, identity, uow):
        return to_proto(records.get_contacts(uow, identity, request.lokus_id), pb.Contacts)

    @grpc
    @rpc(roles=PEMBINAAN, idempotent=True)
    def AddStatisticalActivity(self, request, identity, uow):
        asked = from_proto(request)
        return to_proto(records.add_statistical_activity(
            uow, identity, asked["lokus_id"], _without_ids(asked)), pb.StatisticalActivity)

    @grpc
    @rpc(roles=PEMBINAAN)
    def ListStatisticalActivities(self, request, identity, uow):
        asked = from_proto(request)
        return to_proto(records.list_records(uow, identity, records.INVENTORY,
                                             asked["lokus_id"], *_page(asked)),
                        pb.StatisticalActivityList)

    @grpc
    @rpc(roles=PEMBINAAN, idempotent=True)
    def UpdateStatisticalActivity(self, request, identity, uow):
        asked = from_proto(request)
        changes = {name: value for name, value in _without_ids(asked).items()
                   if value is not None}
        return to_proto(records.update_statistical_activity(uow, identity, asked["id"],
                                                            changes), pb.StatisticalActivity)

    @grpc
    @rpc(roles=PEMBINAAN, idempotent=True)
    def AddEpssCandidate(self, request, identity, uow):
        asked = from_proto(request)
        return to_proto(records.add_epss_candidate(uow, identity, asked["lokus_id"],
                                                   _without_ids(asked)), pb.EpssCandidate)

    @grpc
    @rpc(roles=PEMBINAAN)
    def ListEpssCandidates(self, request, identity, uow):
        asked = from_proto(request)
        return to_proto(records.list_records(uow, identity, records.EPSS, asked["lokus_id"],
                                             *_page(asked)), pb.EpssCandidateList)

    @grpc
    @rpc(roles=PEMBINAAN, idempotent=True)
    def AddPlanItem(self, request, identity, uow):
        asked = from_proto(request, dates=("tanggal_rencana",))
        return to_proto(records.add_plan_item(uow, identity, asked["lokus_id"],
                                              _without_ids(asked)), pb.PlanItem)

    @grpc
    @rpc(roles=PEMBINAAN)
    def ListPlanItems(self, request, identity, uow):
        asked = from_proto(request)
        return to_proto(records.list_records(uow, identity, records.WORK_PLAN,
                                             asked["lokus_id"], *_page(asked)),
                        pb.PlanItemList)

    @grpc
    @rpc(roles=PEMBINAAN, idempotent=True)
    def UpdatePlanItem(self, request, identity, uow):
        asked = from_proto(request, dates=("tanggal_rencana",))
        changes = {name: value for name, value in _without_ids(asked).items()
                   if value is not None}
        return to_proto(records.update_plan_item(uow, identity, asked["id"], changes),
                        pb.PlanItem)

    @grpc
    @rpc(roles=PEMBINAAN)
    def CheckWorkPlan(self, request, identity, uow):
        return to_proto(records.check_work_plan(uow, identity, request.lokus_id), pb.PlanCheck)

    @grpc
    @rpc(roles=PEMBINAAN, idempotent=True)
    def AddActivity(self, request, identity, uow):
        asked = from_proto(request, dates=("tanggal",))
        fields = {name: value for name, value in _without_ids(asked).items()
                  if name != "evidence"}
        return to_proto(records.add_activity(uow, identity, asked["lokus_id"], fields),
                        pb.Activity)

    @grpc
    @rpc(roles=PEMBINAAN)
    def ListActivities(self, request, identity, uow):
        asked = from_proto(request)
        return to_proto(records.list_activities(uow, identity, asked["lokus_id"],
                                                *_page(asked)), pb.ActivityList)

    @grpc
    @rpc(roles=PEMBINAAN, idempotent=True)
    def PutEvidence(self, request, identity, uow):
        asked = from_proto(request)
        return to_proto(records.put_evidence(
            uow, self.storage, identity, asked["activity_id"], asked["n"], asked["content"],
            asked["content_type"] or None, upload_max_bytes()), pb.Evidence)

    # -- requests -----------------------------------------------------------------------------

    @grpc
    @rpc(roles=REQUESTERS, idempotent=True)
    def CreateRequest(self, request, identity, uow):
        return to_proto(requests.create_request(
            uow, identity, **from_proto(request, dates=("letter_date",))), pb.PembinaanRequest)

    @grpc
    @rpc(roles=REQUESTERS)
    def ListRequests(self, request, identity, uow):
        asked = from_proto(request)
        return to_proto(requests.list_requests(uow, identity, asked["status"], *_page(asked)),
                        pb.PembinaanRequestList)

    @grpc
    @rpc(roles=REQUESTERS)
    def GetRequest(self, request, identity, uow):
        return to_proto(requests.get_request(uow, identity, request.request_id),
                        pb.PembinaanRequest)

    @grpc
    @rpc(roles=PEMBINAAN)
    def ListEscalationTargets(self, request, identity, uow):
        return to_proto(requests.escalation_targets(uow, identity, request.request_id),
                        pb.TeamList)

    @grpc
    @rpc(roles=REQUESTERS, idempotent=True)
    def TransitionRequest(self, request, identity, uow):
        return to_proto(requests.transition(uow, identity, **from_proto(request)),
                        pb.PembinaanRequest)

    # -- the sekretariat's values -------------------------------------------------------------

    @grpc
    @rpc(roles=SEKRETARIAT, idempotent=True)
    def PutIps(self, request, identity, uow):
        return to_proto(settings.put_ips(uow, identity, **from_proto(request)), pb.IpsReply)

    @grpc
    @rpc(roles=SEKRETARIAT, idempotent=True)
    def PutDeadlines(self, request, identity, uow):
        names = ("establishment", "contacts", "statistical_activities", "epss_candidates",
                 "work_plan")
        asked = from_proto(request, dates=names)
        return to_proto(settings.put_deadlines(uow, identity, asked["year"],
                                               {name: asked[name] for name in names}),
                        pb.Deadlines)

    @grpc
    @rpc(roles=PEMBINAAN)
    def GetDeadlines(self, request, identity, uow):
        return to_proto(settings.get_deadlines(uow, identity, request.year), pb.Deadlines)

    @grpc
    @rpc(roles=SEKRETARIAT, idempotent=True)
    def PutBudget(self, request, identity, uow):
        asked = from_proto(request)
        return to_proto(settings.put_budget(uow, identity, asked["year"], asked["team_id"],
                                            asked["fullday_meetings"]), pb.Budget)

    @grpc
    @rpc(roles=SEKRETARIAT, idempotent=True)
    def AddTraining(self, request, identity, uow):
        asked = from_proto(request, dates=("date",))
        return to_proto(settings.add_training(uow, identity, asked["account_id"],
                                              asked["title"], asked["date"]), pb.Training)

    @grpc
    @rpc(roles=SEKRETARIAT)
    def ListTrainings(self, request, identity, uow):
        asked = from_proto(request)
        return to_proto(settings.list_trainings(uow, identity, asked["year"], *_page(asked)),
                        pb.TrainingList)

    # -- monitoring ---------------------------------------------------------------------------

    @grpc
    @rpc(roles=PEMBINAAN)
    def Monitoring(self, request, identity, uow):
        return _monitoring_reply(monitoring.monitoring(uow, identity, request.year,
                                                       request.semester))

    @grpc
    @rpc(roles=PEMBINAAN)
    def ExportMonitoring(self, request, identity, uow):
        return to_proto(monitoring.export_monitoring(uow, identity, request.year,
                                                     request.semester, request.format),
                        pb.ExportFile)
