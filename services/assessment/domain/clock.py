"""Outage credit: the service writes a heartbeat every few seconds; when it finds, on waking,
that the last heartbeat is older than a few beats, nobody was serving in between, and every
attempt open during that gap gets its deadline moved by the gap's length. A candidate never
loses minutes to our downtime."""
from __future__ import annotations

from datetime import datetime, timedelta


def outage_gap(last_beat: datetime | None, now: datetime,
               threshold: timedelta) -> timedelta | None:
    """The length of the outage that ended now, or None when the service was alive all along
    (or has never beaten before: nothing was open then)."""
    if last_beat is None:
        return None
    gap = now - last_beat
    return gap if gap > threshold else None


def credited_deadline(deadline: datetime, gap_started_at: datetime, gap: timedelta,
                      started_at: datetime | None = None) -> datetime:
    """An attempt whose deadline had not passed when the heartbeat stopped gets back the part
    of the gap it was open for: all of it when it started before the last beat; from its start
    when it started after it (the service may live up to a beat after its last one); nothing
    when it was started by the restarted service after the gap."""
    if deadline <= gap_started_at:
        return deadline
    lost_from = gap_started_at if started_at is None else max(gap_started_at, started_at)
    lost = gap_started_at + gap - lost_from
    return deadline + lost if lost > timedelta(0) else deadline
