"""Applying: window, quota, completeness, one per candidate; the quota under concurrency on
PostgreSQL; Idempotency-Key on a retried POST."""
from __future__ import annotations

import threading
import uuid
from datetime import timedelta

import sqlalchemy as sa

from services.shared.platform.database import normalise_url
from tests.support import api


def test_outside_the_window_is_409(base_url, mail_sink):
    admin = api.admin_of(base_url, "3528")
    candidate = api.complete_candidate(base_url, mail_sink)
    not_yet = admin.post("/api/v1/activities", json=api.activity_body(
        "3528", opens_in=timedelta(days=1), closes_in=timedelta(days=30))).json()
    over = admin.post("/api/v1/activities", json=api.activity_body(
        "3528", opens_in=timedelta(days=-30), closes_in=timedelta(minutes=-1))).json()
    for activity in (not_yet, over):
        refused = candidate.post(f"/api/v1/activities/{activity['id']}/applications", json={})
        assert refused.status_code == 409, refused.text
    assert candidate.get("/api/v1/me/applications").json()["items"] == []


def test_incomplete_application_is_422_listing_what_is_missing(base_url, mail_sink):
    admin = api.admin_of(base_url, "3279")
    banjar = admin.post("/api/v1/activities", json=api.activity_body("3279", requirements={
        "education": {"min": "SMA", "rule": "mandatory"},
        "extra_documents": ["cv", "phone_spec", "application_letter"]})).json()
    candidate = api.registered_candidate(base_url, mail_sink)
    url = f"/api/v1/activities/{banjar['id']}/applications"
    problem = candidate.post(url, json={}).json()
    assert problem["status"] == 422 and "profile" in problem["errors"]

    candidate.put("/api/v1/me/profile", json=api.profile_body(statements={
        "healthy": True, "disciplined": True, "willing_contract": False,
        "willing_training": True, "literate": True}))
    candidate.put("/api/v1/me/documents/photo", data=api.JPEG,
                  headers={"Content-Type": "image/jpeg"})
    problem = candidate.post(url, json={}).json()
    assert problem["status"] == 422
    assert problem["errors"]["statements"] == ["willing_contract"]
    assert problem["errors"]["documents"] == ["ktp", "ijazah", "cv", "phone_spec",
                                              "application_letter"]

    candidate.put("/api/v1/me/profile", json=api.profile_body())
    for kind in ("ktp", "ijazah", "cv", "phone_spec", "application_letter"):
        assert candidate.put(f"/api/v1/me/documents/{kind}", data=api.PDF,
                             headers={"Content-Type": "application/pdf"}).status_code == 201
    assert candidate.post(url, json={}).status_code == 201


def test_twenty_candidates_at_once_for_a_quota_of_five(base_url, mail_sink, database_urls):
    admin = api.admin_of(base_url, "3528")
    activity = admin.post("/api/v1/activities", json=api.activity_body("3528", quota=5)).json()
    candidates = [api.complete_candidate(base_url, mail_sink) for _ in range(20)]
    barrier = threading.Barrier(len(candidates))
    results = [None] * len(candidates)

    def apply(index, candidate):
        barrier.wait()
        results[index] = candidate.post(f"/api/v1/activities/{activity['id']}/applications",
                                        json={})

    threads = [threading.Thread(target=apply, args=(i, c)) for i, c in enumerate(candidates)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    statuses = sorted(r.status_code for r in results)
    assert statuses == [201] * 5 + [409] * 15, [r.text for r in results if r.status_code >= 500]
    numbers = [r.json()["registration_number"] for r in results if r.status_code == 201]
    assert len(set(numbers)) == 5

    # Nothing half-written: exactly five rows, five outbox events, and the counter agrees.
    engine = sa.create_engine(normalise_url(database_urls["registration"]))
    with engine.connect() as connection:
        count = connection.execute(sa.text(
            "SELECT count(*) FROM applications WHERE activity_id = :id"),
            {"id": activity["id"]}).scalar()
        counter = connection.execute(sa.text(
            "SELECT application_count FROM activities WHERE id = :id"),
            {"id": activity["id"]}).scalar()
        events = connection.execute(sa.text(
            "SELECT count(*) FROM outbox WHERE event_type = 'application_submitted' "
            "AND envelope::jsonb -> 'payload' ->> 'activity_id' = :id"),
            {"id": activity["id"]}).scalar()
    engine.dispose()
    assert (count, counter, events) == (5, 5, 5)
    full = api.complete_candidate(base_url, mail_sink).post(
        f"/api/v1/activities/{activity['id']}/applications", json={})
    assert full.status_code == 409


def test_a_retried_post_with_the_same_idempotency_key_acts_once(base_url, mail_sink):
    admin = api.admin_of(base_url, "3528")
    key = str(uuid.uuid4())
    first = admin.post("/api/v1/activities", json=api.activity_body("3528"),
                       headers={"Idempotency-Key": key})
    second = admin.post("/api/v1/activities", json=api.activity_body("3528") | {
        "registration_opens_at": first.json()["registration_opens_at"],
        "registration_closes_at": first.json()["registration_closes_at"],
        "announcement_at": first.json()["announcement_at"]},
        headers={"Idempotency-Key": key})
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]

    candidate = api.complete_candidate(base_url, mail_sink)
    url = f"/api/v1/activities/{first.json()['id']}/applications"
    key = str(uuid.uuid4())
    results = []
    threads = [threading.Thread(target=lambda: results.append(
        candidate.post(url, json={}, headers={"Idempotency-Key": key}))) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [r.status_code for r in results] == [201, 201, 201]
    assert len({r.json()["registration_number"] for r in results}) == 1
    assert len(candidate.get("/api/v1/me/applications").json()["items"]) == 1

    # The same key for a different request is refused rather than silently replayed.
    other = admin.post("/api/v1/activities", json=api.activity_body("3528", quota=3),
                       headers={"Idempotency-Key": key})
    assert other.status_code == 201  # keys are per caller: the admin's is its own
    reused = candidate.post(url.replace(first.json()["id"], other.json().get("id", "x")),
                            json={}, headers={"Idempotency-Key": key})
    assert reused.status_code == 409
