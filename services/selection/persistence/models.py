"""Selection's tables: its own read model of every activity and application, filled from
registration's events (selection never reads registration's tables), the candidates' newest
data, and the audit trail of decisions."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.shared.platform.database import NAMING_CONVENTION, UtcDateTime, add_platform_tables


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


platform_tables = add_platform_tables(Base.metadata)


class ApplicationRecord(Base):
    __tablename__ = "applications"

    # The id registration issued: one id across all services.
    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    activity_id: Mapped[str] = mapped_column(sa.String(36), index=True)
    activity_name: Mapped[str] = mapped_column(sa.String(200))
    satker_code: Mapped[str] = mapped_column(sa.String(4), index=True)
    year: Mapped[int] = mapped_column(sa.Integer)
    account_id: Mapped[str] = mapped_column(sa.String(36), index=True)
    registration_number: Mapped[str] = mapped_column(sa.String(30))
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime)
    requirements: Mapped[dict] = mapped_column(sa.JSON)
    profile: Mapped[dict] = mapped_column(sa.JSON)
    documents: Mapped[list] = mapped_column(sa.JSON)
    # Checks and age are computed from the snapshot on the registration date.
    age: Mapped[int] = mapped_column(sa.Integer)
    checks: Mapped[dict] = mapped_column(sa.JSON)
    administrative_status: Mapped[str] = mapped_column(sa.String(30), index=True)
    administrative_reason: Mapped[str | None] = mapped_column(sa.String(1000))
    administrative_decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # The candidate data version the snapshot reflects (registration's counter).
    data_version: Mapped[int] = mapped_column(sa.Integer)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # The competency test's outcome, from assessment's events: all None until heard of;
    # "completed" (with attempt, score 0-100, answered count, closed by, when) or "missed".
    test_status: Mapped[str | None] = mapped_column(sa.String(20))
    test_score: Mapped[float | None] = mapped_column(sa.Float)
    test_answered: Mapped[int | None] = mapped_column(sa.Integer)
    test_attempt_id: Mapped[str | None] = mapped_column(sa.String(36))
    test_closed_by: Mapped[str | None] = mapped_column(sa.String(20))
    test_completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Final selection: "pending" until decided; "withdrawn" (from the session's end) when a
    # booked test was missed.
    final_status: Mapped[str] = mapped_column(sa.String(20), server_default="pending")
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # What the final ranking reads of the snapshot and the checks, kept beside them (written
    # with every save) so that ranking thousands reads plain columns, not JSON documents.
    full_name: Mapped[str | None] = mapped_column(sa.String(200))
    education: Mapped[str | None] = mapped_column(sa.String(10))
    has_bps_experience: Mapped[bool | None] = mapped_column(sa.Boolean)
    domicile_regency_code: Mapped[str | None] = mapped_column(sa.String(4))
    preferred_met: Mapped[int | None] = mapped_column(sa.Integer)
    preferred_total: Mapped[int | None] = mapped_column(sa.Integer)
    # The NIK's SHA-256 (hex): the mitra roster other satker ask about (MitraDirectory).
    nik_sha256: Mapped[str | None] = mapped_column(sa.String(64), index=True)


class CandidateData(Base):
    """The newest profile and documents selection has heard of, per candidate. Registration's
    events travel on different queues and may overtake each other; this row (locked by both
    handlers) lets an application snapshot that arrives late take the newer data."""

    __tablename__ = "candidate_data"

    account_id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    data_version: Mapped[int] = mapped_column(sa.Integer)
    profile: Mapped[dict | None] = mapped_column(sa.JSON)
    documents: Mapped[list] = mapped_column(sa.JSON)


class AdministrativeDecision(Base):
    """The audit trail: every change of an administrative status, who, when, from, to, why.
    Append-only: no route edits or deletes it, and on PostgreSQL a trigger refuses both."""

    __tablename__ = "administrative_decisions"

    id: Mapped[int] = mapped_column(sa.BigInteger().with_variant(sa.Integer, "sqlite"),
                                    primary_key=True, autoincrement=True)
    application_id: Mapped[str] = mapped_column(sa.ForeignKey("applications.id"), index=True)
    from_status: Mapped[str] = mapped_column(sa.String(30))
    to_status: Mapped[str] = mapped_column(sa.String(30))
    reason: Mapped[str | None] = mapped_column(sa.String(1000))
    decided_by: Mapped[str] = mapped_column(sa.String(36))
    decided_by_role: Mapped[str] = mapped_column(sa.String(20))
    decided_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ActivityRecord(Base):
    """Each activity's satker, from activity_published/activity_changed: satker scope is
    decided before, and without, any application."""

    __tablename__ = "activities"

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    satker_code: Mapped[str] = mapped_column(sa.String(4))
    name: Mapped[str] = mapped_column(sa.String(200))
    year: Mapped[int] = mapped_column(sa.Integer)
    # Registration's counter: the row keeps the newest version heard of.
    version: Mapped[int] = mapped_column(sa.Integer)
    # When the results are published (the activity's field; None in rows from before it was
    # kept, until the next activity_changed), and when the timer announced them.
    announcement_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    announced_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class FinalCriteriaRecord(Base):
    """The satker's final criteria of one activity, and the counter of the accepted: the
    database never holds more accepted than ``positions`` (CHECK; an acceptance takes its
    place with one conditional UPDATE, so concurrent ones queue on this row)."""

    __tablename__ = "final_criteria"
    __table_args__ = (
        sa.CheckConstraint("positions >= 1", name="positions_positive"),
        sa.CheckConstraint("accepted >= 0 AND accepted <= positions", name="within_positions"),
        sa.CheckConstraint("min_test_score >= 0 AND min_test_score <= 100",
                           name="min_test_score_range"),
    )

    activity_id: Mapped[str] = mapped_column(sa.ForeignKey("activities.id"), primary_key=True)
    positions: Mapped[int] = mapped_column(sa.Integer)
    weights: Mapped[dict] = mapped_column(sa.JSON)
    min_test_score: Mapped[float] = mapped_column(sa.Float)
    disclose_scores: Mapped[bool] = mapped_column(sa.Boolean)
    accepted: Mapped[int] = mapped_column(sa.Integer, server_default="0")
    # Every final decision counts here too: the criteria are locked from the first one.
    decided: Mapped[int] = mapped_column(sa.Integer, server_default="0")
    updated_by: Mapped[str] = mapped_column(sa.String(36))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class InterviewScoreRecord(Base):
    """The interview score (0-100) an admin entered for an application, the last one given."""

    __tablename__ = "interview_scores"
    __table_args__ = (
        sa.CheckConstraint("score >= 0 AND score <= 100", name="score_range"),
    )

    application_id: Mapped[str] = mapped_column(sa.ForeignKey("applications.id"),
                                                primary_key=True)
    activity_id: Mapped[str] = mapped_column(sa.String(36), index=True)
    score: Mapped[float] = mapped_column(sa.Float)
    entered_by: Mapped[str] = mapped_column(sa.String(36))
    entered_at: Mapped[datetime] = mapped_column(UtcDateTime)


class FinalDecisionRecord(Base):
    """The committee's final decisions: one per application (unique: a decided application is
    final), append-only (on PostgreSQL a trigger refuses UPDATE and DELETE)."""

    __tablename__ = "final_decisions"
    __table_args__ = (
        sa.CheckConstraint("decision IN ('accepted', 'rejected')", name="known_decision"),
    )

    id: Mapped[int] = mapped_column(sa.BigInteger().with_variant(sa.Integer, "sqlite"),
                                    primary_key=True, autoincrement=True)
    application_id: Mapped[str] = mapped_column(sa.ForeignKey("applications.id"), unique=True)
    activity_id: Mapped[str] = mapped_column(sa.String(36), index=True)
    decision: Mapped[str] = mapped_column(sa.String(20))
    reason: Mapped[str | None] = mapped_column(sa.String(1000))
    decided_by: Mapped[str] = mapped_column(sa.String(36))
    decided_by_role: Mapped[str] = mapped_column(sa.String(20))
    decided_at: Mapped[datetime] = mapped_column(UtcDateTime)
