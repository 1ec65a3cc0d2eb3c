"""Pembinaan's unit of work over one transaction: its outbox and mail queue (its repositories
join it as its tables come)."""
from __future__ import annotations

from services.pembinaan.persistence.models import platform_tables
from services.shared.platform.unit_of_work import SqlUnitOfWork


class PembinaanUnitOfWork(SqlUnitOfWork):
    producer = "pembinaan"
    tables = platform_tables
