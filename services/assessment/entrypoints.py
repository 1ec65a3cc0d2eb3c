"""Assessment service skeleton: starts, answers Ping and the gRPC health check. Its domain comes
in its own issue (see DESIGN.md)."""
from __future__ import annotations

import assessment_pb2 as pb
import assessment_pb2_grpc
from services.assessment.models import AssessmentUnitOfWork
from services.shared.platform.rpc import Database, HealthCheck, grpc_entrypoint

grpc = grpc_entrypoint(assessment_pb2_grpc.AssessmentStub)


class AssessmentService(HealthCheck):
    name = "assessment"
    db = Database("assessment")
    unit_of_work = AssessmentUnitOfWork

    @grpc
    def Ping(self, request, context):
        return pb.PingReply()
