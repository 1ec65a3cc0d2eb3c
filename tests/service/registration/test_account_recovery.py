"""Accounts people expect: a new activation mail, forgot password by e-mail (single use,
expiring), change password; older tokens refused after either; service tokens; the token
state every service checks tokens against."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from services.registration.domain.accounts import PENDING
from services.registration.domain.errors import (
    InvalidAccount,
    ResetTokenInvalid,
    ServiceTokenUnknown,
    WrongCredentials,
    WrongCurrentPassword,
)
from services.registration.use_cases import accounts, profiles
from services.shared.contracts.errors import NotAuthenticated
from services.shared.platform.identity import decode_token
from services.shared.platform.token_state import TokenStates
from tests.service.registration.steps import PASSWORD, SUPERADMIN, activation_token, candidate
from tests.support.builders import profile_fields

NEW_PASSWORD = "kata-sandi-baru-sekali"


def reset_token(mail: dict) -> str:
    assert mail["subject"] == "Atur ulang kata sandi SOBAT BPS"
    return re.search(r"Token atur ulang: (\S+)", mail["body"]).group(1)


def states_of(uow) -> TokenStates:
    """The check the rpc wrapper makes, answered from this unit of work, never cached."""
    return TokenStates(lambda subject: accounts.token_state(uow, subject), fresh_for=0)


def test_a_new_activation_mail_only_for_a_pending_account(uow):
    accounts.create_account(uow, "rina@example.com", PASSWORD, "Rina")
    assert accounts.send_activation_mail(uow, "RINA@example.com") == {}
    first, second = (activation_token(mail) for mail in uow.mail)
    assert first != second
    accounts.activate_account(uow, second)
    candidate(uow, "siti@example.com")
    sent = len(uow.mail)
    assert accounts.send_activation_mail(uow, "rina@example.com") == {}  # active already
    assert accounts.send_activation_mail(uow, "nobody@example.com") == {}
    assert len(uow.mail) == sent


def test_password_reset_by_mail(uow):
    identity = candidate(uow)
    old = accounts.issue_access_token(uow, "siti@example.com", PASSWORD)["access_token"]
    assert accounts.request_password_reset(uow, "nobody@example.com") == {}
    sent = len(uow.mail)
    assert accounts.request_password_reset(uow, " Siti@example.com") == {}
    assert len(uow.mail) == sent + 1
    token = reset_token(uow.mail[-1])
    assert "Yth. Siti Aminah" in uow.mail[-1]["body"]
    # A refused password leaves the token usable.
    with pytest.raises(InvalidAccount) as weak:
        accounts.confirm_password_reset(uow, token, "password")
    assert list(weak.value.errors) == ["password"]
    assert accounts.confirm_password_reset(uow, token, NEW_PASSWORD) == {}
    with pytest.raises(ResetTokenInvalid):  # single use
        accounts.confirm_password_reset(uow, token, NEW_PASSWORD + "2")
    with pytest.raises(WrongCredentials):
        accounts.issue_access_token(uow, "siti@example.com", PASSWORD)
    new = accounts.issue_access_token(uow, "siti@example.com", NEW_PASSWORD)["access_token"]
    # Every token issued before is refused from now on; the new one is good.
    states = states_of(uow)
    with pytest.raises(NotAuthenticated):
        states.check(decode_token(old))
    states.check(decode_token(new))
    assert decode_token(new) == identity


def test_a_reset_token_expires_and_a_reset_uses_up_the_others(uow):
    candidate(uow)
    accounts.request_password_reset(uow, "siti@example.com")
    accounts.request_password_reset(uow, "siti@example.com")
    first, second = (reset_token(mail) for mail in uow.mail[-2:])
    for record in uow.password_reset_tokens.rows.values():
        record.expires_at -= timedelta(minutes=61)
    with pytest.raises(ResetTokenInvalid):
        accounts.confirm_password_reset(uow, first, NEW_PASSWORD)
    for record in uow.password_reset_tokens.rows.values():
        record.expires_at += timedelta(minutes=61)
    accounts.confirm_password_reset(uow, first, NEW_PASSWORD)
    with pytest.raises(ResetTokenInvalid):
        accounts.confirm_password_reset(uow, second, NEW_PASSWORD + "2")
    with pytest.raises(ResetTokenInvalid):
        accounts.confirm_password_reset(uow, "not-a-token", NEW_PASSWORD)


def test_the_new_password_is_not_the_nik(uow):
    identity = candidate(uow)
    profiles.put_profile(uow, identity, profile_fields())
    nik = uow.profiles.get(identity.account_id).nik
    with pytest.raises(InvalidAccount) as refused:
        accounts.change_password(uow, identity, PASSWORD, nik)
    assert refused.value.errors == {"new_password": ["Do not use the NIK as the password."]}


def test_change_password(uow):
    identity = candidate(uow)
    old = decode_token(accounts.issue_access_token(uow, "siti@example.com",
                                                   PASSWORD)["access_token"])
    with pytest.raises(WrongCurrentPassword):
        accounts.change_password(uow, identity, "wrong-password", NEW_PASSWORD)
    with pytest.raises(InvalidAccount) as weak:
        accounts.change_password(uow, identity, PASSWORD, "12345678")
    assert list(weak.value.errors) == ["new_password"]
    states = states_of(uow)
    states.check(old)  # nothing changed yet
    reply = accounts.change_password(uow, identity, PASSWORD, NEW_PASSWORD)
    assert reply["token_type"] == "Bearer" and reply["role"] == "mitra"
    with pytest.raises(NotAuthenticated):
        states.check(old)
    states.check(decode_token(reply["access_token"]))
    assert uow.mail[-1]["subject"] == "Kata sandi SOBAT BPS Anda telah diganti"
    assert accounts.issue_access_token(uow, "siti@example.com", NEW_PASSWORD)


def test_a_role_or_status_other_than_the_token_says_is_refused(uow):
    identity = candidate(uow)
    token = decode_token(accounts.issue_access_token(uow, "siti@example.com",
                                                     PASSWORD)["access_token"])
    states = states_of(uow)
    account = uow.accounts.get(identity.account_id)
    account.role = "admin_satker"
    with pytest.raises(NotAuthenticated):
        states.check(token)
    account.role, account.status = "mitra", PENDING
    with pytest.raises(NotAuthenticated):
        states.check(token)
    account.status = "active"
    states.check(token)
    assert accounts.token_state(uow, "nobody")["found"] is False


def test_service_tokens(uow):
    with pytest.raises(InvalidAccount) as invalid:
        accounts.create_service_token(uow, SUPERADMIN, " ", "9999")
    assert set(invalid.value.errors) == {"name", "satker_code"}
    made = accounts.create_service_token(uow, SUPERADMIN, " MitraDirectory Jatim ", "3500")
    identity = decode_token(made["token"])
    assert (identity.account_id, identity.role, identity.satker_code) == (
        made["id"], "service", "3500")
    assert made["name"] == "MitraDirectory Jatim"
    assert made["expires_at"] - made["created_at"] == timedelta(days=365)
    listed = accounts.list_service_tokens(uow)
    assert listed["total"] == 1 and "token" not in listed["items"][0]
    states = states_of(uow)
    states.check(identity)
    assert accounts.delete_service_token(uow, made["id"]) == {}
    with pytest.raises(NotAuthenticated):
        states.check(identity)
    assert accounts.list_service_tokens(uow) == {"items": [], "total": 0}
    with pytest.raises(ServiceTokenUnknown):
        accounts.delete_service_token(uow, made["id"])
