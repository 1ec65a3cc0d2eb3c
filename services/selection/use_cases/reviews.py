"""The administrative review: the admin's queue, decisions with their audit trail, and the
candidate's own statuses."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from services.selection.domain.decisions import decide, statuses_for
from services.selection.domain.errors import ApplicationUnknown, UnknownStatusFilter
from services.selection.domain.model import Application
from services.selection.use_cases.activities import activity_in_scope
from services.selection.use_cases.announcement import final_view
from services.selection.use_cases.transitions import record_transition
from services.shared.contracts.identity import Identity
from services.shared.contracts.vocabulary import ADMINISTRATIVE_STATUSES


def review_of(application: Application) -> dict:
    """An application as the admin reviews it (the ApplicationReview message)."""
    return {
        "id": application.id, "activity_id": application.activity_id,
        "satker_code": application.satker_code,
        "registration_number": application.registration_number,
        "submitted_at": application.submitted_at, "age": application.age,
        "profile": application.profile, "documents": application.documents,
        "checks": application.checks,
        "administrative": {"status": application.administrative_status,
                           "reason": application.administrative_reason,
                           "decided_at": application.administrative_decided_at},
    }


def visible_application(uow, identity: Identity, application_id: str,
                         for_update: bool = False) -> Application:
    application = uow.applications.get(application_id, for_update=for_update)
    # Another satker's application is as unknown as one that does not exist.
    if application is None or not identity.may_act_for_satker(application.satker_code):
        raise ApplicationUnknown()
    return application


def list_applications(uow, identity: Identity, activity_id: str, status: str | None,
                      page: int, per_page: int) -> dict:
    """One page of an activity's applications, optionally of one administrative status."""
    activity_in_scope(uow, identity, activity_id)
    if status is not None and status not in ADMINISTRATIVE_STATUSES:
        raise UnknownStatusFilter()
    applications, total = uow.applications.page_of_activity(activity_id, status, page,
                                                            per_page)
    return {"items": [review_of(a) for a in applications], "total": total}


def decide_application(uow, identity: Identity, application_id: str, decision: str,
                       reason: str | None) -> dict:
    """The admin's decision on an application of its satker; a repeated decision changes
    nothing and mails no one."""
    application = visible_application(uow, identity, application_id, for_update=True)
    transition = decide(application.administrative_status, decision, reason,
                        current_reason=application.administrative_reason)
    if transition is not None:
        application = record_transition(uow, application, transition, identity.account_id,
                                         identity.role)
    return review_of(application)


def list_decisions(uow, identity: Identity, application_id: str) -> dict:
    """The audit trail of an application, oldest first."""
    visible_application(uow, identity, application_id)
    return {"items": [{
        "from_status": entry.from_status, "to_status": entry.to_status, "reason": entry.reason,
        "decided_by": entry.decided_by, "decided_by_role": entry.decided_by_role,
        "decided_at": entry.decided_at,
    } for entry in uow.decisions.of_application(application_id)]}


def my_statuses(uow, identity: Identity, application_ids: Iterable[str],
                now: datetime | None = None) -> dict:
    """The candidate's own applications' statuses, one for each id asked about: the final
    selection as the candidate may see it (pending until the announcement), the test score
    only where the activity's final criteria disclose scores."""
    application_ids = list(application_ids)
    known = {status.application_id: status for status in final_view(
        uow, uow.applications.statuses_of(identity.account_id, application_ids), now)}
    return {"items": [replace(status, activity_id=None)
                      for status in statuses_for(application_ids, known)]}
