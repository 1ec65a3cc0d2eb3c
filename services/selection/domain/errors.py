"""Selection's refusals, each one of the shared kinds (the kind decides the gRPC and HTTP
status). Another satker's data is refused with the shared ``NotInScope``."""
from __future__ import annotations

from services.shared.contracts.errors import InvalidInput, NotFound
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
