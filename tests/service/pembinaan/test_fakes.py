"""The fakes answer to the same methods as the real repositories, and the in-memory unit of
work holds the same repositories as the real one, so a use case that runs on one runs on the
other."""
from __future__ import annotations

import pytest

from services.pembinaan.persistence import repositories as real
from services.pembinaan.persistence.unit_of_work import PembinaanUnitOfWork
from tests.service.pembinaan import fakes
from tests.support.memory import public_methods

PAIRS = [
    (real.SqlTeamRepository, fakes.InMemoryTeamRepository),
    (real.SqlMemberRepository, fakes.InMemoryMemberRepository),
    (real.SqlEstablishmentRepository, fakes.InMemoryEstablishmentRepository),
    (real.SqlLokusRepository, fakes.InMemoryLokusRepository),
    (real.SqlContactsRepository, fakes.InMemoryContactsRepository),
    (real.SqlRecordRepository, fakes.InMemoryRecordRepository),
    (real.SqlEvidenceRepository, fakes.InMemoryEvidenceRepository),
    (real.SqlRequestRepository, fakes.InMemoryRequestRepository),
    (real.SqlSettingsRepository, fakes.InMemorySettingsRepository),
    (real.SqlMonitoringQueries, fakes.InMemoryMonitoringQueries),
]


@pytest.mark.parametrize(("sql", "fake"), PAIRS)
def test_same_methods_as_the_real_repositories(sql, fake):
    assert public_methods(fake) == public_methods(sql)


def test_the_unit_of_work_holds_the_same_repositories():
    sql_uow = PembinaanUnitOfWork(session=None)  # building it touches no database
    fake_uow = fakes.InMemoryPembinaanUnitOfWork()
    repositories = {name for name, value in vars(sql_uow).items()
                    if type(value).__module__ == real.__name__}
    assert repositories == {"teams", "members", "establishments", "lokus", "contacts",
                            "records", "evidence", "requests", "settings", "monitoring"}
    for name in repositories:
        assert public_methods(type(getattr(fake_uow, name))) == public_methods(
            type(getattr(sql_uow, name)))
