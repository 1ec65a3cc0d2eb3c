"""`make up` with no configuration: SQLite files, mail as .eml files and uploads under var/;
`make down` stops exactly what was started."""
from __future__ import annotations

import email
import email.policy
import os
import re
from concurrent.futures import ThreadPoolExecutor

import requests
import sqlalchemy as sa

from services.shared.ops.launcher import PROCESSES, System, _alive
from tests.support import api
from tests.support.infra import free_port, system_ports, wait_until


def test_the_system_runs_on_embedded_defaults(tmp_path, own_vhost):
    amqp_uri = own_vhost
    env = {key: value for key, value in os.environ.items()
           if not key.endswith(("_DATABASE_URL", "_GRPC_PORT", "_GRPC_TARGET"))
           and not key.startswith(("SMTP_", "MAIL_", "UPLOADS_"))}
    env.update({"BPS_VAR_DIR": str(tmp_path / "var"), "AMQP_URI": amqp_uri,
                # Free ports rather than the defaults, which a developer's system may hold.
                "GATEWAY_PORT": str(free_port()),
                **system_ports(),
                "SUPERADMIN_EMAIL": "root@bps.go.id", "SUPERADMIN_PASSWORD": "superadmin-secret",
                "JWT_SECRET": ""})
    system = System(env)
    try:
        base_url = system.up(timeout=90)
        var = tmp_path / "var"
        assert {p.name for p in var.glob("*.db")} == {
            "registration.db", "selection.db", "assessment.db", "pembinaan.db"}

        address, password = api.unique_email(), "kata-sandi-rahasia"
        assert requests.post(base_url + "/api/v1/accounts", json={
            "email": address, "password": password, "full_name": "Ahmad"}).status_code == 201

        def activation_mail():
            for path in (var / "mail").glob("*.eml"):
                message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
                if message["To"] == address:
                    return message
            return None
        body = wait_until(activation_mail, message="the .eml in var/mail").get_content()
        token = re.search(r"Token aktivasi: (\S+)", body).group(1)
        assert requests.post(base_url + "/api/v1/accounts/activate",
                             json={"token": token}).status_code == 200
        candidate = api.login(base_url, address, password)
        assert candidate.put("/api/v1/me/profile", json=api.profile_body()).status_code == 200
        for kind in ("photo", "ktp", "ijazah"):
            assert candidate.put(f"/api/v1/me/documents/{kind}", data=api.JPEG,
                                 headers={"Content-Type": "image/jpeg"}).status_code == 201
        assert len(list((var / "uploads").rglob("*"))) >= 1
        activity = api.admin_of(base_url, "3528").post(
            "/api/v1/activities", json=api.activity_body("3528")).json()
        applied = candidate.post(f"/api/v1/activities/{activity['id']}/applications", json={})
        assert applied.status_code == 201

        selection = sa.create_engine(f"sqlite:///{var / 'selection.db'}")
        with selection.connect() as connection:
            wait_until(lambda: connection.execute(sa.text(
                "SELECT count(*) FROM applications")).scalar() == 1,
                message="the event at selection (SQLite)")
        selection.dispose()
        # Concurrent sign-ups on SQLite: the write lock is waited for cooperatively, so one
        # sign-up hashing its password never freezes the others (it once did, for 30 s each).
        with ThreadPoolExecutor(10) as pool:
            statuses = list(pool.map(lambda i: requests.post(
                base_url + "/api/v1/accounts", timeout=60, json={
                    "email": api.unique_email(), "password": "kata-sandi-rahasia",
                    "full_name": f"Calon {i}"}).status_code, range(20)))
        assert statuses == [201] * 20
        pids = [system.pid(p.name) for p in PROCESSES]
        assert all(pids)
    finally:
        system.down()
    assert not any(_alive(pid) for pid in pids)
    assert not list((tmp_path / "var" / "run").glob("*.pid"))
