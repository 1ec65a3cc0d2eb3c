"""The sekretariat's values: the lokus' IPS per year, the reporting deadlines per year, the
fullday budget per team and year, and the capacity building the pembina attended."""
from __future__ import annotations

from datetime import date

from services.pembinaan.domain.errors import (
    DeadlinesNotSet,
    Invalid,
    LokusUnknown,
    SekretariatOnly,
    TeamUnknown,
)
from services.pembinaan.domain.ips import check_value, grade
from services.pembinaan.domain.teams import PEMBINA_ROLE, check_year
from services.pembinaan.domain.work_plan import check_budget
from services.pembinaan.persistence.repositories import DEADLINE_FIELDS
from services.pembinaan.use_cases import access
from services.shared.contracts.identity import Identity
from services.shared.platform.database import utcnow


def put_ips(uow, identity: Identity, lokus_id: str, year: int, value: float) -> dict:
    access.require_sekretariat(identity)
    check_year(year)
    number = check_value(value)
    if uow.lokus.get(lokus_id) is None:
        raise LokusUnknown()
    uow.settings.put_ips(lokus_id, year, float(number), utcnow())
    return {"lokus_id": lokus_id, "year": year, "value": float(number), "grade": grade(number)}


def put_deadlines(uow, identity: Identity, year: int, deadlines: dict[str, date]) -> dict:
    access.require_sekretariat(identity)
    check_year(year)
    for name in DEADLINE_FIELDS:
        if not isinstance(deadlines.get(name), date):
            raise Invalid(name, "Use a date as YYYY-MM-DD.")
    return uow.settings.put_deadlines(year, deadlines, utcnow())


def get_deadlines(uow, identity: Identity, year: int) -> dict:
    """The year's reporting deadlines: the sekretariat sets them, every team works to them."""
    if not (access.is_sekretariat(identity) or identity.role == PEMBINA_ROLE):
        raise SekretariatOnly()
    check_year(year)
    deadlines = uow.settings.deadlines(year)
    if deadlines is None:
        raise DeadlinesNotSet()
    return deadlines


def put_budget(uow, identity: Identity, year: int, team_id: str, fullday_meetings: int) -> dict:
    access.require_sekretariat(identity)
    check_year(year)
    check_budget(fullday_meetings)
    team = uow.teams.get(team_id)
    if team is None:
        raise TeamUnknown()
    if team.year != year:
        raise Invalid("year", "The team is a team of another year.")
    return uow.settings.put_budget(year, team_id, fullday_meetings, utcnow())


def add_training(uow, identity: Identity, account_id: str, title: str, on: date) -> dict:
    access.require_sekretariat(identity)
    if not account_id or not account_id.strip():
        raise Invalid("account_id", "Required.")
    if not title or not title.strip() or len(title) > 300:
        raise Invalid("title", "Give the training's title (at most 300 characters).")
    return uow.settings.add_training(account_id.strip(), title.strip(), on, utcnow())


def list_trainings(uow, identity: Identity, year: int | None, page: int, per_page: int) -> dict:
    access.require_sekretariat(identity)
    if year is not None:
        check_year(year)
    items, total = uow.settings.trainings(year, (page - 1) * per_page, per_page)
    return {"items": items, "total": total}
