"""Alembic migrations, one history per service (``services/<service>/migrations``), each
including the platform tables' migration (``services/shared/platform/migrations``) as a
second version location: the platform tables are written once, not copied into each service.

``python -m services.shared.ops.migrate`` upgrades every service's database to its heads; a
service's ``migrations/env.py`` calls ``run_env`` with its metadata.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from alembic import command, context
from alembic.config import Config

from services.shared.platform import config
from services.shared.platform.database import create_engine

SERVICES_DIR = Path(__file__).resolve().parents[2]
PLATFORM_VERSIONS = SERVICES_DIR / "shared" / "platform" / "migrations"


def alembic_config(service: str, database_url: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(SERVICES_DIR / service / "migrations"))
    cfg.set_main_option("version_locations", " ".join(
        (str(SERVICES_DIR / service / "migrations" / "versions"), str(PLATFORM_VERSIONS))))
    cfg.set_main_option("path_separator", "space")
    cfg.set_main_option("sqlalchemy.url", database_url or config.database_url(service))
    return cfg


def upgrade(service: str, database_url: str | None = None) -> None:
    url = database_url or config.database_url(service)
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(service, url), "heads")


def run_env(target_metadata) -> None:
    """Body of every service's migrations/env.py (online mode only: we always have a URL)."""
    engine = create_engine(context.config.get_main_option("sqlalchemy.url"), pool_size=1)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata,
                          render_as_batch=connection.dialect.name == "sqlite",
                          compare_type=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("services", nargs="*", default=list(config.SERVICES))
    for service in parser.parse_args(argv).services:
        upgrade(service)


if __name__ == "__main__":
    main()
