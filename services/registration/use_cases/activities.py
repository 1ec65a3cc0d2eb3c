"""Recruitment activities: an admin creates and changes those of its own satker; anyone
lists and reads them. Each create and change is published (``activity_published``,
``activity_changed``) with the activity's version, so other services learn its satker and
its state before any application arrives."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from services.registration.domain import activity as rules
from services.registration.domain.errors import ActivityUnknown, InvalidActivity
from services.shared.contracts import regions
from services.shared.contracts.errors import InvalidInput, NotInScope
from services.shared.contracts.events import ACTIVITY_CHANGED, ACTIVITY_PUBLISHED
from services.shared.contracts.identity import Identity
from services.shared.contracts.requirements import parse_requirements
from services.shared.platform.database import new_id, utcnow

if TYPE_CHECKING:
    from services.registration.persistence.models import Activity
    from services.registration.persistence.unit_of_work import RegistrationUnitOfWork


def _activity_reply(activity: Activity, now: datetime) -> dict:
    return {
        "id": activity.id, "satker_code": activity.satker_code, "name": activity.name,
        "year": activity.year, "registration_opens_at": activity.registration_opens_at,
        "registration_closes_at": activity.registration_closes_at,
        "announcement_at": activity.announcement_at, "quota": activity.quota,
        "requirements": activity.requirements,
        "satker_name": regions.satker_name(activity.satker_code),
        "application_count": activity.application_count,
        "is_open": rules.is_open(activity.registration_opens_at,
                                 activity.registration_closes_at, activity.quota,
                                 activity.application_count, now),
        "created_at": activity.created_at,
    }


def _record(uow: RegistrationUnitOfWork, event_type: str, activity: Activity) -> None:
    uow.events.record(event_type, {
        "activity_id": activity.id, "satker_code": activity.satker_code,
        "name": activity.name, "year": activity.year,
        "registration_opens_at": activity.registration_opens_at,
        "registration_closes_at": activity.registration_closes_at,
        "announcement_at": activity.announcement_at, "quota": activity.quota,
        "requirements": activity.requirements, "version": activity.version,
    })


def _requirements(raw: dict | None, problems: dict[str, list[str]]) -> dict | None:
    """The requirements in their stored form, or None with their problems added."""
    try:
        return parse_requirements(raw or {}).to_dict()
    except InvalidInput as invalid:
        problems.update(invalid.errors)
        return None


def create_activity(uow: RegistrationUnitOfWork, identity: Identity, *, satker_code: str,
                    name: str, year: int, registration_opens_at: datetime,
                    registration_closes_at: datetime, announcement_at: datetime,
                    quota: int | None, requirements: dict[str, Any] | None) -> dict:
    if not identity.may_act_for_satker(satker_code):
        raise NotInScope("You may create activities of your own satker only.")
    problems = rules.activity_problems(name, year, satker_code, registration_opens_at,
                                       registration_closes_at, announcement_at, quota)
    stored_requirements = _requirements(requirements, problems)
    if problems:
        raise InvalidActivity(problems)
    now = utcnow()
    activity = uow.activities.add(
        id=new_id(), satker_code=satker_code, name=name.strip(), year=year,
        registration_opens_at=registration_opens_at,
        registration_closes_at=registration_closes_at, announcement_at=announcement_at,
        quota=quota, requirements=stored_requirements, created_by=identity.account_id,
        created_at=now)
    _record(uow, ACTIVITY_PUBLISHED, activity)
    return _activity_reply(activity, now)


def list_activities(uow: RegistrationUnitOfWork, satker_code: str | None, open_only: bool,
                    page: int, per_page: int) -> dict:
    now = utcnow()
    activities, total = uow.activities.page(satker_code=satker_code,
                                            open_at=now if open_only else None,
                                            page=page, per_page=per_page)
    return {"items": [_activity_reply(a, now) for a in activities], "total": total}


def _activity(uow: RegistrationUnitOfWork, activity_id: str,
              for_update: bool = False) -> Activity:
    activity = uow.activities.get(activity_id, for_update=for_update)
    if activity is None:
        raise ActivityUnknown()
    return activity


def get_activity(uow: RegistrationUnitOfWork, activity_id: str) -> dict:
    return _activity_reply(_activity(uow, activity_id), utcnow())


def update_activity(uow: RegistrationUnitOfWork, identity: Identity, activity_id: str, *,
                    name: str | None = None, registration_opens_at: datetime | None = None,
                    registration_closes_at: datetime | None = None,
                    announcement_at: datetime | None = None, quota: int | None = None,
                    quota_unlimited: bool = False,
                    requirements: dict[str, Any] | None = None) -> dict:
    """Change what is given (None = unchanged); ``quota_unlimited`` removes the quota."""
    activity = _activity(uow, activity_id, for_update=True)
    if not identity.may_act_for_satker(activity.satker_code):
        raise NotInScope("You may change activities of your own satker only.")
    changed = {
        "name": activity.name if name is None else name,
        "registration_opens_at": registration_opens_at or activity.registration_opens_at,
        "registration_closes_at": registration_closes_at or activity.registration_closes_at,
        "announcement_at": announcement_at or activity.announcement_at,
        "quota": None if quota_unlimited else activity.quota if quota is None else quota,
    }
    problems = rules.activity_problems(
        changed["name"], activity.year, activity.satker_code,
        changed["registration_opens_at"], changed["registration_closes_at"],
        changed["announcement_at"], changed["quota"])
    stored_requirements = (_requirements(requirements, problems)
                           if requirements is not None else activity.requirements)
    if problems:
        raise InvalidActivity(problems)
    refusal = rules.quota_floor_refusal(changed["quota"], activity.application_count)
    if refusal:
        raise refusal
    for field, value in changed.items():
        setattr(activity, field, value.strip() if field == "name" else value)
    activity.requirements = stored_requirements
    activity.version += 1
    _record(uow, ACTIVITY_CHANGED, activity)
    return _activity_reply(activity, utcnow())
