"""Outage credit end to end: the assessment service, both its processes (the nameko service
and the attempt server candidates answer through), is killed (SIGKILL, no shutdown code) in
the middle of an attempt and started again 20 seconds later. The candidate gets the outage
back on the deadline, keeps every answer saved before the kill, and can go on answering.

On a system of its own (a heartbeat every second, an outage from 5 seconds without one), so the
kill disturbs no other test.
"""
from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from services.shared.platform.config import SERVICES
from tests.support import api, infra
from tests.support.infra import wait_until

INTERVAL = 1.0  # TIMEKEEPER_INTERVAL_SECONDS of this system
THRESHOLD = 5.0  # OUTAGE_THRESHOLD_SECONDS
OUTAGE = 20.0  # how long the service stays dead
ATTEMPT = timedelta(minutes=60)
ASSESSMENT = ("assessment", "attempt-server")  # the service's processes (launcher names)


@pytest.fixture(scope="module")
def own_system(tmp_path_factory, smtp):
    controller, sink = smtp
    with infra.postgres_databases(list(SERVICES)) as urls, infra.rabbitmq_vhost() as amqp, \
            infra.running_system(tmp_path_factory.mktemp("outage"), urls, amqp, controller.port,
                                 {"TIMEKEEPER_INTERVAL_SECONDS": str(INTERVAL),
                                  "OUTAGE_THRESHOLD_SECONDS": str(THRESHOLD)}) as system:
        yield SimpleNamespace(system=system, url=system.gateway_url, mail=sink)


def deadline_of(response) -> datetime:
    return datetime.fromisoformat(response.json()["deadline"])


def test_an_outage_is_credited_to_the_open_attempt_and_loses_no_answer(own_system):
    url = own_system.url
    admin = api.admin_of(url, "3528")
    activity = api.open_activity(url, admin)
    created = admin.post(f"/api/v1/activities/{activity['id']}/questions",
                         json={"items": api.question_items(40)})
    assert created.status_code == 201, created.text
    candidate = api.accepted_candidate(url, own_system.mail, admin, activity["id"])
    now = datetime.now(UTC)
    # Ends far beyond the attempt's 60 minutes: the deadline is the attempt's own.
    session = admin.post(f"/api/v1/activities/{activity['id']}/test-sessions", json={
        "starts_at": (now - timedelta(minutes=5)).isoformat(),
        "ends_at": (now + timedelta(hours=6)).isoformat(), "capacity": 10}).json()
    assert api.wait_until_eligible(candidate, session["id"]).status_code == 201
    start = f"/api/v1/test-sessions/{session['id']}/attempt"
    started = candidate.post(start, json={})
    assert started.status_code == 201, started.text
    attempt = started.json()
    deadline = deadline_of(started)
    assert deadline == datetime.fromisoformat(attempt["started_at"]) + ATTEMPT
    questions = [question["id"] for question in attempt["questions"]]
    answers_path = f"/api/v1/attempts/{attempt['attempt_id']}/answers/"
    saved = {}
    for position, question_id in enumerate(questions[:6]):
        saved[question_id] = position % 4
        response = candidate.put(answers_path + question_id, json={"option_index": position % 4})
        assert response.status_code == 200, response.text

    killed_at = time.monotonic()
    for process in ASSESSMENT:
        infra.kill(own_system.system, process)
    during = candidate.put(answers_path + questions[10], json={"option_index": 0})
    assert during.status_code == 503, during.text  # not a 500, and nothing saved
    # The outage itself is what is under test: there is no condition to wait on.
    time.sleep(max(0.0, killed_at + OUTAGE - time.monotonic()))
    for process in ASSESSMENT:
        own_system.system.start(process)

    def answered(moved_only: bool):
        def resume():
            response = candidate.post(start, json={})
            if response.status_code != 200:
                return None
            return response if not moved_only or deadline_of(response) != deadline else None
        return resume
    wait_until(answered(False), timeout=60, message="the restarted service to answer")
    # Its first timekeeper run comes as it starts; a few more would do it too.
    resumed = wait_until(answered(True), timeout=10 * INTERVAL,
                         message="the outage credited to the open attempt")
    seen_at = time.monotonic()
    moved = (deadline_of(resumed) - deadline).total_seconds()
    # The gap runs from the last heartbeat before the kill (at most one interval before it)
    # to the restarted service's first run (before the answer above): 20 s plus the restart.
    assert OUTAGE - 2 <= moved <= (seen_at - killed_at) + INTERVAL + 1, moved
    assert resumed.json()["questions"] == attempt["questions"]
    assert resumed.json()["answers"] == saved

    again = candidate.put(answers_path + questions[10], json={"option_index": 3})
    assert again.status_code == 200, again.text
    state = candidate.get(f"/api/v1/attempts/{attempt['attempt_id']}").json()
    assert (state["status"], state["answered"]) == ("open", 7)
    assert datetime.fromisoformat(state["deadline"]) == deadline_of(resumed)
    before = datetime.now(UTC)
    last = candidate.post(start, json={}).json()
    after = datetime.now(UTC)
    assert last["answers"] == saved | {questions[10]: 3}
    # The seconds left are counted to the credited deadline (the server shares this clock).
    credited_to = deadline_of(resumed)
    assert (credited_to - after).total_seconds() - 1 <= last["seconds_left"] \
        <= (credited_to - before).total_seconds()
