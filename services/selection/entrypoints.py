"""Selection's entrypoints: the consumers of registration's and assessment's events
(idempotent, retried, never dropped), the gRPC side of the administrative review and of the
final selection, and the announcer (a timer in the service, run by one replica at a time).
Thin: convert, call one use case."""
from __future__ import annotations

import logging

from nameko.timer import timer

import selection_pb2 as pb
import selection_pb2_grpc
from services.selection.adapters.settings import announcement_interval_seconds
from services.selection.domain.final_selection import COMPONENTS
from services.selection.persistence.unit_of_work import SelectionUnitOfWork
from services.selection.use_cases import (
    activities,
    announcement,
    assessment_results,
    export,
    final_selection,
    intake,
    mitra_directory,
    reviews,
)
from services.shared.contracts.events import (
    ACTIVITY_CHANGED,
    ACTIVITY_PUBLISHED,
    APPLICATION_SUBMITTED,
    ATTEMPT_COMPLETED,
    PROFILE_UPDATED,
    TEST_MISSED,
    ActivityPayload,
    ApplicationSubmittedPayload,
    AttemptCompletedPayload,
    ProfileUpdatedPayload,
    TestMissedPayload,
)
from services.shared.contracts.identity import ADMIN_ROLES, MITRA, SERVICE
from services.shared.platform.correlation import correlated
from services.shared.platform.database import unit_of_work, utcnow
from services.shared.platform.inbox import handle_once
from services.shared.platform.messaging import reliable_event_handler
from services.shared.platform.proto import from_proto, page_bounds, to_proto
from services.shared.platform.rpc import Database, HealthCheck, grpc_entrypoint, rpc

log = logging.getLogger(__name__)
grpc = grpc_entrypoint(selection_pb2_grpc.SelectionStub)
mitra_directory_grpc = grpc_entrypoint(selection_pb2_grpc.MitraDirectoryStub)
ANNOUNCEMENT_INTERVAL = announcement_interval_seconds()


def ranking_reply(ranking: dict) -> pb.Ranking:
    """The Ranking message, built field by field: a ranking has thousands of entries, and the
    generic conversion (through JSON) would take longer than the ranking itself."""
    def entry(item: dict) -> pb.RankedCandidate:
        message = pb.RankedCandidate(
            application_id=item["application_id"],
            registration_number=item["registration_number"], full_name=item["full_name"],
            total=item["total"], components=[item["components"][name] for name in COMPONENTS],
            test_score=item["test_score"], final_status=item["final_status"],
            mitra_elsewhere=item["mitra_elsewhere"])
        if item["rank"] is not None:
            message.rank = item["rank"]
        if item["interview_score"] is not None:
            message.interview_score = item["interview_score"]
        return message
    return pb.Ranking(items=[entry(item) for item in ranking["items"]],
                      below_minimum=[entry(item) for item in ranking["below_minimum"]],
                      total=ranking["total"], components=COMPONENTS,
                      below_minimum_total=ranking["below_minimum_total"])


class SelectionService(HealthCheck):
    name = "selection"
    db = Database("selection")
    unit_of_work = SelectionUnitOfWork

    @reliable_event_handler("registration", APPLICATION_SUBMITTED)
    def on_application_submitted(self, body):
        handle_once(self.db.sessions, self.unit_of_work, "selection.on_application_submitted",
                    body, ApplicationSubmittedPayload(), intake.record_submitted_application)

    @reliable_event_handler("registration", PROFILE_UPDATED)
    def on_profile_updated(self, body):
        handle_once(self.db.sessions, self.unit_of_work, "selection.on_profile_updated", body,
                    ProfileUpdatedPayload(), intake.follow_profile_update)

    @reliable_event_handler("registration", ACTIVITY_PUBLISHED)
    def on_activity_published(self, body):
        handle_once(self.db.sessions, self.unit_of_work, "selection.on_activity_published",
                    body, ActivityPayload(), activities.follow_activity)

    @reliable_event_handler("registration", ACTIVITY_CHANGED)
    def on_activity_changed(self, body):
        handle_once(self.db.sessions, self.unit_of_work, "selection.on_activity_changed", body,
                    ActivityPayload(), activities.follow_activity)

    @reliable_event_handler("assessment", ATTEMPT_COMPLETED)
    def on_attempt_completed(self, body):
        handle_once(self.db.sessions, self.unit_of_work, "selection.on_attempt_completed", body,
                    AttemptCompletedPayload(), assessment_results.record_attempt_completed)

    @reliable_event_handler("assessment", TEST_MISSED)
    def on_test_missed(self, body):
        handle_once(self.db.sessions, self.unit_of_work, "selection.on_test_missed", body,
                    TestMissedPayload(), assessment_results.record_test_missed)

    # eager: an announcement due while the service was down goes out as it starts.
    @timer(interval=ANNOUNCEMENT_INTERVAL, eager=True)
    @correlated
    def announce(self):
        try:
            with unit_of_work(self.db.sessions) as session:
                announced = announcement.announce_due(self.unit_of_work(session), utcnow())
        except Exception:
            log.exception("announcer run failed; the next one tries again")
            return
        if announced:
            log.info("announcer: results of %d activities announced", len(announced))

    @grpc
    def Ping(self, request, context):
        return pb.PingReply()

    @grpc
    @rpc(roles=ADMIN_ROLES)
    def ListApplications(self, request, identity, uow):
        asked = from_proto(request)
        return to_proto(reviews.list_applications(
            uow, identity, asked["activity_id"], asked["administrative_status"] or None,
            *page_bounds(asked["page"], asked["per_page"]), asked["needs_rereview"]),
            pb.ApplicationReviewList)

    @grpc
    @rpc(roles=ADMIN_ROLES, idempotent=True)
    def Decide(self, request, identity, uow):
        asked = from_proto(request)
        return to_proto(reviews.decide_application(
            uow, identity, asked["application_id"], asked["decision"], asked["reason"]),
            pb.ApplicationReview)

    @grpc
    @rpc(roles=ADMIN_ROLES)
    def ListDecisions(self, request, identity, uow):
        asked = from_proto(request)
        return to_proto(reviews.list_decisions(uow, identity, asked["application_id"]),
                        pb.DecisionList)

    @grpc
    @rpc(roles=ADMIN_ROLES)
    def ExportApplications(self, request, identity, uow):
        asked = from_proto(request)
        return to_proto(export.export_applications(
            uow, identity, asked["activity_id"], asked["format"]), pb.ExportFile)

    @grpc
    @rpc(roles=MITRA)
    def MyApplicationStatuses(self, request, identity, uow):
        asked = from_proto(request)
        return to_proto(reviews.my_statuses(uow, identity, asked["application_ids"]),
                        pb.ApplicationStatusList)

    # -- final selection and announcement ------------------------------------------------------

    @grpc
    @rpc(roles=ADMIN_ROLES)
    def SetFinalCriteria(self, request, identity, uow):
        asked = from_proto(request)
        return to_proto(final_selection.set_criteria(
            uow, identity, asked["activity_id"], asked["positions"], dict(request.weights),
            asked["min_test_score"], asked["disclose_scores"]), pb.FinalCriteria)

    @grpc
    @rpc(roles=ADMIN_ROLES)
    def GetFinalCriteria(self, request, identity, uow):
        return to_proto(final_selection.get_criteria(uow, identity, request.activity_id),
                        pb.FinalCriteria)

    @grpc
    @rpc(roles=ADMIN_ROLES)
    def SetInterviewScore(self, request, identity, uow):
        return to_proto(final_selection.set_interview_score(
            uow, identity, request.application_id, request.score), pb.InterviewScore)

    @grpc
    @rpc(roles=ADMIN_ROLES)
    def GetRanking(self, request, identity, uow):
        return ranking_reply(final_selection.ranking(
            uow, identity, request.activity_id, page=request.page or 1,
            per_page=request.per_page or 50))

    @grpc
    @rpc(roles=ADMIN_ROLES, idempotent=True)
    def DecideFinal(self, request, identity, uow):
        asked = from_proto(request)
        return to_proto(final_selection.decide_final(
            uow, identity, asked["application_id"], asked["decision"], asked["reason"]),
            pb.FinalDecision)

    @grpc
    @rpc(roles=ADMIN_ROLES, idempotent=True)
    def AcceptTop(self, request, identity, uow):
        return to_proto(final_selection.accept_top(uow, identity, request.activity_id,
                                                   request.count), pb.AcceptedList)

    @grpc
    @rpc(roles=ADMIN_ROLES)
    def ListFinalDecisions(self, request, identity, uow):
        return to_proto(final_selection.list_final_decisions(uow, identity,
                                                             request.activity_id),
                        pb.FinalDecisionList)

    @grpc
    @rpc(roles=ADMIN_ROLES)
    def PaktaIntegritas(self, request, identity, uow):
        return to_proto(final_selection.pakta_integritas(uow, identity, request.activity_id),
                        pb.PaktaIntegritasList)

    @grpc
    @rpc(roles=ADMIN_ROLES)
    def ExportFinal(self, request, identity, uow):
        return to_proto(export.export_final(uow, identity, request.activity_id,
                                            request.format), pb.ExportFile)

    @grpc
    @rpc(public=True)
    def GetResults(self, request, identity, uow):
        return to_proto(announcement.results(uow, request.activity_id), pb.Results)

    # -- the mitra roster for other satker (service tokens only) -------------------------------

    @mitra_directory_grpc
    @rpc(roles=(SERVICE,))
    def FindMitra(self, request, identity, uow):
        return to_proto(mitra_directory.find_mitra(uow, request.nik or None,
                                                   request.nik_sha256 or None, request.year),
                        pb.MitraRoster)
