"""The notifier: pembinaan follows its own events and mails, in Indonesian, the team a request
was disposed or escalated to (every member with an e-mail), and the ketua and koordinator of a
team one of whose activities was documented (the juknis: the koordinator makes sure the
team's coaching is recorded). Run once per event (handle_once), in its own transaction."""
from __future__ import annotations

from services.pembinaan.adapters.mail_templates import activity_documented, request_routed
from services.pembinaan.domain.requests import DISPOSED, ESCALATED

LEADS = ("ketua", "koordinator")


def request_transitioned(uow, event: dict) -> None:
    if event["to_status"] not in (DISPOSED, ESCALATED) or event["team_id"] is None:
        return
    request, team = uow.requests.get(event["request_id"]), uow.teams.get(event["team_id"])
    if request is None or team is None:
        return
    subject, body = request_routed(event["to_status"], team.name, request.requester_name,
                                   request.subject, request.letter_number, request.letter_date,
                                   event["note"])
    for email in uow.requests.member_emails(team.id):
        uow.mail.queue(email, subject, body)


def pembinaan_activity_documented(uow, event: dict) -> None:
    team, lokus = uow.teams.get(event["team_id"]), uow.lokus.get(event["lokus_id"])
    if team is None or lokus is None:
        return
    subject, body = activity_documented(team.name, lokus.name, event["bentuk"],
                                        event["tanggal"], event["inisiatif"])
    for member in uow.members.of_team(team.id):
        if member.position in LEADS and member.email:
            uow.mail.queue(member.email, subject, body)
