"""Monitoring's rules: documentation status against a deadline (on time, late, missing) on
BPS' clock, semester ends in WIB, a per-lokus type documented when its last lokus is, plan
vs realisation, shares, internalisation by the second week of January."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from services.pembinaan.domain.errors import Invalid
from services.pembinaan.domain.monitoring import (
    PlanFigures,
    documentation_status,
    documented_at,
    internalisation_deadline,
    semester_end,
    share,
)

DEADLINE = date(2025, 3, 31)


@pytest.mark.parametrize("at, status", [
    (None, "missing"),
    (datetime(2025, 3, 1, tzinfo=UTC), "on_time"),
    # 31 March 16:59 UTC is 23:59 WIB: still the deadline's day
    (datetime(2025, 3, 31, 16, 59, tzinfo=UTC), "on_time"),
    # 31 March 17:00 UTC is 1 April 00:00 WIB: late
    (datetime(2025, 3, 31, 17, 0, tzinfo=UTC), "late"),
    (datetime(2025, 6, 1, tzinfo=UTC), "late"),
])
def test_documentation_status_against_the_deadline(at, status):
    assert documentation_status(at, DEADLINE) == {"status": status, "at": at}


def test_without_a_deadline_anything_recorded_is_on_time():
    at = datetime(2025, 12, 1, tzinfo=UTC)
    assert documentation_status(at, None)["status"] == "on_time"
    assert documentation_status(None, None)["status"] == "missing"


@pytest.mark.parametrize("year, semester, end_utc", [
    (2025, 1, datetime(2025, 6, 30, 17, tzinfo=UTC)),
    (2025, 2, datetime(2025, 12, 31, 17, tzinfo=UTC)),
])
def test_semester_ends_at_midnight_wib(year, semester, end_utc):
    assert semester_end(year, semester) == end_utc


@pytest.mark.parametrize("semester", [0, 3, -1])
def test_there_are_two_semesters(semester):
    with pytest.raises(Invalid):
        semester_end(2025, semester)


def test_a_per_lokus_type_is_documented_when_its_last_lokus_is():
    first = datetime(2025, 1, 5, tzinfo=UTC)
    assert documented_at(["a", "b"], {"a": first, "b": first + timedelta(days=3)}) == \
        first + timedelta(days=3)
    assert documented_at(["a", "b"], {"a": first}) is None
    assert documented_at([], {}) is None


@pytest.mark.parametrize("planned, realised, rate", [(0, 0, 0.0), (5, 3, 0.6), (3, 3, 1.0)])
def test_plan_vs_realisation(planned, realised, rate):
    assert PlanFigures(planned, realised).as_dict() == {
        "planned": planned, "realised": realised, "realisation_rate": rate}


def test_shares():
    assert share(1, 3) == 0.3333 and share(0, 0) == 0.0


def test_internalisation_by_the_second_week_of_january():
    deadline = internalisation_deadline(2025)
    assert deadline == date(2025, 1, 14)
    assert documentation_status(datetime(2025, 1, 14, 16, 59, tzinfo=UTC), deadline)[
        "status"] == "on_time"
    assert documentation_status(datetime(2025, 1, 15, 1, tzinfo=UTC), deadline)[
        "status"] == "late"
