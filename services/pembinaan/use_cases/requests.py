"""Requests for pembinaan from outside BPS and their routed flow (domain/requests.py): every
transition is kept with who, when and note in an append-only history and published as
``request_transitioned`` (the notifier, use_cases/notifications.py, mails the team a
disposition or escalation)."""
from __future__ import annotations

import dataclasses
from datetime import date

from services.pembinaan.domain.errors import Invalid, RequestUnknown
from services.pembinaan.domain.requests import (
    ESCALATED,
    NEEDS_ACTIVITY,
    NEEDS_TEAM,
    Actor,
    HistoryEntry,
    Request,
    check_new_request,
    check_note,
    check_transition,
)
from services.pembinaan.domain.teams import LEVEL_ABOVE, is_one_level_up
from services.pembinaan.use_cases import access
from services.shared.contracts.errors import NotInScope
from services.shared.contracts.events import REQUEST_TRANSITIONED
from services.shared.contracts.identity import Identity
from services.shared.contracts.regions import is_valid_satker_code
from services.shared.contracts.vocabulary import PEMBINAAN_REQUEST_STATUSES
from services.shared.platform.database import utcnow


def _reply(request: Request, history: list[HistoryEntry]) -> dict:
    return {"id": request.id, "requester_kind": request.requester_kind,
            "requester_name": request.requester_name, "satker_code": request.satker_code,
            "subject": request.subject, "letter_number": request.letter_number,
            "letter_date": request.letter_date, "status": request.status,
            "team_id": request.team_id, "activity_id": request.activity_id,
            "created_at": request.created_at, "updated_at": request.updated_at,
            "history": [{"from": entry.from_status, "to": entry.to_status, "by": entry.by,
                         "at": entry.at, "note": entry.note} for entry in history]}


def create_request(uow, identity: Identity, requester_kind: str, requester_name: str,
                   satker_code: str, subject: str, letter_number: str,
                   letter_date: date) -> dict:
    check_new_request(requester_kind, requester_name, subject, letter_number)
    if not is_valid_satker_code(satker_code):
        raise Invalid("satker_code", "Use the 4-digit BPS satker code.")
    if identity.role == "admin_satker" and identity.satker_code != satker_code:
        raise NotInScope()
    request = uow.requests.add(requester_kind, requester_name.strip(), satker_code,
                               subject.strip(), letter_number.strip(), letter_date,
                               identity.account_id, utcnow())
    return _reply(request, [])


def _scope(uow, identity: Identity) -> tuple[str | None, list[str] | None]:
    """(satker_code, team_ids) narrowing the requests the caller sees; (None, None): all."""
    if access.is_sekretariat(identity):
        return None, None
    if identity.role == "admin_satker":
        return identity.satker_code or "", None
    return None, access.visible_team_ids(uow, identity) or []


def list_requests(uow, identity: Identity, status: str | None, page: int,
                  per_page: int) -> dict:
    if status is not None and status not in PEMBINAAN_REQUEST_STATUSES:
        raise Invalid("status", f"Use one of {', '.join(PEMBINAAN_REQUEST_STATUSES)}.")
    satker_code, team_ids = _scope(uow, identity)
    found, total = uow.requests.list(status, satker_code, team_ids, (page - 1) * per_page,
                                     per_page)
    histories = uow.requests.history([request.id for request in found])
    return {"items": [_reply(request, histories[request.id]) for request in found],
            "total": total}


def _visible(uow, identity: Identity, request: Request) -> bool:
    satker_code, team_ids = _scope(uow, identity)
    if satker_code is None and team_ids is None:
        return True
    if satker_code is not None:
        return request.satker_code == satker_code
    return uow.requests.seen_by_teams(request.id, team_ids)


def get_request(uow, identity: Identity, request_id: str) -> dict:
    request = uow.requests.get(request_id)
    if request is None or not _visible(uow, identity, request):
        raise RequestUnknown()
    return _reply(request, uow.requests.history([request_id])[request_id])


def escalation_targets(uow, identity: Identity, request_id: str) -> dict:
    """The teams the request may be escalated to: one level up of the team it is with, in the
    same year (kabkot -> its own province's team -> the direktorat teams); none for a request
    with no team yet or with a direktorat team."""
    request = uow.requests.get(request_id)
    if request is None or not _visible(uow, identity, request):
        raise RequestUnknown()
    current = uow.teams.get(request.team_id) if request.team_id else None
    if current is None or LEVEL_ABOVE[current.level] is None:
        return {"items": [], "total": 0}
    teams, _ = uow.teams.list(current.year, None)
    found = [dataclasses.asdict(team) for team in teams if is_one_level_up(current, team)]
    return {"items": found, "total": len(found)}


def transition(uow, identity: Identity, request_id: str, to: str, note: str | None,
               team_id: str | None, activity_id: str | None) -> dict:
    request = uow.requests.get(request_id, for_update=True)
    if request is None:
        raise RequestUnknown()
    check_note(note)
    member = request.team_id is not None and access.is_member(uow, identity, request.team_id)
    check_transition(request.status, to, Actor(identity.role, identity.satker_code, member),
                     request.satker_code)
    new_team_id, new_activity_id = request.team_id, request.activity_id
    if to in NEEDS_TEAM:
        target = uow.teams.get(team_id) if team_id else None
        if target is None:
            raise Invalid("team_id", "Name the Tim Pembina to route the request to.")
        if to == ESCALATED and not is_one_level_up(uow.teams.get(request.team_id), target):
            raise Invalid("team_id", "Escalate to the team one level up (kabkot -> provinsi "
                                     "-> direktorat) of the same year.")
        new_team_id = target.id
    if to in NEEDS_ACTIVITY:
        activity = uow.records.get("activities", activity_id) if activity_id else None
        if activity is None or activity.team_id != request.team_id or \
                activity.fields["inisiatif"] != "non_bps":
            raise Invalid("activity_id", "Name a realised non-BPS activity of the team the "
                                         "request is with.")
        new_activity_id = activity.id
    now = utcnow()
    entry = HistoryEntry(request.status, to, identity.account_id, now, note or None)
    uow.requests.move(request_id, to, new_team_id, new_activity_id, now)
    uow.requests.append_history(request_id, entry, new_team_id)
    uow.events.record(REQUEST_TRANSITIONED, {
        "request_id": request_id, "satker_code": request.satker_code,
        "from_status": request.status, "to_status": to, "team_id": new_team_id,
        "activity_id": new_activity_id, "by": identity.account_id, "at": now,
        "note": note or None})
    return get_request_unchecked(uow, request_id)


def get_request_unchecked(uow, request_id: str) -> dict:
    return _reply(uow.requests.get(request_id), uow.requests.history([request_id])[request_id])
