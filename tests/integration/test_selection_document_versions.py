"""The re-review queries of selection on a real database (SQLite): the submitted documents
joined with the candidate's current ones, and the queue's reply message with the newer
version and the mark."""
from __future__ import annotations

import pytest

import selection_pb2 as pb
from services.selection.persistence.models import Base
from services.selection.persistence.unit_of_work import SelectionUnitOfWork
from services.selection.use_cases.activities import follow_activity
from services.selection.use_cases.intake import follow_profile_update, record_submitted_application
from services.selection.use_cases.reviews import decide_application, list_applications
from services.shared.contracts.candidate import DocumentSnapshot
from services.shared.contracts.identity import Identity
from services.shared.platform.database import unit_of_work
from services.shared.platform.proto import to_proto
from tests.service.selection.events import activity_event, application_submitted, profile_updated
from tests.support.builders import document_snapshots

ADMIN = Identity("admin-1", "admin_satker", "3528")
SUBMITTED = document_snapshots()
NEW_IJAZAH = DocumentSnapshot("ijazah", "f" * 64, 99, "application/pdf")


@pytest.fixture
def sessions(sqlite_sessions):
    sessions = sqlite_sessions(Base.metadata)
    run(sessions, follow_activity, activity_event())
    for number in (1, 2, 3):
        run(sessions, record_submitted_application, application_submitted(
            application_id=f"app-{number}", account_id=f"acc-{number}", documents=SUBMITTED))
    for account in ("acc-1", "acc-3"):
        run(sessions, follow_profile_update, profile_updated(
            account_id=account, data_version=2,
            documents=[*SUBMITTED[:2], NEW_IJAZAH]))
    run(sessions, decide_application, ADMIN, "app-3", "accepted", None)
    return sessions


def run(sessions, use_case, *args):
    with unit_of_work(sessions) as session:
        return use_case(SelectionUnitOfWork(session), *args)


def test_the_submitted_and_current_documents_are_read_together(sessions):
    with unit_of_work(sessions) as session:
        rows = SelectionUnitOfWork(session).applications.documents_of_activity("act-1", None)
        pending = SelectionUnitOfWork(session).applications.documents_of_activity(
            "act-1", ("pending",))
    assert [(s.application_id, s.administrative_status, s.documents, current[2].sha256)
            for s, current in rows] == [
        ("app-1", "pending", tuple(SUBMITTED), "f" * 64),
        ("app-2", "pending", tuple(SUBMITTED), "0" * 64),
        ("app-3", "accepted", tuple(SUBMITTED), "f" * 64)]
    assert [s.application_id for s, _ in pending] == ["app-1", "app-2"]


def test_the_queue_reply_carries_the_newer_version_and_the_mark(sessions):
    reply = to_proto(run(sessions, list_applications, ADMIN, "act-1", None, 1, 50),
                     pb.ApplicationReviewList)
    by_id = {review.id: review for review in reply.items}
    ijazah = by_id["app-1"].documents[2]
    assert (ijazah.kind, ijazah.sha256, ijazah.submitted) == ("ijazah", "0" * 64, True)
    assert ijazah.HasField("newer_version") and ijazah.newer_version.sha256 == "f" * 64
    assert not by_id["app-2"].documents[2].HasField("newer_version")
    assert by_id["app-3"].documents[2].newer_version.size == 99
    assert [(r.id, r.needs_rereview) for r in reply.items] == [
        ("app-1", True), ("app-2", False), ("app-3", False)]

    marked = to_proto(run(sessions, list_applications, ADMIN, "act-1", None, 1, 50, True),
                      pb.ApplicationReviewList)
    assert [r.id for r in marked.items] == ["app-1"] and marked.total == 1
