"""Selection's entrypoints: the consumers of registration's and assessment's events
(idempotent, retried, never dropped) and the gRPC side of the administrative review. Thin:
convert, call one use case."""
from __future__ import annotations

import selection_pb2 as pb
import selection_pb2_grpc
from services.selection.persistence.unit_of_work import SelectionUnitOfWork
from services.selection.use_cases import activities, assessment_results, export, intake, reviews
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
from services.shared.contracts.identity import ADMIN_ROLES, MITRA
from services.shared.platform.inbox import handle_once
from services.shared.platform.messaging import reliable_event_handler
from services.shared.platform.proto import from_proto, page_bounds, to_proto
from services.shared.platform.rpc import Database, HealthCheck, grpc_entrypoint, rpc

grpc = grpc_entrypoint(selection_pb2_grpc.SelectionStub)


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

    @grpc
    def Ping(self, request, context):
        return pb.PingReply()

    @grpc
    @rpc(roles=ADMIN_ROLES)
    def ListApplications(self, request, identity, uow):
        asked = from_proto(request)
        return to_proto(reviews.list_applications(
            uow, identity, asked["activity_id"], asked["administrative_status"] or None,
            *page_bounds(asked["page"], asked["per_page"])), pb.ApplicationReviewList)

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
