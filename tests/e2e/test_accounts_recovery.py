"""Issue 11, findings 9 and 10: forgot password by e-mail end to end (the mail read from the
SMTP server the system sends to), a new activation mail, change password, and every token
issued before a reset or a change refused by the services behind the gateway; service tokens
shown once and refused once deleted."""
from __future__ import annotations

import re
import uuid

import grpc
import requests
from nameko_grpc.client import Client as GrpcClient

import registration_pb2 as reg
import registration_pb2_grpc
from tests.support import api
from tests.support.infra import wait_until

NEW_PASSWORD = "kata-sandi-baru-sekali"


def reset_token(mail_sink, email: str, already: int = 0) -> str:
    def mails():
        found = [m for m in mail_sink.received
                 if email in m["To"] and "Atur ulang" in m["Subject"]]
        return found if len(found) > already else None
    body = wait_until(mails, message=f"a reset mail to {email}")[-1].get_content()
    return re.search(r"Token atur ulang: (\S+)", body).group(1)


def test_password_reset_end_to_end(base_url, mail_sink):
    candidate = api.registered_candidate(base_url, mail_sink)
    old_token = candidate.token
    unknown = requests.post(base_url + "/api/v1/accounts/password-reset",
                            json={"email": api.unique_email()})
    known = requests.post(base_url + "/api/v1/accounts/password-reset",
                          json={"email": candidate.email})
    assert unknown.status_code == known.status_code == 202
    assert unknown.json() == known.json()
    token = reset_token(mail_sink, candidate.email)

    weak = requests.post(base_url + "/api/v1/accounts/password-reset/confirm",
                         json={"token": token, "password": "12345678"})
    assert weak.status_code == 422 and "password" in weak.json()["errors"]
    done = requests.post(base_url + "/api/v1/accounts/password-reset/confirm",
                         json={"token": token, "password": NEW_PASSWORD})
    assert done.status_code == 200, done.text
    again = requests.post(base_url + "/api/v1/accounts/password-reset/confirm",
                          json={"token": token, "password": NEW_PASSWORD + "-2"})
    assert again.status_code == 400

    wrong = requests.post(base_url + "/api/v1/auth/token", json={
        "email": candidate.email, "password": "kata-sandi-rahasia"})
    assert wrong.status_code == 401
    fresh = api.login(base_url, candidate.email, NEW_PASSWORD)
    assert fresh.get("/api/v1/me").status_code == 200
    # The token issued before the reset is refused (by the service, within its cache).
    wait_until(lambda: candidate.get("/api/v1/me", token=old_token).status_code == 401,
               message="the old token refused")


def test_change_password_refuses_older_tokens_at_every_service(base_url):
    admin = api.admin_of(base_url, "3320")
    email = admin.get("/api/v1/me").json()["email"]
    second_session = api.login(base_url, email, "admin-password-1")
    unknown_activity = f"/api/v1/activities/{uuid.uuid4()}/test-sessions"  # assessment's
    assert second_session.get(unknown_activity).status_code == 404
    wrong = admin.put("/api/v1/me/password", json={
        "current_password": "not-it-at-all", "new_password": NEW_PASSWORD})
    assert wrong.status_code == 403
    weak = admin.put("/api/v1/me/password", json={
        "current_password": "admin-password-1", "new_password": email})
    assert weak.status_code == 422 and "new_password" in weak.json()["errors"]
    changed = admin.put("/api/v1/me/password", json={
        "current_password": "admin-password-1", "new_password": NEW_PASSWORD})
    assert changed.status_code == 200, changed.text
    new_token = changed.json()["access_token"]
    assert admin.get(unknown_activity, token=new_token).status_code == 404
    # Each service within its own cache's few seconds (one may see it before another).
    wait_until(lambda: second_session.get(unknown_activity).status_code == 401,
               message="the older token refused by assessment")
    wait_until(lambda: second_session.get("/api/v1/me").status_code == 401,
               message="the older token refused by registration")
    api.login(base_url, email, NEW_PASSWORD)


def test_a_new_activation_mail(base_url, mail_sink):
    email = api.unique_email()
    requests.post(base_url + "/api/v1/accounts", json={
        "email": email, "password": "kata-sandi-rahasia", "full_name": "Rina"})
    mail_sink.activation_token(email)
    resent = requests.post(base_url + "/api/v1/accounts/activation-mail", json={"email": email})
    nobody = requests.post(base_url + "/api/v1/accounts/activation-mail",
                           json={"email": api.unique_email()})
    assert resent.status_code == nobody.status_code == 202
    tokens = wait_until(lambda: [m for m in mail_sink.received
                                 if email in m["To"] and "Aktivasi" in m["Subject"]][1:],
                        message="a second activation mail")
    token = re.search(r"Token aktivasi: (\S+)", tokens[0].get_content()).group(1)
    assert requests.post(base_url + "/api/v1/accounts/activate",
                         json={"token": token}).status_code == 200


def test_service_tokens(system, base_url):
    root = api.superadmin(base_url)
    made = root.post("/api/v1/admin/service-tokens",
                     json={"name": "MitraDirectory Jatim", "satker_code": "3500"})
    assert made.status_code == 201, made.text
    token = made.json()["token"]
    listed = root.get("/api/v1/admin/service-tokens").json()
    assert made.json()["id"] in [item["id"] for item in listed["items"]]
    assert all("token" not in item for item in listed["items"])
    assert api.admin_of(base_url, "3320").get(
        "/api/v1/admin/service-tokens").status_code == 403

    target = system.env["REGISTRATION_GRPC_TARGET"]
    metadata = [("authorization", f"Bearer {token}")]

    def list_activities():
        with GrpcClient(target, registration_pb2_grpc.RegistrationStub) as client:
            return client.ListActivities(reg.ListActivitiesRequest(page=1, per_page=1),
                                         metadata=metadata)
    list_activities()  # the token works behind the gateway
    # ... and opens no HTTP route, not even one any signed-in account may use
    assert requests.get(f"{base_url}/api/v1/pembinaan/budget/fullday", params={"kl_count": 5},
                        headers={"Authorization": f"Bearer {token}"}).status_code == 403
    assert root.request("DELETE", f"/api/v1/admin/service-tokens/{made.json()['id']}"
                        ).status_code == 204
    assert root.request("DELETE", f"/api/v1/admin/service-tokens/{made.json()['id']}"
                        ).status_code == 404

    def refused():
        try:
            list_activities()
        except Exception as error:  # noqa: BLE001 - the gRPC refusal
            return getattr(error, "code", None) == grpc.StatusCode.UNAUTHENTICATED
        return False
    wait_until(refused, message="the deleted service token refused")
