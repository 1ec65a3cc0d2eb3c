"""Bookings: only a later decision that is not accepted voids one, and only before its attempt
started; and what the candidate's status page says about the test."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.assessment.domain import bookings
from services.assessment.domain.attempts import CLOSED, OPEN, SUBMITTED
from services.assessment.domain.bookings import (
    BOOKED,
    COMPLETED,
    IN_PROGRESS,
    MISSED,
    NOT_BOOKED,
    voids_booking,
)
from services.shared.contracts.vocabulary import ADMINISTRATIVE_STATUSES

ENDS = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
# Under another name: a ``test_status`` in this module would be collected as a test.
status_of = bookings.status_of_test


@pytest.mark.parametrize("status", ADMINISTRATIVE_STATUSES)
def test_a_decision_other_than_accepted_voids_a_booking_not_yet_started(status):
    assert voids_booking(status, attempt_started=False) is (status != "accepted")


@pytest.mark.parametrize("status", ADMINISTRATIVE_STATUSES)
def test_no_decision_voids_a_booking_whose_attempt_started(status):
    assert voids_booking(status, attempt_started=True) is False


def test_not_booked():
    assert status_of(False, None, None, ENDS) == NOT_BOOKED


def test_booked_until_the_session_ends_then_missed_if_never_started():
    assert status_of(True, None, ENDS, ENDS - timedelta(seconds=1)) == BOOKED
    assert status_of(True, None, ENDS, ENDS) == MISSED
    assert status_of(True, None, ENDS, ENDS + timedelta(days=1)) == MISSED


def test_an_open_attempt_is_in_progress_a_finished_one_completed():
    assert status_of(True, OPEN, ENDS, ENDS - timedelta(minutes=5)) == IN_PROGRESS
    assert status_of(True, SUBMITTED, ENDS, ENDS + timedelta(hours=1)) == COMPLETED
    assert status_of(True, CLOSED, ENDS, ENDS + timedelta(hours=1)) == COMPLETED
