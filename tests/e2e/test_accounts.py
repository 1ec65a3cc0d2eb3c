"""Accounts: activation tokens expire, e-mail and NIK are each one account's only, the
superadmin alone creates admin accounts."""
from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import requests
import sqlalchemy as sa

from services.shared.platform.database import normalise_url
from tests.support import api


def test_an_expired_activation_token_is_400(base_url, mail_sink, database_urls):
    email = api.unique_email()
    requests.post(base_url + "/api/v1/accounts", json={
        "email": email, "password": "kata-sandi-rahasia", "full_name": "Rina"})
    token = mail_sink.activation_token(email)
    engine = sa.create_engine(normalise_url(database_urls["registration"]))
    with engine.begin() as connection:
        connection.execute(sa.text(
            "UPDATE activation_tokens SET expires_at = :past WHERE token_hash = :hash"),
            {"past": datetime.now(UTC) - timedelta(minutes=1),
             "hash": hashlib.sha256(token.encode()).hexdigest()})
    engine.dispose()
    expired = requests.post(base_url + "/api/v1/accounts/activate", json={"token": token})
    assert expired.status_code == 400
    assert requests.post(base_url + "/api/v1/auth/token", json={
        "email": email, "password": "kata-sandi-rahasia"}).status_code == 403


def test_one_account_per_email_address_and_sign_up_does_not_tell(base_url, mail_sink):
    """Issue 11, finding 4: an address that has an account gets the answer a new one gets
    (201, the same fields, status pending) and its owner an e-mail; the account is kept."""
    owner = api.registered_candidate(base_url, mail_sink)
    new = requests.post(base_url + "/api/v1/accounts", json={
        "email": api.unique_email(), "password": "kata-sandi-rahasia", "full_name": "Rina"})
    again = requests.post(base_url + "/api/v1/accounts", json={
        "email": owner.email.upper(), "password": "kata-sandi-lain-1", "full_name": "Rina"})
    assert new.status_code == again.status_code == 201
    assert set(new.json()) == set(again.json()) == {"id", "email", "status"}
    assert again.json()["status"] == "pending_activation"
    assert again.headers["Content-Type"] == new.headers["Content-Type"]
    told = mail_sink.wait_for(owner.email, "Pendaftaran dengan alamat e-mail Anda")
    assert "Token aktivasi" not in told.get_content()
    assert owner.get("/api/v1/me").status_code == 200
    api.login(base_url, owner.email, "kata-sandi-rahasia")  # the password did not change


def test_a_nik_belongs_to_one_account_only(base_url, mail_sink):
    first, second = (api.registered_candidate(base_url, mail_sink) for _ in range(2))
    profile = api.profile_body()
    assert first.put("/api/v1/me/profile", json=profile).status_code == 200
    taken = second.put("/api/v1/me/profile", json=profile)
    assert taken.status_code == 409
    assert second.get("/api/v1/me/profile").status_code == 404
    # The owner may save it again (an update, not a second account).
    assert first.put("/api/v1/me/profile", json=dict(profile, occupation="Petani")).json()[
        "occupation"] == "Petani"


def test_admin_accounts(base_url):
    root = api.superadmin(base_url)
    assert root.get("/api/v1/me").json()["role"] == "superadmin"
    missing_satker = root.post("/api/v1/admin/accounts", json={
        "email": api.unique_email(), "password": "admin-password-1", "full_name": "A",
        "role": "admin_satker"})
    assert missing_satker.status_code == 422
    unknown_satker = root.post("/api/v1/admin/accounts", json={
        "email": api.unique_email(), "password": "admin-password-1", "full_name": "A",
        "role": "admin_satker", "satker_code": "9999"})
    assert unknown_satker.status_code == 422
    admin = api.admin_of(base_url, "3320")
    me = admin.get("/api/v1/me").json()
    assert me["role"] == "admin_satker" and me["satker_code"] == "3320"
    token = requests.post(base_url + "/api/v1/auth/token", json={
        "email": me["email"], "password": "admin-password-1"}).json()
    assert token["satker_code"] == "3320" and token["role"] == "admin_satker"
