"""The service's own clock work, run every few seconds by one replica at a time (the
timekeeper's turn: a database lock, not an in-process flag):

1. heartbeat, and outage credit: after a gap with no heartbeat, every attempt open during it
   gets the gap back on its deadline, before anything is closed;
2. attempts still open at their deadline are closed with the answers saved (attempt_completed);
3. the no-shows of each session that has ended are reported (test_missed): booked, never
   started. Each batch is bounded, so the transaction stays short; the next run goes on.

1 (``beat``) is the attempt server's: the process candidates answer through
(services/assessment/attempt_server.py), so that a gap in the heartbeat is a gap candidates
lived through. 2-3 (``close_and_report``) are the nameko service's timer. Each takes the turn
in a transaction of its own: a failure in closing never stops the heartbeat, and while the
heartbeat is stale (the attempt server is down) nothing is closed: the credit comes first
when it is back.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from services.assessment.domain.attempts import BY_DEADLINE, CLOSED
from services.assessment.domain.clock import credited_deadline, outage_gap
from services.assessment.use_cases.attempts import finish_attempt
from services.shared.contracts.events import TEST_MISSED


@dataclass(frozen=True)
class TimekeepingRun:
    outage: timedelta | None
    credited: int
    closed: int
    missed: int


def beat(uow, now: datetime, outage_threshold: timedelta) -> tuple[timedelta | None, int] | None:
    """The heartbeat, and the outage credit it finds due: (gap, attempts credited), or None
    when another replica beats now. Its own transaction and turn (the attempt server's), so
    that nothing closing does can stop the heartbeat (a stopped heartbeat would later read as
    an outage)."""
    if not uow.take_heartbeat_turn():
        return None
    last_beat = uow.clock.last_beat()
    gap = outage_gap(last_beat, now, outage_threshold)
    moved = {}
    if gap is not None:
        for attempt_id, (started_at, deadline) in uow.attempts.open_deadlines().items():
            if (credited_to := credited_deadline(deadline, last_beat, gap,
                                                 started_at)) != deadline:
                moved[attempt_id] = credited_to
        uow.attempts.move_deadlines(moved)
    uow.clock.beat(now)
    return gap, len(moved)


def close_and_report(uow, now: datetime, outage_threshold: timedelta,
                     batch: int = 200) -> tuple[int, int] | None:
    """Attempts due closed with their saved answers, and the no-shows of ended sessions
    reported: (closed, missed), or None when another replica keeps time now. Nothing while
    the heartbeat is older than ``outage_threshold``: candidates cannot answer now, and the
    deadlines are about to move by the outage."""
    if not uow.take_timekeeper_turn():
        return None
    if outage_gap(uow.clock.last_beat(), now, outage_threshold) is not None:
        return 0, 0
    closed = 0
    for attempt_id in uow.attempts.due(now, batch):
        attempt = uow.attempts.get(attempt_id, for_update=True)
        closed += finish_attempt(uow, attempt, CLOSED, BY_DEADLINE, now)
    missed = 0
    for session in uow.sessions.ended_unreported(now, max(1, batch // 50)):
        for booking in uow.bookings.without_attempt(session.id):
            uow.events.record(TEST_MISSED, {
                "application_id": booking.application_id, "activity_id": session.activity_id,
                "satker_code": session.satker_code, "account_id": booking.account_id,
                "session_id": session.id, "session_ended_at": session.ends_at})
            missed += 1
        uow.sessions.mark_no_shows_reported(session.id, now)
    return closed, missed


def keep_time(uow, now: datetime, outage_threshold: timedelta,
              batch: int = 200) -> TimekeepingRun | None:
    """One run in one unit of work (the service runs its two halves in two transactions);
    None when another replica keeps time now."""
    beaten = beat(uow, now, outage_threshold)
    if beaten is None:
        return None
    closed, missed = close_and_report(uow, now, outage_threshold, batch)
    return TimekeepingRun(beaten[0], beaten[1], closed, missed)
