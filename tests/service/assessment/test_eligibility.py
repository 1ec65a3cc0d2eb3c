"""Eligibility by event: assessment follows selection's administrative decisions and only an
accepted application may book, whatever order the decisions arrive in."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.assessment.use_cases.eligibility import (
    booking_eligibility,
    follow_administrative_decision,
)
from tests.service.assessment.fakes import InMemoryAssessmentUnitOfWork

DECIDED_AT = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)


def decided(status: str, at: datetime = DECIDED_AT, application_id: str = "app-1",
            from_status: str = "pending") -> dict:
    """An administrative_decided payload as the inbox hands it over (loaded by its schema)."""
    return {"application_id": application_id, "activity_id": "act-1", "satker_code": "3528",
            "account_id": "acc-1", "registration_number": "3528-2026-00001",
            "from_status": from_status, "status": status,
            "reason": None if status == "accepted" else "Berstatus ASN",
            "decided_by": "admin-1", "decided_at": at}


def test_an_accepted_application_may_book():
    uow = InMemoryAssessmentUnitOfWork()
    follow_administrative_decision(uow, decided("accepted"))
    assert booking_eligibility(uow, "app-1") is True
    row = uow.applications.get("app-1")
    assert (row.activity_id, row.satker_code, row.account_id, row.registration_number,
            row.administrative_status, row.decided_at) == (
        "act-1", "3528", "acc-1", "3528-2026-00001", "accepted", DECIDED_AT)
    assert uow.events == [] and uow.mail == []


@pytest.mark.parametrize("status", ["pending", "needs_confirmation", "rejected"])
def test_any_other_status_may_not_book(status):
    uow = InMemoryAssessmentUnitOfWork()
    follow_administrative_decision(uow, decided(status))
    assert booking_eligibility(uow, "app-1") is False


def test_an_application_assessment_has_not_heard_of_may_not_book():
    assert booking_eligibility(InMemoryAssessmentUnitOfWork(), "app-unknown") is False


def test_a_later_decision_replaces_the_current_one():
    uow = InMemoryAssessmentUnitOfWork()
    follow_administrative_decision(uow, decided("accepted"))
    follow_administrative_decision(uow, decided("rejected", DECIDED_AT + timedelta(hours=1),
                                                from_status="accepted"))
    assert uow.applications.get("app-1").administrative_status == "rejected"
    assert booking_eligibility(uow, "app-1") is False


def test_an_older_decision_arriving_late_changes_nothing():
    uow = InMemoryAssessmentUnitOfWork()
    follow_administrative_decision(uow, decided("accepted", DECIDED_AT + timedelta(hours=1),
                                                from_status="needs_confirmation"))
    follow_administrative_decision(uow, decided("needs_confirmation"))
    assert uow.applications.get("app-1").administrative_status == "accepted"
    assert uow.applications.get("app-1").decided_at == DECIDED_AT + timedelta(hours=1)
    assert booking_eligibility(uow, "app-1") is True


def test_a_redelivered_decision_changes_nothing():
    uow = InMemoryAssessmentUnitOfWork()
    follow_administrative_decision(uow, decided("accepted"))
    follow_administrative_decision(uow, decided("accepted"))
    assert list(uow.applications.rows) == ["app-1"]
    assert booking_eligibility(uow, "app-1") is True


def test_applications_are_followed_independently():
    uow = InMemoryAssessmentUnitOfWork()
    follow_administrative_decision(uow, decided("accepted", application_id="app-1"))
    follow_administrative_decision(uow, decided("rejected", application_id="app-2"))
    assert (booking_eligibility(uow, "app-1"), booking_eligibility(uow, "app-2")) == (
        True, False)
