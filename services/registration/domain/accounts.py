"""Accounts: who may have one, how a password must look, which admin roles exist and how an
account is activated.

A candidate (mitra) signs up and activates the account with a one-time token sent by e-mail;
admin accounts are made by a superadmin and are active at once.
"""
from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from functools import cache

from services.shared.contracts import regions
from services.shared.contracts.identity import MITRA, ROLES

CANDIDATE_ROLE = MITRA[0]  # the one role that signs itself up
PENDING, ACTIVE = "pending_activation", "active"
ACTIVATION_TTL = timedelta(hours=48)
RESET_TTL = timedelta(hours=1)
PASSWORD_LENGTH = (8, 128)
# Every role but the candidate's is made by a superadmin.
ADMIN_CREATED_ROLES: tuple[str, ...] = tuple(role for role in ROLES if role not in MITRA)
SATKER_ROLE = "admin_satker"  # the one role bound to a satker


def normalize_email(email: str) -> str:
    """E-mail addresses are compared and stored lower-case."""
    return email.strip().lower()


@cache
def common_passwords() -> frozenset[str]:
    """The 30,000 most used passwords (zxcvbn's ranked list, from leaked password sets),
    lower-case. Loaded on first use: about 2 MB that only the password check needs."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS
    return frozenset(word.lower() for word in FREQUENCY_LISTS["passwords"])


def password_problems(password: str, email: str | None = None,
                      nik: str | None = None) -> list[str]:
    """What is wrong with a password: its length (8-128), only spaces, one of the commonly
    used passwords (compared case-insensitively), or the account's e-mail address or NIK."""
    low, high = PASSWORD_LENGTH
    if len(password) < low:
        return [f"Use at least {low} characters."]
    if len(password) > high:
        return [f"Use at most {high} characters."]
    if not password.strip():
        return ["Use more than spaces."]
    if password.strip().lower() in common_passwords():
        return ["This password is one of the most commonly used; choose another."]
    if email and password.strip().lower() == normalize_email(email):
        return ["Do not use the e-mail address as the password."]
    if nik and password.strip() == nik.strip():
        return ["Do not use the NIK as the password."]
    return []


def account_problems(password: str, full_name: str,
                     email: str | None = None) -> dict[str, list[str]]:
    """Field -> messages for a new account; {} means valid."""
    problems: dict[str, list[str]] = {}
    if password_problems(password, email):
        problems["password"] = password_problems(password, email)
    if not full_name.strip():
        problems["full_name"] = ["Fill in the full name."]
    return problems


def admin_problems(role: str, satker_code: str | None) -> dict[str, list[str]]:
    """Field -> messages for an account a superadmin makes: a role other than the candidate's,
    and a known satker code, which an admin_satker must have."""
    problems: dict[str, list[str]] = {}
    if role not in ADMIN_CREATED_ROLES:
        problems["role"] = [f"Use one of: {', '.join(ADMIN_CREATED_ROLES)}."]
    if satker_code and not regions.is_valid_satker_code(satker_code):
        problems["satker_code"] = ["Unknown satker code."]
    elif role == SATKER_ROLE and not satker_code:
        problems["satker_code"] = ["An admin_satker account needs its satker code."]
    return problems


def activation_token_hash(token: str) -> str:
    """Only a token's hash is stored: a leaked database activates no account (nor resets a
    password: reset tokens are kept the same way)."""
    return hashlib.sha256(token.strip().encode()).hexdigest()


def activation_usable(expires_at: datetime, used_at: datetime | None, now: datetime) -> bool:
    """A token (activation or reset) works once, before it expires."""
    return used_at is None and now < expires_at


def service_token_problems(name: str, satker_code: str) -> dict[str, list[str]]:
    """Field -> messages for a service token: a name to recognise it by, a known satker."""
    problems: dict[str, list[str]] = {}
    if not name.strip():
        problems["name"] = ["Name the system the token is for."]
    if not regions.is_valid_satker_code(satker_code):
        problems["satker_code"] = ["Unknown satker code."]
    return problems
