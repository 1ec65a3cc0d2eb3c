"""A change of administrative status, wherever it comes from (an admin's decision, or a
candidate's profile update sending a review back to pending): the application, its audit
entry, its event and its e-mail, all in the caller's transaction."""
from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from services.selection.adapters.mail_templates import decision_mail
from services.selection.domain.decisions import Transition
from services.selection.domain.model import Application, AuditEntry
from services.shared.contracts.events import ADMINISTRATIVE_DECIDED


def record_transition(uow, application: Application, transition: Transition,
                      decided_by: str, role: str) -> Application:
    """Apply ``transition`` to ``application`` (saved with it) and return the changed one."""
    now = datetime.now(UTC)
    changed = replace(application, administrative_status=transition.to_status,
                      administrative_reason=transition.reason, administrative_decided_at=now,
                      updated_at=now)
    uow.applications.save(changed)
    uow.decisions.add(AuditEntry(
        application_id=application.id, from_status=transition.from_status,
        to_status=transition.to_status, reason=transition.reason, decided_by=decided_by,
        decided_by_role=role, decided_at=now))
    uow.events.record(ADMINISTRATIVE_DECIDED, {
        "application_id": application.id, "activity_id": application.activity_id,
        "satker_code": application.satker_code, "account_id": application.account_id,
        "registration_number": application.registration_number,
        "from_status": transition.from_status, "status": transition.to_status,
        "reason": transition.reason, "decided_by": decided_by, "decided_at": now,
    })
    subject, body = decision_mail(application.profile.full_name, application.activity_name,
                                  application.registration_number, transition)
    uow.mail.queue(application.profile.email, subject, body)
    return changed
