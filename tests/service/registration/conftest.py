from __future__ import annotations

import pytest

from tests.service.registration.fakes import InMemoryRegistrationUnitOfWork, InMemoryStorage


@pytest.fixture(autouse=True)
def _jwt_secret(monkeypatch):
    # Without one, signing in would make the local development secret under var/.
    monkeypatch.setenv("JWT_SECRET", "registration-service-tests")


@pytest.fixture
def uow() -> InMemoryRegistrationUnitOfWork:
    return InMemoryRegistrationUnitOfWork()


@pytest.fixture
def storage() -> InMemoryStorage:
    return InMemoryStorage()
