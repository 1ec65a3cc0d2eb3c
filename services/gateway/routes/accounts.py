"""Accounts and sign-in."""
from __future__ import annotations

import logging

from nameko_grpc.errors import GrpcError
from werkzeug.wrappers import Response

import registration_pb2 as reg
from services.gateway import limits
from services.gateway.clients import TIMEOUT, Backends, optional
from services.gateway.schemas import accounts as s
from services.gateway.web import Call, route
from services.shared.contracts.errors import Malformed, NotAuthenticated
from services.shared.platform import problems
from services.shared.platform.identity import issue_unlock_token, read_unlock_token
from services.shared.platform.proto import from_dict, to_dict

log = logging.getLogger(__name__)

ACCOUNT_FIELDS = ("id", "email", "full_name", "role", "satker_code")


def satker_code(reply) -> str | None:
    """The account's satker, ``None`` for a candidate or a national role (an older
    registration sends ``""`` for none instead of leaving the field unset)."""
    return optional(reply, "satker_code") or None


def account_json(account) -> dict:
    return {"id": account.id, "email": account.email, "full_name": account.full_name,
            "role": account.role, "satker_code": satker_code(account),
            "status": account.status}


def token_json(reply) -> dict:
    return {"access_token": reply.access_token, "token_type": reply.token_type,
            "expires_in": reply.expires_in, "role": reply.role,
            "satker_code": satker_code(reply)}


SERVICE_TOKEN_FIELDS = ("id", "name", "satker_code", "created_at", "expires_at")


def service_token_json(reply) -> dict:
    data = to_dict(reply)
    return {key: data.get(key) for key in SERVICE_TOKEN_FIELDS}


class AccountRoutes(Backends):
    # derive_key: the same sign-up sent again (a retry after a 503 or a lost answer) is the
    # same request: it gets the first answer, not 409 for its own e-mail address.
    @route("POST", "/api/v1/accounts", summary="Register an account (activation by e-mail)",
           tag="accounts", public=True, body=s.CreateAccountBody, responses={201: s.AccountOut},
           derive_key=True, limit="sign_up")
    def create_account(self, call: Call):
        account = self.registration.CreateAccount(
            from_dict(call.body, reg.CreateAccountRequest), metadata=call.metadata,
            timeout=TIMEOUT)
        return 201, {"id": account.id, "email": account.email, "status": account.status}

    @route("POST", "/api/v1/accounts/activate", summary="Activate an account with its token",
           tag="accounts", public=True, body=s.ActivateAccountBody,
           responses={200: s.ActivationOut}, limit="activation")
    def activate_account(self, call: Call):
        reply = self.registration.ActivateAccount(
            from_dict(call.body, reg.ActivateAccountRequest), metadata=call.metadata,
            timeout=TIMEOUT)
        return 200, {"status": reply.status}

    @route("POST", "/api/v1/accounts/activation-mail", summary="Send a new activation mail",
           tag="accounts", public=True, body=s.EmailBody, responses={202: s.NothingOut},
           limit="account_mail")
    def send_activation_mail(self, call: Call):
        self.registration.SendActivationMail(from_dict(call.body, reg.EmailRequest),
                                             metadata=call.metadata, timeout=TIMEOUT)
        return 202, {}

    @route("POST", "/api/v1/accounts/password-reset", summary="Forgot password: a reset mail",
           tag="accounts", public=True, body=s.EmailBody, responses={202: s.NothingOut},
           limit="account_mail")
    def request_password_reset(self, call: Call):
        self.registration.RequestPasswordReset(from_dict(call.body, reg.EmailRequest),
                                               metadata=call.metadata, timeout=TIMEOUT)
        return 202, {}

    @route("POST", "/api/v1/accounts/password-reset/confirm",
           summary="Set a new password with the token from the reset mail", tag="accounts",
           public=True, body=s.ConfirmPasswordResetBody, responses={200: s.NothingOut},
           limit="reset_confirm")
    def confirm_password_reset(self, call: Call):
        self.registration.ConfirmPasswordReset(
            from_dict(call.body, reg.ConfirmPasswordResetRequest), metadata=call.metadata,
            timeout=TIMEOUT)
        return 200, {}

    @route("PUT", "/api/v1/me/password",
           summary="Change the password (older tokens are refused; a new one is answered)",
           tag="accounts", body=s.ChangePasswordBody, responses={200: s.TokenOut})
    def change_password(self, call: Call):
        reply = self.registration.ChangePassword(
            from_dict(call.body, reg.ChangePasswordRequest), metadata=call.metadata,
            timeout=TIMEOUT)
        return 200, token_json(reply)

    @route("POST", "/api/v1/auth/token", summary="Sign in: an access token", tag="accounts",
           public=True, body=s.TokenBody, responses={200: s.TokenOut}, limit="sign_in")
    def issue_token(self, call: Call):
        email = call.body["email"]
        refused = limits.sign_in_refusal(email)  # locked: no password is even hashed
        if refused is not None:
            return refused
        try:
            reply = self.registration.IssueToken(from_dict(call.body, reg.IssueTokenRequest),
                                                 metadata=call.metadata, timeout=TIMEOUT)
        except GrpcError as error:
            if isinstance(problems.from_json(error.message or ""), NotAuthenticated):
                self._sign_in_failed(email, call)
            raise
        limits.sign_in_succeeded(email)
        return 200, token_json(reply)

    def _sign_in_failed(self, email: str, call: Call) -> None:
        """Count the failure; the first time the account locks, its owner gets the mail
        that lifts the lock (registration sends it only if the address has an account)."""
        if limits.sign_in_failed(email) != limits.LOCK_AFTER:
            return
        try:
            self.registration.SendUnlockMail(
                reg.UnlockMailRequest(email=email, token=issue_unlock_token(email)),
                timeout=TIMEOUT)
        except GrpcError as error:  # the lock holds anyway; the owner can wait it out
            log.warning("unlock mail not sent: %s", error.code)

    @route("POST", "/api/v1/auth/unlock",
           summary="Lift a sign-in lock with the token mailed to the account's owner",
           tag="accounts", public=True, body=s.UnlockBody, responses={200: s.NothingOut},
           limit="unlock")
    def unlock(self, call: Call):
        digest, token_id = read_unlock_token(call.body["token"])
        if not limits.lift(digest, token_id):
            raise Malformed("The unlock token is unknown, already used or expired.")
        return 200, {}

    @route("GET", "/api/v1/me", summary="Who am I", tag="accounts",
           responses={200: s.AccountOut})
    def me(self, call: Call):
        account = self.registration.GetMe(reg.GetMeRequest(), metadata=call.metadata,
                                          timeout=TIMEOUT)
        data = account_json(account)
        return 200, {key: data[key] for key in ACCOUNT_FIELDS}

    @route("POST", "/api/v1/admin/accounts", summary="Create an admin account (superadmin)",
           tag="accounts", roles=("superadmin",), body=s.CreateAdminAccountBody,
           responses={201: s.AccountOut}, derive_key=True)
    def create_admin_account(self, call: Call):
        # No satker (a national role) is the field left unset.
        body = {key: value for key, value in call.body.items() if value is not None}
        account = self.registration.CreateAdminAccount(
            from_dict(body, reg.CreateAdminAccountRequest), metadata=call.metadata,
            timeout=TIMEOUT)
        return 201, account_json(account)

    @route("POST", "/api/v1/admin/service-tokens",
           summary="Issue a service token for another satker's system (superadmin)",
           tag="accounts", roles=("superadmin",), body=s.CreateServiceTokenBody,
           responses={201: s.NewServiceTokenOut})
    def create_service_token(self, call: Call):
        reply = self.registration.CreateServiceToken(
            from_dict(call.body, reg.CreateServiceTokenRequest), metadata=call.metadata,
            timeout=TIMEOUT)
        return 201, dict(service_token_json(reply), token=reply.token)

    @route("GET", "/api/v1/admin/service-tokens", summary="The service tokens (superadmin)",
           tag="accounts", roles=("superadmin",), responses={200: s.ServiceTokenListOut})
    def list_service_tokens(self, call: Call):
        reply = self.registration.ListServiceTokens(reg.ListServiceTokensRequest(),
                                                    metadata=call.metadata, timeout=TIMEOUT)
        return 200, {"items": [service_token_json(item) for item in reply.items],
                     "total": reply.total}

    @route("DELETE", "/api/v1/admin/service-tokens/<string:token_id>",
           summary="Delete a service token: refused from then on (superadmin)",
           tag="accounts", roles=("superadmin",), responses={204: None})
    def delete_service_token(self, call: Call):
        self.registration.DeleteServiceToken(
            reg.DeleteServiceTokenRequest(id=call.path_args["token_id"]),
            metadata=call.metadata, timeout=TIMEOUT)
        return Response(status=204)
