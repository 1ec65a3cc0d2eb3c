"""Selection's refusals, each one of the shared kinds (the kind decides the gRPC and HTTP
status). Another satker's data is refused with the shared ``NotInScope``."""
from __future__ import annotations

from services.shared.contracts.errors import Conflict, InvalidInput, NotFound
from services.shared.contracts.vocabulary import (
    ADMINISTRATIVE_DECISIONS,
    ADMINISTRATIVE_STATUSES,
    EXPORT_FORMATS,
)


class ApplicationUnknown(NotFound):
    """Also for another satker's application: the admin may not learn that it exists."""

    detail = "No application has this id."


class ActivityUnknown(NotFound):
    detail = "No activity has this id."


class UnknownDecision(InvalidInput):
    def __init__(self) -> None:
        super().__init__({"decision": [f"Must be one of: {', '.join(ADMINISTRATIVE_DECISIONS)}."]})


class ReasonRequired(InvalidInput):
    def __init__(self) -> None:
        super().__init__({"reason": [
            "Give a reason for this decision: the candidate reads it in the e-mail."]})


class ReasonNotText(InvalidInput):
    def __init__(self) -> None:
        super().__init__({"reason": ["Must be a string."]})


class UnknownStatusFilter(InvalidInput):
    def __init__(self) -> None:
        super().__init__({"administrative_status": [
            f"Use one of: {', '.join(ADMINISTRATIVE_STATUSES)}."]})


class UnknownExportFormat(InvalidInput):
    def __init__(self) -> None:
        super().__init__({"format": [f"Use {' or '.join(EXPORT_FORMATS)}."]})


# -- final selection and the announcement --------------------------------------------------------

class InvalidFinalCriteria(InvalidInput):
    """The criteria's fields that are wrong, each with what is wrong."""


class FinalCriteriaUnknown(NotFound):
    detail = "No final criteria are set for this activity."


class FinalCriteriaRequired(Conflict):
    detail = "Set the activity's final criteria first: the ranking is made of them."


class CriteriaLocked(Conflict):
    detail = ("The final criteria cannot change once a final decision is made: the ranking "
              "the committee decided on must stay the one it was.")


class UnknownFinalDecision(InvalidInput):
    def __init__(self) -> None:
        super().__init__({"decision": ["Must be one of: accepted, rejected."]})


class AlreadyDecided(Conflict):
    detail = "This application is decided: the committee's decision is final."


class NotRanked(Conflict):
    detail = ("Only a ranked application may be accepted: administratively accepted, with a "
              "completed test at or above the minimum score.")


class PositionsFilled(Conflict):
    def __init__(self, positions: int | None = None, accepted: int | None = None) -> None:
        detail = "Accepting these would pass the activity's positions."
        if positions is not None and accepted is not None:
            detail = (f"Accepting these would pass the activity's {positions} positions "
                      f"({accepted} accepted already).")
        super().__init__(detail)


class AlreadyAnnounced(Conflict):
    detail = "The results are announced: nothing of the final selection changes any more."


class ResultsNotAnnounced(NotFound):
    detail = "No results are published for this activity (yet)."


class InvalidInterviewScore(InvalidInput):
    def __init__(self) -> None:
        super().__init__({"score": ["Must be a number from 0 to 100."]})


class InvalidCount(InvalidInput):
    def __init__(self) -> None:
        super().__init__({"count": ["Must be a whole number of at least 1."]})
