"""The competency test's outcome from assessment's events: a completed attempt is kept, a
missed test withdraws the candidate, the first result wins whatever arrives after it, and the
candidate is not shown the score while no activity discloses scores."""
from __future__ import annotations

from datetime import timedelta

import pytest

from services.selection.domain.assessment_results import (
    CompetencyTestResult,
    disclosed_score,
    discloses_scores,
)
from services.selection.domain.errors import ApplicationUnknown
from services.selection.use_cases.assessment_results import (
    record_attempt_completed,
    record_test_missed,
)
from services.selection.use_cases.intake import record_submitted_application
from services.selection.use_cases.reviews import decide_application, my_statuses
from services.shared.contracts.identity import Identity
from tests.service.selection.events import (
    SESSION_ENDED_AT,
    application_submitted,
    attempt_completed,
    missed_test,
)

CANDIDATE = Identity("acc-1", "mitra")
ADMIN = Identity("admin-1", "admin_satker", "3528")
COMPLETED_AT = SESSION_ENDED_AT - timedelta(minutes=70)


@pytest.fixture
def applied(uow):
    record_submitted_application(uow, application_submitted())
    return uow


def _status(uow):
    (status,) = my_statuses(uow, CANDIDATE, ["app-1"])["items"]
    return status


def test_a_completed_attempt_is_kept_and_the_final_decision_stays_open(applied):
    record_attempt_completed(applied, attempt_completed(score=76.67))
    application = applied.applications.get("app-1")
    assert application.test == CompetencyTestResult(
        status="completed", score=76.67, answered=28, attempt_id="attempt-app-1",
        closed_by="candidate", completed_at=COMPLETED_AT)
    assert (application.final_status, application.withdrawn_at) == ("pending", None)
    assert (_status(applied).test_status, _status(applied).final_status) == (
        "completed", "pending")
    assert applied.events == [] and applied.mail == []


def test_a_missed_test_withdraws_the_candidate_from_the_session_end(applied):
    record_test_missed(applied, missed_test())
    application = applied.applications.get("app-1")
    assert application.test == CompetencyTestResult(status="missed")
    assert application.final_status == "withdrawn"
    assert application.withdrawn_at == SESSION_ENDED_AT
    status = _status(applied)
    assert (status.test_status, status.test_score, status.final_status) == (
        "missed", None, "withdrawn")


def test_a_redelivered_or_replayed_result_changes_nothing(applied):
    record_attempt_completed(applied, attempt_completed(score=76.67))
    first = applied.applications.get("app-1")
    # The inbox knows an event by its id; a replay carries a new one and reaches the use case.
    record_attempt_completed(applied, attempt_completed(score=76.67))
    record_attempt_completed(applied, attempt_completed(score=100.0, answered=30,
                                                        closed_by="deadline"))
    assert applied.applications.get("app-1") == first  # updated_at included


def test_a_missed_test_after_a_completed_attempt_is_ignored(applied):
    record_attempt_completed(applied, attempt_completed(score=50.0))
    first = applied.applications.get("app-1")
    record_test_missed(applied, missed_test())
    assert applied.applications.get("app-1") == first
    assert first.final_status == "pending" and first.test.score == 50.0


def test_a_second_missed_test_keeps_the_first_withdrawal(applied):
    record_test_missed(applied, missed_test())
    first = applied.applications.get("app-1")
    record_test_missed(applied, missed_test(session_ended_at=SESSION_ENDED_AT
                                            + timedelta(days=1)))
    assert applied.applications.get("app-1") == first


def test_the_score_is_never_shown_to_the_candidate_today(applied):
    record_attempt_completed(applied, attempt_completed(score=76.67))
    assert applied.applications.get("app-1").test.score == 76.67  # kept for final selection
    status = _status(applied)
    assert status.test_status == "completed" and status.test_score is None


def test_scores_are_disclosed_only_when_the_final_criteria_say_so():
    assert not discloses_scores(None)  # no final criteria yet: every activity today
    assert not discloses_scores({"disclose_scores": False})
    assert not discloses_scores({"positions": 10})
    assert discloses_scores({"disclose_scores": True})
    assert disclosed_score(76.67, None) is None
    assert disclosed_score(76.67, {"disclose_scores": True}) == 76.67


def test_an_application_not_heard_of_is_refused_so_the_event_is_retried(uow):
    with pytest.raises(ApplicationUnknown):
        record_attempt_completed(uow, attempt_completed(application_id="app-9"))
    with pytest.raises(ApplicationUnknown):
        record_test_missed(uow, missed_test(application_id="app-9"))
    assert uow.applications.rows == {}


@pytest.mark.parametrize("score", [-0.5, 100.5])
def test_a_score_outside_0_to_100_is_refused_and_nothing_is_stored(applied, score):
    before = applied.applications.get("app-1")
    with pytest.raises(ValueError, match="0-100"):
        record_attempt_completed(applied, attempt_completed(score=score))
    assert applied.applications.get("app-1") == before


def test_an_administrative_decision_afterwards_keeps_the_test_result(applied):
    record_attempt_completed(applied, attempt_completed(score=76.67))
    decide_application(applied, ADMIN, "app-1", "accepted", None)
    application = applied.applications.get("app-1")
    assert application.administrative_status == "accepted"
    assert application.test.score == 76.67 and application.final_status == "pending"


def test_an_application_without_a_result_shows_no_test_and_a_pending_final_status(applied):
    status = _status(applied)
    assert (status.test_status, status.test_score, status.final_status) == (
        None, None, "pending")
    (unknown,) = my_statuses(applied, CANDIDATE, ["app-2"])["items"]
    assert (unknown.test_status, unknown.final_status) == (None, "pending")
