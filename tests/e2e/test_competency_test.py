"""The competency test end to end over HTTP: the admin's item bank and session, the candidate's
one booking and timed attempt; the deadline is the session's end and the service closes the
attempt by itself with the answers saved."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.support import api
from tests.support.infra import wait_until


@pytest.fixture
def admin(base_url):
    return api.admin_of(base_url, "3528")


def test_a_session_that_ends_soon_closes_the_attempt_by_itself(base_url, mail_sink, admin):
    activity = api.open_activity(base_url, admin)
    created = admin.post(f"/api/v1/activities/{activity['id']}/questions",
                         json={"items": api.question_items(40)})
    assert created.status_code == 201 and created.json() == {"created": 40}, created.text
    candidate = api.accepted_candidate(base_url, mail_sink, admin, activity["id"])

    now = datetime.now(UTC)
    session = admin.post(f"/api/v1/activities/{activity['id']}/test-sessions", json={
        "starts_at": (now - timedelta(minutes=5)).isoformat(),
        "ends_at": (now + timedelta(seconds=25)).isoformat(), "capacity": 10}).json()
    booked = api.wait_until_eligible(candidate, session["id"])
    assert booked.status_code == 201, booked.text
    again = candidate.post(f"/api/v1/test-sessions/{session['id']}/booking", json={})
    assert again.status_code == 409

    started = candidate.post(f"/api/v1/test-sessions/{session['id']}/attempt", json={})
    assert started.status_code == 201, started.text
    attempt = started.json()
    assert len(attempt["questions"]) == 30
    assert datetime.fromisoformat(attempt["deadline"]) == datetime.fromisoformat(
        session["ends_at"])
    for question in attempt["questions"][:5]:
        saved = candidate.put(f"/api/v1/attempts/{attempt['attempt_id']}/answers/"
                              f"{question['id']}", json={"option_index": 1})
        assert saved.status_code == 200, saved.text
    resumed = candidate.post(f"/api/v1/test-sessions/{session['id']}/attempt", json={})
    assert resumed.status_code == 200
    assert resumed.json()["questions"] == attempt["questions"]
    assert resumed.json()["answers"] == {q["id"]: 1 for q in attempt["questions"][:5]}

    deadline = datetime.fromisoformat(attempt["deadline"])
    wait_until(lambda: datetime.now(UTC) >= deadline + timedelta(seconds=1), timeout=60,
               message="a second after the deadline")
    late = candidate.put(f"/api/v1/attempts/{attempt['attempt_id']}/answers/"
                         f"{attempt['questions'][6]['id']}", json={"option_index": 0})
    assert late.status_code == 409, late.text

    def completed():
        mine = candidate.get("/api/v1/me/applications").json()["items"]
        test = next(item for item in mine if item["id"] == candidate.application["id"])["test"]
        return test if test["status"] == "completed" else None
    test = wait_until(completed, timeout=30, message="the attempt closed by the service")
    assert test == {"session_id": session["id"], "status": "completed", "score": None}
    state = candidate.get(f"/api/v1/attempts/{attempt['attempt_id']}").json()
    assert (state["status"], state["answered"]) == ("closed", 5)
