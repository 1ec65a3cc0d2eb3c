"""The queue shows the documents an application was submitted with, the candidate's newer
versions beside them, and marks the undecided applications for re-review (issue 11,
finding 3): registration's events in, the admin's queue out."""
from __future__ import annotations

import pytest

from services.selection.domain.document_versions import NewerVersion
from services.selection.use_cases.activities import follow_activity
from services.selection.use_cases.intake import follow_profile_update, record_submitted_application
from services.selection.use_cases.reviews import decide_application, list_applications
from services.shared.contracts.candidate import DocumentSnapshot
from services.shared.contracts.identity import Identity
from tests.service.selection.events import activity_event, application_submitted, profile_updated
from tests.support.builders import document_snapshots

ADMIN = Identity("admin-1", "admin_satker", "3528")
SUBMITTED = document_snapshots()  # photo, ktp, ijazah: all "0" * 64
NEW_IJAZAH = DocumentSnapshot("ijazah", "f" * 64, 99, "application/pdf")
CV = DocumentSnapshot("cv", "c" * 64, 50, "application/pdf")


def replaced_ijazah(extra=()):
    return [d for d in SUBMITTED if d.kind != "ijazah"] + [NEW_IJAZAH, *extra]


@pytest.fixture
def applied(uow):
    follow_activity(uow, activity_event())
    for number in (1, 2, 3):
        record_submitted_application(uow, application_submitted(
            application_id=f"app-{number}", account_id=f"acc-{number}", documents=SUBMITTED))
    return uow


def queue(uow, **filters) -> dict:
    return {r["id"]: r for r in list_applications(uow, ADMIN, "act-1", filters.get("status"),
                                                  1, 50, filters.get("rereview"))["items"]}


def ijazah_of(review):
    return next(d for d in review["documents"] if d.kind == "ijazah")


def test_nothing_uploaded_since_nothing_marked(applied):
    for review in queue(applied).values():
        assert review["needs_rereview"] is False
        assert [(d.kind, d.submitted, d.newer_version) for d in review["documents"]] == [
            ("photo", True, None), ("ktp", True, None), ("ijazah", True, None)]


def test_a_pending_application_keeps_its_documents_and_shows_the_newer_version(applied):
    follow_profile_update(applied, profile_updated(account_id="acc-1", data_version=2,
                                                   documents=replaced_ijazah()))
    assert applied.applications.get("app-1").documents == tuple(SUBMITTED)  # as submitted
    review = queue(applied)["app-1"]
    assert ijazah_of(review).sha256 == "0" * 64  # what the download serves
    assert ijazah_of(review).newer_version == NewerVersion("f" * 64, 99, "application/pdf")
    assert review["needs_rereview"] is True
    assert queue(applied)["app-2"]["needs_rereview"] is False  # another candidate's


def test_a_decided_application_shows_the_newer_version_but_is_not_reopened(applied):
    decide_application(applied, ADMIN, "app-1", "accepted", None)
    follow_profile_update(applied, profile_updated(account_id="acc-1", data_version=2,
                                                   documents=replaced_ijazah()))
    application = applied.applications.get("app-1")
    assert application.administrative_status == "accepted"
    review = queue(applied)["app-1"]
    assert ijazah_of(review).newer_version.sha256 == "f" * 64
    assert review["needs_rereview"] is False


def test_a_needs_confirmation_answered_with_a_new_document_is_marked(applied):
    decide_application(applied, ADMIN, "app-1", "needs_confirmation", "Ijazah buram")
    follow_profile_update(applied, profile_updated(account_id="acc-1", data_version=2,
                                                   documents=replaced_ijazah()))
    review = queue(applied)["app-1"]
    assert review["administrative"]["status"] == "pending"  # sent back, as before
    assert review["needs_rereview"] is True


def test_a_kind_uploaded_after_submitting_is_listed_and_marks_the_review(applied):
    follow_profile_update(applied, profile_updated(account_id="acc-2", data_version=2,
                                                   documents=[*SUBMITTED, CV]))
    review = queue(applied)["app-2"]
    assert [(d.kind, d.submitted) for d in review["documents"]] == [
        ("photo", True), ("ktp", True), ("ijazah", True), ("cv", False)]
    assert review["needs_rereview"] is True


def test_a_decision_answers_with_the_newer_version_and_clears_the_mark(applied):
    follow_profile_update(applied, profile_updated(account_id="acc-1", data_version=2,
                                                   documents=replaced_ijazah()))
    decided = decide_application(applied, ADMIN, "app-1", "rejected", "Ijazah tidak sesuai")
    assert ijazah_of(decided).newer_version.sha256 == "f" * 64
    assert decided["needs_rereview"] is False


def test_a_newer_snapshot_overtaken_by_the_application_keeps_the_submitted_documents(uow):
    """A document change reaches selection before the application it came after: the review
    takes the newer profile, but the documents stay the submitted ones (the newer shown)."""
    follow_activity(uow, activity_event())
    follow_profile_update(uow, profile_updated(data_version=3, documents=replaced_ijazah()))
    record_submitted_application(uow, application_submitted(data_version=2,
                                                            documents=SUBMITTED))
    assert uow.applications.get("app-1").documents == tuple(SUBMITTED)
    review = queue(uow)["app-1"]
    assert ijazah_of(review).newer_version.sha256 == "f" * 64
    assert review["needs_rereview"] is True


def test_the_queue_filters_on_the_mark(applied):
    follow_profile_update(applied, profile_updated(account_id="acc-1", data_version=2,
                                                   documents=replaced_ijazah()))
    follow_profile_update(applied, profile_updated(account_id="acc-3", data_version=2,
                                                   documents=replaced_ijazah()))
    decide_application(applied, ADMIN, "app-3", "accepted", None)  # shown, not marked
    marked = list_applications(applied, ADMIN, "act-1", None, 1, 50, True)
    assert [r["id"] for r in marked["items"]] == ["app-1"] and marked["total"] == 1
    unmarked = list_applications(applied, ADMIN, "act-1", None, 1, 50, False)
    assert [r["id"] for r in unmarked["items"]] == ["app-2", "app-3"]
    assert unmarked["total"] == 2
    # with a status, and paged
    assert list_applications(applied, ADMIN, "act-1", "accepted", 1, 50, True)["total"] == 0
    assert [r["id"] for r in list_applications(
        applied, ADMIN, "act-1", "pending", 1, 50, True)["items"]] == ["app-1"]
    second = list_applications(applied, ADMIN, "act-1", None, 2, 1, False)
    assert [r["id"] for r in second["items"]] == ["app-3"] and second["total"] == 2
    assert list_applications(applied, ADMIN, "act-1", None, 3, 1, False)["items"] == []
