"""Each service's Alembic history builds exactly the schema its models describe, on SQLite
(the zero-setup default) and on PostgreSQL (production)."""
from __future__ import annotations

import importlib
import json

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from services.shared.ops.migrate import alembic_config, upgrade
from services.shared.platform.config import SERVICES
from services.shared.platform.database import normalise_url

METADATA = {service: f"services.{service}.persistence.models" for service in SERVICES}


def _metadata(service):
    return importlib.import_module(METADATA[service]).Base.metadata


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


def test_a_database_of_the_earlier_layout_upgrades_and_its_activities_are_published(tmp_path):
    """Before the platform tables had their own revision, each service's first revision made
    them, and selection learned no activity by event: upgrading such a registration database
    keeps its tables and publishes its activities through the outbox."""
    url = f"sqlite:///{tmp_path / 'registration.db'}"
    upgrade("registration", url)
    command.downgrade(alembic_config("registration", url), "0001")
    # The platform branch too: the earlier layout had none of the later platform columns.
    command.downgrade(alembic_config("registration", url), "platform_0001")
    engine = sa.create_engine(url)
    with engine.begin() as connection:  # what the earlier layout recorded: only its own 0001
        connection.execute(sa.text("DELETE FROM alembic_version WHERE version_num != '0001'"))
        connection.execute(sa.text(
            "INSERT INTO activities (id, satker_code, name, year, registration_opens_at, "
            "registration_closes_at, announcement_at, quota, requirements, application_count, "
            "last_registration_seq, created_by, created_at) VALUES ('act-1', '3528', "
            "'Rekrutmen Sensus', 2026, '2026-11-01 00:00:00', '2026-11-30 00:00:00', "
            "'2026-12-10 00:00:00', NULL, '{}', 0, 0, 'admin', '2026-10-01 00:00:00')"))
    upgrade("registration", url)
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection),
                                _metadata("registration")) == []
        envelopes = [row.envelope for row in connection.execute(sa.text(
            "SELECT envelope FROM outbox WHERE event_type = 'activity_published'"))]
    engine.dispose()
    assert len(envelopes) == 1
    payload = json.loads(envelopes[0])["payload"] if isinstance(envelopes[0], str) \
        else envelopes[0]["payload"]
    assert (payload["activity_id"], payload["satker_code"], payload["version"]) == (
        "act-1", "3528", 1)
    assert payload["registration_opens_at"] == "2026-11-01T00:00:00+00:00"
