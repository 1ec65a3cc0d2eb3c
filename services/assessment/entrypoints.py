"""Assessment's entrypoints: the gRPC side (Ping; the health check comes from HealthCheck) and
the consumer of selection's administrative decisions (idempotent, retried, never dropped).
Thin: translate, delegate to the use cases."""
from __future__ import annotations

import assessment_pb2 as pb
import assessment_pb2_grpc
from services.assessment.persistence.unit_of_work import AssessmentUnitOfWork
from services.assessment.use_cases import eligibility
from services.shared.contracts.events import ADMINISTRATIVE_DECIDED, AdministrativeDecidedPayload
from services.shared.platform.inbox import handle_once
from services.shared.platform.messaging import reliable_event_handler
from services.shared.platform.rpc import Database, HealthCheck, grpc_entrypoint

grpc = grpc_entrypoint(assessment_pb2_grpc.AssessmentStub)


class AssessmentService(HealthCheck):
    name = "assessment"
    db = Database("assessment")
    unit_of_work = AssessmentUnitOfWork

    @reliable_event_handler("selection", ADMINISTRATIVE_DECIDED)
    def on_administrative_decided(self, body):
        handle_once(self.db.sessions, self.unit_of_work, "assessment.on_administrative_decided",
                    body, AdministrativeDecidedPayload(),
                    eligibility.follow_administrative_decision)

    @grpc
    def Ping(self, request, context):
        return pb.PingReply()
