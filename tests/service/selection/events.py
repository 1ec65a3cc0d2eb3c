"""Registration's and assessment's events as selection's handlers receive them: each payload
built from a few fields, then sent through its contract schema both ways, as the outbox and
``handle_once`` do (so the snapshots in it are typed, the times aware)."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from services.shared.contracts.events import (
    ActivityPayload,
    ApplicationSubmittedPayload,
    AttemptCompletedPayload,
    ProfileUpdatedPayload,
    TestMissedPayload,
)
from tests.support.builders import PAMEKASAN_2024, document_snapshots, profile_snapshot

SUBMITTED_AT = datetime(2026, 11, 7, 3, tzinfo=UTC)


def _through(schema, payload: dict) -> dict:
    return schema.load(schema.dump(payload))


def activity_event(activity_id: str = "act-1", satker_code: str = "3528", version: int = 1,
                   **changes: Any) -> dict:
    opens = datetime(2026, 11, 1, tzinfo=UTC)
    payload = {
        "activity_id": activity_id, "satker_code": satker_code,
        "name": "Rekrutmen Mitra BPS 2027-Pendaftaran", "year": 2026,
        "registration_opens_at": opens, "registration_closes_at": opens + timedelta(days=29),
        "announcement_at": opens + timedelta(days=43), "quota": None,
        "requirements": PAMEKASAN_2024, "version": version,
    }
    payload.update(changes)
    return _through(ActivityPayload(), payload)


def application_submitted(application_id: str = "app-1", account_id: str = "acc-1",
                          activity_id: str = "act-1", satker_code: str = "3528",
                          data_version: int = 1, profile=None, documents=None,
                          **changes: Any) -> dict:
    payload = {
        "application_id": application_id, "activity_id": activity_id,
        "activity_name": "Rekrutmen Mitra BPS 2027-Pendaftaran", "satker_code": satker_code,
        "year": 2026, "account_id": account_id,
        "registration_number": f"{satker_code}-2026-{application_id[-5:]:0>5}",
        "submitted_at": SUBMITTED_AT, "requirements": PAMEKASAN_2024,
        "data_version": data_version, "profile": profile or profile_snapshot(),
        "documents": document_snapshots() if documents is None else documents,
    }
    payload.update(changes)
    return _through(ApplicationSubmittedPayload(), payload)


_CURRENT = object()


def profile_updated(account_id: str = "acc-1", data_version: int = 2, profile=_CURRENT,
                    documents=None, **changes: Any) -> dict:
    """``profile=None``: the candidate has no profile yet (a document came first)."""
    payload = {
        "account_id": account_id, "updated_at": datetime.now(UTC),
        "data_version": data_version,
        "profile": profile_snapshot() if profile is _CURRENT else profile,
        "documents": document_snapshots() if documents is None else documents,
    }
    payload.update(changes)
    return _through(ProfileUpdatedPayload(), payload)


SESSION_ENDED_AT = datetime(2026, 12, 1, 2, tzinfo=UTC)  # 09:00 WIB, a 07:00-09:00 slot


def attempt_completed(application_id: str = "app-1", account_id: str = "acc-1",
                      score: float = 76.67, **changes: Any) -> dict:
    payload = {
        "attempt_id": f"attempt-{application_id}", "application_id": application_id,
        "activity_id": "act-1", "satker_code": "3528", "account_id": account_id,
        "session_id": "session-1", "score": score, "answered": 28, "question_count": 30,
        "closed_by": "candidate", "completed_at": SESSION_ENDED_AT - timedelta(minutes=70),
    }
    payload.update(changes)
    return _through(AttemptCompletedPayload(), payload)


def missed_test(application_id: str = "app-1", account_id: str = "acc-1",
                **changes: Any) -> dict:
    """A test_missed event (not named after it: pytest would collect a ``test_`` name)."""
    payload = {
        "application_id": application_id, "activity_id": "act-1", "satker_code": "3528",
        "account_id": account_id, "session_id": "session-1",
        "session_ended_at": SESSION_ENDED_AT,
    }
    payload.update(changes)
    return _through(TestMissedPayload(), payload)
