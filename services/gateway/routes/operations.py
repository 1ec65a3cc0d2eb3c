"""Health, readiness, metrics, the OpenAPI document and the bare gRPC hop.

``/healthz`` (liveness) depends on nothing: the process answers. ``/readyz`` probes the broker
and every service at once (each within ``PROBE_TIMEOUT``) and says what is degraded: 200
``ready`` when all answer, 200 ``degraded`` while at least one service answers (the gateway
serves the routes of those; an outage of one service is not cured by dropping gateway pods,
which all share it), 503 ``not ready`` only when no service answers. The broker is reported
but never makes the gateway unready: the gateway does not use it (services keep events in
their outbox while it is down). Both are answered without a nameko worker.
"""
from __future__ import annotations

import json
import time

import eventlet
import kombu
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from werkzeug.wrappers import Response

import registration_pb2 as reg
from services.gateway.clients import ATTEMPT_SERVER, TIMEOUT, Backends, ServiceClient
from services.gateway.openapi import openapi_document
from services.gateway.web import Call, http, json_response, route, worker_free
from services.shared.platform import config

PROBE_TIMEOUT = 1.0  # seconds each readiness probe may take; they run side by side


@worker_free("/healthz")
def healthz(server, request):
    return json_response(200, {"status": "ok"})


@worker_free("/readyz")
def readyz(server, request):
    health = {client.service: client for client in server.container.dependencies
              if isinstance(client, ServiceClient) and not client.limited}
    probes = {"broker": eventlet.spawn(_broker_ok)}
    for service in (*config.SERVICES, ATTEMPT_SERVER):
        probes[service] = eventlet.spawn(health[service].check, PROBE_TIMEOUT)
    end = time.monotonic() + PROBE_TIMEOUT + 0.5
    checks = {name: _outcome(probe, end) for name, probe in probes.items()}
    if all(checks.values()):
        status, code = "ready", 200
    elif any(checks[service] for service in config.SERVICES):
        status, code = "degraded", 200
    else:
        status, code = "not ready", 503
    return json_response(code, {"status": status, "checks": checks})


def _outcome(probe, end: float) -> bool:
    with eventlet.Timeout(max(0.01, end - time.monotonic()), False):
        return bool(probe.wait())
    probe.kill()
    return False


def _broker_ok() -> bool:
    try:
        with kombu.Connection(config.amqp_uri(), connect_timeout=PROBE_TIMEOUT) as connection:
            connection.connect()
        return True
    except Exception:
        return False


class OperationsRoutes(Backends):
    @http("GET", "/metrics")
    def metrics(self, request):
        return Response(generate_latest(), content_type=CONTENT_TYPE_LATEST)

    @http("GET", "/api/v1/openapi.json")
    def openapi(self, request):
        return Response(json.dumps(openapi_document()), content_type="application/json")

    @route("GET", "/api/v1/ops/ping", summary="One empty gRPC call to registration (the bare "
           "hop every route rides on; used by the benchmark)", tag="operations", public=True,
           responses={200: None})
    def ping(self, call: Call):
        self.registration.Ping(reg.PingRequest(), timeout=TIMEOUT)
        return 200, {"status": "ok"}
