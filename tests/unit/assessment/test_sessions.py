"""Test sessions: which window an admin may create, and the national-style schedule helper
(days x fixed slots on the satker's clock)."""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from services.assessment.domain.errors import InvalidSchedule
from services.assessment.domain.sessions import (
    MAX_CAPACITY,
    SessionWindow,
    check_window,
    national_schedule,
)
from services.shared.contracts.calendar import WIB, WITA

NOW = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)
FIRST_DAY = date(2026, 12, 1)


def refused(call, *args, **kwargs) -> dict:
    with pytest.raises(InvalidSchedule) as caught:
        call(*args, **kwargs)
    return caught.value.errors


# One session


def test_a_future_session_is_accepted_as_given():
    starts = NOW + timedelta(days=1)
    assert check_window(starts, starts + timedelta(hours=2), 50, NOW) == SessionWindow(
        starts, starts + timedelta(hours=2), 50)


def test_a_session_running_now_may_be_created():
    starts = NOW - timedelta(minutes=30)
    window = check_window(starts, NOW + timedelta(minutes=90), 50, NOW)
    assert window.starts_at == starts


def test_a_session_that_has_ended_may_not():
    assert refused(check_window, NOW - timedelta(hours=2), NOW, 50, NOW) == {
        "ends_at": ["This session would have ended already."]}
    assert "ends_at" in refused(check_window, NOW - timedelta(hours=3),
                                NOW - timedelta(hours=1), 50, NOW)


def test_a_session_ends_after_it_starts_and_within_a_day():
    starts = NOW + timedelta(hours=1)
    assert refused(check_window, starts, starts, 50, NOW) == {
        "ends_at": ["Must be after starts_at."]}
    assert refused(check_window, starts, starts - timedelta(minutes=1), 50, NOW) == {
        "ends_at": ["Must be after starts_at."]}
    assert refused(check_window, starts, starts + timedelta(days=1, seconds=1), 50, NOW) == {
        "ends_at": ["A session lasts at most one day."]}
    check_window(starts, starts + timedelta(days=1), 50, NOW)


@pytest.mark.parametrize("capacity", [1, MAX_CAPACITY])
def test_capacity_at_its_bounds_is_accepted(capacity):
    starts = NOW + timedelta(hours=1)
    assert check_window(starts, starts + timedelta(hours=2), capacity, NOW).capacity == capacity


@pytest.mark.parametrize("capacity", [0, -1, MAX_CAPACITY + 1])
def test_capacity_outside_its_bounds_is_refused(capacity):
    starts = NOW + timedelta(hours=1)
    assert refused(check_window, starts, starts + timedelta(hours=2), capacity, NOW) == {
        "capacity": [f"Between 1 and {MAX_CAPACITY}."]}


def test_every_problem_is_reported_at_once():
    assert set(refused(check_window, NOW, NOW, 0, NOW)) == {"ends_at", "capacity"}


# The national schedule


def schedule(**changes) -> list[SessionWindow]:
    asked = {"first_day": FIRST_DAY, "days": 7, "slots_per_day": 5,
             "first_slot_starts": time(7, 0), "slot_minutes": 120, "capacity": 40,
             "zone": WIB, "now": NOW}
    asked.update(changes)
    return national_schedule(**asked)


def test_seven_days_of_five_two_hour_slots_from_seven_wib():
    windows = schedule()
    assert len(windows) == 35
    assert windows[0] == SessionWindow(datetime(2026, 12, 1, 7, 0, tzinfo=WIB),
                                       datetime(2026, 12, 1, 9, 0, tzinfo=WIB), 40)
    assert windows[0].starts_at == datetime(2026, 12, 1, 0, 0, tzinfo=UTC)
    assert (windows[-1].starts_at, windows[-1].ends_at) == (
        datetime(2026, 12, 7, 15, 0, tzinfo=WIB), datetime(2026, 12, 7, 17, 0, tzinfo=WIB))
    # Back to back within a day, the same capacity each.
    day_one = windows[:5]
    assert all(earlier.ends_at == later.starts_at
               for earlier, later in zip(day_one, day_one[1:], strict=False))
    assert {window.capacity for window in windows} == {40}
    assert {window.ends_at - window.starts_at for window in windows} == {timedelta(hours=2)}


def test_a_wita_satker_s_slots_are_on_its_own_clock():
    windows = schedule(zone=WITA)
    assert windows[0].starts_at == datetime(2026, 11, 30, 23, 0, tzinfo=UTC)
    assert windows[0].starts_at.astimezone(WITA).time() == time(7, 0)
    assert windows[0].starts_at == schedule()[0].starts_at - timedelta(hours=1)


def test_the_slots_of_a_day_must_end_by_midnight():
    assert refused(schedule, first_slot_starts=time(20, 0), slots_per_day=3) == {
        "slots_per_day": ["The day's slots must end by midnight."]}
    windows = schedule(first_slot_starts=time(16, 0), slots_per_day=4)  # ends at 24:00
    assert windows[3].ends_at == datetime(2026, 12, 2, 0, 0, tzinfo=WIB)


def test_slots_already_over_are_left_out_and_a_running_one_is_kept():
    now = datetime(2026, 12, 1, 10, 30, tzinfo=WIB)  # the 07:00 slot is over, 09:00 runs
    windows = schedule(now=now)
    assert len(windows) == 34
    assert windows[0].starts_at == datetime(2026, 12, 1, 9, 0, tzinfo=WIB)


def test_a_schedule_entirely_over_is_refused():
    assert refused(schedule, now=datetime(2026, 12, 8, tzinfo=WIB)) == {
        "first_day": ["Every slot of this schedule is over already."]}


@pytest.mark.parametrize(("field", "value"), [
    ("days", 0), ("days", 61), ("slots_per_day", 0), ("slots_per_day", 25),
    ("slot_minutes", 14), ("slot_minutes", 24 * 60 + 1), ("capacity", 0),
    ("capacity", MAX_CAPACITY + 1),
])
def test_each_number_has_its_bounds(field, value):
    assert field in refused(schedule, **{field: value, "first_slot_starts": time(0, 0)})


def test_at_most_five_hundred_sessions_at_once():
    assert refused(schedule, days=60, slots_per_day=24, slot_minutes=60,
                   first_slot_starts=time(0, 0)) == {
        "days": ["At most 500 sessions at once."]}
