"""The competency test's outcome, from assessment's events, into selection's read model: the
test status and score kept for final selection, and a missed test withdrawing the candidate.

Assessment learned that the application is accepted from selection's own event, so the
application is here before its result can be; one that is not is refused, and the reliable
handler tries the event again later (then parks it for an operator).
"""
from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from services.selection.domain.assessment_results import (
    COMPLETED,
    MISSED,
    WITHDRAWN,
    CompetencyTestResult,
    final_status_after,
    result_to_keep,
)
from services.selection.domain.errors import ApplicationUnknown


def record_attempt_completed(uow, payload: dict) -> None:
    """An attempt_completed event: the attempt's score and answered count are kept, unless the
    application already has its result."""
    _record(uow, payload["application_id"], CompetencyTestResult(
        status=COMPLETED, score=payload["score"], answered=payload["answered"],
        attempt_id=payload["attempt_id"], closed_by=payload["closed_by"],
        completed_at=payload["completed_at"]), ended_at=payload["completed_at"])


def record_test_missed(uow, payload: dict) -> None:
    """A test_missed event: the candidate never started the booked session's test and is
    withdrawn from the session's end, unless the application already has its result."""
    _record(uow, payload["application_id"], CompetencyTestResult(status=MISSED),
            ended_at=payload["session_ended_at"])


def _record(uow, application_id: str, heard: CompetencyTestResult, ended_at: datetime) -> None:
    """Keep ``heard`` if it wins; ``ended_at``: when the test ended for the candidate (the
    attempt's end, or the session's for a missed one), the start of a withdrawal."""
    application = uow.applications.get(application_id, for_update=True)
    if application is None:
        raise ApplicationUnknown()  # retried by the handler: see the module's docstring
    kept = result_to_keep(application.test, heard)
    if kept is None:
        return  # the first result stays: a redelivery, a replay or a late contradiction
    final_status = final_status_after(application.final_status, kept)
    withdrawn_at = application.withdrawn_at
    if final_status == WITHDRAWN and application.final_status != WITHDRAWN:
        withdrawn_at = ended_at
    uow.applications.save(replace(application, test=kept, final_status=final_status,
                                  withdrawn_at=withdrawn_at, updated_at=datetime.now(UTC)))
