"""Pembinaan service skeleton: starts, answers Ping and the gRPC health check. Its domain comes
in its own issue (see DESIGN.md)."""
from __future__ import annotations

import pembinaan_pb2 as pb
import pembinaan_pb2_grpc
from services.pembinaan.models import PembinaanUnitOfWork
from services.shared.platform.rpc import Database, HealthCheck, grpc_entrypoint

grpc = grpc_entrypoint(pembinaan_pb2_grpc.PembinaanStub)


class PembinaanService(HealthCheck):
    name = "pembinaan"
    db = Database("pembinaan")
    unit_of_work = PembinaanUnitOfWork

    @grpc
    def Ping(self, request, context):
        return pb.PingReply()
