"""What selection keeps: its own read model of registration's activities and applications (a
service never reads another's tables), each application's review, and the audit trail.

Plain values: the repositories store and load them, the use cases make new ones with
``dataclasses.replace``.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from services.selection.domain.assessment_results import FINAL_PENDING, CompetencyTestResult
from services.selection.domain.eligibility import Checks
from services.shared.contracts.candidate import DocumentSnapshot, ProfileSnapshot


@dataclass(frozen=True)
class Activity:
    """A recruitment activity as selection last heard of it: enough to decide satker scope
    before any application arrives. ``version`` is registration's counter (higher = newer)."""

    id: str
    satker_code: str
    name: str
    year: int
    version: int
    # When the results are published, and when the announcement was made (None until then).
    announcement_at: datetime | None = None
    announced_at: datetime | None = None


@dataclass(frozen=True)
class CandidateData:
    """The newest profile and documents selection has heard of for one candidate.

    Registration's events travel on different queues and may overtake each other; an
    application snapshot that arrives after a newer profile change takes the newer data from
    here. ``data_version`` is registration's counter; -1 before any event.
    """

    account_id: str
    data_version: int
    profile: ProfileSnapshot | None
    documents: tuple[DocumentSnapshot, ...]


@dataclass(frozen=True)
class Application:
    """One application under administrative review.

    ``profile`` is the candidate's data the review is about (the application's snapshot,
    followed while the review is open); ``documents`` are the ones submitted with the
    application, never followed (a newer upload is shown beside them:
    document_versions.py); ``age`` and ``checks`` were computed from the profile and the
    candidate's documents on the registration date. ``test`` is the competency test's outcome
    from assessment (None until heard of); ``final_status`` the final selection's, with
    ``withdrawn_at`` when a missed test withdrew the candidate.
    """

    id: str  # the id registration issued: one id across all services
    activity_id: str
    activity_name: str
    satker_code: str
    year: int
    account_id: str
    registration_number: str
    submitted_at: datetime
    requirements: Mapping[str, Any]  # the raw form, as the activity states them
    profile: ProfileSnapshot
    documents: tuple[DocumentSnapshot, ...]
    age: int
    checks: Checks
    administrative_status: str
    administrative_reason: str | None
    administrative_decided_at: datetime | None
    received_at: datetime
    data_version: int  # of the candidate data the review reflects
    updated_at: datetime
    test: CompetencyTestResult | None = None
    final_status: str = FINAL_PENDING
    withdrawn_at: datetime | None = None


@dataclass(frozen=True)
class AuditEntry:
    """One change of an application's administrative status: who, when, from, to, why."""

    application_id: str
    from_status: str
    to_status: str
    reason: str | None
    decided_by: str
    decided_by_role: str
    decided_at: datetime
