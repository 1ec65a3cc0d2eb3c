"""Roles and satker scope, enforced by the gateway and again by the services."""
from __future__ import annotations

import grpc
import pytest
import requests
from nameko_grpc.client import Client as GrpcClient

import registration_pb2 as reg
import registration_pb2_grpc
import selection_pb2 as sel
import selection_pb2_grpc
from services.shared.platform.identity import Identity, issue_token
from tests.support import api
from tests.support.infra import wait_until


@pytest.fixture(scope="module")
def admins(base_url):
    return api.admin_of(base_url, "3320"), api.admin_of(base_url, "3528")


def test_an_admin_cannot_create_or_change_another_satkers_activity(base_url, admins):
    jepara, pamekasan = admins
    refused = jepara.post("/api/v1/activities", json=api.activity_body("3528"))
    assert refused.status_code == 403
    assert refused.headers["Content-Type"] == "application/problem+json"

    activity = pamekasan.post("/api/v1/activities", json=api.activity_body("3528")).json()
    changed = jepara.patch(f"/api/v1/activities/{activity['id']}", json={"name": "Diubah"})
    assert changed.status_code == 403
    assert requests.get(f"{base_url}/api/v1/activities/{activity['id']}").json()["name"] == \
        activity["name"]

    own = pamekasan.patch(f"/api/v1/activities/{activity['id']}",
                          json={"name": "Rekrutmen Mitra BPS 2027-Pendaftaran", "quota": 40})
    assert own.status_code == 200, own.text
    assert own.json()["name"] == "Rekrutmen Mitra BPS 2027-Pendaftaran"
    assert own.json()["quota"] == 40
    assert jepara.post("/api/v1/activities", json=api.activity_body("3320")).status_code == 201


def test_a_mitra_cannot_call_admin_routes(base_url, mail_sink, admins):
    candidate = api.registered_candidate(base_url, mail_sink)
    assert candidate.post("/api/v1/activities", json=api.activity_body("3528")).status_code == 403
    activity = admins[1].post("/api/v1/activities", json=api.activity_body("3528")).json()
    assert candidate.patch(f"/api/v1/activities/{activity['id']}",
                           json={"name": "x"}).status_code == 403
    assert candidate.post("/api/v1/admin/accounts", json={
        "email": api.unique_email(), "password": "password-123", "full_name": "X",
        "role": "superadmin"}).status_code == 403
    # ... and an admin is not a candidate.
    assert admins[0].put("/api/v1/me/profile", json=api.profile_body()).status_code == 403
    assert admins[0].post("/api/v1/admin/accounts", json={
        "email": api.unique_email(), "password": "password-123", "full_name": "X",
        "role": "admin_satker", "satker_code": "3320"}).status_code == 403


def test_selection_keeps_another_satker_out_of_an_activity_without_applications(
        system, base_url, admins):
    jepara, pamekasan = admins
    activity = pamekasan.post("/api/v1/activities", json=api.activity_body("3528")).json()
    queue = f"/api/v1/activities/{activity['id']}/applications"
    # Selection learns the activity's satker from its activity_published event.
    wait_until(lambda: pamekasan.get(queue).status_code == 200,
               message="the new activity at selection")
    assert pamekasan.get(queue).json() == {"items": [], "total": 0}
    assert jepara.get(queue).status_code == 403
    assert jepara.get(queue + "/export", params={"format": "csv"}).status_code == 403
    assert pamekasan.get("/api/v1/activities/no-such-activity/applications").status_code == 404
    # ... and selection itself refuses, for a client that skips the gateway too.
    # Jepara's admin's own account: a token of an unknown account is refused before scope.
    token, _ = _token_for(system, Identity(jepara.get("/api/v1/me").json()["id"],
                                           "admin_satker", "3320"))
    with GrpcClient(system.env["SELECTION_GRPC_TARGET"], selection_pb2_grpc.SelectionStub) \
            as client:
        with pytest.raises(Exception) as refused:
            client.ListApplications(sel.ListApplicationsRequest(activity_id=activity["id"]),
                                    metadata=[("authorization", f"Bearer {token}")])
        assert refused.value.code == grpc.StatusCode.PERMISSION_DENIED


@pytest.mark.parametrize("method, path", [
    ("GET", "/api/v1/me"), ("GET", "/api/v1/me/profile"), ("PUT", "/api/v1/me/profile"),
    ("GET", "/api/v1/me/documents"), ("PUT", "/api/v1/me/documents/ktp"),
    ("POST", "/api/v1/activities"), ("PATCH", "/api/v1/activities/x"),
    ("POST", "/api/v1/activities/x/applications"), ("GET", "/api/v1/me/applications"),
    ("POST", "/api/v1/admin/accounts"),
])
def test_no_token_gets_401(base_url, method, path):
    response = requests.request(method, base_url + path, json={})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.json()["status"] == 401


def test_a_forged_or_expired_token_gets_401(base_url):
    forged = requests.get(base_url + "/api/v1/me",
                          headers={"Authorization": "Bearer not.a.token"})
    assert forged.status_code == 401
    basic = requests.get(base_url + "/api/v1/me", headers={"Authorization": "Basic eDp5"})
    assert basic.status_code == 401


def test_services_recheck_the_caller_behind_the_gateway(system):
    """A client that skips the gateway meets the same rules at the service."""
    target = system.env["REGISTRATION_GRPC_TARGET"]
    with GrpcClient(target, registration_pb2_grpc.RegistrationStub) as client:
        with pytest.raises(Exception) as anonymous:
            client.GetMe(reg.GetMeRequest())
        assert anonymous.value.code == grpc.StatusCode.UNAUTHENTICATED
        # A well-signed mitra token may not create an activity.
        token, _ = _token_for(system, Identity("someone", "mitra"))
        with pytest.raises(Exception) as forbidden:
            client.CreateActivity(reg.Activity(satker_code="3528"),
                                  metadata=[("authorization", f"Bearer {token}")])
        assert forbidden.value.code == grpc.StatusCode.PERMISSION_DENIED


def _token_for(system, identity):
    import os
    previous = os.environ.get("JWT_SECRET")
    os.environ["JWT_SECRET"] = system.env["JWT_SECRET"]
    try:
        return issue_token(identity)
    finally:
        if previous is None:
            del os.environ["JWT_SECRET"]
        else:
            os.environ["JWT_SECRET"] = previous
