"""Selection's entrypoints: the consumers of registration's events (idempotent, retried,
never dropped) and the gRPC side of the administrative review. Thin: translate, delegate."""
from __future__ import annotations

import selection_pb2 as pb
import selection_pb2_grpc
from services.selection import reviews
from services.selection.persistence.unit_of_work import SelectionUnitOfWork
from services.selection.read_model import follow_profile_update, record_submitted_application
from services.shared.contracts.events import (APPLICATION_SUBMITTED, PROFILE_UPDATED,
                                       ApplicationSubmittedPayload, ProfileUpdatedPayload)
from services.shared.platform.rpc import Database, HealthCheck, grpc_entrypoint, rpc
from services.shared.platform.inbox import handle_once
from services.shared.platform.messaging import reliable_event_handler
from services.shared.platform.proto import from_dict

grpc = grpc_entrypoint(selection_pb2_grpc.SelectionStub)
ADMIN_ROLES = ("admin_satker", "superadmin")


class SelectionService(HealthCheck):
    name = "selection"
    db = Database("selection")
    unit_of_work = SelectionUnitOfWork

    @reliable_event_handler("registration", APPLICATION_SUBMITTED)
    def on_application_submitted(self, body):
        handle_once(self.db.sessions, self.unit_of_work, "selection.on_application_submitted",
                    body, ApplicationSubmittedPayload(),
                    lambda uow, payload: record_submitted_application(uow.session, {}, payload))

    @reliable_event_handler("registration", PROFILE_UPDATED)
    def on_profile_updated(self, body):
        handle_once(self.db.sessions, self.unit_of_work, "selection.on_profile_updated", body,
                    ProfileUpdatedPayload(),
                    lambda uow, payload: follow_profile_update(uow.session, {}, payload))

    @grpc
    def Ping(self, request, context):
        return pb.PingReply()

    @grpc
    @rpc(roles=ADMIN_ROLES)
    def ListApplications(self, request, identity, uow):
        return from_dict(reviews.list_applications(
            uow.session, identity, request.activity_id, request.administrative_status,
            max(request.page, 1), min(max(request.per_page, 1), 200) if request.per_page
            else 50), pb.ApplicationReviewList)

    @grpc
    @rpc(roles=ADMIN_ROLES, idempotent=True)
    def Decide(self, request, identity, uow):
        reason = request.reason if request.HasField("reason") else None
        return from_dict(reviews.decide_application(
            uow.session, identity, request.application_id, request.decision, reason),
            pb.ApplicationReview)

    @grpc
    @rpc(roles=ADMIN_ROLES)
    def ListDecisions(self, request, identity, uow):
        return from_dict(reviews.list_decisions(uow.session, identity, request.application_id),
                         pb.DecisionList)

    @grpc
    @rpc(roles=ADMIN_ROLES)
    def ExportApplications(self, request, identity, uow):
        return pb.ExportFile(**reviews.export_applications(
            uow.session, identity, request.activity_id, request.format))

    @grpc
    @rpc(roles=("mitra",))
    def MyApplicationStatuses(self, request, identity, uow):
        return from_dict(reviews.my_statuses(uow.session, identity), pb.ApplicationStatusList)
