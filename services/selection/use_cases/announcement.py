"""The announcement (pengumuman): at the activity's announcement time the final statuses switch
by themselves (a timer that one replica runs, under a database lock), each accepted or
rejected candidate is mailed in Indonesian, ``results_announced`` goes out through the outbox,
and the public list opens.

What candidates and the public see is decided by the time itself (``is_announced``), so it is
exact to the second whatever the timer's interval; the timer's run makes it lasting (the
statuses stored, the announcement recorded) and sends the mail and the event, once.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime

from services.selection.adapters.mail_templates import announcement_mail
from services.selection.domain.assessment_results import disclosed_score
from services.selection.domain.decisions import ApplicationStatus
from services.selection.domain.errors import ActivityUnknown, ResultsNotAnnounced
from services.selection.domain.final_selection import (
    ACCEPTED,
    REJECTED,
    announced_status,
    components_of,
    is_announced,
    total_of,
    visible_final_status,
    visible_total,
)
from services.selection.domain.model import Activity
from services.shared.contracts.events import RESULTS_ANNOUNCED
from services.shared.contracts.regions import kecamatan


def announce_due(uow, now: datetime, batch: int = 10) -> list[str] | None:
    """Announce every activity whose time has come (up to ``batch`` per run; the next run
    goes on): the ids announced, or None when another replica announces now."""
    if not uow.take_announcer_turn():
        return None
    announced = []
    for activity in uow.activities.due_for_announcement(now, batch):
        announce(uow, activity, now)
        announced.append(activity.id)
    return announced


def announce(uow, activity: Activity, now: datetime) -> None:
    """Switch the final statuses of the activity's applications, mail each accepted or
    rejected candidate, record the announcement and its event."""
    decisions = {entry.application_id: entry.decision
                 for entry in uow.final_decisions.of_activity(activity.id)}
    criteria = uow.final_criteria.get(activity.id)
    disclose = criteria is not None and criteria.disclose_scores
    totals = ({facts.application_id: total_of(components_of(facts), criteria.weights)
               for facts in uow.applications.ranking_facts(activity_id=activity.id)
               if facts.test_status == "completed"} if disclose else {})
    by_status: dict[str, list] = {ACCEPTED: [], REJECTED: []}
    for application in uow.applications.of_activity(activity.id):
        status = announced_status(application.final_status, decisions.get(application.id))
        if status not in by_status:
            continue  # withdrawn: never mailed at the announcement
        by_status[status].append(application)
        subject, body = announcement_mail(
            application.profile.full_name, application.activity_name,
            application.registration_number, status, totals.get(application.id))
        uow.mail.queue(application.profile.email, subject, body)
    for status, applications in by_status.items():
        uow.applications.set_final_status([a.id for a in applications], status)
    uow.activities.mark_announced(activity.id, now)
    uow.events.record(RESULTS_ANNOUNCED, {
        "activity_id": activity.id, "satker_code": activity.satker_code,
        "year": activity.year, "announcement_at": activity.announcement_at,
        "announced_at": now,
        "accepted": [{"application_id": a.id, "account_id": a.account_id,
                      "registration_number": a.registration_number}
                     for a in by_status[ACCEPTED]],
        "rejected_count": len(by_status[REJECTED]),
    })


def results(uow, activity_id: str, now: datetime | None = None) -> dict:
    """The public list, from the announcement time: registration number, name and kecamatan
    (of the NIK) of the finally accepted, by registration number; 404 before."""
    now = now if now is not None else datetime.now(UTC)
    activity = uow.activities.get(activity_id)
    if activity is None:
        raise ActivityUnknown()
    if not is_announced(activity.announcement_at, activity.announced_at, now):
        raise ResultsNotAnnounced()
    accepted = [entry.application_id for entry in uow.final_decisions.of_activity(activity_id)
                if entry.decision == ACCEPTED]
    items = []
    for application in uow.applications.of_ids(accepted):
        region = kecamatan(application.profile.nik[:6])
        items.append({"registration_number": application.registration_number,
                      "full_name": application.profile.full_name,
                      "kecamatan": region.name if region else application.profile.kecamatan_name})
    return {"items": items, "total": len(items)}


def final_view(uow, statuses: Iterable[ApplicationStatus],
               now: datetime | None = None) -> list[ApplicationStatus]:
    """The candidate's statuses with the final selection as they may see it: ``pending``
    until the announcement (``withdrawn`` from a missed session's end), then the result; the
    test score where the criteria disclose scores, the own total only from the announcement
    and where disclosed."""
    now = now if now is not None else datetime.now(UTC)
    statuses = list(statuses)
    activities: dict[str, tuple] = {}
    shown = []
    for status in statuses:
        if status.activity_id not in activities:
            activity = uow.activities.get(status.activity_id)
            criteria = uow.final_criteria.get(status.activity_id)
            announced = activity is not None and is_announced(
                activity.announcement_at, activity.announced_at, now)
            activities[status.activity_id] = (criteria, announced)
        criteria, announced = activities[status.activity_id]
        decision = uow.final_decisions.of_application(status.application_id) if announced else None
        total = None
        if announced and criteria is not None and criteria.disclose_scores:
            (facts,) = uow.applications.ranking_facts(application_ids=[status.application_id])
            if facts.test_status == "completed":
                total = total_of(components_of(facts), criteria.weights)
        shown.append(replace(
            status,
            test_score=disclosed_score(status.test_score,
                                       criteria.to_dict() if criteria else None),
            final_status=visible_final_status(
                status.final_status, decision.decision if decision else None, announced),
            final_score=visible_total(total, criteria, announced)))
    return shown
