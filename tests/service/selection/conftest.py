from __future__ import annotations

import pytest

from tests.service.selection.fakes import InMemorySelectionUnitOfWork


@pytest.fixture
def uow() -> InMemorySelectionUnitOfWork:
    return InMemorySelectionUnitOfWork()
