"""Test sessions of an activity: created one by one or as a national-style schedule on the
satker's clock; listed to its admin and to candidates with the seats booked."""
from __future__ import annotations

from datetime import date, datetime, time

from services.assessment.domain.errors import ActivityUnknown, InvalidSchedule
from services.assessment.domain.sessions import check_window, national_schedule
from services.assessment.use_cases.activities import activity_in_scope
from services.shared.contracts.calendar import satker_time_zone
from services.shared.contracts.identity import MITRA, Identity
from services.shared.platform.database import utcnow


def session_view(session) -> dict:
    """A session as admins and candidates see it (seats booked, no satker internals)."""
    return {"id": session.id, "activity_id": session.activity_id,
            "starts_at": session.starts_at, "ends_at": session.ends_at,
            "capacity": session.capacity, "booked": session.booked}


def create_session(uow, identity: Identity, activity_id: str, starts_at: datetime,
                   ends_at: datetime, capacity: int):
    activity = activity_in_scope(uow, identity, activity_id)
    now = utcnow()
    window = check_window(starts_at, ends_at, capacity, now)
    return session_view(uow.sessions.add(activity.activity_id, activity.satker_code,
                                         window.starts_at, window.ends_at, window.capacity,
                                         now))


def create_schedule(uow, identity: Identity, activity_id: str, first_day: date, days: int,
                    slots_per_day: int, first_slot_starts: str, slot_minutes: int,
                    capacity: int) -> dict:
    activity = activity_in_scope(uow, identity, activity_id)
    try:
        starts = time.fromisoformat(first_slot_starts)
    except ValueError:
        raise InvalidSchedule({"first_slot_starts": ["Use HH:MM, e.g. 07:00."]}) from None
    now = utcnow()
    windows = national_schedule(first_day, days, slots_per_day, starts, slot_minutes, capacity,
                                satker_time_zone(activity.satker_code), now)
    return {"items": [session_view(uow.sessions.add(
        activity.activity_id, activity.satker_code, window.starts_at, window.ends_at,
        window.capacity, now)) for window in windows]}


def list_sessions(uow, identity: Identity, activity_id: str) -> dict:
    """Candidates see the sessions of any activity assessment knows; admins of their own."""
    if identity.role in MITRA:
        if uow.activities.get(activity_id) is None:
            raise ActivityUnknown()
    else:
        activity_in_scope(uow, identity, activity_id)
    return {"items": [session_view(session)
                      for session in uow.sessions.of_activity(activity_id)]}
