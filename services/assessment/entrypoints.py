"""Assessment service skeleton: starts, answers Ping and the gRPC health check. Its domain comes
in its own issue (see DESIGN.md)."""
from __future__ import annotations

import assessment_pb2 as pb
import assessment_pb2_grpc
from services.assessment.models import platform_tables
from services.shared.grpc_service import Database, HealthCheck, grpc_entrypoint

grpc = grpc_entrypoint(assessment_pb2_grpc.AssessmentStub)


class AssessmentService(HealthCheck):
    name = "assessment"
    db = Database("assessment")
    tables = platform_tables

    @grpc
    def Ping(self, request, context):
        return pb.PingReply()
