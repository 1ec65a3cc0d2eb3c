"""Pembinaan's in-memory unit of work (its fake repositories join it as its tables come)."""
from __future__ import annotations

from tests.support.memory import InMemoryUnitOfWork


class InMemoryPembinaanUnitOfWork(InMemoryUnitOfWork):
    pass
