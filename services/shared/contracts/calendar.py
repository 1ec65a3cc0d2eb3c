"""BPS's calendar: dates that a rule counts (age at registration, a semester, a deadline) are
dates of the satker's clock. Today every satker counts in WIB, the clock of BPS
announcements."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

WIB = timezone(timedelta(hours=7), "WIB")


def local_date(moment: datetime) -> date:
    """The calendar date of an aware moment on the satker's clock."""
    return moment.astimezone(WIB).date()
