"""The gateway: the one HTTP entry. It holds no domain state: it authenticates, validates with
marshmallow, calls the services over gRPC with the caller's token in the metadata, and maps
their answers (and refusals) back to HTTP. The routes live in ``services.gateway.routes``,
one module per area; ``Gateway`` is all of them."""
from __future__ import annotations

from services.gateway.openapi import openapi_document
from services.gateway.routes.accounts import AccountRoutes
from services.gateway.routes.activities import ActivityRoutes
from services.gateway.routes.administrative_selection import AdministrativeSelectionRoutes
from services.gateway.routes.assessment import AssessmentRoutes
from services.gateway.routes.final_selection import FinalSelectionRoutes
from services.gateway.routes.frontend import FrontendRoutes
from services.gateway.routes.operations import OperationsRoutes
from services.gateway.routes.pembinaan import PembinaanRoutes
from services.gateway.routes.profile import ProfileRoutes


class Gateway(OperationsRoutes, AccountRoutes, ProfileRoutes, ActivityRoutes,
              AdministrativeSelectionRoutes, AssessmentRoutes, FinalSelectionRoutes,
              PembinaanRoutes, FrontendRoutes):
    name = "gateway"


def on_start() -> None:
    openapi_document()  # built once at start: a broken schema fails the start, not a request
