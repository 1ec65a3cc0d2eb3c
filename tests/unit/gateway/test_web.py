"""The gateway's HTTP handling without a network: what a route forwards to its service, and
how refusals and failures are answered (problem+json with a stable ``code``)."""
from __future__ import annotations

import json

import pytest
from grpc import StatusCode
from nameko_grpc.errors import GrpcError
from werkzeug.test import Client, EnvironBuilder
from werkzeug.wrappers import Request, Response

from services.gateway import web
from services.gateway.openapi import openapi_document
from services.gateway.schemas import base
from services.shared.contracts.errors import Conflict, NotInScope
from services.shared.platform import problems


def request(method="POST", headers=None, body=None, query=None) -> Request:
    return Request(EnvironBuilder(method=method, path="/x", headers=headers or {}, json=body,
                                  query_string=query).get_environ())


def handle(spec, req, answer=lambda call: (200, {})):
    seen = {}

    def fn(service, call):
        seen["call"] = call
        return answer(call)

    response = web._handle(None, fn, spec, req, {})
    return response, seen.get("call")


def spec(method="POST", **kwargs) -> web.RouteSpec:
    kwargs.setdefault("public", True)
    return web.RouteSpec(method, "/x", "summary", "tag", {200: None}, **kwargs)


def problem_of(response) -> dict:
    assert response.content_type == "application/problem+json"
    return json.loads(response.get_data())


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_every_write_route_forwards_the_idempotency_key(method):
    response, call = handle(spec(method), request(method, {"Idempotency-Key": "k-1"}))
    assert response.status_code == 200
    assert ("idempotency-key", "k-1") in call.metadata


def test_a_read_route_forwards_no_idempotency_key():
    _, call = handle(spec("GET"), request("GET", {"Idempotency-Key": "k-1"}))
    assert call.metadata == []


def test_an_overlong_idempotency_key_is_422_and_reaches_no_service():
    response, call = handle(spec("PUT"), request("PUT", {"Idempotency-Key": "k" * 201}))
    assert call is None and response.status_code == 422
    problem = problem_of(response)
    assert problem["code"] == "invalid_input" and "Idempotency-Key" in problem["errors"]
    assert handle(spec("PUT"), request("PUT", {"Idempotency-Key": "k" * 200}))[0] \
        .status_code == 200


def test_the_openapi_document_offers_the_key_on_every_write_route_only():
    document = openapi_document()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            headers = [p["name"] for p in operation.get("parameters", []) if p["in"] == "header"]
            assert (headers == ["Idempotency-Key"]) == (method.upper() in web.WRITE_METHODS), \
                (method, path)


def test_the_gateways_own_refusals_answer_through_the_one_table():
    unsigned = handle(spec("GET", public=False), request("GET"))[0]
    assert unsigned.status_code == 401 and unsigned.headers["WWW-Authenticate"] == "Bearer"
    assert problem_of(unsigned)["code"] == "not_authenticated"

    bad_json = Request(EnvironBuilder(method="POST", path="/x", data=b'{"a":',
                                      content_type="application/json").get_environ())
    malformed = problem_of(handle(spec(body=base.EmptyBody), bad_json)[0])
    assert (malformed["status"], malformed["code"]) == (400, "malformed")

    invalid = problem_of(handle(spec(body=base.EmptyBody), request(body={"x": 1}))[0])
    assert (invalid["status"], invalid["code"], list(invalid["errors"])) == (
        422, "invalid_input", ["x"])
    assert set(invalid) == {"type", "title", "status", "detail", "code", "errors"}


def _raise(error):
    def answer(call):
        raise error
    return answer


def test_a_services_refusal_keeps_its_status_and_code():
    refusal = GrpcError(code=StatusCode.FAILED_PRECONDITION,
                        message=problems.to_json(Conflict("The quota is full.")))
    problem = problem_of(handle(spec(), request(), _raise(refusal))[0])
    assert problem == {"type": "about:blank", "title": "Conflict", "status": 409,
                       "detail": "The quota is full.", "code": "conflict"}
    scope = GrpcError(code=StatusCode.PERMISSION_DENIED, message=problems.to_json(NotInScope()))
    assert problem_of(handle(spec(), request(), _raise(scope))[0])["code"] == "not_in_scope"


@pytest.mark.parametrize("code, message, status", [
    (StatusCode.UNAVAILABLE, "A backing service is not reachable right now.", 503),
    (StatusCode.DEADLINE_EXCEEDED, "", 503),
    (StatusCode.UNIMPLEMENTED, "", 500),
    (StatusCode.INTERNAL, json.dumps({"type": "about:blank", "title": "Internal Server Error",
                                      "status": 500, "detail": "failed"}), 500),
])
def test_a_failing_service_is_a_5xx_problem(code, message, status):
    problem = problem_of(handle(spec(), request(), _raise(GrpcError(code, message)))[0])
    assert problem["status"] == status and problem["detail"] and problem["code"]


def test_the_gateway_failing_is_500_without_the_traceback():
    response = handle(spec(), request(), _raise(KeyError("secret")))[0]
    assert response.status_code == 500 and "secret" not in response.get_data(as_text=True)


def test_an_unknown_route_or_method_is_problem_json():
    def html(environ, start_response):
        status = "404 NOT FOUND" if environ["PATH_INFO"] == "/nowhere" else \
            "405 METHOD NOT ALLOWED"
        return Response("<html/>", status=status, content_type="text/html",
                        headers={"Allow": "GET"})(environ, start_response)

    client = Client(web._unrouted_as_problem(html))
    missing = client.get("/nowhere")
    assert problem_of(missing) == {"type": "about:blank", "title": "Not Found",
                                   "status": 404, "detail": "No such route.",
                                   "code": "not_found"}
    wrong = client.delete("/somewhere")
    assert problem_of(wrong)["status"] == 405 and wrong.headers["Allow"] == "GET"


def test_a_service_token_opens_no_http_route(monkeypatch):
    """A service token (another satker's system, for the gRPC MitraDirectory) is refused on
    every HTTP route, also on those any signed-in account may use; a person's is not."""
    from services.shared.contracts.identity import Identity
    from services.shared.platform.identity import issue_token

    monkeypatch.setenv("JWT_SECRET", "web-tests-secret-of-32-bytes-at-least!!")
    service, _ = issue_token(Identity("tok-1", "service", "3500"))
    person, _ = issue_token(Identity("acc-1", "pembina", "3528"))
    any_role = spec("GET", public=False)
    refused, call = handle(any_role, request("GET", {"Authorization": f"Bearer {service}"}))
    assert call is None and refused.status_code == 403
    assert "gRPC" in problem_of(refused)["detail"]
    assert handle(any_role, request("GET", {"Authorization": f"Bearer {person}"}))[0] \
        .status_code == 200
