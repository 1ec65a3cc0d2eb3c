"""The first real journey, end to end over HTTP against the system `make up` starts: account,
activation token read from a mail received by a real SMTP server, profile, documents,
application; and the event arriving at selection."""
from __future__ import annotations

import hashlib

import requests
import sqlalchemy as sa

from services.shared.platform.database import normalise_url
from tests.support import api
from tests.support.infra import wait_until


def test_candidate_registers_and_applies(base_url, mail_sink, database_urls):
    email, password = api.unique_email(), "kata-sandi-rahasia"
    created = requests.post(base_url + "/api/v1/accounts", json={
        "email": email, "password": password, "full_name": "Siti Aminah"})
    assert created.status_code == 201
    assert created.json()["status"] == "pending_activation"

    # Not activated yet: signing in is refused with 403.
    early = requests.post(base_url + "/api/v1/auth/token",
                          json={"email": email, "password": password})
    assert early.status_code == 403

    mail = mail_sink.wait_for(email, "Aktivasi")
    assert "Token aktivasi" in mail.get_content()
    token = mail_sink.activation_token(email)
    activated = requests.post(base_url + "/api/v1/accounts/activate", json={"token": token})
    assert activated.status_code == 200 and activated.json() == {"status": "active"}
    # Single use.
    again = requests.post(base_url + "/api/v1/accounts/activate", json={"token": token})
    assert again.status_code == 400
    assert again.headers["Content-Type"] == "application/problem+json"

    wrong = requests.post(base_url + "/api/v1/auth/token",
                          json={"email": email, "password": "not-the-password"})
    assert wrong.status_code == 401
    signed_in = requests.post(base_url + "/api/v1/auth/token",
                              json={"email": email, "password": password})
    assert signed_in.status_code == 200
    body = signed_in.json()
    assert body["token_type"] == "Bearer" and body["role"] == "mitra" and body["expires_in"] > 0
    candidate = api.Client(base_url, body["access_token"])

    me = candidate.get("/api/v1/me").json()
    assert me["email"] == email and me["role"] == "mitra" and me["satker_code"] is None

    assert candidate.get("/api/v1/me/profile").status_code == 404
    profile = api.profile_body()
    saved = candidate.put("/api/v1/me/profile", json=profile)
    assert saved.status_code == 200, saved.text
    assert saved.json()["nik"] == profile["nik"]
    assert saved.json()["phone"] == "+6281234567890"
    assert saved.json()["kecamatan_name"] == "Tlanakan"
    assert candidate.get("/api/v1/me/profile").json()["domicile_regency_code"] == "3528"

    uploads = {"photo": (api.JPEG, "image/jpeg"), "ktp": (api.PNG, "image/png"),
               "ijazah": (api.PDF, "application/pdf")}
    for kind, (content, content_type) in uploads.items():
        stored = candidate.put(f"/api/v1/me/documents/{kind}", data=content,
                               headers={"Content-Type": content_type})
        assert stored.status_code == 201, stored.text
        assert stored.json() == {"kind": kind, "sha256": hashlib.sha256(content).hexdigest(),
                                 "size": len(content), "content_type": content_type}
    listed = candidate.get("/api/v1/me/documents").json()["items"]
    assert sorted(d["kind"] for d in listed) == ["ijazah", "ktp", "photo"]

    admin = api.admin_of(base_url, "3528")
    activity = admin.post("/api/v1/activities", json=api.activity_body("3528", quota=100))
    assert activity.status_code == 201, activity.text
    activity = activity.json()
    assert activity["satker_name"] == "BPS Kabupaten Pamekasan"
    assert activity["requirements"]["not_asn"] == {"rule": "mandatory"}
    open_ones = requests.get(base_url + "/api/v1/activities",
                             params={"satker_code": "3528", "open": "true"}).json()
    assert activity["id"] in [a["id"] for a in open_ones["items"]]
    assert requests.get(base_url + f"/api/v1/activities/{activity['id']}").json()["quota"] == 100

    applied = candidate.post(f"/api/v1/activities/{activity['id']}/applications", json={})
    assert applied.status_code == 201, applied.text
    application = applied.json()
    assert application["status"] == "submitted"
    assert application["registration_number"].startswith(f"3528-{activity['year']}-")
    twice = candidate.post(f"/api/v1/activities/{activity['id']}/applications", json={})
    assert twice.status_code == 409

    mine = candidate.get("/api/v1/me/applications").json()["items"]
    assert [(a["id"], a["registration_number"]) for a in mine] == [
        (application["id"], application["registration_number"])]
    assert mine[0]["administrative"] == {"status": "pending", "reason": None}
    assert mine[0]["test"]["status"] == "not_booked" and mine[0]["final"]["status"] == "pending"

    # The application_submitted event reaches selection's own read model, with the snapshot.
    selection = sa.create_engine(normalise_url(database_urls["selection"]))
    with selection.connect() as connection:
        row = wait_until(lambda: connection.execute(sa.text(
            "SELECT registration_number, profile, documents FROM applications WHERE id = :id"),
            {"id": application["id"]}).first(), message="the event at selection")
    selection.dispose()
    assert row.registration_number == application["registration_number"]
    snapshot = row.profile if isinstance(row.profile, dict) else __import__("json").loads(
        row.profile)
    assert snapshot["nik"] == profile["nik"] and snapshot["email"] == email
