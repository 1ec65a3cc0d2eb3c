"""Recruitment activities: an admin's own satker only, their rules, and the events that tell
other services of each version."""
from __future__ import annotations

from datetime import timedelta

import pytest

from services.registration.domain.errors import (
    ActivityUnknown,
    InvalidActivity,
    QuotaBelowApplications,
)
from services.registration.use_cases import activities, applications
from services.shared.contracts.errors import NotInScope
from services.shared.contracts.events import ACTIVITY_CHANGED, ACTIVITY_PUBLISHED, ActivityPayload
from services.shared.platform.database import utcnow
from tests.service.registration.steps import (
    ADMIN_3320,
    ADMIN_3528,
    SUPERADMIN,
    activity,
    complete_candidate,
)
from tests.support.builders import BANJAR_2025, PAMEKASAN_2024


def _events(uow, event_type: str) -> list[dict]:
    return [ActivityPayload().load(p) for p in uow.events.of_type(event_type)]


def test_create_publishes_version_1(uow):
    created = activity(uow, name="  Sensus Pertanian  ", quota=100)
    assert created["name"] == "Sensus Pertanian" and created["satker_code"] == "3528"
    assert created["satker_name"] == "BPS Kabupaten Pamekasan"
    assert created["is_open"] and created["application_count"] == 0
    assert created["quota"] == 100
    [published] = _events(uow, ACTIVITY_PUBLISHED)
    assert published == {
        "activity_id": created["id"], "satker_code": "3528", "name": "Sensus Pertanian",
        "year": 2026, "registration_opens_at": created["registration_opens_at"],
        "registration_closes_at": created["registration_closes_at"],
        "announcement_at": created["announcement_at"], "quota": 100,
        "requirements": created["requirements"], "version": 1}
    assert _events(uow, ACTIVITY_CHANGED) == []


def test_each_change_is_published_with_the_next_version(uow):
    created = activity(uow)
    closes = utcnow() + timedelta(days=5)
    changed = activities.update_activity(uow, ADMIN_3528, created["id"], name="Baru",
                                         registration_closes_at=closes, quota=3,
                                         requirements=BANJAR_2025)
    assert changed["name"] == "Baru" and changed["quota"] == 3
    assert changed["registration_closes_at"] == closes
    assert changed["requirements"]["extra_documents"] == ["cv", "phone_spec",
                                                          "application_letter"]
    activities.update_activity(uow, ADMIN_3528, created["id"], quota_unlimited=True)
    first, second = _events(uow, ACTIVITY_CHANGED)
    assert (first["version"], first["name"], first["quota"]) == (2, "Baru", 3)
    assert first["registration_closes_at"] == closes
    assert (second["version"], second["name"], second["quota"]) == (3, "Baru", None)
    assert second["requirements"] == changed["requirements"]  # unchanged when not sent


def test_an_admin_acts_for_its_own_satker_only(uow):
    with pytest.raises(NotInScope) as refused:
        activity(uow, ADMIN_3320, satker_code="3528")
    assert refused.value.detail == "You may create activities of your own satker only."
    created = activity(uow, ADMIN_3528)
    with pytest.raises(NotInScope) as refused:
        activities.update_activity(uow, ADMIN_3320, created["id"], name="Bukan milikmu")
    assert refused.value.detail == "You may change activities of your own satker only."
    assert activities.get_activity(uow, created["id"])["name"] == created["name"]
    assert len(uow.events) == 1
    # A superadmin acts for every satker.
    activities.update_activity(uow, SUPERADMIN, created["id"], name="Ganti")
    assert activity(uow, SUPERADMIN, satker_code="3320")["satker_code"] == "3320"


def test_an_invalid_activity_lists_every_problem(uow):
    now = utcnow()
    with pytest.raises(InvalidActivity) as invalid:
        activity(uow, name=" ", registration_closes_at=now - timedelta(days=2),
                 requirements={"age": {"min": 18}})
    assert set(invalid.value.errors) == {"name", "registration_closes_at",
                                         "requirements.age.max", "requirements.age.rule"}
    created = activity(uow)
    with pytest.raises(InvalidActivity) as invalid:
        activities.update_activity(uow, ADMIN_3528, created["id"], quota=0)
    assert set(invalid.value.errors) == {"quota"}
    assert len(uow.events) == 1


def test_the_quota_cannot_go_below_the_applications(uow, storage):
    created = activity(uow, quota=5)
    for n in range(2):
        applications.submit_application(
            uow, complete_candidate(uow, storage, f"c{n}@example.com"), created["id"])
    with pytest.raises(QuotaBelowApplications) as refused:
        activities.update_activity(uow, ADMIN_3528, created["id"], quota=1)
    assert refused.value.detail == ("2 candidates have already applied; the quota cannot be "
                                    "lower.")
    assert activities.get_activity(uow, created["id"])["quota"] == 5
    assert activities.update_activity(uow, ADMIN_3528, created["id"], quota=2)["quota"] == 2
    assert not activities.get_activity(uow, created["id"])["is_open"]  # full


def test_unknown_activity(uow):
    with pytest.raises(ActivityUnknown):
        activities.get_activity(uow, "nope")
    with pytest.raises(ActivityUnknown):
        activities.update_activity(uow, SUPERADMIN, "nope", name="x")


def test_list_by_satker_and_open(uow):
    now = utcnow()
    open_here = activity(uow)
    closed_here = activity(uow, registration_opens_at=now - timedelta(days=10),
                           registration_closes_at=now - timedelta(days=1))
    open_there = activity(uow, ADMIN_3320, requirements=PAMEKASAN_2024)
    everything = activities.list_activities(uow, None, False, 1, 50)
    assert everything["total"] == 3
    assert {a["id"] for a in everything["items"]} == {open_here["id"], closed_here["id"],
                                                      open_there["id"]}
    here = activities.list_activities(uow, "3528", True, 1, 50)
    assert [a["id"] for a in here["items"]] == [open_here["id"]] and here["total"] == 1
    second_page = activities.list_activities(uow, None, False, 2, 2)
    assert len(second_page["items"]) == 1 and second_page["total"] == 3
