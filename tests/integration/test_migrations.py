"""Each service's Alembic history builds exactly the schema its models describe, on SQLite
(the zero-setup default) and on PostgreSQL (production)."""
from __future__ import annotations

import importlib

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from services.shared.platform.database import normalise_url
from services.shared.ops.migrate import upgrade

METADATA = {
    "registration": ("services.registration.persistence.models", "Base"),
    "selection": ("services.selection.persistence.models", "Base"),
    "assessment": ("services.assessment.models", None),
    "pembinaan": ("services.pembinaan.models", None),
}


def _metadata(service):
    module_name, base = METADATA[service]
    module = importlib.import_module(module_name)
    return getattr(module, base).metadata if base else module.metadata


@pytest.mark.parametrize("service", sorted(METADATA))
def test_migrations_match_the_models_on_sqlite(service, tmp_path):
    url = f"sqlite:///{tmp_path / service}.db"
    upgrade(service, url)
    upgrade(service, url)  # idempotent: a second `make up` changes nothing
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection),
                                _metadata(service)) == []
    engine.dispose()


@pytest.mark.parametrize("service", sorted(METADATA))
def test_migrations_match_the_models_on_postgres(service, database_urls):
    # The session's databases were migrated when the system started; this checks them.
    engine = sa.create_engine(normalise_url(database_urls[service]))
    upgrade(service, database_urls[service])
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection),
                                _metadata(service)) == []
    engine.dispose()
