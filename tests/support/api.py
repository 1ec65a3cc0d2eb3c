"""A thin HTTP client for the gateway, with the steps of a candidate's and an admin's journey."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import requests

from tests.support.builders import profile_body
from tests.support.infra import wait_until

# Minimal but real files, judged by their bytes.
JPEG = bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffd9")
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6300010000050001"
                    "0d0a2db40000000049454e44ae426082")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

@dataclass
class Client:
    base_url: str
    token: str | None = None
    session: requests.Session | None = None

    def __post_init__(self):
        self.session = requests.Session()

    def request(self, method: str, path: str, token: str | None = None, **kwargs):
        headers = kwargs.pop("headers", {})
        token = token or self.token
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return self.session.request(method, self.base_url + path, headers=headers,
                                    timeout=60, **kwargs)

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self.request("POST", path, **kwargs)

    def put(self, path, **kwargs):
        return self.request("PUT", path, **kwargs)

    def patch(self, path, **kwargs):
        return self.request("PATCH", path, **kwargs)


def unique_email(prefix: str = "calon") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}@example.com"


def login(base_url: str, email: str, password: str) -> Client:
    response = requests.post(base_url + "/api/v1/auth/token",
                             json={"email": email, "password": password}, timeout=30)
    assert response.status_code == 200, response.text
    return Client(base_url, response.json()["access_token"])


def superadmin(base_url: str) -> Client:
    return login(base_url, "root@bps.go.id", "superadmin-secret")


def admin_of(base_url: str, satker_code: str) -> Client:
    root = superadmin(base_url)
    email, password = unique_email(f"admin{satker_code}"), "admin-password-1"
    response = root.post("/api/v1/admin/accounts", json={
        "email": email, "password": password, "full_name": f"Admin {satker_code}",
        "role": "admin_satker", "satker_code": satker_code})
    assert response.status_code == 201, response.text
    return login(base_url, email, password)


def registered_candidate(base_url: str, mail_sink, full_name: str = "Siti Aminah") -> Client:
    """Account created, activated from the real e-mail, signed in."""
    email, password = unique_email(), "kata-sandi-rahasia"
    response = requests.post(base_url + "/api/v1/accounts", json={
        "email": email, "password": password, "full_name": full_name}, timeout=30)
    assert response.status_code == 201, response.text
    token = mail_sink.activation_token(email)
    response = requests.post(base_url + "/api/v1/accounts/activate", json={"token": token},
                             timeout=30)
    assert response.status_code == 200, response.text
    client = login(base_url, email, password)
    client.email = email
    return client


def complete_candidate(base_url: str, mail_sink, kinds=("photo", "ktp", "ijazah")) -> Client:
    client = registered_candidate(base_url, mail_sink)
    response = client.put("/api/v1/me/profile", json=profile_body())
    assert response.status_code == 200, response.text
    for kind in kinds:
        content, content_type = (PDF, "application/pdf") if kind != "photo" else (
            JPEG, "image/jpeg")
        response = client.put(f"/api/v1/me/documents/{kind}", data=content,
                              headers={"Content-Type": content_type})
        assert response.status_code == 201, response.text
    return client


def activity_body(satker_code: str = "3528", quota=None, opens_in=timedelta(hours=-1),
                  closes_in=timedelta(days=29), requirements=None) -> dict:
    now = datetime.now(UTC)
    return {
        "satker_code": satker_code, "name": f"Rekrutmen Mitra BPS {now.year}-Pendaftaran",
        "year": now.year,
        "registration_opens_at": (now + opens_in).isoformat(),
        "registration_closes_at": (now + closes_in).isoformat(),
        "announcement_at": (now + closes_in + timedelta(days=14)).isoformat(),
        "quota": quota,
        "requirements": requirements if requirements is not None else {
            "age": {"min": 18, "max": 58, "rule": "preferred"},
            "education": {"min": "SMA", "rule": "preferred"},
            "domicile": {"rule": "preferred"}, "not_asn": {"rule": "mandatory"}},
    }


# -- the competency test ------------------------------------------------------------------

def question_items(count: int = 40, categories=("numerik", "verbal", "wawasan")) -> list[dict]:
    """An item bank: question i's correct option is i % 4, so a test can answer right or
    wrong on purpose."""
    return [{"text": f"Soal nomor {i}: berapa {i} + {i}?",
             "options": [f"{i * 2 + k} (pilihan {k})" for k in range(4)],
             "answer_index": i % 4, "category": categories[i % len(categories)]}
            for i in range(count)]


def open_activity(base_url: str, admin: Client, satker_code: str = "3528") -> dict:
    """An activity open for applications, once selection and assessment have heard of it."""
    activity = admin.post("/api/v1/activities", json=activity_body(satker_code)).json()
    wait_until(lambda: admin.get(f"/api/v1/activities/{activity['id']}/applications")
               .status_code == 200, message="the activity in selection")
    wait_until(lambda: admin.get(f"/api/v1/activities/{activity['id']}/test-sessions")
               .status_code == 200, message="the activity in assessment")
    return activity


def accepted_candidate(base_url: str, mail_sink, admin: Client, activity_id: str):
    """A candidate who applied and was accepted (Diterima), once assessment has heard of the
    decision (it may answer 403 for a moment: eligibility travels by event)."""
    candidate = complete_candidate(base_url, mail_sink)
    applied = candidate.post(f"/api/v1/activities/{activity_id}/applications", json={})
    assert applied.status_code == 201, applied.text
    application = applied.json()
    decision = f"/api/v1/applications/{application['id']}/administrative-decision"
    wait_until(lambda: admin.post(decision, json={"decision": "accepted"}).status_code == 200,
               message="the application in the admin's queue")
    candidate.application = application
    return candidate


def wait_until_eligible(candidate: Client, session_id: str):
    """Book as soon as assessment has the accepted decision; the booking response."""

    def booked():
        response = candidate.post(f"/api/v1/test-sessions/{session_id}/booking", json={})
        return response if response.status_code != 403 else None
    return wait_until(booked, message="the acceptance in assessment")
