"""Pembinaan's refusals, each a kind of ``services.shared.contracts.errors`` (the kind decides
the gRPC and HTTP status). A record of another team is as unknown as one that does not exist
(404); a route the caller's role or team may not use is ``NotPermitted`` (403)."""
from __future__ import annotations

from services.shared.contracts.errors import Conflict, InvalidInput, NotFound, NotPermitted


class TeamUnknown(NotFound):
    detail = "No Tim Pembina has this id."


class LokusUnknown(NotFound):
    detail = "No lokus binaan has this id."


class RecordUnknown(NotFound):
    detail = "No record has this id."


class DeadlinesNotSet(NotFound):
    detail = "The sekretariat has set no reporting deadlines for this year."


class RequestUnknown(NotFound):
    detail = "No request has this id."


class NotTeamMember(NotPermitted):
    detail = "Only the members of this Tim Pembina and the sekretariat may do this."


class SekretariatOnly(NotPermitted):
    detail = "Only the Sekretariat Pembinaan may do this."


class TransitionNotPermitted(NotPermitted):
    detail = "Your role may not take this request to this status."


class TeamExists(Conflict):
    detail = "This unit already has a Tim Pembina for this year."


class KetuaExists(Conflict):
    detail = "This Tim Pembina already has a ketua."


class AlreadyMember(Conflict):
    detail = "This account is already a member of this Tim Pembina."


class LokusExists(Conflict):
    detail = "This team already has a lokus with this code."


class TransitionNotAllowed(Conflict):
    detail = "This request cannot go to that status from its current one."


class Invalid(InvalidInput):
    """A field of the body is invalid: ``Invalid("field", "message")``."""

    def __init__(self, field: str, message: str):
        super().__init__({field: [message]})
