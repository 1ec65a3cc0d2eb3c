"""A lokus' documentation, kept by its team's members: the narahubung (contacts), the
inventory of kegiatan statistik, the EPSS candidates, the rencana kerja with its check, and
the realised activities with their evidence files."""
from __future__ import annotations

from datetime import datetime

from services.pembinaan.domain.errors import Invalid, RecordUnknown
from services.pembinaan.domain.records import (
    Stored,
    check_activity,
    check_contacts,
    check_epss_candidate,
    check_evidence_number,
    check_statistical_activity,
)
from services.pembinaan.domain.work_plan import PlanItem, Realised, check_item, check_plan
from services.pembinaan.use_cases import access
from services.shared.contracts.calendar import WIB
from services.shared.contracts.documents import judge_bytes
from services.shared.contracts.events import PEMBINAAN_ACTIVITY_DOCUMENTED
from services.shared.contracts.identity import Identity
from services.shared.contracts.vocabulary import DOCUMENT_CONTENT_TYPES
from services.shared.platform.database import utcnow

INVENTORY, EPSS, WORK_PLAN, ACTIVITIES = (
    "statistical_activities", "epss_candidates", "work_plan", "activities")


def record_reply(record: Stored) -> dict:
    return {"id": record.id, "lokus_id": record.lokus_id, **record.fields,
            "created_at": record.created_at, "updated_at": record.updated_at}


def _listed(records: list[Stored], total: int) -> dict:
    return {"items": [record_reply(record) for record in records], "total": total}


# -- contacts --------------------------------------------------------------------------------

def put_contacts(uow, identity: Identity, lokus_id: str, contacts: dict) -> dict:
    lokus = access.lokus(uow, identity, lokus_id, write=True)
    kept = uow.contacts.put(lokus_id, lokus.team_id, check_contacts(contacts), utcnow())
    return record_reply(kept)


def get_contacts(uow, identity: Identity, lokus_id: str) -> dict:
    access.lokus(uow, identity, lokus_id)
    kept = uow.contacts.get(lokus_id)
    if kept is None:
        raise RecordUnknown("No contacts are recorded for this lokus yet.")
    return record_reply(kept)


# -- inventory and EPSS candidates -------------------------------------------------------------

def add_statistical_activity(uow, identity: Identity, lokus_id: str, fields: dict) -> dict:
    lokus = access.lokus(uow, identity, lokus_id, write=True)
    check_statistical_activity(fields)
    return record_reply(uow.records.add(INVENTORY, lokus_id, lokus.team_id, fields, utcnow()))


def update_statistical_activity(uow, identity: Identity, record_id: str, changes: dict) -> dict:
    access.record(uow, identity, INVENTORY, record_id, write=True)
    check_statistical_activity(changes, partial=True)
    return record_reply(uow.records.update(INVENTORY, record_id, changes, utcnow()))


def add_epss_candidate(uow, identity: Identity, lokus_id: str, fields: dict) -> dict:
    lokus = access.lokus(uow, identity, lokus_id, write=True)
    check_epss_candidate(fields)
    return record_reply(uow.records.add(EPSS, lokus_id, lokus.team_id, fields, utcnow()))


def list_records(uow, identity: Identity, kind: str, lokus_id: str, page: int,
                 per_page: int) -> dict:
    access.lokus(uow, identity, lokus_id)
    return _listed(*uow.records.of_lokus(kind, lokus_id, (page - 1) * per_page, per_page))


# -- work plan --------------------------------------------------------------------------------

def add_plan_item(uow, identity: Identity, lokus_id: str, fields: dict) -> dict:
    lokus = access.lokus(uow, identity, lokus_id, write=True)
    check_item(fields)
    return record_reply(uow.records.add(WORK_PLAN, lokus_id, lokus.team_id, fields, utcnow()))


def update_plan_item(uow, identity: Identity, record_id: str, changes: dict) -> dict:
    access.record(uow, identity, WORK_PLAN, record_id, write=True)
    check_item(changes, partial=True)
    return record_reply(uow.records.update(WORK_PLAN, record_id, changes, utcnow()))


def _plan_item(record: Stored) -> PlanItem:
    return PlanItem(record.id, record.lokus_id, record.fields["tanggal_rencana"],
                    record.fields["penyelenggara"], record.fields["jenis"])


def _realised(record: Stored) -> Realised:
    return Realised(record.id, record.lokus_id, record.fields["inisiatif"],
                    record.fields["work_plan_id"])


def check_work_plan(uow, identity: Identity, lokus_id: str,
                    now: datetime | None = None) -> dict:
    lokus = access.lokus(uow, identity, lokus_id)
    team = uow.teams.get(lokus.team_id)
    today = (now or utcnow()).astimezone(WIB).date()
    items = [_plan_item(record) for record in uow.records.of_team(WORK_PLAN, team.id)]
    activities = [_realised(record) for record in uow.records.of_lokus(ACTIVITIES, lokus_id)[0]]
    problems = check_plan(lokus_id, items, activities, today,
                          uow.settings.budget(team.year, team.id))
    return {"ok": not problems, "problems": problems}


# -- realised activities ----------------------------------------------------------------------

def add_activity(uow, identity: Identity, lokus_id: str, fields: dict) -> dict:
    lokus = access.lokus(uow, identity, lokus_id, write=True)
    check_activity(fields)
    work_plan_id = fields.get("work_plan_id")
    if work_plan_id is not None:
        item = uow.records.get(WORK_PLAN, work_plan_id)
        if item is None or item.lokus_id != lokus_id:
            raise Invalid("work_plan_id", "Link a plan item of this lokus.")
    now = utcnow()
    fields = {**fields, "materi": list(fields["materi"])}
    stored = uow.records.add(ACTIVITIES, lokus_id, lokus.team_id, fields, now)
    uow.events.record(PEMBINAAN_ACTIVITY_DOCUMENTED, {
        "activity_id": stored.id, "lokus_id": lokus_id, "team_id": lokus.team_id,
        "tanggal": stored.fields["tanggal"], "bentuk": stored.fields["bentuk"],
        "inisiatif": stored.fields["inisiatif"], "work_plan_id": work_plan_id,
        "documented_by": identity.account_id, "documented_at": now})
    return {**record_reply(stored), "evidence": []}


def list_activities(uow, identity: Identity, lokus_id: str, page: int, per_page: int) -> dict:
    listed = list_records(uow, identity, ACTIVITIES, lokus_id, page, per_page)
    for item in listed["items"]:
        item["evidence"] = uow.evidence.of_activity(item["id"])
    return listed


def put_evidence(uow, storage, identity: Identity, activity_id: str, n: int, content: bytes,
                 content_type: str | None, max_bytes: int) -> dict:
    access.record(uow, identity, ACTIVITIES, activity_id, write=True)
    check_evidence_number(n)
    detected = judge_bytes(content, content_type, DOCUMENT_CONTENT_TYPES, max_bytes)
    return uow.evidence.put(activity_id, n, storage.put(content), detected, len(content),
                            utcnow())
