"""Property: whatever JSON a client sends to any write route, the answer is a documented
status and never a 500 (hypothesis generates the bodies)."""
from __future__ import annotations

import re

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.gateway import service as _gateway  # noqa: F401 (its import registers the routes)
from services.gateway.web import ROUTES
from tests.support import api

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**63, 2**63)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=40),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12)


def _field_names(schema_class):
    return sorted(schema_class().fields) if schema_class else []


def _bodies(route):
    names = _field_names(route.body)
    # Real field names with random values, plus entirely random JSON.
    with_names = st.fixed_dictionaries({}, optional=dict.fromkeys(names, json_values)) \
        if names else st.just({})
    return with_names | json_values


WRITE_ROUTES = [r for r in ROUTES if r.body is not None]
DOCUMENTED = {200, 201, 202, 204, 400, 401, 403, 404, 409, 413, 415, 422, 429}


@pytest.fixture(scope="module")
def tokens(base_url, mail_sink):
    return {"mitra": api.registered_candidate(base_url, mail_sink).token,
            "admin_satker": api.admin_of(base_url, "3528").token,
            "superadmin": api.superadmin(base_url).token}


@pytest.mark.parametrize("route", WRITE_ROUTES, ids=lambda r: f"{r.method} {r.path}")
def test_no_body_makes_a_route_fail_with_500(route, base_url, tokens):
    role = (route.roles or ("mitra",))[0]
    path = re.sub(r"<[^>]+>", "00000000-0000-0000-0000-000000000000", route.path)
    session = requests.Session()

    @settings(max_examples=40, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture,
                                     HealthCheck.too_slow])
    @given(body=_bodies(route))
    def check(body):
        response = session.request(route.method, base_url + path, json=body, timeout=30,
                                   headers={"Authorization": f"Bearer {tokens[role]}"})
        assert response.status_code in DOCUMENTED, (body, response.status_code, response.text)
        if response.status_code >= 400:
            assert response.headers["Content-Type"] == "application/problem+json"

    check()


def test_no_upload_makes_the_document_route_fail_with_500(base_url, tokens):
    session = requests.Session()

    @settings(max_examples=60, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(content=st.binary(max_size=2048) | st.sampled_from([api.JPEG, api.PNG, api.PDF]),
           content_type=st.sampled_from(["image/jpeg", "image/png", "application/pdf",
                                         "text/plain", "", "image/jpeg; q=1", "*/*"]),
           kind=st.sampled_from(["photo", "ktp", "cv", "unknown", "..", "%2e%2e"]))
    def check(content, content_type, kind):
        response = session.put(f"{base_url}/api/v1/me/documents/{kind}", data=content,
                               headers={"Authorization": f"Bearer {tokens['mitra']}",
                                        "Content-Type": content_type}, timeout=30)
        assert response.status_code in DOCUMENTED, (kind, content_type, response.text)

    check()
