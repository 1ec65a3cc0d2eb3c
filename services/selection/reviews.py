"""Selection's use cases of the administrative review: the admin's queue, decisions with their
audit trail, event and e-mail, the export, and the candidate's own statuses."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.selection import export as export_file
from services.selection.domain.decisions import ADMINISTRATIVE_STATUSES, Transition, decide
from services.selection.domain.decisions import decision_mail
from services.selection.persistence.models import (AdministrativeDecision, ApplicationRecord,
                                                   platform_tables)
from services.shared.contracts.events import ADMINISTRATIVE_DECIDED, AdministrativeDecidedPayload
from services.shared.platform.database import utcnow
from services.shared.contracts.errors import NotPermitted, InvalidInput, NotFound
from services.shared.platform.outbox import record_event
from services.shared.platform.identity import Identity
from services.shared.platform.mail import queue_mail


def _iso(value) -> str:
    return value.isoformat() if value else ""


def review_view(record: ApplicationRecord) -> dict:
    administrative = {"status": record.administrative_status,
                      "decided_at": _iso(record.administrative_decided_at)}
    if record.administrative_reason is not None:
        administrative["reason"] = record.administrative_reason
    return {
        "id": record.id, "activity_id": record.activity_id, "satker_code": record.satker_code,
        "registration_number": record.registration_number,
        "submitted_at": _iso(record.submitted_at), "age": record.age,
        "profile": record.profile, "documents": record.documents, "checks": record.checks,
        "administrative": administrative,
    }


def record_transition(session: Session, record: ApplicationRecord, transition: Transition,
                      decided_by: str, role: str) -> None:
    """Apply a status change: the record, its audit row, its event and its e-mail, in the
    caller's transaction."""
    now = utcnow()
    record.administrative_status = transition.to_status
    record.administrative_reason = transition.reason
    record.administrative_decided_at = now
    session.add(AdministrativeDecision(
        application_id=record.id, from_status=transition.from_status,
        to_status=transition.to_status, reason=transition.reason, decided_by=decided_by,
        decided_by_role=role, decided_at=now))
    record_event(session, platform_tables, "selection", ADMINISTRATIVE_DECIDED, {
        "application_id": record.id, "activity_id": record.activity_id,
        "satker_code": record.satker_code, "account_id": record.account_id,
        "registration_number": record.registration_number,
        "from_status": transition.from_status, "status": transition.to_status,
        "reason": transition.reason, "decided_by": decided_by, "decided_at": now,
    }, AdministrativeDecidedPayload())
    subject, body = decision_mail(record.profile["full_name"], record.activity_name,
                                  record.registration_number, transition)
    queue_mail(session, platform_tables, record.profile["email"], subject, body)


def _visible_application(session: Session, identity: Identity, application_id: str,
                         for_update: bool = False) -> ApplicationRecord:
    record = session.get(ApplicationRecord, application_id, with_for_update=for_update)
    # Another satker's application is as unknown as one that does not exist.
    if record is None or not identity.may_act_for_satker(record.satker_code):
        raise NotFound("No application has this id.")
    return record


def _check_activity_scope(session: Session, identity: Identity, activity_id: str) -> None:
    satker = session.scalar(sa.select(ApplicationRecord.satker_code).where(
        ApplicationRecord.activity_id == activity_id).limit(1))
    if satker is not None and not identity.may_act_for_satker(satker):
        raise NotPermitted("You may see the applications of your own satker only.")


def list_applications(session: Session, identity: Identity, activity_id: str, status: str,
                      page: int, per_page: int) -> dict:
    _check_activity_scope(session, identity, activity_id)
    if status and status not in ADMINISTRATIVE_STATUSES:
        raise InvalidInput({"administrative_status": [
            f"Use one of: {', '.join(ADMINISTRATIVE_STATUSES)}."]})
    query = sa.select(ApplicationRecord).where(ApplicationRecord.activity_id == activity_id)
    if status:
        query = query.where(ApplicationRecord.administrative_status == status)
    total = session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    records = session.scalars(query.order_by(ApplicationRecord.registration_number)
                              .offset((page - 1) * per_page).limit(per_page)).all()
    return {"items": [review_view(r) for r in records], "total": total}


def decide_application(session: Session, identity: Identity, application_id: str,
                       decision: str, reason: str | None) -> dict:
    record = _visible_application(session, identity, application_id, for_update=True)
    transition = decide(record.administrative_status, decision, reason,
                        current_reason=record.administrative_reason)
    if transition is not None:  # a repeated decision changes nothing and mails no one
        record_transition(session, record, transition, identity.account_id, identity.role)
    session.flush()
    return review_view(record)


def list_decisions(session: Session, identity: Identity, application_id: str) -> dict:
    _visible_application(session, identity, application_id)
    rows = session.scalars(sa.select(AdministrativeDecision).where(
        AdministrativeDecision.application_id == application_id).order_by(
        AdministrativeDecision.id)).all()
    items = []
    for row in rows:
        item = {"from_status": row.from_status, "to_status": row.to_status,
                "decided_by": row.decided_by, "decided_by_role": row.decided_by_role,
                "decided_at": _iso(row.decided_at)}
        if row.reason is not None:
            item["reason"] = row.reason
        items.append(item)
    return {"items": items}


def export_applications(session: Session, identity: Identity, activity_id: str,
                        file_format: str) -> dict:
    _check_activity_scope(session, identity, activity_id)
    records = session.scalars(sa.select(ApplicationRecord).where(
        ApplicationRecord.activity_id == activity_id).order_by(
        ApplicationRecord.registration_number)).all()
    rows = [{
        "registration_number": r.registration_number, "full_name": r.profile["full_name"],
        "nik": r.profile["nik"], "sex": r.profile["sex"], "age": r.age,
        "education": r.profile["education"], "kecamatan_name": r.profile["kecamatan_name"],
        "domicile_regency_name": r.profile["domicile_regency_name"],
        "phone": r.profile["phone"], "email": r.profile["email"],
        "mandatory_failures": r.checks["mandatory_failures"],
        "preferred_met": r.checks["preferred_met"],
        "preferred_score": r.checks["preferred_score"],
        "administrative_status": r.administrative_status,
        "administrative_reason": r.administrative_reason, "submitted_at": r.submitted_at,
    } for r in records]
    title = records[0].activity_name if records else "Pendaftar"
    content, content_type = export_file.export(rows, file_format, title)
    return {"content": content, "content_type": content_type,
            "filename": f"pendaftar-{activity_id[:8]}.{file_format}"}


def my_statuses(session: Session, identity: Identity) -> dict:
    records = session.scalars(sa.select(ApplicationRecord).where(
        ApplicationRecord.account_id == identity.account_id)).all()
    items = []
    for record in records:
        item = {"application_id": record.id, "status": record.administrative_status}
        if record.administrative_reason is not None:
            item["reason"] = record.administrative_reason
        items.append(item)
    return {"items": items}
