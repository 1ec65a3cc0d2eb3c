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
    """An attempt open when the outage began (started before it, deadline not yet passed)
    gets the gap back; one started after it (a start answered by the restarted service
    before its first timekeeping run) lost nothing."""
    if started_at is not None and started_at > gap_started_at:
        return deadline
    return deadline + gap if deadline > gap_started_at else deadline
