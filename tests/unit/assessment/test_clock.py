"""Outage credit: a gap in the heartbeat longer than the threshold is an outage, and every
attempt whose deadline had not passed when it began gets the gap's length back."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.assessment.domain.clock import credited_deadline, outage_gap

LAST_BEAT = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
THRESHOLD = timedelta(seconds=15)


def test_a_service_that_never_beat_had_no_outage():
    assert outage_gap(None, LAST_BEAT, THRESHOLD) is None


def test_beats_within_the_threshold_are_no_outage():
    assert outage_gap(LAST_BEAT, LAST_BEAT + timedelta(seconds=5), THRESHOLD) is None
    assert outage_gap(LAST_BEAT, LAST_BEAT + THRESHOLD, THRESHOLD) is None


def test_a_gap_beyond_the_threshold_is_an_outage_of_its_whole_length():
    now = LAST_BEAT + THRESHOLD + timedelta(microseconds=1)
    assert outage_gap(LAST_BEAT, now, THRESHOLD) == THRESHOLD + timedelta(microseconds=1)
    assert outage_gap(LAST_BEAT, LAST_BEAT + timedelta(seconds=20), THRESHOLD) == timedelta(
        seconds=20)


def test_a_deadline_open_when_the_outage_began_is_moved_by_the_gap():
    gap = timedelta(seconds=20)
    later = LAST_BEAT + timedelta(minutes=30)
    assert credited_deadline(later, LAST_BEAT, gap) == later + gap
    # Even one that passed during the outage: the candidate lost those seconds to us.
    during = LAST_BEAT + timedelta(seconds=5)
    assert credited_deadline(during, LAST_BEAT, gap) == during + gap


def test_a_deadline_already_past_when_the_outage_began_is_left_alone():
    gap = timedelta(seconds=20)
    before = LAST_BEAT - timedelta(seconds=1)
    assert credited_deadline(before, LAST_BEAT, gap) == before
    assert credited_deadline(LAST_BEAT, LAST_BEAT, gap) == LAST_BEAT


def test_the_credit_gives_back_exactly_the_time_that_was_left():
    gap = timedelta(minutes=3)
    deadline = LAST_BEAT + timedelta(minutes=10)
    back_at = LAST_BEAT + gap
    assert credited_deadline(deadline, LAST_BEAT, gap) - back_at == deadline - LAST_BEAT


def test_an_attempt_started_after_the_outage_began_gets_nothing_back():
    gap = timedelta(seconds=20)
    started = LAST_BEAT + timedelta(seconds=21)  # answered by the restarted service
    deadline = started + timedelta(minutes=60)
    assert credited_deadline(deadline, LAST_BEAT, gap, started_at=started) == deadline
    # one started before the outage, with its deadline after it: the gap back
    assert credited_deadline(deadline, LAST_BEAT, gap,
                             started_at=LAST_BEAT - timedelta(minutes=1)) == deadline + gap


def test_an_attempt_started_between_the_last_beat_and_the_crash_gets_the_rest_back():
    """The service lives up to a beat after its last one: an attempt started then was open for
    all of the gap after its start."""
    gap = timedelta(seconds=20)
    started = LAST_BEAT + timedelta(milliseconds=400)
    deadline = started + timedelta(minutes=60)
    assert credited_deadline(deadline, LAST_BEAT, gap, started_at=started) == (
        deadline + gap - timedelta(milliseconds=400))
