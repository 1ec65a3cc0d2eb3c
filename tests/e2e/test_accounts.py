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


def test_one_account_per_email_address(base_url):
    email = api.unique_email()
    body = {"email": email, "password": "kata-sandi-rahasia", "full_name": "Rina"}
    assert requests.post(base_url + "/api/v1/accounts", json=body).status_code == 201
    again = requests.post(base_url + "/api/v1/accounts", json=dict(body, email=email.upper()))
    assert again.status_code == 409


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
