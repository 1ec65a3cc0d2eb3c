"""The administrative review: the admin's queue, decisions with their audit trail, and the
candidate's own statuses."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from services.selection.domain.decisions import OPEN_STATUSES, decide, statuses_for
from services.selection.domain.document_versions import document_versions, needs_rereview
from services.selection.domain.errors import ApplicationUnknown, UnknownStatusFilter
from services.selection.domain.model import Application
from services.selection.use_cases.activities import activity_in_scope
from services.selection.use_cases.announcement import final_view
from services.selection.use_cases.transitions import record_transition
from services.shared.contracts.candidate import DocumentSnapshot
from services.shared.contracts.identity import Identity
from services.shared.contracts.vocabulary import ADMINISTRATIVE_STATUSES


def review_of(application: Application, current: Iterable[DocumentSnapshot] = ()) -> dict:
    """An application as the admin reviews it (the ApplicationReview message): the documents
    as submitted, each with the candidate's newer version of it (``current``: the candidate's
    documents now), and whether it needs another look before a decision."""
    documents = document_versions(application.documents, current)
    return {
        "id": application.id, "activity_id": application.activity_id,
        "satker_code": application.satker_code,
        "registration_number": application.registration_number,
        "submitted_at": application.submitted_at, "age": application.age,
        "profile": application.profile, "documents": documents,
        "checks": application.checks,
        "administrative": {"status": application.administrative_status,
                           "reason": application.administrative_reason,
                           "decided_at": application.administrative_decided_at},
        "needs_rereview": needs_rereview(application.administrative_status, documents),
    }


def reviews_of(uow, applications: list[Application]) -> list[dict]:
    current = uow.candidates.current_documents({a.account_id for a in applications})
    return [review_of(a, current.get(a.account_id, ())) for a in applications]


def visible_application(uow, identity: Identity, application_id: str,
                         for_update: bool = False) -> Application:
    application = uow.applications.get(application_id, for_update=for_update)
    # Another satker's application is as unknown as one that does not exist.
    if application is None or not identity.may_act_for_satker(application.satker_code):
        raise ApplicationUnknown()
    return application


def list_applications(uow, identity: Identity, activity_id: str, status: str | None,
                      page: int, per_page: int, rereview: bool | None = None) -> dict:
    """One page of an activity's applications, optionally of one administrative status and
    only those marked (``rereview`` True) or not marked (False) for re-review."""
    activity_in_scope(uow, identity, activity_id)
    if status is not None and status not in ADMINISTRATIVE_STATUSES:
        raise UnknownStatusFilter()
    if rereview is None:
        applications, total = uow.applications.page_of_activity(activity_id, status, page,
                                                                per_page)
    else:
        applications, total = _page_by_rereview(uow, activity_id, status, rereview, page,
                                                per_page)
    return {"items": reviews_of(uow, applications), "total": total}


def _page_by_rereview(uow, activity_id: str, status: str | None, wanted: bool, page: int,
                      per_page: int) -> tuple[list[Application], int]:
    """The mark is computed, not stored: the activity's submitted and current documents are
    compared (only the open reviews when the marked ones are asked for), then the page's
    applications loaded."""
    statuses = (status,) if status is not None else None
    if wanted:
        statuses = tuple(s for s in (statuses or OPEN_STATUSES) if s in OPEN_STATUSES)
    matching = [submitted.application_id for submitted, current
                in uow.applications.documents_of_activity(activity_id, statuses)
                if needs_rereview(submitted.administrative_status,
                                  document_versions(submitted.documents, current)) == wanted]
    start = (page - 1) * per_page
    return uow.applications.of_ids(matching[start:start + per_page]), len(matching)


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
    return reviews_of(uow, [application])[0]


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
