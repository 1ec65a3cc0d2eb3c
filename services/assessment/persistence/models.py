"""Assessment's tables, plus the platform tables.

- ``activities`` and ``applications``: read models filled from registration's activity events
  and selection's administrative decisions (assessment never reads their tables);
- ``questions``: the item bank; ``test_sessions`` with a ``booked`` counter the database keeps
  within ``capacity`` (CHECK), so that no race can overfill a session;
- ``bookings``: one active booking per application (a partial unique index);
- ``attempts``, the questions drawn for each (``attempt_questions``), the latest answer per
  question (``answers``) and every save as it came (``answer_log``, append-only: on PostgreSQL
  a trigger refuses UPDATE and DELETE);
- ``clock``: the service's heartbeat, for outage credit.
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.shared.platform.database import NAMING_CONVENTION, UtcDateTime, add_platform_tables


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


platform_tables = add_platform_tables(Base.metadata)


class ActivityRecord(Base):
    __tablename__ = "activities"

    activity_id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    satker_code: Mapped[str] = mapped_column(sa.String(4))
    name: Mapped[str] = mapped_column(sa.String(200))
    version: Mapped[int] = mapped_column(sa.Integer)


class ApplicationRecord(Base):
    """One row per application: the latest administrative decision heard of."""

    __tablename__ = "applications"
    __table_args__ = (sa.Index("ix_applications_account_id_activity_id",
                               "account_id", "activity_id"),)

    # The id registration issued: one id across all services.
    application_id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    activity_id: Mapped[str] = mapped_column(sa.String(36))
    satker_code: Mapped[str] = mapped_column(sa.String(4))
    account_id: Mapped[str] = mapped_column(sa.String(36))
    registration_number: Mapped[str] = mapped_column(sa.String(30))
    administrative_status: Mapped[str] = mapped_column(sa.String(30))
    decided_at: Mapped[datetime] = mapped_column(UtcDateTime)


class QuestionRecord(Base):
    __tablename__ = "questions"

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    activity_id: Mapped[str] = mapped_column(sa.String(36), index=True)
    text: Mapped[str] = mapped_column(sa.Text)
    options: Mapped[list] = mapped_column(sa.JSON)
    answer_index: Mapped[int] = mapped_column(sa.Integer)
    category: Mapped[str] = mapped_column(sa.String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(sa.String(36))


class TestSessionRecord(Base):
    __tablename__ = "test_sessions"
    __table_args__ = (
        sa.CheckConstraint("booked >= 0 AND booked <= capacity", name="within_capacity"),
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    activity_id: Mapped[str] = mapped_column(sa.String(36), index=True)
    satker_code: Mapped[str] = mapped_column(sa.String(4))
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    capacity: Mapped[int] = mapped_column(sa.Integer)
    booked: Mapped[int] = mapped_column(sa.Integer, server_default="0")
    # When the no-shows of this ended session were reported (test_missed); None: not yet.
    no_shows_reported_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class BookingRecord(Base):
    __tablename__ = "bookings"
    __table_args__ = (
        # One active booking per application (and so per candidate and activity); a voided
        # one stays as history.
        sa.Index("uq_bookings_active_application", "application_id", unique=True,
                 postgresql_where=sa.text("status = 'active'"),
                 sqlite_where=sa.text("status = 'active'")),
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    application_id: Mapped[str] = mapped_column(sa.String(36))
    session_id: Mapped[str] = mapped_column(sa.ForeignKey("test_sessions.id"), index=True)
    activity_id: Mapped[str] = mapped_column(sa.String(36))
    account_id: Mapped[str] = mapped_column(sa.String(36), index=True)
    status: Mapped[str] = mapped_column(sa.String(10))
    booked_at: Mapped[datetime] = mapped_column(UtcDateTime)
    voided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class AttemptRecord(Base):
    __tablename__ = "attempts"
    __table_args__ = (sa.Index("ix_attempts_status_deadline", "status", "deadline"),)

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    booking_id: Mapped[str] = mapped_column(sa.ForeignKey("bookings.id"), unique=True)
    application_id: Mapped[str] = mapped_column(sa.String(36), unique=True)
    session_id: Mapped[str] = mapped_column(sa.String(36), index=True)
    activity_id: Mapped[str] = mapped_column(sa.String(36), index=True)
    satker_code: Mapped[str] = mapped_column(sa.String(4))
    account_id: Mapped[str] = mapped_column(sa.String(36))
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    deadline: Mapped[datetime] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(sa.String(10))
    seed: Mapped[int] = mapped_column(sa.BigInteger)
    question_count: Mapped[int] = mapped_column(sa.Integer)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    closed_by: Mapped[str | None] = mapped_column(sa.String(10))
    score: Mapped[float | None] = mapped_column(sa.Float)
    answered: Mapped[int | None] = mapped_column(sa.Integer)


class AttemptQuestionRecord(Base):
    __tablename__ = "attempt_questions"

    attempt_id: Mapped[str] = mapped_column(sa.ForeignKey("attempts.id"), primary_key=True)
    question_id: Mapped[str] = mapped_column(sa.ForeignKey("questions.id"), primary_key=True)
    position: Mapped[int] = mapped_column(sa.Integer)
    # The bank's option indexes in the order this candidate sees them, e.g. "2,0,3,1".
    option_order: Mapped[str] = mapped_column(sa.String(20))


class AnswerRecord(Base):
    __tablename__ = "answers"

    attempt_id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    question_id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    shown_index: Mapped[int] = mapped_column(sa.Integer)
    bank_index: Mapped[int] = mapped_column(sa.Integer)
    saved_at: Mapped[datetime] = mapped_column(UtcDateTime)


class AnswerLogRecord(Base):
    __tablename__ = "answer_log"

    id: Mapped[int] = mapped_column(sa.BigInteger().with_variant(sa.Integer, "sqlite"),
                                    primary_key=True, autoincrement=True)
    attempt_id: Mapped[str] = mapped_column(sa.String(36), index=True)
    question_id: Mapped[str] = mapped_column(sa.String(36))
    option_index: Mapped[int] = mapped_column(sa.Integer)
    saved_at: Mapped[datetime] = mapped_column(UtcDateTime)
    client_address: Mapped[str] = mapped_column(sa.String(64))


class ClockRecord(Base):
    """The service's heartbeat: one row, written by whichever replica keeps time."""

    __tablename__ = "clock"

    name: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    beat_at: Mapped[datetime] = mapped_column(UtcDateTime)
