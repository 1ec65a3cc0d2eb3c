"""A service's tables on a throw-away SQLite file, for tests of one piece on a real database."""
from __future__ import annotations

import pytest

from services.shared.platform.database import create_engine, session_factory


@pytest.fixture
def sqlite_sessions(tmp_path):
    """``sqlite_sessions(Base.metadata)``: a session factory over a new database holding
    those tables."""
    engines = []

    def make(metadata):
        engine = create_engine(f"sqlite:///{tmp_path / f'db{len(engines)}.sqlite'}")
        engines.append(engine)
        metadata.create_all(engine)
        return session_factory(engine)

    yield make
    for engine in engines:
        engine.dispose()
