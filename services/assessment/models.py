"""Assessment's tables. Its own ones come with its issue; the platform tables (outbox, processed
events, idempotency, outgoing mail) are here from the start."""
from __future__ import annotations

import sqlalchemy as sa

from services.shared.platform.database import add_platform_tables
from services.shared.platform.unit_of_work import SqlUnitOfWork

metadata = sa.MetaData()
platform_tables = add_platform_tables(metadata)


class AssessmentUnitOfWork(SqlUnitOfWork):
    producer = "assessment"
    tables = platform_tables
