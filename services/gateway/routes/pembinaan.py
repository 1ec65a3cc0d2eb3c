"""Pembinaan statistik sektoral (all under /api/v1/pembinaan/): the budget calculators."""
from __future__ import annotations

import pembinaan_pb2 as pem
from services.gateway.clients import TIMEOUT, Backends
from services.gateway.schemas import pembinaan as s
from services.gateway.web import Call, route
from services.shared.platform.proto import to_dict

PREFIX = "/api/v1/pembinaan"


class PembinaanRoutes(Backends):
    @route("GET", f"{PREFIX}/budget/fullday", summary="Participants of a fullday meeting "
           "with this many K/L, and who they are", tag="pembinaan", query=s.BudgetQuery,
           responses={200: s.FulldayBudgetOut})
    def fullday_budget(self, call: Call):
        reply = self.pembinaan.FulldayBudget(pem.BudgetRequest(kl_count=call.query["kl_count"]),
                                             metadata=call.metadata, timeout=TIMEOUT)
        return 200, {"participants": reply.participants, "breakdown": to_dict(reply.breakdown)}

    @route("GET", f"{PREFIX}/budget/transport", summary="Transport trips for this many K/L",
           tag="pembinaan", query=s.BudgetQuery, responses={200: s.TransportBudgetOut})
    def transport_budget(self, call: Call):
        reply = self.pembinaan.TransportBudget(
            pem.BudgetRequest(kl_count=call.query["kl_count"]), metadata=call.metadata,
            timeout=TIMEOUT)
        return 200, to_dict(reply)
