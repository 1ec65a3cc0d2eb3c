"""Operations: health, readiness, metrics, the OpenAPI document, and personal data kept out
of the logs."""
from __future__ import annotations

import requests

from services.gateway import service as _gateway  # noqa: F401 (its import registers the routes)
from services.gateway.web import ROUTES
from services.shared.platform.config import SERVICES
from tests.support import api


def test_health_readiness_and_metrics(base_url):
    assert requests.get(base_url + "/healthz").json() == {"status": "ok"}
    ready = requests.get(base_url + "/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "checks": {
        "broker": True, "registration": True, "selection": True, "assessment": True,
        "pembinaan": True, "attempt-server": True}}
    requests.get(base_url + "/api/v1/activities")
    metrics = requests.get(base_url + "/metrics")
    assert metrics.status_code == 200
    assert 'gateway_http_requests_total{method="GET",route="/api/v1/activities",status="200"}' \
        in metrics.text


def test_readiness_says_what_is_degraded_and_fails_only_when_no_service_answers(system):
    """One service down: the gateway still serves the others' routes, so it stays ready
    (200, "degraded", the service named); no service at all: 503."""
    system.stop("assessment")
    try:
        ready = requests.get(system.gateway_url + "/readyz")
        assert ready.status_code == 200
        assert ready.json() == {"status": "degraded", "checks": {
            "broker": True, "registration": True, "selection": True, "assessment": False,
            "pembinaan": True, "attempt-server": True}}
        assert requests.get(system.gateway_url + "/api/v1/activities").status_code == 200
        system.stop(*SERVICES)
        ready = requests.get(system.gateway_url + "/readyz")
        assert ready.status_code == 503 and ready.json()["status"] == "not ready"
        assert not any(ready.json()["checks"][service] for service in SERVICES)
        assert requests.get(system.gateway_url + "/healthz").status_code == 200
    finally:
        for service in SERVICES:
            system.start(service)
        system.wait_ready()


def test_a_restarted_service_is_reached_again_without_restarting_the_gateway(system):
    system.stop("registration")
    down = requests.get(system.gateway_url + "/api/v1/activities")
    assert down.status_code == 503
    assert down.headers["Content-Type"] == "application/problem+json"
    system.start("registration")
    system.wait_ready()
    assert requests.get(system.gateway_url + "/api/v1/activities").status_code == 200


def test_the_openapi_document_describes_every_route_from_the_schemas(base_url):
    document = requests.get(base_url + "/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert len(ROUTES) >= 20
    for route in ROUTES:
        assert route.method.lower() in document["paths"][route.openapi_path], route.path
    create = document["paths"]["/api/v1/accounts"]["post"]
    schema_ref = create["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    schema = document["components"]["schemas"][schema_ref.rsplit("/", 1)[1]]
    assert set(schema["required"]) == {"email", "password", "full_name"}
    assert schema["additionalProperties"] is False
    profile = document["components"]["schemas"]["ProfileBody"]
    assert profile["properties"]["education"]["enum"][:3] == ["SD", "SMP", "SMA"]


def test_personal_data_stays_out_of_the_logs(system, base_url, mail_sink):
    candidate = api.registered_candidate(base_url, mail_sink)
    body = api.profile_body()
    assert candidate.put("/api/v1/me/profile", json=body).status_code == 200
    bad = dict(body, nik=body["nik"][:15] + "X")  # a refused NIK is not logged either
    assert candidate.put("/api/v1/me/profile", json=bad).status_code == 422
    logs = "".join(path.read_text(errors="replace") for path in system.log_dir.glob("*.log"))
    assert body["nik"] not in logs and body["nik"][:15] not in logs
    assert "81234567890" not in logs
