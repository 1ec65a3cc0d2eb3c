"""Pembinaan's entrypoints: the gRPC side (Ping, the budget calculators; the health check comes
from HealthCheck). Thin: translate, delegate to the use cases."""
from __future__ import annotations

import pembinaan_pb2 as pb
import pembinaan_pb2_grpc
from services.pembinaan.persistence.unit_of_work import PembinaanUnitOfWork
from services.pembinaan.use_cases import budget
from services.shared.platform.proto import from_proto, to_proto
from services.shared.platform.rpc import Database, HealthCheck, grpc_entrypoint, rpc

grpc = grpc_entrypoint(pembinaan_pb2_grpc.PembinaanStub)


class PembinaanService(HealthCheck):
    name = "pembinaan"
    db = Database("pembinaan")
    unit_of_work = PembinaanUnitOfWork

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
