"""Issue 7, finding 6: on the create routes where a repeat can only be a retry, the gateway
derives the Idempotency-Key the client did not send, so a retry after a 503 (or a lost answer)
gets the first result instead of acting twice. Elsewhere nothing is derived."""
from __future__ import annotations

import pytest
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from services.gateway import service as _gateway  # noqa: F401 (its import registers the routes)
from services.gateway import web
from services.shared.contracts.identity import Identity
from services.shared.platform.identity import issue_token

DERIVED = {("POST", "/api/v1/accounts"), ("POST", "/api/v1/admin/accounts")}


@pytest.fixture(autouse=True)
def secret(monkeypatch):
    monkeypatch.setenv("JWT_SECRET", "a-secret-for-the-gateway-unit-tests-only")


def spec(derive_key=True, public=True) -> web.RouteSpec:
    return web.RouteSpec("POST", "/x/<string:id>", "summary", "tag", {201: None},
                         body=None, public=public, derive_key=derive_key)


def key_sent(route, path="/x/1", body=None, headers=None, account="account-1"):
    headers = dict(headers or {})
    if account:
        headers["Authorization"] = f"Bearer {issue_token(Identity(account, 'mitra'))[0]}"
    request = Request(EnvironBuilder(method="POST", path=path, headers=headers,
                                     json=body).get_environ())
    seen = {}

    def fn(service, call):
        seen.update(call.metadata)
        return 201, {}

    web._handle(None, fn, route, request, {})
    return seen.get("idempotency-key")


def test_exactly_the_safe_creates_derive_a_key():
    assert {(r.method, r.path) for r in web.ROUTES if r.derive_key} == DERIVED


def test_the_same_caller_path_and_body_get_the_same_key_and_any_difference_another():
    first = key_sent(spec(), body=None)
    assert first and first == key_sent(spec()) and first.startswith("derived-")
    assert key_sent(spec(), path="/x/2") != first
    assert key_sent(spec(), account="account-2") != first
    assert key_sent(spec(), account=None) != first


def test_a_body_is_compared_by_its_content_and_never_appears_in_the_key(monkeypatch):
    route = web.RouteSpec("POST", "/api/v1/accounts", "s", "t", {201: None},
                          body=web.ma.Schema.from_dict({
                              "email": web.ma.fields.String(), "password": web.ma.fields.String()}),
                          public=True, derive_key=True)
    body = {"email": "a@example.com", "password": "kata-sandi-rahasia"}
    key = key_sent(route, "/api/v1/accounts", body=body, account=None)
    assert key == key_sent(route, "/api/v1/accounts", body=dict(reversed(body.items())),
                           account=None)
    assert key != key_sent(route, "/api/v1/accounts", body=dict(body, password="lain-lagi"),
                           account=None)
    assert "kata-sandi" not in key and "example" not in key
    monkeypatch.setenv("JWT_SECRET", "another-secret")  # keyed: unguessable without it
    assert key != key_sent(route, "/api/v1/accounts", body=body, account=None)


def test_the_clients_own_key_wins_and_other_routes_derive_none():
    assert key_sent(spec(), headers={"Idempotency-Key": "mine"}) == "mine"
    assert key_sent(spec(derive_key=False)) is None
