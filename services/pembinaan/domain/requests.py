"""Requests for pembinaan from outside BPS (inisiatif non-BPS) as the juknis routes them: the
K/L or Pemda asks -> the head of the BPS office disposes it to a Tim Pembina -> the team
confirms its capacity, or escalates it one level up (kabkot -> provinsi -> direktorat) when
the issue crosses its satker -> the coaching happens -> it is documented.

``TRANSITIONS`` is the whole machine: (from, to) -> who may take that step. A step not in the
table is refused as a conflict with the state (409); a caller not allowed at that step is
refused (403); a ``to`` that is no status at all is invalid (422)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from services.pembinaan.domain.errors import (
    Invalid,
    TransitionNotAllowed,
    TransitionNotPermitted,
)
from services.shared.contracts.vocabulary import PEMBINAAN_LOKUS_KINDS, PEMBINAAN_REQUEST_STATUSES

SUBMITTED, DISPOSED, CAPACITY_CONFIRMED, ESCALATED, IN_PROGRESS, DOCUMENTED = (
    PEMBINAAN_REQUEST_STATUSES)
# Who may take a step: the head of the BPS office the request was addressed to (its
# admin_satker) or the sekretariat; or a member of the team the request is with now.
OFFICE_HEAD = "office_head"
CURRENT_TEAM = "current_team"
TRANSITIONS: dict[tuple[str, str], str] = {
    (SUBMITTED, DISPOSED): OFFICE_HEAD,
    (DISPOSED, CAPACITY_CONFIRMED): CURRENT_TEAM,
    (DISPOSED, ESCALATED): CURRENT_TEAM,
    (ESCALATED, CAPACITY_CONFIRMED): CURRENT_TEAM,
    (ESCALATED, ESCALATED): CURRENT_TEAM,
    (CAPACITY_CONFIRMED, IN_PROGRESS): CURRENT_TEAM,
    (IN_PROGRESS, DOCUMENTED): CURRENT_TEAM,
}
# The steps that name a team (disposition, escalation) and the one that names an activity.
NEEDS_TEAM = (DISPOSED, ESCALATED)
NEEDS_ACTIVITY = (DOCUMENTED,)
NOTE_MAX = 2000


@dataclass(frozen=True)
class Actor:
    """Who asks for a step: the role, the satker of an admin_satker, and whether the caller
    is a member of the team the request is with now."""

    role: str
    satker_code: str | None
    member_of_current_team: bool


@dataclass(frozen=True)
class HistoryEntry:
    from_status: str
    to_status: str
    by: str
    at: datetime
    note: str | None


@dataclass(frozen=True)
class Request:
    id: str
    requester_kind: str
    requester_name: str
    satker_code: str
    subject: str
    letter_number: str
    letter_date: date
    status: str
    team_id: str | None
    activity_id: str | None
    created_by: str
    created_at: datetime
    updated_at: datetime


def check_new_request(requester_kind: str, requester_name: str, subject: str,
                      letter_number: str) -> None:
    if requester_kind not in PEMBINAAN_LOKUS_KINDS:
        raise Invalid("requester_kind", f"Use one of {', '.join(PEMBINAAN_LOKUS_KINDS)}.")
    for name, value in (("requester_name", requester_name), ("subject", subject),
                        ("letter_number", letter_number)):
        if not value or not value.strip():
            raise Invalid(name, "Required.")


def may_take(who: str, actor: Actor, request_satker_code: str) -> bool:
    if who == OFFICE_HEAD:
        return actor.role in ("sekretariat", "superadmin") or (
            actor.role == "admin_satker" and actor.satker_code == request_satker_code)
    return actor.role == "pembina" and actor.member_of_current_team


def check_transition(status: str, to: str, actor: Actor, request_satker_code: str) -> None:
    """Refuses a step: ``to`` not a status (422), not reachable from ``status`` (409), or
    not the actor's to take (403)."""
    if to not in PEMBINAAN_REQUEST_STATUSES:
        raise Invalid("to", f"Use one of {', '.join(PEMBINAAN_REQUEST_STATUSES)}.")
    who = TRANSITIONS.get((status, to))
    if who is None:
        raise TransitionNotAllowed(f"A request that is {status} cannot become {to}.")
    if not may_take(who, actor, request_satker_code):
        raise TransitionNotPermitted()


def check_note(note: str | None) -> None:
    if note is not None and len(note) > NOTE_MAX:
        raise Invalid("note", f"Use at most {NOTE_MAX} characters.")
