"""Eligibility by event: assessment keeps its own copy of each application's current
administrative decision (it never asks selection), and answers whether it may book. A later
decision that is not accepted voids a booking whose attempt has not started."""
from __future__ import annotations

from services.assessment.domain.bookings import voids_booking
from services.assessment.domain.eligibility import Decision, may_book, supersedes
from services.shared.platform.database import utcnow


def follow_administrative_decision(uow, payload: dict) -> None:
    """Apply a loaded ``administrative_decided`` payload to the read model, unless assessment
    already holds a decision at least as recent."""
    decision = Decision(
        application_id=payload["application_id"], activity_id=payload["activity_id"],
        satker_code=payload["satker_code"], account_id=payload["account_id"],
        registration_number=payload["registration_number"],
        administrative_status=payload["status"], decided_at=payload["decided_at"])
    if not supersedes(decision, uow.applications.get(decision.application_id, for_update=True)):
        return
    uow.applications.save(decision)
    booking = uow.bookings.active_of_application(decision.application_id, for_update=True)
    if booking is not None and voids_booking(
            decision.administrative_status,
            attempt_started=uow.attempts.of_booking(booking.id) is not None):
        uow.bookings.void(booking.id, utcnow())
        uow.sessions.free_seat(booking.session_id)


def booking_eligibility(uow, application_id: str) -> bool:
    """Whether the application may book a test session; one assessment has not heard of (no
    decision yet) may not."""
    current = uow.applications.get(application_id)
    return may_book(current.administrative_status if current else None)
