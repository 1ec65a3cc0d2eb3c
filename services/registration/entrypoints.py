"""Registration's gRPC entrypoints: translate protobuf to plain values and back, delegate to
use_cases. The ``rpc`` wrapper checks the caller, opens the transaction and maps errors."""
from __future__ import annotations

import logging

import registration_pb2 as pb
import registration_pb2_grpc
from services.registration import use_cases
from services.registration.persistence.unit_of_work import RegistrationUnitOfWork
from services.shared.platform import config
from services.shared.platform.database import create_engine, session_factory, unit_of_work
from services.shared.platform.rpc import Database, HealthCheck, grpc_entrypoint, rpc
from services.shared.platform.proto import from_dict, parse_aware_datetime, parse_date, to_dict
from services.registration.adapters.storage import default_storage

log = logging.getLogger(__name__)
grpc = grpc_entrypoint(registration_pb2_grpc.RegistrationStub)

ADMIN_ROLES = ("admin_satker", "superadmin")


class RegistrationService(HealthCheck):
    name = "registration"
    db = Database("registration")
    unit_of_work = RegistrationUnitOfWork
    storage = default_storage()

    @grpc
    def Ping(self, request, context):
        return pb.PingReply()

    @grpc
    @rpc(public=True, idempotent=True)
    def CreateAccount(self, request, identity, uow):
        return from_dict(use_cases.create_account(
            uow.session, request.email, request.password, request.full_name), pb.Account)

    @grpc
    @rpc(public=True, idempotent=True)
    def ActivateAccount(self, request, identity, uow):
        return from_dict(use_cases.activate_account(uow.session, request.token),
                         pb.ActivateAccountReply)

    @grpc
    @rpc(public=True)
    def IssueToken(self, request, identity, uow):
        return from_dict(use_cases.issue_access_token(uow.session, request.email, request.password),
                         pb.TokenReply)

    @grpc
    @rpc()
    def GetMe(self, request, identity, uow):
        return from_dict(use_cases.get_me(uow.session, identity), pb.Account)

    @grpc
    @rpc(roles=("superadmin",), idempotent=True)
    def CreateAdminAccount(self, request, identity, uow):
        return from_dict(use_cases.create_admin_account(
            uow.session, request.email, request.password, request.full_name, request.role,
            request.satker_code), pb.Account)

    @grpc
    @rpc(roles=("mitra",))
    def PutProfile(self, request, identity, uow):
        data = to_dict(request)
        data["birth_date"] = parse_date(request.birth_date, "birth_date")
        return from_dict(use_cases.put_profile(uow.session, identity, data), pb.Profile)

    @grpc
    @rpc(roles=("mitra",))
    def GetProfile(self, request, identity, uow):
        return from_dict(use_cases.get_profile(uow.session, identity), pb.Profile)

    @grpc
    @rpc(roles=("mitra",))
    def PutDocument(self, request, identity, uow):
        return from_dict(use_cases.put_document(
            uow.session, self.storage, identity, request.kind, request.content_type,
            request.content), pb.Document)

    @grpc
    @rpc(roles=("mitra",))
    def ListDocuments(self, request, identity, uow):
        return from_dict(use_cases.list_documents(uow.session, identity), pb.DocumentList)

    @grpc
    @rpc(roles=ADMIN_ROLES, idempotent=True)
    def CreateActivity(self, request, identity, uow):
        data = to_dict(request)
        for field in ("registration_opens_at", "registration_closes_at", "announcement_at"):
            data[field] = parse_aware_datetime(getattr(request, field), field)
        data["quota"] = request.quota if request.HasField("quota") else None
        return from_dict(use_cases.create_activity(uow.session, identity, data), pb.Activity)

    @grpc
    @rpc(public=True)
    def ListActivities(self, request, identity, uow):
        return from_dict(use_cases.list_activities(
            uow.session, request.satker_code, request.open_only, max(request.page, 1),
            min(max(request.per_page, 1), 200) if request.per_page else 50), pb.ActivityList)

    @grpc
    @rpc(roles=ADMIN_ROLES)
    def UpdateActivity(self, request, identity, uow):
        changes = {}
        if request.HasField("name"):
            changes["name"] = request.name
        for field in ("registration_opens_at", "registration_closes_at", "announcement_at"):
            if request.HasField(field):
                changes[field] = parse_aware_datetime(getattr(request, field), field)
        if request.HasField("quota") or request.quota_unlimited:
            changes["quota"] = None if request.quota_unlimited else request.quota
        if request.HasField("requirements"):
            changes["requirements"] = to_dict(request.requirements)
        return from_dict(use_cases.update_activity(uow.session, identity, request.id, changes),
                         pb.Activity)

    @grpc
    @rpc(public=True)
    def GetActivity(self, request, identity, uow):
        return from_dict(use_cases.get_activity(uow.session, request.id), pb.Activity)

    @grpc
    @rpc(roles=("mitra",), idempotent=True)
    def SubmitApplication(self, request, identity, uow):
        return from_dict(use_cases.submit_application(uow.session, identity, request.activity_id),
                         pb.Application)

    @grpc
    @rpc(roles=("mitra",))
    def ListMyApplications(self, request, identity, uow):
        return from_dict(use_cases.list_my_applications(uow.session, identity),
                         pb.ApplicationList)

    @grpc
    @rpc(roles=ADMIN_ROLES)
    def GetApplicationDocument(self, request, identity, uow):
        return pb.DocumentContent(**use_cases.get_application_document(
            uow.session, self.storage, identity, request.application_id, request.kind))


def on_start() -> None:
    """Bootstrap the first superadmin from the environment (idempotent)."""
    credentials = config.superadmin_credentials()
    if not credentials:
        return
    engine = create_engine(config.database_url("registration"), pool_size=1)
    try:
        with unit_of_work(session_factory(engine)) as session:
            use_cases.ensure_superadmin(session, *credentials)
    finally:
        engine.dispose()
