"""The gateway's bodies of the accounts routes (routes/accounts.py)."""
from __future__ import annotations

from marshmallow import fields, validate

from services.gateway.schemas.base import SATKER_CODE, Schema, text
from services.shared.contracts.identity import MITRA, ROLES

# Every role but the candidate's own, which only sign-up gives.
ROLES_CREATED_BY_SUPERADMIN = tuple(role for role in ROLES if role not in MITRA)


class CreateAccountBody(Schema):
    email = fields.Email(required=True, validate=validate.Length(max=320))
    password = fields.String(required=True)  # the policy is registration's (422 on `password`)
    full_name = text(200)


class ActivateAccountBody(Schema):
    token = text(200)


class TokenBody(Schema):
    email = fields.String(required=True, validate=validate.Length(min=1, max=320))
    password = fields.String(required=True)


class CreateAdminAccountBody(CreateAccountBody):
    role = fields.String(required=True, validate=validate.OneOf(ROLES_CREATED_BY_SUPERADMIN))
    satker_code = fields.String(load_default=None, allow_none=True, validate=SATKER_CODE)


class AccountOut(Schema):
    id = fields.String()
    email = fields.String()
    full_name = fields.String()
    role = fields.String()
    satker_code = fields.String(allow_none=True)
    status = fields.String(metadata={"enum": ["pending_activation", "active"]})


class ActivationOut(Schema):
    status = fields.String(metadata={"enum": ["active"]})


class TokenOut(Schema):
    access_token = fields.String()
    token_type = fields.String(metadata={"enum": ["Bearer"]})
    expires_in = fields.Integer()
    role = fields.String()
    satker_code = fields.String(allow_none=True)


class EmailBody(Schema):
    email = fields.Email(required=True, validate=validate.Length(max=320))


class ConfirmPasswordResetBody(Schema):
    token = text(200)
    password = fields.String(required=True)  # the policy is registration's (422 on `password`)


class ChangePasswordBody(Schema):
    current_password = fields.String(required=True, validate=validate.Length(max=1024))
    new_password = fields.String(required=True)  # the policy is registration's


class NothingOut(Schema):
    """Nothing to say: the answer is the same whatever the address."""


class CreateServiceTokenBody(Schema):
    name = text(200)
    satker_code = fields.String(required=True, validate=SATKER_CODE)


class ServiceTokenOut(Schema):
    id = fields.String()
    name = fields.String()
    satker_code = fields.String()
    created_at = fields.String(metadata={"format": "date-time"})
    expires_at = fields.String(metadata={"format": "date-time"})


class NewServiceTokenOut(ServiceTokenOut):
    token = fields.String(metadata={"description": "Shown this once; not kept by the system."})


class ServiceTokenListOut(Schema):
    items = fields.List(fields.Nested(ServiceTokenOut))
    total = fields.Integer()


class UnlockBody(Schema):
    token = text(2000)
