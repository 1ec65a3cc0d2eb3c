"""Bad input never reaches a 500: each gets its documented 4xx problem and changes nothing."""
from __future__ import annotations

import pytest
import requests

from tests.support import api


@pytest.fixture(scope="module")
def candidate(base_url, mail_sink):
    return api.registered_candidate(base_url, mail_sink)


def assert_problem(response, status):
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == status and problem["title"] and problem["detail"]
    assert "Traceback" not in response.text
    return problem


def test_malformed_json_is_400(base_url):
    response = requests.post(base_url + "/api/v1/accounts", data=b'{"email": "a@b.c",',
                             headers={"Content-Type": "application/json"})
    assert_problem(response, 400)
    not_utf8 = requests.post(base_url + "/api/v1/accounts", data=b'{"email": "\xff"}',
                             headers={"Content-Type": "application/json"})
    assert_problem(not_utf8, 400)


def test_wrong_types_and_unknown_fields_are_422_listing_the_fields(base_url, candidate):
    problem = assert_problem(requests.post(base_url + "/api/v1/accounts", json={
        "email": 42, "password": ["x"], "full_name": None}), 422)
    assert set(problem["errors"]) == {"email", "password", "full_name"}

    problem = assert_problem(requests.post(base_url + "/api/v1/accounts", json={
        "email": api.unique_email(), "password": "long-enough-1", "full_name": "A",
        "is_admin": True}), 422)
    assert "is_admin" in problem["errors"]

    body = api.profile_body(is_asn="no", birth_date="14-03-1995")
    problem = assert_problem(candidate.put("/api/v1/me/profile", json=body), 422)
    assert {"is_asn", "birth_date"} <= set(problem["errors"])

    not_an_object = assert_problem(requests.post(base_url + "/api/v1/accounts", json=[1, 2]),
                                   422)
    assert not_an_object["errors"]


def test_a_nik_with_letters_or_contradicting_the_profile_is_422(candidate):
    body = api.profile_body()
    body["nik"] = body["nik"][:10] + "ABCDEF"
    problem = assert_problem(candidate.put("/api/v1/me/profile", json=body), 422)
    assert "nik" in problem["errors"]

    wrong_sex = api.profile_body(sex="L")
    wrong_sex["sex"] = "P"  # the NIK encodes a man
    assert "nik" in assert_problem(candidate.put("/api/v1/me/profile", json=wrong_sex),
                                   422)["errors"]
    unknown_region = api.profile_body(domicile_regency_code="9999")
    assert "domicile_regency_code" in assert_problem(
        candidate.put("/api/v1/me/profile", json=unknown_region), 422)["errors"]
    assert candidate.get("/api/v1/me/profile").status_code == 404  # nothing was saved


def test_a_20_mb_body_is_413(base_url, candidate):
    big = b"x" * (20 * 1024 * 1024)
    assert_problem(requests.post(base_url + "/api/v1/accounts", data=big,
                                 headers={"Content-Type": "application/json"}), 413)
    assert_problem(candidate.put("/api/v1/me/documents/ijazah", data=b"%PDF-1.4\n" + big,
                                 headers={"Content-Type": "application/pdf"}), 413)
    assert candidate.get("/api/v1/me/documents").json()["items"] == []


def test_uploads_are_judged_by_their_bytes(candidate):
    assert_problem(candidate.put("/api/v1/me/documents/photo", data=api.PDF,
                                 headers={"Content-Type": "image/jpeg"}), 415)
    assert_problem(candidate.put("/api/v1/me/documents/ktp", data=b"",
                                 headers={"Content-Type": "image/png"}), 422)
    assert_problem(candidate.put("/api/v1/me/documents/ktp", data=b"hello, world",
                                 headers={"Content-Type": "text/plain"}), 415)
    assert_problem(candidate.put("/api/v1/me/documents/passport", data=api.JPEG,
                                 headers={"Content-Type": "image/jpeg"}), 404)
    assert candidate.get("/api/v1/me/documents").json()["items"] == []


def test_a_bad_activity_is_422_and_not_created(base_url):
    admin = api.admin_of(base_url, "3201")  # no other test uses Kab. Bogor
    backwards = api.activity_body("3201")
    backwards["registration_closes_at"], backwards["registration_opens_at"] = (
        backwards["registration_opens_at"], backwards["registration_closes_at"])
    problem = assert_problem(admin.post("/api/v1/activities", json=backwards), 422)
    assert problem["errors"]
    naive = api.activity_body("3201")
    naive["registration_opens_at"] = "2026-11-01T00:00:00"
    assert_problem(admin.post("/api/v1/activities", json=naive), 422)
    bad_rule = api.activity_body("3201", requirements={"age": {"min": 50, "max": 18,
                                                               "rule": "sometimes"}})
    assert_problem(admin.post("/api/v1/activities", json=bad_rule), 422)
    listed = requests.get(base_url + "/api/v1/activities", params={"satker_code": "3201"})
    assert listed.json()["total"] == 0


def test_unknown_ids_are_404(base_url, candidate):
    assert_problem(requests.get(base_url + "/api/v1/activities/no-such-id"), 404)
    assert_problem(candidate.post("/api/v1/activities/no-such-id/applications", json={}), 404)


def test_bad_query_parameters_are_422(base_url):
    assert_problem(requests.get(base_url + "/api/v1/activities", params={"per_page": 500}), 422)
    assert_problem(requests.get(base_url + "/api/v1/activities", params={"page": "x"}), 422)


def test_a_file_just_under_the_limit_is_stored(candidate):
    content = b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024 - 1024) + b"\n%%EOF\n"
    stored = candidate.put("/api/v1/me/documents/cv", data=content,
                           headers={"Content-Type": "application/pdf"})
    assert stored.status_code == 201, stored.text
    assert stored.json()["size"] == len(content)


def test_unknown_routes_and_methods_are_problems_too(base_url):
    assert_problem(requests.get(base_url + "/api/v1/no-such-route"), 404)
    not_allowed = requests.delete(base_url + "/api/v1/activities")
    assert_problem(not_allowed, 405)
    assert "GET" in not_allowed.headers["Allow"]


def test_integers_over_32_bits_are_422_not_500(base_url, candidate):
    # the route needs no login: the review found its 5xx from the outside
    for page in ("2147483648", "9" * 30, "0"):
        assert "page" in assert_problem(requests.get(
            base_url + "/api/v1/activities", params={"page": page}), 422)["errors"]
    admin = api.admin_of(base_url, "3201")
    huge = api.activity_body("3201", quota=2**31, requirements={
        "age": {"min": 18, "max": 2**63, "rule": "preferred"}})
    problem = assert_problem(admin.post("/api/v1/activities", json=huge), 422)
    assert {"quota", "requirements"} <= set(problem["errors"])


def test_deep_nesting_is_400_and_text_with_nul_or_a_lone_surrogate_is_422(base_url, candidate):
    deep = b'{"email": ' + b"[" * 1000 + b"]" * 1000 + b"}"
    assert_problem(requests.post(base_url + "/api/v1/accounts", data=deep,
                                 headers={"Content-Type": "application/json"}), 400)
    for name in ('"Budi\\ud800"', '"Budi\\u0000"', '"\\udfff"'):
        body = (f'{{"email": "{api.unique_email()}", "password": "long-enough-1", '
                f'"full_name": {name}}}').encode()
        problem = assert_problem(requests.post(base_url + "/api/v1/accounts", data=body,
                                               headers={"Content-Type": "application/json"}),
                                 422)
        assert set(problem["errors"]) == {"full_name"}
    profile = api.profile_body(address="Jl. Merdeka\x00 1")
    assert "address" in assert_problem(candidate.put("/api/v1/me/profile", json=profile),
                                       422)["errors"]
    assert_problem(requests.get(base_url + "/api/v1/activities",
                                params={"satker_code": "35\x0028"}), 422)
    assert_problem(requests.get(base_url + "/api/v1/activities/abc%00def"), 404)
