"""Pembinaan's unit of work over one transaction: its repositories, outbox and mail queue."""
from __future__ import annotations

from sqlalchemy.orm import Session

from services.pembinaan.persistence.models import platform_tables
from services.pembinaan.persistence.repositories import (
    SqlContactsRepository,
    SqlEstablishmentRepository,
    SqlEvidenceRepository,
    SqlLokusRepository,
    SqlMemberRepository,
    SqlMonitoringQueries,
    SqlRecordRepository,
    SqlRequestRepository,
    SqlSettingsRepository,
    SqlTeamRepository,
)
from services.shared.platform.unit_of_work import SqlUnitOfWork


class PembinaanUnitOfWork(SqlUnitOfWork):
    producer = "pembinaan"
    tables = platform_tables

    def __init__(self, session: Session):
        super().__init__(session)
        self.teams = SqlTeamRepository(session)
        self.members = SqlMemberRepository(session)
        self.establishments = SqlEstablishmentRepository(session)
        self.lokus = SqlLokusRepository(session)
        self.contacts = SqlContactsRepository(session)
        self.records = SqlRecordRepository(session)
        self.evidence = SqlEvidenceRepository(session)
        self.requests = SqlRequestRepository(session)
        self.settings = SqlSettingsRepository(session)
        self.monitoring = SqlMonitoringQueries(session)
