"""Assessment's eligibility read model on a real database (SQLite): selection's
administrative_decided events are applied once per event, and by decision time, not by
arrival order."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from services.assessment.persistence.models import ApplicationRecord, Base, platform_tables
from services.assessment.persistence.unit_of_work import AssessmentUnitOfWork
from services.assessment.use_cases.eligibility import (
    booking_eligibility,
    follow_administrative_decision,
)
from services.shared.contracts.events import ADMINISTRATIVE_DECIDED, AdministrativeDecidedPayload
from services.shared.platform.database import unit_of_work
from services.shared.platform.inbox import handle_once
from services.shared.platform.outbox import make_envelope

HANDLER = "assessment.on_administrative_decided"
WIB = timezone(timedelta(hours=7))
DECIDED_AT = datetime(2026, 11, 20, 10, 0, tzinfo=WIB)


def envelope(status: str, decided_at: datetime, from_status: str = "pending") -> dict:
    """The event as selection's relay publishes it (JSON-ready)."""
    return make_envelope("selection", ADMINISTRATIVE_DECIDED, {
        "application_id": "app-1", "activity_id": "act-1", "satker_code": "3528",
        "account_id": "acc-1", "registration_number": "3528-2026-00001",
        "from_status": from_status, "status": status,
        "reason": None if status == "accepted" else "Foto KTP buram",
        "decided_by": "admin-1", "decided_at": decided_at}, AdministrativeDecidedPayload())


@pytest.fixture
def sessions(sqlite_sessions):
    return sqlite_sessions(Base.metadata)


def deliver(sessions, body: dict) -> bool:
    return handle_once(sessions, AssessmentUnitOfWork, HANDLER, body,
                       AdministrativeDecidedPayload(), follow_administrative_decision)


def rows(sessions) -> list[ApplicationRecord]:
    with unit_of_work(sessions) as session:
        return session.execute(sa.select(ApplicationRecord)).scalars().all()


def may_book(sessions, application_id: str) -> bool:
    with unit_of_work(sessions) as session:
        return booking_eligibility(AssessmentUnitOfWork(session), application_id)


def test_the_same_event_delivered_twice_is_applied_once(sessions):
    accepted = envelope("accepted", DECIDED_AT)
    assert deliver(sessions, accepted) is True
    assert deliver(sessions, accepted) is False  # redelivered by the broker or the relay

    [row] = rows(sessions)
    assert (row.application_id, row.activity_id, row.satker_code, row.account_id,
            row.registration_number, row.administrative_status) == (
        "app-1", "act-1", "3528", "acc-1", "3528-2026-00001", "accepted")
    assert row.decided_at == DECIDED_AT and row.decided_at.tzinfo is not None
    with unit_of_work(sessions) as session:
        assert session.execute(sa.select(sa.func.count()).select_from(
            platform_tables.processed_events)).scalar_one() == 1
    assert may_book(sessions, "app-1") is True


def test_an_older_decision_after_a_newer_one_changes_nothing(sessions):
    assert deliver(sessions, envelope("accepted", DECIDED_AT + timedelta(hours=1),
                                      from_status="needs_confirmation")) is True
    # The earlier decision's event, overtaken on the way, is processed but changes nothing.
    assert deliver(sessions, envelope("needs_confirmation", DECIDED_AT)) is True

    [row] = rows(sessions)
    assert row.administrative_status == "accepted"
    assert row.decided_at == DECIDED_AT + timedelta(hours=1)
    assert may_book(sessions, "app-1") is True


def test_a_later_decision_replaces_an_accepted_one(sessions):
    deliver(sessions, envelope("accepted", DECIDED_AT))
    deliver(sessions, envelope("rejected", DECIDED_AT + timedelta(seconds=1),
                               from_status="accepted"))
    assert [row.administrative_status for row in rows(sessions)] == ["rejected"]
    assert may_book(sessions, "app-1") is False
    assert may_book(sessions, "app-unknown") is False
