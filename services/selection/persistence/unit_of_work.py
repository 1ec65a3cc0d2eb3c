"""Selection's unit of work over one transaction: its repositories, its outbox and mail queue."""
from __future__ import annotations

from services.selection.persistence.models import platform_tables
from services.shared.platform.unit_of_work import SqlUnitOfWork


class SelectionUnitOfWork(SqlUnitOfWork):
    producer = "selection"
    tables = platform_tables
