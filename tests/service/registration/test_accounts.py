"""Accounts: sign-up, activation, sign-in and the accounts a superadmin makes."""
from __future__ import annotations

from datetime import timedelta

import pytest

from services.registration.adapters import passwords
from services.registration.domain.accounts import ACTIVE, PENDING
from services.registration.domain.errors import (
    AccountGone,
    AccountNotActive,
    ActivationTokenInvalid,
    EmailTaken,
    InvalidAccount,
    WrongCredentials,
)
from services.registration.use_cases import accounts
from services.shared.contracts.identity import Identity
from services.shared.platform.identity import decode_token
from tests.service.registration.steps import PASSWORD, activation_token, candidate


def test_sign_up_queues_the_activation_mail(uow):
    account = accounts.create_account(uow, " Siti@Example.com ", PASSWORD, " Siti Aminah ")
    assert account == {"id": account["id"], "email": "siti@example.com", "status": PENDING}
    stored = uow.accounts.get(account["id"])
    assert (stored.role, stored.satker_code, stored.full_name) == ("mitra", None, "Siti Aminah")
    [mail] = uow.mail
    assert mail["recipient"] == "siti@example.com"
    assert "Yth. Siti Aminah" in mail["body"]
    assert uow.events == []  # nobody else needs to know of an account


def test_an_account_is_activated_once(uow):
    accounts.create_account(uow, "siti@example.com", PASSWORD, "Siti Aminah")
    token = activation_token(uow.mail[0])
    with pytest.raises(AccountNotActive):
        accounts.issue_access_token(uow, "siti@example.com", PASSWORD)
    assert accounts.activate_account(uow, f" {token}\n") == {"status": ACTIVE}
    with pytest.raises(ActivationTokenInvalid) as again:
        accounts.activate_account(uow, token)
    assert again.value.detail == "The activation token is unknown, already used or expired."
    with pytest.raises(ActivationTokenInvalid):
        accounts.activate_account(uow, "not-a-token")


def test_an_expired_token_activates_nothing(uow):
    account = accounts.create_account(uow, "siti@example.com", PASSWORD, "Siti Aminah")
    [record] = uow.activation_tokens.rows.values()
    record.expires_at -= timedelta(hours=49)
    with pytest.raises(ActivationTokenInvalid):
        accounts.activate_account(uow, activation_token(uow.mail[0]))
    assert uow.accounts.get(account["id"]).status == PENDING


def test_sign_in(uow):
    identity = candidate(uow)
    reply = accounts.issue_access_token(uow, "SITI@example.com", PASSWORD)
    assert reply["token_type"] == "Bearer" and reply["role"] == "mitra"
    assert reply["satker_code"] is None
    assert decode_token(reply["access_token"]) == identity


def test_wrong_password_or_unknown_email(uow):
    candidate(uow)
    with pytest.raises(WrongCredentials) as wrong:
        accounts.issue_access_token(uow, "siti@example.com", PASSWORD + "x")
    assert wrong.value.detail == "The e-mail address or password is wrong."
    with pytest.raises(WrongCredentials):
        accounts.issue_access_token(uow, "nobody@example.com", PASSWORD)


def test_one_account_per_email_and_sign_up_does_not_tell(uow, monkeypatch):
    """Signing up with a registered address answers as a new sign-up does, after the same
    password hashing, and mails the address's owner instead of a token."""
    hashed = []
    real_hash = passwords.hash_password
    monkeypatch.setattr(passwords, "hash_password",
                        lambda password: hashed.append(password) or real_hash(password))
    new = accounts.create_account(uow, "rina@example.com", PASSWORD, "Rina")
    owner = candidate(uow, "siti@example.com")
    hashed.clear()
    again = accounts.create_account(uow, "SITI@example.com", PASSWORD + "-lain", "Siti Lain")
    assert set(again) == set(new) and again["status"] == new["status"] == PENDING
    assert again["email"] == "siti@example.com" and again["id"] != owner.account_id
    assert uow.accounts.get(again["id"]) is None  # the id names nothing
    assert hashed == [PASSWORD + "-lain"]  # the work a new account costs
    assert len(uow.accounts.rows) == 2
    mail = uow.mail[-1]
    assert mail["recipient"] == "siti@example.com"
    assert mail["subject"] == "Pendaftaran dengan alamat e-mail Anda"
    assert "Yth. Siti Aminah" in mail["body"] and "Token aktivasi" not in mail["body"]
    # The owner's account is untouched: the old password still signs in.
    assert accounts.issue_access_token(uow, "siti@example.com", PASSWORD)["role"] == "mitra"
    # An admin account for a taken address is still refused (only a superadmin sees it).
    with pytest.raises(EmailTaken):
        accounts.create_admin_account(uow, "siti@example.com", PASSWORD, "A", "pembina",
                                      None)


@pytest.mark.parametrize(("password", "message"), [
    ("1234567", "Use at least 8 characters."), ("x" * 129, "Use at most 128 characters."),
    ("12345678", "This password is one of the most commonly used; choose another."),
    ("Password", "This password is one of the most commonly used; choose another."),
    (" " * 8, "Use more than spaces."),
    ("Siti@Example.com", "Do not use the e-mail address as the password.")])
def test_password_policy(uow, password, message):
    with pytest.raises(InvalidAccount) as invalid:
        accounts.create_account(uow, "siti@example.com", password, "  ")
    assert invalid.value.errors == {"password": [message],
                                    "full_name": ["Fill in the full name."]}
    assert uow.mail == []
    accounts.create_account(uow, "siti@example.com", "x" * 128, "Siti")  # the longest allowed


def test_get_me(uow):
    identity = candidate(uow)
    assert accounts.get_me(uow, identity)["email"] == "siti@example.com"
    with pytest.raises(AccountGone):
        accounts.get_me(uow, Identity("deleted", "mitra"))


@pytest.mark.parametrize(("role", "satker_code", "errors"), [
    ("mitra", None, {"role": ["Use one of: admin_satker, pembina, sekretariat, superadmin."]}),
    ("admin", None, {"role": ["Use one of: admin_satker, pembina, sekretariat, superadmin."]}),
    ("admin_satker", None, {"satker_code": ["An admin_satker account needs its satker code."]}),
    ("admin_satker", "9999", {"satker_code": ["Unknown satker code."]}),
    ("pembina", "35", {"satker_code": ["Unknown satker code."]}),
])
def test_admin_role_rules(uow, role, satker_code, errors):
    with pytest.raises(InvalidAccount) as invalid:
        accounts.create_admin_account(uow, "admin@bps.go.id", PASSWORD, "Admin", role,
                                      satker_code)
    assert invalid.value.errors == errors
    assert uow.accounts.rows == {}


@pytest.mark.parametrize(("role", "satker_code"), [
    ("admin_satker", "3528"), ("admin_satker", "3500"), ("superadmin", None),
    ("sekretariat", None), ("pembina", "3528")])
def test_admin_accounts_are_active_at_once(uow, role, satker_code):
    account = accounts.create_admin_account(uow, "Admin@bps.go.id", PASSWORD, "Admin", role,
                                            satker_code)
    assert account["status"] == ACTIVE and account["role"] == role
    assert account["satker_code"] == satker_code
    assert accounts.issue_access_token(uow, "admin@bps.go.id", PASSWORD)["role"] == role
    assert uow.mail == []


def test_the_first_superadmin_is_made_once(uow):
    accounts.ensure_superadmin(uow, "Root@bps.go.id", PASSWORD)
    accounts.ensure_superadmin(uow, "root@bps.go.id", "another-password")
    [root] = uow.accounts.rows.values()
    assert (root.email, root.role, root.status) == ("root@bps.go.id", "superadmin", ACTIVE)
    assert accounts.issue_access_token(uow, "root@bps.go.id", PASSWORD)["role"] == "superadmin"
