"""Selection's read model of activities, and the satker scope it decides by itself."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.selection.domain.errors import ActivityUnknown
from services.selection.domain.model import Activity
from services.selection.use_cases.activities import follow_activity
from services.selection.use_cases.export import export_applications
from services.selection.use_cases.intake import record_submitted_application
from services.selection.use_cases.reviews import list_applications
from services.shared.contracts.errors import NotInScope
from services.shared.contracts.identity import Identity
from services.shared.platform.problems import status_of
from tests.service.selection.events import activity_event, application_submitted

PAMEKASAN = Identity("admin-1", "admin_satker", "3528")
JEPARA = Identity("admin-2", "admin_satker", "3320")
SUPERADMIN = Identity("root", "superadmin")


def test_an_activity_is_kept_as_published(uow):
    follow_activity(uow, activity_event(version=1))
    assert uow.activities.get("act-1") == Activity(
        "act-1", "3528", "Rekrutmen Mitra BPS 2027-Pendaftaran", 2026, 1,
        announcement_at=datetime(2026, 12, 14, tzinfo=UTC))


def test_an_announcement_made_stays_made_whatever_a_later_change_says(uow):
    follow_activity(uow, activity_event(version=1))
    uow.activities.mark_announced("act-1", datetime(2026, 12, 14, tzinfo=UTC))
    later = datetime(2026, 12, 20, tzinfo=UTC)
    follow_activity(uow, activity_event(version=2, announcement_at=later))
    held = uow.activities.get("act-1")
    assert (held.announcement_at, held.announced_at) == (later, datetime(2026, 12, 14,
                                                                         tzinfo=UTC))


def test_activity_events_keep_the_newest_version(uow):
    follow_activity(uow, activity_event(version=1))
    follow_activity(uow, activity_event(version=3, name="Nama baru"))
    follow_activity(uow, activity_event(version=2, name="Nama lama"))  # overtaken on its way
    follow_activity(uow, activity_event(version=1))  # a redelivered publication
    assert uow.activities.get("act-1").name == "Nama baru"
    assert uow.activities.get("act-1").version == 3


def test_a_change_arriving_before_the_publication_wins(uow):
    follow_activity(uow, activity_event(version=2, name="Nama baru"))
    follow_activity(uow, activity_event(version=1))
    assert (uow.activities.get("act-1").name, uow.activities.get("act-1").version) == (
        "Nama baru", 2)


@pytest.mark.parametrize("use_case", [
    lambda uow, who: list_applications(uow, who, "act-1", None, 1, 50),
    lambda uow, who: export_applications(uow, who, "act-1", "csv"),
])
def test_an_unknown_activity_is_404(uow, use_case):
    with pytest.raises(ActivityUnknown) as caught:
        use_case(uow, PAMEKASAN)
    assert status_of(caught.value).http == 404
    assert caught.value.detail == "No activity has this id."


@pytest.mark.parametrize("use_case", [
    lambda uow, who: list_applications(uow, who, "act-1", None, 1, 50),
    lambda uow, who: export_applications(uow, who, "act-1", "csv"),
])
def test_another_satkers_activity_is_403_even_with_no_applications(uow, use_case):
    follow_activity(uow, activity_event(satker_code="3528"))
    with pytest.raises(NotInScope) as caught:
        use_case(uow, JEPARA)
    assert status_of(caught.value).http == 403
    assert use_case(uow, PAMEKASAN) and use_case(uow, SUPERADMIN)


def test_scope_follows_the_activity_not_its_applications(uow):
    follow_activity(uow, activity_event(satker_code="3320"))
    # An application carrying another satker (it cannot happen; the activity decides).
    record_submitted_application(uow, application_submitted(satker_code="3528"))
    with pytest.raises(NotInScope):
        list_applications(uow, PAMEKASAN, "act-1", None, 1, 50)
    assert list_applications(uow, JEPARA, "act-1", None, 1, 50)["total"] == 1
