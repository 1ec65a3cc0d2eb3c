"""Assessment's refusals, each a kind of ``services.shared.contracts.errors`` (the kind decides
the gRPC and HTTP status). Another satker's activity is refused with the shared
``NotInScope``; another candidate's attempt is as unknown as one that does not exist."""
from __future__ import annotations

from services.shared.contracts.errors import Conflict, InvalidInput, NotFound, NotPermitted


class ActivityUnknown(NotFound):
    detail = "No activity has this id."


class SessionUnknown(NotFound):
    detail = "No test session has this id."


class AttemptUnknown(NotFound):
    """Also another candidate's attempt: a candidate may not learn that it exists."""

    detail = "No attempt has this id."


class QuestionNotInAttempt(NotFound):
    detail = "This question is not one of this attempt's questions."


class NotAccepted(NotPermitted):
    detail = ("Only candidates accepted (Diterima) in the administrative selection may book a "
              "test session.")


class NoBooking(NotPermitted):
    detail = "You have no booking for this test session."


class AlreadyBooked(Conflict):
    detail = ("You have already booked a test session for this activity; a booking cannot be "
              "changed.")


class SessionFull(Conflict):
    detail = "This test session is full; choose another one."


class SessionEnded(Conflict):
    detail = "This test session has ended; it can no longer be booked."


class OutsideSessionWindow(Conflict):
    detail = "The test can be started only during the booked session."


class AttemptOver(Conflict):
    detail = "This attempt is over: the deadline has passed or it was submitted."


class ItemBankEmpty(Conflict):
    detail = "The activity's question bank has no questions yet; tell the satker."


class UnreadableSheet(InvalidInput):
    """The uploaded question sheet cannot be read as the expected XLSX at all."""

    def __init__(self, message: str) -> None:
        super().__init__({"file": [message]}, "The question sheet cannot be read.")


class InvalidQuestions(InvalidInput):
    """Some questions break the item bank's rules; nothing of the request was imported."""

    def __init__(self, errors: dict) -> None:
        super().__init__(errors, "Some questions are not valid; none was imported.")


class InvalidSchedule(InvalidInput):
    pass
