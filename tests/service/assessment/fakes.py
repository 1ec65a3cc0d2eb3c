"""Assessment's in-memory unit of work: dict-backed repositories with the same methods as
services/assessment/persistence/repositories.py, and the same refusals where the database
keeps an invariant (capacity, one active booking per application, one attempt per booking).
The domain values are frozen, so what a repository hands out cannot change what it holds."""
from __future__ import annotations

import dataclasses
from datetime import datetime

from services.assessment.domain.attempts import OPEN, BankItem, DrawnQuestion
from services.assessment.domain.eligibility import Decision
from services.assessment.domain.errors import AlreadyBooked
from services.assessment.domain.item_bank import QuestionDraft
from services.assessment.domain.model import (
    ACTIVE,
    VOIDED,
    Activity,
    AnswerCheck,
    Attempt,
    AttemptItem,
    Booking,
    Question,
    TestSession,
)
from services.shared.platform.database import new_id
from tests.support.memory import InMemoryUnitOfWork


class InMemoryActivityRepository:
    def __init__(self) -> None:
        self.rows: dict[str, Activity] = {}

    def get(self, activity_id: str, for_update: bool = False) -> Activity | None:
        return self.rows.get(activity_id)

    def save(self, activity: Activity) -> None:
        self.rows[activity.activity_id] = activity


class InMemoryApplicationRepository:
    def __init__(self) -> None:
        self.rows: dict[str, Decision] = {}

    def get(self, application_id: str, for_update: bool = False) -> Decision | None:
        return self.rows.get(application_id)

    def of_candidate(self, account_id: str, activity_id: str) -> Decision | None:
        return next((row for row in self.rows.values()
                     if row.account_id == account_id and row.activity_id == activity_id), None)

    def save(self, decision: Decision) -> None:
        self.rows[decision.application_id] = decision


@dataclasses.dataclass(frozen=True)
class StoredQuestion:
    question: Question
    created_by: str


class InMemoryQuestionRepository:
    def __init__(self) -> None:
        self.rows: dict[str, StoredQuestion] = {}

    def add_all(self, activity_id: str, drafts: list[QuestionDraft], created_by: str,
                now: datetime) -> int:
        for draft in drafts:
            question = Question(new_id(), activity_id, draft.text, tuple(draft.options),
                                draft.answer_index, draft.category, now)
            self.rows[question.id] = StoredQuestion(question, created_by)
        return len(drafts)

    def of_activity(self, activity_id: str, offset: int | None = None,
                    limit: int | None = None) -> tuple[list[Question], int]:
        matching = sorted((row.question for row in self.rows.values()
                           if row.question.activity_id == activity_id),
                          key=lambda question: (question.created_at, question.id))
        start = offset or 0
        end = None if limit is None else start + limit
        return matching[start:end], len(matching)

    def bank(self, activity_id: str) -> list[BankItem]:
        return [BankItem(row.question.id, row.question.category, len(row.question.options))
                for row in self.rows.values() if row.question.activity_id == activity_id]

    def keys(self, activity_id: str) -> list[Question]:
        return self.of_activity(activity_id)[0]


class InMemorySessionRepository:
    def __init__(self) -> None:
        self.rows: dict[str, TestSession] = {}
        self.no_shows_reported_at: dict[str, datetime] = {}

    def add(self, activity_id: str, satker_code: str, starts_at: datetime, ends_at: datetime,
            capacity: int, now: datetime) -> TestSession:
        session = TestSession(new_id(), activity_id, satker_code, starts_at, ends_at, capacity,
                              booked=0)
        self.rows[session.id] = session
        return session

    def get(self, session_id: str) -> TestSession | None:
        return self.rows.get(session_id)

    def of_activity(self, activity_id: str) -> list[TestSession]:
        return sorted((row for row in self.rows.values() if row.activity_id == activity_id),
                      key=lambda row: (row.starts_at, row.id))

    def take_seat(self, session_id: str) -> bool:
        session = self.rows.get(session_id)
        if session is None or session.booked >= session.capacity:
            return False
        self.rows[session_id] = dataclasses.replace(session, booked=session.booked + 1)
        return True

    def free_seat(self, session_id: str) -> None:
        session = self.rows[session_id]
        if session.booked <= 0:  # the CHECK (booked >= 0) would refuse it
            raise AssertionError(f"session {session_id} has no seat taken to free")
        self.rows[session_id] = dataclasses.replace(session, booked=session.booked - 1)

    def ended_unreported(self, now: datetime, limit: int) -> list[TestSession]:
        return sorted((row for row in self.rows.values()
                       if row.ends_at <= now and row.id not in self.no_shows_reported_at),
                      key=lambda row: row.ends_at)[:limit]

    def mark_no_shows_reported(self, session_id: str, now: datetime) -> None:
        if session_id in self.rows:
            self.no_shows_reported_at[session_id] = now


class InMemoryBookingRepository:
    def __init__(self, attempts: InMemoryAttemptRepository,
                 sessions: InMemorySessionRepository) -> None:
        self.rows: dict[str, Booking] = {}
        self.voided_at: dict[str, datetime] = {}
        self._attempts, self._sessions = attempts, sessions

    def add(self, application_id: str, session_id: str, activity_id: str, account_id: str,
            now: datetime) -> Booking:
        if self.active_of_application(application_id) is not None:
            raise AlreadyBooked()  # the partial unique index
        booking = Booking(new_id(), application_id, session_id, activity_id, account_id,
                          ACTIVE, now)
        self.rows[booking.id] = booking
        return booking

    def active_of_application(self, application_id: str,
                              for_update: bool = False) -> Booking | None:
        return next((row for row in self.rows.values()
                     if row.application_id == application_id and row.status == ACTIVE), None)

    def active_of_candidate(self, account_id: str, session_id: str,
                            for_update: bool = False) -> Booking | None:
        return next((row for row in self.rows.values()
                     if row.account_id == account_id and row.session_id == session_id
                     and row.status == ACTIVE), None)

    def void(self, booking_id: str, now: datetime) -> None:
        self.rows[booking_id] = dataclasses.replace(self.rows[booking_id], status=VOIDED)
        self.voided_at[booking_id] = now

    def without_attempt(self, session_id: str) -> list[Booking]:
        return [row for row in self.rows.values()
                if row.session_id == session_id and row.status == ACTIVE
                and self._attempts.of_booking(row.id) is None]

    def of_applications(self, application_ids: list[str]) -> dict[str, tuple]:
        """application id -> (booking, its session's end, its attempt's id, status and
        deadline)."""
        held = {}
        for row in self.rows.values():
            if row.application_id in application_ids and row.status == ACTIVE:
                attempt = self._attempts.of_booking(row.id)
                held[row.application_id] = (
                    row, self._sessions.rows[row.session_id].ends_at,
                    attempt.id if attempt else None, attempt.status if attempt else None,
                    attempt.deadline if attempt else None)
        return held


@dataclasses.dataclass(frozen=True)
class SavedAnswer:
    shown_index: int
    bank_index: int
    saved_at: datetime


@dataclasses.dataclass(frozen=True)
class AnswerLogEntry:
    """A row of the append-only answer_log."""

    attempt_id: str
    question_id: str
    option_index: int
    saved_at: datetime
    client_address: str


class InMemoryAttemptRepository:
    def __init__(self, questions: InMemoryQuestionRepository) -> None:
        self.rows: dict[str, Attempt] = {}
        self.seeds: dict[str, int] = {}
        self.drawn: dict[str, list[DrawnQuestion]] = {}
        self.saved: dict[tuple[str, str], SavedAnswer] = {}
        self.answer_log: list[AnswerLogEntry] = []
        self._questions = questions

    def add(self, attempt: Attempt, seed: int, drawn: list[DrawnQuestion]) -> bool:
        if any(row.booking_id == attempt.booking_id
               or row.application_id == attempt.application_id
               for row in self.rows.values()) or attempt.id in self.rows:
            return False  # the unique keys: one attempt per booking and per application
        self.rows[attempt.id] = attempt
        self.seeds[attempt.id] = seed
        self.drawn[attempt.id] = list(drawn)
        return True

    def get(self, attempt_id: str, for_update: bool = False) -> Attempt | None:
        return self.rows.get(attempt_id)

    def of_booking(self, booking_id: str) -> Attempt | None:
        return next((row for row in self.rows.values() if row.booking_id == booking_id), None)

    def items(self, attempt_id: str) -> list[AttemptItem]:
        questions = self._questions.rows
        return [AttemptItem(item, questions[item.question_id].question.text,
                            questions[item.question_id].question.options)
                for item in sorted(self.drawn.get(attempt_id, []),
                                   key=lambda item: item.position)]

    def answers(self, attempt_id: str) -> dict[str, int]:
        """question id -> the option index as shown to the candidate."""
        return {question_id: saved.shown_index
                for (held_attempt, question_id), saved in self.saved.items()
                if held_attempt == attempt_id}

    def answered_count(self, attempt_id: str) -> int:
        return len(self.answers(attempt_id))

    def answer_check(self, attempt_id: str, question_id: str) -> AnswerCheck | None:
        attempt = self.rows.get(attempt_id)
        if attempt is None:
            return None
        order = next((item.option_order for item in self.drawn[attempt_id]
                      if item.question_id == question_id), None)
        return AnswerCheck(attempt.id, attempt.account_id, attempt.status, attempt.deadline,
                           order)

    def save_answer(self, attempt_id: str, question_id: str, shown_index: int, bank_index: int,
                    now: datetime, client_address: str) -> None:
        self.saved[(attempt_id, question_id)] = SavedAnswer(shown_index, bank_index, now)
        self.answer_log.append(AnswerLogEntry(attempt_id, question_id, shown_index, now,
                                              client_address))

    def correct_count(self, attempt_id: str) -> tuple[int, int]:
        """(answered, correct) among the attempt's saved answers."""
        answered = correct = 0
        for (held_attempt, question_id), saved in self.saved.items():
            if held_attempt == attempt_id and question_id in self._questions.rows:
                answered += 1
                correct += saved.bank_index == self._questions.rows[
                    question_id].question.answer_index
        return answered, correct

    def finish(self, attempt_id: str, status: str, closed_by: str, now: datetime,
               score: float, answered: int) -> bool:
        attempt = self.rows.get(attempt_id)
        if attempt is None or attempt.status != OPEN:
            return False
        self.rows[attempt_id] = dataclasses.replace(
            attempt, status=status, closed_by=closed_by, closed_at=now, score=score,
            answered=answered)
        return True

    def due(self, now: datetime, limit: int) -> list[str]:
        return [row.id for row in sorted(
            (row for row in self.rows.values() if row.status == OPEN and row.deadline <= now),
            key=lambda row: row.deadline)][:limit]

    def open_deadlines(self) -> dict[str, tuple[datetime, datetime]]:
        return {row.id: (row.started_at, row.deadline) for row in self.rows.values()
                if row.status == OPEN}

    def move_deadlines(self, moved: dict[str, datetime]) -> None:
        for attempt_id, deadline in moved.items():
            self.rows[attempt_id] = dataclasses.replace(self.rows[attempt_id],
                                                        deadline=deadline)

    def completed_responses(self, activity_id: str, session_id: str | None):
        """(attempt id, question id, bank index chosen or None) of every finished attempt."""
        return [(attempt.id, item.question_id,
                 saved.bank_index if (saved := self.saved.get((attempt.id, item.question_id)))
                 else None)
                for attempt in self.rows.values()
                if attempt.activity_id == activity_id and attempt.status != OPEN
                and (not session_id or attempt.session_id == session_id)
                for item in self.drawn[attempt.id]]


class InMemoryClock:
    def __init__(self) -> None:
        self.beat_at: datetime | None = None

    def last_beat(self) -> datetime | None:
        return self.beat_at

    def beat(self, now: datetime) -> None:
        self.beat_at = now


class InMemoryAssessmentUnitOfWork(InMemoryUnitOfWork):
    def __init__(self) -> None:
        super().__init__()
        self.activities = InMemoryActivityRepository()
        self.applications = InMemoryApplicationRepository()
        self.questions = InMemoryQuestionRepository()
        self.sessions = InMemorySessionRepository()
        self.attempts = InMemoryAttemptRepository(self.questions)
        self.bookings = InMemoryBookingRepository(self.attempts, self.sessions)
        self.clock = InMemoryClock()
        self.timekeeper_turns = True  # False: another replica closes and reports
        self.heartbeat_turns = True  # False: another replica beats

    @property
    def answer_log(self) -> list[AnswerLogEntry]:
        return self.attempts.answer_log

    def take_timekeeper_turn(self) -> bool:
        return self.timekeeper_turns

    def take_heartbeat_turn(self) -> bool:
        return self.heartbeat_turns
