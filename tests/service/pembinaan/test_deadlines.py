"""The year's reporting deadlines: set by the sekretariat, read by it and by every pembina (the
teams work to them); none set -> not found; anyone else -> not permitted."""
from __future__ import annotations

from datetime import date

import pytest

from services.pembinaan.use_cases import settings
from services.shared.contracts.errors import NotFound, NotPermitted
from tests.service.pembinaan.fakes import InMemoryPembinaanUnitOfWork
from tests.service.pembinaan.support import HEAD_3528, KETUA, MITRA, OUTSIDER, SEKRETARIAT

DEADLINES = {"establishment": date(2025, 1, 31), "contacts": date(2025, 2, 28),
             "statistical_activities": date(2025, 3, 31),
             "epss_candidates": date(2025, 3, 31), "work_plan": date(2025, 4, 15)}


def test_the_deadlines_set_are_read_back_by_the_sekretariat_and_every_pembina():
    uow = InMemoryPembinaanUnitOfWork()
    with pytest.raises(NotFound):
        settings.get_deadlines(uow, SEKRETARIAT, 2025)
    settings.put_deadlines(uow, SEKRETARIAT, 2025, DEADLINES)
    for reader in (SEKRETARIAT, KETUA, OUTSIDER):
        kept = settings.get_deadlines(uow, reader, 2025)
        assert {name: kept[name] for name in DEADLINES} == DEADLINES
    with pytest.raises(NotFound):
        settings.get_deadlines(uow, SEKRETARIAT, 2026)


@pytest.mark.parametrize("caller", [HEAD_3528, MITRA])
def test_no_one_else_reads_them(caller):
    uow = InMemoryPembinaanUnitOfWork()
    settings.put_deadlines(uow, SEKRETARIAT, 2025, DEADLINES)
    with pytest.raises(NotPermitted):
        settings.get_deadlines(uow, caller, 2025)
