"""Registration's tables. The invariants that matter are constraints here, not only code:
one account per e-mail, one profile per NIK, one application per candidate per activity, a
registration number unique within its activity, and the quota never exceeded."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.shared.platform.database import NAMING_CONVENTION, UtcDateTime, add_platform_tables


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


platform_tables = add_platform_tables(Base.metadata)


class Account(Base):
    __tablename__ = "accounts"

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(320), unique=True)  # stored lower-case
    password_hash: Mapped[str] = mapped_column(sa.String(200))
    full_name: Mapped[str] = mapped_column(sa.String(200))
    role: Mapped[str] = mapped_column(sa.String(20))
    satker_code: Mapped[str | None] = mapped_column(sa.String(4))
    status: Mapped[str] = mapped_column(sa.String(30))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    activated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Bumped on every change of the candidate's profile or documents: events carry it, so a
    # consumer can tell a newer snapshot from an older one arriving late on another queue.
    data_version: Mapped[int] = mapped_column(sa.Integer, default=0)
    # Carried by every access token as its "ver" claim and bumped when the password or the
    # role changes: a token of an older version is refused from then on (services check it).
    token_version: Mapped[int] = mapped_column(sa.Integer, server_default=sa.text("0"))

    @classmethod
    def new(cls, **fields) -> Account:
        """A new account: no change of candidate data yet, its first token version."""
        return cls(**fields, data_version=0, token_version=0)


class ActivationToken(Base):
    __tablename__ = "activation_tokens"

    # Only the token's hash is kept: a database leak does not activate accounts.
    token_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    account_id: Mapped[str] = mapped_column(sa.ForeignKey("accounts.id"), index=True)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class PasswordResetToken(Base):
    __tablename__ = "password_reset_tokens"

    # Only the token's hash is kept, as for activation tokens.
    token_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    account_id: Mapped[str] = mapped_column(sa.ForeignKey("accounts.id"), index=True)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class ServiceToken(Base):
    """A token of role ``service`` a superadmin issued for another satker's system. The token
    itself is shown once and never stored; deleting the row's token sets ``revoked_at``."""
    __tablename__ = "service_tokens"

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    satker_code: Mapped[str] = mapped_column(sa.String(4))
    created_by: Mapped[str] = mapped_column(sa.String(36))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class Profile(Base):
    __tablename__ = "profiles"

    account_id: Mapped[str] = mapped_column(sa.ForeignKey("accounts.id"), primary_key=True)
    nik: Mapped[str] = mapped_column(sa.String(16), unique=True)
    full_name: Mapped[str] = mapped_column(sa.String(200))
    sex: Mapped[str] = mapped_column(sa.String(1))
    birth_date: Mapped[date] = mapped_column(sa.Date)
    phone: Mapped[str] = mapped_column(sa.String(20))
    address: Mapped[str] = mapped_column(sa.String(500))
    kecamatan_code: Mapped[str] = mapped_column(sa.String(6))
    domicile_regency_code: Mapped[str] = mapped_column(sa.String(4))
    education: Mapped[str] = mapped_column(sa.String(3))
    occupation: Mapped[str] = mapped_column(sa.String(200))
    is_asn: Mapped[bool] = mapped_column(sa.Boolean)
    has_other_institution_contract: Mapped[bool] = mapped_column(sa.Boolean)
    has_bps_experience: Mapped[bool] = mapped_column(sa.Boolean)
    has_capi_experience: Mapped[bool] = mapped_column(sa.Boolean)
    owns_smartphone: Mapped[bool] = mapped_column(sa.Boolean)
    can_use_computer: Mapped[bool] = mapped_column(sa.Boolean)
    can_ride_motorbike: Mapped[bool] = mapped_column(sa.Boolean)
    statements: Mapped[dict] = mapped_column(sa.JSON)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Document(Base):
    __tablename__ = "documents"

    account_id: Mapped[str] = mapped_column(sa.ForeignKey("accounts.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(30), primary_key=True)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    size: Mapped[int] = mapped_column(sa.BigInteger)
    content_type: Mapped[str] = mapped_column(sa.String(50))
    uploaded_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Activity(Base):
    __tablename__ = "activities"
    __table_args__ = (
        sa.CheckConstraint("quota IS NULL OR application_count <= quota", name="quota"),
        sa.CheckConstraint("registration_closes_at > registration_opens_at", name="window"),
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    satker_code: Mapped[str] = mapped_column(sa.String(4), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    year: Mapped[int] = mapped_column(sa.Integer)
    registration_opens_at: Mapped[datetime] = mapped_column(UtcDateTime)
    registration_closes_at: Mapped[datetime] = mapped_column(UtcDateTime)
    announcement_at: Mapped[datetime] = mapped_column(UtcDateTime)
    quota: Mapped[int | None] = mapped_column(sa.Integer)
    requirements: Mapped[dict] = mapped_column(sa.JSON)
    application_count: Mapped[int] = mapped_column(sa.Integer, default=0)
    # Never decremented, so a registration number is never handed out twice.
    last_registration_seq: Mapped[int] = mapped_column(sa.Integer, default=0)
    created_by: Mapped[str] = mapped_column(sa.String(36))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)

    @classmethod
    def new(cls, **fields) -> Activity:
        """A new activity: no application yet, at its first version."""
        return cls(**fields, application_count=0, last_registration_seq=0, version=1)
    # 1 when created, bumped on every change: the activity events carry it, so a consumer
    # can tell a newer state from an older one arriving late.
    version: Mapped[int] = mapped_column(sa.Integer, server_default=sa.text("1"))


class Application(Base):
    __tablename__ = "applications"
    __table_args__ = (
        sa.UniqueConstraint("activity_id", "account_id", name="uq_applications_one_per_candidate"),
        sa.UniqueConstraint("activity_id", "registration_number",
                            name="uq_applications_registration_number"),
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    activity_id: Mapped[str] = mapped_column(sa.ForeignKey("activities.id"))
    account_id: Mapped[str] = mapped_column(sa.ForeignKey("accounts.id"), index=True)
    registration_number: Mapped[str] = mapped_column(sa.String(30))
    status: Mapped[str] = mapped_column(sa.String(20))
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # When selection announced the application finally accepted (``results_announced``);
    # set once, never cleared: from then on the candidate may upload the pakta integritas.
    accepted_announced_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class ApplicationDocument(Base):
    """A document as it was when the application was submitted: what the admin reviews and
    opens, whatever the candidate uploads later (the storage keeps every version's bytes
    under its sha256)."""
    __tablename__ = "application_documents"

    application_id: Mapped[str] = mapped_column(sa.ForeignKey("applications.id"),
                                                primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(30), primary_key=True)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    size: Mapped[int] = mapped_column(sa.BigInteger)
    content_type: Mapped[str] = mapped_column(sa.String(50))
    uploaded_at: Mapped[datetime] = mapped_column(UtcDateTime)
