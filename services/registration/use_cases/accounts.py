"""Accounts: sign-up with activation by e-mail, sign-in, the caller's own account, admin
accounts made by a superadmin, and the first superadmin."""
from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from services.registration.adapters import mail_templates, passwords
from services.registration.domain import accounts as rules
from services.registration.domain.errors import (
    AccountGone,
    AccountNotActive,
    ActivationTokenInvalid,
    EmailTaken,
    InvalidAccount,
    WrongCredentials,
)
from services.shared.contracts.identity import Identity
from services.shared.platform import config
from services.shared.platform.database import new_id, utcnow
from services.shared.platform.identity import issue_token

if TYPE_CHECKING:
    from services.registration.persistence.models import Account
    from services.registration.persistence.unit_of_work import RegistrationUnitOfWork


def _account_reply(account: Account) -> dict:
    return {"id": account.id, "email": account.email, "full_name": account.full_name,
            "role": account.role, "satker_code": account.satker_code,
            "status": account.status}


def _new_account(uow: RegistrationUnitOfWork, email: str, password: str, full_name: str,
                 role: str, satker_code: str | None, status: str) -> Account:
    problems = rules.account_problems(password, full_name)
    if problems:
        raise InvalidAccount(problems)
    email = rules.normalize_email(email)
    if uow.accounts.by_email(email) is not None:
        raise EmailTaken()
    now = utcnow()
    return uow.accounts.add(
        id=new_id(), email=email, password_hash=passwords.hash_password(password),
        full_name=full_name.strip(), role=role, satker_code=satker_code, status=status,
        created_at=now, activated_at=now if status == rules.ACTIVE else None)


def create_account(uow: RegistrationUnitOfWork, email: str, password: str,
                   full_name: str) -> dict:
    """A candidate signs up: the account waits for the token mailed to it."""
    account = _new_account(uow, email, password, full_name, rules.CANDIDATE_ROLE, None,
                           rules.PENDING)
    token = secrets.token_urlsafe(32)
    uow.activation_tokens.add(token_hash=rules.activation_token_hash(token),
                              account_id=account.id,
                              expires_at=utcnow() + rules.ACTIVATION_TTL)
    subject, body = mail_templates.activation(account.full_name, token,
                                              config.public_base_url(), rules.ACTIVATION_TTL)
    uow.mail.queue(account.email, subject, body)
    return _account_reply(account)


def activate_account(uow: RegistrationUnitOfWork, token: str) -> dict:
    record = uow.activation_tokens.get_for_update(rules.activation_token_hash(token))
    now = utcnow()
    if record is None or not rules.activation_usable(record.expires_at, record.used_at, now):
        raise ActivationTokenInvalid()
    record.used_at = now
    account = uow.accounts.get(record.account_id)
    account.status, account.activated_at = rules.ACTIVE, now
    return {"status": rules.ACTIVE}


def issue_access_token(uow: RegistrationUnitOfWork, email: str, password: str) -> dict:
    account = uow.accounts.by_email(rules.normalize_email(email))
    # Verify against a dummy hash for unknown e-mails too: equal time, no account probing.
    if not passwords.verify_password(account.password_hash if account else None, password):
        raise WrongCredentials()
    if account.status != rules.ACTIVE:
        raise AccountNotActive()
    token, ttl = issue_token(Identity(account.id, account.role, account.satker_code))
    return {"access_token": token, "token_type": "Bearer", "expires_in": ttl,
            "role": account.role, "satker_code": account.satker_code}


def get_me(uow: RegistrationUnitOfWork, identity: Identity) -> dict:
    account = uow.accounts.get(identity.account_id)
    if account is None:
        raise AccountGone()
    return _account_reply(account)


def create_admin_account(uow: RegistrationUnitOfWork, email: str, password: str,
                         full_name: str, role: str, satker_code: str | None) -> dict:
    """An account a superadmin makes for a colleague: active at once."""
    problems = rules.admin_problems(role, satker_code)
    if problems:
        raise InvalidAccount(problems)
    # An empty satker code is no satker code.
    account = _new_account(uow, email, password, full_name, role, satker_code or None,
                           rules.ACTIVE)
    return _account_reply(account)


def ensure_superadmin(uow: RegistrationUnitOfWork, email: str, password: str) -> None:
    """The first superadmin, from the settings at start-up (nothing if it exists).

    Replicas starting together all find no account and all insert it: the unique e-mail
    lets one win, and the others take its refusal as "someone else made it"."""
    if uow.accounts.by_email(rules.normalize_email(email)) is not None:
        return
    try:
        _new_account(uow, email, password, "Superadmin", "superadmin", None, rules.ACTIVE)
    except EmailTaken:
        return
