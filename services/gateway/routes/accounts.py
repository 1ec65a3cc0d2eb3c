"""Accounts and sign-in."""
from __future__ import annotations

import registration_pb2 as reg
from services.gateway.clients import TIMEOUT, Backends, optional
from services.gateway.schemas import accounts as s
from services.gateway.web import Call, route
from services.shared.platform.proto import from_dict

ACCOUNT_FIELDS = ("id", "email", "full_name", "role", "satker_code")


def satker_code(reply) -> str | None:
    """The account's satker, ``None`` for a candidate or a national role (an older
    registration sends ``""`` for none instead of leaving the field unset)."""
    return optional(reply, "satker_code") or None


def account_json(account) -> dict:
    return {"id": account.id, "email": account.email, "full_name": account.full_name,
            "role": account.role, "satker_code": satker_code(account),
            "status": account.status}


class AccountRoutes(Backends):
    # derive_key: the same sign-up sent again (a retry after a 503 or a lost answer) is the
    # same request: it gets the first answer, not 409 for its own e-mail address.
    @route("POST", "/api/v1/accounts", summary="Register an account (activation by e-mail)",
           tag="accounts", public=True, body=s.CreateAccountBody, responses={201: s.AccountOut},
           derive_key=True)
    def create_account(self, call: Call):
        account = self.registration.CreateAccount(
            from_dict(call.body, reg.CreateAccountRequest), metadata=call.metadata,
            timeout=TIMEOUT)
        return 201, {"id": account.id, "email": account.email, "status": account.status}

    @route("POST", "/api/v1/accounts/activate", summary="Activate an account with its token",
           tag="accounts", public=True, body=s.ActivateAccountBody,
           responses={200: s.ActivationOut})
    def activate_account(self, call: Call):
        reply = self.registration.ActivateAccount(
            from_dict(call.body, reg.ActivateAccountRequest), metadata=call.metadata,
            timeout=TIMEOUT)
        return 200, {"status": reply.status}

    @route("POST", "/api/v1/auth/token", summary="Sign in: an access token", tag="accounts",
           public=True, body=s.TokenBody, responses={200: s.TokenOut})
    def issue_token(self, call: Call):
        reply = self.registration.IssueToken(from_dict(call.body, reg.IssueTokenRequest),
                                             metadata=call.metadata, timeout=TIMEOUT)
        return 200, {"access_token": reply.access_token, "token_type": reply.token_type,
                     "expires_in": reply.expires_in, "role": reply.role,
                     "satker_code": satker_code(reply)}

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
