"""Rencana kerja pembinaan and its check (API.md ``GET lokus/{id}/work-plan/check``).

The juknis: at least 5 activities per lokus; BPS-funded activities fit the unit's budget
(2025: each direktorat funds two fullday meetings, so its plan holds exactly those two);
the plan is carried out (a plan date passed with nothing realised is overdue) and what is
realised on BPS' initiative was planned."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from services.pembinaan.domain.errors import Invalid
from services.shared.contracts.vocabulary import (
    PEMBINAAN_MECHANISMS,
    PEMBINAAN_MEETING_KINDS,
    PEMBINAAN_ORGANISERS,
)

MIN_PLAN_ITEMS = 5
MAX_FULLDAY_MEETINGS = 1000
TOO_FEW_ITEMS = "too_few_items"
FULLDAY_BUDGET_MISMATCH = "fullday_budget_mismatch"
OVERDUE_UNREALISED = "overdue_unrealised"
UNPLANNED_ACTIVITY = "unplanned_activity"


@dataclass(frozen=True)
class PlanItem:
    id: str
    lokus_id: str
    tanggal_rencana: date
    penyelenggara: str  # "bps" / "non_bps": who pays or invites
    jenis: str          # "fullday" / "non_fullday"


@dataclass(frozen=True)
class Realised:
    """What the check needs of a realised activity."""

    id: str
    lokus_id: str
    inisiatif: str
    work_plan_id: str | None


def check_item(record: Mapping, partial: bool = False) -> None:
    """A plan item's fields (``partial``: only those given, for a PATCH)."""
    def present(name):
        return not partial or name in record
    if present("nama_kegiatan"):
        value = record.get("nama_kegiatan")
        if not isinstance(value, str) or not value.strip():
            raise Invalid("nama_kegiatan", "Required.")
    if present("tanggal_rencana") and not isinstance(record.get("tanggal_rencana"), date):
        raise Invalid("tanggal_rencana", "Use a date as YYYY-MM-DD.")
    for name, allowed in (("mekanisme", PEMBINAAN_MECHANISMS),
                          ("penyelenggara", PEMBINAAN_ORGANISERS),
                          ("jenis", PEMBINAAN_MEETING_KINDS)):
        if present(name) and record.get(name) not in allowed:
            raise Invalid(name, f"Use one of {', '.join(allowed)}.")


def check_budget(fullday_meetings: int) -> None:
    if isinstance(fullday_meetings, bool) or not isinstance(fullday_meetings, int) or \
            not 0 <= fullday_meetings <= MAX_FULLDAY_MEETINGS:
        raise Invalid("fullday_meetings", f"Use a whole number from 0 to "
                                          f"{MAX_FULLDAY_MEETINGS}.")


def is_bps_fullday(item: PlanItem) -> bool:
    return item.penyelenggara == "bps" and item.jenis == "fullday"


def check_plan(lokus_id: str, team_items: Iterable[PlanItem], activities: Iterable[Realised],
               today: date, fullday_budget: int | None) -> list[dict]:
    """The problems of one lokus' plan, in the order of API.md's codes.

    ``team_items``: the plan items of every lokus of the team (the budget is the team's, so
    its BPS-funded fullday items count as a whole); ``activities``: the realised activities
    of this lokus; ``today``: the date on BPS' clock; ``fullday_budget``: the fullday meetings
    the sekretariat set for the team's year, or None when none is set (not checked)."""
    team_items = list(team_items)
    items = sorted((item for item in team_items if item.lokus_id == lokus_id),
                   key=lambda item: (item.tanggal_rencana, item.id))
    activities = [activity for activity in activities if activity.lokus_id == lokus_id]
    problems: list[dict] = []
    if len(items) < MIN_PLAN_ITEMS:
        problems.append({"code": TOO_FEW_ITEMS, "detail": (
            f"The plan has {len(items)} items; at least {MIN_PLAN_ITEMS} are needed."),
            "count": len(items), "minimum": MIN_PLAN_ITEMS})
    if fullday_budget is not None:
        planned = sum(1 for item in team_items if is_bps_fullday(item))
        if planned != fullday_budget:
            problems.append({"code": FULLDAY_BUDGET_MISMATCH, "detail": (
                f"The team's plans hold {planned} BPS-funded fullday meetings; the budget "
                f"is {fullday_budget}."), "count": planned, "budget": fullday_budget})
    realised_items = {activity.work_plan_id for activity in activities
                      if activity.work_plan_id is not None}
    for item in items:
        if item.tanggal_rencana < today and item.id not in realised_items:
            problems.append({"code": OVERDUE_UNREALISED, "detail": (
                f"Planned for {item.tanggal_rencana.isoformat()}; no realised activity is "
                f"linked to it."), "work_plan_id": item.id})
    for activity in sorted(activities, key=lambda a: a.id):
        if activity.inisiatif == "bps" and activity.work_plan_id is None:
            problems.append({"code": UNPLANNED_ACTIVITY, "detail": (
                "A realised activity on BPS' initiative has no plan item."),
                "activity_id": activity.id})
    return problems
