"""Selection's read model on a real database (SQLite): the use cases through the SQL
repositories, the snapshot stored in its wire form and loaded back typed, and events arriving
out of order. Registration's events travel on different queues, so an older profile change can
arrive after the application snapshot that already contains a newer one: the data version
decides, not the arrival order."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

import selection_pb2 as pb
from services.selection.domain.model import Activity
from services.selection.persistence.models import ApplicationRecord, Base
from services.selection.persistence.unit_of_work import SelectionUnitOfWork
from services.selection.use_cases.activities import follow_activity
from services.selection.use_cases.intake import follow_profile_update, record_submitted_application
from services.selection.use_cases.reviews import (
    decide_application,
    list_applications,
    list_decisions,
    my_statuses,
)
from services.shared.contracts.identity import Identity
from services.shared.platform.database import unit_of_work
from services.shared.platform.proto import to_proto
from tests.service.selection.events import activity_event, application_submitted, profile_updated
from tests.support.builders import BANJAR_2025, document_snapshots, profile_snapshot

ALL_DOCUMENTS = ("photo", "ktp", "ijazah", "cv", "phone_spec", "application_letter")
BANJAR = Identity("admin-1", "admin_satker", "3279")


@pytest.fixture
def sessions(sqlite_sessions):
    return sqlite_sessions(Base.metadata)


def run(sessions, use_case, *args):
    with unit_of_work(sessions) as session:
        return use_case(SelectionUnitOfWork(session), *args)


def banjar_application(**changes):
    return application_submitted(satker_code="3279", requirements=BANJAR_2025,
                                 submitted_at=datetime(2026, 11, 7, 3, tzinfo=UTC), **changes)


def test_the_snapshot_is_stored_in_its_wire_form_and_read_back_typed(sessions):
    profile = profile_snapshot(domicile_regency_code="3279")
    run(sessions, record_submitted_application, banjar_application(
        profile=profile, documents=document_snapshots(ALL_DOCUMENTS)))
    with unit_of_work(sessions) as session:
        stored = session.execute(sa.select(ApplicationRecord.profile)).scalar_one()
        assert stored["birth_date"] == "1995-03-14"  # JSON in the column
        application = SelectionUnitOfWork(session).applications.get("app-1")
    assert application.profile == profile  # typed again, a real date in it
    assert application.documents == tuple(document_snapshots(ALL_DOCUMENTS))
    assert application.checks.mandatory_failures == ()


def test_an_older_profile_change_arriving_late_does_not_undo_a_newer_snapshot(sessions):
    profile = profile_snapshot(domicile_regency_code="3279")
    run(sessions, record_submitted_application, banjar_application(
        data_version=7, profile=profile, documents=document_snapshots(ALL_DOCUMENTS)))

    def late_change(version, documents):
        run(sessions, follow_profile_update, profile_updated(
            data_version=version, profile=profile_snapshot(address="Alamat lama"),
            documents=document_snapshots(documents)))
        with unit_of_work(sessions) as session:
            return SelectionUnitOfWork(session).applications.get("app-1")

    stale = late_change(6, ALL_DOCUMENTS[:5])  # before the last upload
    assert stale.checks.mandatory_failures == ()
    assert stale.profile == profile and stale.data_version == 7

    newer = late_change(8, ALL_DOCUMENTS[:5])  # a newer change is applied
    assert newer.data_version == 8
    assert newer.checks.mandatory_failures == ("document:application_letter",)
    assert newer.profile.address == "Alamat lama"


def test_a_newer_profile_change_arriving_before_the_application_is_not_lost(sessions):
    run(sessions, follow_profile_update, profile_updated(  # v8 overtakes the application's v7
        account_id="acc-2", data_version=8, profile=profile_snapshot(address="Alamat baru"),
        documents=document_snapshots(ALL_DOCUMENTS)))
    run(sessions, record_submitted_application, banjar_application(
        application_id="app-2", account_id="acc-2", data_version=7,
        documents=document_snapshots(ALL_DOCUMENTS[:5])))
    with unit_of_work(sessions) as session:
        application = SelectionUnitOfWork(session).applications.get("app-2")
    assert (application.data_version, application.profile.address) == (8, "Alamat baru")
    assert application.checks.mandatory_failures == ()


def test_activities_keep_the_newest_version(sessions):
    run(sessions, follow_activity, activity_event(version=2, name="Nama baru"))
    run(sessions, follow_activity, activity_event(version=1))
    with unit_of_work(sessions) as session:
        assert SelectionUnitOfWork(session).activities.get("act-1") == Activity(
            "act-1", "3528", "Nama baru", 2026, 2,
            announcement_at=datetime(2026, 12, 14, tzinfo=UTC))


def test_a_review_and_its_trail_through_sql_and_into_the_reply_messages(sessions):
    run(sessions, follow_activity, activity_event(satker_code="3279"))
    run(sessions, record_submitted_application, banjar_application(
        profile=profile_snapshot(domicile_regency_code="3279"),
        documents=document_snapshots(ALL_DOCUMENTS)))
    run(sessions, decide_application, BANJAR, "app-1", "needs_confirmation", "Foto buram")
    run(sessions, follow_profile_update, profile_updated(data_version=2))

    reply = to_proto(run(sessions, list_applications, BANJAR, "act-1", None, 1, 50),
                     pb.ApplicationReviewList)
    (review,) = reply.items
    assert reply.total == 1 and review.registration_number == "3279-2026-app-1"
    assert review.submitted_at == "2026-11-07T03:00:00+00:00"
    assert review.profile["birth_date"] == "1995-03-14"
    assert review.profile["statements"]["healthy"] is True
    assert review.administrative.status == "pending"
    assert review.administrative.reason == "Profil diperbarui oleh calon mitra"

    trail = to_proto(run(sessions, list_decisions, BANJAR, "app-1"), pb.DecisionList)
    assert [(d.from_status, d.to_status, d.decided_by_role) for d in trail.items] == [
        ("pending", "needs_confirmation", "admin_satker"),
        ("needs_confirmation", "pending", "mitra")]

    statuses = to_proto(run(sessions, my_statuses, Identity("acc-1", "mitra"),
                            ["app-1", "app-2"]), pb.ApplicationStatusList)
    assert [(s.application_id, s.status) for s in statuses.items] == [
        ("app-1", "pending"), ("app-2", "pending")]
    assert statuses.items[0].HasField("reason") and not statuses.items[1].HasField("reason")
