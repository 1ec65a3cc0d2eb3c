"""The competency test's outcome in selection's read model on a real database (SQLite): the
result stored flat in the applications row and read back typed, the first result kept, the
candidate's reply message without the score, and a database of the earlier layout upgraded
with every application still pending in final selection."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from alembic import command

import selection_pb2 as pb
from services.selection.domain.assessment_results import CompetencyTestResult
from services.selection.persistence.models import ApplicationRecord, Base
from services.selection.persistence.unit_of_work import SelectionUnitOfWork
from services.selection.use_cases.assessment_results import (
    record_attempt_completed,
    record_test_missed,
)
from services.selection.use_cases.intake import follow_profile_update, record_submitted_application
from services.selection.use_cases.reviews import decide_application, my_statuses
from services.shared.contracts.identity import Identity
from services.shared.ops.migrate import alembic_config, upgrade
from services.shared.platform.database import unit_of_work
from services.shared.platform.proto import to_proto
from tests.service.selection.events import (
    SESSION_ENDED_AT,
    application_submitted,
    attempt_completed,
    missed_test,
    profile_updated,
)

CANDIDATE = Identity("acc-1", "mitra")
ADMIN = Identity("admin-1", "admin_satker", "3528")


@pytest.fixture
def sessions(sqlite_sessions):
    sessions = sqlite_sessions(Base.metadata)
    run(sessions, record_submitted_application, application_submitted())
    run(sessions, record_submitted_application, application_submitted(
        application_id="app-2", account_id="acc-2"))
    return sessions


def run(sessions, use_case, *args):
    with unit_of_work(sessions) as session:
        return use_case(SelectionUnitOfWork(session), *args)


def stored(sessions, application_id="app-1"):
    with unit_of_work(sessions) as session:
        return SelectionUnitOfWork(session).applications.get(application_id)


def test_a_completed_attempt_is_stored_in_the_test_columns_and_read_back_typed(sessions):
    run(sessions, record_attempt_completed, attempt_completed(score=76.67))
    with unit_of_work(sessions) as session:
        row = session.get(ApplicationRecord, "app-1")
        assert (row.test_status, row.test_score, row.test_answered, row.test_closed_by,
                row.final_status, row.withdrawn_at) == (
            "completed", 76.67, 28, "candidate", "pending", None)
    assert stored(sessions).test == CompetencyTestResult(
        status="completed", score=76.67, answered=28, attempt_id="attempt-app-1",
        closed_by="candidate", completed_at=SESSION_ENDED_AT - timedelta(minutes=70))
    assert stored(sessions, "app-2").test is None


def test_a_missed_test_withdraws_and_a_later_result_changes_nothing(sessions):
    run(sessions, record_test_missed, missed_test())
    first = stored(sessions)
    assert first.test == CompetencyTestResult(status="missed")
    assert (first.final_status, first.withdrawn_at) == ("withdrawn", SESSION_ENDED_AT)
    run(sessions, record_test_missed, missed_test())  # a replay under a new event id
    run(sessions, record_attempt_completed, attempt_completed())
    assert stored(sessions) == first


def test_a_missed_test_after_a_completed_attempt_is_ignored(sessions):
    run(sessions, record_attempt_completed, attempt_completed(score=50.0))
    first = stored(sessions)
    run(sessions, record_test_missed, missed_test())
    run(sessions, record_attempt_completed, attempt_completed(score=90.0))
    assert stored(sessions) == first and first.final_status == "pending"


def test_later_writes_of_the_application_keep_its_test_result(sessions):
    run(sessions, record_attempt_completed, attempt_completed(score=76.67))
    run(sessions, follow_profile_update, profile_updated(data_version=2))  # review still open
    run(sessions, decide_application, ADMIN, "app-1", "accepted", None)
    application = stored(sessions)
    assert application.administrative_status == "accepted" and application.data_version == 2
    assert application.test.score == 76.67 and application.final_status == "pending"


def test_the_candidate_reply_has_the_test_status_and_final_status_but_no_score(sessions):
    run(sessions, record_attempt_completed, attempt_completed(score=76.67))
    run(sessions, record_test_missed, missed_test(application_id="app-2", account_id="acc-2"))
    reply = to_proto(run(sessions, my_statuses, CANDIDATE, ["app-1", "app-3"]),
                     pb.ApplicationStatusList)
    completed, not_heard_of = reply.items
    assert (completed.test_status, completed.final_status) == ("completed", "pending")
    assert not completed.HasField("test_score")
    assert not not_heard_of.HasField("test_status") and not_heard_of.final_status == "pending"
    (missed,) = to_proto(run(sessions, my_statuses, Identity("acc-2", "mitra"), ["app-2"]),
                         pb.ApplicationStatusList).items
    assert (missed.test_status, missed.final_status) == ("missed", "withdrawn")
    assert not missed.HasField("test_score")


def test_applications_of_the_earlier_layout_upgrade_to_a_pending_final_status(tmp_path):
    url = f"sqlite:///{tmp_path / 'selection.db'}"
    upgrade("selection", url)
    command.downgrade(alembic_config("selection", url), "0002")
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text(
            "INSERT INTO applications (id, activity_id, activity_name, satker_code, year, "
            "account_id, registration_number, submitted_at, requirements, profile, documents, "
            "age, checks, administrative_status, received_at, data_version, updated_at) "
            "VALUES ('app-1', 'act-1', 'Rekrutmen', '3528', 2026, 'acc-1', '3528-2026-00001', "
            "'2026-11-07 03:00:00', '{}', '{}', '[]', 30, '{}', 'accepted', "
            "'2026-11-07 03:00:01', 1, '2026-11-07 03:00:01')"))
    upgrade("selection", url)
    with engine.connect() as connection:
        row = connection.execute(sa.text(
            "SELECT test_status, test_score, final_status, withdrawn_at FROM applications"
        )).one()
    engine.dispose()
    assert tuple(row) == (None, None, "pending", None)
