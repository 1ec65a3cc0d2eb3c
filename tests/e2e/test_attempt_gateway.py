"""Test day's hot path (issue 8): the attempt gateway (granian + grpcio, its own port) answers
the routes under /api/v1/attempts/ exactly as the nameko gateway does (the same answers, the
same refusals as problem+json, the same headers), both through assessment's attempt server,
and answers nothing else. With the attempt server down it answers 503 (never 500) and is not
ready."""
from __future__ import annotations

import uuid

import pytest
import requests

from tests.e2e.test_competency_test_rules import started_attempt
from tests.support import api
from tests.support.infra import wait_until

PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def admin(base_url):
    return api.admin_of(base_url, "3528")


def assert_same_problem(nameko, lean, status: int) -> dict:
    """Both gateways refuse alike: status, problem body, content type."""
    assert (nameko.status_code, lean.status_code) == (status, status), (nameko.text, lean.text)
    assert nameko.headers["Content-Type"] == lean.headers["Content-Type"] == PROBLEM
    assert nameko.json() == lean.json()
    return lean.json()


def test_the_attempt_gateway_answers_the_attempt_routes_as_the_gateway_does(
        system, base_url, mail_sink, admin):
    started = started_attempt(base_url, mail_sink, admin)
    activity, session, candidate, attempt = (started.activity, started.session,
                                             started.candidate, started.attempt)
    lean = api.Client(system.attempt_gateway_url, candidate.token)
    path = f"/api/v1/attempts/{attempt['attempt_id']}"
    questions = [question["id"] for question in attempt["questions"]]

    # A save through each: the same answer, the same headers.
    through_nameko = candidate.put(f"{path}/answers/{questions[0]}", json={"option_index": 1},
                                   headers={"X-Request-ID": "nameko-side-1"})
    through_lean = lean.put(f"{path}/answers/{questions[1]}", json={"option_index": 2},
                            headers={"X-Request-ID": "lean-side-1"})
    for response, question, option in ((through_nameko, questions[0], 1),
                                       (through_lean, questions[1], 2)):
        assert response.status_code == 200, response.text
        saved = response.json()
        assert set(saved) == {"attempt_id", "question_id", "option_index", "saved_at",
                              "seconds_left"}
        assert (saved["attempt_id"], saved["question_id"], saved["option_index"]) == (
            attempt["attempt_id"], question, option)
        assert 0 < saved["seconds_left"] <= 3600
        assert response.headers["Content-Type"] == "application/json; charset=utf-8"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Cache-Control"] == "no-store"
    assert through_lean.headers["X-Request-ID"] == "lean-side-1"
    assert through_nameko.headers["X-Request-ID"] == "nameko-side-1"

    # Both saves are one attempt's, read back through either.
    state_nameko, state_lean = candidate.get(path), lean.get(path)
    assert state_nameko.status_code == state_lean.status_code == 200
    assert {k: v for k, v in state_lean.json().items() if k != "seconds_left"} == \
        {k: v for k, v in state_nameko.json().items() if k != "seconds_left"}
    assert state_lean.json()["answered"] == 2

    # Refusals: the same problem from both.
    other = api.registered_candidate(base_url, mail_sink, "Budi Santoso")
    bank = admin.get(f"/api/v1/activities/{activity['id']}/questions",
                     params={"per_page": 200}).json()["items"]
    not_drawn = next(q["id"] for q in bank if q["id"] not in set(questions))
    refusals = [
        (404, "PUT", f"{path}/answers/{not_drawn}", {"json": {"option_index": 0}}, None),
        (404, "PUT", f"{path}/answers/{questions[2]}", {"json": {"option_index": 0}},
         other.token),
        (404, "GET", f"/api/v1/attempts/{uuid.uuid4()}", {}, None),
        (404, "POST", f"/api/v1/attempts/{'9' * 300}/submit", {"json": {}}, None),
        (422, "PUT", f"{path}/answers/{questions[2]}", {"json": {"option_index": 4}}, None),
        (422, "PUT", f"{path}/answers/{questions[2]}", {"json": {"option_index": "1"}}, None),
        (400, "PUT", f"{path}/answers/{questions[2]}", {"data": b"{not json",
                                                        "headers": {"Content-Type":
                                                                    "application/json"}},
         None),
        (403, "GET", path, {}, admin.token),
        (422, "PUT", f"{path}/answers/{questions[2]}",
         {"json": {"option_index": 0}, "headers": {"Idempotency-Key": "k" * 201}}, None),
    ]
    for status, method, route, kwargs, token in refusals:
        nameko = candidate.request(method, route, token=token, **dict(kwargs))
        answered = lean.request(method, route, token=token, **dict(kwargs))
        assert_same_problem(nameko, answered, status)
    unsigned = [requests.request("GET", url + path, timeout=30)
                for url in (base_url, system.attempt_gateway_url)]
    assert_same_problem(*unsigned, 401)
    assert unsigned[1].headers["WWW-Authenticate"] == "Bearer"

    # It answers nothing but the attempt routes (and its probes).
    elsewhere = lean.get("/api/v1/me/applications")
    assert elsewhere.status_code == 404 and elsewhere.headers["Content-Type"] == PROBLEM
    wrong_method = lean.request("DELETE", path)
    assert wrong_method.status_code == 405
    assert wrong_method.headers["Allow"].split(", ") and "GET" in wrong_method.headers["Allow"]
    assert requests.get(system.attempt_gateway_url + "/healthz", timeout=10).json() == {
        "status": "ok"}
    assert requests.get(system.attempt_gateway_url + "/readyz", timeout=10).json() == {
        "status": "ready"}

    # Submitted through the attempt gateway: the status page (the nameko gateway) shows it.
    submitted = lean.post(f"{path}/submit", json={})
    assert submitted.status_code == 200, submitted.text
    assert submitted.json() == {"attempt_id": attempt["attempt_id"], "status": "submitted"}
    resumed = candidate.post(f"/api/v1/test-sessions/{session['id']}/attempt", json={})
    assert resumed.json()["answers"] == {questions[0]: 1, questions[1]: 2}

    def completed():
        items = candidate.get("/api/v1/me/applications").json()["items"]
        mine = next(item for item in items if item["id"] == candidate.application["id"])
        return mine if mine["test"]["status"] == "completed" else None
    wait_until(completed, message="the submit on the status page")


def test_without_the_attempt_server_the_attempt_routes_answer_503_and_are_not_ready(
        system, base_url, mail_sink, admin):
    started = started_attempt(base_url, mail_sink, admin)
    candidate, attempt = started.candidate, started.attempt
    lean = api.Client(system.attempt_gateway_url, candidate.token)
    save = f"/api/v1/attempts/{attempt['attempt_id']}/answers/{attempt['questions'][0]['id']}"
    system.stop("attempt-server")
    try:
        for client in (candidate, lean):
            down = client.put(save, json={"option_index": 0})
            assert down.status_code == 503, down.text
            assert down.headers["Content-Type"] == PROBLEM
        not_ready = requests.get(system.attempt_gateway_url + "/readyz", timeout=10)
        assert (not_ready.status_code, not_ready.json()) == (503, {"status": "not ready"})
        checks = requests.get(base_url + "/readyz", timeout=10).json()["checks"]
        assert checks["attempt-server"] is False and checks["assessment"] is True
    finally:
        system.start("attempt-server")
    back = wait_until(lambda: (r := lean.put(save, json={"option_index": 3})).status_code
                      == 200 and r, timeout=30, message="the attempt server back")
    assert back.json()["option_index"] == 3
