"""Registration's gRPC entrypoints: each reads its request (``from_proto``), calls one use
case and writes the reply (``to_proto``). The ``rpc`` wrapper checks the caller, opens the
transaction and turns refusals into statuses."""
from __future__ import annotations

from grpc import StatusCode
from nameko_grpc.errors import GrpcError

import identity_pb2
import identity_pb2_grpc
import registration_pb2 as pb
import registration_pb2_grpc
from services.registration.adapters import passwords, settings
from services.registration.adapters.storage import default_storage
from services.registration.persistence.unit_of_work import RegistrationUnitOfWork
from services.registration.use_cases import accounts, activities, applications, profiles
from services.shared.contracts.events import RESULTS_ANNOUNCED, ResultsAnnouncedPayload
from services.shared.contracts.identity import ADMIN_ROLES, MITRA
from services.shared.platform import config
from services.shared.platform.database import create_engine, session_factory, unit_of_work
from services.shared.platform.inbox import handle_once
from services.shared.platform.messaging import reliable_event_handler
from services.shared.platform.proto import from_proto, page_bounds, to_proto
from services.shared.platform.rpc import Database, HealthCheck, grpc_entrypoint, rpc

grpc = grpc_entrypoint(registration_pb2_grpc.RegistrationStub)
token_states = grpc_entrypoint(identity_pb2_grpc.TokenStatesStub)

ACTIVITY_TIMES = ("registration_opens_at", "registration_closes_at", "announcement_at")


class RegistrationService(HealthCheck):
    name = "registration"
    db = Database("registration")
    unit_of_work = RegistrationUnitOfWork
    storage = default_storage()

    @grpc
    def Ping(self, request, context):
        return pb.PingReply()

    # -- events -----------------------------------------------------------------------

    @reliable_event_handler("selection", RESULTS_ANNOUNCED)
    def on_results_announced(self, body):
        handle_once(self.db.sessions, self.unit_of_work, "registration.on_results_announced",
                    body, ResultsAnnouncedPayload(), applications.record_announced_results)

    # -- accounts ---------------------------------------------------------------------

    @grpc
    def CreateAccount(self, request, context):
        """The password is hashed before the transaction (whose idempotency key is claimed
        first): on SQLite no other call of the service waits for argon2."""
        try:
            passwords.hash_ahead(request.password)
        except passwords.Busy:
            raise GrpcError(code=StatusCode.UNAVAILABLE,
                            message="The service is busy; try again.") from None
        try:
            return self._create_account(request, context)
        finally:
            passwords.forget_ahead()

    @rpc(public=True, idempotent=True)
    def _create_account(self, request, identity, uow):
        return to_proto(accounts.create_account(uow, **from_proto(request)), pb.Account)

    @grpc
    @rpc(public=True, idempotent=True)
    def ActivateAccount(self, request, identity, uow):
        return to_proto(accounts.activate_account(uow, **from_proto(request)),
                        pb.ActivateAccountReply)

    @grpc
    @rpc(public=True)
    def IssueToken(self, request, identity, uow):
        return to_proto(accounts.issue_access_token(uow, **from_proto(request)), pb.TokenReply)

    @grpc
    @rpc()
    def GetMe(self, request, identity, uow):
        return to_proto(accounts.get_me(uow, identity), pb.Account)

    @grpc
    @rpc(roles=("sekretariat", "superadmin"))
    def GetAccount(self, request, identity, uow):
        return to_proto(accounts.get_account(uow, request.account_id), pb.Account)

    @grpc
    @rpc(roles=("superadmin",), idempotent=True)
    def CreateAdminAccount(self, request, identity, uow):
        return to_proto(accounts.create_admin_account(uow, **from_proto(request)), pb.Account)

    @grpc
    @rpc(public=True)
    def SendActivationMail(self, request, identity, uow):
        return to_proto(accounts.send_activation_mail(uow, request.email), pb.Empty)

    @grpc
    @rpc(public=True)
    def RequestPasswordReset(self, request, identity, uow):
        return to_proto(accounts.request_password_reset(uow, request.email), pb.Empty)

    @grpc
    @rpc(public=True)
    def ConfirmPasswordReset(self, request, identity, uow):
        return to_proto(accounts.confirm_password_reset(uow, **from_proto(request)), pb.Empty)

    @grpc
    @rpc(public=True)
    def SendUnlockMail(self, request, identity, uow):
        return to_proto(accounts.send_unlock_mail(uow, **from_proto(request)), pb.Empty)

    @grpc
    @rpc()
    def ChangePassword(self, request, identity, uow):
        return to_proto(accounts.change_password(uow, identity, **from_proto(request)),
                        pb.TokenReply)

    @grpc
    @rpc(roles=("superadmin",), idempotent=True)
    def CreateServiceToken(self, request, identity, uow):
        return to_proto(accounts.create_service_token(uow, identity, **from_proto(request)),
                        pb.ServiceToken)

    @grpc
    @rpc(roles=("superadmin",))
    def ListServiceTokens(self, request, identity, uow):
        return to_proto(accounts.list_service_tokens(uow), pb.ServiceTokenList)

    @grpc
    @rpc(roles=("superadmin",))
    def DeleteServiceToken(self, request, identity, uow):
        return to_proto(accounts.delete_service_token(uow, request.id), pb.Empty)

    # -- the token state every service checks (services/shared/platform/token_state.py) ---

    @token_states
    def GetTokenState(self, request, context):
        return to_proto(self.token_state_of(request.subject), identity_pb2.TokenState)

    def token_state_of(self, subject: str) -> dict:
        with unit_of_work(self.db.sessions) as session:
            return accounts.token_state(self.unit_of_work(session), subject)

    # -- profile and documents --------------------------------------------------------

    @grpc
    @rpc(roles=MITRA)
    def PutProfile(self, request, identity, uow):
        return to_proto(profiles.put_profile(
            uow, identity, from_proto(request, dates=("birth_date",))), pb.Profile)

    @grpc
    @rpc(roles=MITRA)
    def GetProfile(self, request, identity, uow):
        return to_proto(profiles.get_profile(uow, identity), pb.Profile)

    @grpc
    @rpc(roles=MITRA)
    def PutDocument(self, request, identity, uow):
        return to_proto(profiles.put_document(uow, self.storage, identity,
                                              **from_proto(request)), pb.Document)

    @grpc
    @rpc(roles=MITRA)
    def ListDocuments(self, request, identity, uow):
        return to_proto(profiles.list_documents(uow, identity), pb.DocumentList)

    @grpc
    @rpc(public=True)
    def DescribeRegion(self, request, identity, uow):
        return to_proto(profiles.region(request.code), pb.Region)

    # -- activities and applications --------------------------------------------------

    @grpc
    @rpc(roles=ADMIN_ROLES, idempotent=True)
    def CreateActivity(self, request, identity, uow):
        activity = from_proto(request, datetimes=ACTIVITY_TIMES)
        return to_proto(activities.create_activity(
            uow, identity, satker_code=activity["satker_code"], name=activity["name"],
            year=activity["year"], registration_opens_at=activity["registration_opens_at"],
            registration_closes_at=activity["registration_closes_at"],
            announcement_at=activity["announcement_at"], quota=activity["quota"],
            requirements=activity["requirements"]), pb.Activity)

    @grpc
    @rpc(public=True)
    def ListActivities(self, request, identity, uow):
        query = from_proto(request)
        page, per_page = page_bounds(query["page"], query["per_page"])
        return to_proto(activities.list_activities(
            uow, query["satker_code"] or None, query["open_only"], page, per_page),
            pb.ActivityList)

    @grpc
    @rpc(public=True)
    def GetActivity(self, request, identity, uow):
        return to_proto(activities.get_activity(uow, request.id), pb.Activity)

    @grpc
    @rpc(roles=ADMIN_ROLES)
    def UpdateActivity(self, request, identity, uow):
        changes = from_proto(request, datetimes=ACTIVITY_TIMES)
        return to_proto(activities.update_activity(uow, identity, changes.pop("id"),
                                                   **changes), pb.Activity)

    @grpc
    @rpc(roles=MITRA, idempotent=True)
    def SubmitApplication(self, request, identity, uow):
        return to_proto(applications.submit_application(uow, identity, request.activity_id),
                        pb.Application)

    @grpc
    @rpc(roles=MITRA)
    def ListMyApplications(self, request, identity, uow):
        return to_proto(applications.list_my_applications(uow, identity),
                        pb.ApplicationList)

    @grpc
    @rpc(roles=ADMIN_ROLES)
    def GetApplicationDocument(self, request, identity, uow):
        return to_proto(applications.get_application_document(
            uow, self.storage, identity, **from_proto(request)), pb.DocumentContent)


def on_start() -> None:
    """Make the first superadmin from the settings, if they name one (idempotent)."""
    credentials = settings.superadmin_credentials()
    if not credentials:
        return
    engine = create_engine(config.database_url("registration"), pool_size=1)
    try:
        with unit_of_work(session_factory(engine)) as session:
            accounts.ensure_superadmin(RegistrationUnitOfWork(session), *credentials)
    finally:
        engine.dispose()
