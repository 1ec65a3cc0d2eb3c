"""Pembinaan budget calculators through the gateway: participants of a fullday meeting
(15n + 16) and transport trips (21n) for n K/L, for any signed-in account."""
from __future__ import annotations

import pytest
import requests

from tests.support import api

FULLDAY = "/api/v1/pembinaan/budget/fullday"
TRANSPORT = "/api/v1/pembinaan/budget/transport"
BREAKDOWN = {"walidata", "produsen_data", "tim_pembina", "pimpinan_bps", "narasumber",
             "pendukung"}


@pytest.fixture(scope="module")
def candidate(base_url, mail_sink):
    return api.registered_candidate(base_url, mail_sink)


@pytest.mark.parametrize("kl_count, participants, trips", [(5, 91, 105), (6, 106, 126)])
def test_the_calculators_follow_the_juknis(base_url, candidate, kl_count, participants, trips):
    for client in (candidate, api.superadmin(base_url)):
        fullday = client.get(FULLDAY, params={"kl_count": kl_count})
        assert fullday.status_code == 200, fullday.text
        body = fullday.json()
        assert body["participants"] == participants
        assert set(body["breakdown"]) == BREAKDOWN
        assert sum(body["breakdown"].values()) == participants
        transport = client.get(TRANSPORT, params={"kl_count": kl_count})
        assert transport.status_code == 200, transport.text
        assert transport.json() == {"trips": trips}


def test_the_calculators_need_a_signed_in_account(base_url):
    for path in (FULLDAY, TRANSPORT):
        response = requests.get(base_url + path, params={"kl_count": 5}, timeout=30)
        assert response.status_code == 401
        assert response.headers["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("kl_count", ["0", "-1", "1001", "2147483648", "lima", ""])
def test_a_kl_count_out_of_bounds_is_422(candidate, kl_count):
    for path in (FULLDAY, TRANSPORT):
        response = candidate.get(path, params={"kl_count": kl_count})
        assert response.status_code == 422, response.text
        assert "kl_count" in response.json()["errors"]
    assert candidate.get(FULLDAY).status_code == 422  # kl_count is required


def test_the_openapi_document_states_the_bounds(base_url):
    document = requests.get(base_url + "/api/v1/openapi.json", timeout=30).json()
    for path in (FULLDAY, TRANSPORT):
        (parameter,) = [p for p in document["paths"][path]["get"]["parameters"]
                        if p["name"] == "kl_count"]
        assert parameter["required"] is True
        assert (parameter["schema"]["minimum"], parameter["schema"]["maximum"]) == (1, 1000)
