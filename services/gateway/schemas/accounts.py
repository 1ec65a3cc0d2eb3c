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
