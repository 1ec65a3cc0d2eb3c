"""The fakes answer to the same methods as the real repositories, so a use case that runs on
one runs on the other."""
from __future__ import annotations

import inspect

import pytest

from services.selection.persistence import repositories as real
from tests.service.selection import fakes


def _methods(cls) -> dict[str, list[str]]:
    return {name: list(inspect.signature(member).parameters)
            for name, member in inspect.getmembers(cls, inspect.isfunction)
            if not name.startswith("_")}


@pytest.mark.parametrize(("sql", "fake"), [
    (real.SqlActivityRepository, fakes.InMemoryActivityRepository),
    (real.SqlCandidateDataRepository, fakes.InMemoryCandidateDataRepository),
    (real.SqlApplicationRepository, fakes.InMemoryApplicationRepository),
    (real.SqlAuditTrail, fakes.InMemoryAuditTrail),
])
def test_same_methods_as_the_real_repositories(sql, fake):
    assert _methods(fake) == _methods(sql)
