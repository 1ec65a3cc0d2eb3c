"""GET /api/v1/regions/{code}: the names of a region code, public, for the profile form."""
from __future__ import annotations

import requests


def test_a_nik_prefix_is_named_and_an_unknown_code_is_404(base_url):
    response = requests.get(base_url + "/api/v1/regions/352801", timeout=10)
    assert response.status_code == 200, response.text
    region = response.json()
    assert (region["name"], region["regency_name"], region["province_name"]) == (
        "Tlanakan", "Kab. Pamekasan", "Jawa Timur")
    document = requests.get(base_url + "/api/v1/openapi.json", timeout=10).json()
    responses = document["paths"]["/api/v1/regions/{code}"]["get"]["responses"]
    assert {"200", "404"} <= set(responses)
    for code in ("999999", "35a", "3" * 40):
        unknown = requests.get(f"{base_url}/api/v1/regions/{code}", timeout=10)
        assert unknown.status_code == 404, (code, unknown.text)
        assert unknown.headers["Content-Type"].startswith("application/problem+json")
