"""Real infrastructure for the tests: throw-away PostgreSQL databases, a RabbitMQ vhost of
their own, an SMTP server on loopback, and a whole system started as `make up` starts it."""
from __future__ import annotations

import email
import email.policy
import os
import queue
import re
import shutil
import socket
import subprocess
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import requests
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from services.shared.ops.launcher import System
from services.shared.platform.config import SERVICES
from services.shared.platform.database import normalise_url

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL",
                                   "postgresql://postgres:postgres@127.0.0.1:5432/postgres")
AMQP_URI = os.environ.get("AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/")
MANAGEMENT_URL = os.environ.get("RABBITMQ_MANAGEMENT_URL", "http://127.0.0.1:15672")


def wait_until(predicate, timeout: float = 30.0, interval: float = 0.05, message: str = ""):
    """Poll ``predicate`` until it returns a truthy value; never a blind sleep."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {message or predicate}")
        time.sleep(interval)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def postgres_databases(names: list[str]):
    """Fresh databases (dropped afterwards); yields {name: url}."""
    admin = sa.create_engine(normalise_url(TEST_DATABASE_URL), isolation_level="AUTOCOMMIT")
    prefix = f"bps_t{uuid.uuid4().hex[:8]}"
    urls = {}
    with admin.connect() as connection:
        for name in names:
            connection.exec_driver_sql(f'CREATE DATABASE "{prefix}_{name}"')
            urls[name] = str(normalise_url(TEST_DATABASE_URL).set(
                database=f"{prefix}_{name}").render_as_string(hide_password=False))
    try:
        yield urls
    finally:
        with admin.connect() as connection:
            for name in names:
                connection.exec_driver_sql(
                    f'DROP DATABASE IF EXISTS "{prefix}_{name}" WITH (FORCE)')
        admin.dispose()


@contextmanager
def database_copy(template_url: str):
    """A fresh copy of a migrated database (``CREATE DATABASE ... TEMPLATE``: a test starts
    from the migrated schema without running the migrations again); yields its URL and drops
    it afterwards."""
    template = normalise_url(template_url)
    name = f"{template.database}_{uuid.uuid4().hex[:6]}"
    admin = sa.create_engine(normalise_url(TEST_DATABASE_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE "{template.database}"')
    try:
        yield template.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@contextmanager
def rabbitmq_vhost():
    """A vhost of our own, so a developer's running system never sees test events."""
    vhost = f"bps-test-{uuid.uuid4().hex[:8]}"
    _vhost_command("add", vhost)
    parts = urlsplit(AMQP_URI)
    try:
        yield urlunsplit((parts.scheme, parts.netloc, "/" + quote(vhost, safe=""), "", ""))
    finally:
        _vhost_command("delete", vhost)


def _vhost_command(action: str, vhost: str) -> None:
    auth = ("guest", "guest")
    try:
        url = f"{MANAGEMENT_URL}/api/vhosts/{quote(vhost, safe='')}"
        if action == "add":
            requests.put(url, auth=auth, timeout=10).raise_for_status()
            requests.put(f"{MANAGEMENT_URL}/api/permissions/{quote(vhost, safe='')}/guest",
                         json={"configure": ".*", "write": ".*", "read": ".*"}, auth=auth,
                         timeout=10).raise_for_status()
        else:
            requests.delete(url, auth=auth, timeout=10)
        return
    except requests.RequestException:
        if not shutil.which("rabbitmqctl"):
            raise
    if action == "add":
        subprocess.run(["rabbitmqctl", "add_vhost", vhost], check=True, capture_output=True)
        subprocess.run(["rabbitmqctl", "set_permissions", "-p", vhost, "guest", ".*", ".*",
                        ".*"], check=True, capture_output=True)
    else:
        subprocess.run(["rabbitmqctl", "delete_vhost", vhost], capture_output=True)


class MailSink:
    """aiosmtpd handler keeping every received message."""

    def __init__(self):
        self.messages: queue.Queue = queue.Queue()
        self.received: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append(message)
        self.messages.put(message)
        return "250 OK"

    def wait_for(self, recipient: str, subject_contains: str = "", timeout: float = 30.0):
        def find():
            for message in self.received:
                if recipient in message["To"] and subject_contains in message["Subject"]:
                    return message
            return None
        return wait_until(find, timeout, message=f"a mail to {recipient}")

    def activation_token(self, recipient: str) -> str:
        body = self.wait_for(recipient, "Aktivasi").get_content()
        return re.search(r"Token aktivasi: (\S+)", body).group(1)


@contextmanager
def smtp_server():
    sink = MailSink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller, sink
    finally:
        controller.stop()


def system_ports() -> dict:
    """Free ports for every listener of a system (not the defaults, which a developer's
    running system may hold): each service's gRPC port and target, assessment's attempt
    server, the attempt gateway. The nameko gateway's is the caller's to choose."""
    env = {}
    for service in SERVICES:
        port = free_port()
        env[f"{service.upper()}_GRPC_PORT"] = str(port)
        env[f"{service.upper()}_GRPC_TARGET"] = f"http://127.0.0.1:{port}"
    port = free_port()
    env["ATTEMPT_SERVER_GRPC_PORT"] = str(port)
    env["ATTEMPT_SERVER_GRPC_TARGET"] = f"http://127.0.0.1:{port}"
    env["ATTEMPT_GATEWAY_PORT"] = str(free_port())
    return env


@contextmanager
def running_system(tmp_path: Path, database_urls: dict, amqp_uri: str, smtp_port: int,
                   extra_env: dict | None = None):
    """The whole system, started by the same launcher as `make up`, on free ports."""
    env = dict(os.environ)
    gateway_port = free_port()
    env.update({
        "BPS_VAR_DIR": str(tmp_path / "var"), "AMQP_URI": amqp_uri,
        "GATEWAY_PORT": str(gateway_port), "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp_port), "SUPERADMIN_EMAIL": "root@bps.go.id",
        "SUPERADMIN_PASSWORD": "superadmin-secret", "JWT_SECRET": uuid.uuid4().hex,
        "EVENT_RETRY_DELAYS_MS": "200,500", "OUTBOX_POLL_SECONDS": "0.05",
    })
    for service, url in database_urls.items():
        env[f"{service.upper()}_DATABASE_URL"] = url
    env.update(system_ports())
    env.update(extra_env or {})
    system = System(env)
    try:
        system.up(timeout=90)
        yield system
    finally:
        system.down()


def kill(system: System, name: str) -> None:
    """SIGKILL one process of a running system, as a crashed pod dies: none of its shutdown
    code runs. ``system.start(name)`` starts it again with the launcher's own command line."""
    import signal  # here, not above: this helper is appended to a file others edit too

    pid = system.pid(name)
    assert pid, f"{name} is not running"
    os.kill(pid, signal.SIGKILL)
    wait_until(lambda: system.pid(name) is None, timeout=10, message=f"{name} to die")
