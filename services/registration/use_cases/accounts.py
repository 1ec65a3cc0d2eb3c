"""Accounts: sign-up with activation by e-mail, sign-in, the caller's own account, password
reset and change, admin accounts made by a superadmin, the first superadmin, service tokens,
and the token state every service checks a caller's token against.

Sign-up and the mail routes answer the same whether or not the address has an account (the
answer never tells which addresses are registered): sign-up hashes the password either way
(the same cost) and tells an existing address's owner by e-mail instead of refusing."""
from __future__ import annotations

import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from services.registration.adapters import mail_templates, passwords
from services.registration.domain import accounts as rules
from services.registration.domain.errors import (
    AccountGone,
    AccountNotActive,
    ActivationTokenInvalid,
    EmailTaken,
    InvalidAccount,
    ResetTokenInvalid,
    ServiceTokenUnknown,
    WrongCredentials,
    WrongCurrentPassword,
)
from services.shared.contracts.errors import Malformed, NotFound
from services.shared.contracts.identity import SERVICE, Identity
from services.shared.platform import config
from services.shared.platform.database import new_id, utcnow
from services.shared.platform.identity import email_digest, issue_token, read_unlock_token

if TYPE_CHECKING:
    from services.registration.persistence.models import Account, ServiceToken
    from services.registration.persistence.unit_of_work import RegistrationUnitOfWork


def _account_reply(account: Account) -> dict:
    return {"id": account.id, "email": account.email, "full_name": account.full_name,
            "role": account.role, "satker_code": account.satker_code,
            "status": account.status}


def _new_account(uow: RegistrationUnitOfWork, email: str, password: str, full_name: str,
                 role: str, satker_code: str | None, status: str,
                 password_hash: str | None = None) -> Account:
    problems = rules.account_problems(password, full_name, email)
    if problems:
        raise InvalidAccount(problems)
    email = rules.normalize_email(email)
    if uow.accounts.by_email(email) is not None:
        raise EmailTaken()
    now = utcnow()
    return uow.accounts.add(
        id=new_id(), email=email,
        password_hash=password_hash or passwords.hash_password(password),
        full_name=full_name.strip(), role=role, satker_code=satker_code, status=status,
        created_at=now, activated_at=now if status == rules.ACTIVE else None)


def _mail_activation(uow: RegistrationUnitOfWork, account: Account) -> None:
    token = secrets.token_urlsafe(32)
    uow.activation_tokens.add(token_hash=rules.activation_token_hash(token),
                              account_id=account.id,
                              expires_at=utcnow() + rules.ACTIVATION_TTL)
    subject, body = mail_templates.activation(account.full_name, token,
                                              config.public_base_url(), rules.ACTIVATION_TTL)
    uow.mail.queue(account.email, subject, body)


def create_account(uow: RegistrationUnitOfWork, email: str, password: str,
                   full_name: str) -> dict:
    """A candidate signs up: the account waits for the token mailed to it.

    An address that already has an account gets the same answer (a fresh id that names
    nothing) after the same work (the password is hashed all the same), and its owner an
    e-mail saying someone tried."""
    problems = rules.account_problems(password, full_name, email)
    if problems:
        raise InvalidAccount(problems)
    # Hashed either way: the same cost. The CreateAccount entrypoint hashed it already,
    # before its transaction began (passwords.hash_ahead), so this takes that hash.
    password_hash = passwords.hash_password(password)
    existing = uow.accounts.by_email(rules.normalize_email(email))
    if existing is None:
        try:
            account = _new_account(uow, email, password, full_name, rules.CANDIDATE_ROLE,
                                   None, rules.PENDING, password_hash)
        except EmailTaken:  # registered concurrently, between the look-up and the insert
            existing = uow.accounts.by_email(rules.normalize_email(email))
        else:
            _mail_activation(uow, account)
            return {"id": account.id, "email": account.email, "status": rules.PENDING}
    subject, body = mail_templates.already_registered(existing.full_name,
                                                      config.public_base_url())
    uow.mail.queue(existing.email, subject, body)
    return {"id": new_id(), "email": existing.email, "status": rules.PENDING}


def activate_account(uow: RegistrationUnitOfWork, token: str) -> dict:
    record = uow.activation_tokens.get_for_update(rules.activation_token_hash(token))
    now = utcnow()
    if record is None or not rules.activation_usable(record.expires_at, record.used_at, now):
        raise ActivationTokenInvalid()
    record.used_at = now
    account = uow.accounts.get(record.account_id)
    account.status, account.activated_at = rules.ACTIVE, now
    return {"status": rules.ACTIVE}


def send_activation_mail(uow: RegistrationUnitOfWork, email: str) -> dict:
    """A new activation mail for an account still waiting for one; nothing otherwise, and
    the same answer either way."""
    account = uow.accounts.by_email(rules.normalize_email(email))
    if account is not None and account.status == rules.PENDING:
        _mail_activation(uow, account)
    return {}


def _access_token(account: Account) -> dict:
    token, ttl = issue_token(Identity(account.id, account.role, account.satker_code,
                                      account.token_version))
    return {"access_token": token, "token_type": "Bearer", "expires_in": ttl,
            "role": account.role, "satker_code": account.satker_code}


def issue_access_token(uow: RegistrationUnitOfWork, email: str, password: str) -> dict:
    account = uow.accounts.by_email(rules.normalize_email(email))
    with uow.outside_transaction():  # the service's other calls go on meanwhile
        # Verify against a dummy hash for unknown e-mails too: equal time, no probing.
        right = passwords.verify_password(account.password_hash if account else None,
                                          password)
    if not right:
        raise WrongCredentials()
    if account.status != rules.ACTIVE:
        raise AccountNotActive()
    return _access_token(account)


def get_me(uow: RegistrationUnitOfWork, identity: Identity) -> dict:
    account = uow.accounts.get(identity.account_id)
    if account is None:
        raise AccountGone()
    return _account_reply(account)


def get_account(uow: RegistrationUnitOfWork, account_id: str) -> dict:
    """An account by its id (the sekretariat adding a pembina to a Tim Pembina)."""
    account = uow.accounts.get(account_id)
    if account is None:
        raise NotFound("No account has this id.")
    return _account_reply(account)


def _nik_of(uow: RegistrationUnitOfWork, account_id: str) -> str | None:
    profile = uow.profiles.get(account_id)
    return profile.nik if profile is not None else None


def _set_password(uow: RegistrationUnitOfWork, account: Account, password: str,
                  password_hash: str, field: str) -> None:
    """A new password (by the policy, 422 on ``field``); every token issued before is
    refused from now on, and so is every reset token not used yet."""
    problems = rules.password_problems(password, account.email,
                                       _nik_of(uow, account.id))
    if problems:
        raise InvalidAccount({field: problems})
    account.password_hash = password_hash
    account.token_version = uow.accounts.bump_token_version(account.id)
    uow.password_reset_tokens.use_all_of(account.id, utcnow())


def request_password_reset(uow: RegistrationUnitOfWork, email: str) -> dict:
    """A reset mail with a single-use token when the address has an account; the same answer
    either way."""
    account = uow.accounts.by_email(rules.normalize_email(email))
    if account is not None:
        token = secrets.token_urlsafe(32)
        uow.password_reset_tokens.add(token_hash=rules.activation_token_hash(token),
                                      account_id=account.id,
                                      expires_at=utcnow() + rules.RESET_TTL)
        subject, body = mail_templates.password_reset(account.full_name, token,
                                                      config.public_base_url(),
                                                      rules.RESET_TTL)
        uow.mail.queue(account.email, subject, body)
    return {}


def confirm_password_reset(uow: RegistrationUnitOfWork, token: str, password: str) -> dict:
    """The token's account gets the new password; the token is used up only when the
    password is accepted (a refused password can be corrected with the same mail)."""
    with uow.outside_transaction():  # hashed first, holding nothing
        password_hash = passwords.hash_password(password)
    record = uow.password_reset_tokens.get_for_update(rules.activation_token_hash(token))
    now = utcnow()
    if record is None or not rules.activation_usable(record.expires_at, record.used_at, now):
        raise ResetTokenInvalid()
    account = uow.accounts.get_for_update(record.account_id)
    _set_password(uow, account, password, password_hash, "password")
    record.used_at = now
    return {}


def change_password(uow: RegistrationUnitOfWork, identity: Identity, current_password: str,
                    new_password: str) -> dict:
    """The signed-in owner changes the password; the answer is a new access token (every
    one issued before is refused from now on)."""
    account = uow.accounts.get(identity.account_id)
    if account is None:
        raise AccountGone()
    current_hash = account.password_hash
    with uow.outside_transaction():  # both hashes holding nothing
        right = passwords.verify_password(current_hash, current_password)
        new_hash = passwords.hash_password(new_password) if right else ""
    if not right:
        raise WrongCurrentPassword()
    account = uow.accounts.get_for_update(identity.account_id)
    _set_password(uow, account, new_password, new_hash, "new_password")
    subject, body = mail_templates.password_changed(account.full_name,
                                                    config.public_base_url())
    uow.mail.queue(account.email, subject, body)
    return _access_token(account)


def send_unlock_mail(uow: RegistrationUnitOfWork, email: str, token: str) -> dict:
    """Sign-in to the address's account was locked after failed attempts: its owner gets the
    token that lifts the lock. Only a good unlock token naming this address is mailed."""
    try:
        subject_digest, _ = read_unlock_token(token)
    except Malformed:
        return {}
    account = uow.accounts.by_email(rules.normalize_email(email))
    if account is None or subject_digest != email_digest(account.email):
        return {}
    subject, body = mail_templates.sign_in_locked(account.full_name, token,
                                                  config.public_base_url())
    uow.mail.queue(account.email, subject, body)
    return {}


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


# -- service tokens ---------------------------------------------------------------------

def _service_token_reply(record: ServiceToken) -> dict:
    return {"id": record.id, "name": record.name, "satker_code": record.satker_code,
            "created_at": record.created_at, "expires_at": record.expires_at}


def create_service_token(uow: RegistrationUnitOfWork, identity: Identity, name: str,
                         satker_code: str) -> dict:
    """A token of role ``service`` for another satker's system: shown once, never stored."""
    problems = rules.service_token_problems(name, satker_code)
    if problems:
        raise InvalidAccount(problems)
    ttl = config.service_token_ttl_days() * 86400
    now = utcnow()
    record = uow.service_tokens.add(
        id=new_id(), name=name.strip(), satker_code=satker_code,
        created_by=identity.account_id, created_at=now,
        expires_at=now + timedelta(seconds=ttl))
    token, _ = issue_token(Identity(record.id, SERVICE, satker_code), ttl_seconds=ttl)
    return dict(_service_token_reply(record), token=token)


def list_service_tokens(uow: RegistrationUnitOfWork) -> dict:
    items = [_service_token_reply(record) for record in uow.service_tokens.live()]
    return {"items": items, "total": len(items)}


def delete_service_token(uow: RegistrationUnitOfWork, token_id: str) -> dict:
    """The token is refused from now on (within the services' token state cache)."""
    record = uow.service_tokens.get(token_id)
    if record is None or record.revoked_at is not None:
        raise ServiceTokenUnknown()
    record.revoked_at = utcnow()
    return {}


# -- the token state the services check -----------------------------------------------

def token_state(uow: RegistrationUnitOfWork, subject: str) -> dict:
    """What a token's subject is now: ``found``, ``active``, its role, satker and token
    version (a service token is at version 0 until deleted, then not active)."""
    state = uow.accounts.token_state(subject)
    if state is not None:
        status, role, satker_code, version = state
        return {"found": True, "active": status == rules.ACTIVE, "role": role,
                "satker_code": satker_code, "token_version": version}
    record = uow.service_tokens.get(subject)
    if record is not None:
        return {"found": True, "active": record.revoked_at is None, "role": SERVICE,
                "satker_code": record.satker_code, "token_version": 0}
    return {"found": False, "active": False, "role": "", "satker_code": None,
            "token_version": 0}
