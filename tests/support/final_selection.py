"""HTTP steps of the final selection's journeys: candidates who took the competency test with
a chosen number of right answers, and the admin's waits for what travels by event."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from tests.support import api
from tests.support.builders import profile_body
from tests.support.infra import wait_until

QUESTIONS = 30  # drawn per attempt


def correct_choice(question: dict) -> int:
    """The index, as shown to this candidate, of the right option: api.question_items makes
    question i's answer option i % 4, and each option's text names its place in the bank."""
    number = int(re.match(r"Soal nomor (\d+):", question["text"]).group(1))
    return next(shown for shown, text in enumerate(question["options"])
                if text.endswith(f"(pilihan {number % 4})"))


def activity_with_test(base_url: str, admin: api.Client, satker_code: str = "3528"):
    """An open activity with its item bank and a session running for hours: (activity,
    session)."""
    activity = api.open_activity(base_url, admin, satker_code)
    created = admin.post(f"/api/v1/activities/{activity['id']}/questions",
                         json={"items": api.question_items(40)})
    assert created.status_code == 201, created.text
    now = datetime.now(UTC)
    session = admin.post(f"/api/v1/activities/{activity['id']}/test-sessions", json={
        "starts_at": (now - timedelta(minutes=5)).isoformat(),
        "ends_at": (now + timedelta(hours=3)).isoformat(), "capacity": 50})
    assert session.status_code == 201, session.text
    return activity, session.json()


def named_candidate(base_url: str, mail_sink, full_name: str) -> api.Client:
    """A signed-in candidate with a complete profile under ``full_name`` and the three
    documents every application needs."""
    client = api.registered_candidate(base_url, mail_sink, full_name=full_name)
    response = client.put("/api/v1/me/profile", json=profile_body(full_name=full_name))
    assert response.status_code == 200, response.text
    for kind, content, content_type in (("photo", api.JPEG, "image/jpeg"),
                                        ("ktp", api.PDF, "application/pdf"),
                                        ("ijazah", api.PDF, "application/pdf")):
        response = client.put(f"/api/v1/me/documents/{kind}", data=content,
                              headers={"Content-Type": content_type})
        assert response.status_code == 201, response.text
    return client


def tested_candidate(base_url: str, mail_sink, admin: api.Client, activity_id: str,
                     session_id: str, right: int, full_name: str) -> api.Client:
    """A candidate who applied, was accepted (Diterima), booked the session and submitted an
    attempt with ``right`` of the 30 questions answered right (score 100 x right / 30)."""
    candidate = named_candidate(base_url, mail_sink, full_name)
    applied = candidate.post(f"/api/v1/activities/{activity_id}/applications", json={})
    assert applied.status_code == 201, applied.text
    candidate.application = applied.json()
    decision = f"/api/v1/applications/{candidate.application['id']}/administrative-decision"
    wait_until(lambda: admin.post(decision, json={"decision": "accepted"}).status_code == 200,
               message="the application in the admin's queue")
    assert api.wait_until_eligible(candidate, session_id).status_code == 201
    started = candidate.post(f"/api/v1/test-sessions/{session_id}/attempt", json={})
    assert started.status_code == 201, started.text
    attempt = started.json()
    for number, question in enumerate(attempt["questions"]):
        choice = correct_choice(question)
        answer = choice if number < right else (choice + 1) % len(question["options"])
        saved = candidate.put(f"/api/v1/attempts/{attempt['attempt_id']}/answers/"
                              f"{question['id']}", json={"option_index": answer})
        assert saved.status_code == 200, saved.text
    submitted = candidate.post(f"/api/v1/attempts/{attempt['attempt_id']}/submit", json={})
    assert submitted.status_code == 200, submitted.text
    return candidate


def wait_until_ranked(admin: api.Client, activity_id: str, listed: int) -> dict:
    """The ranking once ``listed`` candidates are in it (items and below_minimum): the test
    results reach selection by event."""
    def ranking():
        response = admin.get(f"/api/v1/activities/{activity_id}/ranking")
        assert response.status_code == 200, response.text
        body = response.json()
        return body if len(body["items"]) + len(body["below_minimum"]) == listed else None
    return wait_until(ranking, timeout=60, message="the test results in selection")


def final_of(candidate: api.Client) -> dict:
    """The ``final`` part of the candidate's own application."""
    response = candidate.get("/api/v1/me/applications")
    assert response.status_code == 200, response.text
    return next(item for item in response.json()["items"]
                if item["id"] == candidate.application["id"])["final"]


def announcement_mails(mail_sink, recipients) -> list:
    return [message for message in mail_sink.received
            if any(r in message["To"] for r in recipients)
            and "Pengumuman hasil seleksi" in message["Subject"]]


def wait_for_mails(mail_sink, recipients, count: int, timeout: float = 30) -> list:
    """The ``count`` announcement mails to ``recipients``, once all have arrived."""
    try:
        return wait_until(lambda: len(found := announcement_mails(mail_sink, recipients))
                          == count and found, timeout=timeout, message="the result mails")
    except AssertionError:
        seen = [(m["To"], m["Subject"]) for m in mail_sink.received
                if any(r in m["To"] for r in recipients)]
        raise AssertionError(f"{count} result mails expected; these arrived: {seen}") from None
