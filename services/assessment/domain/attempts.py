"""The timed attempt: which questions a candidate gets and in what order, when it ends, what
may still be saved, and the score. Times are from the server's clock only.

- 30 questions per candidate, spread over the bank's categories (one from each in turn), their
  order and each question's option order shuffled per candidate from the attempt's own seed:
  the draw is stored when the attempt starts, so a resume shows exactly the same test.
- Deadline = min(start + 60 minutes, session end), moved later by any outage of the service
  that happened while the attempt was open (services/assessment/domain/clock.py).
"""
from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from services.assessment.domain.errors import (
    AttemptOver,
    ItemBankEmpty,
    OutsideSessionWindow,
)

QUESTIONS_PER_ATTEMPT = 30
ATTEMPT_DURATION = timedelta(minutes=60)

OPEN, SUBMITTED, CLOSED = "open", "submitted", "closed"  # closed = by the deadline
BY_CANDIDATE, BY_DEADLINE = "candidate", "deadline"


@dataclass(frozen=True)
class BankItem:
    question_id: str
    category: str
    option_count: int


@dataclass(frozen=True)
class DrawnQuestion:
    question_id: str
    position: int
    # option_order[shown] = the bank's index of the option shown at place ``shown``
    option_order: tuple[int, ...]


def draw_questions(bank: Sequence[BankItem], seed: int,
                   count: int = QUESTIONS_PER_ATTEMPT) -> list[DrawnQuestion]:
    """``count`` questions (all of them if the bank has fewer), one category after another so
    that every category is represented as evenly as the bank allows; then the whole list and
    each question's options shuffled. Deterministic for one seed."""
    if not bank:
        raise ItemBankEmpty()
    rng = random.Random(seed)
    by_category: dict[str, list[BankItem]] = {}
    for item in sorted(bank, key=lambda item: item.question_id):
        by_category.setdefault(item.category, []).append(item)
    categories = sorted(by_category)
    rng.shuffle(categories)
    for category in categories:
        rng.shuffle(by_category[category])
    chosen: list[BankItem] = []
    while len(chosen) < min(count, len(bank)):
        for category in categories:
            if by_category[category] and len(chosen) < count:
                chosen.append(by_category[category].pop())
    rng.shuffle(chosen)
    drawn = []
    for position, item in enumerate(chosen):
        order = list(range(item.option_count))
        rng.shuffle(order)
        drawn.append(DrawnQuestion(item.question_id, position, tuple(order)))
    return drawn


def bank_index(option_order: Sequence[int], shown_index: int) -> int | None:
    """The bank's index of the option the candidate chose at ``shown_index``; None when the
    index is not one of the options shown."""
    if not 0 <= shown_index < len(option_order):
        return None
    return option_order[shown_index]


def shown_index(option_order: Sequence[int], bank_choice: int) -> int:
    return list(option_order).index(bank_choice)


def deadline_of(started_at: datetime, session_ends_at: datetime) -> datetime:
    return min(started_at + ATTEMPT_DURATION, session_ends_at)


def check_may_start(now: datetime, session_starts_at: datetime,
                    session_ends_at: datetime) -> None:
    if not session_starts_at <= now < session_ends_at:
        raise OutsideSessionWindow()


def check_may_answer(status: str, deadline: datetime, now: datetime) -> None:
    """An answer counts only while the attempt is open and before its deadline, even if the
    service has not closed it yet."""
    if status != OPEN or now >= deadline:
        raise AttemptOver()


def seconds_left(deadline: datetime, now: datetime) -> int:
    return max(0, int((deadline - now).total_seconds()))


def score_of(correct: int, question_count: int) -> float:
    """The share of correct answers, 0-100, two decimals."""
    if question_count <= 0:
        return 0.0
    return round(100.0 * correct / question_count, 2)


def public_status(status: str, deadline: datetime, now: datetime) -> str:
    """What the candidate is told: an open attempt past its deadline is already closed for
    them, even in the second before the service's timer closes it."""
    if status == OPEN and now >= deadline:
        return CLOSED
    return status
