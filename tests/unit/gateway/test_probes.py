"""Issue 7, finding 9: liveness depends on nothing and takes no nameko worker (it answers while
every worker waits on a slow service); readiness says what is degraded and answers 503 only
when the gateway can serve nothing (no service answers). The broker is reported, never
decisive: the gateway does not use it."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from grpc_health.v1 import health_pb2_grpc
from werkzeug.test import Client

from services.gateway import service as _gateway  # noqa: F401 (its import registers the routes)
from services.gateway import web
from services.gateway.clients import ATTEMPT_SERVER, ServiceClient
from services.gateway.routes import operations
from services.shared.platform.config import SERVICES

PARTS = (*SERVICES, ATTEMPT_SERVER)  # what readiness probes over gRPC


def no_worker(environ, start_response):
    raise AssertionError("the probe took the route of a nameko worker")


def server_with(up: dict[str, bool]):
    clients = []
    for service in PARTS:
        client = ServiceClient(service, health_pb2_grpc.HealthStub, limited=False,
                               target="http://127.0.0.1:1")  # never called: check is stubbed
        client.check = lambda timeout, ok=up[service]: ok
        clients.append(client)
    return SimpleNamespace(container=SimpleNamespace(dependencies=clients))


def probe(path, up=None, broker=True, monkeypatch=None):
    if monkeypatch is not None:
        monkeypatch.setattr(operations, "_broker_ok", lambda: broker)
    server = server_with(up or dict.fromkeys(PARTS, True))
    return Client(web._worker_free_routes(no_worker, server)).get(path)


def test_liveness_answers_without_a_worker_or_any_backend():
    response = probe("/healthz", up=dict.fromkeys(PARTS, False))
    assert response.status_code == 200 and response.json == {"status": "ok"}


@pytest.mark.parametrize("down, broker, status, code", [
    ((), True, "ready", 200),
    (("assessment",), True, "degraded", 200),
    ((ATTEMPT_SERVER,), True, "degraded", 200),
    (("registration", "selection"), True, "degraded", 200),
    ((), False, "degraded", 200),
    (SERVICES, True, "not ready", 503),
])
def test_readiness_names_what_is_down_and_fails_only_when_nothing_answers(
        monkeypatch, down, broker, status, code):
    up = {service: service not in down for service in PARTS}
    response = probe("/readyz", up=up, broker=broker, monkeypatch=monkeypatch)
    assert response.status_code == code
    assert response.json == {"status": status, "checks": {"broker": broker, **up}}


def test_other_routes_still_go_to_the_workers():
    with pytest.raises(AssertionError, match="nameko worker"):
        probe("/api/v1/activities")
