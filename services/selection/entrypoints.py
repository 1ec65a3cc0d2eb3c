"""Selection's entrypoints: the application_submitted consumer (idempotent, retried, never
dropped) and the gRPC side (health; its routes come with administrative selection)."""
from __future__ import annotations

from nameko_grpc.entrypoint import Grpc

import selection_pb2 as pb
import selection_pb2_grpc
from services.selection.persistence.models import platform_tables
from services.selection.read_model import record_submitted_application
from services.shared.contracts import APPLICATION_SUBMITTED, ApplicationSubmittedPayload
from services.shared.grpc_service import Database, HealthCheck
from services.shared.inbox import handle_once
from services.shared.messaging import reliable_event_handler

grpc = Grpc.implementing(selection_pb2_grpc.SelectionStub)


class SelectionService(HealthCheck):
    name = "selection"
    db = Database("selection")
    tables = platform_tables

    @reliable_event_handler("registration", APPLICATION_SUBMITTED)
    def on_application_submitted(self, body):
        handle_once(self.db.sessions, self.tables, "selection.on_application_submitted", body,
                    ApplicationSubmittedPayload(), record_submitted_application)

    @grpc
    def Ping(self, request, context):
        return pb.PingReply()
