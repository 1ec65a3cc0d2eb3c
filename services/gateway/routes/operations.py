"""Health, readiness, metrics, the OpenAPI document and the bare gRPC hop."""
from __future__ import annotations

import json

import kombu
from grpc_health.v1 import health_pb2
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from werkzeug.wrappers import Response

import registration_pb2 as reg
from services.gateway.clients import TIMEOUT, Backends
from services.gateway.openapi import openapi_document
from services.gateway.web import Call, http, json_response, route
from services.shared.platform import config


class OperationsRoutes(Backends):
    @http("GET", "/healthz")
    def healthz(self, request):
        return json_response(200, {"status": "ok"})

    @http("GET", "/readyz")
    def readyz(self, request):
        checks = {"broker": self._broker_ok()}
        for service in config.SERVICES:
            checks[service] = self._service_ok(getattr(self, f"{service}_health"))
        ready = all(checks.values())
        return json_response(200 if ready else 503,
                             {"status": "ready" if ready else "not ready", "checks": checks})

    @staticmethod
    def _broker_ok() -> bool:
        try:
            with kombu.Connection(config.amqp_uri(), connect_timeout=2) as connection:
                connection.ensure_connection(max_retries=1)
            return True
        except Exception:
            return False

    @staticmethod
    def _service_ok(client) -> bool:
        try:
            reply = client.Check(health_pb2.HealthCheckRequest(), timeout=2)
            return reply.status == health_pb2.HealthCheckResponse.SERVING
        except Exception:
            return False

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
