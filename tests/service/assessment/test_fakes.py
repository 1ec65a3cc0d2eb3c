"""The fakes answer to the same methods as the real repositories, and the in-memory unit of
work holds the same repositories as the real one, so a use case that runs on one runs on the
other."""
from __future__ import annotations

import pytest

from services.assessment.persistence import repositories as real
from services.assessment.persistence.unit_of_work import AssessmentUnitOfWork
from tests.service.assessment import fakes
from tests.support.memory import public_methods


@pytest.mark.parametrize(("sql", "fake"), [
    (real.SqlActivityRepository, fakes.InMemoryActivityRepository),
    (real.SqlApplicationRepository, fakes.InMemoryApplicationRepository),
    (real.SqlQuestionRepository, fakes.InMemoryQuestionRepository),
    (real.SqlSessionRepository, fakes.InMemorySessionRepository),
    (real.SqlBookingRepository, fakes.InMemoryBookingRepository),
    (real.SqlAttemptRepository, fakes.InMemoryAttemptRepository),
    (real.SqlClock, fakes.InMemoryClock),
])
def test_same_methods_as_the_real_repositories(sql, fake):
    assert public_methods(fake) == public_methods(sql)


def test_the_unit_of_work_holds_the_same_repositories():
    sql_uow = AssessmentUnitOfWork(session=None)  # building it touches no database
    fake_uow = fakes.InMemoryAssessmentUnitOfWork()
    repositories = {name for name, value in vars(sql_uow).items()
                    if type(value).__module__ == real.__name__}
    assert repositories == {"activities", "applications", "questions", "sessions", "bookings",
                            "attempts", "clock"}
    for name in repositories:
        assert public_methods(type(getattr(fake_uow, name))) == public_methods(
            type(getattr(sql_uow, name)))
    assert callable(fake_uow.take_timekeeper_turn) and fake_uow.take_timekeeper_turn() is True
    assert callable(fake_uow.take_heartbeat_turn) and fake_uow.take_heartbeat_turn() is True
