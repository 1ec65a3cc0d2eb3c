"""Keeping selection's read model of applications from registration's events."""
from __future__ import annotations

from sqlalchemy.orm import Session

from services.selection.persistence.models import ApplicationRecord
from services.shared.database import utcnow


def record_submitted_application(session: Session, envelope: dict, payload: dict) -> None:
    profile = dict(payload["profile"])
    profile["birth_date"] = profile["birth_date"].isoformat()
    session.add(ApplicationRecord(
        id=payload["application_id"], activity_id=payload["activity_id"],
        activity_name=payload["activity_name"], satker_code=payload["satker_code"],
        year=payload["year"], account_id=payload["account_id"],
        registration_number=payload["registration_number"],
        submitted_at=payload["submitted_at"], requirements=payload["requirements"],
        profile=profile, documents=payload["documents"], administrative_status="pending",
        received_at=utcnow()))
