"""Assessment's queries, behind the unit of work; they speak in domain values.

The invariants the competency test depends on are the database's: a session's ``booked``
counter moves only by a conditional UPDATE that the CHECK (booked <= capacity) also guards,
one active booking per application is a unique index, one attempt per booking a unique key.
A violation surfaces as the named refusal, never as a second booking.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

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
from services.assessment.persistence.models import (
    ActivityRecord,
    AnswerLogRecord,
    AnswerRecord,
    ApplicationRecord,
    AttemptQuestionRecord,
    AttemptRecord,
    BookingRecord,
    ClockRecord,
    QuestionRecord,
    TestSessionRecord,
)
from services.shared.platform.database import is_postgres, new_id

_DECISION_FIELDS = tuple(field.name for field in dataclasses.fields(Decision))
_SESSION_FIELDS = tuple(field.name for field in dataclasses.fields(TestSession))
_BOOKING_FIELDS = tuple(field.name for field in dataclasses.fields(Booking))
_ATTEMPT_FIELDS = tuple(field.name for field in dataclasses.fields(Attempt))


def _order_text(order: Iterable[int]) -> str:
    return ",".join(str(index) for index in order)


def _order_of(text: str) -> tuple[int, ...]:
    return tuple(int(index) for index in text.split(","))


def _insert(session: Session):
    """The dialect's INSERT, for ON CONFLICT."""
    return postgresql.insert if is_postgres(session.get_bind()) else sqlite.insert


# Test day's hot path (SqlAttemptRepository.answer_check / save_answer) runs statements built
# once, here, on the tables (SQLAlchemy Core): building a statement per call and going through
# the ORM's execution cost more than the database's own work (measured: 5.1 -> see
# bench/README.md). The audit row is written by the same statement as the upsert on
# PostgreSQL (a CTE reading the upsert's RETURNING): one round trip fewer.
_attempts, _drawn = AttemptRecord.__table__, AttemptQuestionRecord.__table__
_answers, _answer_log = AnswerRecord.__table__, AnswerLogRecord.__table__
_ANSWER_CHECK = (
    sa.select(_attempts.c.id, _attempts.c.account_id, _attempts.c.status, _attempts.c.deadline,
              _drawn.c.option_order)
    .select_from(_attempts.outerjoin(_drawn, sa.and_(
        _drawn.c.attempt_id == _attempts.c.id,
        _drawn.c.question_id == sa.bindparam("question_id"))))
    .where(_attempts.c.id == sa.bindparam("attempt_id")))
_ANSWER_CHECK_POSTGRES = _ANSWER_CHECK.with_for_update(read=True, of=_attempts)
# Starting and resuming an attempt (test day's other hot path: the whole country within the
# first minutes of a session).
_questions = QuestionRecord.__table__
_ATTEMPT_OF_BOOKING = sa.select(*(_attempts.c[name] for name in _ATTEMPT_FIELDS)).where(
    _attempts.c.booking_id == sa.bindparam("booking_id"))
_ATTEMPT_ITEMS = (
    sa.select(_drawn.c.question_id, _drawn.c.position, _drawn.c.option_order,
              _questions.c.text, _questions.c.options)
    .join(_questions, _questions.c.id == _drawn.c.question_id)
    .where(_drawn.c.attempt_id == sa.bindparam("attempt_id")).order_by(_drawn.c.position))
_ATTEMPT_ANSWERS = sa.select(_answers.c.question_id, _answers.c.shown_index).where(
    _answers.c.attempt_id == sa.bindparam("attempt_id"))


def _upsert_answer(insert):
    statement = insert(_answers).values(
        attempt_id=sa.bindparam("attempt_id"), question_id=sa.bindparam("question_id"),
        shown_index=sa.bindparam("shown_index"), bank_index=sa.bindparam("bank_index"),
        saved_at=sa.bindparam("saved_at", type_=_answers.c.saved_at.type))
    return statement.on_conflict_do_update(
        index_elements=[_answers.c.attempt_id, _answers.c.question_id],
        set_={"shown_index": statement.excluded.shown_index,
              "bank_index": statement.excluded.bank_index,
              "saved_at": statement.excluded.saved_at})


_UPSERT_ANSWER_SQLITE = _upsert_answer(sqlite.insert)
_LOG_ANSWER = _answer_log.insert().values(
    attempt_id=sa.bindparam("attempt_id"), question_id=sa.bindparam("question_id"),
    option_index=sa.bindparam("shown_index"),
    saved_at=sa.bindparam("saved_at", type_=_answer_log.c.saved_at.type),
    client_address=sa.bindparam("client_address"))
_SAVED = _upsert_answer(postgresql.insert).returning(
    _answers.c.attempt_id, _answers.c.question_id, _answers.c.shown_index,
    _answers.c.saved_at).cte("saved")
_SAVE_ANSWER_POSTGRES = _answer_log.insert().from_select(
    ["attempt_id", "question_id", "option_index", "saved_at", "client_address"],
    sa.select(_SAVED.c.attempt_id, _SAVED.c.question_id, _SAVED.c.shown_index,
              _SAVED.c.saved_at,
              sa.bindparam("client_address", type_=sa.String(64))))


class SqlActivityRepository:
    def __init__(self, session: Session):
        self.session = session

    def get(self, activity_id: str, for_update: bool = False) -> Activity | None:
        # for_update: the two activity events of one activity are applied one after the other.
        row = self.session.get(ActivityRecord, activity_id, with_for_update=for_update)
        if row is None:
            return None
        return Activity(row.activity_id, row.satker_code, row.name, row.version)

    def save(self, activity: Activity) -> None:
        self.session.merge(ActivityRecord(**dataclasses.asdict(activity)))


class SqlApplicationRepository:
    """Each application's current administrative decision."""

    def __init__(self, session: Session):
        self.session = session

    def _decision(self, record) -> Decision:
        return Decision(**{name: getattr(record, name) for name in _DECISION_FIELDS})

    def get(self, application_id: str, for_update: bool = False) -> Decision | None:
        # for_update: two decisions on one application are applied one after the other
        # (PostgreSQL row lock; SQLite transactions are serialized anyway). Two first
        # decisions racing to insert: the loser's primary-key violation fails its handler,
        # whose retry then finds the row and compares.
        query = sa.select(ApplicationRecord).where(
            ApplicationRecord.application_id == application_id)
        record = self.session.execute(
            query.with_for_update() if for_update else query).scalar_one_or_none()
        return None if record is None else self._decision(record)

    def of_candidate(self, account_id: str, activity_id: str) -> Decision | None:
        record = self.session.execute(sa.select(ApplicationRecord).where(
            ApplicationRecord.account_id == account_id,
            ApplicationRecord.activity_id == activity_id)).scalars().first()
        return None if record is None else self._decision(record)

    def save(self, decision: Decision) -> None:
        self.session.merge(ApplicationRecord(**dataclasses.asdict(decision)))


class SqlQuestionRepository:
    def __init__(self, session: Session):
        self.session = session

    def add_all(self, activity_id: str, drafts: list[QuestionDraft], created_by: str,
                now: datetime) -> int:
        self.session.execute(sa.insert(QuestionRecord), [{
            "id": new_id(), "activity_id": activity_id, "text": draft.text,
            "options": list(draft.options), "answer_index": draft.answer_index,
            "category": draft.category, "created_at": now, "created_by": created_by,
        } for draft in drafts])
        return len(drafts)

    def of_activity(self, activity_id: str, offset: int | None = None,
                    limit: int | None = None) -> tuple[list[Question], int]:
        where = QuestionRecord.activity_id == activity_id
        total = self.session.execute(
            sa.select(sa.func.count()).select_from(QuestionRecord).where(where)).scalar_one()
        query = sa.select(QuestionRecord).where(where).order_by(
            QuestionRecord.created_at, QuestionRecord.id).offset(offset).limit(limit)
        return [Question(row.id, row.activity_id, row.text, tuple(row.options),
                         row.answer_index, row.category, row.created_at)
                for row in self.session.execute(query).scalars()], total


    def bank(self, activity_id: str) -> list[BankItem]:
        """What the draw needs of each question: no text, no answer."""
        rows = self.session.execute(sa.select(
            QuestionRecord.id, QuestionRecord.category, QuestionRecord.options).where(
            QuestionRecord.activity_id == activity_id)).all()
        return [BankItem(row.id, row.category, len(row.options)) for row in rows]

    def keys(self, activity_id: str) -> list[Question]:
        return self.of_activity(activity_id)[0]


class SqlSessionRepository:
    def __init__(self, session: Session):
        self.session = session

    def _session(self, row) -> TestSession:
        return TestSession(**{name: getattr(row, name) for name in _SESSION_FIELDS})

    def add(self, activity_id: str, satker_code: str, starts_at: datetime, ends_at: datetime,
            capacity: int, now: datetime) -> TestSession:
        row = TestSessionRecord(id=new_id(), activity_id=activity_id, satker_code=satker_code,
                                starts_at=starts_at, ends_at=ends_at, capacity=capacity,
                                booked=0, created_at=now)
        self.session.add(row)
        return self._session(row)

    def get(self, session_id: str) -> TestSession | None:
        row = self.session.get(TestSessionRecord, session_id)
        return None if row is None else self._session(row)

    def of_activity(self, activity_id: str) -> list[TestSession]:
        rows = self.session.execute(sa.select(TestSessionRecord).where(
            TestSessionRecord.activity_id == activity_id).order_by(
            TestSessionRecord.starts_at, TestSessionRecord.id)).scalars()
        return [self._session(row) for row in rows]

    def take_seat(self, session_id: str) -> bool:
        """One seat more, if one is free: the condition and the increment are one statement,
        so concurrent bookings queue on the row and the last seat goes to one of them."""
        taken = self.session.execute(
            sa.update(TestSessionRecord)
            .where(TestSessionRecord.id == session_id,
                   TestSessionRecord.booked < TestSessionRecord.capacity)
            .values(booked=TestSessionRecord.booked + 1))
        return taken.rowcount == 1

    def free_seat(self, session_id: str) -> None:
        self.session.execute(sa.update(TestSessionRecord).where(
            TestSessionRecord.id == session_id).values(booked=TestSessionRecord.booked - 1))

    def ended_unreported(self, now: datetime, limit: int) -> list[TestSession]:
        rows = self.session.execute(sa.select(TestSessionRecord).where(
            TestSessionRecord.ends_at <= now,
            TestSessionRecord.no_shows_reported_at.is_(None)).order_by(
            TestSessionRecord.ends_at).limit(limit)).scalars()
        return [self._session(row) for row in rows]

    def mark_no_shows_reported(self, session_id: str, now: datetime) -> None:
        self.session.execute(sa.update(TestSessionRecord).where(
            TestSessionRecord.id == session_id).values(no_shows_reported_at=now))


class SqlBookingRepository:
    def __init__(self, session: Session):
        self.session = session

    def _booking(self, row) -> Booking:
        return Booking(**{name: getattr(row, name) for name in _BOOKING_FIELDS})

    def add(self, application_id: str, session_id: str, activity_id: str, account_id: str,
            now: datetime) -> Booking:
        row = BookingRecord(id=new_id(), application_id=application_id, session_id=session_id,
                            activity_id=activity_id, account_id=account_id, status=ACTIVE,
                            booked_at=now)
        self.session.add(row)
        try:
            self.session.flush()
        except IntegrityError:
            # Another booking of this application committed first (the unique index).
            raise AlreadyBooked() from None
        return self._booking(row)

    def active_of_application(self, application_id: str,
                              for_update: bool = False) -> Booking | None:
        # for_update: voiding a booking and starting its attempt take turns on the row.
        query = sa.select(BookingRecord).where(BookingRecord.application_id == application_id,
                                               BookingRecord.status == ACTIVE)
        row = self.session.execute(
            query.with_for_update() if for_update else query).scalar_one_or_none()
        return None if row is None else self._booking(row)

    def active_of_candidate(self, account_id: str, session_id: str,
                            for_update: bool = False) -> Booking | None:
        query = sa.select(BookingRecord).where(
            BookingRecord.account_id == account_id, BookingRecord.session_id == session_id,
            BookingRecord.status == ACTIVE)
        row = self.session.execute(
            query.with_for_update() if for_update else query).scalar_one_or_none()
        return None if row is None else self._booking(row)

    def void(self, booking_id: str, now: datetime) -> None:
        self.session.execute(sa.update(BookingRecord).where(BookingRecord.id == booking_id)
                             .values(status=VOIDED, voided_at=now))

    def without_attempt(self, session_id: str) -> list[Booking]:
        rows = self.session.execute(sa.select(BookingRecord).where(
            BookingRecord.session_id == session_id, BookingRecord.status == ACTIVE,
            ~sa.exists().where(AttemptRecord.booking_id == BookingRecord.id))).scalars()
        return [self._booking(row) for row in rows]

    def of_applications(self, application_ids: list[str]) -> dict[str, tuple]:
        """application id -> (booking, its session's end, its attempt's id, status and
        deadline)."""
        if not application_ids:
            return {}
        rows = self.session.execute(
            sa.select(BookingRecord, TestSessionRecord.ends_at, AttemptRecord.id,
                      AttemptRecord.status, AttemptRecord.deadline)
            .join(TestSessionRecord, TestSessionRecord.id == BookingRecord.session_id)
            .outerjoin(AttemptRecord, AttemptRecord.booking_id == BookingRecord.id)
            .where(BookingRecord.application_id.in_(application_ids),
                   BookingRecord.status == ACTIVE)).all()
        return {row[0].application_id: (self._booking(row[0]), *row[1:]) for row in rows}


class SqlAttemptRepository:
    def __init__(self, session: Session):
        self.session = session

    def _attempt(self, row) -> Attempt:
        return Attempt(**{name: getattr(row, name) for name in _ATTEMPT_FIELDS})

    def add(self, attempt: Attempt, seed: int, drawn: list[DrawnQuestion]) -> bool:
        """Store a new attempt and its draw; False when the booking's attempt was started by a
        concurrent request first (the unique key), which the caller then resumes."""
        connection = self.session.connection()
        inserted = connection.execute(
            _insert(self.session)(_attempts).values(seed=seed, **dataclasses.asdict(attempt))
            .on_conflict_do_nothing().returning(_attempts.c.id)).first()
        if inserted is None:
            return False
        connection.execute(_drawn.insert(), [{
            "attempt_id": attempt.id, "question_id": item.question_id,
            "position": item.position, "option_order": _order_text(item.option_order),
        } for item in drawn])
        return True

    def get(self, attempt_id: str, for_update: bool = False) -> Attempt | None:
        row = self.session.get(AttemptRecord, attempt_id, with_for_update=for_update)
        return None if row is None else self._attempt(row)

    def of_booking(self, booking_id: str) -> Attempt | None:
        row = self.session.connection().execute(_ATTEMPT_OF_BOOKING,
                                                {"booking_id": booking_id}).first()
        return None if row is None else Attempt(**{name: row._mapping[name]
                                                   for name in _ATTEMPT_FIELDS})

    def items(self, attempt_id: str) -> list[AttemptItem]:
        rows = self.session.connection().execute(_ATTEMPT_ITEMS, {"attempt_id": attempt_id})
        return [AttemptItem(DrawnQuestion(question_id, position, _order_of(order)), text,
                            tuple(options))
                for question_id, position, order, text, options in rows]

    def answers(self, attempt_id: str) -> dict[str, int]:
        """question id -> the option index as shown to the candidate."""
        return dict(self.session.connection().execute(_ATTEMPT_ANSWERS,
                                                      {"attempt_id": attempt_id}).all())

    def answered_count(self, attempt_id: str) -> int:
        return self.session.execute(sa.select(sa.func.count()).select_from(AnswerRecord).where(
            AnswerRecord.attempt_id == attempt_id)).scalar_one()

    def answer_check(self, attempt_id: str, question_id: str) -> AnswerCheck | None:
        """The hot path's one read: the attempt (shared-locked on PostgreSQL, so that closing
        it waits for a save in flight and counts it) and the question's place in it."""
        postgres = is_postgres(self.session.get_bind())
        row = self.session.connection().execute(
            _ANSWER_CHECK_POSTGRES if postgres else _ANSWER_CHECK,
            {"attempt_id": attempt_id, "question_id": question_id}).first()
        if row is None:
            return None
        return AnswerCheck(row[0], row[1], row[2], row[3],
                           None if row[4] is None else _order_of(row[4]))

    def save_answer(self, attempt_id: str, question_id: str, shown_index: int, bank_index: int,
                    now: datetime, client_address: str) -> None:
        """The latest answer (upsert) and its audit row; on PostgreSQL in one statement."""
        values = {"attempt_id": attempt_id, "question_id": question_id,
                  "shown_index": shown_index, "bank_index": bank_index, "saved_at": now,
                  "client_address": client_address}
        connection = self.session.connection()
        if is_postgres(self.session.get_bind()):
            connection.execute(_SAVE_ANSWER_POSTGRES, values)
        else:
            connection.execute(_UPSERT_ANSWER_SQLITE, values)
            connection.execute(_LOG_ANSWER, values)

    def correct_count(self, attempt_id: str) -> tuple[int, int]:
        """(answered, correct) among the attempt's saved answers."""
        answered, correct = self.session.execute(
            sa.select(sa.func.count(),
                      sa.func.coalesce(sa.func.sum(sa.case(
                          (AnswerRecord.bank_index == QuestionRecord.answer_index, 1),
                          else_=0)), 0))
            .select_from(AnswerRecord)
            .join(QuestionRecord, QuestionRecord.id == AnswerRecord.question_id)
            .where(AnswerRecord.attempt_id == attempt_id)).one()
        return int(answered), int(correct)

    def finish(self, attempt_id: str, status: str, closed_by: str, now: datetime,
               score: float, answered: int) -> bool:
        """Close an open attempt; False if it was no longer open."""
        done = self.session.execute(
            sa.update(AttemptRecord).where(AttemptRecord.id == attempt_id,
                                           AttemptRecord.status == OPEN)
            .values(status=status, closed_by=closed_by, closed_at=now, score=score,
                    answered=answered))
        return done.rowcount == 1

    def due(self, now: datetime, limit: int) -> list[str]:
        """Open attempts whose deadline has come, oldest first; locked for this run (SKIP
        LOCKED: a save in flight finishes first and the next run takes it)."""
        query = sa.select(AttemptRecord.id).where(
            AttemptRecord.status == OPEN, AttemptRecord.deadline <= now).order_by(
            AttemptRecord.deadline).limit(limit)
        if is_postgres(self.session.get_bind()):
            query = query.with_for_update(skip_locked=True)
        return list(self.session.execute(query).scalars())

    def open_deadlines(self) -> dict[str, tuple[datetime, datetime]]:
        """attempt id -> (started_at, deadline) of every open attempt (for outage credit)."""
        return {row.id: (row.started_at, row.deadline) for row in self.session.execute(
            sa.select(AttemptRecord.id, AttemptRecord.started_at, AttemptRecord.deadline)
            .where(AttemptRecord.status == OPEN))}

    def move_deadlines(self, moved: dict[str, datetime]) -> None:
        if moved:  # an ORM bulk UPDATE by primary key
            self.session.execute(sa.update(AttemptRecord), [
                {"id": attempt_id, "deadline": deadline} for attempt_id, deadline in moved.items()])

    def completed_responses(self, activity_id: str, session_id: str | None):
        """(attempt id, question id, bank index chosen or None) of every finished attempt."""
        where = [AttemptRecord.activity_id == activity_id, AttemptRecord.status != OPEN]
        if session_id:
            where.append(AttemptRecord.session_id == session_id)
        return self.session.execute(
            sa.select(AttemptQuestionRecord.attempt_id, AttemptQuestionRecord.question_id,
                      AnswerRecord.bank_index)
            .join(AttemptRecord, AttemptRecord.id == AttemptQuestionRecord.attempt_id)
            .outerjoin(AnswerRecord, sa.and_(
                AnswerRecord.attempt_id == AttemptQuestionRecord.attempt_id,
                AnswerRecord.question_id == AttemptQuestionRecord.question_id))
            .where(*where)).all()


class SqlClock:
    """The heartbeat row."""

    NAME = "assessment"

    def __init__(self, session: Session):
        self.session = session

    def last_beat(self) -> datetime | None:
        row = self.session.get(ClockRecord, self.NAME, with_for_update=True)
        return None if row is None else row.beat_at

    def beat(self, now: datetime) -> None:
        self.session.merge(ClockRecord(name=self.NAME, beat_at=now))
