"""The fakes answer to the same methods as the real repositories, so a use case that runs on
one runs on the other."""
from __future__ import annotations

import pytest

from services.selection.persistence import repositories as real
from tests.service.selection import fakes
from tests.support.memory import public_methods


@pytest.mark.parametrize(("sql", "fake"), [
    (real.SqlActivityRepository, fakes.InMemoryActivityRepository),
    (real.SqlCandidateDataRepository, fakes.InMemoryCandidateDataRepository),
    (real.SqlApplicationRepository, fakes.InMemoryApplicationRepository),
    (real.SqlAuditTrail, fakes.InMemoryAuditTrail),
    (real.SqlFinalCriteriaRepository, fakes.InMemoryFinalCriteriaRepository),
    (real.SqlInterviewScores, fakes.InMemoryInterviewScores),
    (real.SqlFinalDecisions, fakes.InMemoryFinalDecisions),
])
def test_same_methods_as_the_real_repositories(sql, fake):
    assert public_methods(fake) == public_methods(sql)
