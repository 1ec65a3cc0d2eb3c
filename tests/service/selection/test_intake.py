"""The event side: applications arriving with their snapshot, and the candidate's data
changing under the open reviews, whatever order registration's events arrive in."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from services.selection.domain.eligibility import Checks
from services.selection.use_cases.intake import follow_profile_update, record_submitted_application
from services.selection.use_cases.reviews import decide_application
from services.shared.contracts.events import ADMINISTRATIVE_DECIDED
from services.shared.contracts.identity import Identity
from tests.service.selection.events import SUBMITTED_AT, application_submitted, profile_updated
from tests.support.builders import document_snapshots, profile_snapshot

ADMIN = Identity("admin-1", "admin_satker", "3528")
ALL_PREFERRED = ("age", "education", "domicile", "bps_experience", "devices", "motorbike")


def test_an_application_enters_the_queue_pending_with_age_and_checks(uow):
    profile = profile_snapshot()
    record_submitted_application(uow, application_submitted(profile=profile))
    application = uow.applications.get("app-1")
    assert application.administrative_status == "pending"
    assert application.age == 31  # born 14 March 1995, registered 7 November 2026
    assert application.checks == Checks((), ALL_PREFERRED, 6, 6)
    assert application.profile == profile
    assert application.submitted_at == SUBMITTED_AT and application.data_version == 1
    assert uow.events == [] and uow.mail == []  # nothing decided, nobody told


def test_the_checks_flag_what_the_admin_should_look_at(uow):
    record_submitted_application(uow, application_submitted(
        profile=profile_snapshot(is_asn=True, domicile_regency_code="3527"),
        documents=document_snapshots(("photo", "ktp"))))
    checks = uow.applications.get("app-1").checks
    assert checks.mandatory_failures == ("not_asn", "document:ijazah")
    assert "domicile" not in checks.preferred_met and checks.preferred_score == 5


def _asked_to_confirm(uow):
    record_submitted_application(uow, application_submitted(data_version=1))
    decide_application(uow, ADMIN, "app-1", "needs_confirmation", "Foto KTP buram")
    uow.events.clear()
    uow.mail.clear()


def test_a_profile_update_sends_needs_confirmation_back_to_pending(uow):
    _asked_to_confirm(uow)
    moved = profile_snapshot(address="Jl. Baru No. 7", domicile_regency_code="3527")
    follow_profile_update(uow, profile_updated(data_version=2, profile=moved))

    application = uow.applications.get("app-1")
    assert application.administrative_status == "pending"
    assert application.administrative_reason == "Profil diperbarui oleh calon mitra"
    assert application.profile == moved and application.data_version == 2
    assert "domicile" not in application.checks.preferred_met  # checked again
    (event,) = uow.events.of_type(ADMINISTRATIVE_DECIDED)
    assert (event["from_status"], event["status"], event["decided_by"]) == (
        "needs_confirmation", "pending", "acc-1")
    (mail,) = uow.mail
    assert mail["recipient"] == "siti@example.com"
    assert "Menunggu pemeriksaan" in mail["subject"]
    trail = uow.decisions.of_application("app-1")
    assert [(e.from_status, e.to_status, e.decided_by_role) for e in trail] == [
        ("pending", "needs_confirmation", "admin_satker"),
        ("needs_confirmation", "pending", "mitra")]


def test_a_change_made_before_the_admin_asked_but_delivered_after_leaves_the_request(uow):
    _asked_to_confirm(uow)
    asked_at = uow.applications.get("app-1").administrative_decided_at
    # Saved a minute before the admin asked; its event arrives only now.
    earlier = profile_snapshot(address="Jl. Lama No. 1")
    follow_profile_update(uow, profile_updated(
        data_version=2, profile=earlier, updated_at=asked_at - timedelta(minutes=1)))

    application = uow.applications.get("app-1")
    assert application.administrative_status == "needs_confirmation"
    assert application.administrative_reason == "Foto KTP buram"
    assert application.administrative_decided_at == asked_at
    assert application.profile == earlier and application.data_version == 2  # still followed
    assert uow.events == [] and uow.mail == []  # nobody told: nothing was decided
    assert [e.to_status for e in uow.decisions.of_application("app-1")] == [
        "needs_confirmation"]

    # The candidate's answer, saved after the request, sends it back to pending.
    follow_profile_update(uow, profile_updated(
        data_version=3, updated_at=asked_at + timedelta(minutes=1)))
    application = uow.applications.get("app-1")
    assert application.administrative_status == "pending" and application.data_version == 3
    (event,) = uow.events.of_type(ADMINISTRATIVE_DECIDED)
    assert (event["from_status"], event["status"]) == ("needs_confirmation", "pending")


def test_a_change_made_after_the_admin_asked_sends_it_back_to_pending(uow):
    _asked_to_confirm(uow)
    asked_at = uow.applications.get("app-1").administrative_decided_at
    follow_profile_update(uow, profile_updated(
        data_version=2, updated_at=asked_at + timedelta(seconds=1)))
    application = uow.applications.get("app-1")
    assert application.administrative_status == "pending"
    assert application.administrative_reason == "Profil diperbarui oleh calon mitra"
    assert len(uow.mail) == 1


def test_a_profile_update_refreshes_a_pending_review_without_telling_anyone(uow):
    record_submitted_application(uow, application_submitted(data_version=1))
    follow_profile_update(uow, profile_updated(
        data_version=2, profile=profile_snapshot(education="SMP")))
    application = uow.applications.get("app-1")
    assert application.administrative_status == "pending" and application.data_version == 2
    assert "education" not in application.checks.preferred_met
    assert uow.events == [] and uow.mail == [] and uow.decisions.entries == []


def test_a_decided_review_keeps_what_it_was_decided_on(uow):
    record_submitted_application(uow, application_submitted(data_version=1))
    decided = decide_application(uow, ADMIN, "app-1", "accepted", None)
    follow_profile_update(uow, profile_updated(
        data_version=2, profile=profile_snapshot(education="SMP")))
    application = uow.applications.get("app-1")
    assert application.administrative_status == "accepted" and application.data_version == 1
    assert application.profile == decided["profile"]
    assert uow.candidates.lock("acc-1").data_version == 2  # still remembered


def test_an_older_profile_change_arriving_late_changes_nothing(uow):
    _asked_to_confirm(uow)
    record = uow.applications.get("app-1")
    follow_profile_update(uow, profile_updated(
        data_version=0, profile=profile_snapshot(address="Alamat lama"),
        documents=document_snapshots(("photo",))))
    assert uow.applications.get("app-1") == record
    assert uow.events == [] and uow.mail == []
    assert uow.candidates.lock("acc-1").data_version == 1


def test_a_repeated_profile_change_is_applied_once(uow):
    _asked_to_confirm(uow)
    change = profile_updated(data_version=2)
    follow_profile_update(uow, change)
    follow_profile_update(uow, change)
    assert len(uow.events) == 1 and len(uow.mail) == 1


def test_a_newer_profile_change_arriving_before_the_application_is_not_lost(uow):
    newer = profile_snapshot(address="Alamat baru")
    follow_profile_update(uow, profile_updated(data_version=3, profile=newer))
    record_submitted_application(uow, application_submitted(
        data_version=2, documents=document_snapshots(("photo", "ktp"))))
    application = uow.applications.get("app-1")
    assert (application.data_version, application.profile) == (3, newer)
    assert application.checks.mandatory_failures == ()  # the newer documents are complete


def test_documents_before_any_profile_are_remembered_only(uow):
    follow_profile_update(uow, profile_updated(data_version=1, profile=None))
    held = uow.candidates.lock("acc-1")
    assert (held.data_version, held.profile) == (1, None)
    record_submitted_application(uow, application_submitted(data_version=2))
    assert uow.applications.get("app-1").data_version == 2


@pytest.mark.parametrize(("satker_code", "age"), [
    ("3528", 17),  # Pamekasan, WIB: 23:30 on the eve of the 18th birthday
    ("7371", 18),  # Makassar, WITA: 00:30 on the birthday
    ("9171", 18),  # Jayapura, WIT: 01:30 on the birthday
])
def test_the_age_is_taken_on_the_registration_date_of_the_satkers_clock(uow, satker_code, age):
    eve_in_wib = datetime(2026, 11, 6, 16, 30, tzinfo=UTC)
    record_submitted_application(uow, application_submitted(
        satker_code=satker_code, submitted_at=eve_in_wib,
        profile=profile_snapshot(birth_date=date(2008, 11, 7))))
    application = uow.applications.get("app-1")
    assert application.age == age
    assert ("age" in application.checks.preferred_met) == (age == 18)
