"""Assessment's tables: its read model of each application's administrative decision, filled
from selection's administrative_decided events (assessment never reads selection's tables),
plus the platform tables."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.shared.platform.database import NAMING_CONVENTION, UtcDateTime, add_platform_tables


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


platform_tables = add_platform_tables(Base.metadata)


class ApplicationRecord(Base):
    """One row per application: the latest administrative decision heard of."""

    __tablename__ = "applications"

    # The id registration issued: one id across all services.
    application_id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    activity_id: Mapped[str] = mapped_column(sa.String(36))
    satker_code: Mapped[str] = mapped_column(sa.String(4))
    account_id: Mapped[str] = mapped_column(sa.String(36))
    registration_number: Mapped[str] = mapped_column(sa.String(30))
    administrative_status: Mapped[str] = mapped_column(sa.String(30))
    decided_at: Mapped[datetime] = mapped_column(UtcDateTime)
