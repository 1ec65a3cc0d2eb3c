"""Issue 12, observability: a correlation id sent in a request is found in the consumer's log
line for the event that request caused, and every process serves its metrics.

A system of its own (its own vhost, SQLite databases under its own var/), started with the
metrics endpoints on, as in the cluster: an admin publishes an activity with
``X-Request-ID``; registration records ``activity_published`` in its outbox, its relay
publishes it, and selection and assessment each handle it: their log files have a JSON line
for that event carrying the id."""
from __future__ import annotations

import json
import socket
import uuid

import pytest
import requests

from services.shared.platform.config import SERVICES
from tests.support import api
from tests.support.infra import free_port, running_system, wait_until


def free_ports(count: int) -> int:
    """A base port with ``count`` free ports from it (base + each service's index)."""
    for _ in range(50):
        base = free_port()
        try:
            for port in range(base, base + count):
                with socket.socket() as sock:
                    sock.bind(("127.0.0.1", port))
        except OSError:
            continue
        return base
    raise RuntimeError("no run of free ports")


@pytest.fixture(scope="module")
def metered_system(tmp_path_factory, smtp):
    from tests.support.infra import rabbitmq_vhost

    service_base, relay_base = free_ports(len(SERVICES)), free_ports(len(SERVICES))
    with rabbitmq_vhost() as amqp_uri, running_system(
            tmp_path_factory.mktemp("correlation"), {}, amqp_uri, smtp[0].port,
            extra_env={"SERVICE_METRICS_PORT": str(service_base),
                       "RELAY_METRICS_PORT": str(relay_base)}) as system:
        system.service_metrics = {name: service_base + i for i, name in enumerate(SERVICES)}
        system.relay_metrics = {name: relay_base + i for i, name in enumerate(SERVICES)}
        yield system


def json_lines(path) -> list[dict]:
    entries = []
    for line in path.read_text(errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue  # what a library printed itself
        if isinstance(entry, dict):
            entries.append(entry)
    return entries


def handled_lines(system, process: str, handler: str, request_id: str) -> list[dict]:
    return [entry for entry in json_lines(system.log_dir / f"{process}.log")
            if entry.get("correlation_id") == request_id
            and entry.get("message", "").startswith(f"handler {handler} handled")]


def metrics(port: int) -> str:
    return requests.get(f"http://127.0.0.1:{port}/metrics", timeout=10).text


def test_the_request_id_reaches_the_consumers_log_line_for_its_event(metered_system):
    system = metered_system
    base_url = system.gateway_url
    admin = api.admin_of(base_url, "3528")
    request_id = str(uuid.uuid4())

    created = admin.post("/api/v1/activities", json=api.activity_body("3528"),
                         headers={"X-Request-ID": request_id})
    assert created.status_code == 201, created.text
    assert created.headers["X-Request-ID"] == request_id

    for consumer in ("selection", "assessment"):
        lines = wait_until(
            lambda consumer=consumer: handled_lines(system, consumer, "on_activity_published",
                                                    request_id),
            timeout=30, message=f"{consumer}'s log line for the event, with the id")
        assert lines[0]["level"] == "INFO" and "activity_published" in lines[0]["message"]
    # The gateway's access line for the request carries it too.
    assert any(entry.get("correlation_id") == request_id
               and "POST /api/v1/activities " in entry.get("message", "")
               for entry in json_lines(system.log_dir / "gateway.log"))

    # A request without an id gets one made, and answered.
    made = requests.get(base_url + "/healthz", timeout=10).headers["X-Request-ID"]
    assert len(made) == 36 and made != request_id


def test_every_service_and_relay_serves_its_metrics(metered_system):
    system = metered_system
    admin = api.admin_of(system.gateway_url, "3528")
    activity = api.open_activity(system.gateway_url, admin)
    assert activity["id"]

    registration = metrics(system.service_metrics["registration"])
    assert 'rpc_requests_total{code="OK",method="CreateActivity",service="registration"}' \
        in registration
    assert "rpc_request_duration_seconds_bucket" in registration
    selection = metrics(system.service_metrics["selection"])
    assert ('events_consumed_total{event_type="activity_published",'
            'handler="on_activity_published",service="selection"}') in selection
    relay = metrics(system.relay_metrics["registration"])
    assert ('relay_events_published_total{event_type="activity_published",'
            'service="registration"}') in relay
    relay_metrics = metrics(system.relay_metrics["registration"])
    assert 'relay_outbox_backlog{service="registration"}' in relay_metrics
    assert 'relay_outbox_oldest_age_seconds{service="registration"}' in relay_metrics
    dlq = "evt-registration-activity_published--selection.on_activity_published.dlq"
    assert f'relay_dlq_depth{{queue="{dlq}",service="registration"}} 0.0' in relay_metrics
