"""The competency test (tes kompetensi) as selection follows it: assessment tells the outcome of
each booked application, selection keeps it for the final selection and the candidate.

Assessment sends one outcome per booking: ``attempt_completed`` for an attempt that ended
(submitted or closed at its deadline), ``test_missed`` for a booking never started by the
session's end. The two exclude each other there, so a second outcome for one application is a
redelivery or a replay: the first one heard of stays. A missed test counts as withdrawal
(mengundurkan diri), from the end of the session.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

__all__ = [
    "COMPLETED",
    "FINAL_PENDING",
    "MISSED",
    "TEST_STATUSES",
    "WITHDRAWN",
    "CompetencyTestResult",
    "disclosed_score",
    "discloses_scores",
    "final_status_after",
    "result_to_keep",
]

COMPLETED = "completed"
MISSED = "missed"
TEST_STATUSES: tuple[str, ...] = (COMPLETED, MISSED)
# Final selection: pending until decided; withdrawn once a booked test was missed.
FINAL_PENDING = "pending"
WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class CompetencyTestResult:
    """One application's test outcome. A completed test has its attempt, score (share of
    correct answers, 0-100), answered count, who closed it (the candidate or the deadline)
    and when; a missed one has none of these."""

    status: str
    score: float | None = None
    answered: int | None = None
    attempt_id: str | None = None
    closed_by: str | None = None
    completed_at: datetime | None = None

    def __post_init__(self) -> None:
        # A result outside these is assessment's bug: refused, so the event is parked for an
        # operator instead of being stored.
        if self.status not in TEST_STATUSES:
            raise ValueError(f"Unknown test status: {self.status!r}.")
        if self.score is not None and not 0 <= self.score <= 100:
            raise ValueError(f"A test score is 0-100, not {self.score!r}.")


def result_to_keep(held: CompetencyTestResult | None,
                   heard: CompetencyTestResult) -> CompetencyTestResult | None:
    """The result to store when ``heard`` arrives, or None to change nothing.

    The first result wins: a redelivered or replayed event (whatever its id) leaves the stored
    score alone, and a ``test_missed`` never overrides a completed attempt.
    """
    return heard if held is None else None


def final_status_after(current: str, result: CompetencyTestResult) -> str:
    """The final status once ``result`` is kept: a missed test withdraws the candidate (the
    seeds count it as mengundurkan diri); a completed one leaves the final decision open."""
    return WITHDRAWN if result.status == MISSED else current


def discloses_scores(criteria: Mapping[str, Any] | None) -> bool:
    """Whether candidates may see their scores: only when the activity's final criteria say
    so (``disclose_scores``, the satker's choice). No criteria, no disclosure."""
    return criteria is not None and criteria.get("disclose_scores") is True


def disclosed_score(score: float | None, criteria: Mapping[str, Any] | None) -> float | None:
    """The score as the candidate may see it: None unless the criteria disclose scores."""
    return score if discloses_scores(criteria) else None
