"""Test sessions: the window a candidate books, and the national-style schedule helper (days x
fixed slots on the satker's clock, e.g. 7 days x 5 two-hour slots from 07:00 WIB)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from services.assessment.domain.errors import InvalidSchedule

MAX_CAPACITY = 100_000
MAX_SESSIONS_PER_SCHEDULE = 500
MAX_SESSION_LENGTH = timedelta(days=1)


@dataclass(frozen=True)
class SessionWindow:
    starts_at: datetime
    ends_at: datetime
    capacity: int


def check_window(starts_at: datetime, ends_at: datetime, capacity: int,
                 now: datetime) -> SessionWindow:
    """A session an admin may create. Its start may be past (a session running now), its end
    may not: nobody could take it."""
    errors: dict[str, list[str]] = {}
    if ends_at <= starts_at:
        errors["ends_at"] = ["Must be after starts_at."]
    elif ends_at - starts_at > MAX_SESSION_LENGTH:
        errors["ends_at"] = ["A session lasts at most one day."]
    elif ends_at <= now:
        errors["ends_at"] = ["This session would have ended already."]
    if not 1 <= capacity <= MAX_CAPACITY:
        errors["capacity"] = [f"Between 1 and {MAX_CAPACITY}."]
    if errors:
        raise InvalidSchedule(errors)
    return SessionWindow(starts_at, ends_at, capacity)


def national_schedule(first_day: date, days: int, slots_per_day: int, first_slot_starts: time,
                      slot_minutes: int, capacity: int, zone: tzinfo,
                      now: datetime) -> list[SessionWindow]:
    """``days`` x ``slots_per_day`` back-to-back slots of ``slot_minutes`` from
    ``first_slot_starts`` on the satker's clock (``zone``); slots already over are left out."""
    errors: dict[str, list[str]] = {}
    if not 1 <= days <= 60:
        errors["days"] = ["Between 1 and 60."]
    if not 1 <= slots_per_day <= 24:
        errors["slots_per_day"] = ["Between 1 and 24."]
    if not 15 <= slot_minutes <= 24 * 60:
        errors["slot_minutes"] = ["Between 15 and 1440."]
    if not 1 <= capacity <= MAX_CAPACITY:
        errors["capacity"] = [f"Between 1 and {MAX_CAPACITY}."]
    if not errors:
        day_start = datetime.combine(date(2000, 1, 1), first_slot_starts)
        if day_start + timedelta(minutes=slot_minutes * slots_per_day) > \
                datetime.combine(date(2000, 1, 2), time(0)):
            errors["slots_per_day"] = ["The day's slots must end by midnight."]
        elif days * slots_per_day > MAX_SESSIONS_PER_SCHEDULE:
            errors["days"] = [f"At most {MAX_SESSIONS_PER_SCHEDULE} sessions at once."]
    if errors:
        raise InvalidSchedule(errors)
    windows = []
    for day in range(days):
        start = datetime.combine(first_day + timedelta(days=day), first_slot_starts, zone)
        for slot in range(slots_per_day):
            starts_at = start + timedelta(minutes=slot * slot_minutes)
            ends_at = starts_at + timedelta(minutes=slot_minutes)
            if ends_at > now:
                windows.append(SessionWindow(starts_at, ends_at, capacity))
    if not windows:
        raise InvalidSchedule({"first_day": ["Every slot of this schedule is over already."]})
    return windows
