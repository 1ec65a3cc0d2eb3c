"""Bookings: one per application, never moved; only a later administrative decision that is not
accepted voids one, and only while its attempt has not started. And what the candidate's
status page says about the test."""
from __future__ import annotations

from datetime import datetime

from services.assessment.domain.attempts import OPEN
from services.assessment.domain.eligibility import ACCEPTED

NOT_BOOKED, BOOKED, IN_PROGRESS, COMPLETED, MISSED = (
    "not_booked", "booked", "in_progress", "completed", "missed")


def voids_booking(administrative_status: str, attempt_started: bool) -> bool:
    return administrative_status != ACCEPTED and not attempt_started


def status_of_test(booked: bool, attempt_status: str | None, session_ends_at: datetime | None,
                   now: datetime, attempt_deadline: datetime | None = None) -> str:
    """``test.status`` of GET /api/v1/me/applications. An open attempt past its deadline is
    completed for the candidate already, in the second before the timekeeper closes it."""
    if not booked:
        return NOT_BOOKED
    if attempt_status is None:
        return MISSED if session_ends_at is not None and now >= session_ends_at else BOOKED
    if attempt_status == OPEN and (attempt_deadline is None or now < attempt_deadline):
        return IN_PROGRESS
    return COMPLETED
