"""The administrative review: the queue, decisions (audit trail, event, e-mail), and the
candidate's statuses."""
from __future__ import annotations

import pytest

from services.selection.domain.errors import (
    ApplicationUnknown,
    ReasonRequired,
    UnknownDecision,
    UnknownStatusFilter,
)
from services.selection.use_cases.activities import follow_activity
from services.selection.use_cases.intake import record_submitted_application
from services.selection.use_cases.reviews import (
    decide_application,
    list_applications,
    list_decisions,
    my_statuses,
)
from services.shared.contracts.events import ADMINISTRATIVE_DECIDED
from services.shared.contracts.identity import Identity
from services.shared.platform.problems import status_of
from tests.service.selection.events import activity_event, application_submitted

ADMIN = Identity("admin-1", "admin_satker", "3528")
JEPARA = Identity("admin-2", "admin_satker", "3320")
CANDIDATE = Identity("acc-1", "mitra")
REASON = "Berstatus ASN"


@pytest.fixture
def applied(uow):
    follow_activity(uow, activity_event())
    record_submitted_application(uow, application_submitted())
    return uow


def test_an_accepted_decision_is_recorded_announced_and_mailed(applied):
    review = decide_application(applied, ADMIN, "app-1", "accepted", None)
    assert review["administrative"]["status"] == "accepted"
    assert review["administrative"]["decided_at"] is not None
    (event,) = applied.events.of_type(ADMINISTRATIVE_DECIDED)
    assert event["application_id"] == "app-1" and event["satker_code"] == "3528"
    assert (event["from_status"], event["status"], event["decided_by"]) == (
        "pending", "accepted", "admin-1")
    (mail,) = applied.mail
    assert mail["recipient"] == "siti@example.com" and "Diterima" in mail["subject"]
    assert "3528-2026-app-1" in mail["body"]
    assert applied.applications.get("app-1").administrative_status == "accepted"


@pytest.mark.parametrize("decision", ["rejected", "needs_confirmation"])
@pytest.mark.parametrize("reason", [None, "  "])
def test_a_reason_is_required_unless_accepted(applied, decision, reason):
    with pytest.raises(ReasonRequired) as caught:
        decide_application(applied, ADMIN, "app-1", decision, reason)
    assert status_of(caught.value).http == 422 and "reason" in caught.value.errors
    assert applied.applications.get("app-1").administrative_status == "pending"
    assert applied.events == [] and applied.mail == [] and applied.decisions.entries == []


def test_an_unknown_decision_is_refused(applied):
    with pytest.raises(UnknownDecision):
        decide_application(applied, ADMIN, "app-1", "maybe", None)


def test_a_repeated_decision_changes_nothing_and_mails_no_one(applied):
    first = decide_application(applied, ADMIN, "app-1", "rejected", REASON)
    again = decide_application(applied, ADMIN, "app-1", "rejected", f" {REASON} ")
    assert again == first
    assert len(applied.events) == 1 and len(applied.mail) == 1
    assert len(list_decisions(applied, ADMIN, "app-1")["items"]) == 1


def test_the_audit_trail_keeps_every_change(applied):
    decide_application(applied, ADMIN, "app-1", "rejected", REASON)
    decide_application(applied, Identity("root", "superadmin"), "app-1", "accepted",
                       "Ijazah asli sudah ditunjukkan")
    trail = list_decisions(applied, ADMIN, "app-1")["items"]
    assert [(d["from_status"], d["to_status"], d["reason"], d["decided_by"],
             d["decided_by_role"]) for d in trail] == [
        ("pending", "rejected", REASON, "admin-1", "admin_satker"),
        ("rejected", "accepted", "Ijazah asli sudah ditunjukkan", "root", "superadmin")]
    assert trail[0]["decided_at"] <= trail[1]["decided_at"]
    assert [m["subject"].split(":")[1].split(" - ")[0].strip() for m in applied.mail] == [
        "Tidak diterima", "Diterima"]


@pytest.mark.parametrize("use_case", [
    lambda uow, who, application_id: decide_application(uow, who, application_id,
                                                         "accepted", None),
    lambda uow, who, application_id: list_decisions(uow, who, application_id),
])
def test_another_satkers_application_is_as_unknown_as_a_missing_one(applied, use_case):
    for who, application_id in ((JEPARA, "app-1"), (ADMIN, "no-such-id")):
        with pytest.raises(ApplicationUnknown) as caught:
            use_case(applied, who, application_id)
        assert status_of(caught.value).http == 404
    assert applied.events == [] and applied.applications.get("app-1").administrative_status \
        == "pending"


def test_the_queue_pages_and_filters(applied):
    for number in range(2, 5):
        record_submitted_application(applied, application_submitted(
            application_id=f"app-{number}", account_id=f"acc-{number}"))
    decide_application(applied, ADMIN, "app-2", "accepted", None)
    queue = list_applications(applied, ADMIN, "act-1", None, 1, 3)
    assert queue["total"] == 4
    assert [r["id"] for r in queue["items"]] == ["app-1", "app-2", "app-3"]
    assert [r["id"] for r in list_applications(applied, ADMIN, "act-1", None, 2, 3)[
        "items"]] == ["app-4"]
    pending = list_applications(applied, ADMIN, "act-1", "pending", 1, 50)
    assert pending["total"] == 3 and "app-2" not in [r["id"] for r in pending["items"]]
    with pytest.raises(UnknownStatusFilter):
        list_applications(applied, ADMIN, "act-1", "withdrawn", 1, 50)


def test_a_review_shows_the_snapshot_and_the_checks(applied):
    (review,) = list_applications(applied, ADMIN, "act-1", None, 1, 50)["items"]
    assert review["profile"].full_name == "Siti Aminah"
    assert [d.kind for d in review["documents"]] == ["photo", "ktp", "ijazah"]
    assert review["checks"].preferred_score == 6
    assert review["administrative"] == {"status": "pending", "reason": None,
                                        "decided_at": None}


def test_my_statuses_answer_pending_for_an_application_not_received_yet(applied):
    decide_application(applied, ADMIN, "app-1", "rejected", REASON)
    record_submitted_application(applied, application_submitted(
        application_id="app-9", account_id="someone-else"))
    items = my_statuses(applied, CANDIDATE, ["app-1", "app-new", "app-9"])["items"]
    assert [(s.application_id, s.status, s.reason) for s in items] == [
        ("app-1", "rejected", REASON),
        ("app-new", "pending", None),  # its event is still on its way
        ("app-9", "pending", None)]  # someone else's: nothing is told about it
    assert my_statuses(applied, CANDIDATE, [])["items"] == []
