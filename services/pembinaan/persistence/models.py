"""Pembinaan's tables. So far only the platform tables (outbox, processed events, idempotency,
outgoing mail): the budget calculators keep nothing."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase

from services.shared.platform.database import NAMING_CONVENTION, add_platform_tables


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


platform_tables = add_platform_tables(Base.metadata)
