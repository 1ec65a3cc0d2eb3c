"""Booking a test session: only an application accepted in the administrative selection,
exactly once per application (whatever session), never beyond the session's capacity. The
database holds both invariants (services/assessment/persistence/repositories.py); no route
moves or deletes a booking."""
from __future__ import annotations

from collections.abc import Iterable

from services.assessment.domain.bookings import status_of_test
from services.assessment.domain.eligibility import may_book
from services.assessment.domain.errors import (
    AlreadyBooked,
    NotAccepted,
    SessionEnded,
    SessionFull,
    SessionUnknown,
)
from services.shared.contracts.identity import Identity
from services.shared.platform.database import utcnow


def book_session(uow, identity: Identity, session_id: str) -> dict:
    session = uow.sessions.get(session_id)
    if session is None:
        raise SessionUnknown()
    now = utcnow()
    application = uow.applications.of_candidate(identity.account_id, session.activity_id)
    if application is None or not may_book(application.administrative_status):
        raise NotAccepted()
    if now >= session.ends_at:
        raise SessionEnded()
    if uow.bookings.active_of_application(application.application_id) is not None:
        raise AlreadyBooked()
    # The booking first (its unique index refuses a second one), the seat last: the session's
    # row stays locked only from here to the commit, so the bookings of a full country queue
    # on it as briefly as possible.
    booking = uow.bookings.add(application.application_id, session.id, session.activity_id,
                               identity.account_id, now)
    if not uow.sessions.take_seat(session.id):
        raise SessionFull()
    return {"id": booking.id, "session_id": session.id,
            "application_id": booking.application_id, "activity_id": booking.activity_id,
            "booked_at": booking.booked_at, "starts_at": session.starts_at,
            "ends_at": session.ends_at}


def my_tests(uow, identity: Identity, application_ids: Iterable[str]) -> dict:
    """The test part of the candidate's status page, for each of the ids asked about (only the
    candidate's own bookings count)."""
    application_ids = list(application_ids)
    held = uow.bookings.of_applications(application_ids)
    now = utcnow()
    items = []
    for application_id in application_ids:
        booking, session_ends_at, attempt_id, attempt_status, deadline = held.get(
            application_id, (None, None, None, None, None))
        if booking is not None and booking.account_id != identity.account_id:
            booking = attempt_id = attempt_status = deadline = None
        items.append({
            "application_id": application_id,
            "session_id": booking.session_id if booking else None,
            "status": status_of_test(booking is not None, attempt_status, session_ends_at, now,
                                     deadline),
            "attempt_id": attempt_id})
    return {"items": items}
