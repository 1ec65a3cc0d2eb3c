"""The values assessment's rules and repositories speak in."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from services.assessment.domain.attempts import DrawnQuestion


@dataclass(frozen=True)
class Activity:
    """What assessment knows of a recruitment activity (from registration's events): enough
    to decide satker scope."""

    activity_id: str
    satker_code: str
    name: str
    version: int


@dataclass(frozen=True)
class Question:
    id: str
    activity_id: str
    text: str
    options: tuple[str, ...]
    answer_index: int
    category: str
    created_at: datetime


@dataclass(frozen=True)
class TestSession:
    id: str
    activity_id: str
    satker_code: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    booked: int


ACTIVE, VOIDED = "active", "voided"


@dataclass(frozen=True)
class Booking:
    id: str
    application_id: str
    session_id: str
    activity_id: str
    account_id: str
    status: str  # active, or voided by a later administrative decision that is not accepted
    booked_at: datetime


@dataclass(frozen=True)
class Attempt:
    id: str
    booking_id: str
    application_id: str
    session_id: str
    activity_id: str
    satker_code: str
    account_id: str
    started_at: datetime
    deadline: datetime
    status: str
    question_count: int
    closed_at: datetime | None = None
    closed_by: str | None = None
    score: float | None = None
    answered: int | None = None


@dataclass(frozen=True)
class AttemptItem:
    """One drawn question of an attempt, as the candidate sees it (no answer key)."""

    drawn: DrawnQuestion
    text: str
    options: tuple[str, ...]  # in the bank's order


@dataclass(frozen=True)
class AnswerCheck:
    """What a save needs to know, read in one query: the attempt's owner and time, and the
    question's option order in this attempt (None: not one of its questions)."""

    attempt_id: str
    account_id: str
    status: str
    deadline: datetime
    option_order: tuple[int, ...] | None
