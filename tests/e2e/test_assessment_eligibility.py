"""Eligibility by event, end to end: an admin accepts an application over HTTP, selection
publishes administrative_decided through its outbox, and assessment's own read model holds
the application as accepted (assessment never asks selection)."""
from __future__ import annotations

import sqlalchemy as sa

from services.shared.platform.database import normalise_url
from tests.support import api
from tests.support.infra import wait_until


def test_an_accepted_application_reaches_assessment(base_url, mail_sink, database_urls):
    admin = api.admin_of(base_url, "3528")
    activity = admin.post("/api/v1/activities", json=api.activity_body("3528")).json()
    queue = f"/api/v1/activities/{activity['id']}/applications"
    # Selection learns of the activity from registration's event: its queue may answer 404
    # for a moment.
    wait_until(lambda: admin.get(queue).status_code == 200, message="the activity's queue")

    candidate = api.complete_candidate(base_url, mail_sink)
    applied = candidate.post(queue, json={})
    assert applied.status_code == 201, applied.text
    application = applied.json()

    def in_the_queue():
        items = admin.get(queue, params={"per_page": 200}).json()["items"]
        return any(item["id"] == application["id"] for item in items)
    wait_until(in_the_queue, message="the application in the admin's queue")
    decided = admin.post(f"/api/v1/applications/{application['id']}/administrative-decision",
                         json={"decision": "accepted"})
    assert decided.status_code == 200, decided.text

    engine = sa.create_engine(normalise_url(database_urls["assessment"]))
    query = sa.text("SELECT activity_id, satker_code, registration_number, "
                    "administrative_status FROM applications WHERE application_id = :id")

    def assessment_row():
        with engine.connect() as connection:
            return connection.execute(query, {"id": application["id"]}).first()
    try:
        row = wait_until(assessment_row, message="the decision in assessment's read model")
    finally:
        engine.dispose()
    assert tuple(row) == (activity["id"], "3528", application["registration_number"],
                          "accepted")
